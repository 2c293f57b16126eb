import { execFileSync } from 'node:child_process';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsv, runCli, tempDir } from '../helpers/cli.js';

/** The four core rules: these tests are about inputs, not the default rubric's rule list. */
const CORE = 'test/data/core-rubric.yaml';

const call = (id?: string) =>
  JSON.stringify({
    ...(id ? { call_id: id } : {}),
    agent: { id: 'A1' },
    segments: [
      { speaker: 'agent', start: 0, end: 5, text: '您好，很高兴为您服务' },
      { speaker: 'customer', start: 5, end: 8, text: '我的宽带断了' },
    ],
  });

/** A call of exactly `bytes` bytes of JSON (padding in its last segment's text). */
function callOf(id: string, bytes: number): string {
  const bare = JSON.stringify({ call_id: id, agent: { id: 'A1' }, segments: [{ speaker: 'agent', text: '' }] });
  return JSON.stringify({ call_id: id, agent: { id: 'A1' }, segments: [{ speaker: 'agent', text: 'x'.repeat(bytes - bare.length) }] });
}

const callIds = async (out: string) => (await readCsv(join(out, 'calls.csv'))).map((c) => c.call_id);

describe('records over --max-record-mb beside good inputs', () => {
  let dir: string;
  let jsonl: string;
  let doc: string;

  beforeAll(async () => {
    dir = await tempDir();
    await mkdir(join(dir, 'in'));
    await writeFile(join(dir, 'in', 'a.json'), call('C-1'));
    // A 20.5 MB line between two good ones: over the 1 MB limit; the file (> 2 MB) is read in parts on workers.
    jsonl = join(dir, 'in', 'b.jsonl');
    await writeFile(jsonl, `${call('C-10')}\n${callOf('C-11', 20_480_000)}\n${call('C-12')}\n`);
    doc = join(dir, 'in', 'c.json');
    await writeFile(doc, callOf('C-20', 1_500_000));
  });

  it.each([
    ['workers', []],
    ['one thread', ['--jobs', '1']],
  ])(
    'lists the long line and the big document with their sizes and scores the rest, exit 3 (%s)',
    async (_, jobs) => {
      const out = join(dir, `out-${jobs.length}`);
      const run = await runCli(['score', '--rubric', CORE, join(dir, 'in'), '--out', out, '--max-record-mb', '1', ...jobs]);
      expect(run.stderr).not.toMatch(/internal error|out of memory/i);
      expect(run.code).toBe(3);
      expect(await readCsv(join(out, 'errors.csv'))).toEqual([
        { source: jsonl, line: '2', error: 'too large: 20.5 MB in one record; the limit is 1 MB (--max-record-mb)' },
        { source: doc, line: '', error: 'too large: 1.5 MB in one record; the limit is 1 MB (--max-record-mb)' },
      ]);
      expect(await callIds(out)).toEqual(['C-1', 'C-10', 'C-12']);
    },
    60_000,
  );

  it('reads the same document under the default limit of 16 MB', async () => {
    const out = join(dir, 'out-default');
    const run = await runCli(['score', '--rubric', CORE, doc, '--out', out]);
    expect(run.code).toBe(0);
    expect(await callIds(out)).toEqual(['C-20']);
  });

  it('reads JSON Lines on standard input past the limit a line at a time, listing the long line', async () => {
    const out = join(dir, 'out-stdin');
    const stdin = `${call('S-1')}\n${callOf('S-2', 500_000)}\n${call('S-3')}\n`;
    const run = await runCli(['score', '--rubric', CORE, '-', '--out', out, '--max-record-mb', '0.3'], { stdin });
    expect(run.code).toBe(3);
    expect(await readCsv(join(out, 'errors.csv'))).toEqual([
      { source: '<stdin>', line: '2', error: 'too large: 0.5 MB in one record; the limit is 0.3 MB (--max-record-mb)' },
    ]);
    expect(await callIds(out)).toEqual(['S-1', 'S-3']);
  });

  it('lists a JSON document on standard input past the limit without reading the rest', async () => {
    const out = join(dir, 'out-stdin-doc');
    const run = await runCli(['score', '--rubric', CORE, '-', '--out', out, '--max-record-mb', '1'], { stdin: `[${callOf('D-1', 1_500_000)}]` });
    expect(run.code).toBe(3);
    expect(await readCsv(join(out, 'errors.csv'))).toEqual([
      {
        source: '<stdin>',
        line: '',
        error: 'too large: more than 1 MB in one record (standard input that is not JSON Lines is read whole); the limit is 1 MB (--max-record-mb)',
      },
    ]);
  });

  it('refuses a limit that is not a number above 0 (exit 2)', async () => {
    const run = await runCli(['score', '--rubric', CORE, doc, '--out', join(dir, 'out-bad'), '--max-record-mb', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`option '--max-record-mb <n>' argument '0' is invalid. expected a number > 0, got "0"`);
  });
});

describe.skipIf(process.platform === 'win32')('special files and symbolic links', () => {
  it('lists a named FIFO and /dev/zero without reading them (no hang), and scores the good file', async () => {
    const dir = await tempDir();
    const good = join(dir, 'good.json');
    await writeFile(good, call('G-1'));
    const fifo = join(dir, 'calls.jsonl');
    execFileSync('mkfifo', [fifo]);
    const out = join(dir, 'out');
    const run = await runCli(['score', '--rubric', CORE, good, fifo, '/dev/zero', '--out', out]);
    expect(run.code).toBe(3);
    expect(await readCsv(join(out, 'errors.csv'))).toEqual([
      { source: '/dev/zero', line: '', error: 'not a regular file (a character device)' },
      { source: fifo, line: '', error: 'not a regular file (a FIFO)' },
    ]);
    expect(await callIds(out)).toEqual(['G-1']);
  }, 20_000);

  it('callqa explain refuses a FIFO and /dev/zero at once (exit 2)', async () => {
    const dir = await tempDir();
    const fifo = join(dir, 'results.jsonl');
    execFileSync('mkfifo', [fifo]);
    const run = await runCli(['explain', fifo]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`callqa: ${fifo}: not a regular file (a FIFO)\n`);
    const zero = await runCli(['explain', '/dev/zero']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toBe('callqa: /dev/zero: not a regular file (a character device)\n');
  }, 20_000);

  it('a rubric or call-record file that is a FIFO or /dev/zero: exit 2 at once, saying so, and no report', async () => {
    const dir = await tempDir();
    const good = join(dir, 'good.json');
    await writeFile(good, call('G-1'));
    const fifo = join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const cases: Array<[string[], string]> = [
      [['--rubric', fifo], `callqa: the rubric is not valid:\n  ${fifo}: cannot read rubric: not a regular file (a FIFO)\n`],
      [['--rubric', '/dev/zero'], 'callqa: the rubric is not valid:\n  /dev/zero: cannot read rubric: not a regular file (a character device)\n'],
      // The rubric read (zh-phone), the run's language is known: zh-CN.
      [['--metadata', fifo], `callqa: ${fifo}：无法读取通话元数据：不是普通文件（是命名管道）\n`],
      [['--metadata', '/dev/zero', '--lang', 'en'], 'callqa: /dev/zero: cannot read metadata: not a regular file (a character device)\n'],
    ];
    for (const [options, stderr] of cases) {
      const out = join(dir, 'out');
      const run = await runCli(['score', good, ...options, '--out', out, '-q']);
      expect(run.code, options.join(' ')).toBe(2);
      expect(run.stderr).toBe(stderr);
      await expect(readFile(join(out, 'calls.csv'))).rejects.toThrow(/ENOENT/);
    }
    const check = await runCli(['rubric', 'check', '/dev/zero']);
    expect(check.code).toBe(2);
    expect(check.stderr).toContain('/dev/zero: cannot read rubric: not a regular file (a character device)');
  }, 30_000);

  it('accounts for every entry of a directory: inputs scored or listed, the rest skipped by kind', async () => {
    const dir = await tempDir();
    const tree = join(dir, 'tree');
    await mkdir(tree);
    const good = join(tree, 'a-good.json');
    await writeFile(good, call());
    execFileSync('mkfifo', [join(tree, 'b-pipe.jsonl')]);
    await symlink(join(tree, 'missing.json'), join(tree, 'c-dangling.json'));
    await symlink(join(tree, 'd-loop.json'), join(tree, 'd-loop.json'));
    await symlink(good, join(tree, 'e-link.json'));
    await writeFile(join(tree, 'logo.png'), 'png');
    await writeFile(join(tree, '.hidden.json'), call());
    // 7 entries: 2 scored, 3 listed, 2 skipped.
    const out = join(dir, 'out');
    const run = await runCli(['score', '--rubric', CORE, tree, '--out', out]);
    expect(run.code).toBe(3);
    expect(await readCsv(join(out, 'errors.csv'))).toEqual([
      { source: join(tree, 'b-pipe.jsonl'), line: '', error: 'not a regular file (a FIFO)' },
      { source: join(tree, 'c-dangling.json'), line: '', error: 'broken symbolic link' },
      { source: join(tree, 'd-loop.json'), line: '', error: 'symbolic link loop' },
    ]);
    expect(await callIds(out)).toEqual(['a-good', 'e-link']);
    const runInfo = JSON.parse(await readFile(join(out, 'run.json'), 'utf8'));
    expect(runInfo.inputs).toEqual({ files: 5, calls: 2, failed: 3, skipped: 2, skippedKinds: { hidden: 1, '.png': 1 } });
    expect(run.stdout).toContain('2 calls scored from 5 inputs');
    expect(run.stdout).toContain('3 input problems: see errors.csv');
    expect(run.stdout).toContain('2 entries skipped (hidden ×1, .png ×1)');
  }, 20_000);

  it('reads a path named twice, a folder inside another named folder, and a named file inside a named folder once each', async () => {
    const dir = await tempDir();
    const tree = join(dir, 'tree');
    await mkdir(join(tree, 'sub'), { recursive: true });
    await writeFile(join(tree, 'a.json'), call('A-1'));
    await writeFile(join(tree, 'sub', 'b.json'), call('B-1'));
    const out = join(dir, 'out');
    // tree/a.json named twice (and found again in tree); tree/sub named, then reached again inside tree.
    const run = await runCli(['score', '--rubric', CORE, join(tree, 'a.json'), join(tree, 'a.json'), join(tree, 'sub'), tree, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(await callIds(out)).toEqual(['A-1', 'B-1']);
    const runInfo = JSON.parse(await readFile(join(out, 'run.json'), 'utf8'));
    expect(runInfo.inputs).toEqual({
      files: 2,
      calls: 2,
      failed: 0,
      skipped: 3,
      skippedKinds: { 'named twice': 1, 'file already read': 1, 'folder already read': 1 },
    });
    expect(run.stdout).toContain('3 entries skipped (named twice ×1, file already read ×1, folder already read ×1)');
    expect(run.stderr).toBe('');
  }, 20_000);
});
