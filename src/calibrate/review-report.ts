import { figure, type MessageKey } from '../i18n/format.js';
import type { Cell } from '../render/csv.js';
import { round } from '../util/format.js';
import { alignedTable, type CalibrationWords, md, ruleLabel } from './report.js';
import type { ReviewCalibration, ReviewRuleStats } from './reviews.js';

/** review-calibration.csv's columns, in order: one row a rule, the rules most overturned first. */
export const REVIEW_CALIBRATION_COLUMNS = [
  'rule',
  'reviewed',
  'confirmed',
  'rejected',
  'unsure',
  'precision',
  'pairs',
  'kappa',
  'overturned_evidence',
  'overturned_count',
] as const;

export function reviewCalibrationRow(r: ReviewRuleStats): Cell[] {
  const n = (x: number | undefined): Cell => (x === undefined ? undefined : round(x, 4));
  return [r.rule, r.reviewed, r.confirmed, r.rejected, r.unsure, n(r.precision), r.pairs, n(r.kappa), r.overturned?.evidence, r.overturned?.count];
}

const KEYS: readonly MessageKey[] = [
  'calibrate.column.rule',
  'review-calibration.column.reviewed',
  'review-calibration.column.confirmed',
  'review-calibration.column.rejected',
  'review-calibration.column.unsure',
  'review-calibration.column.precision',
  'review-calibration.column.pairs',
  'calibrate.column.kappa',
];

function cells(r: ReviewRuleStats, w: CalibrationWords): string[] {
  const fixed = (x: number | undefined) => (x === undefined ? '—' : figure(w.lang, x, 3));
  const whole = (x: number) => figure(w.lang, x, 0);
  return [ruleLabel(w, r.rule), whole(r.reviewed), whole(r.confirmed), whole(r.rejected), whole(r.unsure), fixed(r.precision), whole(r.pairs), fixed(r.kappa)];
}

/** One line a rule's most overturned evidence, under the table. */
function overturnedLines(c: ReviewCalibration, w: CalibrationWords): string[] {
  return c.rules.flatMap((r) =>
    r.overturned ? [w.say('review-calibration.overturned', { rule: ruleLabel(w, r.rule), evidence: r.overturned.evidence, count: r.overturned.count })] : [],
  );
}

/** The table printed on stdout (aligned columns, `—` where a figure has no value), then each rule's most overturned evidence. */
export function renderReviewTable(c: ReviewCalibration, w: CalibrationWords): string {
  const rows = [KEYS.map((k) => w.say(k)), ...c.rules.map((r) => cells(r, w)), cells(c.all, w)];
  return `${[...alignedTable(rows), ...overturnedLines(c, w)].join('\n')}\n`;
}

/** review-calibration.md: what was read, the table, and each rule's most overturned evidence. */
export function renderReviewMarkdown(c: ReviewCalibration, files: readonly string[], w: CalibrationWords): string {
  const lines = [`# ${w.say('review-calibration.md.title')}`, '', w.say('review-calibration.md.about', { files: files.map((f) => `\`${f}\``) }), ''];
  lines.push(`| ${KEYS.map((k) => w.say(k)).join(' | ')} |`, `|${KEYS.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`);
  for (const r of [...c.rules, c.all]) lines.push(`| ${cells(r, w).map(md).join(' | ')} |`);
  lines.push('', w.say('review-calibration.md.figures'), '');
  const overturned = overturnedLines(c, w);
  if (overturned.length > 0) lines.push(`## ${w.say('review-calibration.md.overturned')}`, '', ...overturned.map((l) => `- ${md(l)}`), '');
  return `${lines.join('\n')}\n`;
}
