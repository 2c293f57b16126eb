import type { InputError } from '../ingest/errors.js';
import { type CallRecord, type CallSummary, RESULTS_SCHEMA_VERSION, type RunInfo } from '../results/codec.js';
import type { WorkerChunk } from '../pipeline/protocol.js';
import { agentDeltas, type Baseline, biggestMovers, describeMove } from '../results/baseline.js';
import { type PageLimits, transcriptWeight } from '../results/pages.js';
import { type PageCall, TranscriptKeeper, type TranscriptWrite } from '../results/write.js';
import { HtmlReport, offerStop } from '../render/html/index.js';
import { writeExtras } from '../render/extras.js';
import { type HeaderStyle, headerOption, type ReportLayout } from '../render/tables.js';
import { AgentAggregator, type AgentStats } from '../scoring/agents.js';
import type { RunTotals } from '../commands/output/summary.js';
import { createProgress, type Progress } from '../commands/output/progress.js';
import { DuplicateCallIds } from './duplicate-ids.js';
import { type GateConfig, GateTracker } from './gates.js';
import { debugPause } from './out-dir.js';
import { ReportDir } from './report-dir.js';
import { isWrittenChannel } from '../model/call.js';

/** What the sinks of a run need to know before its first call. */
export interface SinkSetup {
  out: string;
  layout: ReportLayout;
  rubric: RunInfo['rubric'];
  bom: boolean;
  /** `--headers`: the CSV header rows as ids (default) or in the run's language (setup.rubric's lang and titles). */
  headers?: HeaderStyle;
  /** The language and rules' titles of localized header rows, when not the rubric's (callqa report --lang). */
  headerLang?: Pick<RunInfo['rubric'], 'lang' | 'titles'>;
  quiet: boolean;
  keepTranscripts: boolean;
  gates: GateConfig;
  resume?: boolean;
  /** The page limits, when not report.html's own (tests). */
  pageLimits?: Partial<PageLimits>;
  /** Totals' fields a command fills in itself (files, skipped kinds, metadata). */
  totals?: Partial<RunTotals>;
}

/** What the sinks write at the end: report.html, coaching packs, report.xlsx, agents.csv's change since a baseline. */
export interface SinkEnd {
  run: RunInfo;
  baseline?: Baseline;
  coaching: boolean;
  xlsx: boolean;
}

/**
 * The sinks of a run: everything that consumes the ordered stream of scored calls and errors, whoever
 * scored them (this thread, the workers, the model) or read them back (`callqa report`, --resume): the
 * CSV tables and results.jsonl (ReportDir), report.html, the agents' aggregates, the totals, the gates,
 * the duplicate ids, the progress bar, and at the end the coaching packs and report.xlsx. Both commands
 * are a source, a scorer and these sinks.
 */
export class RunSinks {
  readonly agents = new AgentAggregator();
  readonly duplicates = new DuplicateCallIds();
  readonly totals: RunTotals;
  readonly tracker: GateTracker;
  readonly keeper: TranscriptKeeper;
  readonly html: HtmlReport;
  private readonly progress: Progress;

  private constructor(
    readonly setup: SinkSetup,
    readonly opened: NonNullable<Awaited<ReturnType<typeof ReportDir.openForRun>>>,
    stderr: NodeJS.WritableStream,
  ) {
    const { report } = opened;
    this.html = new HtmlReport(report.dir, { rubric: setup.rubric, layout: setup.layout }, { agents: this.agents });
    report.discardAlso(() => this.html.discard());
    this.keeper = new TranscriptKeeper({ keepTranscripts: setup.keepTranscripts, limits: { ...this.html.limits, ...setup.pageLimits } });
    this.tracker = new GateTracker(setup.gates, undefined, { lang: setup.rubric.lang, titles: setup.rubric.titles });
    this.progress = createProgress({ stream: stderr as NodeJS.WriteStream, enabled: !setup.quiet, lang: setup.rubric.lang });
    this.totals = {
      calls: 0,
      passed: 0,
      scoreSum: 0,
      files: 0,
      inputErrors: 0,
      skipped: 0,
      skippedExtensions: new Map(),
      repaired: 0,
      outDir: setup.out,
      lang: setup.rubric.lang,
      rubricName: setup.rubric.name,
      passScore: setup.rubric.passScore,
      ...setup.totals,
    };
  }

  /**
   * Opens the report directory (saying on stderr why it cannot: then undefined) and the sinks. The
   * command hooks its signals to `interrupt` (`CALLQA_DEBUG_PAUSE_AT=start` holds the run here, hooked).
   */
  static async open(setup: SinkSetup, stderr: NodeJS.WritableStream, hook: (interrupt: () => Promise<void>) => void): Promise<RunSinks | undefined> {
    const names = setup.headerLang ?? setup.rubric;
    const csv = { bom: setup.bom, ...(setup.rubric.lang ? { lang: setup.rubric.lang } : {}), ...headerOption(setup.headers, names.lang, names.titles) };
    const opened = await ReportDir.openForRun(setup.out, setup.layout, csv, stderr, { resume: setup.resume ?? false });
    if (!opened) return undefined;
    hook(opened.interrupt);
    await debugPause('start');
    return new RunSinks(setup, opened, stderr);
  }

  get report(): ReportDir {
    return this.opened.report;
  }

  setTotal(inputs: number): void {
    this.progress.setTotal(inputs);
  }

  /** An input (or part of one) that could not be scored. */
  async error(error: InputError): Promise<void> {
    this.totals.inputErrors++;
    this.html.add(await this.report.addError(error));
  }

  /**
   * What a call counts for: its rules' errors (`ruleErrors`: when they are not records of their own
   * already), the totals, its agent, the gates, report.html's overview and agents.
   */
  private async count(call: CallSummary, ruleErrors: boolean): Promise<void> {
    if (ruleErrors) {
      for (const e of call.ruleErrors) {
        await this.error({ source: call.source, ...(call.line ? { line: call.line } : {}), error: `call ${call.callId}: rule ${e.rule} failed: ${e.error}` });
      }
    }
    const { totals } = this;
    totals.calls++;
    const channel = isWrittenChannel(call.channel) ? call.channel : 'voice';
    totals.channels ??= {};
    totals.channels[channel] = (totals.channels[channel] ?? 0) + 1;
    this.duplicates.add(call.callId, call.source);
    totals.scoreSum += call.score;
    if (call.passed) totals.passed++;
    this.agents.add(call);
    this.tracker.add(call);
    this.html.add(call);
    this.progress.tick(totals.files, totals.calls);
  }

  /**
   * A call as a whole record (scored here, or read back: --resume, `callqa report`), its transcript in
   * `utterances` when it has one. `ruleErrors`: its rules' errors are listed from it (a record read back
   * comes after its errors' own records).
   */
  async record(record: CallRecord, ruleErrors: boolean): Promise<void> {
    // A record read back (version 1 too) is written in this version's layout.
    record.schema_version = RESULTS_SCHEMA_VERSION;
    await this.count(record, ruleErrors);
    const { utterances } = record;
    const transcript = utterances && { weight: transcriptWeight(utterances), make: () => utterances };
    await this.writeCall(record, transcript, (how) => this.report.addRecord(record, how));
  }

  /**
   * A call's results line, its transcript (if it has one at hand) kept or left out as the keeper decides
   * (TranscriptKeeper); a candidate's is noted where it went, to be taken out if the call gets no page.
   */
  private async writeCall(
    call: CallSummary,
    transcript: { weight: number; make: () => PageCall['transcript'] } | undefined,
    write: (how: TranscriptWrite) => Promise<number | undefined> | number | undefined,
  ): Promise<void> {
    const { how, candidate } = transcript ? this.keeper.consider(call, transcript.weight, transcript.make) : { how: 'omit' as const, candidate: undefined };
    const at = await write(how);
    if (candidate && at !== undefined) candidate.value.at = at;
  }

  /**
   * A worker's chunk: its calls' lines (`results`, seq put right) and CSV rows, as the worker rendered
   * them; each call's transcript kept or taken out of its line here (TranscriptKeeper). An error goes
   * between the lines where it stood.
   */
  async chunk(
    chunk: WorkerChunk,
    results: Uint8Array,
    metadata: (call: CallSummary, how: 'none' | 'matched' | 'missing', matchedId?: string) => Promise<void>,
  ): Promise<void> {
    let offset = 0;
    for (const entry of chunk.entries) {
      if (entry.error) {
        await this.error(entry.error);
        continue;
      }
      const { call, transcript } = entry;
      const line = results.subarray(offset, offset + entry.bytes);
      offset += entry.bytes;
      await metadata(call, entry.metadata, entry.matchedId);
      await this.count(call, true);
      const kept = transcript && {
        weight: transcript.weight,
        // A copy: the chunk's bytes go back to their worker once written.
        make: () => Buffer.from(line.subarray(transcript.at, transcript.at + transcript.bytes)),
      };
      await this.writeCall(call, kept, (how) => this.report.addCallLine(line, transcript, how));
    }
    await this.report.flushResults();
    await this.report.addCsvBytes(chunk.calls, chunk.findings);
  }

  /** A saved run's page stop (run.json): a merge's page walk ends where the run's did. */
  pageStop(run: Pick<RunInfo, 'pages'>): void {
    offerStop(this.keeper.shortlist, run);
  }

  /** The agents, with their change since the baseline (agents.csv) and the biggest movers (the summary). */
  private agentsAgainst(baseline: Baseline | undefined): { list: AgentStats[]; deltas?: Map<AgentStats, ReturnType<typeof agentDeltas>[number]> } {
    const list = this.agents.list();
    if (!baseline) return { list };
    const deltas = agentDeltas(list, baseline);
    this.totals.movers = biggestMovers(deltas).map((d) => describeMove(d, 'avgScore', this.setup.rubric.lang));
    return { list, deltas: new Map(deltas.map((d, i) => [list[i] as AgentStats, d])) };
  }

  /**
   * The end of the run: the call pages chosen, every report written and put in place together (run.json
   * with how the pages were chosen). On a failure the reports are discarded and the error thrown.
   */
  async finish(end: SinkEnd): Promise<void> {
    const { report } = this;
    try {
      const { choice, chosen } = this.html.choosePages(this.keeper.shortlist);
      const run: RunInfo = { ...end.run, pages: choice, ...(this.setup.keepTranscripts ? { keepTranscripts: true } : {}) };
      const paged = new Set(chosen.flatMap((c) => (c.at === undefined ? [] : [c.at])));
      const { list, deltas } = this.agentsAgainst(end.baseline);
      await report.commit(list, run, deltas, paged);
      this.progress.stop();
      await this.html.finish(run);
      await writeExtras(report.dir, { html: false, coaching: end.coaching, xlsx: end.xlsx, ...(end.baseline ? { baseline: end.baseline } : {}) });
      await this.opened.publish();
    } catch (err) {
      await report.discard();
      throw err;
    }
  }

  /** Leaves --out as it was (a run that found nothing, or failed). */
  async discard(): Promise<void> {
    await this.report.discard();
  }

  /** After the run, whatever happened: the progress bar gone, the lock released. */
  close(): void {
    this.progress.stop();
    this.opened.release();
  }
}
