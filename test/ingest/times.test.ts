import { describe, expect, it } from 'vitest';
import {
  BACKWARDS as BACKWARDS_MESSAGE,
  checkCallTimes,
  MAX_CALL_SECONDS,
  parseRingSeconds,
  timeProblem as timeMessage,
  utteranceTimesProblem as utteranceMessage,
} from '../../src/ingest/call-fields.js';
import { type InputMessage, messageText } from '../../src/ingest/errors.js';

/** The checks' reasons in English, as errors.csv of an English run has them. */
const english = (m: InputMessage | undefined) => (m === undefined ? undefined : messageText('en', m));
const BACKWARDS = messageText('en', BACKWARDS_MESSAGE);
const timeProblem = (seconds: number) => english(timeMessage(seconds));
const utteranceTimesProblem = (start?: number, end?: number, previous?: number) => english(utteranceMessage(start, end, previous));
import callqaJson from '../../src/ingest/formats/callqa-json.js';
import srt from '../../src/ingest/formats/srt.js';
import vtt from '../../src/ingest/formats/vtt.js';
import { parseTextTranscript } from '../../src/ingest/text.js';
import { english as englishParsed, onlyCall, parseJson, parseText } from '../helpers/parsed.js';

/** Issue 15: times that go backwards, and absurd times (1e308, past 7 days), are errors at their place in every format. */

const errors = (out: { error?: { line?: number; error: string } }[]) => out.map((p) => (p.error ? [p.error.line, p.error.error] : ['call']));

describe('the common checks (src/ingest/call-fields.ts)', () => {
  it('a time is a number from 0 to 7 days', () => {
    expect(MAX_CALL_SECONDS).toBe(604_800);
    expect(timeProblem(0)).toBeUndefined();
    expect(timeProblem(604_800)).toBeUndefined();
    expect(timeProblem(604_800.5)).toBe(
      '604800.5 s (7 days) is more than 7 days (604800 s) from the start of the call; expected seconds from the start of the call',
    );
    expect(timeProblem(1e308)).toBe(
      '1e+308 s (1.16e+303 days) is more than 7 days (604800 s) from the start of the call; expected seconds from the start of the call',
    );
    expect(timeProblem(Number.POSITIVE_INFINITY)).toBe('expected seconds from the start of the call as a number ≥ 0, got null');
    expect(timeProblem(-1)).toBe('expected seconds from the start of the call as a number ≥ 0, got -1');
  });

  it('an utterance: each time usable, the end not before the start, the start not before the previous start', () => {
    expect(utteranceTimesProblem(10, 5)).toBe('the end (5 s) is before the start (10 s)');
    expect(utteranceTimesProblem(5, 8, 10)).toBe(BACKWARDS);
    expect(utteranceTimesProblem(10, 12, 10)).toBeUndefined();
    expect(utteranceTimesProblem(0, 1e308)).toContain('1e+308 s (1.16e+303 days) is more than 7 days');
  });

  it('checkCallTimes names the utterance', () => {
    expect(() =>
      checkCallTimes([
        { start: 0, end: 4 },
        { start: 5, end: 1e308 },
      ]),
    ).toThrow('utterance 2: 1e+308 s (1.16e+303 days) is more than 7 days (604800 s) from the start of the call; expected seconds from the start of the call');
    expect(() => checkCallTimes([{ start: 9, end: 3 }])).toThrow('utterance 1: the end (3 s) is before the start (9 s)');
    expect(() => checkCallTimes([{}, { start: 0, end: 1 }])).not.toThrow();
  });

  it('ring seconds are bounded too', () => {
    expect(parseRingSeconds('604800', 'ring_seconds')).toBe(604_800);
    expect(() => parseRingSeconds(1e308, 'ring_seconds', 3)).toThrow('ring_seconds: expected seconds up to 7 days (604800), got 1e+308');
  });
});

describe('.txt', () => {
  const text = (body: string) => errors(englishParsed(parseTextTranscript(`# call_id: T-1\n${body}`, 't.txt')));

  it('a range that ends before it starts is an error at its line', () => {
    expect(text('[00:00.0-00:04.0] 坐席：您好\n[00:10.0-00:05.0] 客户：网断了\n')).toEqual([
      [3, 'invalid timestamp [00:10.0-00:05.0]: the end is before the start'],
    ]);
  });

  it('ranged lines that go backwards are an error at the line that does', () => {
    expect(text('[00:00.0-00:04.0] 坐席：您好\n[00:10.0-00:12.0] 客户：网断了\n[00:05.0-00:08.0] 坐席：好的\n')).toEqual([[4, BACKWARDS]]);
    // Overlap (speech over speech) is not backwards.
    expect(text('[00:00.0-00:04.0] 坐席：您好\n[00:03.0-00:05.0] 客户：喂\n[00:03.0-00:06.0] 坐席：好的\n')).toEqual([['call']]);
  });

  it('start-only lines that go backwards keep their error', () => {
    expect(text('[00:10] 坐席：您好\n[00:05] 客户：网断了\n')).toEqual([[3, BACKWARDS]]);
  });

  it('a time past 7 days is an error at its line', () => {
    expect(text('[00:00.0-00:04.0] 坐席：您好\n[168:00:00-168:00:01] 客户：喂\n')).toEqual([
      [
        3,
        'invalid timestamp [168:00:00-168:00:01]: 604801 s (7 days) is more than 7 days (604800 s) from the start of the call; expected seconds from the start of the call',
      ],
    ]);
    expect(text('[99999999999999999999:00:00] 坐席：您好\n')[0]?.[0]).toBe(2);
  });
});

describe('.srt and .vtt', () => {
  const srtText = (a: string, b: string) => `1\n${a}\n坐席：您好\n\n2\n${b}\n客户：网断了\n`;
  const vttText = (a: string, b: string) => `WEBVTT\n\n${a}\n<v 坐席>您好\n\n${b}\n<v 客户>网断了\n`;

  it('a cue that starts before the cue above is an error at its timing line', () => {
    expect(errors(parseText(srt, srtText('00:00:10,000 --> 00:00:12,000', '00:00:05,000 --> 00:00:08,000'), 'a.srt'))).toEqual([[6, BACKWARDS]]);
    expect(errors(parseText(vtt, vttText('00:10.000 --> 00:12.000', '00:05.000 --> 00:08.000'), 'a.vtt'))).toEqual([[6, BACKWARDS]]);
    expect(onlyCall(parseText(srt, srtText('00:00:00,000 --> 00:00:04,000', '00:00:03,000 --> 00:00:08,000'), 'a.srt')).utterances).toHaveLength(2);
  });

  it('a cue time past 7 days is an error at its line', () => {
    expect(errors(parseText(srt, srtText('00:00:00,000 --> 00:00:04,000', '999999:00:00,000 --> 999999:00:01,000'), 'a.srt'))).toEqual([
      [
        6,
        'invalid cue timing "999999:00:00,000 --> 999999:00:01,000": 3599996400 s (41700 days) is more than 7 days (604800 s) from the start of the call; expected seconds from the start of the call',
      ],
    ]);
  });
});

describe('callqa JSON', () => {
  const doc = (segments: unknown[]) => JSON.stringify({ call_id: 'J-1', segments }, null, 1);
  const seg = (speaker: string, start: unknown, end: unknown) => ({ speaker, start, end, text: '您好' });

  it('1e308 is an error at its key path and line', () => {
    const out = parseJson(callqaJson, doc([seg('agent', 0, 4), seg('customer', 5, 1e308)]), 'j.json');
    expect(out.map((p) => p.error?.error)).toEqual([
      'segments[1].end: 1e+308 s (1.16e+303 days) is more than 7 days (604800 s) from the start of the call; expected seconds from the start of the call',
    ]);
    // The line of `"end": 1e+308` in the document.
    expect(out[0]?.error?.line).toBe(13);
  });

  it('a segment that starts before the segment above is an error at its start', () => {
    const out = parseJson(callqaJson, doc([seg('agent', 10, 12), seg('customer', 5, 8)]), 'j.json');
    expect(out.map((p) => p.error?.error)).toEqual([`segments[1].start: ${BACKWARDS}`]);
  });
});
