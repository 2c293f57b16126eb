import type { PreparedCall, PreparedUtterance } from '../model/call.js';
import { lastOf } from '../util/last-call.js';

/** Han characters, digits, and runs of Latin letters (an English word counts once). */
const UNIT = /\p{Script=Han}|\p{Nd}|[a-zａ-ｚ]+(?:['’][a-zａ-ｚ]+)*/giu;

/** Per BMP code unit: 1 = a unit alone (Han, a digit), 2 = a letter of a word (as UNIT reads them, case folding included); 0 for surrogates. */
let classes: Uint8Array | undefined;

function unitClasses(): Uint8Array {
  if (classes) return classes;
  const table = new Uint8Array(0x10000);
  const single = /^(?:\p{Script=Han}|\p{Nd})$/u;
  const letter = /^[a-zａ-ｚ]$/iu;
  for (let code = 0; code < 0x10000; code++) {
    if (code >= 0xd800 && code < 0xe000) continue;
    const ch = String.fromCharCode(code);
    table[code] = single.test(ch) ? 1 : letter.test(ch) ? 2 : 0;
  }
  classes = table;
  return table;
}

function isApostrophe(code: number): boolean {
  return code === 0x27 || code === 0x2019;
}

/** Speech units in a text, as UNIT counts them; a table walk, with the regex kept for astral text. */
export function speechUnits(text: string): number {
  const table = unitClasses();
  let n = 0;
  const length = text.length;
  let i = 0;
  while (i < length) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code < 0xe000) return speechUnitsByRegex(text);
    const kind = table[code];
    i++;
    if (kind === 1) n++;
    else if (kind === 2) {
      // A word: letters, and apostrophes with letters after them.
      n++;
      while (i < length) {
        const c = text.charCodeAt(i);
        if (table[c] === 2) i++;
        else if (isApostrophe(c) && i + 1 < length && table[text.charCodeAt(i + 1)] === 2) i += 2;
        else break;
      }
    }
  }
  return n;
}

function speechUnitsByRegex(text: string): number {
  let n = 0;
  UNIT.lastIndex = 0;
  while (UNIT.exec(text) !== null) n++;
  return n;
}

export interface SpeechRate {
  /** Units a minute over the agent's timed utterances. */
  perMinute: number;
  units: number;
  seconds: number;
  /** The agent utterance whose own rate is highest, and lowest: evidence for a finding. */
  fastest: { utterance: PreparedUtterance; perMinute: number };
  slowest: { utterance: PreparedUtterance; perMinute: number };
}

/**
 * Agent characters a minute = units in agent utterances / their total duration in minutes.
 * Undefined (no figure) when the transcript is untimed or the agent spoke under `minSeconds` in all.
 */
export function agentSpeechRate(call: PreparedCall, minSeconds = 10): SpeechRate | undefined {
  // The rule and calls.csv both ask, with the same threshold: worked out once per call (the last call's kept).
  if (call.utterances === lastRate.utterances && minSeconds === lastRate.minSeconds) return lastRate.rate;
  const rate = computeSpeechRate(call, minSeconds);
  lastRate = { utterances: call.utterances, minSeconds, rate };
  return rate;
}

/** The rate agentSpeechRate last worked out (one call's; see util/last-call.ts for why not a WeakMap). */
let lastRate: { utterances?: readonly PreparedUtterance[]; minSeconds: number; rate: SpeechRate | undefined } = { minSeconds: Number.NaN, rate: undefined };

function computeSpeechRate(call: PreparedCall, minSeconds: number): SpeechRate | undefined {
  const { timed, units } = timedAgentUnits(call);
  return speechRateOf(timed, minSeconds, units);
}

/** The agent's timed utterances (start < end), in order, and the speech units of each. */
export interface TimedAgentUnits {
  timed: readonly PreparedUtterance[];
  units: readonly number[];
}

/** The agent's timed utterances and their units, counted once per call (the speech-rate rule and calls.csv both ask). */
export function timedAgentUnits(call: PreparedCall): TimedAgentUnits {
  return timedUnitsOf(call.utterances);
}

const timedUnitsOf = lastOf((utterances: readonly PreparedUtterance[]): TimedAgentUnits => {
  const timed: PreparedUtterance[] = [];
  const units: number[] = [];
  for (const u of utterances) {
    if (u.speaker !== 'agent' || u.start === undefined || u.end === undefined || !(u.end > u.start)) continue;
    timed.push(u);
    units.push(speechUnits(u.norm.text));
  }
  return { timed, units };
});

/**
 * The rate of these timed utterances (each with start < end): units over their total duration, with the
 * fastest and slowest of them; undefined under `minSeconds` of speech in all. `counted`: the units of each,
 * when already counted.
 */
export function speechRateOf(utterances: readonly PreparedUtterance[], minSeconds: number, counted?: readonly number[]): SpeechRate | undefined {
  let units = 0;
  let seconds = 0;
  let fastest: SpeechRate['fastest'] | undefined;
  let slowest: SpeechRate['slowest'] | undefined;
  for (let i = 0; i < utterances.length; i++) {
    const u = utterances[i] as PreparedUtterance;
    const n = counted ? (counted[i] as number) : speechUnits(u.norm.text);
    const s = (u.end as number) - (u.start as number);
    units += n;
    seconds += s;
    const rate = (n / s) * 60;
    if (!fastest || rate > fastest.perMinute) fastest = { utterance: u, perMinute: rate };
    if (!slowest || rate < slowest.perMinute) slowest = { utterance: u, perMinute: rate };
  }
  if (seconds < minSeconds || !fastest || !slowest) return undefined;
  return { perMinute: (units / seconds) * 60, units, seconds, fastest, slowest };
}
