import { standingFindings } from '../review/verdict.js';
import { en, type MessageKey } from '../i18n/catalogs/en.js';
import { CATALOGS, type Translator, translate } from '../i18n/format.js';
import { maskPersonalNumbers } from '../privacy/mask.js';
import type { AgentStats } from '../scoring/agents.js';
import { averageScore } from '../scoring/agents.js';
import type { CallResult } from '../scoring/score-call.js';
import type { InputError } from '../ingest/errors.js';
import { findingIds } from '../review/ids.js';
import type { Rubric } from '../rubric/load.js';
import { clock, round } from '../util/format.js';
import type { Cell, CsvOptions } from './csv.js';
import { DEFAULT_LANG, type Lang, LANGS } from '../i18n/lang.js';

/** How report.xlsx types a column's cells: the CSVs hold text, the workbook numbers, percentages and booleans. */
export type CellKind = 'text' | 'wrap' | 'number' | 'percent' | 'boolean';

/** A report column: its name in the header, and the kind of its cells. */
export interface Column {
  name: string;
  kind: CellKind;
  /** What report.xlsx's header says of a rule's or criterion's column (xlsxLabel); a fixed column's label is its catalog entry. */
  label?: ColumnLabel;
}

/** A column named after a rule (calls: its outcome; agents: its failed calls) or an LLM criterion (calls: the grade; agents: the mean). */
export type ColumnLabel = { rule: string; fails?: boolean } | { criterion: string; mean?: boolean };

const names = (columns: readonly Column[]): string[] => columns.map((c) => c.name);

/**
 * The columns of each report file and the kind of their cells, declared together so the CSV headers
 * and the workbook's types cannot drift apart; the names are a contract analysts and later tools build on.
 */
const CALL_FIXED: readonly Column[] = [
  { name: 'call_id', kind: 'text' },
  { name: 'agent_id', kind: 'text' },
  { name: 'agent_name', kind: 'text' },
  { name: 'source', kind: 'text' },
  { name: 'duration_seconds', kind: 'number' },
  { name: 'agent_chars_per_minute', kind: 'number' },
  { name: 'hangup_by', kind: 'text' },
  { name: 'score', kind: 'number' },
  { name: 'passed', kind: 'boolean' },
  { name: 'findings', kind: 'number' },
  { name: 'role_source', kind: 'text' },
  { name: 'queue', kind: 'text' },
  { name: 'direction', kind: 'text' },
  { name: 'critical_failures', kind: 'text' },
  // Last, so the columns before it stay where analysts' sheets expect them; empty for a voice call.
  { name: 'channel', kind: 'text' },
];

export const CALL_COLUMNS: readonly string[] = names(CALL_FIXED);

const AGENT_FIXED: readonly Column[] = [
  { name: 'agent_id', kind: 'text' },
  { name: 'agent_name', kind: 'text' },
  { name: 'calls', kind: 'number' },
  { name: 'avg_score', kind: 'number' },
  { name: 'min_score', kind: 'number' },
  { name: 'max_score', kind: 'number' },
  { name: 'pass_rate', kind: 'percent' },
  { name: 'avg_chars_per_minute', kind: 'number' },
  { name: 'findings', kind: 'number' },
];

export const AGENT_COLUMNS: readonly string[] = names(AGENT_FIXED);

/** With --baseline: the change in average score (points) and in pass rate (a fraction, shown as a percent). */
const DELTA_COLUMNS: readonly Column[] = [
  { name: 'avg_score_delta', kind: 'number' },
  { name: 'pass_rate_delta', kind: 'percent' },
];

/** `status`: `deducted`, or `review` (deduction 0: the rule could not decide, or is on trial; an analyst should look). */
export const FINDING_TABLE: readonly Column[] = [
  { name: 'call_id', kind: 'text' },
  { name: 'agent_id', kind: 'text' },
  { name: 'agent_name', kind: 'text' },
  { name: 'rule', kind: 'text' },
  { name: 'at_seconds', kind: 'number' },
  { name: 'at', kind: 'text' },
  { name: 'deduction', kind: 'number' },
  { name: 'message', kind: 'wrap' },
  { name: 'evidence', kind: 'wrap' },
  { name: 'status', kind: 'text' },
  // Last, so that an analyst's Excel sheet keeps the report's columns where they were: the id names the finding
  // across runs (src/review/ids.ts); verdict and review_note are left for the analyst to fill in (issue 19).
  { name: 'finding_id', kind: 'text' },
  { name: 'verdict', kind: 'text' },
  { name: 'review_note', kind: 'wrap' },
];

export const FINDING_COLUMNS: readonly string[] = names(FINDING_TABLE);

export const ERROR_TABLE: readonly Column[] = [
  { name: 'source', kind: 'text' },
  { name: 'line', kind: 'number' },
  { name: 'error', kind: 'wrap' },
];

export const ERROR_COLUMNS: readonly string[] = names(ERROR_TABLE);

/** `reason`: what `kind` says, in the run's language, for people (`kind` stays the id pipelines filter on). */
export const UNMATCHED_COLUMNS = ['kind', 'call_id', 'source', 'line', 'reason'] as const;

export interface UnmatchedEntry {
  kind: 'call-without-metadata' | 'metadata-without-call';
  callId: string;
  source: string;
  line?: number | undefined;
}

export function unmatchedRow(e: UnmatchedEntry, lang: Lang = DEFAULT_LANG): Cell[] {
  return [e.kind, e.callId, e.source, e.line, translate(lang, `unmatched.${e.kind}`)];
}

/** What varies between runs: the rubric's rule columns, and its LLM criteria when it has an llm section. */
export interface ReportLayout {
  ruleIds: readonly string[];
  /** Criterion ids of the rubric's llm section; undefined: no LLM columns at all. */
  criteria?: readonly string[];
  /** With --baseline: agents.csv gains avg_score_delta and pass_rate_delta. */
  baseline?: boolean;
}

/** The report columns a rubric makes: its visible rules, and its LLM criteria when it has an llm section. */
export function reportLayout(rubric: Pick<Rubric, 'rules' | 'llm'>, options: { baseline?: boolean } = {}): ReportLayout {
  return {
    ruleIds: rubric.rules.filter((r) => !r.options.hidden).map((r) => r.id),
    ...(rubric.llm ? { criteria: rubric.llm.criteria.map((c) => c.id) } : {}),
    ...(options.baseline ? { baseline: true } : {}),
  };
}

/** An agent's change against the baseline (undefined: the agent is new since then). */
export interface AgentDelta {
  avgScoreDelta?: number;
  passRateDelta?: number;
}

const LLM_CALL_FIXED: readonly Column[] = [
  { name: 'llm_status', kind: 'text' },
  { name: 'llm_model', kind: 'text' },
  { name: 'llm_unverified', kind: 'text' },
  { name: 'llm_input_tokens', kind: 'number' },
  { name: 'llm_output_tokens', kind: 'number' },
  { name: 'llm_cache_read_tokens', kind: 'number' },
];

/** A criterion's score column (calls: the call's grade; agents: the agent's mean). */
const criterionColumns = (criteria: readonly string[] | undefined, mean = false): Column[] =>
  (criteria ?? []).map((id) => ({ name: `llm:${id}`, kind: 'number', label: { criterion: id, mean } }));

/** calls.csv's columns: the fixed ones, the LLM ones with an llm section, a rule's outcome (pass, fail, n/a) per rule, the criteria's scores. */
export function callColumns({ ruleIds, criteria }: ReportLayout): Column[] {
  return [
    ...CALL_FIXED,
    ...(criteria ? LLM_CALL_FIXED : []),
    ...ruleIds.map((id): Column => ({ name: id, kind: 'text', label: { rule: id } })),
    ...criterionColumns(criteria),
  ];
}

export function callHeader(layout: ReportLayout): string[] {
  return names(callColumns(layout));
}

function llmCells(r: CallResult, criteria: readonly string[]): { fixed: Cell[]; scores: Cell[] } {
  const llm = r.llm;
  const graded = llm?.status === 'ok' || llm?.status === 'cached';
  const grade = (id: string) => (graded ? llm?.grades?.find((g) => g.id === id) : undefined);
  return {
    fixed: [
      llm?.status ?? 'n/a',
      llm?.model,
      graded
        ? (llm?.grades ?? [])
            .filter((g) => g.unverified)
            .map((g) => g.id)
            .join(';')
        : undefined,
      llm?.usage?.input,
      llm?.usage?.output,
      llm?.usage?.cacheRead,
    ],
    scores: criteria.map((id) => grade(id)?.score),
  };
}

export function callRow(r: CallResult, { ruleIds, criteria }: ReportLayout): Cell[] {
  const llm = criteria ? llmCells(r, criteria) : undefined;
  return [
    r.callId,
    r.agentId,
    r.agentName,
    r.source,
    r.durationSeconds === undefined ? undefined : round(r.durationSeconds, 2),
    r.agentCharsPerMinute === undefined ? undefined : round(r.agentCharsPerMinute, 1),
    r.hangupBy,
    round(r.score, 2),
    r.passed,
    standingFindings(r.findings),
    r.roleSource,
    r.queue,
    r.direction,
    r.criticalFailures.join(';'),
    r.channel,
    ...(llm?.fixed ?? []),
    ...ruleIds.map((id) => r.outcomes[id] ?? 'n/a'),
    ...(llm?.scores ?? []),
  ];
}

/** agents.csv's columns: the fixed ones, the changes against --baseline, each rule's fail count, the criteria's mean scores. */
export function agentColumns({ ruleIds, criteria, baseline }: ReportLayout): Column[] {
  return [
    ...AGENT_FIXED,
    ...(baseline ? DELTA_COLUMNS : []),
    ...ruleIds.map((id): Column => ({ name: `${id}_fail`, kind: 'number', label: { rule: id, fails: true } })),
    ...criterionColumns(criteria, true),
  ];
}

export function agentHeader(layout: ReportLayout): string[] {
  return names(agentColumns(layout));
}

export function agentRow(a: AgentStats, { ruleIds, criteria, baseline }: ReportLayout, delta?: AgentDelta): Cell[] {
  return [
    a.agentId,
    a.agentName,
    a.calls,
    round(averageScore(a), 2),
    round(a.minScore, 2),
    round(a.maxScore, 2),
    round(a.passed / a.calls, 3),
    a.cpmCalls === 0 ? undefined : round(a.cpmSum / a.cpmCalls, 1),
    a.findings,
    ...(baseline
      ? [
          delta?.avgScoreDelta === undefined ? undefined : round(delta.avgScoreDelta, 2),
          delta?.passRateDelta === undefined ? undefined : round(delta.passRateDelta, 3),
        ]
      : []),
    ...ruleIds.map((id) => a.ruleFails.get(id) ?? 0),
    ...(criteria ?? []).map((id) => {
      const s = a.criterionScores.get(id);
      return s && s.n > 0 ? round(s.sum / s.n, 2) : undefined;
    }),
  ];
}

/** A finding's verdict and note as findings.csv's `verdict` and `review_note` say them (a verdict id). */
export interface ReviewCells {
  verdict: string;
  note: string;
}

/** A finding's review by its id (undefined: not reviewed, the cells stay empty). */
export type ReviewOf = (findingId: string) => ReviewCells | undefined;

/**
 * One row per finding; personal numbers in the message and the evidence are masked. The ids are computed
 * over the masked evidence, as findings.csv shows it, so that a run's ids match those read back from it.
 */
export function findingRows(r: CallResult, reviewOf?: ReviewOf): Cell[][] {
  const masked = r.findings.map((f) => ({ ...f, message: maskPersonalNumbers(f.message), evidence: maskPersonalNumbers(f.evidence) }));
  const ids = findingIds(r.callId, masked);
  return masked.map((f, i) => [r.callId, r.agentId, r.agentName, ...findingCells(f, true, ids[i] as string, reviewOf)]);
}

/**
 * A finding's cells of findings.csv after the call's three (call_id, agent_id, agent_name). `masked`: its
 * message and evidence are masked already (a record's findings are). `id`: its finding id, from findingIds
 * over the call's whole (masked) findings list. verdict and review_note: `reviewOf`'s when given, else the verdict
 * applied to the finding (--reviews, review/apply.ts), else empty.
 */
export function findingCells(f: CallResult['findings'][number], masked: boolean, id: string, reviewOf?: ReviewOf): Cell[] {
  const review: ReviewCells | undefined = reviewOf ? reviewOf(id) : f.review;
  return [
    f.rule,
    f.at === undefined ? undefined : round(f.at, 2),
    f.at === undefined ? undefined : clock(f.at),
    round(f.deduction, 2),
    masked ? f.message : maskPersonalNumbers(f.message),
    masked ? f.evidence : maskPersonalNumbers(f.evidence),
    f.status ?? 'deducted',
    id,
    review?.verdict,
    review?.note,
  ];
}

/** errors.csv's row of an input error whose message is masked already (ReportDir.addError masks it). */
export function errorRow(e: InputError): Cell[] {
  return [e.source, e.line, e.error];
}

/** `--headers`: the CSV header rows as the stable column ids (the default), or in the run's language for Excel users. */
export type HeaderStyle = 'ids' | 'localized';
export const HEADER_STYLES: readonly HeaderStyle[] = ['ids', 'localized'];

/** Every fixed column's id: each has a name per language (report.xlsx's `xlsx.column.<id>`, else `column.<id>`). */
const FIXED_IDS: ReadonlySet<string> = new Set(
  [CALL_FIXED, AGENT_FIXED, DELTA_COLUMNS, FINDING_TABLE, ERROR_TABLE, LLM_CALL_FIXED].flatMap((t) => t.map((c) => c.name)).concat(UNMATCHED_COLUMNS),
);

/** A fixed column's name: report.xlsx's label, so that a localized CSV and the workbook name it alike. */
const fixedKey = (id: string) => (Object.hasOwn(en, `xlsx.column.${id}`) ? `xlsx.column.${id}` : `column.${id}`) as MessageKey;

/**
 * A CSV header row in `lang`: fixed columns by their name, a rule's column by its title (`titles`, rule id →
 * title in `lang`), a rule's fail count and an LLM criterion's score by a sentence naming it. A fixed
 * column's id seen again is a rule of that id (rule columns follow the fixed ones); an unknown id stays.
 */
export function localizedHeader(ids: readonly string[], lang: Lang, titles: Readonly<Record<string, string>> = {}): string[] {
  const seen = new Set<string>();
  const title = (id: string) => (Object.hasOwn(titles, id) ? (titles[id] as string) : id);
  // agents.csv gives each criterion's mean, calls.csv each call's grade.
  const criterion = ids.includes('avg_score') ? 'xlsx.column.criterion-mean' : 'xlsx.column.criterion';
  return ids.map((id) => {
    if (FIXED_IDS.has(id) && !seen.has(id)) {
      seen.add(id);
      return translate(lang, fixedKey(id));
    }
    if (id.startsWith('llm:')) return translate(lang, criterion, { criterion: id.slice(4) });
    if (Object.hasOwn(titles, id)) return title(id);
    if (id.endsWith('_fail')) return translate(lang, 'xlsx.column.rule-fails', { rule: title(id.slice(0, -5)) });
    return id;
  });
}

/** The CSV option that writes header rows in `style` (`titles`: the rules' titles in `lang`, as run.json has them). */
export function headerOption(
  style: HeaderStyle | undefined,
  lang: Lang | undefined,
  titles?: Readonly<Record<string, string>>,
): Pick<CsvOptions, 'headerNames'> {
  if (style !== 'localized') return {};
  return { headerNames: (ids) => localizedHeader(ids, lang ?? DEFAULT_LANG, titles) };
}

let fixedById: ReadonlyMap<string, string> | undefined;

/** Each name a column of `layout` may have in a localized header row, in any language, → its id. */
function layoutNames(layout: Partial<ReportLayout>, titles: Readonly<Record<string, string>>): Map<string, string> {
  const byName = new Map<string, string>();
  for (const lang of LANGS) {
    for (const id of layout.ruleIds ?? []) {
      const key = `rule.${id}.title`;
      const names = [
        ...(Object.hasOwn(titles, id) ? [titles[id] as string] : []),
        ...(Object.hasOwn(CATALOGS[lang], key) ? [translate(lang, key as MessageKey)] : []),
      ];
      for (const name of names) {
        byName.set(name, id);
        byName.set(translate(lang, 'xlsx.column.rule-fails', { rule: name }), `${id}_fail`);
      }
    }
    for (const id of layout.criteria ?? []) {
      for (const key of ['xlsx.column.criterion', 'xlsx.column.criterion-mean'] as const) byName.set(translate(lang, key, { criterion: id }), `llm:${id}`);
    }
  }
  return byName;
}

/**
 * A header row read back (callqa report, --baseline, report.xlsx): each localized name of a fixed column, in
 * any of the three languages, as its id; with the run's `layout` (and its rules' `titles` as run.json has
 * them), a rule's, a fail count's and a criterion's names as theirs; anything else (ids, unknown names) as it is.
 */
export function headerIds(names: readonly string[], layout: Partial<ReportLayout> = {}, titles: Readonly<Record<string, string>> = {}): string[] {
  fixedById ??= new Map(LANGS.flatMap((lang) => [...FIXED_IDS].map((id): [string, string] => [translate(lang, fixedKey(id)), id])));
  const byName = layoutNames(layout, titles);
  return names.map((name) => fixedById?.get(name) ?? byName.get(name) ?? name);
}

/**
 * A column's header in report.xlsx, in the language of `say`: a fixed column's label from the catalog
 * (`xlsx.column.<name>`), a rule's column by the rule's title (`title`), a criterion's by its id. A
 * column the catalog does not know keeps its name.
 */
export function xlsxLabel(column: Column, say: Translator, title: (ruleId: string) => string): string {
  const label = column.label;
  if (label && 'rule' in label) return label.fails ? say('xlsx.column.rule-fails', { rule: title(label.rule) }) : title(label.rule);
  if (label) return say(label.mean ? 'xlsx.column.criterion-mean' : 'xlsx.column.criterion', { criterion: label.criterion });
  const key = `xlsx.column.${column.name}`;
  return Object.hasOwn(en, key) ? say(key as MessageKey) : column.name;
}
