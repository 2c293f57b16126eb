import { maskPersonalNumbers } from '../privacy/mask.js';
import type { AgentStats } from '../scoring/agents.js';
import { averageScore } from '../scoring/agents.js';
import type { CallResult } from '../scoring/score-call.js';
import type { InputError } from '../ingest/errors.js';
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

export const FINDING_COLUMNS = ['call_id', 'agent_id', 'agent_name', 'rule', 'at_seconds', 'at', 'deduction', 'message', 'evidence'] as const;

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

export function callHeader(ruleIds: readonly string[]): string[] {
  return [...CALL_COLUMNS, ...ruleIds];
}

export function callRow(r: CallResult, ruleIds: readonly string[]): Cell[] {
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
    ...ruleIds.map((id) => r.outcomes[id] ?? 'n/a'),
  ];
}

export function agentHeader(ruleIds: readonly string[]): string[] {
  return [...AGENT_COLUMNS, ...ruleIds.map((id) => `${id}_fail`)];
}

export function agentRow(a: AgentStats, ruleIds: readonly string[]): Cell[] {
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
    ...ruleIds.map((id) => a.ruleFails.get(id) ?? 0),
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
  ]);
}

export function errorRow(e: InputError): Cell[] {
  return [e.source, e.line, maskPersonalNumbers(e.error)];
}
