import type { Channel, HangupBy } from '../model/call.js';
import { directionOf } from '../normalise/role-cues.js';
import { type InputMessage, InputProblem, msg } from './errors.js';
import { speakerFromLabel } from './speakers.js';

/** `where: problem`: a reason at a named place (a header field, a JSON path). */
export function at(where: string | InputMessage, problem: InputMessage): InputMessage {
  return msg('input.at-path', { path: where, problem });
}

/** `customer`, `agent`, `unknown` or absent; speaker aliases (客户, 坐席…) are accepted too. */
export function parseHangupBy(value: unknown, where: string | InputMessage, line?: number): HangupBy {
  if (value === undefined || value === null || value === '') return 'unknown';
  if (typeof value === 'string') {
    if (value.trim().toLowerCase() === 'unknown') return 'unknown';
    const speaker = speakerFromLabel(value);
    if (speaker) return speaker;
  }
  throw new InputProblem(at(where, msg('input.hangup-by', { choices: ['customer', 'agent'], last: 'unknown', value: String(JSON.stringify(value)) })), line);
}

export function parseRingSeconds(value: unknown, where: string | InputMessage, line?: number): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'string' ? Number(value.trim()) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
    throw new InputProblem(at(where, msg('input.seconds', { value: String(JSON.stringify(value)) })), line);
  }
  if (n > MAX_CALL_SECONDS)
    throw new InputProblem(at(where, msg('input.seconds-max', { max: String(MAX_CALL_SECONDS), value: String(JSON.stringify(value)) })), line);
  return n;
}

export function parseStartedAt(value: unknown, where: string | InputMessage, line?: number): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    throw new InputProblem(at(where, msg('input.date-time', { format: 'ISO 8601', value: String(JSON.stringify(value)) })), line);
  }
  return value;
}

/** A call's direction as a transcript gives it: inbound or outbound (or a word call records use for them: 呼入, 外呼…). */
export function parseDirection(value: unknown, where: string | InputMessage, line?: number): 'inbound' | 'outbound' | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const direction = typeof value === 'string' ? directionOf(value) : undefined;
  if (direction === undefined)
    throw new InputProblem(at(where, msg('input.direction', { inbound: 'inbound', outbound: 'outbound', value: String(JSON.stringify(value)) })), line);
  return direction;
}

/** How the conversation took place, as a transcript header gives it: voice, chat or social. */
export function parseChannelField(value: unknown, where: string | InputMessage, line?: number): Channel | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value === 'chat' || value === 'social' || value === 'voice') return value;
  throw new InputProblem(at(where, msg('input.json-channel', { chat: 'chat', social: 'social', voice: 'voice', value: String(JSON.stringify(value)) })), line);
}

/** Ids arrive as strings or numbers; anything else is a mistake in the input. */
export function parseId(value: unknown, where: string | InputMessage, line?: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  throw new InputProblem(at(where, msg('input.id-string', { value: String(JSON.stringify(value)) })), line);
}

/**
 * The latest time an input may give: 7 days (604,800 s) from the start of the call. A time past it is
 * no call centre's (milliseconds read as seconds, an epoch time, 1e308): the reports could not show it,
 * and every figure computed from it would be wrong, so the call is listed in errors.csv instead.
 */
export const MAX_CALL_SECONDS = 7 * 24 * 3600;

/** Why a time in seconds from the start of the call cannot be used; undefined when it can. */
export function timeProblem(seconds: number): InputMessage | undefined {
  if (!Number.isFinite(seconds) || seconds < 0) return msg('input.time-negative', { value: String(JSON.stringify(seconds)) });
  if (seconds > MAX_CALL_SECONDS) {
    // The days as well: errors.csv masks long digit runs (they could be phone numbers).
    const days = Number((seconds / 86_400).toPrecision(3));
    // As JavaScript writes them (1e+308), not through Intl: the reader sees the number the input held.
    return msg('input.time-past-week', { seconds: String(seconds), days: String(days), max: String(MAX_CALL_SECONDS) });
  }
  return undefined;
}

/** What every format says of an utterance that starts before the one above it. */
export const BACKWARDS: InputMessage = msg('input.backwards');

/**
 * The checks every format makes of an utterance's times, each located by its parser: each time
 * usable (timeProblem), the end not before the start, and (`previousStart`: the start of the
 * utterance before it, for formats whose utterances are in time order) the start not before the
 * previous start. Returns the problem, or undefined.
 */
export function utteranceTimesProblem(start: number | undefined, end: number | undefined, previousStart?: number): InputMessage | undefined {
  const problem = (start === undefined ? undefined : timeProblem(start)) ?? (end === undefined ? undefined : timeProblem(end));
  if (problem !== undefined) return problem;
  if (start !== undefined && end !== undefined && end < start) return msg('input.end-before-start', { end: String(end), start: String(start) });
  if (start !== undefined && previousStart !== undefined && start < previousStart) return BACKWARDS;
  return undefined;
}

/**
 * The same checks over a parsed call of any format (times only; the order is each parser's): what
 * stands behind a parser that does not check its times itself. Throws an InputProblem naming the
 * utterance; the caller puts the call's place on it.
 */
export function checkCallTimes(utterances: readonly { start?: number; end?: number }[]): void {
  for (let k = 0; k < utterances.length; k++) {
    const u = utterances[k] as { start?: number; end?: number };
    if (u.start === undefined && u.end === undefined) continue;
    const problem = utteranceTimesProblem(u.start, u.end);
    if (problem !== undefined) throw new InputProblem(msg('input.in-utterance', { n: k + 1, problem }));
  }
}
