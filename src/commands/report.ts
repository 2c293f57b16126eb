import { translate } from '../i18n/format.js';
import { type Lang, localeLang, savedLang } from '../i18n/lang.js';
import { type Message, messageText } from '../i18n/message.js';
import { InputProblem } from '../ingest/errors.js';
import type { HeaderStyle } from '../render/tables.js';
import { maskPersonalNumbers } from '../privacy/mask.js';
import { RESULTS_SCHEMA_VERSION, type CallRecord, inputErrorOf, type RunInfo } from '../results/codec.js';
import { findingsWriter, runIn } from '../results/languages.js';
import { locateResults, mergeResults, openRuns, RESULTS_FILE, RUN_FILE, ResultsError, readRunInfo, type SavedRun } from '../results/read.js';
import type { DuplicateCallIds } from '../run/duplicate-ids.js';
import type { FailRateLimit } from '../run/gates.js';
import { RunSinks } from '../run/sinks.js';
import type { AgentStats } from '../scoring/agents.js';
import { printable } from '../util/format.js';
import { exitOnSignal } from '../util/signals.js';
import { VERSION } from '../version.js';
import { keepHeapsNearLive } from '../util/heap.js';
import { EXIT } from './exit-codes.js';
import { runOutcome } from './output/outcome.js';
import { baselineOf, gatesOf, reviewsOf } from './score-plan.js';
import { applyVerdicts } from '../review/apply.js';

export interface ReportOptions {
  out: string;
  bom: boolean;
  /** `--headers`: CSV header rows as ids (default) or in the language (`lang`, else the saved run's). */
  headers?: HeaderStyle;
  /** `--lang`: the language of what is written for people (default: the saved run's). */
  lang?: Lang;
  quiet: boolean;
  coaching?: boolean;
  xlsx?: boolean;
  /** A previous report directory: agents.csv's and the coaching packs' change since then, and --max-score-drop. */
  baseline?: string;
  /** Gates, as `callqa score` has them. */
  failUnder?: number;
  maxFailRate?: FailRateLimit[];
  failOnCritical?: boolean;
  maxScoreDrop?: number;
  /** Keep every call's transcript in results.jsonl (of those the saved results hold). */
  keepTranscripts?: boolean;
  /** Reviews files (--reviews, repeatable): analysts' verdicts applied to the findings they name (review/apply.ts). */
  reviews?: string[];
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
  /** The verdicts applied (--reviews). */
  reviews?: RunInfo['reviews'];
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
    // Without --reviews, one run's verdicts stay as its records keep them, and so does its account of them.
    ...(counts.reviews ? { reviews: counts.reviews } : runs.length === 1 && first.reviews ? { reviews: first.reviews } : {}),
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

/** Notes for the person merging, in `lang`: runs of different callqa versions, or with different models or prompts. */
function mergeNotes(runs: readonly SavedRun[], lang: Lang): string[] {
  const notes: string[] = [];
  const versions = [...new Set(runs.map((r) => r.info.callqaVersion))];
  if (versions.length > 1) notes.push(translate(lang, 'report.note.versions', { versions: versions.map(printable) }));
  const first = runs[0]?.info.llm;
  if (runs.some((r) => !sameLlm(r.info.llm, first))) {
    // Each model and prompt once, in the order of the runs (told apart by their English text).
    const how = new Map<string, Message>();
    for (const { info } of runs) {
      const m: Message = info.llm
        ? { key: 'report.note.model', params: { model: printable(info.llm.model), version: printable(info.llm.promptVersion) } }
        : { key: 'report.note.no-model' };
      how.set(messageText('en', m), m);
    }
    notes.push(translate(lang, 'report.note.models', { models: [...how.values()].map((m) => messageText(lang, m)), file: RUN_FILE }));
  }
  return notes;
}

/** The language of the first run named, when its run.json can be read (runs refused together are said in it); else the locale's. */
async function firstRunLang(files: readonly string[]): Promise<Lang> {
  try {
    return savedLang((await readRunInfo((await locateResults(files[0] as string)).dir)).rubric);
  } catch {
    return localeLang();
  }
}

/**
 * Masks personal numbers again in a record's text (records from callqa score are masked already:
 * masking is idempotent, so they are unchanged; a results file from elsewhere gets masked).
 * Keys keep their order, so a record written back is byte for byte the record read.
 */
function remask(record: CallRecord): CallRecord {
  record.findings = record.findings.map((f) => ({ ...f, message: maskPersonalNumbers(f.message), evidence: maskPersonalNumbers(f.evidence) }));
  if (record.utterances) record.utterances = record.utterances.map((u) => ({ ...u, text: maskPersonalNumbers(u.text) }));
  record.ruleErrors = record.ruleErrors.map((e) => ({ ...e, error: maskPersonalNumbers(e.error) }));
  if (record.llm) {
    const llm = { ...record.llm };
    if (llm.grades) llm.grades = llm.grades.map((g) => ({ ...g, reason: maskPersonalNumbers(g.reason), evidence: g.evidence.map(maskPersonalNumbers) }));
    if (llm.error !== undefined) llm.error = maskPersonalNumbers(llm.error);
    record.llm = llm;
  }
  return record;
}

/** Agents for the summary on a terminal: names and ids without control characters. */
function printableAgents(agents: readonly AgentStats[]): AgentStats[] {
  return agents.map((a) => ({ ...a, agentId: printable(a.agentId), agentName: printable(a.agentName) }));
}

/**
 * `callqa report FILE…`: saved results (several runs' merged into one) → the sinks of `callqa score`
 * (run/sinks.ts): every report, the call pages by the same choice, the gates. Exit 0, 1 when a gate
 * fails, 2 on a usage error or unreadable results, 3 when the results list input problems, 4 when the
 * model's grading failed for some calls.
 */
export async function runReport(files: string[], opts: ReportOptions, io: ReportStreams): Promise<number> {
  if (files.length === 0) {
    io.stderr.write(`${translate(opts.lang ?? localeLang(), 'report.no-results', { command: 'callqa report', file: RESULTS_FILE })}\n`);
    return EXIT.usage;
  }
  keepHeapsNearLive();
  let runs: SavedRun[];
  try {
    runs = await openRuns(files);
  } catch (err) {
    if (!(err instanceof ResultsError)) throw err;
    io.stderr.write(`callqa: ${messageText(opts.lang ?? (await firstRunLang(files)), err.said)}\n`);
    return EXIT.usage;
  }
  // The reports' language: --lang, else the first run's. Runs scored in another are written in it again,
  // their findings from the messages results.jsonl keeps (findingsWriter), their rubric's words from run.json's texts.
  const lang = opts.lang ?? savedLang((runs[0] as SavedRun).info.rubric);
  const rewrite = runs.some((r) => savedLang(r.info.rubric) !== lang) ? findingsWriter((runs[0] as SavedRun).info.rubric, lang) : undefined;
  for (const run of runs) run.info = runIn(run.info, lang);
  const first = (runs[0] as SavedRun).info;
  for (const note of mergeNotes(runs, lang)) io.stderr.write(`callqa: ${note}\n`);
  const layout = { ...first.layout, ...(opts.baseline !== undefined ? { baseline: true } : {}) };
  const gates = gatesOf({ ...opts, maxFailRate: opts.maxFailRate ?? [] }, layout.ruleIds, io.stderr, lang);
  if (!gates) return EXIT.usage;
  const baseline = await baselineOf(opts.baseline, first.rubric, io.stderr);
  if (baseline === 'bad') return EXIT.usage;
  const reviews = await reviewsOf(opts.reviews, io.stderr, lang);
  if (reviews === 'bad') return EXIT.usage;
  let unhook = () => {};
  const sinks = await RunSinks.open(
    {
      out: opts.out,
      layout,
      rubric: first.rubric,
      bom: opts.bom,
      ...(opts.headers ? { headers: opts.headers, headerLang: first.rubric } : {}),
      quiet: opts.quiet,
      keepTranscripts: opts.keepTranscripts ?? false,
      gates,
      // The skipped files' extensions are not saved: the summary leaves them out (run.json counts them).
      totals: { files: runs.reduce((n, r) => n + r.info.inputs.files, 0), rubricName: printable(first.rubric.name) },
    },
    io.stderr,
    (interrupt) => {
      unhook = exitOnSignal(interrupt);
    },
  );
  if (!sinks) return EXIT.usage;
  let llmErrors = 0;
  try {
    for (const run of runs) sinks.pageStop(run.info);
    for await (const record of mergeResults(runs.map((r) => r.resultsPath))) {
      if (record.type === 'error') await sinks.error(inputErrorOf(record));
      else {
        if (record.llm?.status === 'error') llmErrors++;
        if (rewrite) record.findings = rewrite.write(record.findings);
        // Reviewed after the findings are written again in the language: the ids do not depend on it.
        const reviewed = reviews ? applyVerdicts(record, reviews.verdicts, first.rubric.passScore) : record;
        reviews?.see(reviewed);
        await sinks.record(remask(reviewed), false);
      }
    }
    if (sinks.totals.calls === 0 && sinks.totals.inputErrors === 0) {
      await sinks.discard();
      io.stderr.write(`callqa: ${translate(lang, 'report.nothing', { files })}\n`);
      return EXIT.usage;
    }
    const { totals, duplicates } = sinks;
    const run = mergeRunInfo(
      runs.map((r) => r.info),
      { calls: totals.calls, errors: totals.inputErrors, duplicates: duplicates.runInfo(), ...(reviews ? { reviews: reviews.runInfo() } : {}) },
      process.argv.slice(2),
    );
    await sinks.finish({ run, ...(baseline ? { baseline } : {}), coaching: opts.coaching ?? false, xlsx: opts.xlsx ?? false });
    io.stderr.write(reviews?.describeStale(lang) ?? '');
    // Findings saved before callqa kept them as messages cannot be written again: the reader is told how many.
    if (rewrite && rewrite.kept > 0) io.stderr.write(`callqa: ${translate(lang, 'report.findings-kept', { count: rewrite.kept })}\n`);
  } catch (err) {
    await sinks.discard();
    if (!(err instanceof ResultsError) && !(err instanceof InputProblem)) throw err;
    const said = err.said ? messageText(lang, err.said) : err.message;
    io.stderr.write(`callqa: ${said}\n${err instanceof ResultsError ? `${translate(lang, 'report.none-written')}\n` : ''}`);
    return EXIT.usage;
  } finally {
    sinks.close();
    unhook();
  }
  return runOutcome(sinks, { out: opts.out, quiet: opts.quiet, baseline, llmErrors, shown: printableAgents }, io);
}
