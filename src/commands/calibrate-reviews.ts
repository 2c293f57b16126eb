import { figure, ruleTitle } from '../i18n/format.js';
import { type Lang, localeLang, savedLang } from '../i18n/lang.js';
import { messageText } from '../i18n/message.js';
import { type CalibrationWords, calibrationWords, ruleLabel } from '../calibrate/report.js';
import { REVIEW_CALIBRATION_COLUMNS, renderReviewMarkdown, renderReviewTable, reviewCalibrationRow } from '../calibrate/review-report.js';
import { type ReviewCalibration, type ReviewedFinding, reviewCalibration } from '../calibrate/reviews.js';
import { CsvFile, TextFile } from '../render/csv.js';
import { titleIn } from '../results/languages.js';
import { locateResults, readResults, readRunInfo, ResultsError } from '../results/read.js';
import { findingIds } from '../review/ids.js';
import { readReviews } from '../review/read.js';
import type { Review } from '../review/verdict.js';
import { CALIBRATION_DIR, OutDir, OutDirProblem } from '../run/out-dir.js';
import type { CalibrateOptions } from './calibrate.js';
import { EXIT } from './exit-codes.js';
import type { Streams } from './score.js';

/** Verdicts that name no rule, listed by id on stderr at most. */
const UNPLACED_LISTED = 10;

/** A saved run (--results): where its results are, and its words; a problem reading it: undefined, said on stderr. */
async function savedRun(arg: string, given: Lang | undefined, io: Streams): Promise<{ resultsPath: string; words: CalibrationWords } | undefined> {
  try {
    const { resultsPath, dir } = await locateResults(arg);
    const run = await readRunInfo(dir);
    const lang = given ?? savedLang(run.rubric);
    return { resultsPath, words: calibrationWords(lang, titleIn(run.rubric, lang)) };
  } catch (err) {
    if (!(err instanceof ResultsError)) throw err;
    // Before run.json is read: in --lang's language, else the locale's.
    io.stderr.write(`callqa: ${messageText(given ?? localeLang(), err.said)}\n`);
    return undefined;
  }
}

/** The saved run's findings that were reviewed (by id: their rule and evidence); a problem reading them: undefined, said on stderr. */
async function reviewedFindings(
  resultsPath: string,
  reviewed: ReadonlySet<string>,
  lang: Lang,
  io: Streams,
): Promise<Map<string, ReviewedFinding> | undefined> {
  const found = new Map<string, ReviewedFinding>();
  try {
    for await (const r of readResults(resultsPath)) {
      if (r.type !== 'call') continue;
      findingIds(r.callId, r.findings).forEach((id, i) => {
        const f = r.findings[i];
        if (f && reviewed.has(id)) found.set(id, { rule: f.rule, evidence: f.evidence });
      });
    }
    return found;
  } catch (err) {
    if (!(err instanceof ResultsError)) throw err;
    io.stderr.write(`callqa: ${messageText(lang, err.said)}\n`);
    return undefined;
  }
}

/** review-calibration.csv and .md, put in place of --out at once. */
async function writeOut(c: ReviewCalibration, files: readonly string[], opts: CalibrateOptions, w: CalibrationWords, io: Streams): Promise<boolean> {
  let outDir: OutDir;
  try {
    outDir = await OutDir.open(opts.out, false, CALIBRATION_DIR);
  } catch (err) {
    const text = err instanceof OutDirProblem ? messageText(w.lang, err.said) : w.say('command.cannot-write', { out: opts.out, error: (err as Error).message });
    io.stderr.write(`callqa: ${text}\n`);
    return false;
  }
  const table = new CsvFile(outDir.staging, 'review-calibration.csv', REVIEW_CALIBRATION_COLUMNS, { bom: opts.bom });
  const md = new TextFile(outDir.staging, 'review-calibration.md');
  try {
    for (const r of c.rules) await table.write(reviewCalibrationRow(r));
    await md.writeText(renderReviewMarkdown(c, files, w));
    for (const f of [table, md]) await f.close();
    for (const f of [table, md]) await f.commit();
    await outDir.publish();
    return true;
  } catch (err) {
    await Promise.all([table, md].map((f) => f.discard().catch(() => {})));
    await outDir.abandon();
    io.stderr.write(`callqa: ${w.say('command.cannot-write', { out: opts.out, error: (err as Error).message })}\n`);
    return false;
  }
}

/** The rules under --min-precision (a rule with no decided verdict is under nothing). */
function gateFailures(c: ReviewCalibration, opts: CalibrateOptions, w: CalibrationWords): string[] {
  if (opts.minPrecision === undefined) return [];
  const min = opts.minPrecision;
  return c.rules
    .filter((r) => r.precision !== undefined && r.precision < min)
    .map((r) =>
      w.say('calibrate.gate.precision', { rule: ruleLabel(w, r.rule), value: figure(w.lang, r.precision as number, 3), flag: '--min-precision', min }),
    );
}

function noteUnplaced(unplaced: readonly Review[], w: CalibrationWords, io: Streams): void {
  if (unplaced.length === 0) return;
  io.stderr.write(`callqa: ${w.say('review-calibration.unplaced', { count: unplaced.length, flag: '--results' })}\n`);
  for (const r of unplaced.slice(0, UNPLACED_LISTED)) io.stderr.write(`  ${r.file}:${r.line} ${r.findingId}\n`);
}

/**
 * `callqa calibrate --reviews FILE… [--results DIR]`: each rule's precision in the team's eyes (the share of its
 * reviewed deductions confirmed), two reviewers' agreement (Cohen's κ), the rules most often overturned first
 * with their most often overturned evidence. Exit 0, 1 a rule under --min-precision, 2 a usage error or a
 * reviews file that cannot be read (each problem named).
 */
export async function runReviewCalibration(files: readonly string[], opts: CalibrateOptions, io: Streams): Promise<number> {
  // The saved run's language first (its run.json), so that the reviews files are read once, their problems said in it.
  const saved = opts.results === undefined ? undefined : await savedRun(opts.results, opts.lang, io);
  if (opts.results !== undefined && !saved) return EXIT.usage;
  const words = saved?.words ?? calibrationWords(opts.lang ?? localeLang(), (id) => ruleTitle(id, opts.lang ?? localeLang()));
  const { reviews, problems } = await readReviews(files, words.lang);
  if (problems.length > 0) {
    for (const p of problems) io.stderr.write(`callqa: ${p}\n`);
    return EXIT.usage;
  }
  if (reviews.length === 0) {
    io.stderr.write(`callqa: ${words.say('review-calibration.none', { files: [...files] })}\n`);
    return EXIT.usage;
  }
  // Every finding's id is kept only when reviewed.
  const found = saved
    ? await reviewedFindings(saved.resultsPath, new Set(reviews.map((r) => r.findingId)), words.lang, io)
    : new Map<string, ReviewedFinding>();
  if (!found) return EXIT.usage;
  const c = reviewCalibration(reviews, (id) => found.get(id));
  if (!(await writeOut(c, files, opts, words, io))) return EXIT.usage;
  io.stdout.write(renderReviewTable(c, words));
  noteUnplaced(c.unplaced, words, io);
  const failures = gateFailures(c, opts, words);
  if (failures.length === 0) return EXIT.ok;
  io.stderr.write(`callqa: ${words.say(failures.length === 1 ? 'calibrate.gate.failed.one' : 'calibrate.gate.failed.other', { count: failures.length })}\n`);
  for (const f of failures) io.stderr.write(`  ${f}\n`);
  return EXIT.gate;
}
