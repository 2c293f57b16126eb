import type { MessageKey, Translator } from '../i18n/format.js';
import { figure, translator } from '../i18n/format.js';
import type { Lang } from '../i18n/lang.js';
import type { Channel } from '../model/call.js';
import { inScope, writtenOnly } from '../i18n/written.js';
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
  /** Each call's pair, in labels-file order; `channel` where it is a written conversation. */
  pairs: { callId: string; human: number; callqa: number; channel?: Channel }[];
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

/** The words calibrate writes for people: the run's language, its translator, and each rule's title in it. */
export interface CalibrationWords {
  lang: Lang;
  say: Translator;
  /** A rule's title in `lang` (its id when it has none, as `llm:<id>` criteria). */
  title: (id: string) => string;
}

export function calibrationWords(lang: Lang, title: (id: string) => string = (id) => id): CalibrationWords {
  return { lang, say: translator(lang), title };
}

/** A rule as a reader sees it: English keeps the id (the stable name its tables always had), other languages the title beside it. */
export function ruleLabel(w: CalibrationWords, id: string): string {
  if (id === ALL_RULES) return w.say('calibrate.all');
  return w.lang === 'en' ? id : w.say('calibrate.rule', { title: w.title(id), id });
}

const VERDICT_KEYS: Readonly<Record<string, MessageKey>> = {
  pass: 'calibrate.verdict.pass',
  fail: 'calibrate.verdict.fail',
  'n/a': 'calibrate.verdict.n/a',
  error: 'calibrate.verdict.error',
};

function verdict(w: CalibrationWords, v: string): string {
  const key = Object.hasOwn(VERDICT_KEYS, v) ? VERDICT_KEYS[v] : undefined;
  return key ? w.say(key) : v;
}

function cells(r: RuleRow, empty: string, w: CalibrationWords): string[] {
  const fixed = (x: number | undefined) => (x === undefined ? empty : figure(w.lang, x, 3));
  return [ruleLabel(w, r.rule), figure(w.lang, r.labelled, 0), fixed(r.agreement), fixed(r.precision), fixed(r.recall), fixed(r.f1), fixed(r.kappa)];
}

const TABLE_KEYS: readonly MessageKey[] = [
  'calibrate.column.rule',
  'calibrate.column.labelled',
  'calibrate.column.agreement',
  'calibrate.column.precision',
  'calibrate.column.recall',
  'calibrate.column.f1',
  'calibrate.column.kappa',
];

/**
 * Rows as aligned columns: the first left-aligned, the rest right-aligned by display width (CJK counts two), a
 * rule above the last row (the pooled one).
 */
export function alignedTable(rows: readonly string[][]): string[] {
  const header = rows[0] ?? [];
  const widths = header.map((_, i) => Math.max(...rows.map((row) => displayWidth(row[i] ?? ''))));
  const pad = (cell: string, i: number) => ' '.repeat((widths[i] ?? 0) - displayWidth(cell));
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => (i === 0 ? cell + pad(cell, i) : pad(cell, i) + cell))
      .join('  ')
      .trimEnd();
  const out = rows.map(line);
  out.splice(rows.length - 1, 0, '-'.repeat(widths.reduce((s, w) => s + w, 0) + 2 * (widths.length - 1)));
  return out;
}

/** The table printed on stdout: aligned columns, `—` where a figure has no value, then the human-score line. */
export function renderTable(c: Calibration, w: CalibrationWords): string {
  const header = TABLE_KEYS.map((k) => w.say(k));
  let text = `${alignedTable([header, ...c.rules.map((r) => cells(r, '—', w)), cells(c.all, '—', w)]).join('\n')}\n`;
  text += `${w.say('calibrate.disagreements', { count: c.disagreements.length })}\n`;
  if (c.human) text += `${humanLine(c.human, w)}\n`;
  return text;
}

/** The words for the human scores: of chats and social threads only, conversations (段对话), not calls (通话). */
function scoped(h: HumanScoreFigures, w: CalibrationWords): CalibrationWords {
  return { ...w, say: inScope(w.say, writtenOnly(h.pairs.map((p) => [p.channel, 1] as const))) };
}

function humanLine(h: HumanScoreFigures, words: CalibrationWords): string {
  const w = scoped(h, words);
  return w.say(h.calls === 1 ? 'calibrate.human.one' : 'calibrate.human.other', {
    calls: h.calls,
    rho: h.spearman === undefined ? w.say('calibrate.rho-undefined') : figure(w.lang, h.spearman, 3),
    mae: h.mae === undefined ? '—' : figure(w.lang, h.mae, 1),
  });
}

/** Disagreements listed in calibration.md at most (disagreements.csv holds every one). */
const DISAGREEMENTS_SHOWN = 200;

/** Markdown cell text: pipes and line breaks would break the table, and `<` is never read as HTML. */
export function md(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/\r\n|\r|\n/g, ' ');
}

/** A markdown table's header and alignment lines: the first `left` columns left-aligned, the rest right. */
function tableHead(w: CalibrationWords, keys: readonly MessageKey[], left: number): string[] {
  return [`| ${keys.map((k) => w.say(k)).join(' | ')} |`, `|${keys.map((_, i) => (i < left ? ' --- ' : ' ---: ')).join('|')}|`];
}

function scoresSection(h: HumanScoreFigures, words: CalibrationWords): string[] {
  const w = scoped(h, words);
  const lines = [`## ${w.say('calibrate.md.scores')}`, '', w.say('calibrate.md.human', { line: humanLine(h, w) }), ''];
  if (h.spearman === undefined) lines.push(w.say('calibrate.md.rho-undefined'), '');
  const keys: MessageKey[] = ['calibrate.column.call', 'calibrate.column.human', 'calibrate.column.callqa', 'calibrate.column.difference'];
  lines.push(...tableHead(w, keys, 1));
  const n = (x: number) => figure(w.lang, x, 2, false);
  for (const p of h.pairs) lines.push(`| ${md(p.callId)} | ${n(p.human)} | ${n(p.callqa)} | ${n(round(p.callqa - p.human, 2))} |`);
  lines.push('');
  return lines;
}

function disagreementsSection(c: Calibration, w: CalibrationWords): string[] {
  const lines = [`## ${w.say('calibrate.md.disagreements')}`, ''];
  if (c.disagreements.length === 0) return [...lines, w.say('calibrate.md.no-disagreements'), ''];
  const shown = c.disagreements.slice(0, DISAGREEMENTS_SHOWN);
  const file = 'disagreements.csv';
  lines.push(
    shown.length < c.disagreements.length
      ? w.say('calibrate.md.disagreements-first', { file, shown: shown.length })
      : w.say('calibrate.md.disagreements-all', { file }),
    '',
  );
  const keys: MessageKey[] = ['call', 'rule', 'label', 'got', 'at', 'note'].map((k) => `calibrate.column.${k}` as MessageKey);
  lines.push(...tableHead(w, keys, keys.length));
  for (const d of shown) lines.push(`| ${[d.callId, ruleLabel(w, d.rule), verdict(w, d.label), verdict(w, d.got), d.at ?? '', d.note].map(md).join(' | ')} |`);
  lines.push('');
  return lines;
}

/** calibration.md: the table, what empty cells mean, the human scores, and the disagreements. */
export function renderMarkdown(c: Calibration, about: { labels: string; source: string }, w: CalibrationWords): string {
  const lines: string[] = [];
  lines.push(`# ${w.say('calibrate.md.title')}`, '');
  lines.push(w.say('calibrate.md.about', { labels: md(about.labels), source: md(about.source) }), '');
  lines.push(...tableHead(w, TABLE_KEYS, 1));
  for (const r of [...c.rules, c.all]) lines.push(`| ${cells(r, '', w).map(md).join(' | ')} |`);
  lines.push('', w.say('calibrate.md.figures'), '', w.say('calibrate.md.empty'), '');
  const undefinedKappa = c.rules.filter((r) => r.labelled > 0 && r.kappa === undefined).map((r) => `\`${md(ruleLabel(w, r.rule))}\``);
  if (undefinedKappa.length > 0) lines.push(w.say('calibrate.md.kappa-undefined', { rules: undefinedKappa }), '');
  if (c.human) lines.push(...scoresSection(c.human, w));
  lines.push(...disagreementsSection(c, w));
  return lines.join('\n');
}
