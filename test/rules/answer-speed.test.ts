import { describe, expect, it } from 'vitest';
import { parseRubric } from '../../src/rubric/load.js';
import rule from '../../src/rules/answer-speed.js';
import { call, ruleTable } from '../helpers/rule-table.js';

const GREETING = '您好，这里是星辰通信，我是王芳，很高兴为您服务。';

describe('answer-speed', () => {
  ruleTable(rule, {
    valid: [
      { name: 'answered after 6 s', call: call([`[00:00-00:05] agent: ${GREETING}`], { ringSeconds: 6 }) },
      { name: 'exactly 15 s', call: call([`agent: ${GREETING}`], { ringSeconds: 15 }) },
      { name: 'no ringing at all', call: call([`agent: ${GREETING}`], { ringSeconds: 0 }) },
      { name: 'max_ring_seconds is an option', call: call([`agent: ${GREETING}`], { ringSeconds: 20 }), options: { max_ring_seconds: 25 } },
    ],
    invalid: [
      {
        name: 'rang for 22 s',
        call: call([`[00:00.5-00:06] agent: ${GREETING}`, '[00:06-00:08] customer: 你好。'], { ringSeconds: 22 }),
        findings: [
          {
            at: 0,
            message: 'the phone rang 22 s before the agent answered (longer than 15 s: answer before the third ring)',
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
        name: 'a stricter bound',
        call: call([`agent: ${GREETING}`], { ringSeconds: 12 }),
        options: { max_ring_seconds: 10 },
        findings: [{ at: 0, message: 'the phone rang 12 s before the agent answered (longer than 10 s: answer before the third ring)' }],
      },
    ],
    notApplicable: [
      { name: 'no ring data', call: call([`[00:00-00:05] agent: ${GREETING}`]) },
      { name: 'no ring data, untimed', call: call([`agent: ${GREETING}`]) },
    ],
  });

  it('rejects a bound that is not a positive number', () => {
    const yaml = (v: string) => `name: t\nrules:\n  answer-speed:\n    max_ring_seconds: ${v}\n`;
    expect(() => parseRubric(yaml('0'), 'r.yaml')).toThrow('r.yaml:4: rules.answer-speed.max_ring_seconds: expected a number > 0, got 0');
    expect(() => parseRubric(yaml('soon'), 'r.yaml')).toThrow('rules.answer-speed.max_ring_seconds: expected a number, got "soon"');
  });
});
