import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectEncoding } from '../../src/ingest/encoding.js';
import { type InputItem, readInput } from '../../src/ingest/index.js';
import type { Parsed } from '../../src/ingest/parsed.js';
import { type InputPart, jsonlParts } from '../../src/ingest/parts.js';
import { seeded } from '../helpers/random.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callqa-parts-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const utf8 = (s: string) => Buffer.from(s, 'utf8');
// GBK (GB18030) bytes of the characters the test writes, made once with python3: `c.encode('gbk').hex()`.
const GBK: Record<string, string> = {
  您: 'c4fa',
  好: 'bac3',
  '，': 'a3ac',
  请: 'c7eb',
  问: 'ceca',
  有: 'd3d0',
  什: 'cab2',
  么: 'c3b4',
  可: 'bfc9',
  以: 'd2d4',
  帮: 'b0ef',
  第: 'b5da',
  通: 'cda8',
  '。': 'a1a3',
  '？': 'a3bf',
  的: 'b5c4',
};

/** GB18030 bytes of a text (Node decodes GB18030 but has no encoder for it). */
function encodeGb18030(text: string): Buffer {
  return Buffer.concat(
    [...text].map((ch) => {
      const hex = GBK[ch];
      if (hex) return Buffer.from(hex, 'hex');
      if (ch.charCodeAt(0) >= 0x80) throw new Error(`no GBK bytes for ${ch} in the table`);
      return Buffer.from(ch, 'latin1');
    }),
  );
}

async function put(name: string, bytes: Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

async function readAll(item: InputItem, options = {}): Promise<Parsed[]> {
  const out: Parsed[] = [];
  for await (const p of readInput(item, options)) out.push(p);
  return out;
}

const call = (i: number, text: string) =>
  JSON.stringify({
    call_id: `c${i}`,
    agent: { id: `A${i % 5}` },
    segments: [
      { speaker: 'agent', start: 0, end: 3, text },
      { speaker: 'customer', start: 3, end: 4, text: '好的' },
    ],
  });

/**
 * A JSONL export with what real ones hold between their calls: blank and whitespace-only lines,
 * CRLF endings, a line longer than a read block, broken JSON, a byte no UTF-8 has, and no newline
 * after the last line.
 */
function messyExport(lines: number, seed: number): Buffer {
  const random = seeded(seed);
  const out: Buffer[] = [utf8('\ufeff')];
  for (let i = 1; i <= lines; i++) {
    const r = random();
    let line: Buffer;
    if (r < 0.03) line = utf8('');
    else if (r < 0.05) line = utf8('   \t');
    else if (r < 0.07) line = utf8(`{"call_id": "broken-${i}", "segments": [`);
    else if (r < 0.08) line = Buffer.concat([utf8(call(i, '您好，').slice(0, -10)), Buffer.from([0xff]), utf8(call(i, '').slice(-10))]);
    else if (r < 0.085) line = utf8(call(i, `很长的一句话。${'请您稍等。'.repeat(5000)}`));
    else line = utf8(call(i, `您好，第${i}通电话，${'请问还有什么可以帮您？'.repeat(Math.floor(random() * 6))}`));
    out.push(line, utf8(random() < 0.1 ? '\r\n' : '\n'));
  }
  out.push(utf8(call(lines + 1, '最后一行没有换行')));
  return Buffer.concat(out);
}

/** What the parts of a file must be: contiguous, cut after newlines, numbered as the whole file's lines. */
function expectWellCut(bytes: Buffer, parts: InputPart[], partBytes: number): void {
  expect(parts.length).toBeGreaterThan(1);
  expect(parts[0]?.start).toBe(0);
  expect(parts.at(-1)?.end).toBe(bytes.length);
  for (const [k, part] of parts.entries()) {
    expect(part.index).toBe(k);
    expect(part.last).toBe(k === parts.length - 1);
    if (k > 0) {
      expect(part.start).toBe(parts[k - 1]?.end);
      expect(bytes[part.start - 1]).toBe(0x0a);
    }
    let newlines = 0;
    for (let i = 0; i < part.start; i++) if (bytes[i] === 0x0a) newlines++;
    expect(part.line).toBe(newlines + 1);
    // Every part but the last holds at least a part's worth; the last is never a sliver.
    expect(part.end - part.start).toBeGreaterThanOrEqual(part.last ? partBytes / 2 : partBytes);
  }
}

/** The parts read one by one, in order, give what reading the whole file gives. */
async function expectSameAsWhole(path: string, parts: InputPart[], options = {}): Promise<Parsed[]> {
  const whole = await readAll({ kind: 'file', path }, options);
  const pieces: Parsed[] = [];
  for (const part of parts) pieces.push(...(await readAll({ kind: 'file', path, part }, options)));
  expect(pieces).toEqual(whole);
  return whole;
}

describe('a big JSON Lines file is read in parts that together give what the whole file gives', () => {
  it('cuts after newlines, numbers lines and bytes as the whole file does, whatever lies between the calls', async () => {
    for (const seed of [1, 2, 3]) {
      const bytes = messyExport(2500, seed);
      const path = await put(`messy-${seed}.jsonl`, bytes);
      const partBytes = 40_000 + seed * 7_777;
      const parts = jsonlParts(path, partBytes) as InputPart[];
      expectWellCut(bytes, parts, partBytes);
      expect(parts.every((p) => p.encoding === 'utf-8')).toBe(true);
      const whole = await expectSameAsWhole(path, parts);
      // The file really holds what parts must get right: errors with their lines and byte offsets, deep in it.
      const errors = whole.flatMap((p) => (p.error ? [p.error] : []));
      expect(errors.some((e) => /byte 0xff at byte offset \d{5,}/.test(e.error) && (e.line ?? 0) > 1000)).toBe(true);
      expect(errors.some((e) => e.error.startsWith('invalid JSON') && (e.line ?? 0) > 1000)).toBe(true);
      expect(whole.filter((p) => p.call).length).toBeGreaterThan(2000);
    }
  });

  it('gives every part the encoding the whole-file reader detects in its first block that is not plain ASCII', async () => {
    // GB18030 after more than a block of ASCII-only lines: the reader of the whole file decides on a later block.
    const ascii = Array.from({ length: 1200 }, (_, i) =>
      JSON.stringify({ call_id: `a${i}`, agent: { id: 'A1' }, segments: [{ speaker: 'agent', text: 'Hello, how can I help you today?' }] }),
    );
    const chinese = Array.from({ length: 3000 }, (_, i) => call(i, `您好，请问有什么可以帮您？第${i}通。`));
    // Then lines whose only Chinese is 什么: in GBK the bytes ca b2 c3 b4, which are valid UTF-8 too ("ʲô"). A
    // part of these alone would look like UTF-8; it must be read as the whole file is, as GB18030.
    const lookAlike = Array.from({ length: 1500 }, (_, i) =>
      JSON.stringify({
        call_id: `t${i}`,
        agent: { id: 'A2' },
        segments: [
          { speaker: 'agent', text: `OK 什么 ${i}` },
          { speaker: 'customer', text: 'fine' },
        ],
      }),
    );
    expect(Buffer.from(encodeGb18030('什么')).toString('utf8')).toBe('ʲô');
    const text = `${[...ascii, ...chinese, ...lookAlike].join('\n')}\n`;
    const encoded = encodeGb18030(text);
    const path = await put('gb.jsonl', encoded);
    const parts = jsonlParts(path, 50_000) as InputPart[];
    expectWellCut(encoded, parts, 50_000);
    const firstWide = encoded.findIndex((b) => b >= 0x80);
    const block = Math.floor(firstWide / 65536);
    expect(block).toBeGreaterThan(0);
    expect(detectEncoding(encoded.subarray(block * 65536, (block + 1) * 65536))).toBe('gb18030');
    expect(new Set(parts.map((p) => p.encoding))).toEqual(new Set(['gb18030']));
    const whole = await expectSameAsWhole(path, parts);
    expect(whole.every((p) => p.call)).toBe(true);
    expect(whole.at(-1)?.call?.utterances[0]?.text).toBe('OK 什么 1499');
    expect(parts.some((p) => p.start > encoded.lastIndexOf(encodeGb18030('第2999通')))).toBe(true);
  });

  it('carries an encoding the user names (--encoding) to every part', async () => {
    const bytes = messyExport(800, 9);
    const path = await put('named.jsonl', bytes);
    const parts = jsonlParts(path, 30_000, 'utf-8') as InputPart[];
    expect(parts.every((p) => p.encoding === 'utf-8')).toBe(true);
    await expectSameAsWhole(path, parts, { encoding: 'utf-8' });
  });

  it('leaves whole what is better read whole: small files, UTF-16, a start with nothing printable', async () => {
    const small = messyExport(100, 4);
    expect(jsonlParts(await put('small.jsonl', small), small.length / 2)).toBeUndefined();
    expect(jsonlParts(await put('small2.jsonl', small), small.length / 3)).toBeDefined();
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(messyExport(400, 5).toString('utf8'), 'utf16le')]);
    expect(jsonlParts(await put('utf16.jsonl', utf16), 20_000)).toBeUndefined();
    expect(jsonlParts(await put('utf8-named-16.jsonl', small), 1_000, 'utf-16le')).toBeUndefined();
    const blank = Buffer.concat([Buffer.alloc(70_000, 0x20), utf8('\n'), messyExport(400, 6)]);
    expect(jsonlParts(await put('blank.jsonl', blank), 20_000)).toBeUndefined();
    // Blank to the reader is more than ASCII white space (a BOM, ideographic spaces): such a file, read
    // whole, says it is empty; in parts, no part could.
    const wide = await put('wide-blank.jsonl', utf8(`\ufeff${'\u3000\u3000\n'.repeat(400_000)}`));
    expect(jsonlParts(wide, 100_000)).toBeUndefined();
    expect(await readAll({ kind: 'file', path: wide })).toEqual([{ error: { source: wide, line: 1, error: 'empty file: expected one call per line' } }]);
  });
});
