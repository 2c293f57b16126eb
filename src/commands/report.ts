import { InputProblem } from '../ingest/errors.js';
import { printable } from '../util/format.js';
import { baselineRubricWarning, readBaseline } from '../results/baseline.js';
import { writeExtras } from '../render/extras.js';
import chalk, { Chalk } from 'chalk';
import type { InputError } from '../ingest/errors.js';
import { maskPersonalNumbers } from '../privacy/mask.js';
import { DuplicateCallIds } from '../run/duplicate-ids.js';
import { mergeResults, openRuns, ResultsError, type SavedRun } from '../results/read.js';
import { debugPause } from '../run/out-dir.js';
import { ReportDir } from '../run/report-dir.js';
import { exitOnSignal } from '../util/signals.js';
import { RESULTS_SCHEMA_VERSION, type CallRecord, type ErrorRecord, type RunInfo } from '../results/codec.js';
import { renderSummary, type RunTotals } from './output/summary.js';
import { AgentAggregator, type AgentStats } from '../scoring/agents.js';
import { VERSION } from '../version.js';
import { EXIT } from './exit-codes.js';

export interface ReportOptions {
  out: string;
  bom: boolean;
  quiet: boolean;
  coaching?: boolean;
  xlsx?: boolean;
  /** A previous report directory, for the coaching packs' change since then. */
  baseline?: string;
}

export interface ReportStreams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** What the merged records held: run.json's counts and the summary's totals. */
export interface MergedCounts {
  calls: number;
  errors: number;
  /** Call ids used by more than one of the merged calls (DuplicateCallIds.runInfo). */
  duplicates?: ReturnType<DuplicateCallIds['runInfo']>;
}

/** Colour when stdout is a terminal that supports it (chalk decides), never when NO_COLOR is set. */
function terminalColours() {
  return process.env.NO_COLOR ? new Chalk({ level: 0 }) : chalk;
}

/** The earliest (or, with `later`, the latest) of ISO times; times that do not parse lose. */
function extreme(times: readonly string[], later: boolean): string {
  let best = times[0] ?? '';
  for (const t of times.slice(1)) {
    const x = Date.parse(t);
    const y = Date.parse(best);
    if (Number.isNaN(y) || (!Number.isNaN(x) && (later ? x > y : x < y))) best = t;
  }
  return best;
}

function sameLlm(a: RunInfo['llm'], b: RunInfo['llm']): boolean {
  return a === undefined || b === undefined ? a === b : JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The run.json of merged runs: the first run's rubric (all share it), inputs counted over all runs
 * (calls and failed as merged), the earliest start and the latest end, and this command. `llm` is
 * kept only when every run has the same (one model, prompt version and criteria).
 */
export function mergeRunInfo(runs: readonly RunInfo[], counts: MergedCounts, command: string[]): RunInfo {
  const first = runs[0];
  if (!first) throw new Error('mergeRunInfo: no runs');
  const llm = first.llm;
  return {
    schema_version: RESULTS_SCHEMA_VERSION,
    callqaVersion: VERSION,
    rubric: first.rubric,
    ...(llm && runs.every((r) => sameLlm(r.llm, llm)) ? { llm } : {}),
    layout: first.layout,
    inputs: {
      files: runs.reduce((n, r) => n + r.inputs.files, 0),
      calls: counts.calls,
      failed: counts.errors,
      skipped: runs.reduce((n, r) => n + r.inputs.skipped, 0),
      ...mergedSkippedKinds(runs),
    },
    startedAt: extreme(
      runs.map((r) => r.startedAt),
      false,
    ),
    endedAt: extreme(
      runs.map((r) => r.endedAt),
      true,
    ),
    command,
    ...counts.duplicates,
  };
}

/** The kinds of entries the runs skipped, added up (keys are the inputs' extensions: no prototype). */
function mergedSkippedKinds(runs: readonly RunInfo[]): { skippedKinds?: Record<string, number> } {
  const kinds: Record<string, number> = Object.create(null);
  let any = false;
  for (const run of runs) {
    for (const [kind, n] of Object.entries(run.inputs.skippedKinds ?? {})) {
      if (!Number.isSafeInteger(n) || n < 0) continue;
      kinds[kind] = (kinds[kind] ?? 0) + n;
      any = true;
    }
  }
  return any ? { skippedKinds: kinds } : {};
}

/** Notes for the person merging: runs of different callqa versions, or with different models or prompts. */
function mergeNotes(runs: readonly SavedRun[]): string[] {
  const notes: string[] = [];
  const versions = [...new Set(runs.map((r) => r.info.callqaVersion))];
  if (versions.length > 1)
    notes.push(`the runs were scored by different callqa versions (${versions.map(printable).join(', ')}): their scores may differ in method`);
  const first = runs[0]?.info.llm;
  if (runs.some((r) => !sameLlm(r.info.llm, first))) {
    const how = [...new Set(runs.map((r) => (r.info.llm ? `${r.info.llm.model} (prompt ${r.info.llm.promptVersion})` : 'no llm')))];
    notes.push(`the runs differ in their model or grading prompt: ${how.map(printable).join(', ')}; run.json records no llm`);
  }
  return notes;
}

/**
 * Masks personal numbers again in a record's text (records from callqa score are masked already:
 * masking is idempotent, so they are unchanged; a results file from elsewhere gets masked).
 * Keys keep their order, so a record written back is byte for byte the record read.
 */
function remask(record: CallRecord): CallRecord {
  record.findings = record.findings.map((f) => ({ ...f, message: maskPersonalNumbers(f.message), evidence: maskPersonalNumbers(f.evidence) }));
  record.utterances = record.utterances.map((u) => ({ ...u, text: maskPersonalNumbers(u.text) }));
  record.ruleErrors = record.ruleErrors.map((e) => ({ ...e, error: maskPersonalNumbers(e.error) }));
  if (record.llm) {
    const llm = { ...record.llm };
    if (llm.grades) llm.grades = llm.grades.map((g) => ({ ...g, reason: maskPersonalNumbers(g.reason), evidence: g.evidence.map(maskPersonalNumbers) }));
    if (llm.error !== undefined) llm.error = maskPersonalNumbers(llm.error);
    record.llm = llm;
  }
  return record;
}

/** An error record as errors.csv and results.jsonl take it: its fields in their order, without type and version (ReportDir masks its message). */
function inputError(record: ErrorRecord): InputError {
  const { type: _type, schema_version: _version, ...error } = record;
  return error;
}

/** Agents for the summary on a terminal: names and ids without control characters. */
function printableAgents(agents: readonly AgentStats[]): AgentStats[] {
  return agents.map((a) => ({ ...a, agentId: printable(a.agentId), agentName: printable(a.agentName) }));
}

/**
 * `callqa report RESULTS…  --out DIR`: renders the reports again from saved results (a
 * results.jsonl, or a report directory holding one), merging several runs of one rubric into the
 * reports one run over all their inputs would have written. Streams: memory holds one record per
 * input and the per-agent aggregates. Exit codes as callqa score: 0; 2 (usage: a missing file,
 * different rubrics, a bad record; nothing written); 3 (error records: errors.csv); 4 (LLM grading
 * failed for some calls).
 */
export async function runReport(files: string[], opts: ReportOptions, io: ReportStreams): Promise<number> {
  if (files.length === 0) {
    io.stderr.write('callqa report: name at least one results.jsonl or report directory\n');
    return EXIT.usage;
  }
  let runs: SavedRun[];
  try {
    runs = await openRuns(files);
  } catch (err) {
    if (!(err instanceof ResultsError)) throw err;
    io.stderr.write(`callqa: ${err.message}\n`);
    return EXIT.usage;
  }
  const first = runs[0] as SavedRun;
  for (const note of mergeNotes(runs)) io.stderr.write(`callqa: note: ${note}\n`);

  const opened = await ReportDir.openForRun(opts.out, first.info.layout, { bom: opts.bom }, io.stderr);
  if (!opened) return EXIT.usage;
  const unhook = exitOnSignal(opened.interrupt);
  // Test hook: a run held here, its reports opened and its signals handled (CALLQA_DEBUG_PAUSE_AT=start).
  await debugPause('start');
  const { report } = opened;

  const agents = new AgentAggregator();
  const totals: RunTotals = {
    calls: 0,
    passed: 0,
    scoreSum: 0,
    files: runs.reduce((n, r) => n + r.info.inputs.files, 0),
    inputErrors: 0,
    // The skipped files' extensions are not saved: the summary leaves them out (run.json counts them).
    skipped: 0,
    skippedExtensions: new Map(),
    repaired: 0,
    outDir: opts.out,
    rubricName: printable(first.info.rubric.name),
    passScore: first.info.rubric.passScore,
  };
  let llmErrors = 0;
  const duplicates = new DuplicateCallIds();
  try {
    for await (const record of mergeResults(runs.map((r) => r.resultsPath))) {
      if (record.type === 'error') {
        totals.inputErrors++;
        await report.addError(inputError(record));
        continue;
      }
      const call = remask(record);
      totals.calls++;
      duplicates.add(call.callId, call.source);
      totals.scoreSum += call.score;
      if (call.passed) totals.passed++;
      if (call.llm?.status === 'error') llmErrors++;
      agents.add(call);
      await report.addCall(call);
    }
    if (totals.calls === 0 && totals.inputErrors === 0) {
      await report.discard();
      io.stderr.write(`callqa: nothing to report: no call or error records in ${files.join(', ')}\n`);
      return EXIT.usage;
    }
    const info = mergeRunInfo(
      runs.map((r) => r.info),
      { calls: totals.calls, errors: totals.inputErrors, duplicates: duplicates.runInfo() },
      process.argv.slice(2),
    );
    await report.commit(agents.list(), info);
    const baseline = opts.baseline === undefined ? undefined : await readBaseline(opts.baseline);
    const warning = opts.baseline === undefined ? undefined : await baselineRubricWarning(opts.baseline, info.rubric);
    if (warning !== undefined) io.stderr.write(`callqa: warning: ${warning}\n`);
    // Written into a staging directory beside --out, put in place together at the end.
    await writeExtras(report.dir, { coaching: opts.coaching ?? false, xlsx: opts.xlsx ?? false, ...(baseline ? { baseline } : {}) });
    await opened.publish();
  } catch (err) {
    if (err instanceof InputProblem) {
      await report.discard();
      io.stderr.write(`callqa: ${err.message}\n`);
      return EXIT.usage;
    }
    await report.discard();
    if (!(err instanceof ResultsError)) throw err;
    io.stderr.write(`callqa: ${err.message}\nno reports were written\n`);
    return EXIT.usage;
  } finally {
    unhook();
    opened.release();
  }

  if (!opts.quiet) io.stdout.write(renderSummary(totals, printableAgents(agents.list()), terminalColours()));
  io.stderr.write(duplicates.describe());
  if (totals.inputErrors > 0) {
    io.stderr.write(`callqa: ${totals.inputErrors} input problem(s) listed in ${opts.out}/errors.csv\n`);
    return EXIT.inputErrors;
  }
  if (llmErrors > 0) {
    io.stderr.write(`callqa: LLM grading failed for ${llmErrors} call(s): see llm_status in calls.csv\n`);
    return EXIT.llmErrors;
  }
  return EXIT.ok;
}
