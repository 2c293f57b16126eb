import { spawn } from 'node:child_process';
import { appendFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
// The benchmark's own generator: realistic calls, 1,000 a JSONL file, every rule broken somewhere.
import { generate } from '../../bench/generate.mjs';
import { BIN, ROOT, runCli, tempDir } from '../helpers/cli.js';

const FILES = ['calls.csv', 'findings.csv', 'agents.csv', 'errors.csv', 'results.jsonl'];

/** report.html less what differs between two runs by design: the times and the command line. */
async function page(dir: string): Promise<string> {
  return (await readFile(join(dir, 'report.html'), 'utf8')).replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'T');
}

describe('workers stream big inputs in chunks, and the reports are the same bytes whatever --jobs is', () => {
  let dir: string;
  let corpus: string;
  let single: string;

  beforeAll(async () => {
    dir = await tempDir();
    corpus = join(dir, 'corpus');
    generate({ calls: 2600, out: corpus, seed: 7 });
    // Broken lines in the middle of a big JSONL file: their errors fall between chunks of calls.
    const jsonl = join(corpus, 'jsonl');
    const [first] = (await readdir(jsonl)).sort();
    const lines = (await readFile(join(jsonl, first as string), 'utf8')).split('\n');
    lines.splice(150, 0, '{"call_id": "broken-1", "segments": [');
    lines.splice(420, 0, '{"call_id": "broken-2", "agent": {"id": "A1"}, "segments": [{"speaker": "nobody", "text": "喂"}]}');
    await writeFile(join(jsonl, first as string), lines.join('\n'));
    await appendFile(join(jsonl, first as string), '\nnot json at all\n');
    single = join(dir, 'jobs1');
    expect((await runCli(['score', corpus, '--out', single, '--jobs', '1', '-q'])).code).toBe(3);
  }, 120_000);

  it('has inputs far bigger than a chunk, and their errors in errors.csv', async () => {
    const calls = (await readFile(join(single, 'calls.csv'), 'utf8')).trim().split('\r\n').length - 1;
    expect(calls).toBe(2600);
    const errors = await readFile(join(single, 'errors.csv'), 'utf8');
    expect(errors).toContain('part-00001.jsonl,151,invalid JSON');
    expect(errors).toContain('part-00001.jsonl,421,"segments[0].speaker: unknown speaker ""nobody""');
    expect(errors.trim().split('\r\n')).toHaveLength(4);
  });

  for (const jobs of ['2', '3']) {
    it(`--jobs ${jobs} writes the same bytes as --jobs 1, report.html included`, async () => {
      const out = join(dir, `jobs${jobs}`);
      expect((await runCli(['score', corpus, '--out', out, '--jobs', jobs, '-q'])).code).toBe(3);
      for (const f of FILES) expect(await readFile(join(out, f), 'utf8'), f).toBe(await readFile(join(single, f), 'utf8'));
      expect((await page(out)).replace(/--out [^ <]+|"[^"]*jobs\d[^"]*"/g, '')).toBe((await page(single)).replace(/--out [^ <]+|"[^"]*jobs\d[^"]*"/g, ''));
    }, 120_000);
  }

  it('a run stopped by SIGTERM leaves only what --resume needs, and resuming gives the same reports', async () => {
    const out = join(dir, 'stopped');
    const child = spawn(process.execPath, [BIN, 'score', corpus, '--out', out, '--jobs', '2', '-q'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // Stop it once its first results are on disk.
    for (let waited = 0; waited < 60_000; waited += 20) {
      const names = await readdir(out).catch(() => [] as string[]);
      const partial = names.find((n) => /^\.results\.jsonl\.\d+\.partial$/.test(n));
      if (partial && (await stat(join(out, partial))).size > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(130);
    expect((await readdir(out)).sort()).toEqual(['.callqa-resume.json', '.results.jsonl.partial']);
    expect((await runCli(['score', corpus, '--out', out, '--jobs', '2', '--resume', '-q'])).code).toBe(3);
    for (const f of FILES) expect(await readFile(join(out, f), 'utf8'), f).toBe(await readFile(join(single, f), 'utf8'));
    expect((await readdir(out)).filter((n) => n.startsWith('.'))).toEqual([]);
  }, 120_000);
});
