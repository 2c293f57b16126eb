import { mkdir, rename as renameFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InputError } from '../ingest/errors.js';
import { translate } from '../i18n/format.js';
import { DEFAULT_LANG } from '../i18n/lang.js';
import { messageText } from '../i18n/message.js';
import type { AgentStats } from '../scoring/agents.js';
import type { CallResult } from '../scoring/score-call.js';
import { CsvFile, type CsvOptions, csvCells, csvLine } from '../render/csv.js';
import { ResultsFile, type TranscriptWrite } from '../results/write.js';
import { maskErrorMessage } from '../privacy/mask.js';
import { findingIds } from '../review/ids.js';
import { markRunFinished, PARTIAL_RESULTS, RESUME_FILE } from '../results/resume.js';
import { debugPause, OutDir, OutDirProblem } from './out-dir.js';
import { type CallRecord, type CallSummary, callLine, type ErrorRecord, RESULTS_SCHEMA_VERSION, type RunInfo } from '../results/codec.js';
import {
  agentHeader,
  agentRow,
  callHeader,
  callRow,
  ERROR_COLUMNS,
  errorRow,
  FINDING_COLUMNS,
  findingCells,
  findingRows,
  type AgentDelta,
  type ReportLayout,
  type ReviewOf,
  UNMATCHED_COLUMNS,
  type UnmatchedEntry,
  unmatchedRow,
} from '../render/tables.js';

/** A call's rows of calls.csv and findings.csv: the same bytes whichever thread renders them. */
export function summaryRows(summary: CallSummary, layout: ReportLayout, reviewOf?: ReviewOf): { calls: string; findings: string } {
  const calls = csvLine(callRow(summary, layout));
  if (summary.findings.length === 0) return { calls, findings: '' };
  // The call's three cells begin every one of its findings' rows: written once. Its findings are masked already.
  const call = csvCells([summary.callId, summary.agentId, summary.agentName]);
  const ids = findingIds(summary.callId, summary.findings);
  let findings = '';
  summary.findings.forEach((f, i) => {
    findings += `${call},${csvCells(findingCells(f, true, ids[i] as string, reviewOf))}\r\n`;
  });
  return { calls, findings };
}

/**
 * The CSV reports of one run, written as calls arrive (nothing per call is kept in memory) and
 * put in place together at the end. errors.csv exists only when an input failed.
 */
export class ReportDir {
  private readonly calls: CsvFile;
  private readonly findings: CsvFile;
  private readonly results: ResultsFile;
  private errors: CsvFile | undefined;
  private unmatched: CsvFile | undefined;
  private agents: CsvFile | undefined;

  private constructor(
    readonly dir: string,
    private readonly layout: ReportLayout,
    private readonly options: CsvOptions,
  ) {
    this.calls = new CsvFile(dir, 'calls.csv', callHeader(layout), options);
    this.findings = new CsvFile(dir, 'findings.csv', FINDING_COLUMNS, options);
    this.results = new ResultsFile(dir);
  }

  static async open(dir: string, layout: ReportLayout, options: CsvOptions): Promise<ReportDir> {
    await mkdir(dir, { recursive: true });
    return new ReportDir(dir, layout, options);
  }

  /**
   * Opens the report directory for a command, saying on stderr why it cannot (then exit 2): takes its
   * lock and writes into a staging directory beside it (`dir`), put in place by `publish()` once every
   * report is written (src/report/out-dir.ts). `interrupt()` (the command's signal handler calls it) before
   * then leaves `--out` as it was (the staging directory keeps only what --resume needs); during `publish()`
   * it waits for it to end.
   * `resume`: interrupted runs' staging directories are kept for --resume to read (`outDir.interrupted`).
   */
  static async openForRun(
    out: string,
    layout: ReportLayout,
    options: CsvOptions,
    stderr: NodeJS.WritableStream,
    { resume = false }: { resume?: boolean } = {},
  ): Promise<{ report: ReportDir; outDir: OutDir; publish(): Promise<void>; interrupt(): Promise<void>; release(): void } | undefined> {
    let outDir: OutDir;
    let report: ReportDir;
    try {
      outDir = await OutDir.open(out, resume);
    } catch (err) {
      const lang = options.lang ?? DEFAULT_LANG;
      stderr.write(
        `callqa: ${err instanceof OutDirProblem ? messageText(lang, err.said) : translate(lang, 'outdir.cannot-write', { dir: out, error: (err as Error).message })}\n`,
      );
      return undefined;
    }
    try {
      report = await ReportDir.open(outDir.staging, layout, options);
    } catch (err) {
      await outDir.abandon();
      stderr.write(`callqa: ${translate(options.lang ?? DEFAULT_LANG, 'outdir.cannot-write', { dir: out, error: (err as Error).message })}\n`);
      return undefined;
    }
    report.outDir = outDir;
    let stopping = false;
    // A stop before publish() leaves --out as it was (the staging directory keeps what --resume needs); one
    // during publish() waits for it to end. The command decides when (its signal handlers) and how it exits.
    const interrupt = async () => {
      if (stopping) return;
      stopping = true;
      const publishing = outDir.isPublishing;
      await (publishing ? publishing.catch(() => {}) : report.discard(true));
      outDir.releaseLock();
    };
    const release = () => outDir.releaseLock();
    return {
      report,
      outDir,
      publish: async () => {
        await debugPause('staged');
        if (stopping) return new Promise<never>(() => {});
        await outDir.publish(() => markRunFinished(outDir.staging));
      },
      interrupt,
      release,
    };
  }

  /** The report directory this run writes for (openForRun), which `discard` gives up. */
  private outDir: OutDir | undefined;

  /** A call's rows in calls.csv and findings.csv only (no record: `explain`'s, tests'). */
  async addCallRows(result: CallResult): Promise<void> {
    await this.calls.write(callRow(result, this.layout));
    for (const row of findingRows(result)) await this.findings.write(row);
  }

  /**
   * A call's rows in calls.csv and findings.csv, and its line in results.jsonl, its transcript (if the
   * record holds one) written as `how` says. Returns where the transcript begins, for a candidate's.
   */
  async addRecord(record: CallSummary & { utterances?: CallRecord['utterances'] }, how: TranscriptWrite): Promise<number | undefined> {
    const rows = summaryRows(record, this.layout);
    await this.calls.writeText(rows.calls);
    await this.findings.writeText(rows.findings);
    const { line, transcriptAt } = callLine(record, how !== 'omit');
    const bytes = Buffer.from(`${line}\n`);
    const transcript = transcriptAt === undefined ? undefined : { at: Buffer.byteLength(line.slice(0, transcriptAt)), bytes: 0 };
    if (transcript) transcript.bytes = bytes.length - 2 - transcript.at;
    const at = this.results.writeCall(bytes, transcript, how);
    await this.results.flushIfFull();
    return at;
  }

  /** Writes the results lines taken so far: before a worker's buffers go back to it. */
  async flushResults(): Promise<void> {
    await this.results.flush();
  }

  /** A call's results.jsonl line rendered elsewhere (a worker's), its transcript `bytes` long from `at` if it has one. */
  addCallLine(line: Uint8Array, transcript: { at: number; bytes: number } | undefined, how: TranscriptWrite): number | undefined {
    return this.results.writeCall(line, transcript, how);
  }

  /** Lines of results.jsonl rendered elsewhere (UTF-8); their CSV rows come with addCsvBytes. */
  async addResultBytes(bytes: Uint8Array): Promise<void> {
    await this.results.writeBytes(bytes);
  }

  /** CSV rows of calls rendered elsewhere (UTF-8), several calls' joined in order. */
  async addCsvBytes(calls: Uint8Array, findings: Uint8Array): Promise<void> {
    await this.calls.writeBytes(calls);
    await this.findings.writeBytes(findings);
  }

  /**
   * An input that failed: its row in errors.csv and its record in results.jsonl, which it returns.
   * The message is masked here, once, for both (personal numbers; the byte offset callqa wrote stays).
   */
  async addError(error: InputError): Promise<ErrorRecord> {
    const masked: InputError = { ...error, error: maskErrorMessage(error.error) };
    this.errors ??= new CsvFile(this.dir, 'errors.csv', ERROR_COLUMNS, this.options);
    await this.errors.write(errorRow(masked));
    const record: ErrorRecord = { type: 'error', schema_version: RESULTS_SCHEMA_VERSION, ...masked };
    await this.results.writeRecord(record);
    return record;
  }

  /** A call without a metadata record, or a record without a call (only with --metadata). */
  async addUnmatched(entry: UnmatchedEntry): Promise<void> {
    this.unmatched ??= new CsvFile(this.dir, 'unmatched.csv', UNMATCHED_COLUMNS, this.options);
    await this.unmatched.write(unmatchedRow(entry, this.options.lang));
  }

  private files(): (CsvFile | ResultsFile)[] {
    return [this.calls, this.findings, this.results, this.errors, this.unmatched, this.agents].filter((f): f is CsvFile | ResultsFile => f !== undefined);
  }

  /**
   * Writes agents.csv, then renames every file into place; a stale errors.csv from an earlier run goes.
   * `paged`: where the transcripts of the calls that got a page begin in results.jsonl (the other
   * candidates' are taken out).
   */
  async commit(agents: readonly AgentStats[], run?: RunInfo, deltas?: ReadonlyMap<AgentStats, AgentDelta>, paged?: ReadonlySet<number>): Promise<void> {
    this.agents = new CsvFile(this.dir, 'agents.csv', agentHeader(this.layout), this.options);
    for (const a of agents) await this.agents.write(agentRow(a, this.layout, deltas?.get(a)));
    const files = this.files();
    await Promise.all(files.map((f) => f.close()));
    for (const f of files) await (f === this.results ? this.results.commit(paged) : f.commit());
    // Optional files from an earlier run would be taken for this run's.
    if (!this.errors) await rm(join(this.dir, 'errors.csv'), { force: true });
    if (!this.unmatched) await rm(join(this.dir, 'unmatched.csv'), { force: true });
    // run.json last: it describes the files beside it, so it never stands next to older ones.
    if (run) {
      const temp = join(this.dir, `.run.json.${process.pid}.partial`);
      await writeFile(temp, `${JSON.stringify(run, null, 2)}\n`);
      await renameFile(temp, join(this.dir, 'run.json'));
    }
  }

  /**
   * Removes the temporary files: the directory keeps whatever complete reports it had (a run opened
   * with openForRun: `--out` stays as it was). An interrupted run (`keepResults`) leaves its results
   * so far for `--resume`, and the marker beside them.
   */
  async discard(keepResults = false): Promise<void> {
    if (keepResults) {
      await this.results.close().catch(() => {});
      // Its results, whether still temporary or put in place (a run stopped after commit).
      await renameFile(this.results.tempPath, join(this.dir, PARTIAL_RESULTS)).catch(() =>
        renameFile(this.results.path, join(this.dir, PARTIAL_RESULTS)).catch(() => {}),
      );
    }
    await Promise.all([
      ...this.files()
        .filter((f) => !keepResults || f !== this.results)
        .map((f) => f.discard()),
      ...this.others.map((discard) => discard().catch(() => {})),
    ]);
    await this.outDir?.abandon(keepResults ? new Set([PARTIAL_RESULTS, RESUME_FILE]) : undefined);
  }

  /** Temporary files of another writer into this directory (report.html's), removed with these if the run stops. */
  discardAlso(discard: () => Promise<void>): void {
    this.others.push(discard);
  }

  private readonly others: (() => Promise<void>)[] = [];
}
