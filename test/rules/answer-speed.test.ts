import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRubric } from '../../src/rubric/load.js';
import rule, { RING_BEFORE_THIRD } from '../../src/rules/answer-speed.js';
import { call, ruleTable } from '../helpers/rule-table.js';
import { translator } from '../../src/i18n/format.js';
import { EMPTY_CONTEXT } from '../../src/rules/types.js';

const GREETING = '您好，这里是星辰通信，我是王芳，很高兴为您服务。';

describe('answer-speed', () => {
  ruleTable(rule, {
    valid: [
      { name: 'answered after 6 s', call: call([`[00:00-00:05] agent: ${GREETING}`], { ringSeconds: 6 }) },
      { name: 'exactly 10 s: the third ring is only starting', call: call([`agent: ${GREETING}`], { ringSeconds: 10 }) },
      { name: 'in the second ring cycle (5–10 s)', call: call([`agent: ${GREETING}`], { ringSeconds: 9.5 }) },
      { name: 'no ringing at all', call: call([`agent: ${GREETING}`], { ringSeconds: 0 }) },
      { name: 'max_ring_seconds is an option', call: call([`agent: ${GREETING}`], { ringSeconds: 20 }), options: { max_ring_seconds: 25 } },
      { name: 'an inbound call as the record writes it (呼入)', call: call([`agent: ${GREETING}`], { ringSeconds: 4, direction: '呼入' }) },
    ],
    invalid: [
      {
        name: 'rang for 22 s',
        call: call([`[00:00.5-00:06] agent: ${GREETING}`, '[00:06-00:08] customer: 你好。'], { ringSeconds: 22 }),
        findings: [
          {
            at: 0,
            message: 'the phone rang 22 s before the agent answered (longer than 10 s: answer before the third ring)',
            evidence: GREETING,
          },
        ],
      },
      {
        name: 'the evidence is the agent’s first words, though the customer spoke first',
        call: call(['[00:00-00:02] customer: 喂？', '[00:02-00:05] 客服：您好，這裡是星辰通信。'], { ringSeconds: 30.25 }),
        findings: [{ at: 0, message: /rang 30\.3 s/, evidence: '您好，這裡是星辰通信。' }],
      },
      {
        name: 'no agent speech: empty evidence',
        call: call(['customer: 喂？'], { ringSeconds: 40 }),
        findings: [{ at: 0, message: /rang 40 s/, evidence: '' }],
      },
      {
        name: 'the third ring has started (10.5 s; the old 15 s default passed it)',
        call: call([`agent: ${GREETING}`], { ringSeconds: 10.5 }),
        findings: [{ at: 0, message: 'the phone rang 10.5 s before the agent answered (longer than 10 s: answer before the third ring)' }],
      },
      {
        name: 'an inbound call that rang 12 s',
        call: call([`agent: ${GREETING}`], { ringSeconds: 12, direction: 'inbound' }),
        findings: [{ at: 0, message: /rang 12 s/ }],
      },
      {
        name: 'a direction no rule reads (transfer) is judged as the ring says',
        call: call([`agent: ${GREETING}`], { ringSeconds: 12, direction: 'transfer' }),
        findings: [{ at: 0, message: /rang 12 s/ }],
      },
      {
        name: 'the customer speaks first but the agent greets as on an inbound call',
        call: call(['customer: 喂？喂？', `agent: ${GREETING}`], { ringSeconds: 14 }),
        findings: [{ at: 0, message: /rang 14 s/ }],
      },
      {
        name: 'the agent speaks first and checks the caller’s name (caller ID): inbound',
        call: call(['agent: 您好，华信银行，请问是张先生吗？', 'customer: 对。'], { ringSeconds: 12 }),
        findings: [{ at: 0, message: /rang 12 s/ }],
      },
      {
        name: 'a recorded inbound direction outweighs an outbound-looking opening',
        call: call(['customer: 喂？', 'agent: 您好，请问是张先生吗？'], { ringSeconds: 12, direction: 'inbound' }),
        findings: [{ at: 0, message: /rang 12 s/ }],
      },
      {
        name: 'a stricter bound',
        call: call([`agent: ${GREETING}`], { ringSeconds: 7 }),
        options: { max_ring_seconds: 5 },
        findings: [{ at: 0, message: 'the phone rang 7 s before the agent answered (longer than 5 s: answer before the third ring)' }],
      },
    ],
    notApplicable: [
      { name: 'no ring data', call: call([`[00:00-00:05] agent: ${GREETING}`]) },
      { name: 'no ring data, untimed', call: call([`agent: ${GREETING}`]) },
      {
        name: 'an outbound call: the 25 s of ringing were the customer’s phone',
        call: call(['customer: 喂？', 'agent: 您好，我是星辰通信的客户经理。'], { ringSeconds: 25, direction: 'outbound' }),
      },
      {
        name: 'no direction recorded, but the customer answers and the agent asks for them by name',
        call: call(['customer: 喂？', 'agent: 您好，这里是星辰通信，请问是李建国先生吗？', 'customer: 是我。'], { ringSeconds: 14 }),
      },
      {
        name: 'no direction recorded, a 回访 in Traditional script',
        call: call(['客戶：喂，哪位？', '客服：您好，我是雲帆快遞的客服，給您做個派送回訪。'], { ringSeconds: 12 }),
      },
      { name: 'an outbound call as the record writes it (外呼)', call: call([`agent: ${GREETING}`], { ringSeconds: 3, direction: '外呼' }) },
    ],
  });

  it('defaults to the start of the third ring at the 1 s on / 4 s off cadence, and says it is policy', () => {
    expect(RING_BEFORE_THIRD).toBe(10);
    expect(rule.options.max_ring_seconds.parse(undefined)).toBe(10);
    expect(rule.source).toContain('the 10 s default is policy derived from it');
    const zh = parseRubric(readFileSync(new URL('../../rubrics/zh-phone.yaml', import.meta.url), 'utf8'), 'zh-phone.yaml');
    const entry = zh.rules.find((r) => r.id === 'answer-speed');
    expect(entry?.options.max_ring_seconds).toBe(10);
    expect(entry?.options.source).toContain('10 s is policy derived from "before the third ring"');
  });

  it('rejects a bound that is not a positive number', () => {
    const yaml = (v: string) => `name: t\nrules:\n  answer-speed:\n    max_ring_seconds: ${v}\n`;
    expect(() => parseRubric(yaml('0'), 'r.yaml')).toThrow('r.yaml:4: rules.answer-speed.max_ring_seconds: expected a number > 0, got 0');
    expect(() => parseRubric(yaml('soon'), 'r.yaml')).toThrow('rules.answer-speed.max_ring_seconds: expected a number, got "soon"');
  });
});

/** The run's language is Simplified Chinese. */
const ZH = { ...EMPTY_CONTEXT, say: translator('zh-CN') };

describe('answer-speed: findings in Chinese', () => {
  ruleTable(rule, {
    invalid: [
      {
        name: 'rang for 12.5 s',
        call: call([`agent: ${GREETING}`], { ringSeconds: 12.5 }),
        context: ZH,
        findings: [{ at: 0, message: '电话响铃 12.5 秒后坐席才接听（超过 10 秒；应在第三声铃响前接听）', evidence: GREETING }],
      },
    ],
  });
});
