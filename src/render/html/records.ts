import { type Channel, isWrittenChannel } from '../../model/call.js';
import type { UtteranceRecord } from '../../results/codec.js';
import type { PageCall } from '../../results/write.js';
import type { FindingReview } from '../../review/apply.js';
import type { CallResult, Finding } from '../../scoring/score-call.js';

// Records of results.jsonl, read defensively (results may come from another machine or a merge).

type Outcome = string;

/** What the page reads of a call record. */
export interface CallView {
  callId: string;
  agentId: string;
  agentName: string;
  source: string;
  score: number;
  passed: boolean;
  durationSeconds?: number;
  agentCharsPerMinute?: number;
  hangupBy: string;
  roleSource: string;
  /** Phone call, online chat or social-media thread (a record without one is a phone call). */
  channel: Channel;
  startedAt?: string;
  ringSeconds?: number;
  outcomes: Record<string, Outcome>;
  findings: Finding[];
  criticalFailures: string[];
  llm?: CallResult['llm'];
  utterances: UtteranceRecord[];
}

/** A string field: strings as they are, finite numbers as text, anything else empty. */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
}

/** A number field: finite numbers only. */
export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function readUtterances(list: unknown): UtteranceRecord[] {
  const utterances: UtteranceRecord[] = [];
  for (const u of Array.isArray(list) ? list : []) {
    if (!u || typeof u !== 'object') continue;
    const o = u as Record<string, unknown>;
    const utt: UtteranceRecord = { speaker: o.speaker === 'agent' ? 'agent' : 'customer', text: str(o.text) };
    const start = num(o.start);
    const end = num(o.end);
    if (start !== undefined) utt.start = start;
    if (end !== undefined) utt.end = end;
    utterances.push(utt);
  }
  return utterances;
}

/** A finding's verdict read defensively: one of the three verdicts, else none. */
function reviewOf(v: unknown): FindingReview | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  if (o.verdict !== 'confirmed' && o.verdict !== 'rejected' && o.verdict !== 'unsure') return undefined;
  return { verdict: o.verdict, note: str(o.note), reviewer: str(o.reviewer), at: str(o.at), deduction: num(o.deduction) ?? 0 };
}

/** A record read defensively; its utterances only when `withUtterances` (a page is drawn from it). */
export function readCall(r: Record<string, unknown>, withUtterances = false): CallView | undefined {
  const score = num(r.score);
  if (score === undefined || (typeof r.callId !== 'string' && typeof r.callId !== 'number')) return undefined;
  const outcomes: Record<string, Outcome> = {};
  if (r.outcomes && typeof r.outcomes === 'object') {
    for (const [k, v] of Object.entries(r.outcomes as Record<string, unknown>)) if (typeof v === 'string') outcomes[k] = v;
  }
  const findings: Finding[] = [];
  for (const f of Array.isArray(r.findings) ? r.findings : []) {
    if (!f || typeof f !== 'object') continue;
    const o = f as Record<string, unknown>;
    const finding: Finding = { rule: str(o.rule), deduction: num(o.deduction) ?? 0, message: str(o.message), evidence: str(o.evidence) };
    const at = num(o.at);
    if (at !== undefined) finding.at = at;
    if (o.status === 'review') finding.status = 'review';
    const review = reviewOf(o.review);
    if (review) finding.review = review;
    findings.push(finding);
  }
  const view: CallView = {
    callId: str(r.callId),
    agentId: str(r.agentId),
    agentName: str(r.agentName),
    source: str(r.source),
    score,
    passed: r.passed === true,
    hangupBy: str(r.hangupBy) || 'unknown',
    roleSource: str(r.roleSource),
    channel: isWrittenChannel(r.channel) ? r.channel : 'voice',
    outcomes,
    findings,
    criticalFailures: Array.isArray(r.criticalFailures) ? r.criticalFailures.map(str) : [],
    utterances: withUtterances ? readUtterances(r.utterances) : [],
  };
  const duration = num(r.durationSeconds);
  if (duration !== undefined) view.durationSeconds = duration;
  const cpm = num(r.agentCharsPerMinute);
  if (cpm !== undefined) view.agentCharsPerMinute = cpm;
  if (typeof r.startedAt === 'string') view.startedAt = r.startedAt;
  const ring = num(r.ringSeconds);
  if (ring !== undefined) view.ringSeconds = ring;
  if (r.llm && typeof r.llm === 'object') view.llm = r.llm as CallResult['llm'];
  return view;
}

/** What AgentAggregator reads of a call. */
export function asResult(call: CallView): CallResult {
  const result: CallResult = {
    callId: call.callId,
    agentId: call.agentId,
    agentName: call.agentName,
    source: call.source,
    hangupBy: 'unknown',
    roleSource: 'given',
    score: call.score,
    passed: call.passed,
    outcomes: call.outcomes as CallResult['outcomes'],
    findings: call.findings,
    criticalFailures: call.criticalFailures,
    ruleErrors: [],
  };
  if (call.agentCharsPerMinute !== undefined) result.agentCharsPerMinute = call.agentCharsPerMinute;
  if (call.llm) result.llm = call.llm;
  if (call.channel !== 'voice') result.channel = call.channel;
  return result;
}

/** The model's grades, when the call was graded (scores that are numbers only). */
export function gradesOf(call: CallView): { id: string; score: number; reason: string; evidence: string[]; unverified: boolean; deduction: number }[] {
  const llm = call.llm;
  if (!llm || (llm.status !== 'ok' && llm.status !== 'cached') || !Array.isArray(llm.grades)) return [];
  return llm.grades.flatMap((g) => {
    const score = num(g?.score);
    if (!g || score === undefined) return [];
    return [
      {
        id: str(g.id),
        score,
        reason: str(g.reason),
        evidence: Array.isArray(g.evidence) ? g.evidence.map(str) : [],
        unverified: g.unverified === true,
        deduction: num(g.deduction) ?? 0,
      },
    ];
  });
}

const utf8 = new TextDecoder();

/** A candidate's transcript, read from its line's JSON (`,"utterances":[…]`) or as given. */
export function transcriptOf(call: PageCall): UtteranceRecord[] {
  if (!(call.transcript instanceof Uint8Array)) return readUtterances(call.transcript);
  const text = utf8.decode(call.transcript);
  return readUtterances(JSON.parse(text.slice(text.indexOf('[')) || '[]'));
}
