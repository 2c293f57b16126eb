import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runScore } from '../../src/commands/score.js';
import { agentKey, AgentAggregator, agentLabel, isUnknownAgent, UNKNOWN_AGENT_KEY } from '../../src/scoring/agents.js';
import type { CallResult } from '../../src/scoring/score-call.js';
import { sink } from '../helpers/streams.js';
import { tempDir } from '../helpers/temp.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VTT = join(ROOT, 'fixtures/formats/vtt');
/**
 * Two agents known only by their voice names (王芳 in xc-0412, Emily Zhao in hx-0421) and two calls
 * that name nobody: yf-0415 says only `<v 坐席>`, hx-0420 only 坐席：prefixes.
 */
const INPUTS = ['xc-0412-broadband.vtt', 'hx-0421-english.vtt', 'yf-0415-parcel-tw.vtt', 'hx-0420-card-prefixes.vtt'].map((f) => join(VTT, f));

/** A CSV file's lines without the BOM, each cut to its first `columns` cells (no cell here holds a comma). */
async function lines(file: string, columns: number): Promise<string[]> {
  const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  return text
    .split(/\r?\n/)
    .filter((l) => l !== '')
    .map((l) => l.split(',').slice(0, columns).join(','));
}

describe.each([1, 2])('calls whose agent has only a name (WebVTT voices), --jobs %i', (jobs) => {
  let out: string;
  let stdout: string;
  beforeAll(async () => {
    out = join(await tempDir('callqa-agents-'), 'report');
    const o = sink();
    const e = sink();
    const code = await runScore(INPUTS, { out, bom: true, quiet: false, coaching: true, jobs }, { stdout: o.stream, stderr: e.stream });
    expect(code, e.text()).toBe(0);
    stdout = o.text();
  });

  it('gives each named agent its own agents.csv row, and the calls that name nobody one row with both cells empty', async () => {
    expect(await lines(join(out, 'agents.csv'), 9)).toEqual([
      'agent_id,agent_name,calls,avg_score,min_score,max_score,pass_rate,avg_chars_per_minute,findings',
      ',Emily Zhao,1,80,80,80,1,131.2,3',
      ',王芳,1,95,95,95,1,130,1',
      ',,2,92.5,90,95,1,131.1,4',
    ]);
    expect(await lines(join(out, 'calls.csv'), 3)).toEqual([
      'call_id,agent_id,agent_name',
      'hx-0420-card-prefixes,,',
      'hx-0421-english,,Emily Zhao',
      'xc-0412-broadband,,王芳',
      'yf-0415-parcel-tw,,',
    ]);
  });

  it('says in the summary how many calls name no agent, and ranks the agents by name', () => {
    expect(stdout).toContain('\n2 通通话没有坐席工号或姓名，合并计为“（未知坐席）”（agents.csv 中工号和姓名都为空的一行）\n');
    expect(stdout).toMatch(/\n {2}1\. 王芳 +95\.0 {2}1 通，合格率 100%\n/);
    expect(stdout).toMatch(/\n {2}2\. （未知坐席） +92\.5 {2}2 通，合格率 100%\n/);
    expect(stdout).toMatch(/\n {2}3\. Emily Zhao +80\.0 {2}1 通，合格率 100%\n/);
  });

  it('writes a coaching pack per named agent and one for the unknown agent', async () => {
    expect((await readdir(join(out, 'coaching'))).sort()).toEqual(['Emily_Zhao~d504bd2226ac.md', 'unknown-agent.md', '王芳.md']);
    const head = async (f: string) => (await readFile(join(out, 'coaching', f), 'utf8')).split('\n')[0];
    expect(await head('王芳.md')).toBe('# 辅导报告：王芳（无工号）');
    expect(await head('Emily_Zhao~d504bd2226ac.md')).toBe('# 辅导报告：Emily Zhao（无工号）');
    expect(await head('unknown-agent.md')).toBe('# 辅导报告：（未知坐席）');
    expect(await readFile(join(out, 'coaching', '王芳.md'), 'utf8')).toContain('- 通话数：1\n');
    expect(await readFile(join(out, 'coaching', 'unknown-agent.md'), 'utf8')).toContain('- 通话数：2\n');
  });

  it('gives report.html a section per agent, and names no LLM model for a run without --llm', async () => {
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html.match(/<section class="agent"/g)).toHaveLength(3);
    expect(html).toContain('>#1</span> 王芳</h2>');
    expect(html).toContain('</span> Emily Zhao</h2>');
    expect(html).toContain('</span> （未知坐席）</h2>');
    // The rubric has an llm section, so run.json names its model; the page must not claim it graded.
    const run = JSON.parse(await readFile(join(out, 'run.json'), 'utf8')) as { llm?: { model: string } };
    expect(run.llm?.model).toBe('claude-haiku-5-5');
    expect(html).not.toContain('claude-haiku-5-5');
    expect(html).not.toContain(' · 评分模型');
  });
});

describe('agentKey: one key for an agent everywhere', () => {
  const result = (agentId: string, agentName: string, score: number): CallResult => ({
    callId: `${agentId}/${agentName}/${score}`,
    agentId,
    agentName,
    source: 'x.vtt',
    hangupBy: 'customer',
    roleSource: 'given',
    score,
    passed: score >= 80,
    outcomes: {},
    findings: [],
    criticalFailures: [],
    ruleErrors: [],
  });

  it('is the id, else the name, else the unknown agent; an id and a name of the same text differ', () => {
    expect(agentKey('A1', '王芳')).toBe('id:A1');
    expect(agentKey('', '王芳')).toBe('name:王芳');
    expect(agentKey('王芳', '')).toBe('id:王芳');
    expect(agentKey('', '')).toBe(UNKNOWN_AGENT_KEY);
    expect(agentKey('', 'unknown')).not.toBe(UNKNOWN_AGENT_KEY);
    expect(agentKey('__proto__', '')).toBe('id:__proto__');
  });

  it('groups calls by it, the unknown agent last, and labels them', () => {
    const agents = new AgentAggregator();
    for (const r of [
      result('', '', 60),
      result('', '王芳', 90),
      result('王芳', '', 80),
      result('', '', 70),
      result('', 'Emily', 100),
      result('__proto__', '', 50),
    ]) {
      agents.add(r);
    }
    const list = agents.list();
    expect(list.map((a) => [agentLabel(a), a.calls, a.scoreSum])).toEqual([
      ['__proto__', 1, 50],
      ['王芳', 1, 80],
      ['Emily', 1, 100],
      ['王芳', 1, 90],
      ['(unknown agent)', 2, 130],
    ]);
    expect(list.map(isUnknownAgent)).toEqual([false, false, false, false, true]);
  });
});
