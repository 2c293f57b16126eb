import { maskPersonalNumbers } from '../privacy/mask.js';
import type { AgentStats } from '../scoring/agents.js';
import { averageScore } from '../scoring/agents.js';
import type { CallResult } from '../scoring/score-call.js';
import type { InputError } from '../ingest/errors.js';
import type { Rubric } from '../rubric/load.js';
import { clock, round } from '../util/format.js';
import type { Cell } from './csv.js';

/** The columns of each report file; the names are a contract analysts and later tools build on. */
export const CALL_COLUMNS = [
  'call_id',
  'agent_id',
  'agent_name',
  'source',
  'duration_seconds',
  'agent_chars_per_minute',
  'hangup_by',
  'score',
  'passed',
  'findings',
  'role_source',
  'queue',
  'direction',
  'critical_failures',
] as const;

export const AGENT_COLUMNS = [
  'agent_id',
  'agent_name',
  'calls',
  'avg_score',
  'min_score',
  'max_score',
  'pass_rate',
  'avg_chars_per_minute',
  'findings',
] as const;

/** `status`: `deducted`, or `review` (deduction 0: the rule could not decide, or is on trial; an analyst should look). */
export const FINDING_COLUMNS = ['call_id', 'agent_id', 'agent_name', 'rule', 'at_seconds', 'at', 'deduction', 'message', 'evidence', 'status'] as const;

export const ERROR_COLUMNS = ['source', 'line', 'error'] as const;

export const UNMATCHED_COLUMNS = ['kind', 'call_id', 'source', 'line'] as const;

export interface UnmatchedEntry {
  kind: 'call-without-metadata' | 'metadata-without-call';
  callId: string;
  source: string;
  line?: number | undefined;
}

export function unmatchedRow(e: UnmatchedEntry): Cell[] {
  return [e.kind, e.callId, e.source, e.line];
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

export const LLM_CALL_COLUMNS = ['llm_status', 'llm_model', 'llm_unverified', 'llm_input_tokens', 'llm_output_tokens', 'llm_cache_read_tokens'] as const;

export function callHeader({ ruleIds, criteria }: ReportLayout): string[] {
  return [...CALL_COLUMNS, ...(criteria ? LLM_CALL_COLUMNS : []), ...ruleIds, ...(criteria ?? []).map((id) => `llm:${id}`)];
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
    r.findings.length,
    r.roleSource,
    r.queue,
    r.direction,
    r.criticalFailures.join(';'),
    ...(llm?.fixed ?? []),
    ...ruleIds.map((id) => r.outcomes[id] ?? 'n/a'),
    ...(llm?.scores ?? []),
  ];
}

export function agentHeader({ ruleIds, criteria, baseline }: ReportLayout): string[] {
  return [
    ...AGENT_COLUMNS,
    ...(baseline ? ['avg_score_delta', 'pass_rate_delta'] : []),
    ...ruleIds.map((id) => `${id}_fail`),
    ...(criteria ?? []).map((id) => `llm:${id}`),
  ];
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

/** One row per finding; personal numbers in the message and the evidence are masked. */
export function findingRows(r: CallResult): Cell[][] {
  return r.findings.map((f) => [
    r.callId,
    r.agentId,
    r.agentName,
    f.rule,
    f.at === undefined ? undefined : round(f.at, 2),
    f.at === undefined ? undefined : clock(f.at),
    round(f.deduction, 2),
    maskPersonalNumbers(f.message),
    maskPersonalNumbers(f.evidence),
    f.status ?? 'deducted',
  ]);
}

/** errors.csv's row of an input error whose message is masked already (ReportDir.addError masks it). */
export function errorRow(e: InputError): Cell[] {
  return [e.source, e.line, e.error];
}
