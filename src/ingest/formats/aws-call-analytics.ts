import type { Speaker } from '../../model/call.js';
import type { SourceCall, SourceUtterance } from '../../model/source.js';
import { parseId } from '../call-fields.js';
import { InputProblem } from '../errors.js';
import type { JsonFormat, ParseContext } from '../format.js';
import { fileStem, isRecord } from '../format.js';
import { formatPath, type JsonPath, JsonProblem, oneCall } from '../json-problem.js';

// Helpers shared by the AWS formats (contact-lens-chat and aws-transcribe import them from here).

/** An id field (string or number), or undefined when absent or blank. */
export function idAt(value: unknown, path: JsonPath): string | undefined {
  try {
    return parseId(value, formatPath(path));
  } catch (err) {
    if (err instanceof InputProblem) throw new JsonProblem(`expected an id as a string, got ${JSON.stringify(value)}`, path);
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
const TURN = 'a turn {ParticipantRole or ParticipantId, BeginOffsetMillis, EndOffsetMillis, Content}';

function millis(turn: Record<string, unknown>, key: string, at: JsonPath): number {
  const value = turn[key];
  if (value === undefined || value === null) throw new JsonProblem('missing; expected milliseconds from the start of the call as a number ≥ 0', [...at, key]);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new JsonProblem(`expected milliseconds as a number ≥ 0, got ${JSON.stringify(value)}`, [...at, key]);
  }
  return value;
}

function roleOfTurn(turn: Record<string, unknown>, at: JsonPath, participants: ReturnType<typeof participantsOf>): Speaker {
  if (turn.ParticipantRole !== undefined) {
    const role = speakerFromRole(turn.ParticipantRole);
    if (!role) throw new JsonProblem(`expected AGENT or CUSTOMER, got ${JSON.stringify(turn.ParticipantRole)}`, [...at, 'ParticipantRole']);
    return role;
  }
  const id = turn.ParticipantId;
  if (id === undefined) throw new JsonProblem('expected a ParticipantRole (AGENT or CUSTOMER) or a ParticipantId listed in Participants', at);
  if (typeof id !== 'string') throw new JsonProblem(`expected a participant id as a string, got ${JSON.stringify(id)}`, [...at, 'ParticipantId']);
  const listed = participants.get(id);
  if (listed?.role !== undefined) {
    const role = speakerFromRole(listed.role);
    if (!role)
      throw new JsonProblem(`participant ${JSON.stringify(id)} has role ${JSON.stringify(listed.role)}; expected AGENT or CUSTOMER`, [...at, 'ParticipantId']);
    return role;
  }
  // Contact Lens voice names its participants AGENT and CUSTOMER, so the id alone says the role.
  const role = speakerFromRole(id);
  if (!role) throw new JsonProblem(`${JSON.stringify(id)} is not listed in Participants with a ParticipantRole of AGENT or CUSTOMER`, [...at, 'ParticipantId']);
  return role;
}

function callFrom(doc: unknown, ctx: ParseContext): SourceCall {
  if (!isRecord(doc)) throw new JsonProblem('expected a Call Analytics or Contact Lens document {Transcript: [...]}', []);
  const transcript = doc.Transcript;
  if (!Array.isArray(transcript)) throw new JsonProblem(`expected an array of turns, got ${JSON.stringify(transcript)}`, ['Transcript']);
  if (transcript.length === 0) throw new JsonProblem('expected at least one turn; the call has no speech', ['Transcript']);
  const participants = participantsOf(doc);
  const utterances = transcript.map((turn, k): SourceUtterance => {
    const at: JsonPath = ['Transcript', k];
    if (!isRecord(turn)) throw new JsonProblem(`expected ${TURN}`, at);
    const role = roleOfTurn(turn, at, participants);
    const begin = millis(turn, 'BeginOffsetMillis', at);
    const end = millis(turn, 'EndOffsetMillis', at);
    if (end < begin) throw new JsonProblem(`end ${end} ms is before begin ${begin} ms`, [...at, 'EndOffsetMillis']);
    if (typeof turn.Content !== 'string')
      throw new JsonProblem(`expected the turn's text as a string, got ${JSON.stringify(turn.Content)}`, [...at, 'Content']);
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
