import chalk, { Chalk } from 'chalk';
import type { InputError } from '../ingest/errors.js';
import { InputProblem } from '../ingest/errors.js';
import { ENCODINGS, encodingName } from '../ingest/encoding.js';
import type { IngestOptions } from '../ingest/format.js';
import { FORMAT_NAMES } from '../ingest/formats/index.js';
import { discoverInputs, type InputItem, newTally } from '../ingest/index.js';
import { describeMissing, missingInputs } from '../ingest/missing-inputs.js';
import { scoreInParallel, worthWorkers } from '../pipeline/pool.js';
import { type WorkerSet, workerJobs } from '../pipeline/workers.js';
import { findResumable, markRunStarted, ResumeReader } from '../results/resume.js';
import { errorSummary, failedOn, timedOut } from '../pipeline/not-scored.js';
import { DEBUG_STOP_AFTER, type ScoreContext, type Scored, type ScoringConfig, scoreInput, scoringContext } from '../pipeline/score-input.js';
import type { MetadataOptions } from '../metadata/record.js';
import type { RoleOptions } from '../normalise/roles.js';
import { debugPause } from '../run/out-dir.js';
import { ReportDir } from '../run/report-dir.js';
import { exitOnSignal } from '../util/signals.js';
import { renderSummary, type RunTotals } from './output/summary.js';
import { loadRubric, RubricError, type Rubric } from '../rubric/load.js';
import { AgentAggregator } from '../scoring/agents.js';
import type { CallResult } from '../scoring/score-call.js';
import { applyLlm } from '../llm/apply.js';
import { PROMPT_VERSION } from '../llm/prompt.js';
import type { PreparedCall } from '../model/call.js';
import { type CallRecord, callRecord, RESULTS_SCHEMA_VERSION, type RunInfo, rubricInfo } from '../results/codec.js';
import { compareRecords, sourceNumbering } from '../results/order.js';
import { HtmlReport } from '../render/html.js';
import { reportLayout } from '../render/tables.js';
import type { CallSummary, WorkerChunk } from '../pipeline/protocol.js';
import { agentDeltas, type Baseline, baselineRubricWarning, biggestMovers, describeMove, readBaseline } from '../results/baseline.js';
import { DuplicateCallIds } from '../run/duplicate-ids.js';
import { writeExtras } from '../render/extras.js';
import { checkGateConfig, type FailRateLimit, formatGateFailures, type GateConfig, GateTracker } from '../run/gates.js';
import { createProgress } from './output/progress.js';
import type { AgentStats } from '../scoring/agents.js';
import { VERSION } from '../version.js';
import type { LlmRunner } from '../llm/run.js';
import { EXIT } from './exit-codes.js';
import { SCORE_DEFAULTS } from './score-defaults.js';
import { watchMemory } from '../util/memory-debug.js';

export interface ScoreOptions extends IngestOptions, Omit<RoleOptions, 'greetingElements' | 'cues'> {
  rubric?: string;
  out: string;
  bom: boolean;
  failUnder?: number;
  quiet: boolean;
  metadata?: string[];
  customerLeg?: MetadataOptions['customerLeg'];
  llm?: boolean;
  llmModel?: string;
  llmSamples?: number;
  llmSendPii?: boolean;
  llmConcurrency?: number;
  llmTimeout?: number;
  /** A directory, or false for --no-llm-cache. */
  llmCache?: string | false;
  llmBatch?: boolean;
  llmDryRun?: boolean;
  llmMaxCalls?: number;
  /** Worker threads that score inputs (default: the number of cores). */
  jobs?: number;
  /** Seconds one input may take to score before it is listed in errors.csv and the run goes on (0: no limit). */
  inputTimeout?: number;
  /** Score only the inputs in shard `index` of `count` (by a stable hash of the path). */
  shard?: { index: number; count: number };
  resume?: boolean;
  coaching?: boolean;
  xlsx?: boolean;
  baseline?: string;
  maxFailRate?: FailRateLimit[];
  failOnCritical?: boolean;
  maxScoreDrop?: number;
}

/** ScoreOptions with every default filled in (SCORE_DEFAULTS). */
type ScoreSettings = ScoreOptions & { [K in keyof typeof SCORE_DEFAULTS]: NonNullable<ScoreOptions[K]> };

/** The options as given, each one left out (or undefined) set to its default. */
function withDefaults(given: ScoreOptions): ScoreSettings {
  const opts: Record<string, unknown> = { ...given };
  for (const [key, value] of Object.entries(SCORE_DEFAULTS)) if (opts[key] === undefined) opts[key] = value;
  return opts as unknown as ScoreSettings;
}

export interface Streams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Colour when stdout is a terminal that supports it (chalk decides), never when NO_COLOR is set (no-color.org). */
function terminalColours() {
  return process.env.NO_COLOR ? new Chalk({ level: 0 }) : chalk;
}

export async function loadRubricOrReport(rubricArg: string | undefined, stderr: NodeJS.WritableStream): Promise<Rubric | undefined> {
  try {
    return await loadRubric(rubricArg);
  } catch (err) {
    if (!(err instanceof RubricError)) throw err;
    stderr.write(`callqa: the rubric is not valid:\n${err.problems.map((p) => `  ${p}`).join('\n')}\n`);
    return undefined;
  }
}

/** Flags whose valid values live in the ingest modules; a wrong one stops the run before any work (exit 2). */
function checkIngestOptions<T extends ScoreOptions>(opts: T, stderr: NodeJS.WritableStream): T | undefined {
  if (opts.inputFormat !== undefined && !FORMAT_NAMES.includes(opts.inputFormat)) {
    stderr.write(`callqa: unknown --input-format "${opts.inputFormat}"; expected one of ${FORMAT_NAMES.join(', ')}\n`);
    return undefined;
  }
  if (opts.encoding === undefined) return opts;
  const encoding = encodingName(opts.encoding);
  if (encoding === undefined) {
    stderr.write(`callqa: unknown --encoding "${opts.encoding}"; expected one of ${ENCODINGS.join(', ')} (gbk and gb2312 are read as gb18030)\n`);
    return undefined;
  }
  return { ...opts, encoding };
}

/**
 * `callqa score`: ingest → normalise → check → score → aggregate → report, one call at a time.
 * `started`: worker threads the command line started early (startWorkersEarly); closed when the run
 * ends, whether it used them or not.
 */
export async function runScore(inputs: readonly string[], given: ScoreOptions, io: Streams, started?: WorkerSet): Promise<number> {
  try {
    return await score(inputs, given, io, started);
  } finally {
    await started?.close();
  }
}

async function score(inputs: readonly string[], given: ScoreOptions, io: Streams, started: WorkerSet | undefined): Promise<number> {
  watchMemory();
  const opts = checkIngestOptions(withDefaults(given), io.stderr);
  if (!opts) return EXIT.usage;
  // A mistyped path stops the run before any work (exit 2, each missing path named), not a smaller report.
  const missing = await missingInputs(inputs);
  if (missing.length > 0) {
    io.stderr.write(describeMissing(missing));
    return EXIT.usage;
  }
  const rubric = await loadRubricOrReport(opts.rubric, io.stderr);
  if (!rubric) return EXIT.usage;
  // The report columns: hidden helper rules feed other rules and stay out of the reports.
  const layout = reportLayout(rubric, { baseline: opts.baseline !== undefined });
  const { ruleIds } = layout;
  const gates: GateConfig = {
    ...(opts.failUnder !== undefined ? { failUnder: opts.failUnder } : {}),
    ...(opts.maxFailRate?.length ? { maxFailRates: opts.maxFailRate } : {}),
    ...(opts.failOnCritical ? { failOnCritical: true } : {}),
    ...(opts.maxScoreDrop !== undefined ? { maxScoreDrop: opts.maxScoreDrop } : {}),
  };
  const gateProblems = checkGateConfig(gates, { ruleIds, hasBaseline: opts.baseline !== undefined });
  if (gateProblems.length > 0) {
    for (const p of gateProblems) io.stderr.write(`callqa: ${p}\n`);
    return EXIT.usage;
  }
  // Read before scoring: a wrong --baseline stops the run at once, and --baseline may be --out itself.
  let baseline: Baseline | undefined;
  if (opts.baseline !== undefined) {
    try {
      baseline = await readBaseline(opts.baseline);
      const warning = await baselineRubricWarning(opts.baseline, rubric);
      if (warning !== undefined) io.stderr.write(`callqa: warning: ${warning}\n`);
    } catch (err) {
      if (!(err instanceof InputProblem)) throw err;
      io.stderr.write(`callqa: ${err.message}\n`);
      return EXIT.usage;
    }
  }
  const tracker = new GateTracker(gates);
  // What scoring needs, set once: the same configuration makes this thread's context and every worker's.
  const config: ScoringConfig = {
    rubricPath: rubric.path,
    ingest: pick(opts, ['inputFormat', 'encoding', 'columns', 'timeUnit', 'maxRecordMb']),
    roles: pick(opts, ['agentSpeaker', 'agentChannel', 'agentName', 'direction']),
    ...(opts.metadata?.length ? { metadata: { files: opts.metadata, customerLeg: opts.customerLeg } } : {}),
  };
  let scoring: { context: ScoreContext; metadataErrors: InputError[] };
  try {
    scoring = await scoringContext(config, rubric);
  } catch (err) {
    if (!(err instanceof InputProblem)) throw err;
    io.stderr.write(`callqa: ${err.message}\n`);
    return EXIT.usage;
  }
  const { context } = scoring;
  const metadata = context.metadata;

  let llm: LlmRunner | undefined;
  if (opts.llm) {
    if (!rubric.llm) {
      io.stderr.write(`callqa: --llm: the rubric ${rubric.path} has no llm section (criteria for the model to grade)\n`);
      return EXIT.usage;
    }
    const apiKey = process.env.ANTHROPIC_API_KEY;
    if (!opts.llmDryRun && !apiKey) {
      io.stderr.write('callqa: --llm needs an API key: set ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL to use a proxy), or try --llm-dry-run\n');
      return EXIT.usage;
    }
    const config = opts.llmModel ? { ...rubric.llm, model: opts.llmModel } : rubric.llm;
    rubric.llm = config;
    // Loaded only for --llm: the model's code pulls in the SDK (~0.25 s of start-up).
    const { LlmRunner } = await import('../llm/run.js');
    llm = await LlmRunner.create(
      config,
      {
        samples: opts.llmSamples,
        sendPii: opts.llmSendPii,
        concurrency: opts.llmConcurrency,
        timeoutSeconds: opts.llmTimeout,
        cache: opts.llmCache,
        batch: opts.llmBatch,
        dryRun: opts.llmDryRun,
        ...(opts.llmMaxCalls !== undefined ? { maxCalls: opts.llmMaxCalls } : {}),
        ...(process.env.CALLQA_BATCH_POLL_MS ? { pollIntervalMs: Number(process.env.CALLQA_BATCH_POLL_MS) } : {}),
      },
      apiKey,
    );
  }

  // Workers started early load the rubric now, while this thread opens the reports and lists the inputs.
  started?.init(config);

  const startedAt = new Date().toISOString();
  const opened = await ReportDir.openForRun(opts.out, layout, { bom: opts.bom }, io.stderr, { resume: opts.resume });
  if (!opened) return EXIT.usage;
  const unhook = exitOnSignal(opened.interrupt);
  // Test hook: a run held here, its reports opened and its signals handled (CALLQA_DEBUG_PAUSE_AT=start).
  await debugPause('start');
  // Every report is written into a staging directory beside --out, put in place at the end (publish).
  const { report } = opened;
  const staging = report.dir;
  // Per-agent aggregates: agents.csv, the summary, the gates, and report.html's ranking.
  const agents = new AgentAggregator();
  // report.html is drawn as the calls are written, from the same records results.jsonl gets.
  const html = new HtmlReport(staging, { rubric: rubricInfo(rubric), layout }, { agents });
  report.discardAlso(() => html.discard());
  let resume: ResumeReader | undefined;
  let resumed = new Set<string>();
  if (opts.resume) {
    const found = await findResumable(opened.outDir.out, rubric.sha256, opened.outDir.interrupted);
    if ('reason' in found) io.stderr.write(`callqa: --resume: ${found.reason}; scoring every input\n`);
    else {
      resume = new ResumeReader(found.path);
      resumed = found.done;
    }
  }
  await markRunStarted(staging, rubric.sha256);

  const tally = newTally();
  const progress = createProgress({ stream: io.stderr as NodeJS.WriteStream, enabled: !opts.quiet });
  const totals: RunTotals = {
    calls: 0,
    passed: 0,
    scoreSum: 0,
    files: 0,
    inputErrors: 0,
    skipped: 0,
    skippedExtensions: tally.skippedExtensions,
    repaired: 0,
    outDir: opts.out,
    rubricName: rubric.name,
    passScore: rubric.passScore,
  };
  if (metadata) totals.metadata = { records: metadata.size, unmatchedRecords: 0, callsWithout: 0 };
  const addError = async (error: InputError) => {
    totals.inputErrors++;
    await html.add(await report.addError(error));
  };
  /** Call ids used by more than one call: all scored, listed on stderr and in run.json. */
  const duplicates = new DuplicateCallIds();
  /** Each call's place in its source (the stable order merged results sort into), whichever thread scored it. */
  const placeInSource = sourceNumbering();
  /** A call scored here: its record, numbered within its source, then its last steps. */
  const finish = async (result: CallResult, prepared: PreparedCall) => {
    await finishRecord(callRecord(result, prepared, placeInSource(result.source)));
  };
  /** How the call-record join went, counted once, in the main thread. */
  const noteMetadata = async (result: CallResult, how: 'none' | 'matched' | 'missing', matchedId?: string) => {
    if (how === 'matched' && matchedId !== undefined) metadata?.markUsed(matchedId);
    if (how === 'missing' && totals.metadata) {
      totals.metadata.callsWithout++;
      await report.addUnmatched({ kind: 'call-without-metadata', callId: result.callId, source: result.source, line: result.line });
    }
  };
  /**
   * What a call counts for, whichever thread scored it: its rules' errors, the totals, its agent, the
   * gates, report.html (with its utterances while the page still has room for calls: `full`).
   */
  const countCall = async (call: CallSummary, full: () => unknown) => {
    for (const e of call.ruleErrors) {
      await addError({
        source: call.source,
        ...(call.line ? { line: call.line } : {}),
        error: `call ${call.callId}: rule ${e.rule} failed: ${e.error}`,
      });
    }
    totals.calls++;
    duplicates.add(call.callId, call.source);
    totals.scoreSum += call.score;
    if (call.passed) totals.passed++;
    agents.add(call);
    tracker.add(call);
    await html.add(html.wantsUtterances ? full() : call);
    progress.tick(totals.files, totals.calls);
  };
  const finishRecord = async (record: CallRecord) => {
    await countCall(record, () => record);
    await report.addCall(record);
  };
  const utf8 = new TextDecoder();
  const inFlight: Promise<[CallResult, PreparedCall]>[] = [];
  const window = Math.max(1, opts.llmConcurrency) * 4;

  try {
    for (const error of scoring.metadataErrors) await addError(error);
    // The list of files first (paths only), so that the progress bar knows the total.
    const items = [];
    for await (const item of discoverInputs(inputs, tally, opts)) if (!opts.shard || inShard(item, opts.shard)) items.push(item);
    // The stable order of every report (compareRecords): by path, folder by folder, whatever order
    // the inputs were named in — so runs over parts of a corpus merge into the run over all of it.
    items.sort((a, b) => compareRecords({ source: itemPath(a), seq: 0 }, { source: itemPath(b), seq: 0 }));
    progress.setTotal(items.length);
    // --resume: inputs an interrupted run finished are taken from its results, not scored again.
    // Inputs are written in order, so a finished stretch is a prefix of the list: take that prefix.
    if (resume) {
      let done = 0;
      while (done < items.length && resumed.has(itemPath(items[done] as InputItem))) {
        totals.files++;
        for await (const record of resume.take(itemPath(items[done] as InputItem))) {
          if (record.type === 'call') {
            await finishRecord(record);
            continue;
          }
          // The error as it was (its fields in their order), so the results come out byte for byte the same.
          const { type: _type, schema_version: _version, ...error } = record;
          await addError(error);
        }
        done++;
      }
      totals.resumed = done;
      items.splice(0, done);
    }
    // Worker threads score whole inputs; the main thread writes them in input order. The model's
    // grading, and standard input, stay in the main thread.
    // Every input is scored on a worker where the run may use them, even with --jobs 1 or one input:
    // a worker stuck on an input can be stopped (--input-timeout), the main thread could not. With
    // no budget (--input-timeout 0), one input or one job is scored here, as it costs less.
    const inputTimeout = opts.inputTimeout;
    const allowed = workerJobs(inputs, { ...opts, inputTimeout });
    const worth = allowed !== undefined && (await worthWorkers(items, opts));
    const parallel = allowed !== undefined && items.length > 0 && (worth || inputTimeout > 0);
    const jobs = worth ? (allowed as number) : 1;
    if (!parallel) await started?.close();
    if (parallel) {
      // Workers render the reports' text; here it is counted and written, in input order.
      for await (const chunk of scoreInParallel(items, config, jobs, started, { inputTimeout })) {
        // Calls' lines are written in runs; an error (of an input, or of a call's rule) goes between them.
        // A big file's parts were numbered from 0 by their workers: their calls' places are counted here.
        const results = renumber(chunk, placeInSource);
        let run = 0;
        let offset = 0;
        const writeRun = async () => {
          if (offset > run) await report.addResultBytes(results.subarray(run, offset));
          run = offset;
        };
        for (const entry of chunk.entries) {
          if (entry.error) {
            await writeRun();
            await addError(entry.error);
            continue;
          }
          const { call } = entry;
          if (call.ruleErrors.length > 0) await writeRun();
          const line = results.subarray(offset, offset + entry.bytes);
          await noteMetadata(call, entry.metadata, entry.matchedId);
          await countCall(call, () => JSON.parse(utf8.decode(line)));
          offset += entry.bytes;
          if (call.ruleErrors.length > 0) await writeRun();
        }
        await writeRun();
        await report.addCsvBytes(chunk.calls, chunk.findings);
        if (chunk.done) {
          if (!chunk.partial) totals.files += chunk.inputs;
          tally.repaired += chunk.repaired;
        }
      }
    }
    for (const item of parallel ? [] : items) {
      totals.files++;
      for await (const scored of guarded(item, scoreInput(item, context, tally), inputTimeout)) {
        if (scored.error) {
          await addError(scored.error);
          continue;
        }
        const { result, prepared } = scored;
        await noteMetadata(result, scored.metadata);
        if (!llm || !rubric.llm) {
          await finish(result, prepared);
          continue;
        }
        // The model grades calls concurrently; reports keep the input order. Batch mode holds every
        // call until the batch has ended; otherwise only a small window is in flight.
        const config = rubric.llm;
        inFlight.push(llm.grade(prepared).then((outcome) => [applyLlm(result, outcome, config, rubric.passScore, prepared), prepared]));
        if (!opts.llmBatch) {
          while (inFlight.length >= window) await finish(...(await (inFlight.shift() as Promise<[CallResult, PreparedCall]>)));
        }
      }
    }
    if (llm) {
      const all = Promise.all(inFlight.splice(0));
      await llm.flush();
      for (const [result, prepared] of await all) await finish(result, prepared);
      totals.llm = llm.totals;
    }
    totals.skipped = tally.skipped;
    totals.repaired = tally.repaired;
    if (totals.calls === 0 && totals.inputErrors === 0) {
      await report.discard();
      if (DEBUG_STOP_AFTER) {
        io.stderr.write(
          `callqa: CALLQA_DEBUG_STOP_AFTER=${DEBUG_STOP_AFTER}: every call stopped after ${DEBUG_STOP_AFTER === 'read' ? 'it was read' : 'its rules'}; nothing written\n`,
        );
        return EXIT.ok;
      }
      io.stderr.write(`callqa: no transcripts found in ${inputs.join(', ')} (see callqa formats for what is read)\n`);
      return EXIT.usage;
    }
    for (const record of metadata?.unmatched() ?? []) {
      if (totals.metadata) totals.metadata.unmatchedRecords++;
      await report.addUnmatched({ kind: 'metadata-without-call', callId: record.ids[0] ?? '', source: record.source, line: record.line });
    }
    const agentList = agents.list();
    const deltas = baseline ? new Map(agentDeltas(agentList, baseline).map((d, i) => [agentList[i] as AgentStats, d])) : undefined;
    if (baseline) totals.movers = biggestMovers(agentDeltas(agentList, baseline)).map((d) => describeMove(d));
    const run: RunInfo = {
      schema_version: RESULTS_SCHEMA_VERSION,
      callqaVersion: VERSION,
      rubric: rubricInfo(rubric),
      ...(rubric.llm
        ? {
            llm: {
              model: rubric.llm.model,
              promptVersion: PROMPT_VERSION,
              criteria: rubric.llm.criteria.map((c) => ({
                id: c.id,
                question: c.question,
                maxScore: c.max_score,
                ...(c.advice ? { advice: c.advice } : {}),
              })),
            },
          }
        : {}),
      layout,
      inputs: {
        files: totals.files,
        calls: totals.calls,
        failed: totals.inputErrors,
        skipped: totals.skipped,
        ...(totals.skipped > 0 ? { skippedKinds: Object.fromEntries(tally.skippedExtensions) } : {}),
      },
      startedAt,
      endedAt: new Date().toISOString(),
      command: process.argv.slice(2),
      ...duplicates.runInfo(),
    };
    await report.commit(agentList, run, deltas);
    progress.stop();
    await html.finish(run);
    await writeExtras(staging, { html: false, coaching: opts.coaching, xlsx: opts.xlsx, ...(baseline ? { baseline } : {}) });
    await opened.publish();
  } catch (err) {
    await report.discard();
    throw err;
  } finally {
    progress.stop();
    unhook();
    opened.release();
  }

  if (!opts.quiet) io.stdout.write(renderSummary(totals, agents.list(), terminalColours()));
  io.stderr.write(duplicates.describe());
  if (totals.inputErrors > 0) {
    io.stderr.write(`callqa: ${totals.inputErrors} input problem(s) listed in ${opts.out}/errors.csv\n`);
  }
  const broken = tracker.evaluate(agents.list(), baseline);
  if (broken.length > 0) {
    io.stderr.write(formatGateFailures(broken));
    return EXIT.gate;
  }
  if (totals.inputErrors > 0) return EXIT.inputErrors;
  if (totals.llm && totals.llm.errors > 0) {
    io.stderr.write(`callqa: LLM grading failed for ${totals.llm.errors} call(s): see llm_status in calls.csv\n`);
    return EXIT.llmErrors;
  }
  return EXIT.ok;
}

/** The named keys of an object that are set. */
function pick<T extends object, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]])) as Pick<T, K>;
}

/** A stable hash of an input's path (FNV-1a over its UTF-8 bytes): the same shard on every machine. */
export function shardOf(path: string, count: number): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(path, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % count;
}

/**
 * A chunk's results.jsonl lines with every call numbered by its place in its source (`seq`): the
 * worker of a part of a big file numbered the part's calls from 0, and said where each number is.
 * Entries (their summaries and line lengths) are put right too; the chunk's own bytes stay as they
 * are, to go back to their worker.
 */
function renumber(chunk: WorkerChunk, placeInSource: (source: string) => number): Uint8Array {
  const pieces: Uint8Array[] = [];
  let offset = 0;
  let changed = false;
  for (const entry of chunk.entries) {
    if (!entry.call) continue;
    const { call } = entry;
    const seq = placeInSource(call.source);
    const line = chunk.results.subarray(offset, offset + entry.bytes);
    offset += entry.bytes;
    if (call.seq === seq) {
      pieces.push(line);
      continue;
    }
    if (entry.seqAt === undefined) throw new Error(`call ${call.callId}: numbered ${call.seq} in its source, expected ${seq}`);
    const digits = Buffer.from(String(seq));
    pieces.push(line.subarray(0, entry.seqAt), digits, line.subarray(entry.seqAt + String(call.seq).length));
    entry.bytes += digits.length - String(call.seq).length;
    call.seq = seq;
    changed = true;
  }
  return changed ? Buffer.concat(pieces) : chunk.results;
}

/**
 * An input's calls as scoreInput gives them, scored in this thread (the model's grading, standard
 * input). A bug on the input (an exception, not a problem of the input's own) ends the input with a
 * line in errors.csv, as on a worker (pool.ts), not the run. --input-timeout (`timeout` seconds; 0:
 * none) is checked between calls, on the time spent reading and scoring (not the model's grading,
 * which --llm-timeout bounds); on standard input, per call, since a stream may take its time to
 * arrive. A call that never ends cannot be stopped in this thread (README).
 */
async function* guarded(item: InputItem, scored: AsyncGenerator<Scored>, timeout: number): AsyncGenerator<Scored> {
  let entries = 0;
  let spent = 0;
  try {
    for (;;) {
      let step: IteratorResult<Scored>;
      const began = performance.now();
      try {
        step = await scored.next();
      } catch (err) {
        yield { error: { source: itemPath(item), error: failedOn(errorSummary(err), entries) } };
        return;
      }
      if (step.done) return;
      spent = (item.kind === 'stdin' ? 0 : spent) + performance.now() - began;
      if (timeout > 0 && spent > timeout * 1000) {
        yield { error: { source: itemPath(item), error: timedOut(timeout, entries) } };
        return;
      }
      entries++;
      yield step.value;
    }
  } finally {
    await scored.return(undefined);
  }
}

function itemPath(item: InputItem): string {
  return item.kind === 'stdin' ? '<stdin>' : item.path;
}

function inShard(item: InputItem, shard: { index: number; count: number }): boolean {
  return shardOf(itemPath(item), shard.count) === shard.index;
}
