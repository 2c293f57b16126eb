import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputItem } from '../../src/ingest/index.js';
import { EXTENSIONS } from '../../src/ingest/formats/index.js';
import { discoverInputs, newTally, readInput } from '../../src/ingest/index.js';
import type { Parsed } from '../../src/ingest/parsed.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callqa-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const GBK_NIHAO = Buffer.from([0xc4, 0xe3, 0xba, 0xc3]);
const utf8 = (s: string) => Buffer.from(s, 'utf8');

async function put(rel: string, content: string | Buffer): Promise<string> {
  const path = join(dir, rel);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, content);
  return path;
}

async function discover(inputs: string[], tally = newTally()): Promise<InputItem[]> {
  const out: InputItem[] = [];
  for await (const item of discoverInputs(inputs, tally)) out.push(item);
  return out;
}

async function read(item: InputItem): Promise<Parsed[]> {
  const out: Parsed[] = [];
  for await (const p of readInput(item)) out.push(p);
  return out;
}

/** A short summary of what a file yields: call ids, or `error@line: message`. */
function summary(parsed: Parsed[]): string[] {
  return parsed.map((p) => (p.call ? p.call.id : `error@${p.error?.line}: ${p.error?.error}`));
}

const seg = (text: string, speaker = 'agent') => JSON.stringify({ segments: [{ speaker, text }] });

describe('discoverInputs', () => {
  let tree: string;

  beforeAll(async () => {
    tree = join(dir, 'tree');
    await put('tree/b.json', seg('b'));
    await put('tree/a.txt', '客服: a');
    await put('tree/C.jsonl', seg('c'));
    await put('tree/notes.md', '# notes');
    await put('tree/README', 'readme');
    await put('tree/sub/x.ndjson', seg('x'));
    await put('tree/sub/y.pdf', 'a,b');
    await put('tree/sub/deeper/z.JSON', seg('z'));
    await put('tree/sub/w.MD', 'w');
    await put('tree/.hidden/h.json', seg('h'));
    await put('tree/node_modules/m.json', seg('m'));
  });

  it('recurses into directories in sorted order, skipping hidden directories and node_modules', async () => {
    const items = await discover([tree]);
    // Discovery no longer names a format; the reader picks it from the extension.
    const found: unknown[] = [];
    for (const i of items) found.push(i.kind === 'file' ? [relative(tree, i.path), (await read(i))[0]?.call?.format] : i.kind);
    expect(found).toEqual([
      ['C.jsonl', 'callqa-json'],
      ['a.txt', 'callqa-text'],
      ['b.json', 'callqa-json'],
      [join('sub', 'deeper', 'z.JSON'), 'callqa-json'],
      [join('sub', 'x.ndjson'), 'callqa-json'],
    ]);
  });

  it('counts the entries it skips by extension or kind (hidden, node_modules)', async () => {
    const tally = newTally();
    await discover([tree], tally);
    expect(tally.skipped).toBe(6);
    expect(Object.fromEntries(tally.skippedExtensions)).toEqual({ '.md': 2, '(none)': 1, '.pdf': 1, hidden: 1, node_modules: 1 });
  });

  it('keeps the order of the inputs as given and reports each problem in place', async () => {
    const tally = newTally();
    const xls = await put('named/export.xls', 'a,b');
    const noExt = await put('named/TRANSCRIPT', 'x');
    const txt = await put('named/one.txt', '客服: a');
    const missing = join(dir, 'named', 'missing.json');
    // Without the messages the reasons carry for readInput (test/ingest/messages.test.ts reads them).
    const items = (await discover([txt, missing, '-', xls, noExt, join(tree, 'sub')], tally)).map((item) => {
      if (item.kind !== 'unreadable') return item;
      const { said: _said, ...rest } = item;
      return rest;
    });
    expect(items).toEqual([
      { kind: 'file', path: txt },
      { kind: 'unreadable', path: missing, error: 'no such file or directory' },
      { kind: 'stdin' },
      {
        kind: 'unreadable',
        path: xls,
        error: 'unknown file type ".xls"; expected one of .json, .jsonc, .jsonl, .ndjson, .txt, .vtt, .srt, .csv, .tsv (or say which with --input-format)',
      },
      {
        kind: 'unreadable',
        path: noExt,
        error:
          'unknown file type "(no extension)"; expected one of .json, .jsonc, .jsonl, .ndjson, .txt, .vtt, .srt, .csv, .tsv (or say which with --input-format)',
      },
      { kind: 'file', path: join(tree, 'sub', 'deeper', 'z.JSON') },
      { kind: 'file', path: join(tree, 'sub', 'x.ndjson') },
    ]);
    // Named files of an unknown type are errors, not skips; only the directory's files are counted.
    expect(tally.skipped).toBe(2);
    expect(Object.fromEntries(tally.skippedExtensions)).toEqual({ '.pdf': 1, '.md': 1 });
  });

  it('knows the extensions of every format', () => {
    expect(EXTENSIONS).toEqual(['.json', '.jsonc', '.jsonl', '.ndjson', '.txt', '.vtt', '.srt', '.csv', '.tsv']);
  });

  it('yields nothing for an empty directory', async () => {
    await mkdir(join(dir, 'empty-dir'));
    const tally = newTally();
    expect(await discover([join(dir, 'empty-dir')], tally)).toEqual([]);
    expect(tally.skipped).toBe(0);
  });
});

describe('readInput', () => {
  it('turns an unreadable item into one error without a line', async () => {
    expect(await read({ kind: 'unreadable', path: 'x/missing.json', error: 'no such file or directory' })).toEqual([
      { error: { source: 'x/missing.json', error: 'no such file or directory' } },
    ]);
  });

  it('reads a named file of unknown type as an error, end to end', async () => {
    const path = await put('end-to-end/calls.xml', '<calls/>');
    const [item] = await discover([path]);
    expect(await read(item as InputItem)).toEqual([
      {
        error: {
          source: path,
          error: 'unknown file type ".xml"; expected one of .json, .jsonc, .jsonl, .ndjson, .txt, .vtt, .srt, .csv, .tsv (or say which with --input-format)',
        },
      },
    ]);
  });

  it('reads a missing path as a "no such file" error, end to end', async () => {
    const path = join(dir, 'nope', 'gone.json');
    const [item] = await discover([path]);
    expect(await read(item as InputItem)).toEqual([{ error: { source: path, error: 'no such file or directory' } }]);
  });

  it('reports a file that vanished after discovery', async () => {
    expect(await read({ kind: 'file', path: join(dir, 'vanished.json') })).toEqual([
      { error: { source: join(dir, 'vanished.json'), error: 'cannot read: ENOENT' } },
    ]);
  });

  it('reads a .json array with the path as the source', async () => {
    const path = await put('json/day.json', `[${seg('一')},\n${seg('二', '客户')}]`);
    const out = await read({ kind: 'file', path });
    expect(summary(out)).toEqual(['day-1', 'day-2']);
    expect(out[1]?.call?.source).toBe(path);
    expect(out[1]?.call?.utterances).toEqual([{ role: 'customer', text: '二' }]);
  });

  it('reads a .txt transcript', async () => {
    const path = await put('text/t1.txt', '# call_id: T-1\n[00:01] 客服：您好\n[00:03] 客户：你好\n');
    const out = await read({ kind: 'file', path });
    expect(out).toEqual([
      {
        call: {
          id: 'T-1',
          source: path,
          format: 'callqa-text',
          line: 1,
          agent: {},
          hangupBy: 'unknown',
          utterances: [
            { role: 'agent', start: 1, end: 3, endInferred: true, text: '您好' },
            { role: 'customer', start: 3, text: '你好' },
          ],
        },
      },
    ]);
  });

  describe('.jsonl', () => {
    it('keeps reading after a bad line and reports each bad line by number', async () => {
      const path = await put(
        'jsonl/mixed.jsonl',
        [
          seg('one'),
          '',
          '{"call_id": "broken", "segments": [',
          JSON.stringify({ call_id: 'who', segments: [{ speaker: 'robot', text: 'x' }] }),
          JSON.stringify({ call_id: 'K5', segments: [{ speaker: 'C', text: 'five' }] }),
          seg('six'),
          '',
        ].join('\n'),
      );
      const out = await read({ kind: 'file', path });
      expect(summary(out)).toEqual([
        'mixed-1',
        'error@3: invalid JSON: the text ends in the middle of a value (truncated?)',
        'error@4: segments[0].speaker: unknown speaker "robot"; expected agent, 坐席, 客服, A (agent) or customer, caller, 客户, 顾客, 用户, C (customer)',
        'K5',
        'mixed-6',
      ]);
      expect(out.map((p) => p.call?.line ?? p.error?.line)).toEqual([1, 3, 4, 5, 6]);
      expect(out[3]?.call?.utterances).toEqual([{ role: 'customer', text: 'five' }]);
      expect(out[1]?.error?.source).toBe(path);
    });

    it('reads CRLF line endings', async () => {
      const path = await put('jsonl/crlf.ndjson', `${seg('a')}\r\n${seg('b')}\r\n`);
      expect(summary(await read({ kind: 'file', path }))).toEqual(['crlf-1', 'crlf-2']);
    });

    it('accepts a UTF-8 BOM', async () => {
      const path = await put('jsonl/bom.jsonl', Buffer.concat([BOM, utf8(`${seg('您好')}\n${seg('再见')}`)]));
      const out = await read({ kind: 'file', path });
      expect(summary(out)).toEqual(['bom-1', 'bom-2']);
      expect(out[0]?.call?.utterances[0]?.text).toBe('您好');
    });

    it.each([
      ['blank lines only', '\n\n   \n\n'],
      ['an empty file', ''],
    ])('rejects %s', async (_name, content) => {
      const path = await put(`jsonl/blank-${content.length}.jsonl`, content);
      expect(await read({ kind: 'file', path })).toEqual([{ error: { source: path, line: 1, error: 'empty file: expected one call per line' } }]);
    });

    it('reports invalid UTF-8 with its byte offset', async () => {
      const before = `${seg('one')}\n${seg('two')}\n{"segments":[{"speaker":"agent","text":"`;
      const path = await put('jsonl/gbk.jsonl', Buffer.concat([utf8(before), GBK_NIHAO, utf8(`"}]}\n${seg('four')}\n`)]));
      const out = await read({ kind: 'file', path });
      const errors = out.flatMap((p) => (p.error ? [p.error] : []));
      expect(errors).toHaveLength(1);
      expect(errors[0]?.error).toBe(`not valid UTF-8: byte 0xc4 at byte offset ${Buffer.byteLength(before)} (save the file as UTF-8)`);
      expect(Buffer.byteLength(before)).toBe(136);
    });

    // BUG (src/ingest/index.ts utf8Lines): the line given is the line being read when the chunk
    // started (1 for any file under 64 KiB), not the line holding the bad byte.
    it('reports invalid UTF-8 on the line that holds the bad byte', async () => {
      const before = `${seg('one')}\n${seg('two')}\n{"segments":[{"speaker":"agent","text":"`;
      const path = await put('jsonl/gbk-line.jsonl', Buffer.concat([utf8(before), GBK_NIHAO, utf8('"}]}\n')]));
      const out = await read({ kind: 'file', path });
      const errors = out.flatMap((p) => (p.error ? [p.error] : []));
      expect(errors.map((e) => e.line)).toEqual([3]);
    });

    // Lines are split on the newline byte and decoded whole, so a 64 KiB chunk boundary inside a
    // character cannot shift the offset.
    it('reports the true byte offset of invalid UTF-8 beyond the first 64 KiB', async () => {
      // 41 bytes of prefix + 3-byte characters: the 65,536-byte chunk boundary falls inside a character.
      const first = `{"segments":[{"speaker":"agent","text":"a${'您'.repeat(30000)}"}]}\n`;
      const before = `${first}{"segments":[{"speaker":"agent","text":"`;
      const path = await put('jsonl/big-gbk.jsonl', Buffer.concat([utf8(before), GBK_NIHAO, utf8('"}]}\n')]));
      const out = await read({ kind: 'file', path });
      const errors = out.flatMap((p) => (p.error ? [p.error] : []));
      expect(errors.map((e) => e.error)).toEqual([`not valid UTF-8: byte 0xc4 at byte offset ${Buffer.byteLength(before)} (save the file as UTF-8)`]);
    });

    it('reports a file that ends in the middle of a character, after the good lines', async () => {
      const path = await put('jsonl/cut.jsonl', Buffer.concat([utf8(`${seg('one')}\n`), Buffer.from([0xe4, 0xbd])]));
      expect(summary(await read({ kind: 'file', path }))).toEqual([
        'cut-1',
        `error@2: not valid UTF-8: byte 0xe4 at byte offset ${Buffer.byteLength(`${seg('one')}\n`)} (save the file as UTF-8)`,
      ]);
    });
  });

  describe('.json and .txt', () => {
    it.each([
      ['callqa-json', 'bom.json', seg('您好')],
      ['callqa-text', 'bom.txt', '客服：您好'],
    ] as const)('accepts a UTF-8 BOM (%s)', async (format, name, content) => {
      const path = await put(`bom/${name}`, Buffer.concat([BOM, utf8(content)]));
      const out = await read({ kind: 'file', path });
      expect(out).toHaveLength(1);
      expect(out[0]?.call?.format).toBe(format);
      expect(out[0]?.call?.id).toBe('bom');
      expect(out[0]?.call?.utterances).toEqual([{ role: 'agent', text: '您好' }]);
    });

    it('reports GBK bytes in a .txt file with the offset and line', async () => {
      const before = '# call_id: g\n客服：您好\n客户：';
      const path = await put('gbk/g.txt', Buffer.concat([utf8(before), GBK_NIHAO, utf8('\n')]));
      expect(await read({ kind: 'file', path })).toEqual([
        { error: { source: path, line: 3, error: 'not valid UTF-8: byte 0xc4 at byte offset 38 (save the file as UTF-8)' } },
      ]);
      expect(Buffer.byteLength(before)).toBe(38);
    });

    it('reports GBK bytes in a .json file with the offset and line', async () => {
      const path = await put('gbk/g.json', Buffer.concat([utf8('{\n  "segments": [{"speaker": "agent", "text": "'), GBK_NIHAO, utf8('"}]\n}\n')]));
      expect(await read({ kind: 'file', path })).toEqual([
        { error: { source: path, line: 2, error: 'not valid UTF-8: byte 0xc4 at byte offset 47 (save the file as UTF-8)' } },
      ]);
    });

    it.each([
      ['json', 'empty.json', ''],
      ['json', 'spaces.json', ' \n\t\n'],
      ['text', 'empty.txt', ''],
      ['text', 'bom-only.txt', BOM],
    ] as const)('rejects an empty %s file (%s)', async (_format, name, content) => {
      const path = await put(`empty/${name}`, content);
      expect(await read({ kind: 'file', path })).toEqual([{ error: { source: path, line: 1, error: 'empty file: no calls' } }]);
    });

    it('rejects a .json file holding an empty array', async () => {
      const path = await put('empty/array.json', '[]\n');
      expect(await read({ kind: 'file', path })).toEqual([
        { error: { source: path, line: 1, error: 'expected a call object or an array of calls; the array is empty' } },
      ]);
    });

    it('reports truncated JSON in a file at its last line', async () => {
      const path = await put('trunc/t.json', '{\n  "call_id": "t",\n  "segments": [\n    {"speaker": "agent", "text":');
      expect(await read({ kind: 'file', path })).toEqual([
        { error: { source: path, line: 4, error: 'invalid JSON: the text ends in the middle of a value (truncated?)' } },
      ]);
    });
  });
});

describe('JSONL read in blocks of whole lines', () => {
  const lineOf = (i: number) =>
    JSON.stringify({ call_id: `c${i}`, agent: { id: 'A1' }, segments: [{ speaker: 'agent', text: `您好，第${i}通电话，${'好的'.repeat(i % 7)}` }] });

  it('gives every line its number across 64 KB reads, and a bad byte deep in the file costs only its line', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => utf8(lineOf(i + 1)));
    // Line 2,345 gets a byte no UTF-8 has, in the middle of the file (far past the first read).
    const bad = 2345;
    const broken = lines[bad - 1] as Buffer;
    const at = broken.indexOf(utf8('第'));
    lines[bad - 1] = Buffer.concat([broken.subarray(0, at), Buffer.from([0xff]), broken.subarray(at)]);
    const offset = lines.slice(0, bad - 1).reduce((sum, l) => sum + l.length + 1, 0) + at;
    const path = await put('blocks/big.jsonl', Buffer.concat([BOM, Buffer.concat(lines.flatMap((l) => [l, utf8('\n')]))]));
    const parsed: Parsed[] = [];
    for await (const p of readInput({ kind: 'file', path })) parsed.push(p);
    expect(parsed).toHaveLength(3000);
    const errors = parsed.filter((p) => p.error);
    expect(errors.map((p) => p.error)).toEqual([
      { source: path, line: bad, error: `not valid UTF-8: byte 0xff at byte offset ${offset + 3} (save the file as UTF-8)` },
    ]);
    const calls = parsed.flatMap((p) => (p.call ? [p.call] : []));
    expect(calls.map((c) => c.line)).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1).filter((n) => n !== bad));
    expect(calls[2999 - 1]?.id).toBe('c3000');
    expect(calls[0]?.utterances[0]?.text).toBe('您好，第1通电话，好的');
  });
});

describe('JSONL read from a pipe and read partly', () => {
  const lineOf = (i: number) => JSON.stringify({ call_id: `p${i}`, agent: { id: 'A1' }, segments: [{ speaker: 'agent', text: `您好，第${i}通` }] });
  const text = Array.from({ length: 2000 }, (_, i) => lineOf(i + 1)).join('\n');

  it.skipIf(process.platform === 'win32')('lists a named pipe as not a regular file, without waiting for a writer', async () => {
    const { execFileSync } = await import('node:child_process');
    await mkdir(join(dir, 'pipe'), { recursive: true });
    const fifo = join(dir, 'pipe', 'calls.fifo');
    execFileSync('mkfifo', [fifo]);
    // No process writes: an open for reading would wait for ever.
    const parsed: Parsed[] = [];
    for await (const p of readInput({ kind: 'file', path: fifo }, { inputFormat: 'callqa-jsonl' })) parsed.push(p);
    expect(parsed).toEqual([{ error: { source: fifo, error: 'not a regular file (a FIFO)' } }]);
  });

  it.skipIf(process.platform !== 'linux')('closes the file when its reader stops early', async () => {
    const { readdirSync } = await import('node:fs');
    const path = await put('early/calls.jsonl', text);
    const open = () => readdirSync('/proc/self/fd').length;
    const before = open();
    for (let k = 0; k < 20; k++) {
      for await (const p of readInput({ kind: 'file', path })) {
        expect(p.call?.id).toBe('p1');
        break;
      }
    }
    expect(open()).toBe(before);
  });
});
