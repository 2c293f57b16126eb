import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestOptions } from '../../src/ingest/format.js';
import { discoverInputs, type InputItem, newTally, readInput } from '../../src/ingest/index.js';
import { countSegments } from '../../src/ingest/json.js';
import { MAX_SEGMENTS_PER_CALL, tooLarge } from '../../src/ingest/limits.js';
import { messageText } from '../../src/ingest/errors.js';
import { jsonlParts } from '../../src/ingest/parts.js';
import type { Parsed } from '../../src/ingest/parsed.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callqa-limits-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(rel: string, content: string | Buffer): Promise<string> {
  const path = join(dir, rel);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, content);
  return path;
}

async function read(item: InputItem, options: IngestOptions = {}): Promise<Parsed[]> {
  const out: Parsed[] = [];
  for await (const p of readInput(item, options)) out.push(p);
  return out;
}

/** Call ids, or `error@line: message`. */
const summary = (parsed: Parsed[]) => parsed.map((p) => (p.call ? p.call.id : `error@${p.error?.line}: ${p.error?.error}`));

/** A JSON Lines line of exactly `bytes` bytes (padding in the text of its one segment). */
function lineOf(id: string, bytes: number): string {
  const bare = JSON.stringify({ call_id: id, segments: [{ speaker: 'agent', text: '' }] });
  return JSON.stringify({ call_id: id, segments: [{ speaker: 'agent', text: 'x'.repeat(bytes - bare.length) }] });
}

describe('the record limit (--max-record-mb)', () => {
  it('says the size in MB of 1,000,000 bytes, with a decimal more where one would look equal to the limit', () => {
    expect(messageText('en', tooLarge(52_428_800, {}))).toBe('too large: 52.4 MB in one record; the limit is 16 MB (--max-record-mb)');
    expect(messageText('en', tooLarge(1_000_001, { maxRecordMb: 1 }))).toBe('too large: 1.000001 MB in one record; the limit is 1 MB (--max-record-mb)');
    expect(messageText('en', tooLarge(1_040_000, { maxRecordMb: 1 }))).toBe('too large: 1.04 MB in one record; the limit is 1 MB (--max-record-mb)');
    expect(messageText('en', tooLarge(2_000, { maxRecordMb: 0.001 }))).toBe('too large: 0.002 MB in one record; the limit is 0.001 MB (--max-record-mb)');
    expect(messageText('en', tooLarge(16_000_001, {}))).toBe('too large: 16.000001 MB in one record; the limit is 16 MB (--max-record-mb)');
  });

  it('reads a JSON Lines line of exactly the limit, and lists one a byte longer with its size', async () => {
    const path = await put('edge.jsonl', [lineOf('a', 1000), lineOf('b', 1001), lineOf('c', 999)].join('\n'));
    expect(summary(await read({ kind: 'file', path }, { maxRecordMb: 0.001 }))).toEqual([
      'a',
      'error@2: too large: 0.001001 MB in one record; the limit is 0.001 MB (--max-record-mb)',
      'c',
    ]);
  });

  it('drops a line that spans many reads without gathering it, and goes on at the next line (its number right)', async () => {
    // 300 KB: five of the reader's 64 KB reads; lines of 100 bytes before and after, read in blocks.
    const small = (k: number) => lineOf(`s${k}`, 100);
    const lines = [...Array.from({ length: 2000 }, (_, k) => small(k)), lineOf('huge', 300_000), ...Array.from({ length: 2000 }, (_, k) => small(2000 + k))];
    const path = await put('span.jsonl', `${lines.join('\n')}\n`);
    const parsed = await read({ kind: 'file', path }, { maxRecordMb: 0.1 });
    expect(parsed.filter((p) => p.error).map((p) => p.error)).toEqual([
      { source: path, line: 2001, error: 'too large: 0.3 MB in one record; the limit is 0.1 MB (--max-record-mb)' },
    ]);
    expect(parsed.filter((p) => p.call).map((p) => p.call?.line)).toEqual([
      ...Array.from({ length: 2000 }, (_, k) => k + 1),
      ...Array.from({ length: 2000 }, (_, k) => 2002 + k),
    ]);
  });

  it('lists a last line without a newline that is over the limit', async () => {
    const path = await put('last.jsonl', `${lineOf('a', 100)}\n${lineOf('b', 5000)}`);
    expect(summary(await read({ kind: 'file', path }, { maxRecordMb: 0.001 }))).toEqual([
      'a',
      'error@2: too large: 0.01 MB in one record; the limit is 0.001 MB (--max-record-mb)',
    ]);
  });

  it('lists a JSON document, a .txt and a .csv over the limit from their size, without a line', async () => {
    const doc = await put('big.json', lineOf('doc', 2500));
    const txt = await put('big.txt', `坐席：${'好'.repeat(1000)}\n`);
    const csv = await put('big.csv', `speaker,text\nagent,${'x'.repeat(3000)}\n`);
    const opts = { maxRecordMb: 0.002 };
    expect(await read({ kind: 'file', path: doc }, opts)).toEqual([
      { error: { source: doc, error: 'too large: 0.003 MB in one record; the limit is 0.002 MB (--max-record-mb)' } },
    ]);
    expect(await read({ kind: 'file', path: txt }, opts)).toEqual([
      { error: { source: txt, error: 'too large: 0.003 MB in one record; the limit is 0.002 MB (--max-record-mb)' } },
    ]);
    expect(await read({ kind: 'file', path: csv }, opts)).toEqual([
      { error: { source: csv, error: 'too large: 0.003 MB in one record; the limit is 0.002 MB (--max-record-mb)' } },
    ]);
    // The same files are read under the default limit of 16 MB.
    expect(summary(await read({ kind: 'file', path: doc }))).toEqual(['doc']);
  });
});

describe('the segment limit', () => {
  it(`lists a .txt call of ${MAX_SEGMENTS_PER_CALL + 1} segments, and reads one of ${MAX_SEGMENTS_PER_CALL}`, async () => {
    const lines = (n: number) => Array.from({ length: n }, (_, k) => (k % 2 ? 'C:x' : 'A:x')).join('\n');
    const over = await put('many.txt', lines(MAX_SEGMENTS_PER_CALL + 1));
    const at = await put('enough.txt', lines(MAX_SEGMENTS_PER_CALL));
    expect(summary(await read({ kind: 'file', path: over }))).toEqual(['error@1: call many: too large: 10,001 segments in one call; the limit is 10,000']);
    const parsed = await read({ kind: 'file', path: at });
    expect(parsed[0]?.call?.utterances).toHaveLength(10_000);
  });

  it('lists a JSON call of more segments before building them, naming the key', async () => {
    const segments = Array.from({ length: MAX_SEGMENTS_PER_CALL + 1 }, () => ({ speaker: 'A', text: '' }));
    const path = await put('many.json', JSON.stringify({ call_id: 'm', segments }));
    expect(summary(await read({ kind: 'file', path }))).toEqual(['error@1: segments: too large: 10,001 segments in one call; the limit is 10,000']);
  });
});

describe("counting a line's segments before parsing it", () => {
  it('counts the objects of the top-level segments array only, skipping strings with braces and escaped quotes', () => {
    const text = JSON.stringify({
      call_id: 'x',
      agent: { id: '{[' },
      meta: { segments: [{}, {}, {}] },
      segments: [
        { speaker: 'A', text: '{"segments":[{}]} \\"{' },
        { speaker: 'C', text: '}]', nested: { a: [{}] } },
      ],
    });
    expect(countSegments(text)).toBe(2);
    expect(countSegments('{"call_id":"x"}')).toBeUndefined();
  });

  it('lists a JSON Lines call of more segments than the limit without parsing it', async () => {
    const segments = Array.from({ length: 20_000 }, (_, k) => ({ speaker: k % 2 ? 'C' : 'A', text: '' }));
    const path = await put(
      'many.jsonl',
      `${JSON.stringify({ call_id: 'm', segments })}\n${JSON.stringify({ call_id: 'ok', segments: segments.slice(0, 3) })}\n`,
    );
    expect(summary(await read({ kind: 'file', path }))).toEqual(['error@1: segments: too large: 20,000 segments in one call; the limit is 10,000', 'ok']);
  });
});

describe.skipIf(process.platform === 'win32')('special files and symbolic links', () => {
  /** The inputs found, without the messages their reasons carry for readInput (test/ingest/messages.test.ts reads those). */
  async function discover(inputs: string[], tally = newTally()): Promise<InputItem[]> {
    const out: InputItem[] = [];
    for await (const item of discoverInputs(inputs, tally)) {
      if (item.kind !== 'unreadable') out.push(item);
      else {
        const { said: _said, ...rest } = item;
        out.push(rest);
      }
    }
    return out;
  }

  it('lists a FIFO, a device, broken and looping links named on the command line, and follows a link to a file', async () => {
    const good = await put('named/good.json', JSON.stringify({ segments: [{ speaker: 'agent', text: '您好' }] }));
    const fifo = join(dir, 'named', 'calls.jsonl');
    execFileSync('mkfifo', [fifo]);
    const dangling = join(dir, 'named', 'gone.json');
    await symlink(join(dir, 'named', 'nowhere.json'), dangling);
    const loop = join(dir, 'named', 'loop.json');
    await symlink(loop, loop);
    const link = join(dir, 'named', 'link.json');
    await symlink(good, link);
    expect(await discover([fifo, '/dev/zero', dangling, loop, link])).toEqual([
      { kind: 'unreadable', path: fifo, error: 'not a regular file (a FIFO)' },
      { kind: 'unreadable', path: '/dev/zero', error: 'not a regular file (a character device)' },
      { kind: 'unreadable', path: dangling, error: 'broken symbolic link' },
      { kind: 'unreadable', path: loop, error: 'symbolic link loop' },
      { kind: 'file', path: link },
    ]);
    // Read anyway (a file that became a FIFO after it was listed): not opened for reading, no wait.
    expect(await read({ kind: 'file', path: fifo })).toEqual([{ error: { source: fifo, error: 'not a regular file (a FIFO)' } }]);
    expect(summary(await read({ kind: 'file', path: link }))).toEqual(['link']);
    // Nor does the splitter of big JSON Lines files wait in its open: it leaves the FIFO to the reader.
    expect(jsonlParts(fifo, 1024)).toBeUndefined();
  });

  it('accounts for every entry of a directory: inputs (read or listed) + skipped by kind', async () => {
    const tree = join(dir, 'tree');
    const good = await put('tree/a-good.json', JSON.stringify({ segments: [{ speaker: 'agent', text: '您好' }] }));
    await put('tree/logo.png', 'png');
    await put('tree/.DS_Store', 'x');
    execFileSync('mkfifo', [join(tree, 'b-pipe.jsonl')]);
    await symlink(join(tree, 'missing.json'), join(tree, 'c-dangling.json'));
    await symlink(join(tree, 'd-loop.json'), join(tree, 'd-loop.json'));
    await symlink(good, join(tree, 'e-link.json'));
    await symlink(tree, join(tree, 'f-self')); // a folder above: read once
    await put('elsewhere/g.json', JSON.stringify({ segments: [{ speaker: 'agent', text: '您好' }] }));
    await symlink(join(dir, 'elsewhere'), join(tree, 'g-folder')); // another folder: followed
    const tally = newTally();
    const items = await discover([tree], tally);
    expect(items).toEqual([
      { kind: 'file', path: good },
      { kind: 'unreadable', path: join(tree, 'b-pipe.jsonl'), error: 'not a regular file (a FIFO)' },
      { kind: 'unreadable', path: join(tree, 'c-dangling.json'), error: 'broken symbolic link' },
      { kind: 'unreadable', path: join(tree, 'd-loop.json'), error: 'symbolic link loop' },
      { kind: 'file', path: join(tree, 'e-link.json') },
      { kind: 'file', path: join(tree, 'g-folder', 'g.json') },
    ]);
    expect(Object.fromEntries(tally.skippedExtensions)).toEqual({ hidden: 1, 'folder already read': 1, '.png': 1 });
    // 8 entries in tree, 1 in elsewhere: 6 inputs + 3 skipped.
    expect(items.length + tally.skipped).toBe(9);
  });
});
