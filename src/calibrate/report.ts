import { round } from '../util/format.js';
import { displayWidth } from '../commands/output/summary.js';
import type { Cell } from '../render/csv.js';
import { type LabelledCase, meanAbsoluteError, type RuleMetrics, ruleMetrics, spearman } from './metrics.js';

/**
 * The tables of `callqa calibrate`, from the labels joined with callqa's outcomes: one row a rule
 * (calibration.csv), one a disagreement (disagreements.csv), the human-score figures, and the text
 * of calibration.md and of the table printed on stdout.
 */

/** calibration.csv's columns, a contract (README). */
export const CALIBRATION_COLUMNS = ['rule', 'labelled', 'agreement', 'precision', 'recall', 'f1', 'kappa', 'tp', 'fp', 'fn', 'tn'] as const;
/** disagreements.csv's columns, a contract (issue 16). */
export const DISAGREEMENT_COLUMNS = ['call_id', 'rule', 'label', 'got', 'at', 'evidence', 'message', 'note'] as const;
/** The pooled row of calibration.csv: every labelled case of every rule. */
export const ALL_RULES = '(all)';

export interface Disagreement {
  callId: string;
  rule: string;
  label: string;
  got: string;
  /** mm:ss of the first finding of the rule in the call. */
  at?: string;
  evidence: string;
  message: string;
  note: string;
}

export interface RuleRow extends RuleMetrics {
  rule: string;
}

export interface HumanScoreFigures {
  /** Calls with both a human score and callqa's. */
  calls: number;
  spearman?: number;
  mae?: number;
  /** Each call's pair, in labels-file order. */
  pairs: { callId: string; human: number; callqa: number }[];
}

export interface Calibration {
  rules: RuleRow[];
  all: RuleRow;
  disagreements: Disagreement[];
  human?: HumanScoreFigures;
}

/** Rules in order with their cases (rules without a label keep an empty row); the pooled row from every case. */
export function calibrationRows(ruleIds: readonly string[], cases: ReadonlyMap<string, readonly LabelledCase[]>): { rules: RuleRow[]; all: RuleRow } {
  const rules = ruleIds.map((rule) => ({ rule, ...ruleMetrics(cases.get(rule) ?? []) }));
  const pooled = ruleIds.flatMap((rule) => cases.get(rule) ?? []);
  return { rules, all: { rule: ALL_RULES, ...ruleMetrics(pooled) } };
}

export function humanScoreFigures(pairs: HumanScoreFigures['pairs']): HumanScoreFigures {
  const human = pairs.map((p) => p.human);
  const callqa = pairs.map((p) => p.callqa);
  const figures: HumanScoreFigures = { calls: pairs.length, pairs };
  const rho = spearman(callqa, human);
  if (rho !== undefined) figures.spearman = rho;
  const mae = meanAbsoluteError(callqa, human);
  if (mae !== undefined) figures.mae = mae;
  return figures;
}

const csvNumber = (x: number | undefined): Cell => (x === undefined ? undefined : round(x, 4));

export function calibrationRow(r: RuleRow): Cell[] {
  return [r.rule, r.labelled, csvNumber(r.agreement), csvNumber(r.precision), csvNumber(r.recall), csvNumber(r.f1), csvNumber(r.kappa), r.tp, r.fp, r.fn, r.tn];
}

export function disagreementRow(d: Disagreement): Cell[] {
  return [d.callId, d.rule, d.label, d.got, d.at, d.evidence, d.message, d.note];
}

const fixed = (x: number | undefined, empty: string) => (x === undefined ? empty : x.toFixed(3));

function cells(r: RuleRow, empty: string): string[] {
  return [r.rule, String(r.labelled), fixed(r.agreement, empty), fixed(r.precision, empty), fixed(r.recall, empty), fixed(r.f1, empty), fixed(r.kappa, empty)];
}

const TABLE_HEADER = ['rule', 'labelled', 'agreement', 'precision', 'recall', 'f1', 'kappa'];

/** The table printed on stdout: aligned columns, `—` where a figure has no value, then the human-score line. */
export function renderTable(c: Calibration): string {
  const rows = [TABLE_HEADER, ...c.rules.map((r) => cells(r, '—')), cells(c.all, '—')];
  const widths = TABLE_HEADER.map((_, i) => Math.max(...rows.map((row) => displayWidth(row[i] ?? ''))));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === 0 ? cell + ' '.repeat((widths[i] ?? 0) - displayWidth(cell)) : ' '.repeat((widths[i] ?? 0) - displayWidth(cell)) + cell))
      .join('  ')
      .trimEnd();
  const out = rows.map(line);
  out.splice(rows.length - 1, 0, '-'.repeat(widths.reduce((s, w) => s + w, 0) + 2 * (widths.length - 1)));
  let text = `${out.join('\n')}\n`;
  text += `disagreements: ${c.disagreements.length}\n`;
  if (c.human) text += `${humanLine(c.human)}\n`;
  return text;
}

function humanLine(h: HumanScoreFigures): string {
  return `human scores: ${h.calls} call${h.calls === 1 ? '' : 's'}; Spearman ρ ${h.spearman === undefined ? '— (undefined)' : h.spearman.toFixed(3)}; mean absolute error ${h.mae === undefined ? '—' : h.mae.toFixed(1)} points`;
}

/** Disagreements listed in calibration.md at most (disagreements.csv holds every one). */
const DISAGREEMENTS_SHOWN = 200;

/** Markdown cell text: pipes and line breaks would break the table, and `<` is never read as HTML. */
function md(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/\r\n|\r|\n/g, ' ');
}

/** calibration.md: the table, what empty cells mean, the human scores, and the disagreements. */
export function renderMarkdown(c: Calibration, about: { labels: string; source: string }): string {
  const lines: string[] = [];
  lines.push('# Calibration: agreement with human labels', '');
  lines.push(`Labels: \`${md(about.labels)}\`; outcomes: ${md(about.source)}.`, '');
  lines.push(`| ${TABLE_HEADER.join(' | ')} |`, `|${TABLE_HEADER.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`);
  for (const r of [...c.rules, c.all]) lines.push(`| ${cells(r, '').map(md).join(' | ')} |`);
  lines.push('');
  lines.push(
    '`agreement`: the share of labelled cases where callqa gave the label (pass, fail and n/a apart). `precision`: the share of',
    "callqa's deductions (`fail`) labelled `fail`; `recall`: the share of `fail` labels callqa deducted; `f1`: their harmonic mean;",
    "`kappa`: Cohen's κ, agreement beyond chance. `(all)` pools every labelled case.",
    '',
    'An empty cell has no value on these labels: `precision` when callqa deducted nothing, `recall` when nothing is labelled',
    '`fail`, `f1` when neither side says `fail`, `kappa` when both sides gave every case one and the same class (chance then',
    'explains all the agreement, and κ is undefined), all of them when the rule has no label.',
    '',
  );
  const undefinedKappa = c.rules.filter((r) => r.labelled > 0 && r.kappa === undefined).map((r) => r.rule);
  if (undefinedKappa.length > 0) lines.push(`κ is undefined for: ${undefinedKappa.map((r) => `\`${md(r)}\``).join(', ')}.`, '');
  if (c.human) {
    lines.push('## Scores', '', `${humanLine(c.human)}.`, '');
    if (c.human.spearman === undefined) lines.push('ρ is undefined with fewer than two calls, or when either side gives every call the same score.', '');
    lines.push('| call_id | human | callqa | difference |', '| --- | ---: | ---: | ---: |');
    for (const p of c.human.pairs) lines.push(`| ${md(p.callId)} | ${p.human} | ${p.callqa} | ${round(p.callqa - p.human, 2)} |`);
    lines.push('');
  }
  lines.push('## Disagreements', '');
  if (c.disagreements.length === 0) lines.push('None: callqa gave every label.', '');
  else {
    const shown = c.disagreements.slice(0, DISAGREEMENTS_SHOWN);
    const more = c.disagreements.length - shown.length;
    lines.push(`Every one is in disagreements.csv with the finding’s time, evidence and message${more > 0 ? `; the first ${shown.length} here` : ''}.`, '');
    lines.push('| call_id | rule | label | got | at | note |', '| --- | --- | --- | --- | --- | --- |');
    for (const d of shown) lines.push(`| ${[d.callId, d.rule, d.label, d.got, d.at ?? '', d.note].map(md).join(' | ')} |`);
    lines.push('');
  }
  return lines.join('\n');
}
