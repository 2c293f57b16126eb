import type { Channel } from '../../model/call.js';
import type { CallView } from './records.js';

// What the page keeps of a run as its calls stream past: figures, per-agent aggregates and bounded samples.

export interface CallRow {
  /** Place in the report order (0-based). */
  index: number;
  /** The call: pageKey(source, seq). */
  key: string;
  source: string;
  seq: number;
  callId: string;
  anchor?: string;
  score: number;
  passed: boolean;
  findings: number;
  duration?: number;
  channel: Channel;
  failed: string[];
  critical: string[];
}

export interface Evidence {
  callId: string;
  /** The call (pageKey): its page's anchor is known once the pages are chosen. */
  key: string;
  anchor?: string;
  at?: number;
  quote: string;
}

export interface AgentExtra {
  anchor: string;
  /** Calls that have a page (bounded by the page cap). */
  paged: CallRow[];
  /** The lowest-scoring calls, at most LOWEST_CALLS_PER_AGENT, highest score last (those with a page too). */
  lowest: CallRow[];
  /** Rule id or `llm:<id>` → calls that failed it. */
  fails: Map<string, number>;
  evidence: Map<string, Evidence[]>;
}

export interface RuleTally {
  pass: number;
  fail: number;
  na: number;
  error: number;
  review: number;
}

/** Puts a row among the lowest-scoring (lowest first, report order among equals), at most cap of them. */
export function keepLowest(list: CallRow[], row: CallRow, cap: number): void {
  if (cap <= 0) return;
  const worse = (a: CallRow, b: CallRow) => a.score - b.score || a.index - b.index;
  if (list.length >= cap) {
    const last = list[list.length - 1] as CallRow;
    if (worse(row, last) >= 0) return;
    list.pop();
  }
  let i = list.length;
  while (i > 0 && worse(row, list[i - 1] as CallRow) < 0) i--;
  list.splice(i, 0, row);
}

/** Findings of a rule analysts judged (--reviews): upheld, overturned (rejected), undecided. */
export interface ReviewTally {
  confirmed: number;
  overturned: number;
  unsure: number;
}

/** The run's figures for the overview. */
export interface Totals {
  /** Rule id or `llm:<id>` → its findings' verdicts, in the order first met; empty without any. */
  reviews: Map<string, ReviewTally>;
  calls: number;
  /** Calls by channel: the overview counts them, and the agents' tables gain a channel column, when any is written service. */
  channels: Map<Channel, number>;
  scoreSum: number;
  passed: number;
  bins: number[];
  rules: Map<string, RuleTally>;
  criteria: Map<string, { sum: number; n: number; max: number }>;
  errors: number;
  errorList: { source: string; line?: number; error: string }[];
  badLines: number;
  pages: number;
  pagesCutBy: 'count' | 'size' | undefined;
}

/** Whether the run holds written conversations (chat, social media) besides phone calls. */
export function hasWritten(totals: Pick<Totals, 'channels'>): boolean {
  return (totals.channels.get('chat') ?? 0) + (totals.channels.get('social') ?? 0) > 0;
}

/** A call's key among pages: its source and place in it. */
export function pageKey(source: string, seq: number): string {
  return `${source}\u0000${seq}`;
}

/** A call's row in its agent's table. */
export function callRow(call: CallView, index: number, seq: number, ruleIds: readonly string[]): CallRow {
  const row: CallRow = {
    index,
    key: pageKey(call.source, seq),
    source: call.source,
    seq,
    callId: call.callId,
    score: call.score,
    passed: call.passed,
    findings: call.findings.length,
    channel: call.channel,
    failed: ruleIds.filter((id) => call.outcomes[id] === 'fail'),
    critical: call.criticalFailures,
  };
  if (call.durationSeconds !== undefined) row.duration = call.durationSeconds;
  return row;
}
