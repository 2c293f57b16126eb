import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { messageText } from '../../src/ingest/errors.js';
import { isRecord } from '../../src/ingest/format.js';
import { factsFromCtr, isContactTraceRecord } from '../../src/metadata/ctr.js';
import { jsonDocuments } from '../../src/metadata/json-stream.js';
import { loadMetadataFile } from '../../src/metadata/load.js';
import { fixturePath } from '../helpers/parsed.js';

/** Each item as [line, document] or [line, the problem in English]. */
const read = (text: string) =>
  Array.from(jsonDocuments(text), (item) => ('doc' in item ? [item.line, item.doc] : [item.line, messageText('en', item.problem)]));

describe('jsonDocuments: the layouts of a record stream', () => {
  it.each<[string, string, [number, unknown][]]>([
    [
      'one a line',
      '{"a":1}\n{"a":2}\n\n{"a":3}\n',
      [
        [1, { a: 1 }],
        [2, { a: 2 }],
        [4, { a: 3 }],
      ],
    ],
    [
      'an array',
      '[\n  {"a":1},\n  {"a":2}\n]\n',
      [
        [2, { a: 1 }],
        [3, { a: 2 }],
      ],
    ],
    [
      'concatenated (Firehose)',
      '{"a":1}{"a":"}{"}{"a":3}',
      [
        [1, { a: 1 }],
        [1, { a: '}{' }],
        [1, { a: 3 }],
      ],
    ],
    [
      'pretty-printed, one after another',
      '{\n "a": 1\n}\n{\n "a": 2\n}',
      [
        [1, { a: 1 }],
        [4, { a: 2 }],
      ],
    ],
    ['an empty file', ' \n', []],
    ['an empty array', '[]', []],
  ])('%s', (_what, text, expected) => {
    expect(read(text)).toEqual(expected);
  });
});

describe('jsonDocuments: bad documents are problems with their line, and reading goes on', () => {
  it('a broken line of JSON Lines costs that line only', () => {
    expect(read('{"a":1}\n{"a":\n{"a":3}\n')).toEqual([
      [1, { a: 1 }],
      [2, 'a record that begins on this line is never closed: expected a JSON object ending in }'],
      [3, { a: 3 }],
    ]);
  });

  it('a line whose braces balance but whose JSON does not: the line of the mistake', () => {
    const [, bad, last] = read('{"a":1}\n{"a": tru}\n{"a":3}');
    expect(bad?.[0]).toBe(2);
    expect(bad?.[1]).toMatch(/JSON/);
    expect(last).toEqual([3, { a: 3 }]);
  });

  it('anything but an object is named, with its line', () => {
    expect(read('{"a":1}\nnull\n"text"\n{"a":2}')).toEqual([
      [1, { a: 1 }],
      [2, 'expected a JSON object starting with {, got "null"'],
      [3, 'expected a JSON object starting with {, got "\\"text\\""'],
      [4, { a: 2 }],
    ]);
  });

  it('an array missing a comma or its closing bracket', () => {
    expect(read('[{"a":1}\n{"a":2}')).toEqual([
      [1, { a: 1 }],
      [2, 'expected , or ] after a record of the array, got "{"'],
      [2, { a: 2 }],
      [1, 'a record that begins on this line is never closed: expected a JSON object ending in ]'],
    ]);
  });

  it('does a bounded amount of work on a long run of open brackets', () => {
    const started = Date.now();
    const items = read(`${'{'.repeat(200_000)}\n{"a":1}`);
    expect(items).toEqual([
      [1, 'a record that begins on this line is never closed: expected a JSON object ending in }'],
      [2, { a: 1 }],
    ]);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

/** The contact records of a fixture file, as call facts with the line each begins on. */
function factsOf(name: string) {
  const text = readFileSync(fixturePath('ctr-stream', name), 'utf8');
  return Array.from(jsonDocuments(text), (item) => {
    if (!('doc' in item) || !isRecord(item.doc) || !isContactTraceRecord(item.doc)) throw new Error(`not a contact record: ${JSON.stringify(item)}`);
    return { line: item.line, ...factsFromCtr(item.doc) };
  });
}

const FACTS = [
  {
    ids: ['7d2b9e41-5c0a-4f63-9e18-2a4c6b8d0f11'],
    facts: { hangupBy: 'customer', agentId: 'AL2065', queue: '燃气缴费', ringSeconds: 9, startedAt: '2026-03-18T01:41:52Z', direction: 'inbound' },
  },
  {
    ids: ['c41f0a6e-2b9d-4e57-8a13-9f6e0d2c7b35'],
    facts: { hangupBy: 'agent', agentId: 'zhaolei', queue: '回访', ringSeconds: 12.5, startedAt: '2026-03-18T02:05:00Z', direction: 'outbound' },
  },
  { ids: ['e8a3d5f7-1b2c-4d6e-9f08-3a5c7e9b1d24'], facts: { hangupBy: 'unknown', startedAt: '2026-03-18T01:43:40Z' } },
];

describe('the contact record stream fixtures: the same three records in each layout', () => {
  it.each<[string, number[]]>([
    ['contact-records.jsonl', [1, 2, 3]],
    ['contact-records-array.json', [2, 59, 116]],
    ['contact-records-firehose.json', [1, 1, 1]],
  ])('%s', (name, lines) => {
    const read = factsOf(name);
    expect(read.map((r) => r.line)).toEqual(lines);
    expect(read.map(({ ids, facts }) => ({ ids, facts }))).toEqual(FACTS);
  });
});

describe('--metadata reads the contact record stream in each layout', () => {
  it.each(['contact-records.jsonl', 'contact-records-array.json', 'contact-records-firehose.json'])('%s', async (name) => {
    const read = await loadMetadataFile(fixturePath('ctr-stream', name), { customerLeg: 'inbound' });
    expect(read.map((r) => ('error' in r ? r.error : { ids: r.ids, facts: r.facts }))).toEqual(FACTS);
  });

  it('a .json that is neither one document nor a stream of them still stops the run, with the first reading’s reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callqa-stream-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"ContactId": "a", "Agent": ');
    await expect(loadMetadataFile(bad, { customerLeg: 'inbound' })).rejects.toThrow(/bad\.json/);
    // Two records run together, the second broken: the first joins, the second is an error with its line.
    const half = join(dir, 'half.json');
    writeFileSync(
      half,
      '{"ContactId":"a","DisconnectReason":"AGENT_DISCONNECT"}\n{"ContactId":"b","Agent":}\n{"ContactId":"c","DisconnectReason":"CUSTOMER_DISCONNECT"}',
    );
    const read = await loadMetadataFile(half, { customerLeg: 'inbound' });
    expect(read.map((r) => ('error' in r ? `error at ${r.line}` : r.ids[0]))).toEqual(['a', 'error at 2', 'c']);
  });
});
