import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputProblem } from '../../src/ingest/errors.js';
import { messageText } from '../../src/i18n/message.js';
import { fileURLToPath } from 'node:url';
import { runScore } from '../../src/commands/score.js';
import {
  agentDeltas,
  agentKey,
  BaselineError,
  baselineRubricWarning,
  biggestMovers,
  describeMove,
  readBaseline,
  terminalSafe,
} from '../../src/results/baseline.js';
import { CsvFile } from '../../src/render/csv.js';
import { agentHeader, agentRow } from '../../src/render/tables.js';
import { AgentAggregator } from '../../src/scoring/agents.js';
import type { CallResult } from '../../src/scoring/score-call.js';
import { sink } from '../helpers/streams.js';

const layout = { ruleIds: ['greeting', 'closing'] };

function call(agentId: string, agentName: string, score: number, passed = score >= 80): CallResult {
  return {
    callId: `${agentId || agentName}-${score}`,
    agentId,
    agentName,
    source: 'x.json',
    hangupBy: 'customer',
    roleSource: 'given',
    score,
    passed,
    outcomes: { greeting: score < 90 ? 'fail' : 'pass', closing: 'pass' },
    findings: [],
    criticalFailures: [],
    ruleErrors: [],
  };
}

function aggregate(calls: CallResult[]) {
  const agents = new AgentAggregator();
  for (const c of calls) agents.add(c);
  return agents.list();
}

/** agents.csv as the score command writes it. */
async function writeAgents(dir: string, calls: CallResult[], bom = true): Promise<void> {
  const file = new CsvFile(dir, 'agents.csv', agentHeader(layout), { bom });
  for (const a of aggregate(calls)) await file.write(agentRow(a, layout));
  await file.close();
  await file.commit();
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callqa-baseline-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readBaseline', () => {
  it.each([true, false])('reads agents.csv written by the score command (BOM: %s)', async (bom) => {
    await writeAgents(
      dir,
      [call('A1001', '王芳', 100), call('A1001', '王芳', 70), call('A1001', '王芳', 85), call('A1002', '李明', 90), call('', '陳志豪', 60)],
      bom,
    );
    const baseline = await readBaseline(dir);
    expect([...baseline.keys()]).toEqual(['id:A1001', 'id:A1002', 'name:陳志豪']);
    expect(baseline.get('id:A1001')).toEqual({ agentName: '王芳', avgScore: 85, passRate: 0.667, calls: 3 });
    expect(baseline.get('id:A1002')).toEqual({ agentName: '李明', avgScore: 90, passRate: 1, calls: 1 });
    expect(baseline.get('name:陳志豪')).toEqual({ agentName: '陳志豪', avgScore: 60, passRate: 0, calls: 1 });
  });

  it('gives back the ids the aggregator saw, though agents.csv neutralised them', async () => {
    await writeAgents(dir, [call('=HYPERLINK("x")', '-张三', 90), call('-5', '', 80)]);
    const baseline = await readBaseline(dir);
    expect([...baseline.keys()].sort()).toEqual(['id:-5', 'id:=HYPERLINK("x")']);
    expect(baseline.get('id:=HYPERLINK("x")')?.agentName).toBe('-张三');
  });

  it('merges an agent listed twice, weighted by calls', async () => {
    await writeFile(join(dir, 'agents.csv'), 'agent_id,agent_name,calls,avg_score,pass_rate\r\nA1,甲,1,100,1\r\nA1,甲,3,80,0.5\r\n');
    expect((await readBaseline(dir)).get('id:A1')).toEqual({ agentName: '甲', avgScore: 85, passRate: 0.625, calls: 4 });
  });

  it('names a missing directory, a file in its place and a directory without agents.csv', async () => {
    const missing = join(dir, 'nope');
    await expect(readBaseline(missing)).rejects.toThrow(`--baseline ${missing}: no such directory`);
    await expect(readBaseline(missing)).rejects.toBeInstanceOf(BaselineError);
    await expect(readBaseline(missing)).rejects.toBeInstanceOf(InputProblem);
    await writeFile(join(dir, 'file.txt'), 'x');
    await expect(readBaseline(join(dir, 'file.txt'))).rejects.toThrow('not a directory');
    await mkdir(join(dir, 'empty'));
    await expect(readBaseline(join(dir, 'empty'))).rejects.toThrow(`--baseline ${join(dir, 'empty')}: no agents.csv in it`);
  });

  it('names the file, the line and the column of a bad agents.csv', async () => {
    const file = join(dir, 'agents.csv');
    await writeFile(file, '\uFEFFagent_id,agent_name,calls\r\nA1,甲,1\r\n');
    await expect(readBaseline(dir)).rejects.toThrow(`${file}:1: not a callqa agents.csv: missing columns avg_score, pass_rate`);
    await writeFile(file, 'agent_id,agent_name,calls,avg_score,pass_rate\nA1,甲,1,90,1\nA2,乙,2,abc,0.5\n');
    const err = await readBaseline(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BaselineError);
    expect((err as BaselineError).message).toBe(`${file}:3: avg_score: expected a number from 0 to 100, got "abc"`);
    expect((err as BaselineError).line).toBe(3);
    await writeFile(file, 'agent_id,agent_name,calls,avg_score,pass_rate\nA1,甲,1,90,95\n');
    await expect(readBaseline(dir)).rejects.toThrow(`${file}:2: pass_rate: expected a number from 0 to 1, got "95"`);
    await writeFile(file, 'agent_id,agent_name,calls,avg_score,pass_rate\nA1,甲,1.5,90,1\n');
    await expect(readBaseline(dir)).rejects.toThrow(`${file}:2: calls: expected a whole number, got "1.5"`);
    await writeFile(file, '');
    await expect(readBaseline(dir)).rejects.toThrow(`${file}: empty`);
    await writeFile(file, 'agent_id,agent_name,calls,avg_score,pass_rate\n"A1,甲,1,90,1\n');
    await expect(readBaseline(dir)).rejects.toThrow(`${file}: malformed CSV`);
  });
});

describe('agentDeltas and biggestMovers', () => {
  const baseline = new Map([
    ['id:A1', { agentName: '甲', avgScore: 90, passRate: 1, calls: 10 }],
    ['id:A2', { agentName: '乙', avgScore: 70, passRate: 0.5, calls: 10 }],
    ['id:A3', { agentName: '丙', avgScore: 80, passRate: 0.8, calls: 10 }],
    ['name:丁', { agentName: '丁', avgScore: 75, passRate: 0.6, calls: 4 }],
  ]);
  const current = aggregate([
    call('A1', '甲', 80),
    call('A1', '甲', 70, false),
    call('A2', '乙', 86),
    call('A2', '乙', 85),
    call('A3', '丙', 80),
    call('A9', '新人', 60, false),
    call('', '丁', 77.333),
  ]);

  it('compares each agent with the baseline as agents.csv rounds them; new agents have no delta', () => {
    const deltas = agentDeltas(current, baseline);
    const byKey = new Map(deltas.map((d) => [d.key, d]));
    expect(deltas.map((d) => d.key)).toEqual(['id:A1', 'id:A2', 'id:A3', 'id:A9', 'name:丁']);
    expect(byKey.get('id:A1')).toMatchObject({ avgScore: 75, passRate: 0.5, avgScoreDelta: -15, passRateDelta: -0.5 });
    expect(byKey.get('id:A2')).toMatchObject({ avgScore: 85.5, avgScoreDelta: 15.5, passRateDelta: 0.5 });
    expect(byKey.get('id:A3')).toMatchObject({ avgScoreDelta: 0, passRateDelta: 0.2 });
    expect(byKey.get('name:丁')).toMatchObject({ avgScore: 77.33, avgScoreDelta: 2.33 });
    const fresh = byKey.get('id:A9');
    expect(fresh?.avgScoreDelta).toBeUndefined();
    expect(fresh?.passRateDelta).toBeUndefined();
    expect(fresh?.baseline).toBeUndefined();
  });

  it('ranks movers by |delta|, drops first on a tie, leaving out new and unmoved agents', () => {
    const deltas = agentDeltas(current, baseline);
    expect(biggestMovers(deltas).map((d) => [d.key, d.avgScoreDelta])).toEqual([
      ['id:A2', 15.5],
      ['id:A1', -15],
      ['name:丁', 2.33],
    ]);
    expect(biggestMovers(deltas, { count: 1 }).map((d) => d.key)).toEqual(['id:A2']);
    expect(biggestMovers(deltas, { by: 'passRate' }).map((d) => [d.key, d.passRateDelta])).toEqual([
      ['name:丁', -0.6],
      ['id:A1', -0.5],
      ['id:A2', 0.5],
      ['id:A3', 0.2],
    ]);
    expect(biggestMovers(deltas, { minCalls: 2 }).map((d) => d.key)).toEqual(['id:A2', 'id:A1']);
  });

  it('describes a move in one line', () => {
    const [a1, a2, , a9] = agentDeltas(current, baseline);
    expect(describeMove(a1 as never)).toBe('A1 甲: 90 → 75 (−15)');
    expect(describeMove(a2 as never)).toBe('A2 乙: 70 → 85.5 (+15.5)');
    expect(describeMove(a1 as never, 'passRate')).toBe('A1 甲: pass rate 100% → 50% (−50 points)');
    expect(describeMove(a9 as never)).toBe('A9 新人: new (60)');
    expect(describeMove(a1 as never, 'avgScore', 'zh-CN')).toBe('A1 甲：90 → 75（−15）');
    expect(describeMove(a1 as never, 'passRate', 'zh-CN')).toBe('A1 甲：合格率 100% → 50%（−50 个百分点）');
    expect(describeMove(a9 as never, 'avgScore', 'zh-TW')).toBe('A9 新人：新客服人員（60）');
  });

  it('never compares the calls that name no agent: they are nobody in particular', async () => {
    await writeAgents(dir, [call('', '', 90), call('', '', 70), call('', '丁', 60)]);
    const before = await readBaseline(dir);
    expect([...before.keys()]).toEqual(['name:丁', 'unknown']);
    const deltas = agentDeltas(aggregate([call('', '', 40), call('', '丁', 70)]), before);
    expect(deltas.map((d) => [d.key, d.avgScoreDelta])).toEqual([
      ['name:丁', 10],
      ['unknown', undefined],
    ]);
    expect(describeMove(deltas[1] as never)).toBe('(unknown agent): new (40)');
    expect(describeMove(deltas[1] as never, 'avgScore', 'zh-CN')).toBe('（未知坐席）：新坐席（40）');
  });

  it('keys agents as the aggregator groups them, and keeps terminal text harmless', () => {
    expect(agentKey('A1', '甲')).toBe('id:A1');
    expect(agentKey('', '甲')).toBe('name:甲');
    expect(terminalSafe('王\u001b[2J芳\r\u202e')).toBe('王 [2J芳  ');
  });
});

describe('a baseline made with another rubric', () => {
  const SHA_A = 'a'.repeat(64);
  const SHA_B = `b${'0'.repeat(63)}`;

  it('is named in a warning with both rubrics and their sha256 prefixes', async () => {
    await writeFile(join(dir, 'run.json'), JSON.stringify({ rubric: { name: '旧标准', sha256: SHA_A } }));
    const warning = await baselineRubricWarning(dir, { name: '新标准', sha256: SHA_B });
    expect(warning && messageText('en', warning)).toBe(
      `warning: --baseline ${dir} was scored with another rubric: "旧标准" (sha256 aaaaaaaaaaaa) there, "新标准" (sha256 b00000000000) in this run; ` +
        'changes against the baseline may come from the rubric, not from the agents',
    );
    expect(warning && messageText('zh-CN', warning)).toBe(
      `警告：--baseline ${dir} 使用的评分标准与本次不同：那次为“旧标准”（sha256 aaaaaaaaaaaa），本次为“新标准”（sha256 b00000000000）；与基线相比的变化可能来自评分标准，而非坐席本身`,
    );
    expect(await baselineRubricWarning(dir, { name: '旧标准', sha256: SHA_A })).toBeUndefined();
  });

  it('gives no warning where the baseline records no rubric, and never fails on a bad run.json', async () => {
    expect(await baselineRubricWarning(dir, { name: 'x', sha256: SHA_B })).toBeUndefined();
    for (const text of ['{', 'null', '[]', '{"rubric": "x"}', '{"rubric": {"sha256": 5}}', '{"rubric": {"name": "\u001b[2J", "sha256": ""}}']) {
      await writeFile(join(dir, 'run.json'), text);
      expect(await baselineRubricWarning(dir, { name: 'x', sha256: SHA_B })).toBeUndefined();
    }
    await writeFile(join(dir, 'run.json'), JSON.stringify({ rubric: { name: 'evil\u001b[2J', sha256: `\u001b]0;${SHA_A}` } }));
    const evil = await baselineRubricWarning(dir, { name: 'x', sha256: SHA_B });
    expect(evil && messageText('en', evil)).toContain('"evil [2J" (sha256  ]0;aaaaaaaa)');
  });

  it('makes callqa score --baseline warn on stderr and score as usual', async () => {
    const fixture = fileURLToPath(new URL('../../fixtures/calls/c1001-broadband-outage.json', import.meta.url));
    const run = async (out: string, extra: Record<string, unknown>) => {
      const stdout = sink();
      const stderr = sink();
      const code = await runScore([fixture], { out, bom: true, quiet: true, jobs: 1, ...extra }, { stdout: stdout.stream, stderr: stderr.stream });
      return { code, stderr: stderr.text() };
    };
    const before = join(dir, 'before');
    expect((await run(before, { rubric: 'zh-phone' })).code).toBe(0);
    const sha = (JSON.parse(await readFile(join(before, 'run.json'), 'utf8')) as { rubric: { sha256: string; name: string } }).rubric;
    const same = await run(join(dir, 'same'), { rubric: 'zh-phone', baseline: before });
    expect(same).toEqual({ code: 0, stderr: '' });
    const other = await run(join(dir, 'other'), { rubric: 'en-phone', baseline: before });
    expect(other.code).toBe(0);
    const now = (JSON.parse(await readFile(join(dir, 'other', 'run.json'), 'utf8')) as { rubric: { sha256: string; name: string } }).rubric;
    expect(now.sha256).not.toBe(sha.sha256);
    expect(other.stderr).toBe(
      `callqa: warning: --baseline ${before} was scored with another rubric: "${sha.name}" (sha256 ${sha.sha256.slice(0, 12)}) there, ` +
        `"${now.name}" (sha256 ${now.sha256.slice(0, 12)}) in this run; changes against the baseline may come from the rubric, not from the agents\n`,
    );
  });
});
