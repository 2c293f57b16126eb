import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/format.js';
import { LANGS } from '../../src/i18n/lang.js';
import { CsvFile } from '../../src/render/csv.js';
import {
  AGENT_COLUMNS,
  agentHeader,
  CALL_COLUMNS,
  callHeader,
  ERROR_COLUMNS,
  FINDING_COLUMNS,
  headerIds,
  headerOption,
  localizedHeader,
  type ReportLayout,
  UNMATCHED_COLUMNS,
  unmatchedRow,
} from '../../src/render/tables.js';

const layout: ReportLayout = { ruleIds: ['greeting', 'banned-phrases'], criteria: ['empathy'], baseline: true };
const titles = { greeting: '问候语', 'banned-phrases': '服务禁语' };

describe('--headers localized', () => {
  it("writes calls.csv's header row in Simplified Chinese, rules by title", () => {
    expect(localizedHeader(callHeader(layout), 'zh-CN', titles)).toEqual([
      '通话编号',
      '坐席工号',
      '坐席姓名',
      '来源',
      '时长（秒）',
      '坐席语速（字/分钟）',
      '挂机方',
      '得分',
      '是否合格',
      '问题数',
      '角色判定依据',
      '队列',
      '呼叫方向',
      '一票否决项',
      '服务渠道',
      '模型评分状态',
      '评分模型',
      '未核实的评分项',
      '模型输入令牌数',
      '模型输出令牌数',
      '模型缓存读取令牌数',
      '问候语',
      '服务禁语',
      '模型评分：empathy',
    ]);
  });

  it("writes agents.csv's, findings.csv's, errors.csv's and unmatched.csv's", () => {
    expect(localizedHeader(agentHeader(layout), 'zh-CN', titles)).toEqual([
      '坐席工号',
      '坐席姓名',
      '通话数',
      '平均分',
      '最低分',
      '最高分',
      '合格率',
      '平均语速（字/分钟）',
      '问题数',
      '平均分变化',
      '合格率变化',
      '问候语：未通过通话数',
      '服务禁语：未通过通话数',
      '模型评分均值：empathy',
    ]);
    expect(localizedHeader(FINDING_COLUMNS, 'zh-CN')).toEqual([
      '通话编号',
      '坐席工号',
      '坐席姓名',
      '规则',
      '时间点（秒）',
      '时间点',
      '扣分',
      '问题描述',
      '证据',
      '状态',
      '问题编号',
      '复核结论',
      '复核备注',
    ]);
    expect(localizedHeader(ERROR_COLUMNS, 'zh-TW').slice(1)).toEqual(['行號', '錯誤']);
    expect(localizedHeader(UNMATCHED_COLUMNS, 'en')).toEqual(['Kind', 'Call ID', 'Source', 'Line', 'Reason']);
  });

  it("names a rule that shares a fixed column's id by its title where the rule column stands", () => {
    expect(localizedHeader([...CALL_COLUMNS, 'score', 'hold_fail'], 'en', { score: 'Score words', hold_fail: 'Hold' }).slice(CALL_COLUMNS.length)).toEqual([
      'Score words',
      'Hold',
    ]);
    expect(localizedHeader([...AGENT_COLUMNS, 'hold_fail_fail'], 'en', { hold_fail: 'Hold' }).at(-1)).toBe(
      translate('en', 'xlsx.column.rule-fails', { rule: 'Hold' }),
    );
  });

  it('gives every column of every file a name of its own in each language (so that it reads back)', () => {
    const every = [...new Set([...callHeader(layout), ...agentHeader(layout), ...FINDING_COLUMNS, ...ERROR_COLUMNS, ...UNMATCHED_COLUMNS])];
    for (const lang of LANGS) {
      const names = localizedHeader(every, lang, titles);
      expect(new Set(names).size, lang).toBe(every.length);
      expect(names.filter((n) => n === undefined || /^(xlsx\.)?column\./.test(n))).toEqual([]);
    }
  });

  it('reads a header row of any language back as the ids', () => {
    for (const lang of LANGS) {
      const ruleTitles = lang === 'en' ? { greeting: 'Greeting', 'banned-phrases': 'Banned phrases' } : titles;
      for (const ids of [callHeader(layout), agentHeader(layout), [...FINDING_COLUMNS], [...ERROR_COLUMNS], [...UNMATCHED_COLUMNS]]) {
        expect(headerIds(localizedHeader(ids, lang, ruleTitles), layout, ruleTitles), `${lang}: ${ids.join(',')}`).toEqual(ids);
      }
    }
    // The rules' catalog titles in another language than run.json's, and ids, are read too.
    expect(headerIds(['問候語', '服務禁語：未通過通話數', 'call_id', 'whatever'], layout, titles)).toEqual([
      'greeting',
      'banned-phrases_fail',
      'call_id',
      'whatever',
    ]);
  });

  it('is written by a CsvFile given the option; ids without it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'callqa-headers-'));
    try {
      const localized = new CsvFile(dir, 'errors.csv', ERROR_COLUMNS, { bom: false, ...headerOption('localized', 'zh-CN') });
      const ids = new CsvFile(dir, 'e2.csv', ERROR_COLUMNS, { bom: false, ...headerOption('ids', 'zh-CN') });
      for (const f of [localized, ids]) {
        await f.close();
        await f.commit();
      }
      expect(await readFile(join(dir, 'errors.csv'), 'utf8')).toBe('来源,行号,错误\r\n');
      expect(await readFile(join(dir, 'e2.csv'), 'utf8')).toBe('source,line,error\r\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("unmatched.csv's reason", () => {
  it("says what the kind means in the run's language", () => {
    const entry = { kind: 'call-without-metadata', callId: 'C-1', source: 'a.json' } as const;
    expect(unmatchedRow(entry, 'zh-CN')).toEqual(['call-without-metadata', 'C-1', 'a.json', undefined, '通话在通话记录文件中没有对应记录']);
    expect(unmatchedRow({ ...entry, kind: 'metadata-without-call', line: 3 })).toEqual([
      'metadata-without-call',
      'C-1',
      'a.json',
      3,
      'a call record with no call in the inputs',
    ]);
  });
});
