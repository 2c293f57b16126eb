import type { Speaker } from '../../model/call.js';
import type { SourceCall, SourceUtterance } from '../../model/source.js';
import { parseId } from '../call-fields.js';
import { InputProblem, msg } from '../errors.js';
import type { JsonFormat, ParseContext } from '../format.js';
import { fileStem, isRecord } from '../format.js';
import { formatPath, type JsonPath, JsonProblem, oneCall } from '../json-problem.js';

// Helpers shared by the AWS formats (contact-lens-chat and aws-transcribe import them from here).

/** An id field (string or number), or undefined when absent or blank. */
export function idAt(value: unknown, path: JsonPath): string | undefined {
  try {
    return parseId(value, formatPath(path));
  } catch (err) {
    if (err instanceof InputProblem) throw new JsonProblem(msg('input.aws-id', { value: String(JSON.stringify(value)) }), path);
    throw err;
  }
}

/** Job names are often the media file's name: `example-call.wav` → `example-call`. */
const AUDIO_EXTENSION = /\.(?:wav|mp3|mp4|m4a|flac|ogg|oga|opus|amr|webm|wma|aac|gsm|vox|au|aif|aiff)$/i;

export function stripAudioExtension(name: string): string {
  return name.replace(AUDIO_EXTENSION, '') || name;
}

/** AGENT / CUSTOMER as AWS writes participant roles; anything else (SYSTEM, SUPERVISOR, CUSTOM_BOT) is undefined. */
export function speakerFromRole(role: unknown): Speaker | undefined {
  if (typeof role !== 'string') return undefined;
  const key = role.trim().toUpperCase();
  return key === 'AGENT' ? 'agent' : key === 'CUSTOMER' ? 'customer' : undefined;
}

/** `Participants[]` as a map ParticipantId → {role, name}; entries without a string ParticipantId are ignored. */
export function participantsOf(doc: Record<string, unknown>): Map<string, { role?: string; name?: string }> {
  const out = new Map<string, { role?: string; name?: string }>();
  if (!Array.isArray(doc.Participants)) return out;
  for (const p of doc.Participants) {
    if (!isRecord(p) || typeof p.ParticipantId !== 'string') continue;
    const entry: { role?: string; name?: string } = {};
    if (typeof p.ParticipantRole === 'string') entry.role = p.ParticipantRole;
    if (typeof p.DisplayName === 'string') entry.name = p.DisplayName;
    out.set(p.ParticipantId, entry);
  }
  return out;
}

/** Contact Lens output names its contact in `CustomerMetadata.ContactId` (the CTR's join key). */
export function contactIdOf(doc: Record<string, unknown>): string | undefined {
  const meta = doc.CustomerMetadata;
  return isRecord(meta) ? idAt(meta.ContactId, ['CustomerMetadata', 'ContactId']) : undefined;
}

// The format itself.

const NAME = 'aws-call-analytics';
const TURN = '{ParticipantRole or ParticipantId, BeginOffsetMillis, EndOffsetMillis, Content}';
const ROLES = { agent: 'AGENT', customer: 'CUSTOMER' };

function millis(turn: Record<string, unknown>, key: string, at: JsonPath): number {
  const value = turn[key];
  if (value === undefined || value === null) throw new JsonProblem(msg('input.aws-missing-millis'), [...at, key]);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new JsonProblem(msg('input.millis', { value: String(JSON.stringify(value)) }), [...at, key]);
  }
  return value;
}

function roleOfTurn(turn: Record<string, unknown>, at: JsonPath, participants: ReturnType<typeof participantsOf>): Speaker {
  if (turn.ParticipantRole !== undefined) {
    const role = speakerFromRole(turn.ParticipantRole);
    if (!role) throw new JsonProblem(msg('input.aws-role', { ...ROLES, value: String(JSON.stringify(turn.ParticipantRole)) }), [...at, 'ParticipantRole']);
    return role;
  }
  const id = turn.ParticipantId;
  if (id === undefined)
    throw new JsonProblem(msg('input.aws-no-role', { ...ROLES, role: 'ParticipantRole', id: 'ParticipantId', participants: 'Participants' }), at);
  if (typeof id !== 'string') throw new JsonProblem(msg('input.aws-participant-id', { value: String(JSON.stringify(id)) }), [...at, 'ParticipantId']);
  const listed = participants.get(id);
  if (listed?.role !== undefined) {
    const role = speakerFromRole(listed.role);
    if (!role) {
      const said = { ...ROLES, id: JSON.stringify(id), role: JSON.stringify(listed.role) };
      throw new JsonProblem(msg('input.aws-participant-role', said), [...at, 'ParticipantId']);
    }
    return role;
  }
  // Contact Lens voice names its participants AGENT and CUSTOMER, so the id alone says the role.
  const role = speakerFromRole(id);
  if (!role) {
    const said = { ...ROLES, id: JSON.stringify(id), participants: 'Participants', role: 'ParticipantRole' };
    throw new JsonProblem(msg('input.aws-not-listed', said), [...at, 'ParticipantId']);
  }
  return role;
}

function callFrom(doc: unknown, ctx: ParseContext): SourceCall {
  if (!isRecord(doc)) throw new JsonProblem(msg('input.aws-document', { first: 'Call Analytics', second: 'Contact Lens', shape: '{Transcript: [...]}' }), []);
  const transcript = doc.Transcript;
  if (!Array.isArray(transcript)) throw new JsonProblem(msg('input.aws-turns', { value: String(JSON.stringify(transcript)) }), ['Transcript']);
  if (transcript.length === 0) throw new JsonProblem(msg('input.aws-no-turns'), ['Transcript']);
  const participants = participantsOf(doc);
  const utterances = transcript.map((turn, k): SourceUtterance => {
    const at: JsonPath = ['Transcript', k];
    if (!isRecord(turn)) throw new JsonProblem(msg('input.aws-turn', { shape: TURN }), at);
    const role = roleOfTurn(turn, at, participants);
    const begin = millis(turn, 'BeginOffsetMillis', at);
    const end = millis(turn, 'EndOffsetMillis', at);
    if (end < begin) throw new JsonProblem(msg('input.aws-end-before-begin', { end: String(end), begin: String(begin) }), [...at, 'EndOffsetMillis']);
    if (typeof turn.Content !== 'string')
      throw new JsonProblem(msg('input.aws-turn-text', { value: String(JSON.stringify(turn.Content)) }), [...at, 'Content']);
    // Overlapping turns (one party talks over the other) are kept as the source gives them.
    return { role, start: begin / 1000, end: end / 1000, text: turn.Content };
  });
  const jobName = idAt(doc.JobName, ['JobName']);
  return {
    format: NAME,
    id: contactIdOf(doc) ?? (jobName === undefined ? undefined : stripAudioExtension(jobName)) ?? fileStem(ctx.source),
    source: ctx.source,
    agent: {},
    hangupBy: 'unknown',
    utterances,
  };
}

/** A `Transcript` array of timed turns (ms offsets) and no chat timestamps; an empty one counts unless the channel is CHAT. */
function detect(doc: unknown): boolean {
  if (!isRecord(doc) || !Array.isArray(doc.Transcript)) return false;
  const turns = doc.Transcript;
  if (turns.some((t) => isRecord(t) && 'AbsoluteTime' in t)) return false;
  if (turns.length === 0) return doc.Channel !== 'CHAT' && ('JobName' in doc || 'Participants' in doc);
  return turns.some((t) => isRecord(t) && 'BeginOffsetMillis' in t);
}

const format: JsonFormat = {
  kind: 'json',
  name: NAME,
  title: 'AWS Transcribe Call Analytics and Amazon Connect Contact Lens voice output (Transcript with ParticipantRole/ParticipantId, ms offsets)',
  example: 'callqa score --metadata ctr.jsonl contact-lens/',
  detect,
  parse: (doc, ctx) => oneCall(() => callFrom(doc, ctx), ctx),
};

export default format;
