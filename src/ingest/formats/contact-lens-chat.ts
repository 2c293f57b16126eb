import type { HangupBy, Speaker } from '../../model/call.js';
import type { SourceCall, SourceUtterance } from '../../model/source.js';
import { msg } from '../errors.js';
import type { JsonFormat, ParseContext } from '../format.js';
import { fileStem, isRecord } from '../format.js';
import { type JsonPath, JsonProblem, oneCall } from '../json-problem.js';
import { contactIdOf, participantsOf, speakerFromRole } from './aws-call-analytics.js';

const NAME = 'contact-lens-chat';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})$/;
const LEFT = /participant\.left$/;
const JOINED = /participant\.joined$/;

/** Epoch milliseconds of an ISO-8601 `AbsoluteTime`, or undefined when it is not one. */
function instant(value: unknown): number | undefined {
  if (typeof value !== 'string' || !ISO.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function required(item: Record<string, unknown>, at: JsonPath): number {
  const ms = instant(item.AbsoluteTime);
  if (ms === undefined) {
    const said = { format: 'ISO 8601', example: '2026-03-11T02:15:04.120Z', value: String(JSON.stringify(item.AbsoluteTime)) };
    throw new JsonProblem(msg('input.chat-time', said), [...at, 'AbsoluteTime']);
  }
  return ms;
}

/** Text messages become utterances; attachments and interactive messages (other content types) do not. */
function isText(item: Record<string, unknown>): boolean {
  return item.ContentType === undefined || (typeof item.ContentType === 'string' && item.ContentType.startsWith('text/'));
}

function callFrom(doc: unknown, ctx: ParseContext): SourceCall {
  if (!isRecord(doc)) throw new JsonProblem(msg('input.chat-document', { format: 'Contact Lens chat', shape: '{Participants, Transcript: [...]}' }), []);
  const items = doc.Transcript;
  if (!Array.isArray(items)) throw new JsonProblem(msg('input.chat-items', { value: String(JSON.stringify(items)) }), ['Transcript']);
  const participants = participantsOf(doc);

  /** The role an item states, or the one its ParticipantId has in Participants. */
  const roleOf = (item: Record<string, unknown>): string | undefined => {
    if (typeof item.ParticipantRole === 'string') return item.ParticipantRole;
    return typeof item.ParticipantId === 'string' ? participants.get(item.ParticipantId)?.role : undefined;
  };

  // Times count from the earliest item (the first, in a well-ordered transcript): the customer joining.
  let first: { ms: number; text: string } | undefined;
  for (const item of items) {
    if (!isRecord(item)) continue;
    const ms = instant(item.AbsoluteTime);
    if (ms !== undefined && (first === undefined || ms < first.ms)) first = { ms, text: item.AbsoluteTime as string };
  }

  const messages: { role: Speaker; ms: number; text: string }[] = [];
  let left: { ms: number; by: HangupBy } | undefined;
  let agentJoined: number | undefined;
  let agentName: string | undefined;
  items.forEach((item, k) => {
    const at: JsonPath = ['Transcript', k];
    if (!isRecord(item)) throw new JsonProblem(msg('input.chat-item', { shape: '{AbsoluteTime, Type, ParticipantRole, Content}' }), at);
    if (item.Type === 'EVENT' && typeof item.ContentType === 'string' && JOINED.test(item.ContentType)) {
      const ms = instant(item.AbsoluteTime);
      if (speakerFromRole(roleOf(item)) === 'agent' && ms !== undefined && (agentJoined === undefined || ms < agentJoined)) agentJoined = ms;
      return;
    }
    if (item.Type === 'EVENT' && typeof item.ContentType === 'string' && LEFT.test(item.ContentType)) {
      const by = speakerFromRole(roleOf(item));
      if (!by) return; // a system or supervisor leaving does not end the conversation
      const ms = required(item, at);
      if (left === undefined || ms < left.ms) left = { ms, by };
      return;
    }
    if (item.Type !== 'MESSAGE' || !isText(item)) return; // other events, typing indicators, attachments
    const stated = roleOf(item);
    if (stated === undefined) {
      throw new JsonProblem(msg('input.chat-no-role', { role: 'ParticipantRole', id: 'ParticipantId', participants: 'Participants' }), at);
    }
    const role = speakerFromRole(stated);
    if (!role) return; // SYSTEM messages (queue notices), bots, supervisors
    const ms = required(item, at);
    if (typeof item.Content !== 'string') throw new JsonProblem(msg('input.chat-text', { value: String(JSON.stringify(item.Content)) }), [...at, 'Content']);
    if (role === 'agent' && agentName === undefined && typeof item.DisplayName === 'string') agentName = item.DisplayName;
    messages.push({ role, ms, text: item.Content });
  });
  if (messages.length === 0 || first === undefined) {
    throw new JsonProblem(msg('input.chat-no-messages', { message: 'MESSAGE', agent: 'AGENT', customer: 'CUSTOMER' }), ['Transcript']);
  }
  const base = first.ms;

  for (const p of participants.values()) {
    if (speakerFromRole(p.role) === 'agent' && p.name !== undefined && p.name.trim() !== '') {
      agentName = p.name;
      break;
    }
  }
  const agent: SourceCall['agent'] = {};
  if (agentName !== undefined && agentName.trim() !== '') agent.name = agentName.trim();

  const call: SourceCall = {
    format: NAME,
    id: contactIdOf(doc) ?? fileStem(ctx.source),
    source: ctx.source,
    agent,
    // Whoever left the chat first ended it.
    hangupBy: left?.by ?? 'unknown',
    startedAt: first.text,
    channel: 'chat',
    // A chat message has a time but no duration.
    utterances: messages.map((m): SourceUtterance => ({ role: m.role, start: (m.ms - base) / 1000, text: m.text })),
  };
  // The customer waits in the queue before an agent joins: the greeting is due from then.
  if (agentJoined !== undefined && agentJoined > base) call.answeredAt = (agentJoined - base) / 1000;
  return call;
}

/** A `Transcript` array whose items carry wall-clock `AbsoluteTime`s (voice turns carry ms offsets instead). */
function detect(doc: unknown): boolean {
  if (!isRecord(doc) || !Array.isArray(doc.Transcript)) return false;
  if (doc.Transcript.length === 0) return doc.Channel === 'CHAT';
  return doc.Transcript.some((t) => isRecord(t) && 'AbsoluteTime' in t);
}

const format: JsonFormat = {
  kind: 'json',
  name: NAME,
  title: 'Amazon Connect Contact Lens chat output (AbsoluteTime; participant.left tells who left first)',
  example: 'callqa score chats/',
  detect,
  parse: (doc, ctx) => oneCall(() => callFrom(doc, ctx), ctx),
};

export default format;
