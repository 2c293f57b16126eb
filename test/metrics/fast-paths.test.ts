import { describe, expect, it } from 'vitest';
import { speechUnits } from '../../src/metrics/speech-rate.js';
import { overlaps, speechGaps } from '../../src/metrics/timing.js';
import type { PreparedCall, PreparedUtterance } from '../../src/model/call.js';
import { prepareCall } from '../../src/normalise/call.js';
import { randomText, seeded } from '../helpers/random.js';

// The table walks and sweeps that replaced regexes and pairwise loops, held to what those answered.

const UNIT = /\p{Script=Han}|\p{Nd}|[a-zａ-ｚ]+(?:['’][a-zａ-ｚ]+)*/giu;
function unitsByRegex(text: string): number {
  let n = 0;
  UNIT.lastIndex = 0;
  while (UNIT.exec(text) !== null) n++;
  return n;
}

describe('speechUnits counts what the unit regex counts', () => {
  it('on random text of letters, case-folding look-alikes, apostrophes, digits, Han and astral characters', () => {
    const alphabet = ['a', 'B', 'ｚ', 'Ｋ', '\u212a', '\u017f', "'", '’', '你', '好', '1', '١', ' ', ',', '𠀀', '😀', 'é', '-', 'z', '\ud800'];
    const random = seeded(1);
    for (let k = 0; k < 20_000; k++) {
      const text = randomText(random, alphabet, 9);
      expect(speechUnits(text), JSON.stringify(text)).toBe(unitsByRegex(text));
    }
  });

  it('on sentences', () => {
    for (const text of ['我们会在3个工作日内处理。', "I can't help, sorry", 'ＯＫ，没问题', "don't ' x'y", ''])
      expect(speechUnits(text)).toBe(unitsByRegex(text));
    expect(speechUnits("I can't help")).toBe(3);
  });
});

/** The overlaps as every pair in order found them, before the sweep. */
function overlapsPairwise(call: PreparedCall) {
  const timed = call.utterances.filter((u) => u.start !== undefined && u.end !== undefined && !u.endInferred && u.end >= u.start) as (PreparedUtterance & {
    start: number;
    end: number;
  })[];
  const found: { by: string; utterance: PreparedUtterance; over: PreparedUtterance; start: number; seconds: number }[] = [];
  for (const u of timed) {
    let best: { over: PreparedUtterance; seconds: number } | undefined;
    for (const v of timed) {
      if (v.speaker === u.speaker || !(v.start < u.start && u.start < v.end)) continue;
      const seconds = Math.min(u.end, v.end) - u.start;
      if (!best || seconds > best.seconds) best = { over: v, seconds };
    }
    if (best && best.seconds > 0) found.push({ by: u.speaker, utterance: u, over: best.over, start: u.start, seconds: best.seconds });
  }
  return found.sort((a, b) => a.start - b.start);
}

function randomCall(random: () => number): PreparedCall {
  const n = 1 + Math.floor(random() * 12);
  const utterances = Array.from({ length: n }, (_, i) => {
    // Coarse times, so that equal starts, equal ends and touching turns are common; some untimed, some backwards.
    const start = Math.floor(random() * 20) / 2;
    const u: { speaker: 'agent' | 'customer'; text: string; start?: number; end?: number; endInferred?: boolean } = {
      speaker: random() < 0.5 ? 'agent' : 'customer',
      text: `u${i}`,
    };
    if (random() < 0.9) u.start = start;
    if (random() < 0.85) u.end = start + Math.floor(random() * 10) / 2 - (random() < 0.05 ? 2 : 0);
    if (random() < 0.05) u.endInferred = true;
    return u;
  });
  return prepareCall({ id: 'R', source: 'test', agent: {}, hangupBy: 'unknown', roleSource: 'given', utterances });
}

describe('overlaps by a sweep equal every pair compared', () => {
  it('on random calls, the overlapped utterance included', () => {
    const random = seeded(2);
    let seen = 0;
    for (let k = 0; k < 5_000; k++) {
      const call = randomCall(random);
      const want = overlapsPairwise(call);
      const got = overlaps(call);
      if (got === undefined) continue;
      seen += got.length;
      expect(got.map((o) => [o.by, o.utterance.text, o.over.text, o.start, o.seconds])).toEqual(
        want.map((o) => [o.by, o.utterance.text, o.over.text, o.start, o.seconds]),
      );
    }
    expect(seen).toBeGreaterThan(1_000);
  });
});

/** The silences as computed before (index-tagged sort). */
function gapsBefore(call: PreparedCall) {
  const timed = call.utterances
    .map((u, index) => ({ u, index }))
    .filter((x): x is { u: PreparedUtterance & { start: number }; index: number } => x.u.start !== undefined)
    .sort((a, b) => a.u.start - b.u.start || a.index - b.index)
    .map((x) => x.u);
  const gaps: [number, number, string, string][] = [];
  let reach = Number.NEGATIVE_INFINITY;
  let opener: PreparedUtterance | undefined;
  timed.forEach((u, k) => {
    if (opener && u.start > reach) gaps.push([reach, u.start, opener.text, u.text]);
    const end = (u.endInferred ? undefined : u.end) ?? timed[k + 1]?.start ?? u.start;
    if (end >= reach) {
      reach = end;
      opener = u;
    }
  });
  return gaps;
}

describe('speech gaps without the intermediate arrays', () => {
  it('on random calls', () => {
    const random = seeded(3);
    for (let k = 0; k < 5_000; k++) {
      const call = randomCall(random);
      const got = speechGaps(call);
      if (got === undefined) continue;
      expect(got.map((g) => [g.start, g.end, g.before.text, g.after.text])).toEqual(gapsBefore(call));
    }
  });
});
