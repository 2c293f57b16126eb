import type { SourceUtterance } from '../model/source.js';
import { BACKWARDS, timeProblem } from './call-fields.js';
import { readDateTime } from './date-time.js';
import { msg } from './errors.js';
import { isRecord } from './format.js';
import { MAX_SEGMENTS_PER_CALL, tooManySegments } from './limits.js';
import { type JsonPath, JsonProblem } from './json-problem.js';
import { SUGGESTED_LABELS, speakerFromLabel } from './speakers.js';

const MESSAGE = '{speaker, time, text}';

/** Epoch milliseconds of an ISO 8601 time, and the time as ISO 8601 writes it; undefined when the value is not one. */
function isoInstant(value: unknown): { ms: number; iso: string } | undefined {
  // A wall-clock time must name its zone: without one the gaps between messages could be hours off.
  return typeof value === 'string' ? readDateTime(value, { form: 'iso', zone: 'required' }) : undefined;
}

interface Timed {
  /** Seconds from the start, or epoch milliseconds for an ISO time. */
  value: number;
  iso: boolean;
  text?: string;
}

function messageTime(value: unknown, path: () => JsonPath): Timed {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return { value, iso: false };
  const t = isoInstant(value);
  if (t !== undefined) return { value: t.ms, iso: true, text: t.iso };
  throw new JsonProblem(msg('input.json-message-time', { format: 'ISO 8601', value: String(JSON.stringify(value)) }), path());
}

/**
 * The `messages` of a written conversation as utterances: each message's start is seconds from the
 * first message (ISO times) or as given (seconds), and its end the same (a message has no duration).
 * Also the first ISO time, for the conversation's `started_at`.
 */
export function messageUtterances(value: unknown, base: JsonPath): { utterances: SourceUtterance[]; startedAt?: string } {
  const path = [...base, 'messages'];
  if (!Array.isArray(value)) throw new JsonProblem(msg('input.json-messages-array', { shape: MESSAGE }), path);
  if (value.length === 0) throw new JsonProblem(msg('input.json-no-messages'), path);
  // Before a message is built: a conversation this long is listed, not scored (limits.ts).
  if (value.length > MAX_SEGMENTS_PER_CALL) throw new JsonProblem(tooManySegments(value.length), path);
  const at = (k: number, ...keys: string[]): JsonPath => [...path, k, ...keys];
  const out: SourceUtterance[] = new Array(value.length);
  let first: Timed | undefined;
  for (let k = 0; k < value.length; k++) {
    const m: unknown = value[k];
    if (!isRecord(m)) throw new JsonProblem(msg('input.json-message-object', { shape: MESSAGE }), at(k));
    const speaker = typeof m.speaker === 'string' ? speakerFromLabel(m.speaker) : undefined;
    if (!speaker) throw new JsonProblem(msg('input.speaker', { label: String(JSON.stringify(m.speaker)), ...SUGGESTED_LABELS }), at(k, 'speaker'));
    if (typeof m.text !== 'string') throw new JsonProblem(msg('input.json-text-string', { value: String(JSON.stringify(m.text)) }), at(k, 'text'));
    const time = messageTime(m.time, () => at(k, 'time'));
    first ??= time;
    // Seconds and wall-clock times cannot be set against each other: one kind in a conversation.
    if (time.iso !== first.iso) throw new JsonProblem(msg('input.json-message-time-kind', { format: 'ISO 8601' }), at(k, 'time'));
    const start = time.iso ? (time.value - first.value) / 1000 : time.value;
    const problem = start < 0 ? BACKWARDS : timeProblem(start);
    if (problem !== undefined) throw new JsonProblem(problem, at(k, 'time'));
    const previous = k > 0 ? out[k - 1]?.start : undefined;
    if (previous !== undefined && start < previous) throw new JsonProblem(BACKWARDS, at(k, 'time'));
    out[k] = { role: speaker, start, end: start, text: m.text };
  }
  return first?.text === undefined ? { utterances: out } : { utterances: out, startedAt: first.text };
}
