import { describe, expect, it } from 'vitest';
import { speechUnits } from '../../src/metrics/speech-rate.js';
import rule from '../../src/rules/speech-rate.js';
import { EMPTY_CONTEXT } from '../../src/rules/types.js';
import { call, ruleTable } from '../helpers/rule-table.js';

/** n Han characters. */
const han = (n: number) => '好'.repeat(n);

describe('speech units', () => {
  it.each([
    ['您好，这里是星辰通信。', 9],
    ['工号1024', 6],
    ["Thank you for calling, I'm Mia.", 6],
    ['ＯＫ，好的', 3],
    ['，。！？ ', 0],
  ])('%s → %i', (text, units) => expect(speechUnits(text)).toBe(units));
});

describe('speech-rate', () => {
  ruleTable(rule, {
    valid: [
      { name: '135 a minute', call: call([`[00:00-00:20] agent: ${han(45)}`]) },
      { name: 'exactly 120', call: call([`[00:00-00:10] agent: ${han(10)}`, `[00:10-00:20] agent: ${han(30)}`]) },
      { name: 'exactly 150', call: call([`[00:00-00:12] agent: ${han(30)}`]) },
      {
        name: 'customer speech and gaps are not counted',
        call: call([`[00:00-00:10] agent: ${han(22)}`, `[00:10-00:40] customer: ${han(200)}`, `[00:50-01:00] agent: ${han(23)}`]),
      },
      { name: 'overlapping turns are fine', call: call([`[00:00-00:20] agent: ${han(45)}`, `[00:05-00:09] customer: ${han(30)}`]) },
    ],
    invalid: [
      {
        name: 'too fast',
        call: call([`[00:00-00:10] agent: ${han(20)}`, `[00:10-00:20] agent: ${han(40)}`]),
        findings: [{ at: 10, message: /agent speaks 180 characters a minute \(60 in 20\.0 s\); the standard is 120–150\. Fastest utterance: 240/ }],
      },
      {
        name: 'too slow',
        call: call([`[00:00-00:12] agent: ${han(10)}`, `[00:12-00:24] agent: ${han(30)}`]),
        findings: [{ at: 0, message: /agent speaks 100 characters a minute.*Slowest utterance: 50/, evidence: han(10) }],
      },
      {
        name: 'bounds are options',
        call: call([`[00:00-00:20] agent: ${han(45)}`]),
        options: { min: 140, max: 200 },
        findings: [{ message: /135 characters a minute.*140–200/ }],
      },
    ],
    notApplicable: [
      { name: 'untimed transcript', call: call([`agent: ${han(45)}`]) },
      { name: 'agent spoke under 10 s in all', call: call([`[00:00-00:09] agent: ${han(20)}`, `[00:09-00:40] customer: ${han(60)}`]) },
      { name: 'no agent speech', call: call([`[00:00-00:40] customer: ${han(60)}`]) },
    ],
  });

  it('start-only times use the next start as the end', () => {
    const result = rule.check(
      call([`[00:00] agent: ${han(45)}`, '[00:20] customer: 好', '[00:30] agent: 好']),
      {
        min: 120,
        max: 150,
        min_agent_seconds: 10,
        unit: 'characters',
      } as never,
      EMPTY_CONTEXT,
    );
    expect(result.outcome).toBe('pass');
  });
});
