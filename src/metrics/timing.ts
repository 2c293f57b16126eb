import type { PreparedCall, PreparedUtterance, Speaker } from '../model/call.js';

/**
 * Timing figures of a call, from the utterance times alone: silences, overlaps, talk time.
 *
 * Turns may overlap and a source may list them out of order, so nothing here assumes that one
 * utterance ends before the next begins: silences come from the union of all utterance intervals,
 * talk time from the union of each speaker's.
 *
 * Utterances without times (an untimed transcript) count for nothing. An utterance with a start
 * and no end (a chat message, which has no duration) has no known length: it adds no talk time and
 * takes part in no overlap; for silences it is taken to last until the next utterance starts, as
 * the text format reads start-only times, so no silence is ever claimed right after it (a silence
 * needs a known end on one side and a known start on the other). A call in which no utterance has
 * both a start and an end has no figures at all (undefined): rules answer n/a.
 */

export interface Interval {
  start: number;
  end: number;
}

/** A stretch in which nobody speaks, between the first words of the call and the last. */
export interface Gap {
  start: number;
  end: number;
  seconds: number;
  /** The utterance whose end opened the silence: the last to finish before it. */
  before: PreparedUtterance;
  /** The utterance that closed it: the first to start after it. */
  after: PreparedUtterance;
}

/** One speaker starting while the other is still speaking. */
export interface Overlap {
  /** Who started speaking over the other. */
  by: Speaker;
  /** The utterance that started while `over` was under way. */
  utterance: PreparedUtterance;
  /** The other speaker's utterance that was still going on (the one overlapped longest). */
  over: PreparedUtterance;
  /** When the overlap began: `utterance.start`. */
  start: number;
  /** How long both spoke at once. */
  seconds: number;
}

/** Seconds of speech: each speaker's, and anyone's (overlapping speech counted once). */
export interface TalkTime {
  agent: number;
  customer: number;
  /** Time in which someone is speaking: the union of every utterance; at most agent + customer. */
  any: number;
}

type Timed = PreparedUtterance & { start: number; end: number };

/** A real interval: an end made up from the next start (start-only sources) proves nothing about silence or overlap. */
function hasInterval(u: PreparedUtterance): u is Timed {
  return u.start !== undefined && u.end !== undefined && !u.endInferred && u.end >= u.start;
}

/** Whether any utterance has both a start and an end: without one there are no timing figures. */
export function hasIntervals(call: PreparedCall): boolean {
  return call.utterances.some(hasInterval);
}

/** Sorted, disjoint intervals covering the same time as the given ones (touching intervals merge). */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Interval[] = [];
  for (const { start, end } of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last.end) last.end = Math.max(last.end, end);
    else merged.push({ start, end });
  }
  return merged;
}

/** Total seconds covered by intervals, overlapping ones counted once. */
export function coveredSeconds(intervals: readonly Interval[]): number {
  return mergeIntervals(intervals).reduce((sum, i) => sum + (i.end - i.start), 0);
}

/**
 * Every stretch in which nobody speaks, in time order, between the first utterance and the last
 * (silence before the first words or after the last is not measured: where the call began and
 * ended in silence is unknown). Undefined when no utterance has both a start and an end. Only
 * silences longer than `longerThan` seconds are listed (all of them by default).
 */
export function speechGaps(call: PreparedCall, longerThan = Number.NEGATIVE_INFINITY): Gap[] | undefined {
  if (!hasIntervals(call)) return undefined;
  const timed: (PreparedUtterance & { start: number })[] = [];
  let sorted = true;
  for (const u of call.utterances) {
    if (u.start === undefined) continue;
    const last = timed[timed.length - 1];
    if (last && last.start > u.start) sorted = false;
    timed.push(u as PreparedUtterance & { start: number });
  }
  // Usually in order already; otherwise by start, ties in the order given (a stable sort).
  if (!sorted) timed.sort((a, b) => a.start - b.start);
  const gaps: Gap[] = [];
  let reach = Number.NEGATIVE_INFINITY;
  let opener: PreparedUtterance | undefined;
  for (let k = 0; k < timed.length; k++) {
    const u = timed[k] as PreparedUtterance & { start: number };
    if (opener && u.start > reach && u.start - reach > longerThan)
      gaps.push({ start: reach, end: u.start, seconds: u.start - reach, before: opener, after: u });
    // Without an end, the utterance lasts until the next one starts (the last one: its start).
    const end = (u.endInferred ? undefined : u.end) ?? timed[k + 1]?.start ?? u.start;
    if (end >= reach) {
      reach = end;
      opener = u;
    }
  }
  return gaps;
}

/**
 * Every utterance that starts while the other speaker's is still under way (strictly after it
 * began and before it ended), with how long both spoke at once: min(own end, other's end) − own
 * start. Both directions, in time order; an utterance without an end takes part in none.
 * Simultaneous starts are not overlaps (nobody started over anybody). Undefined when no utterance
 * has both a start and an end.
 */
export function overlaps(call: PreparedCall): Overlap[] | undefined {
  if (!hasIntervals(call)) return undefined;
  // A sweep in start order: an utterance can only be overlapped by one that started before it and
  // is still going on, so those are the only ones kept at hand (O(n log n), not every pair). Places
  // are indexes in call order; a sort by start, ties in call order, gives the sweep's order.
  const timed = call.utterances.filter(hasInterval);
  let order: number[] | undefined;
  for (let k = 1; k < timed.length; k++) {
    if ((timed[k - 1] as Timed).start > (timed[k] as Timed).start) {
      order = Array.from(timed, (_, i) => i).sort((a, b) => (timed[a] as Timed).start - (timed[b] as Timed).start || a - b);
      break;
    }
  }
  const found: Overlap[] = [];
  // active[0 … live) are the utterances still under way. A count, not `active.length = kept`: V8 shrank the
  // array's store at every cut and grew a new one at the next push, ~6 KB of garbage a call.
  const active: number[] = [];
  let live = 0;
  for (let k = 0; k < timed.length; k++) {
    const place = order ? (order[k] as number) : k;
    const u = timed[place] as Timed;
    // Those that ended by now end before every later start too.
    let kept = 0;
    for (let i = 0; i < live; i++) {
      const a = active[i] as number;
      if ((timed[a] as Timed).end > u.start) active[kept++] = a;
    }
    live = kept;
    // The longest overlap; at a tie the utterance listed first in the call (as every pair in order would find it).
    let best = -1;
    let bestSeconds = 0;
    for (let i = 0; i < live; i++) {
      const a = active[i] as number;
      const v = timed[a] as Timed;
      if (v.speaker === u.speaker || !(v.start < u.start)) continue;
      const seconds = Math.min(u.end, v.end) - u.start;
      if (best < 0 || seconds > bestSeconds || (seconds === bestSeconds && a < best)) {
        best = a;
        bestSeconds = seconds;
      }
    }
    if (best >= 0 && bestSeconds > 0) found.push({ by: u.speaker, utterance: u, over: timed[best] as Timed, start: u.start, seconds: bestSeconds });
    active[live++] = place;
  }
  return found;
}

/** The intervals of one speaker's utterances (or everyone's) that have a start and an end. */
export function speechIntervals(call: PreparedCall, speaker?: Speaker): Interval[] {
  return call.utterances
    .filter((u): u is Timed => hasInterval(u) && (speaker === undefined || u.speaker === speaker))
    .map(({ start, end }) => ({ start, end }));
}

/** Talk time per speaker (union of the speaker's utterances) and overall. Undefined when no utterance has both a start and an end. */
export function talkTime(call: PreparedCall): TalkTime | undefined {
  if (!hasIntervals(call)) return undefined;
  return {
    agent: coveredSeconds(speechIntervals(call, 'agent')),
    customer: coveredSeconds(speechIntervals(call, 'customer')),
    any: coveredSeconds(speechIntervals(call)),
  };
}

/**
 * The moment at which `seconds` of speech in these intervals has gone by (the intervals are merged
 * first), or undefined when they hold no more than that.
 */
export function timeWhenCovered(intervals: readonly Interval[], seconds: number): number | undefined {
  let sum = 0;
  for (const { start, end } of mergeIntervals(intervals)) {
    if (sum + (end - start) > seconds) return start + (seconds - sum);
    sum += end - start;
  }
  return undefined;
}
