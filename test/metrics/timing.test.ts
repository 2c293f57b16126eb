import { describe, expect, it } from 'vitest';
import { coveredSeconds, mergeIntervals, overlaps, speechGaps, talkTime, timeWhenCovered } from '../../src/metrics/timing.js';
import type { PreparedCall } from '../../src/model/call.js';
import { prepareCall } from '../../src/normalise/call.js';
import { call } from '../helpers/rule-table.js';

/** A call straight from utterances (the line helper fills start-only ends; this does not). */
function raw(utterances: { speaker: 'agent' | 'customer'; start?: number; end?: number; text: string }[]): PreparedCall {
  return prepareCall({ id: 'T', source: 'test', agent: {}, hangupBy: 'unknown', roleSource: 'given', utterances });
}

const gapsOf = (c: PreparedCall) => speechGaps(c)?.map((g) => [g.start, g.end, g.before.text, g.after.text]);

describe('intervals', () => {
  it('merges overlapping and touching intervals, in any order', () => {
    expect(
      mergeIntervals([
        { start: 10, end: 12 },
        { start: 0, end: 5 },
        { start: 3, end: 4 },
        { start: 5, end: 7 },
      ]),
    ).toEqual([
      { start: 0, end: 7 },
      { start: 10, end: 12 },
    ]);
  });
  it('counts overlapping time once', () => {
    expect(
      coveredSeconds([
        { start: 0, end: 10 },
        { start: 5, end: 15 },
        { start: 20, end: 21 },
      ]),
    ).toBe(16);
    expect(coveredSeconds([])).toBe(0);
  });
  it('finds when a number of seconds of speech has gone by', () => {
    const intervals = [
      { start: 0, end: 10 },
      { start: 20, end: 30 },
    ];
    expect(timeWhenCovered(intervals, 5)).toBe(5);
    expect(timeWhenCovered(intervals, 15)).toBe(25);
    expect(timeWhenCovered(intervals, 20)).toBeUndefined();
  });
});

describe('speechGaps', () => {
  it('lists the silences between turns with the utterances around them', () => {
    const c = call(['[00:00-00:05] agent: 甲', '[00:08-00:10] customer: 乙', '[00:10-00:12] agent: 丙', '[00:30-00:31] customer: 丁']);
    expect(gapsOf(c)).toEqual([
      [5, 8, '甲', '乙'],
      [12, 30, '丙', '丁'],
    ]);
    expect(speechGaps(c)?.map((g) => g.seconds)).toEqual([3, 18]);
  });

  it('an utterance inside another hides no silence: the gap starts when the longer one ends', () => {
    const c = call(['[00:00-00:20] customer: 长', '[00:05-00:08] agent: 短', '[00:25-00:26] agent: 后']);
    expect(gapsOf(c)).toEqual([[20, 25, '长', '后']]);
  });

  it('reads turns out of order', () => {
    const c = raw([
      { speaker: 'customer', start: 30, end: 31, text: '丁' },
      { speaker: 'agent', start: 0, end: 5, text: '甲' },
      { speaker: 'customer', start: 9, end: 12, text: '乙' },
    ]);
    expect(gapsOf(c)).toEqual([
      [5, 9, '甲', '乙'],
      [12, 30, '乙', '丁'],
    ]);
  });

  it('measures no silence before the first words or after the last', () => {
    expect(gapsOf(call(['[00:20-00:25] agent: 甲', '[00:25-00:30] customer: 乙']))).toEqual([]);
  });

  it('a start-only utterance lasts until the next one starts: no silence right after it', () => {
    const c = raw([
      { speaker: 'agent', start: 0, end: 5, text: '甲' },
      { speaker: 'customer', start: 10, text: '乙' },
      { speaker: 'agent', start: 40, end: 42, text: '丙' },
      { speaker: 'customer', start: 50, end: 51, text: '丁' },
    ]);
    expect(gapsOf(c)).toEqual([
      [5, 10, '甲', '乙'],
      [42, 50, '丙', '丁'],
    ]);
  });

  it('is undefined when no utterance has an end (untimed, or chat messages)', () => {
    expect(speechGaps(call(['agent: 甲', 'customer: 乙']))).toBeUndefined();
    expect(
      speechGaps(
        raw([
          { speaker: 'customer', start: 0, text: '有人吗' },
          { speaker: 'agent', start: 40, text: '您好' },
        ]),
      ),
    ).toBeUndefined();
  });
});

describe('overlaps', () => {
  it('finds both directions, with the overlap duration', () => {
    const c = call(['[00:00-00:10] customer: 甲', '[00:07-00:12] agent: 乙', '[00:11-00:13] customer: 丙']);
    expect(overlaps(c)?.map((o) => [o.by, o.start, o.seconds, o.utterance.text, o.over.text])).toEqual([
      ['agent', 7, 3, '乙', '甲'],
      ['customer', 11, 1, '丙', '乙'],
    ]);
  });

  it('an utterance wholly inside the other speaker’s overlaps for its own length', () => {
    const c = call(['[00:00-00:20] customer: 长', '[00:05-00:08] agent: 短']);
    expect(overlaps(c)?.map((o) => [o.by, o.seconds])).toEqual([['agent', 3]]);
  });

  it('the same speaker’s overlapping segments, simultaneous starts and touching turns are not overlaps', () => {
    const c = call([
      '[00:00-00:10] agent: 甲',
      '[00:05-00:12] agent: 乙',
      '[00:12-00:15] customer: 丙',
      '[00:20-00:25] agent: 丁',
      '[00:20-00:22] customer: 戊',
    ]);
    expect(overlaps(c)).toEqual([]);
  });

  it('takes the longest overlap when two of the other speaker’s utterances are under way', () => {
    const c = call(['[00:00-00:06] customer: 甲', '[00:01-00:09] customer: 乙', '[00:05-00:10] agent: 丙']);
    expect(overlaps(c)?.map((o) => [o.seconds, o.over.text])).toEqual([[4, '乙']]);
  });

  it('an utterance without an end takes part in none', () => {
    const c = raw([
      { speaker: 'customer', start: 0, end: 10, text: '甲' },
      { speaker: 'agent', start: 5, text: '乙' },
    ]);
    expect(overlaps(c)).toEqual([]);
  });

  it('is undefined for an untimed call', () => {
    expect(overlaps(call(['agent: 甲', 'customer: 乙']))).toBeUndefined();
  });
});

describe('talkTime', () => {
  it('is the union of each speaker’s utterances, and of everyone’s', () => {
    const c = call(['[00:00-00:10] agent: 甲', '[00:05-00:12] agent: 乙', '[00:08-00:15] customer: 丙', '[00:20-00:22] customer: 丁']);
    expect(talkTime(c)).toEqual({ agent: 12, customer: 9, any: 17 });
  });

  it('leaves out utterances without an end', () => {
    const c = raw([
      { speaker: 'agent', start: 0, end: 4, text: '甲' },
      { speaker: 'customer', start: 5, text: '乙' },
    ]);
    expect(talkTime(c)).toEqual({ agent: 4, customer: 0, any: 4 });
  });

  it('is undefined without utterance ends', () => {
    expect(talkTime(call(['agent: 甲']))).toBeUndefined();
    expect(talkTime(raw([{ speaker: 'agent', start: 3, text: '甲' }]))).toBeUndefined();
  });
});
