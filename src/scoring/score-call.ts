import { agentSpeechRate } from '../metrics/speech-rate.js';
import type { LlmOutcome } from '../llm/types.js';
import type { Channel, HangupBy, PreparedCall, RoleSource } from '../model/call.js';
import type { Rubric, RubricRule } from '../rubric/load.js';
import type { Translator } from '../i18n/format.js';
import type { Lang } from '../i18n/lang.js';
import { type Message, MessageRecorder, messageText } from '../i18n/message.js';
import type { Outcome, RuleResult } from '../rules/types.js';
import { MAX_FINDINGS_LISTED, isWritten } from '../rules/helpers.js';
import { callEnd } from '../rules/window.js';
import type { FindingReview } from '../review/apply.js';

export type RuleOutcome = Outcome | 'error';

export interface Finding {
  rule: string;
  at?: number;
  deduction: number;
  message: string;
  evidence: string;
  /** `review`: the rule could not decide (or is on trial), a person should look; it deducts nothing. Absent: a deduction. */
  status?: 'review';
  /** `message` as a catalog key and parameters, when a message of the catalogs wrote it: `callqa report --lang` writes it again. */
  said?: Message;
  /** false: a finding of a critical rule (一票否决) that is not of a kind that zeroes the call; `--reviews` needs to tell them apart. */
  critical?: false;
  /** An analyst's verdict on it (callqa report/score --reviews), with what it deducted before (review/apply.ts). */
  review?: FindingReview;
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
  /** chat or social for written service; absent for a voice call (so voice results read as before). */
  channel?: Channel;
  score: number;
  /** Points the rules passed added (their `bonus`), when any: a verdict recomputes the score from it (review/apply.ts). */
  bonus?: number;
  passed: boolean;
  outcomes: Record<string, RuleOutcome>;
  findings: Finding[];
  /** Critical rules (一票否决) the call failed: any makes its score 0. */
  criticalFailures: string[];
  /** Rules that threw: the call is still scored by the others, and the failure is listed as an error. */
  ruleErrors: { rule: string; error: string }[];
  /** The model's grading, when the rubric has an llm section. */
  llm?: LlmOutcome;
}

/** A message of scoreCall's own (not a rule's), its rule named by the rule's title. */
function ownFinding(rule: RubricRule, lang: Lang, said: Message): Pick<Finding, 'message' | 'said'> {
  return { message: messageText(lang, said, { title: () => rule.title }), said };
}

function unlistedFindings(rule: RubricRule, lang: Lang, count: number, deduction: number, status: Finding['status']): Finding {
  const said: Message = { key: 'finding.unlisted', params: { count, rule: { rule: rule.id }, max: MAX_FINDINGS_LISTED } };
  return { rule: rule.id, deduction, ...ownFinding(rule, lang, said), evidence: '', at: undefined, status };
}

/**
 * Each rule's translator, remembering the messages it writes while the rule checks a call (one recorder:
 * rules run one at a time, and a check is synchronous), so that a finding keeps its message as data.
 */
const recorder = new MessageRecorder();
const recording = new WeakMap<Translator, Translator>();
function recordingSay(say: Translator): Translator {
  let wrapped = recording.get(say);
  if (!wrapped) {
    wrapped = recorder.wrap(say);
    recording.set(say, wrapped);
  }
  return wrapped;
}

/**
 * Runs every rule of the rubric on a call (rules another refers to first) and turns findings into
 * deductions. `per: occurrence`: each finding costs the rule's `deduction` until its `max_deduction`
 * is used up (later findings cost what is left, then 0); `per: call`: a failing call costs it once.
 * Score = max(0, 100 − deductions + bonuses), at most 100, so the findings add up to what the call
 * lost; a failed critical rule (一票否决) makes it 0. At most MAX_FINDINGS_LISTED findings a rule are listed.
 */
export function scoreCall(call: PreparedCall, rubric: Rubric): CallResult {
  // Keyed by rule ids (the rubric's words): no prototype for an id to collide with.
  const outcomes: Record<string, RuleOutcome> = Object.create(null);
  const results = new Map<string, RuleResult>();
  const findings: Finding[] = [];
  const ruleErrors: CallResult['ruleErrors'] = [];
  const criticalFailures: string[] = [];
  let lost = 0;
  let bonus = 0;
  // Written service has no voice: rules that measure speech have nothing to measure, whatever the text says; a
  // phone call has no reply times or thread: rules of written service have nothing to read.
  const written = isWritten(call);
  for (const rule of rubric.rules) {
    const { id, definition, options, say } = rule;
    let result: RuleResult;
    if (written ? definition.speech : definition.written) {
      outcomes[id] = 'n/a';
      results.set(id, { outcome: 'n/a', findings: [] });
      continue;
    }
    recorder.clear();
    try {
      result = definition.check(call, options, { results, say: recordingSay(say) });
    } catch (err) {
      outcomes[id] = 'error';
      ruleErrors.push({ rule: id, error: (err as Error).message });
      continue;
    }
    // A rule that cannot decide, or a failing rule on trial (review: true), asks a person instead of deducting;
    // rules that refer to it (expr) see it so.
    const review = result.outcome === 'review' || (result.outcome === 'fail' && options.review);
    const outcome: RuleOutcome = review ? 'review' : result.outcome;
    results.set(id, review && result.outcome !== 'review' ? { ...result, outcome: 'review' } : result);
    outcomes[id] = outcome;
    if (options.hidden) continue;
    if (outcome === 'pass') bonus += options.bonus;
    // Critical per finding kind: a rule may say that this failure holds none of its critical findings.
    if (outcome === 'fail' && options.critical && result.critical !== false) criticalFailures.push(id);
    // Every deduction is a finding, and so is every request for review: a rule that named none still gets one.
    const observed =
      (outcome === 'fail' || review) && result.findings.length === 0
        ? [{ ...ownFinding(rule, rubric.lang, { key: review ? 'finding.needs-review' : 'finding.failed', params: { rule: { rule: id } } }), evidence: '' }]
        : result.findings;
    const status = review ? ('review' as const) : undefined;
    let left = review ? 0 : (options.max_deduction ?? Number.POSITIVE_INFINITY);
    const listed = observed.length > MAX_FINDINGS_LISTED ? observed.slice(0, MAX_FINDINGS_LISTED) : observed;
    listed.forEach((f, i) => {
      const due = options.per === 'call' ? (i === 0 && outcome === 'fail' ? options.deduction : 0) : options.deduction;
      const deduction = Math.min(due, left);
      left -= deduction;
      lost += deduction;
      // `at` and `status` in the literal (undefined when absent; JSON and the CSV leave them out): a key
      // added afterwards cost every finding a second allocation.
      const said = f.said ?? recorder.messageOf(f.message);
      const critical = options.critical && f.critical === false ? (false as const) : undefined;
      findings.push({ rule: id, deduction, message: f.message, evidence: f.evidence, at: 'at' in f ? f.at : undefined, status, said, critical });
    });
    // Past the listed ones: those a rule made (beyond MAX_FINDINGS_LISTED) and those it only counted
    // (FindingList). Each costs the rule's deduction per occurrence (per: call cost once, on the first, listed).
    const unlisted = observed.length - listed.length + (outcome === 'fail' || review ? (result.unlisted ?? 0) : 0);
    if (unlisted > 0) {
      const deduction = Math.min(options.per === 'call' ? 0 : unlisted * options.deduction, left);
      lost += deduction;
      findings.push(unlistedFindings(rule, rubric.lang, unlisted, deduction, status));
    }
  }
  const score = criticalFailures.length > 0 ? 0 : Math.min(100, Math.max(0, 100 - lost + bonus));
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
    criticalFailures,
    ruleErrors,
  };
  if (bonus !== 0) result.bonus = bonus;
  addCallFields(result, call, rubric);
  return result;
}

/** What calls.csv shows of the call itself, where the call has it. */
function addCallFields(result: CallResult, call: PreparedCall, rubric: Rubric): void {
  if (call.line !== undefined) result.line = call.line;
  if (call.queue !== undefined) result.queue = call.queue;
  if (call.direction !== undefined) result.direction = call.direction;
  // Voice is left out: results of voice calls stay as they were before written service was read.
  if (call.channel !== undefined && call.channel !== 'voice') result.channel = call.channel;
  const duration = callEnd(call);
  if (duration !== undefined) result.durationSeconds = duration;
  // Typing has no speech rate, whatever times the export puts between messages.
  const rate = isWritten(call) ? undefined : agentSpeechRate(call, speechRateThreshold(rubric));
  if (rate) result.agentCharsPerMinute = rate.perMinute;
}

/** The figure in calls.csv follows the rubric's speech-rate threshold when it has one. */
function speechRateThreshold(rubric: Rubric): number {
  const rule = rubric.rules.find((r) => r.id === 'speech-rate');
  const value = rule?.options.min_agent_seconds;
  return typeof value === 'number' ? value : 10;
}
