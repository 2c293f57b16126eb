import { figure, translate } from '../i18n/format.js';
import { rubricText } from '../i18n/rubric-text.js';
import { type Lang, localeLang } from '../i18n/lang.js';
import { messageText } from '../i18n/message.js';
import { titleOf } from '../render/html/words.js';
import {
  type HumanScoreFigures,
  calibrationRow,
  calibrationRows,
  CALIBRATION_COLUMNS,
  type Calibration,
  DISAGREEMENT_COLUMNS,
  type Disagreement,
  disagreementRow,
  calibrationWords,
  type CalibrationWords,
  humanScoreFigures,
  renderMarkdown,
  renderTable,
  ruleLabel,
} from '../calibrate/report.js';
import { type LabelSet, LabelsError, PROBLEMS_LISTED, readLabels } from '../calibrate/labels.js';
import type { LabelledCase } from '../calibrate/metrics.js';
import { discoverInputs, newTally } from '../ingest/index.js';
import { describeMissing, missingInputs } from '../ingest/missing-inputs.js';
import type { LlmOutcome } from '../llm/types.js';
import type { Channel, PreparedCall } from '../model/call.js';
import type { Rubric } from '../rubric/load.js';
import { rubricRoleOptions, type ScoreContext, scoreInput } from '../pipeline/score-input.js';
import { maskPersonalNumbers } from '../privacy/mask.js';
import { CsvFile, TextFile } from '../render/csv.js';
import { terminalText } from '../render/explain.js';
import { CALIBRATION_DIR, OutDir, OutDirProblem } from '../run/out-dir.js';
import { locateResults, readResults, readRunInfo, ResultsError } from '../results/read.js';
import { reportLayout } from '../render/tables.js';
import type { CallResult } from '../scoring/score-call.js';
import { clock } from '../util/format.js';
import { EXIT } from './exit-codes.js';
import { loadRubricOrReport } from './score-plan.js';
import type { Streams } from './score.js';

export interface CalibrateOptions {
  /** The language of what is written for people (default: the rubric's language, else en). */
  lang?: Lang;
  /** A results.jsonl or a report directory, instead of transcripts to score. */
  results?: string;
  rubric?: string;
  out: string;
  bom: boolean;
  minAgreement?: number;
  minPrecision?: number;
  llm?: boolean;
  llmModel?: string;
  /** A directory, or false for --no-llm-cache. */
  llmCache?: string | false;
  /** Reviews files (`--reviews`, repeatable): calibrate from the team's verdicts instead of a labels file. */
  reviews?: string[];
}

/** What calibration keeps of a labelled call: its score, and each rule's outcome and first finding. */
interface CallOutcomes {
  score: number;
  /** chat or social: a written conversation (counted as such in the human-score line). */
  channel?: Channel;
  outcomes: Map<string, string>;
  first: Map<string, { at?: number; evidence: string; message: string }>;
}

/** The rules calls were scored by (rubric order, then `llm:<id>`), the labelled calls, and what went wrong on the way. */
interface Scored {
  ruleIds: string[];
  calls: Map<string, CallOutcomes>;
  /** How many calls were read in all. */
  total: number;
  inputErrors: number;
  /** Whether any call holds the model's grading (labels on llm: rules need it). */
  graded: boolean;
  /** For calibration.md: where the outcomes came from. */
  source: string;
  /** Calls the model failed to grade (--llm). */
  llmErrors?: number;
  /** The run's language (the rubric's, or the saved run's unless --lang), and each rule's title in it. */
  words: CalibrationWords;
}

/** Every rule outcome and first finding of a call, `llm:<id>` criteria as rules: fail when the criterion deducted. */
function outcomesOf(result: Pick<CallResult, 'score' | 'outcomes' | 'findings' | 'llm' | 'channel'>, criteria: readonly string[]): CallOutcomes {
  const outcomes = new Map<string, string>(Object.entries(result.outcomes));
  const llm: LlmOutcome | undefined = result.llm;
  const graded = llm?.status === 'ok' || llm?.status === 'cached';
  for (const id of criteria) {
    const grade = graded ? llm?.grades?.find((g) => g.id === id) : undefined;
    outcomes.set(`llm:${id}`, llm?.status === 'error' ? 'error' : grade === undefined ? 'n/a' : grade.deduction > 0 ? 'fail' : 'pass');
  }
  const first = new Map<string, { at?: number; evidence: string; message: string }>();
  for (const f of result.findings) {
    if (first.has(f.rule)) continue;
    first.set(f.rule, { ...(f.at === undefined ? {} : { at: f.at }), evidence: maskPersonalNumbers(f.evidence), message: maskPersonalNumbers(f.message) });
  }
  return { score: result.score, outcomes, first, ...(result.channel === undefined ? {} : { channel: result.channel }) };
}

function wanted(labels: LabelSet): Set<string> {
  return new Set([...labels.labels.map((l) => l.callId), ...labels.humanScores.keys()]);
}

/** Keeps a labelled call's outcomes; a second call with the same id is named on stderr and left out. */
function keep(calls: Map<string, CallOutcomes>, id: string, outcomes: CallOutcomes, io: Streams, w: CalibrationWords): void {
  if (calls.has(id)) {
    io.stderr.write(`callqa: ${w.say('calibrate.duplicate-id', { id: terminalText(id) })}\n`);
    return;
  }
  calls.set(id, outcomes);
}

/** --llm's runner for the labelled calls, or 'stop' after saying on stderr why there can be none. */
async function llmRunner(rubric: Rubric, opts: CalibrateOptions, io: Streams, words: CalibrationWords): Promise<import('../llm/run.js').LlmRunner | 'stop'> {
  if (!rubric.llm) {
    io.stderr.write(`callqa: ${words.say('calibrate.llm-no-section', { flag: '--llm', path: rubric.path })}\n`);
    return 'stop';
  }
  const apiKey = process.env.ANTHROPIC_API_KEY;
  if (!apiKey) {
    io.stderr.write(`callqa: ${words.say('calibrate.llm-no-key', { flag: '--llm', key: 'ANTHROPIC_API_KEY', base: 'ANTHROPIC_BASE_URL' })}\n`);
    return 'stop';
  }
  if (opts.llmModel) rubric.llm = { ...rubric.llm, model: opts.llmModel };
  const { LlmRunner } = await import('../llm/run.js');
  const { DEFAULT_CACHE_DIR } = await import('../llm/cache.js');
  return LlmRunner.create(
    rubric.llm,
    { samples: 1, sendPii: false, concurrency: 4, timeoutSeconds: 120, cache: opts.llmCache ?? DEFAULT_CACHE_DIR, batch: false, dryRun: false },
    apiKey,
  );
}

/** Scores the inputs as callqa score does (scoreInput), keeping only the labelled calls; with --llm the model grades them. */
async function scoreInputs(inputs: readonly string[], labels: LabelSet, rubric: Rubric, opts: CalibrateOptions, io: Streams): Promise<Scored | undefined> {
  const missing = await missingInputs(inputs);
  if (missing.length > 0) {
    io.stderr.write(describeMissing(missing, rubric.lang));
    return undefined;
  }
  const layout = reportLayout(rubric);
  const titles = new Map(rubric.rules.map((r) => [r.id, r.title]));
  const words = calibrationWords(rubric.lang, (id) => titles.get(id) ?? id);
  const criteria = opts.llm ? (layout.criteria ?? []) : [];
  const llm = opts.llm ? await llmRunner(rubric, opts, io, words) : undefined;
  if (llm === 'stop') return undefined;
  const ids = wanted(labels);
  const calls = new Map<string, CallOutcomes>();
  const grading: Promise<[string, CallOutcomes]>[] = [];
  let total = 0;
  let inputErrors = 0;
  const tally = newTally();
  const ctx: ScoreContext = { rubric, roles: rubricRoleOptions(rubric), ingest: { lang: rubric.lang } };
  for await (const item of discoverInputs(inputs, tally)) {
    for await (const scored of scoreInput(item, ctx, tally)) {
      if (scored.error) {
        inputErrors++;
        const { source, line, error } = scored.error;
        io.stderr.write(`callqa: ${source}${line === undefined ? '' : `:${line}`}: ${error}\n`);
        continue;
      }
      total++;
      const { result, prepared } = scored;
      if (!ids.has(result.callId)) continue;
      if (!llm || !rubric.llm) {
        keep(calls, result.callId, outcomesOf(result, criteria), io, words);
        continue;
      }
      // Only labelled calls go to the model.
      const config = rubric.llm;
      const call: PreparedCall = prepared;
      grading.push(
        llm.grade(call).then(async (outcome) => {
          const { applyLlm } = await import('../llm/apply.js');
          return [result.callId, outcomesOf(applyLlm(result, outcome, config, rubric.passScore, call), criteria)];
        }),
      );
    }
  }
  if (llm) {
    const all = Promise.all(grading);
    await llm.flush();
    for (const [id, outcomes] of await all) keep(calls, id, outcomes, io, words);
    if (llm.totals.errors > 0) io.stderr.write(`callqa: ${words.say('calibrate.llm-failed', { count: llm.totals.errors })}\n`);
  }
  return {
    llmErrors: llm?.totals.errors ?? 0,
    ruleIds: [...layout.ruleIds, ...criteria.map((id) => `llm:${id}`)],
    calls,
    total,
    inputErrors,
    graded: opts.llm === true,
    source: words.say(opts.llm ? 'calibrate.source.scored-llm' : 'calibrate.source.scored', {
      inputs,
      rubric: rubricText(rubric.name, rubric.lang, rubric.language) ?? rubric.name,
      path: rubric.path,
    }),
    words,
  };
}

/** Reads a results.jsonl (or a report directory's), keeping only the labelled calls. */
async function readSaved(arg: string, labels: LabelSet, lang: Lang | undefined, io: Streams): Promise<Scored | undefined> {
  const ids = wanted(labels);
  const calls = new Map<string, CallOutcomes>();
  let total = 0;
  let inputErrors = 0;
  let graded = false;
  let ruleIds: string[] | undefined;
  let criteria: string[] | undefined;
  let source = arg;
  // Results copied without their run.json: English (as a run before languages), the rules as the first call lists them.
  let words = calibrationWords(lang ?? 'en', titleOf(undefined, lang ?? 'en'));
  // What cannot be read is said in the run's language once run.json is read; before, in --lang's, else the locale's.
  let said: Lang | undefined = lang;
  try {
    const { resultsPath, dir } = await locateResults(arg);
    try {
      const run = await readRunInfo(dir);
      ruleIds = [...run.layout.ruleIds];
      criteria = [...(run.layout.criteria ?? [])];
      const runLang = lang ?? run.rubric.lang ?? 'en';
      said = runLang;
      words = calibrationWords(runLang, titleOf(run, runLang));
      source = words.say('calibrate.source.saved', { results: resultsPath, rubric: run.rubric.name, path: run.rubric.path });
    } catch (err) {
      if (!(err instanceof ResultsError)) throw err;
    }
    for await (const r of readResults(resultsPath)) {
      if (r.type === 'error') {
        inputErrors++;
        continue;
      }
      total++;
      ruleIds ??= Object.keys(r.outcomes);
      criteria ??= r.llm?.grades?.map((g) => g.id) ?? [];
      if (r.llm?.status === 'ok' || r.llm?.status === 'cached') graded = true;
      if (ids.has(r.callId)) keep(calls, r.callId, outcomesOf(r, criteria), io, words);
    }
  } catch (err) {
    if (!(err instanceof ResultsError)) throw err;
    io.stderr.write(`callqa: ${messageText(said ?? localeLang(), err.said)}\n`);
    return undefined;
  }
  return { ruleIds: [...(ruleIds ?? []), ...(criteria ?? []).map((id) => `llm:${id}`)], calls, total, inputErrors, graded, source, words };
}

/** The language a saved run was written in (run.json's; English for results without it, or before languages). */
async function savedLang(arg: string): Promise<Lang> {
  try {
    const { dir } = await locateResults(arg);
    return (await readRunInfo(dir)).rubric.lang ?? 'en';
  } catch (err) {
    // readSaved reports what cannot be read; here only the language is wanted.
    if (err instanceof ResultsError) return 'en';
    throw err;
  }
}

/** Labels that name a call or a rule callqa did not score: problems naming the file and line. */
function unknownLabels(labels: LabelSet, scored: Scored, resultsMode: boolean): string[] {
  const { say } = scored.words;
  const problems: string[] = [];
  const rules = new Set(scored.ruleIds);
  const n = scored.inputErrors;
  const unknownCall = (id: string) =>
    n > 0
      ? say(n === 1 ? 'calibrate.unknown-call-unread.one' : 'calibrate.unknown-call-unread.other', { id, total: scored.total, count: n })
      : say('calibrate.unknown-call', { id, total: scored.total });
  for (const l of labels.labels) {
    const where = `${l.file}:${l.line}`;
    if (!scored.calls.has(l.callId)) problems.push(`${where}: ${unknownCall(l.callId)}`);
    else if (!rules.has(l.rule)) {
      const llmHint = l.rule.startsWith('llm:') && !resultsMode && !scored.ruleIds.some((r) => r.startsWith('llm:'));
      const params = { rule: l.rule, rules: scored.ruleIds, flag: '--llm' };
      problems.push(`${where}: ${say(llmHint ? 'calibrate.unknown-rule-llm' : 'calibrate.unknown-rule', params)}`);
    } else if (l.rule.startsWith('llm:') && !scored.graded) {
      problems.push(`${where}: ${say('calibrate.not-graded', { rule: l.rule, flag: '--llm' })}`);
    }
  }
  for (const h of labels.humanScores.values()) if (!scored.calls.has(h.callId)) problems.push(`${h.file}:${h.line}: ${unknownCall(h.callId)}`);
  return problems;
}

function listProblems(problems: readonly string[], io: Streams, w?: CalibrationWords): void {
  // Call ids, rules and notes are the file's: no control character reaches the terminal.
  for (const p of problems.slice(0, PROBLEMS_LISTED)) io.stderr.write(`callqa: ${terminalText(p)}\n`);
  const more = problems.length - PROBLEMS_LISTED;
  if (more > 0) io.stderr.write(`callqa: ${(w ?? calibrationWords('en')).say('calibrate.more-problems', { count: more })}\n`);
}

/** Joins labels with outcomes: the cases of each rule, the disagreements, the human-score pairs. */
export function calibrate(labels: LabelSet, ruleIds: readonly string[], calls: ReadonlyMap<string, CallOutcomes>): Calibration {
  const cases = new Map<string, LabelledCase[]>();
  const disagreements: Disagreement[] = [];
  for (const l of labels.labels) {
    const call = calls.get(l.callId);
    if (!call) continue;
    const got = call.outcomes.get(l.rule) ?? 'n/a';
    let list = cases.get(l.rule);
    if (!list) {
      list = [];
      cases.set(l.rule, list);
    }
    list.push({ label: l.verdict, got });
    if (got === l.verdict) continue;
    const f = call.first.get(l.rule);
    disagreements.push({
      callId: l.callId,
      rule: l.rule,
      label: l.verdict,
      got,
      ...(f?.at === undefined ? {} : { at: clock(f.at) }),
      evidence: f?.evidence ?? '',
      message: f?.message ?? '',
      note: l.note,
    });
  }
  const pairs: HumanScoreFigures['pairs'] = [];
  for (const h of labels.humanScores.values()) {
    const call = calls.get(h.callId);
    if (call) pairs.push({ callId: h.callId, human: h.score, callqa: call.score, ...(call.channel === undefined ? {} : { channel: call.channel }) });
  }
  return { ...calibrationRows(ruleIds, cases), disagreements, ...(pairs.length > 0 ? { human: humanScoreFigures(pairs) } : {}) };
}

/** Writes the three files into a staging directory put in place of --out at once (src/report/out-dir.ts). */
async function writeOut(c: Calibration, scored: Pick<Scored, 'source' | 'words'>, opts: CalibrateOptions, labels: string, io: Streams): Promise<boolean> {
  let outDir: OutDir;
  try {
    outDir = await OutDir.open(opts.out, false, CALIBRATION_DIR);
  } catch (err) {
    const text =
      err instanceof OutDirProblem
        ? messageText(scored.words.lang, err.said)
        : scored.words.say('command.cannot-write', { out: opts.out, error: (err as Error).message });
    io.stderr.write(`callqa: ${text}\n`);
    return false;
  }
  const files: TextFile[] = [];
  try {
    const table = new CsvFile(outDir.staging, 'calibration.csv', CALIBRATION_COLUMNS, { bom: opts.bom });
    files.push(table);
    // One row a rule, as the issue's contract says; the pooled figures are in calibration.md and on stdout.
    for (const r of c.rules) await table.write(calibrationRow(r));
    const dis = new CsvFile(outDir.staging, 'disagreements.csv', DISAGREEMENT_COLUMNS, { bom: opts.bom });
    files.push(dis);
    for (const d of c.disagreements) await dis.write(disagreementRow(d));
    const md = new TextFile(outDir.staging, 'calibration.md');
    files.push(md);
    await md.writeText(renderMarkdown(c, { labels, source: scored.source }, scored.words));
    for (const f of files) await f.close();
    for (const f of files) await f.commit();
    await outDir.publish();
    return true;
  } catch (err) {
    await Promise.all(files.map((f) => f.discard().catch(() => {})));
    await outDir.abandon();
    io.stderr.write(`callqa: ${scored.words.say('command.cannot-write', { out: opts.out, error: (err as Error).message })}\n`);
    return false;
  }
}

/** The rules under --min-agreement or --min-precision (a figure without a value is under neither). */
function gateFailures(c: Calibration, opts: CalibrateOptions, w: CalibrationWords): string[] {
  const failures: string[] = [];
  for (const r of c.rules) {
    const rule = ruleLabel(w, r.rule);
    if (opts.minAgreement !== undefined && r.agreement !== undefined && r.agreement < opts.minAgreement) {
      const value = figure(w.lang, r.agreement, 3);
      failures.push(w.say('calibrate.gate.agreement', { rule, value, flag: '--min-agreement', min: opts.minAgreement }));
    }
    if (opts.minPrecision !== undefined && r.precision !== undefined && r.precision < opts.minPrecision) {
      const value = figure(w.lang, r.precision, 3);
      failures.push(w.say('calibrate.gate.precision', { rule, value, flag: '--min-precision', min: opts.minPrecision }));
    }
  }
  return failures;
}

/** What is wrong with the command line before anything is read (in --lang, else the locale's language), if anything. */
function usageProblem(inputs: readonly string[], opts: CalibrateOptions): string | undefined {
  const lang = opts.lang ?? localeLang();
  const words = { command: 'calibrate', inputs: 'INPUT…', results: '--results FILE' };
  if (opts.results !== undefined && inputs.length > 0) return translate(lang, 'calibrate.inputs-and-results', words);
  if (opts.results === undefined && inputs.length === 0) return translate(lang, 'calibrate.nothing-to-compare', words);
  if (opts.results !== undefined && (opts.rubric !== undefined || opts.llm)) {
    return translate(lang, 'calibrate.results-scored', { results: '--results', flag: opts.rubric !== undefined ? '--rubric' : '--llm', inputs: 'INPUT…' });
  }
  return undefined;
}

/**
 * `callqa calibrate LABELS (INPUT… | --results FILE)`: callqa's outcomes against a reviewer's labels,
 * per rule, and its scores against human scores. Exit 0 done, 1 a rule under --min-agreement or
 * --min-precision, 2 usage errors (labels that cannot be read or name unknown calls or rules; nothing
 * written), 3 some inputs could not be read (the rest compared), 4 the model failed to grade some calls (--llm).
 */
export async function runCalibrate(labelsFile: string, inputs: readonly string[], opts: CalibrateOptions, io: Streams): Promise<number> {
  const usage = usageProblem(inputs, opts);
  if (usage !== undefined) {
    io.stderr.write(`callqa: ${usage}\n`);
    return EXIT.usage;
  }
  // The rubric first: its language is the one the labels file's problems are written in.
  const rubric = opts.results === undefined ? await loadRubricOrReport(opts.rubric, io.stderr, opts.lang) : undefined;
  if (opts.results === undefined && !rubric) return EXIT.usage;
  const lang = rubric?.lang ?? opts.lang ?? (opts.results !== undefined ? await savedLang(opts.results) : 'en');
  let labels: LabelSet;
  try {
    labels = await readLabels(labelsFile, lang);
  } catch (err) {
    if (!(err instanceof LabelsError)) throw err;
    listProblems(err.problems, io, calibrationWords(lang));
    return EXIT.usage;
  }
  const scored =
    opts.results !== undefined ? await readSaved(opts.results, labels, opts.lang, io) : rubric && (await scoreInputs(inputs, labels, rubric, opts, io));
  if (!scored) return EXIT.usage;
  const problems = unknownLabels(labels, scored, opts.results !== undefined);
  if (problems.length > 0) {
    listProblems(problems, io, scored.words);
    return EXIT.usage;
  }
  const result = calibrate(labels, scored.ruleIds, scored.calls);
  if (!(await writeOut(result, scored, opts, labelsFile, io))) return EXIT.usage;
  const w = scored.words;
  io.stdout.write(renderTable(result, w));
  const failures = gateFailures(result, opts, w);
  if (failures.length > 0) {
    io.stderr.write(`callqa: ${w.say(failures.length === 1 ? 'calibrate.gate.failed.one' : 'calibrate.gate.failed.other', { count: failures.length })}\n`);
    for (const f of failures) io.stderr.write(`  ${f}\n`);
    return EXIT.gate;
  }
  if (scored.inputErrors > 0) return EXIT.inputErrors;
  return (scored.llmErrors ?? 0) > 0 ? EXIT.llmErrors : EXIT.ok;
}

/**
 * `callqa calibrate`: from a labels file (LABELS INPUT… | LABELS --results FILE), or from reviews files
 * (--reviews FILE… [--results DIR]: calibrate-reviews.ts). A usage error (exit 2) when both or neither are given.
 */
export async function runCalibrateCommand(labels: string | undefined, inputs: readonly string[], opts: CalibrateOptions, io: Streams): Promise<number> {
  const lang = opts.lang ?? localeLang();
  if (opts.reviews && opts.reviews.length > 0) {
    const problem =
      labels !== undefined || inputs.length > 0
        ? translate(lang, 'review-calibration.with-labels', { flag: '--reviews' })
        : opts.minAgreement !== undefined
          ? translate(lang, 'review-calibration.min-agreement', { flag: '--min-agreement', reviews: '--reviews', precision: '--min-precision' })
          : undefined;
    if (problem !== undefined) {
      io.stderr.write(`callqa: ${problem}\n`);
      return EXIT.usage;
    }
    const { runReviewCalibration } = await import('./calibrate-reviews.js');
    return runReviewCalibration(opts.reviews, opts, io);
  }
  if (labels === undefined) {
    io.stderr.write(`callqa: ${translate(lang, 'calibrate.no-labels', { labels: 'LABELS', reviews: '--reviews FILE' })}\n`);
    return EXIT.usage;
  }
  return runCalibrate(labels, inputs, opts, io);
}
