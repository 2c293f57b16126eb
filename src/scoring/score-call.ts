import type { HangupBy, PreparedCall, RoleSource } from '../model/call.js';
import { agentSpeechRate } from '../metrics/speech-rate.js';
import type { Rubric } from '../rubric/load.js';
import type { Outcome } from '../rules/types.js';

export type RuleOutcome = Outcome | 'error';

export interface Finding {
  rule: string;
  at?: number;
  deduction: number;
  message: string;
  evidence: string;
}

/** Everything the reports need about one call; plain data, so it can cross threads and be saved. */
export interface CallResult {
  callId: string;
  agentId: string;
  agentName: string;
  source: string;
  line?: number;
  durationSeconds?: number;
  agentCharsPerMinute?: number;
  hangupBy: HangupBy;
  roleSource: RoleSource;
  queue?: string;
  direction?: string;
  score: number;
  passed: boolean;
  outcomes: Record<string, RuleOutcome>;
  findings: Finding[];
  /** Rules that threw: the call is still scored by the others, and the failure is listed as an error. */
  ruleErrors: { rule: string; error: string }[];
}

function callDuration(call: PreparedCall): number | undefined {
  let end: number | undefined;
  for (const u of call.utterances) {
    const t = u.end ?? u.start;
    if (t !== undefined && (end === undefined || t > end)) end = t;
  }
  return end;
}

/**
 * Runs every rule of the rubric on a call and turns findings into deductions: each finding costs
 * the rule's `deduction`, until the rule's `max_deduction` is used up (later findings cost what is
 * left, then 0). Score = max(0, 100 − deductions), so the findings add up to what the call lost.
 */
export function scoreCall(call: PreparedCall, rubric: Rubric): CallResult {
  const outcomes: Record<string, RuleOutcome> = {};
  const findings: Finding[] = [];
  const ruleErrors: CallResult['ruleErrors'] = [];
  let lost = 0;
  for (const { id, definition, options } of rubric.rules) {
    let result: ReturnType<typeof definition.check>;
    try {
      result = definition.check(call, options);
    } catch (err) {
      outcomes[id] = 'error';
      ruleErrors.push({ rule: id, error: (err as Error).message });
      continue;
    }
    outcomes[id] = result.outcome;
    let left = options.max_deduction ?? Number.POSITIVE_INFINITY;
    for (const f of result.findings) {
      const deduction = Math.min(options.deduction, left);
      left -= deduction;
      lost += deduction;
      const finding: Finding = { rule: id, deduction, message: f.message, evidence: f.evidence };
      if (f.at !== undefined) finding.at = f.at;
      findings.push(finding);
    }
  }
  const score = Math.max(0, 100 - lost);
  const result: CallResult = {
    callId: call.id,
    agentId: call.agent.id ?? '',
    agentName: call.agent.name ?? '',
    source: call.source,
    hangupBy: call.hangupBy,
    roleSource: call.roleSource,
    score,
    passed: score >= rubric.passScore,
    outcomes,
    findings,
    ruleErrors,
  };
  if (call.line !== undefined) result.line = call.line;
  if (call.queue !== undefined) result.queue = call.queue;
  if (call.direction !== undefined) result.direction = call.direction;
  const duration = callDuration(call);
  if (duration !== undefined) result.durationSeconds = duration;
  const rate = agentSpeechRate(call, speechRateThreshold(rubric));
  if (rate) result.agentCharsPerMinute = rate.perMinute;
  return result;
}

/** The figure in calls.csv follows the rubric's speech-rate threshold when it has one. */
function speechRateThreshold(rubric: Rubric): number {
  const rule = rubric.rules.find((r) => r.id === 'speech-rate');
  const value = rule?.options.min_agent_seconds;
  return typeof value === 'number' ? value : 10;
}
