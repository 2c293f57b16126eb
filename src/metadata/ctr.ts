import { isRecord } from '../ingest/format.js';
import type { HangupBy } from '../model/call.js';
import type { CallFacts } from './record.js';

// Amazon Connect contact records (formerly contact trace records), as the Connect Administrator Guide's
// "Contact records data model" describes them: ContactTraceRecord with AgentInfo (Agent) and QueueInfo (Queue).

/** Amazon Connect contact trace record: has ContactId and the CTR format version or an Agent/Queue block. */
export function isContactTraceRecord(value: Record<string, unknown>): boolean {
  return (
    typeof value.ContactId === 'string' &&
    ('AWSContactTraceRecordFormatVersion' in value || 'Agent' in value || 'Queue' in value || 'DisconnectReason' in value)
  );
}

/**
 * Who ended the contact. The flow (CONTACT_FLOW_DISCONNECT), a third party on a conference
 * (THIRD_PARTY_DISCONNECT), the network (TELECOM_PROBLEM, *_NETWORK_DISCONNECT), a barge, an expiry or an API
 * call is neither party choosing to hang up: unknown.
 */
const DISCONNECT = new Map<string, HangupBy>([
  ['CUSTOMER_DISCONNECT', 'customer'],
  ['AGENT_DISCONNECT', 'agent'],
]);

/**
 * InitiationMethod → direction. INBOUND and WEBRTC_API (an in-app or web call) are the customer calling;
 * OUTBOUND, EXTERNAL_OUTBOUND and CALLBACK (a queued callback: the agent dials the customer) the agent calling;
 * API is StartOutboundVoiceContact on a voice contact (on chat, StartChatContact: the customer writing in).
 * TRANSFER, QUEUE_TRANSFER, MONITOR, DISCONNECT and the rest say nothing of who called whom.
 */
function directionOf(ctr: Record<string, unknown>): string | undefined {
  const method = typeof ctr.InitiationMethod === 'string' ? ctr.InitiationMethod.trim().toUpperCase() : undefined;
  if (method === 'INBOUND' || method === 'WEBRTC_API') return 'inbound';
  if (method === 'OUTBOUND' || method === 'EXTERNAL_OUTBOUND' || method === 'CALLBACK') return 'outbound';
  if (method === 'API') return ctr.Channel === 'VOICE' ? 'outbound' : ctr.Channel === 'CHAT' ? 'inbound' : undefined;
  return undefined;
}

function seconds(from: unknown, to: unknown): number | undefined {
  if (typeof from !== 'string' || typeof to !== 'string') return undefined;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms >= 0 ? ms / 1000 : undefined;
}

/**
 * The customer's wait for an agent: from joining the queue (Queue.EnqueueTimestamp) to reaching the agent
 * (Agent.ConnectedToAgentTimestamp), which also counts the agent's phone ringing after the contact left the
 * queue; else Queue.Duration (EnqueueTimestamp to DequeueTimestamp, whole seconds). Never from
 * InitiationTimestamp: the time in the flow before the queue (menus, messages) is not waiting for an answer.
 * A contact with no agent (abandoned in the queue) has no answer to wait for.
 */
function waitSeconds(agent: Record<string, unknown>, queue: Record<string, unknown>): number | undefined {
  if (typeof agent.ConnectedToAgentTimestamp !== 'string') return undefined;
  const measured = seconds(queue.EnqueueTimestamp, agent.ConnectedToAgentTimestamp);
  if (measured !== undefined) return measured;
  return typeof queue.Duration === 'number' && Number.isFinite(queue.Duration) && queue.Duration >= 0 ? queue.Duration : undefined;
}

/**
 * When the stream last updated this record (LastUpdateTimestamp, ms since the epoch): which of two copies of a
 * contact is the newer (MetadataIndex.add). Undefined when absent or not a date: the copies then go by their order.
 */
export function ctrUpdatedAt(ctr: Record<string, unknown>): number | undefined {
  if (typeof ctr.LastUpdateTimestamp !== 'string') return undefined;
  const ms = Date.parse(ctr.LastUpdateTimestamp);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * CTR → call facts: the agent (Agent.Username, else its ARN), who hung up (DisconnectReason), the queue
 * (Queue.Name), the wait, the start (InitiationTimestamp) and the direction (InitiationMethod). A field the
 * record lacks stays undefined: the stream delivers a contact's record more than once (at least once, and
 * again as it is updated), and a copy without DisconnectReason must not blank what another one said.
 */
export function factsFromCtr(ctr: Record<string, unknown>): { ids: string[]; facts: CallFacts } {
  const agent = isRecord(ctr.Agent) ? ctr.Agent : {};
  const queue = isRecord(ctr.Queue) ? ctr.Queue : {};
  const facts: CallFacts = {};
  if (typeof ctr.DisconnectReason === 'string' && ctr.DisconnectReason.trim() !== '') {
    facts.hangupBy = DISCONNECT.get(ctr.DisconnectReason.trim().toUpperCase()) ?? 'unknown';
  }
  if (typeof agent.Username === 'string' && agent.Username !== '') facts.agentId = agent.Username;
  else if (typeof agent.ARN === 'string' && agent.ARN !== '') facts.agentId = agent.ARN;
  if (typeof queue.Name === 'string') facts.queue = queue.Name;
  const wait = waitSeconds(agent, queue);
  if (wait !== undefined) facts.ringSeconds = wait;
  if (typeof ctr.InitiationTimestamp === 'string') facts.startedAt = ctr.InitiationTimestamp;
  const direction = directionOf(ctr);
  if (direction !== undefined) facts.direction = direction;
  return { ids: [ctr.ContactId as string], facts };
}
