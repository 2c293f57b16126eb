import type { HangupBy } from '../model/call.js';
import { isRecord } from '../ingest/format.js';
import type { CallFacts } from './record.js';

/** Amazon Connect contact trace record: has ContactId and the CTR format version or an Agent/Queue block. */
export function isContactTraceRecord(value: Record<string, unknown>): boolean {
  return (
    typeof value.ContactId === 'string' &&
    ('AWSContactTraceRecordFormatVersion' in value || 'Agent' in value || 'Queue' in value || 'DisconnectReason' in value)
  );
}

const DISCONNECT: Record<string, HangupBy> = { CUSTOMER_DISCONNECT: 'customer', AGENT_DISCONNECT: 'agent' };

function seconds(from: unknown, to: unknown): number | undefined {
  if (typeof from !== 'string' || typeof to !== 'string') return undefined;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms >= 0 ? ms / 1000 : undefined;
}

/**
 * CTR → call facts. DisconnectReason CUSTOMER_DISCONNECT → customer, AGENT_DISCONNECT → agent,
 * anything else (THIRD_PARTY_DISCONNECT, TELECOM_PROBLEM, null…) → unknown. The customer's wait
 * for an answer is Queue.Duration, or the time from joining the queue to reaching the agent.
 */
export function factsFromCtr(ctr: Record<string, unknown>): { ids: string[]; facts: CallFacts } {
  const agent = isRecord(ctr.Agent) ? ctr.Agent : {};
  const queue = isRecord(ctr.Queue) ? ctr.Queue : {};
  const facts: CallFacts = {
    hangupBy: typeof ctr.DisconnectReason === 'string' ? (DISCONNECT[ctr.DisconnectReason] ?? 'unknown') : 'unknown',
  };
  if (typeof agent.Username === 'string') facts.agentId = agent.Username;
  else if (typeof agent.ARN === 'string') facts.agentId = agent.ARN;
  if (typeof queue.Name === 'string') facts.queue = queue.Name;
  const ring =
    typeof queue.Duration === 'number' ? queue.Duration : seconds(queue.EnqueueTimestamp ?? ctr.InitiationTimestamp, agent.ConnectedToAgentTimestamp);
  if (ring !== undefined) facts.ringSeconds = ring;
  if (typeof ctr.InitiationTimestamp === 'string') facts.startedAt = ctr.InitiationTimestamp;
  if (typeof ctr.InitiationMethod === 'string') facts.direction = ctr.InitiationMethod.toLowerCase();
  return { ids: [ctr.ContactId as string], facts };
}
