import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsv, runCli, tempDir } from '../helpers/cli.js';

describe('reports people act on (end to end through bin/callqa.js)', () => {
  let dir: string;
  let first: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    dir = await tempDir();
    first = await runCli(['score', 'fixtures/calls', '--out', join(dir, 'day1'), '--coaching', '--xlsx', '-q']);
  });

  it('writes report.html, coaching packs (inside coaching/, one per agent) and report.xlsx', async () => {
    expect(first.code).toBe(0);
    expect((await readdir(join(dir, 'day1'))).sort()).toEqual([
      'agents.csv',
      'calls.csv',
      'coaching',
      'findings.csv',
      'report.html',
      'report.xlsx',
      'results.jsonl',
      'run.json',
    ]);
    expect((await readdir(join(dir, 'day1', 'coaching'))).sort()).toEqual(['A1001.md', 'A1002.md', 'B2001.md', 'B2002.md', 'K3001.md', 'K3002.md', 'S4001.md']);
    const html = await readFile(join(dir, 'day1', 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('id="call-C-3002"');
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('--baseline adds deltas to agents.csv, gates exit 1 naming what broke them', async () => {
    const run = await runCli([
      'score',
      'fixtures/calls',
      '--out',
      join(dir, 'day2'),
      '--baseline',
      join(dir, 'day1'),
      '--max-fail-rate',
      'closing=5%',
      '--fail-on-critical',
      '--max-score-drop',
      '1',
      '-q',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'callqa: 质检门槛未通过（--max-fail-rate）：“结束语（closing）”不合格率 14.29%（有结论的 14 通中 2 通不合格），超过上限 5%：C-2003、C-3002\n',
    );
    expect(run.stderr).toContain('callqa: 质检门槛未通过（--fail-on-critical）：1 通通话触犯一票否决项：C-2002 (隐私保护)\n');
    expect(run.stderr).not.toContain('--max-score-drop');
    const agents = await readCsv(join(dir, 'day2', 'agents.csv'));
    expect(agents.map((a) => [a.agent_id, a.avg_score_delta, a.pass_rate_delta])).toContainEqual(['A1001', '0', '0']);
  });

  it('a gate on an unknown rule, or a score drop without a baseline, stops the run (exit 2)', async () => {
    const unknown = await runCli(['score', 'fixtures/calls', '--out', join(dir, 'x'), '--max-fail-rate', 'closng=5%']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('closng');
    const drop = await runCli(['score', 'fixtures/calls', '--out', join(dir, 'y'), '--max-score-drop', '5']);
    expect(drop.code).toBe(2);
    expect(drop.stderr).toContain('--baseline');
  });

  it('callqa report renders everything again from saved results, identical to the run', async () => {
    const run = await runCli(['report', join(dir, 'day1'), '--out', join(dir, 'again'), '--coaching', '-q']);
    expect(run.code).toBe(0);
    for (const f of ['calls.csv', 'findings.csv', 'agents.csv', 'results.jsonl']) {
      expect(await readFile(join(dir, 'again', f), 'utf8'), f).toBe(await readFile(join(dir, 'day1', f), 'utf8'));
    }
    expect(await readFile(join(dir, 'again', 'coaching', 'S4001.md'), 'utf8')).toBe(await readFile(join(dir, 'day1', 'coaching', 'S4001.md'), 'utf8'));
  });

  it('callqa explain shows a saved call, and scores a transcript on the spot', async () => {
    const saved = await runCli(['explain', join(dir, 'day1'), '--call', 'C-3002']);
    expect(saved.code).toBe(0);
    expect(saved.stdout).toMatch(/^C-3002 {2}孙浩 \(S4001\)/);
    expect(saved.stdout).toContain('00:21  坐席  先生您别着急，这个情况我不知道之前是谁处理的。\n  ↳ 服务禁语 −5: 使用了服务禁语“不知道”');
    const live = await runCli(['explain', 'fixtures/calls/c3002-complaint-banned.txt']);
    expect(live.code).toBe(0);
    expect(live.stdout).toContain('↳ 服务禁语 −5');
    const missing = await runCli(['explain', join(dir, 'day1')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('C-1001');
  });
});
