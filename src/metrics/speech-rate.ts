import type { PreparedCall, PreparedUtterance } from '../model/call.js';

/** Han characters, digits, and runs of Latin letters (an English word counts once). */
const UNIT = /\p{Script=Han}|\p{Nd}|[a-zａ-ｚ]+(?:['’][a-zａ-ｚ]+)*/giu;

export function speechUnits(text: string): number {
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
  let units = 0;
  let seconds = 0;
  let fastest: SpeechRate['fastest'] | undefined;
  let slowest: SpeechRate['slowest'] | undefined;
  for (const u of call.utterances) {
    if (u.speaker !== 'agent' || u.start === undefined || u.end === undefined || u.end <= u.start) continue;
    const n = speechUnits(u.norm.text);
    const s = u.end - u.start;
    units += n;
    seconds += s;
    const rate = (n / s) * 60;
    if (!fastest || rate > fastest.perMinute) fastest = { utterance: u, perMinute: rate };
    if (!slowest || rate < slowest.perMinute) slowest = { utterance: u, perMinute: rate };
  }
  if (seconds < minSeconds || !fastest || !slowest) return undefined;
  return { perMinute: (units / seconds) * 60, units, seconds, fastest, slowest };
}
