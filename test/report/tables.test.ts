import { describe, expect, it } from 'vitest';
import {
  AGENT_COLUMNS,
  agentColumns,
  agentHeader,
  CALL_COLUMNS,
  callColumns,
  callHeader,
  ERROR_COLUMNS,
  ERROR_TABLE,
  FINDING_COLUMNS,
  FINDING_TABLE,
  xlsxLabel,
} from '../../src/render/tables.js';
import { translator } from '../../src/i18n/format.js';

const kinds = (columns: readonly { name: string; kind: string }[]) => Object.fromEntries(columns.map((c) => [c.name, c.kind]));

describe('report columns', () => {
  it('keeps the CSV headers the contract says', () => {
    const layout = { ruleIds: ['greeting', 'privacy'], criteria: ['empathy'], baseline: true };
    expect(callHeader(layout)).toEqual([
      'call_id',
      'agent_id',
      'agent_name',
      'source',
      'duration_seconds',
      'agent_chars_per_minute',
      'hangup_by',
      'score',
      'passed',
      'findings',
      'role_source',
      'queue',
      'direction',
      'critical_failures',
      'channel',
      'llm_status',
      'llm_model',
      'llm_unverified',
      'llm_input_tokens',
      'llm_output_tokens',
      'llm_cache_read_tokens',
      'greeting',
      'privacy',
      'llm:empathy',
    ]);
    expect(agentHeader(layout)).toEqual([
      'agent_id',
      'agent_name',
      'calls',
      'avg_score',
      'min_score',
      'max_score',
      'pass_rate',
      'avg_chars_per_minute',
      'findings',
      'avg_score_delta',
      'pass_rate_delta',
      'greeting_fail',
      'privacy_fail',
      'llm:empathy',
    ]);
    expect(callHeader({ ruleIds: ['greeting'] })).toEqual([...CALL_COLUMNS, 'greeting']);
    expect(agentHeader({ ruleIds: ['greeting'] })).toEqual([...AGENT_COLUMNS, 'greeting_fail']);
    expect(FINDING_COLUMNS).toEqual([
      'call_id',
      'agent_id',
      'agent_name',
      'rule',
      'at_seconds',
      'at',
      'deduction',
      'message',
      'evidence',
      'status',
      'finding_id',
      'verdict',
      'review_note',
    ]);
    expect(ERROR_COLUMNS).toEqual(['source', 'line', 'error']);
  });

  it('gives each column the kind of its cells', () => {
    const layout = { ruleIds: ['greeting'], criteria: ['empathy'], baseline: true };
    expect(kinds(callColumns(layout))).toEqual({
      call_id: 'text',
      agent_id: 'text',
      agent_name: 'text',
      source: 'text',
      duration_seconds: 'number',
      agent_chars_per_minute: 'number',
      hangup_by: 'text',
      score: 'number',
      passed: 'boolean',
      findings: 'number',
      role_source: 'text',
      queue: 'text',
      direction: 'text',
      critical_failures: 'text',
      channel: 'text',
      llm_status: 'text',
      llm_model: 'text',
      llm_unverified: 'text',
      llm_input_tokens: 'number',
      llm_output_tokens: 'number',
      llm_cache_read_tokens: 'number',
      greeting: 'text',
      'llm:empathy': 'number',
    });
    expect(kinds(agentColumns(layout))).toEqual({
      agent_id: 'text',
      agent_name: 'text',
      calls: 'number',
      avg_score: 'number',
      min_score: 'number',
      max_score: 'number',
      pass_rate: 'percent',
      avg_chars_per_minute: 'number',
      findings: 'number',
      avg_score_delta: 'number',
      pass_rate_delta: 'percent',
      greeting_fail: 'number',
      'llm:empathy': 'number',
    });
    expect(FINDING_TABLE.filter((c) => c.kind !== 'text').map((c) => `${c.name}:${c.kind}`)).toEqual([
      'at_seconds:number',
      'deduction:number',
      'message:wrap',
      'evidence:wrap',
      'review_note:wrap',
    ]);
    expect(ERROR_TABLE.map((c) => c.kind)).toEqual(['text', 'number', 'wrap']);
  });

  it('types a rule by its place, not its name: an outcome is text, a fail count a number', () => {
    const layout = { ruleIds: ['score', 'hold_fail', 'duration_seconds'] };
    const calls = callColumns(layout);
    expect(calls.slice(CALL_COLUMNS.length)).toEqual([
      { name: 'score', kind: 'text', label: { rule: 'score' } },
      { name: 'hold_fail', kind: 'text', label: { rule: 'hold_fail' } },
      { name: 'duration_seconds', kind: 'text', label: { rule: 'duration_seconds' } },
    ]);
    expect(calls.find((c) => c.name === 'score')).toEqual({ name: 'score', kind: 'number' });
    expect(agentColumns(layout).slice(AGENT_COLUMNS.length)).toEqual([
      { name: 'score_fail', kind: 'number', label: { rule: 'score', fails: true } },
      { name: 'hold_fail_fail', kind: 'number', label: { rule: 'hold_fail', fails: true } },
      { name: 'duration_seconds_fail', kind: 'number', label: { rule: 'duration_seconds', fails: true } },
    ]);
  });

  it('labels report.xlsx headers in a language: fixed columns from the catalog, rules by title, criteria by id', () => {
    const layout = { ruleIds: ['greeting'], criteria: ['empathy'] };
    const title = (id: string) => (id === 'greeting' ? '问候语' : id);
    const zh = translator('zh-CN');
    expect(
      callColumns(layout)
        .map((c) => xlsxLabel(c, zh, title))
        .slice(-8),
    ).toEqual(['模型评分状态', '评分模型', '未核实的评分项', '模型输入令牌数', '模型输出令牌数', '模型缓存读取令牌数', '问候语', '模型评分：empathy']);
    expect(
      agentColumns(layout)
        .map((c) => xlsxLabel(c, zh, title))
        .slice(-2),
    ).toEqual(['问候语：未通过通话数', '模型评分均值：empathy']);
    expect(
      agentColumns(layout)
        .map((c) => xlsxLabel(c, translator('en'), () => 'Greeting'))
        .slice(-2),
    ).toEqual(['Greeting: failed calls', 'LLM mean: empathy']);
    expect(xlsxLabel({ name: 'not_in_the_catalog', kind: 'text' }, zh, title)).toBe('not_in_the_catalog');
  });
});
