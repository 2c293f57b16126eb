import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir } from '../helpers/cli.js';

const FIXTURES = { a: join(ROOT, 'fixtures', 'calls', 'c1001-broadband-outage.json'), b: join(ROOT, 'fixtures', 'calls', 'c3001-refund-slow.txt') };

describe('callqa report over shards', () => {
  it('adds up the kinds of entries each shard skipped in run.json, and warns when --baseline was made with another rubric', async () => {
    const dir = await tempDir();
    for (const shard of ['a', 'b'] as const) {
      await mkdir(join(dir, shard));
      await copyFile(FIXTURES[shard], join(dir, shard, shard === 'a' ? 'a.json' : 'b.txt'));
      await writeFile(join(dir, shard, 'scan.png'), 'not a transcript');
    }
    await writeFile(join(dir, 'b', 'notes.md'), '# notes');
    for (const shard of ['a', 'b']) {
      const run = await runCli(['score', join(dir, shard), '--out', join(dir, `out-${shard}`), '-q']);
      expect(run.code, run.stderr).toBe(0);
    }
    const english = await runCli(['score', join(dir, 'a'), '--rubric', 'en-phone', '--out', join(dir, 'en'), '-q']);
    expect(english.code, english.stderr).toBe(0);

    const merged = await runCli([
      'report',
      join(dir, 'out-a'),
      join(dir, 'out-b'),
      '--out',
      join(dir, 'merged'),
      '--baseline',
      join(dir, 'en'),
      '-q',
      '--lang',
      'en',
    ]);
    expect(merged.code, merged.stderr).toBe(0);
    const info = JSON.parse(await readFile(join(dir, 'merged', 'run.json'), 'utf8'));
    expect(info.inputs).toEqual({ files: 2, calls: 2, failed: 0, skipped: 3, skippedKinds: { '.png': 2, '.md': 1 } });
    const en = JSON.parse(await readFile(join(dir, 'en', 'run.json'), 'utf8')).rubric;
    const zh = info.rubric;
    expect(merged.stderr).toBe(
      `callqa: warning: --baseline ${join(dir, 'en')} was scored with another rubric: "${en.name}" (sha256 ${en.sha256.slice(0, 12)}) there, ` +
        `"${zh.name}" (sha256 ${zh.sha256.slice(0, 12)}) in this run; changes against the baseline may come from the rubric, not from the agents\n`,
    );
    const same = await runCli(['report', join(dir, 'out-a'), '--out', join(dir, 'again'), '--baseline', join(dir, 'out-b'), '-q']);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stderr).toBe('');
  }, 60_000);
});
