import { describe, expect, it } from 'vitest';
import { loadRubric, parseRubric } from '../../src/rubric/load.js';
import { rubricInfo, type RunInfo } from '../../src/results/codec.js';
import { findingsWriter, rubricIn, runIn, titleIn } from '../../src/results/languages.js';
import { problemsOf, runInfoSchema } from '../../src/results/schema.js';
import type { Finding } from '../../src/scoring/score-call.js';

const yaml = [
  'name: { zh-CN: 自定义标准, en: Custom standard }',
  'language: zh-CN',
  'rules:',
  '  greeting: { advice: 先自报姓名工号 }',
  '  my-hangup:',
  '    type: hangup-order',
  '    title: 挂机检查',
  '    message: { zh-CN: 请等客户先挂机, en: Let the customer hang up first }',
  '',
].join('\n');

describe("a saved run's words in another language", () => {
  it('run.json keeps the rubric’s own words; rubricIn gives them in any language as a run in it would', () => {
    const zh = rubricInfo(parseRubric(yaml, 'r.yaml'));
    expect(zh.titles).toEqual({ greeting: '问候语', 'my-hangup': '挂机检查' });
    expect(
      problemsOf(runInfoSchema, {
        callqaVersion: 'x',
        startedAt: '',
        endedAt: '',
        command: [],
        rubric: zh,
        layout: { ruleIds: [] },
        inputs: { files: 0, calls: 0, failed: 0, skipped: 0 },
      }),
    ).toEqual([]);
    const saved = JSON.parse(JSON.stringify(zh)) as RunInfo['rubric'];
    const en = rubricIn(saved, 'en');
    expect(en).toMatchObject({
      lang: 'en',
      name: 'Custom standard',
      titles: { greeting: 'Greeting', 'my-hangup': '挂机检查' },
      advice: { greeting: '先自报姓名工号' },
    });
    const tw = rubricIn(saved, 'zh-TW');
    expect(tw).toMatchObject({
      lang: 'zh-TW',
      name: '自定義標準',
      titles: { greeting: '問候語', 'my-hangup': '掛機檢查' },
      advice: { greeting: '先自報姓名工號' },
    });
    expect(rubricIn(saved, 'zh-CN')).toBe(saved);
  });

  it('a run from before the rubric’s words were kept: catalog titles for rule types, its own titles (converted for zh-TW) for the rest', () => {
    const { texts: _texts, ...old } = rubricInfo(parseRubric(yaml, 'r.yaml'));
    const title = titleIn(old, 'zh-TW');
    expect([title('greeting'), title('my-hangup'), title('unknown-rule')]).toEqual(['問候語', '掛機檢查', 'unknown-rule']);
    expect(titleIn(old, 'en')('greeting')).toBe('Greeting');
  });

  it('writes findings again from their messages, with the rubric’s own wording; an unknown key or none keeps the text', async () => {
    const rubric = rubricInfo(parseRubric(yaml, 'r.yaml'));
    const findings: Finding[] = [
      { rule: 'my-hangup', deduction: 10, message: '请等客户先挂机', evidence: '', said: { key: 'hangup-order.agent-first' } },
      {
        rule: 'greeting',
        deduction: 10,
        message: '问候语缺少自报姓名或工号',
        evidence: '',
        said: { key: 'greeting.lacks', params: { parts: [{ key: 'greeting.slot.identity' }] } },
      },
      { rule: 'greeting', deduction: 0, message: '未知', evidence: '', said: { key: 'no.such.key' as never } },
      { rule: 'greeting', deduction: 0, message: '旧的', evidence: '' },
      { rule: 'llm:empathy', deduction: 2, message: '3/5: 坐席未安抚客户', evidence: '' },
    ];
    const writer = findingsWriter(rubric, 'en');
    expect(writer.write(findings).map((f) => f.message)).toEqual([
      'Let the customer hang up first',
      'greeting lacks the agent’s name or number',
      '未知',
      '旧的',
      '3/5: 坐席未安抚客户',
    ]);
    expect(writer.kept).toBe(2);
    expect(
      findingsWriter(rubric, 'zh-TW')
        .write(findings.slice(0, 2))
        .map((f) => f.message),
    ).toEqual(['請等客戶先掛機', '問候語缺少自報姓名或工號']);
    // The shipped rubric: the same finding in the three languages.
    const shipped = rubricInfo(await loadRubric('zh-phone'));
    const hangup: Finding = { rule: 'hangup-order', deduction: 10, message: '坐席先于客户挂机', evidence: '', said: { key: 'hangup-order.agent-first' } };
    expect(['zh-TW', 'en'].map((lang) => findingsWriter(shipped, lang as 'en').write([hangup])[0]?.message)).toEqual([
      '客服人員先於客戶掛機',
      'the agent hung up before the customer',
    ]);
  });

  it('runIn gives the model’s criteria the advice of the language', async () => {
    const run = {
      rubric: rubricInfo(await loadRubric('zh-phone')),
      llm: { model: 'm', promptVersion: 'p', criteria: [{ id: 'empathy', question: 'q', maxScore: 5, advice: '旧' }] },
    } as unknown as RunInfo;
    const en = runIn(run, 'en');
    expect(en.llm?.criteria[0]?.advice).toBe(en.rubric.advice['llm:empathy']);
    expect(en.llm?.criteria[0]?.advice).toMatch(/^First confirm the customer's feelings/);
  });
});
