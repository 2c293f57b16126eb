import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { shardOf } from '../../src/commands/score.js';
import { runCli, tempDir } from '../helpers/cli.js';

const FILES = ['calls.csv', 'findings.csv', 'agents.csv', 'errors.csv', 'results.jsonl'];
const INPUTS = ['fixtures/broken', 'fixtures/calls', 'fixtures/formats/vtt', 'fixtures/formats/csv-export'];

async function same(a: string, b: string): Promise<void> {
  for (const f of FILES) expect(await readFile(join(b, f), 'utf8'), f).toBe(await readFile(join(a, f), 'utf8'));
}

describe('parallel, sharded and resumed runs give the reports of one run', () => {
  let dir: string;
  let single: string;

  beforeAll(async () => {
    dir = await tempDir();
    single = join(dir, 'single');
    // Inputs named out of order on purpose: every report follows the stable order anyway.
    const run = await runCli(['score', ...[...INPUTS].reverse(), '--out', single, '--jobs', '1', '-q']);
    expect(run.code).toBe(3);
  });

  it('--jobs 2 writes the same bytes as --jobs 1', async () => {
    const out = join(dir, 'jobs2');
    expect((await runCli(['score', ...INPUTS, '--out', out, '--jobs', '2', '-q'])).code).toBe(3);
    await same(single, out);
  });

  it('three shards merged by callqa report equal the single run', async () => {
    const shards = [0, 1, 2].map((k) => join(dir, `shard${k}`));
    for (const [k, out] of shards.entries()) await runCli(['score', ...INPUTS, '--out', out, '--shard', `${k}/3`, '-q']);
    const counts = await Promise.all(shards.map(async (s) => (await readFile(join(s, 'results.jsonl'), 'utf8')).split('\n').length));
    expect(counts.every((n) => n > 1)).toBe(true);
    const merged = join(dir, 'merged');
    expect((await runCli(['report', ...shards, '--out', merged, '-q'])).code).toBe(3);
    await same(single, merged);
  });

  it('the shard of a path is stable and spreads inputs', () => {
    expect(shardOf('fixtures/calls/c1001-broadband-outage.json', 3)).toBe(shardOf('fixtures/calls/c1001-broadband-outage.json', 3));
    const spread = new Set(Array.from({ length: 30 }, (_, i) => shardOf(`calls/${i}.json`, 3)));
    expect([...spread].sort()).toEqual([0, 1, 2]);
  });

  it('--resume takes the inputs an interrupted run finished and scores the rest', async () => {
    const out = join(dir, 'resumed');
    await mkdir(out);
    // What an interrupted run leaves: its rubric marker and the first part of its results, cut in the middle of an input.
    const lines = (await readFile(join(single, 'results.jsonl'), 'utf8')).split('\n').filter(Boolean);
    await writeFile(join(out, '.results.jsonl.partial'), `${lines.slice(0, Math.floor(lines.length / 2)).join('\n')}\n`);
    const run = JSON.parse(await readFile(join(single, 'run.json'), 'utf8'));
    await writeFile(join(out, '.callqa-resume.json'), JSON.stringify({ rubricSha256: run.rubric.sha256 }));
    const resumed = await runCli(['score', ...INPUTS, '--out', out, '--resume']);
    expect(resumed.code).toBe(3);
    expect(resumed.stdout).toMatch(/\d+ 个输入文件沿用上次中断的结果（--resume）/);
    await same(single, out);
    expect((await readdir(out)).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('--resume with another rubric scores everything again', async () => {
    const out = join(dir, 'other');
    await cp(single, out, { recursive: true });
    const run = await runCli(['score', ...INPUTS, '--out', out, '--resume', '--rubric', 'test/data/core-rubric.yaml', '-q']);
    expect(run.stderr).toContain('--resume: the earlier run used another rubric; scoring every input');
  });
});
