import { describe, expect, it } from 'vitest';
import { type DateTimeOptions, readDateTime } from '../../src/ingest/date-time.js';

const JSON_TIME: DateTimeOptions = { form: 'iso', zone: 'required' };
const EXPORT_TIME: DateTimeOptions = { form: 'export', zone: 'optional' };
const utc = (text: string) => Date.parse(text);

describe('readDateTime: a callqa JSON message time (ISO 8601, a zone required)', () => {
  it.each([
    ['2026-03-12T09:15:02Z', utc('2026-03-12T09:15:02Z'), '2026-03-12T09:15:02Z'],
    ['2026-03-12T09:15:02+08:00', utc('2026-03-12T01:15:02Z'), '2026-03-12T09:15:02+08:00'],
    ['2026-03-12T09:15:02-0530', utc('2026-03-12T14:45:02Z'), '2026-03-12T09:15:02-05:30'],
    ['2026-03-12 09:15z', utc('2026-03-12T09:15:00Z'), '2026-03-12T09:15:00Z'],
    ['2026-03-12T09:15:02.5+08:00', utc('2026-03-12T01:15:02.500Z'), '2026-03-12T09:15:02.5+08:00'],
    ['2026-03-12T09:15:02,25Z', utc('2026-03-12T09:15:02.250Z'), '2026-03-12T09:15:02.25Z'],
    // Past the millisecond the digits are cut, as Date.parse cuts them.
    ['2026-03-12T09:15:02.123456789Z', utc('2026-03-12T09:15:02.123Z'), '2026-03-12T09:15:02.123456789Z'],
    ['2028-02-29T23:59:59+14:00', utc('2028-02-29T09:59:59Z'), '2028-02-29T23:59:59+14:00'],
    ['  2026-03-12T09:15:02Z  ', utc('2026-03-12T09:15:02Z'), '2026-03-12T09:15:02Z'],
  ])('reads %s', (text, ms, iso) => {
    expect(readDateTime(text, JSON_TIME)).toEqual({ ms, iso, zoned: true });
  });

  it.each([
    ['no zone', '2026-03-12T09:15:02'],
    ['slashes', '2026/03/12T09:15:02Z'],
    ['one-digit fields', '2026-3-12T09:15:02Z'],
    ['a space before the zone', '2026-03-12T09:15:02 Z'],
    ['a day February lacks', '2026-02-30T10:00:00Z'],
    ['29 February of a common year', '2026-02-29T10:00:00Z'],
    ['24:00', '2026-03-12T24:00:00Z'],
    ['24:00 without seconds', '2026-03-12T24:00Z'],
    ['a 60th second', '2026-03-12T10:00:60Z'],
    ['a 60th minute', '2026-03-12T10:60:00Z'],
    ['month 13', '2026-13-12T10:00:00Z'],
    ['month 0', '2026-00-12T10:00:00Z'],
    ['day 0', '2026-03-00T10:00:00Z'],
    ['an offset of 24 hours', '2026-03-12T10:00:00+24:00'],
    ['an offset of 60 minutes', '2026-03-12T10:00:00+08:60'],
    ['an offset of hours only', '2026-03-12T10:00:00+08'],
    ['a date only', '2026-03-12'],
    ['words', '昨天 11:01'],
    ['nothing', ''],
  ])('is no time: %s', (_what, text) => {
    expect(readDateTime(text, JSON_TIME)).toBeUndefined();
  });
});

describe('readDateTime: a chat export cell (what platforms and Excel write, zone optional)', () => {
  it.each([
    // Without a zone a time is read as if in UTC: only the differences between messages are used.
    ['2026/3/12 20:01:15', utc('2026-03-12T20:01:15Z'), '2026-03-12T20:01:15', false],
    ['2026/3/12 9:15', utc('2026-03-12T09:15:00Z'), '2026-03-12T09:15:00', false],
    ['2026.03.12 09:15:02', utc('2026-03-12T09:15:02Z'), '2026-03-12T09:15:02', false],
    ['2026-03-12 09:15:02', utc('2026-03-12T09:15:02Z'), '2026-03-12T09:15:02', false],
    ['2026-03-12T09:15:02.5', utc('2026-03-12T09:15:02.500Z'), '2026-03-12T09:15:02.5', false],
    ['2026/3/12 09:15:02.125 +08:00', utc('2026-03-12T01:15:02.125Z'), '2026-03-12T09:15:02.125+08:00', true],
    ['2026-03-12T09:15:02-0800', utc('2026-03-12T17:15:02Z'), '2026-03-12T09:15:02-08:00', true],
    ['2026-03-12T01:15:02Z', utc('2026-03-12T01:15:02Z'), '2026-03-12T01:15:02Z', true],
    ['2024/2/29 0:00', utc('2024-02-29T00:00:00Z'), '2024-02-29T00:00:00', false],
  ])('reads %s', (text, ms, iso, zoned) => {
    expect(readDateTime(text, EXPORT_TIME)).toEqual({ ms, iso, zoned });
  });

  it('keeps the day a year before 100 names (Date.UTC would read 0099 as 1999)', () => {
    expect(readDateTime('0099-01-01 00:00:00', EXPORT_TIME)?.ms).toBe(Date.parse('0099-01-01T00:00:00Z'));
  });

  it.each([
    ['a day February lacks', '2026/2/30 10:00'],
    ['31 April', '2026-04-31 10:00:00'],
    ['24:00', '2026/3/12 24:00'],
    ['hour 25', '2026-03-12 25:15:02'],
    ['month 13', '2026-13-12 09:15:02'],
    ['month 0', '2026/0/12 09:15'],
    ['an offset of 25 hours', '2026-03-12T10:00:00+25:00'],
    ['an offset of 99 minutes', '2026-03-12T10:00:00-05:99'],
    ['a three-digit day', '2026/3/123 10:00'],
    ['words', '昨天 09:15'],
    ['a clock only', '09:15:02'],
  ])('is no time: %s', (_what, text) => {
    expect(readDateTime(text, EXPORT_TIME)).toBeUndefined();
  });

  it('requires a zone when asked, in either form', () => {
    expect(readDateTime('2026/3/12 20:01:15', { form: 'export', zone: 'required' })).toBeUndefined();
    expect(readDateTime('2026/3/12 20:01:15+08:00', { form: 'export', zone: 'required' })?.iso).toBe('2026-03-12T20:01:15+08:00');
    expect(readDateTime('2026-03-12T20:01:15', { form: 'iso', zone: 'optional' })?.ms).toBe(utc('2026-03-12T20:01:15Z'));
  });

  it('reads a long hostile value in linear time, and refuses it', () => {
    const long = `2026-03-12T09:15:02.${'1'.repeat(200_000)} ${' '.repeat(200_000)}x`;
    const started = performance.now();
    expect(readDateTime(long, EXPORT_TIME)).toBeUndefined();
    expect(readDateTime(`2026-03-12 09:15:02${' '.repeat(200_000)}+08:0`, EXPORT_TIME)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
