import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderProgress } from '../../src/commands/output/progress.js';
import { type RunTotals, renderSummary } from '../../src/commands/output/summary.js';
import { DuplicateCallIds } from '../../src/run/duplicate-ids.js';
import { checkGateConfig, evaluateGates, formatGateFailures } from '../../src/run/gates.js';
import type { AgentStats } from '../../src/scoring/agents.js';

const plain = new Chalk({ level: 0 });

function totals(over: Partial<RunTotals> = {}): RunTotals {
  return {
    calls: 3,
    passed: 2,
    scoreSum: 255,
    files: 1,
    inputErrors: 1,
    skipped: 0,
    skippedExtensions: new Map(),
    repaired: 0,
    outDir: 'out',
    rubricName: '中文电话客服标准',
    passScore: 80,
    ...over,
  };
}

const agents = [{ agentId: 'A1', agentName: '王芳', calls: 3, passed: 2, scoreSum: 255, channels: new Map([['voice', 3]]) } as unknown as AgentStats];

describe('the terminal summary in each language', () => {
  it('zh-CN', () => {
    expect(renderSummary(totals({ lang: 'zh-CN' }), agents, plain)).toBe(
      [
        'callqa · 中文电话客服标准',
        '共评分 3 通通话（来自 1 个输入文件）· 平均分 85.0 · 合格 2 通（67%，合格线 80）',
        '1 个输入文件有问题：见 errors.csv',
        '',
        '坐席平均分排名',
        '  1. A1 王芳   85.0  3 通，合格率 67%',
        '',
        '报告目录：out',
        '',
      ].join('\n'),
    );
  });

  it('zh-TW', () => {
    const text = renderSummary(totals({ lang: 'zh-TW' }), agents, plain);
    expect(text.split('\n')[1]).toBe('共評分 3 通通話（來自 1 個輸入檔案）· 平均分 85.0 · 合格 2 通（67%，合格線 80）');
    expect(text).toContain('\n客服人員平均分排名\n');
  });

  it('en, as before', () => {
    const text = renderSummary(totals(), agents, plain);
    expect(text.split('\n').slice(1, 3)).toEqual([
      '3 calls scored from 1 input · average 85.0 · 2 passed (67%, pass mark 80)',
      '1 input problem: see errors.csv',
    ]);
    expect(text).toContain('\nagents by average score\n');
    expect(text.endsWith('\nreports: out\n')).toBe(true);
  });
});

describe('gates in each language', () => {
  const config = { failUnder: 80, maxFailRates: [{ rule: 'banned-phrases', max: 0.05, given: '5%' }] };
  const rules = new Map([['banned-phrases', { pass: 9, fail: 1, decided: 10, rate: 0.1, firstFailures: ['C-3'] }]]);
  const titles = { 'banned-phrases': '服务禁语' };
  const below = { count: 2, first: ['C-1 (72)', 'C-7 (64)'] };

  it('zh-CN: the rule by its title, the id the flag takes beside it', () => {
    const failures = evaluateGates({ config, below, rules, lang: 'zh-CN', titles });
    expect(formatGateFailures(failures, 'zh-CN')).toBe(
      'callqa: 质检门槛未通过（--fail-under）：2 通通话得分低于 80 分：C-1 (72)、C-7 (64)\n' +
        'callqa: 质检门槛未通过（--max-fail-rate）：“服务禁语（banned-phrases）”不合格率 10%（有结论的 10 通中 1 通不合格），超过上限 5%：C-3\n',
    );
  });

  it('zh-TW', () => {
    const failures = evaluateGates({ config, below, rules, lang: 'zh-TW', titles: { 'banned-phrases': '服務禁語' } });
    expect(formatGateFailures(failures, 'zh-TW')).toBe(
      'callqa: 品管門檻未通過（--fail-under）：2 通通話得分低於 80 分：C-1 (72)、C-7 (64)\n' +
        'callqa: 品管門檻未通過（--max-fail-rate）：「服務禁語（banned-phrases）」不合格率 10%（有結論的 10 通中 1 通不合格），超過上限 5%：C-3\n',
    );
  });

  it('en, as before (the id, no title)', () => {
    const failures = evaluateGates({ config, below, rules, titles });
    expect(formatGateFailures(failures)).toBe(
      'callqa: quality gate failed (--fail-under): 2 calls scored below 80: C-1 (72), C-7 (64)\n' +
        'callqa: quality gate failed (--max-fail-rate): banned-phrases failed in 10% of calls (1 of 10 with pass or fail), above 5%: C-3\n',
    );
  });

  it('a misspelt rule, in zh-CN', () => {
    expect(
      checkGateConfig({ maxFailRates: [{ rule: 'greting', max: 0.05, given: '5%' }] }, { ruleIds: ['greeting', 'closing'], hasBaseline: true, lang: 'zh-CN' }),
    ).toEqual(['--max-fail-rate：评分标准中没有规则“greting”（是否要写“greeting”？）；现有规则：greeting、closing']);
  });
});

describe('notes and the progress bar in Chinese', () => {
  it('duplicate call ids', () => {
    const d = new DuplicateCallIds();
    d.add('C-1', 'a.json');
    d.add('C-1', 'b.json');
    expect(d.describe('zh-CN')).toBe(
      'callqa: 注意：有 1 个通话编号被多通通话共用；每通通话都已评分（见 run.json 的 duplicate_call_ids）：\n  "C-1": a.json, b.json\n',
    );
  });

  it('the progress line, its width counted in columns', () => {
    expect(renderProgress({ files: 12, total: 40, calls: 57, elapsed: 10, width: 200 }, 'zh-CN')).toBe(
      '[███████░░░░░░░░░░░░░░░░░] 12/40 个文件 · 57 通通话 · 5.7 通/秒 · 预计剩余 00:23',
    );
    expect(renderProgress({ files: 1, calls: 1, elapsed: 2 })).toBe('1 file · 1 call · 0.5 calls/s');
  });
});
