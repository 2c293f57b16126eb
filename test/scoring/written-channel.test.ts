import { describe, expect, it } from 'vitest';
import { parseRubric } from '../../src/rubric/load.js';
import { scoreCall } from '../../src/scoring/score-call.js';
import { call } from '../helpers/rule-table.js';

// Every rule that measures speech, the silence and overlap types among them, beside two that read words.
const RUBRIC = parseRubric(
  [
    'name: t',
    'pass_score: 80',
    'rules:',
    '  greeting: {}',
    '  banned-phrases: {}',
    '  speech-rate: {}',
    '  hangup-order: {}',
    '  dead-air: {}',
    '  interruption: {}',
    '  answer-speed: {}',
    '  long-gap:',
    '    type: silence',
    '    max_seconds: 5',
    '  crosstalk:',
    '    type: overlap',
    '    min_seconds: 0',
    '',
  ].join('\n'),
  't.yaml',
);
const SPEECH = ['speech-rate', 'hangup-order', 'dead-air', 'interruption', 'answer-speed', 'long-gap', 'crosstalk'];

// A thread with long gaps between messages, the agent leaving first and a banned phrase: as a call it would fail on timing.
const LINES = [
  '[00:00-00:00] customer: 在吗？快递三天没动了',
  '[01:30-01:30] agent: 您好，很高兴为您服务，请提供单号',
  '[09:00-09:00] agent: 这个我不知道，您自己问快递吧',
];

describe('scoreCall on written service', () => {
  it.each(['chat', 'social'] as const)('answers n/a with no finding for every rule that measures speech (%s), and judges the words', (channel) => {
    const r = scoreCall(call(LINES, { hangupBy: 'agent', ringSeconds: 40, channel }), RUBRIC);
    expect(SPEECH.map((id) => r.outcomes[id])).toEqual(SPEECH.map(() => 'n/a'));
    expect(r.findings.filter((f) => SPEECH.includes(f.rule))).toEqual([]);
    expect(r.outcomes['banned-phrases']).toBe('fail');
    expect(r.findings.filter((f) => f.rule === 'banned-phrases').map((f) => f.evidence)).toEqual(['这个我不知道，您自己问快递吧']);
    expect(r.channel).toBe(channel);
  });

  it('checks them on a voice call, said or not: no channel in its result', () => {
    for (const channel of [undefined, 'voice'] as const) {
      const r = scoreCall(call(LINES, { hangupBy: 'agent', ringSeconds: 40, ...(channel ? { channel } : {}) }), RUBRIC);
      expect(r.outcomes['hangup-order']).toBe('fail');
      expect(r.outcomes['long-gap']).toBe('fail');
      expect('channel' in r).toBe(false);
    }
  });
});
