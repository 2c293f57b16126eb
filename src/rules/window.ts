import { z } from 'zod';
import type { PreparedCall, PreparedUtterance } from '../model/call.js';
import type { RuleContext } from './types.js';

/**
 * Where in a call a rule looks: the first or last seconds, the first or last turns (of the chosen
 * speaker), or everything after another rule first hit. One key at a time.
 */
export const windowSchema = z
  .strictObject({
    first_seconds: z.number().positive().optional(),
    last_seconds: z.number().positive().optional(),
    first_turns: z.number().int().positive().optional(),
    last_turns: z.number().int().positive().optional(),
    after: z.string().min(1).optional(),
  })
  .refine((w) => Object.values(w).filter((v) => v !== undefined).length === 1, {
    message: 'expected exactly one of first_seconds, last_seconds, first_turns, last_turns, after',
  })
  .optional()
  .describe('where to look: { first_seconds | last_seconds | first_turns | last_turns: N } or { after: <rule-id> }');

export type Window = z.output<typeof windowSchema>;

export const speakerSchema = z.enum(['agent', 'customer', 'any']);
export type SpeakerFilter = z.output<typeof speakerSchema>;

/** The end of the call: the last time any utterance reaches. */
export function callEnd(call: PreparedCall): number | undefined {
  let end: number | undefined;
  for (const u of call.utterances) {
    const t = u.end ?? u.start;
    if (t !== undefined && (end === undefined || t > end)) end = t;
  }
  return end;
}

/**
 * The utterances a rule reads: the speaker's, inside the window. Undefined when the window cannot
 * be placed (seconds on an untimed call; `after` a rule that never hit): the rule is then n/a.
 */
export function selectUtterances(call: PreparedCall, speaker: SpeakerFilter, window: Window, context: RuleContext): PreparedUtterance[] | undefined {
  const own = speaker === 'any' ? call.utterances : call.utterances.filter((u) => u.speaker === speaker);
  if (!window) return own;
  const timed = call.utterances.some((u) => u.start !== undefined);
  if (window.first_turns !== undefined) return own.slice(0, window.first_turns);
  if (window.last_turns !== undefined) return own.slice(-window.last_turns);
  if (window.first_seconds !== undefined) {
    if (!timed) return undefined;
    const until = (call.answeredAt ?? 0) + window.first_seconds;
    return own.filter((u) => u.start !== undefined && u.start <= until);
  }
  const last = window.last_seconds;
  if (last !== undefined) {
    const end = callEnd(call);
    if (!timed || end === undefined) return undefined;
    // Utterances that reach into the window count: a long ASR segment may start before it.
    return own.filter((u) => u.start !== undefined && (u.end ?? u.start) >= end - last);
  }
  const anchor = context.results.get(window.after as string)?.hits?.[0];
  if (anchor === undefined) return undefined;
  return own.filter((u) => u.start !== undefined && u.start >= anchor);
}

/** Rule ids a window refers to (for ordering and validation). */
export function windowDependencies(window: Window): string[] {
  return window?.after === undefined ? [] : [window.after];
}
