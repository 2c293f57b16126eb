import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { discoverInputs, newTally } from '../../src/ingest/index.js';
import type { Utterance } from '../../src/model/call.js';
import { scoreInput } from '../../src/pipeline/score-input.js';
import type { PreparedCall } from '../../src/model/call.js';
import {
  type CallRecord,
  callRecord,
  callRecordJson,
  callSummaryAndHead,
  numberJson,
  UTTERANCES_KEY,
  utteranceJsonBound,
  writeJsonString,
  writeUtteranceJson,
} from '../../src/results/codec.js';
import type { CallResult } from '../../src/scoring/score-call.js';
import { loadRubric } from '../../src/rubric/load.js';
import { greetingMatchersOf } from '../../src/rules/greeting.js';
import { scoreCall } from '../../src/scoring/score-call.js';
import { randomText, seeded } from '../helpers/random.js';
import { callOf } from '../helpers/rule-table.js';

// callRecordJson writes results.jsonl's call lines partly by hand for speed; JSON.stringify is the reference.

describe('numberJson writes what JSON.stringify writes', () => {
  it('on edge values', () => {
    const values = [0, -0, 0.01, 0.05, 0.1, 0.5, 1, 1.005, 13.06, 13.1, 99.99, 100, 1e-7, 5e-324, 0.001, 1e12 + 0.25, 9999999999999.99, 1e13, 1e21, 2 ** 53];
    const odd = [-1, -13.06, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MAX_VALUE, Number.MIN_VALUE];
    for (const x of [...values, ...odd]) expect(numberJson(x), String(x)).toBe(JSON.stringify(x));
  });

  it('on random times of zero to four decimals and on random doubles', () => {
    const random = seeded(11);
    for (let k = 0; k < 50_000; k++) {
      const decimals = k % 5;
      const scale = 10 ** decimals;
      const magnitude = 10 ** Math.floor(random() * 14);
      const x = k % 7 === 6 ? random() * magnitude : Math.round(random() * magnitude * scale) / scale;
      expect(numberJson(x), String(x)).toBe(JSON.stringify(x));
    }
  });
});

async function fixtureRecords(): Promise<CallRecord[]> {
  const rubric = await loadRubric(undefined);
  const ctx = { rubric, roles: { greetingElements: greetingMatchersOf(rubric) }, ingest: {} };
  const tally = newTally();
  const records: CallRecord[] = [];
  for await (const item of discoverInputs(['fixtures/calls', 'fixtures/formats'], tally)) {
    for await (const scored of scoreInput(item, ctx, tally)) {
      if (!scored.result) continue;
      const record = callRecord(scored.result, scored.prepared, records.length);
      expectSummary(record, callSummaryAndHead(scored.result, scored.prepared, records.length).summary);
      expectWrittenLine(record, scored.result, scored.prepared, records.length);
      records.push(record);
    }
  }
  return records;
}

/** callSummaryAndHead's summary is the record less its utterances, keys in the same order (its line: expectWrittenLine). */
function expectSummary(record: CallRecord, summary: ReturnType<typeof callSummaryAndHead>['summary']): void {
  const { utterances: _utterances, ...rest } = record;
  expect(Object.keys(summary)).toEqual(Object.keys(rest));
  expect(JSON.stringify(summary)).toBe(JSON.stringify(rest));
}

/** The line as a worker writes it (chunks.ts): the head less its last brace, the utterances written as bytes, the brace; and where its seq begins. */
function writtenLine(result: CallResult, call: PreparedCall, seq: number): { line: Buffer; seqAt: number } {
  const { head, seqAt } = callSummaryAndHead(result, call, seq);
  const bound = call.utterances.reduce((n, u) => n + utteranceJsonBound(u), 2);
  const pieces = [Buffer.from(head.slice(0, seqAt)), Buffer.from(`${head.slice(seqAt, -1)}${UTTERANCES_KEY}[`)];
  const out = new Uint8Array(bound);
  let end = 0;
  call.utterances.forEach((u, k) => {
    end = writeUtteranceJson(u, k === 0, out, end);
  });
  pieces.push(Buffer.from(out.subarray(0, end)), Buffer.from(']}'));
  return { line: Buffer.concat(pieces), seqAt: (pieces[0] as Buffer).length };
}

function expectWrittenLine(record: CallRecord, result: CallResult, call: PreparedCall, seq: number): void {
  const { line, seqAt } = writtenLine(result, call, seq);
  const json = JSON.stringify(record);
  expect(line.equals(Buffer.from(json)), record.callId).toBe(true);
  const k = json.indexOf('"seq":') + '"seq":'.length;
  expect(seqAt).toBe(Buffer.byteLength(json.slice(0, k)));
}

describe('writeJsonString writes JSON.stringify as UTF-8', () => {
  it('for any string: lone surrogates, control characters, quotes and backslashes included', () => {
    const unit = fc.oneof(
      fc.constantFrom('"', '\\', '\b', '\t', '\n', '\f', '\r', '\u0000', '\u001f', '\u007f', '\u2028', '\ud800', '\udbff', '\udc00', '\udfff', '😀', 'é', '好'),
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 40 }), (units) => {
        const text = units.join('');
        const out = new Uint8Array(6 * text.length + 2);
        const end = writeJsonString(text, out, 0);
        expect(Buffer.from(out.subarray(0, end)).equals(Buffer.from(JSON.stringify(text)))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('callRecordJson writes what JSON.stringify writes', () => {
  it('for every call of the fixtures, and leaves the record as it was', async () => {
    const records = await fixtureRecords();
    expect(records.length).toBeGreaterThan(20);
    for (const record of records) {
      const before = JSON.stringify(record);
      expect(callRecordJson(record), record.callId).toBe(before);
      expect(JSON.stringify(record)).toBe(before);
    }
  });

  it('for random calls: texts with quotes, escapes, surrogates and the key itself; times of any kind; start and ring fields', async () => {
    const rubric = await loadRubric(undefined);
    const random = seeded(12);
    const alphabet = [
      '好',
      '您',
      '"',
      '\\',
      '\n',
      '\u0001',
      '\u2028',
      '\ud800',
      '\udc00',
      '😀',
      'a',
      ' ',
      '"utterances":[]',
      '138 1234 5678',
      '不知道',
      '"type":"call","schema_version":2,"seq":1}',
    ];
    const time = () => [Math.round(random() * 60000) / 100, Math.round(random() * 600000) / 1000, random() * 600, 0][Math.floor(random() * 4)] as number;
    for (let k = 0; k < 2_000; k++) {
      const timed = random() < 0.7;
      const utterances: Utterance[] = Array.from({ length: 1 + Math.floor(random() * 6) }, (_, i) => {
        const u: Utterance = { speaker: i % 2 === 0 ? 'agent' : 'customer', text: randomText(random, alphabet, 8) };
        if (timed) {
          u.start = time();
          u.end = u.start + time();
        }
        return u;
      });
      const extra = random() < 0.5 ? { startedAt: '2026-03-05T15:36:27+08:00', ringSeconds: Math.floor(random() * 30) } : {};
      const call = callOf(utterances, { id: randomText(random, alphabet, 4) || 'x', ...extra });
      const result = scoreCall(call, rubric);
      const record = callRecord(result, call, k);
      expect(callRecordJson(record), JSON.stringify(utterances)).toBe(JSON.stringify(record));
      expectSummary(record, callSummaryAndHead(result, call, k).summary);
      expectWrittenLine(record, result, call, k);
    }
  });
});
