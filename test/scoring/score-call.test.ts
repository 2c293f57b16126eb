import { EMPTY_CONTEXT } from '../../src/rules/types.js';
import { describe, expect, it } from 'vitest';
import { parseRubric, type Rubric } from '../../src/rubric/load.js';
import { AgentAggregator, averageScore } from '../../src/scoring/agents.js';
import { scoreCall } from '../../src/scoring/score-call.js';
import { call } from '../helpers/rule-table.js';

const GREETING = '[00:00-00:08] agent: 您好，这里是星辰通信，我是王芳，很高兴为您服务';

function rubric(yaml: string): Rubric {
  return parseRubric(`name: t\npass_score: 80\nrules:\n${yaml}`, 't.yaml');
}

describe('scoreCall', () => {
  const standard = rubric('  greeting: {}\n  banned-phrases: {}\n  speech-rate: {}\n  hangup-order: {}\n');

  it('a clean call scores 100 and passes', () => {
    const r = scoreCall(
      call([GREETING, '[00:08-00:12] customer: 好的', '[00:12-00:20] agent: 好的，马上为您查询，请您稍等'], { hangupBy: 'customer' }),
      standard,
    );
    expect(r.findings).toEqual([]);
    expect(r.score).toBe(100);
    expect(r.passed).toBe(true);
    expect(r.outcomes).toEqual({ greeting: 'pass', 'banned-phrases': 'pass', 'speech-rate': 'pass', 'hangup-order': 'pass' });
    expect(r.durationSeconds).toBe(20);
    expect(r.agentCharsPerMinute).toBeCloseTo((32 / 16) * 60, 5);
  });

  it('caps a rule at max_deduction and the findings add up to what the call lost', () => {
    const r = scoreCall(call([GREETING, `[00:08-00:40] agent: ${'不知道，'.repeat(6)}`], { hangupBy: 'agent' }), standard);
    const banned = r.findings.filter((f) => f.rule === 'banned-phrases');
    expect(banned.map((f) => f.deduction)).toEqual([5, 5, 5, 5, 0, 0]);
    expect(r.findings.filter((f) => f.rule === 'hangup-order').map((f) => f.deduction)).toEqual([10]);
    const lost = r.findings.reduce((sum, f) => sum + f.deduction, 0);
    expect(r.score).toBe(100 - lost);
    expect(r.score).toBe(100 - 20 - 10 - (r.outcomes['speech-rate'] === 'fail' ? 5 : 0));
    expect(r.passed).toBe(r.score >= 80);
  });

  it('lists at most 200 findings a rule; the rest are one finding carrying their count and deductions', () => {
    const small = rubric('  banned-phrases: { deduction: 0.25, max_deduction: 100 }\n');
    const lines = Array.from({ length: 250 }, (_, i) => `[${String(i).padStart(2, '0')}:00-${String(i).padStart(2, '0')}:05] agent: 这个不知道`);
    const r = scoreCall(call(lines), small);
    expect(r.findings).toHaveLength(201);
    expect(r.findings[199]?.message).toBe('banned phrase "不知道"');
    expect(r.findings[200]).toEqual({
      rule: 'banned-phrases',
      deduction: 12.5,
      message: '50 more findings of Banned phrases in this call, not listed one by one (at most 200 a rule)',
      evidence: '',
      at: undefined,
      said: { key: 'finding.unlisted', params: { count: 50, rule: { rule: 'banned-phrases' }, max: 200 } },
    });
    // The listed ones keep their message as data too.
    expect(r.findings[199]?.said).toEqual({ key: 'banned-phrases.phrase', params: { phrase: '不知道' } });
    expect(r.findings.reduce((sum, f) => sum + f.deduction, 0)).toBe(62.5);
    expect(r.score).toBe(37.5);
  });

  it('a rule makes at most 200 findings and counts the rest; per: call still deducts once', async () => {
    const { RULES } = await import('../../src/rules/index.js');
    const dense = call([`[00:00-09:00] agent: ${'这个不行，'.repeat(100_000)}`]);
    const banned = rubric('  banned-phrases: { deduction: 1, max_deduction: 100 }\n');
    const [rule] = banned.rules;
    const result = RULES.get('banned-phrases')?.check(dense, rule?.options as never, { ...EMPTY_CONTEXT, results: new Map() });
    expect(result?.findings).toHaveLength(200);
    expect(result?.unlisted).toBe(99_800);
    const r = scoreCall(dense, banned);
    expect(r.findings).toHaveLength(201);
    expect(r.findings[200]?.message).toBe('99800 more findings of Banned phrases in this call, not listed one by one (at most 200 a rule)');
    expect(r.findings.reduce((sum, f) => sum + f.deduction, 0)).toBe(100);
    expect(r.findings[200]?.deduction).toBe(0);
    const once = scoreCall(dense, rubric('  banned-phrases: { deduction: 7, per: call }\n'));
    expect(once.findings.reduce((sum, f) => sum + f.deduction, 0)).toBe(7);
    expect(once.score).toBe(93);
  });

  it('a failing rule with review: true deducts nothing: its outcome is review, its findings status review, and critical does not zero the call', () => {
    const onTrial = rubric('  banned-phrases: { review: true, critical: true }\n  hangup-order: {}\n');
    const r = scoreCall(call([GREETING, '[00:08-00:20] agent: 这个不知道，不行'], { hangupBy: 'customer' }), onTrial);
    expect(r.outcomes['banned-phrases']).toBe('review');
    expect(r.criticalFailures).toEqual([]);
    expect(r.score).toBe(100);
    expect(r.findings.map((f) => [f.rule, f.deduction, f.status, f.message])).toEqual([
      ['banned-phrases', 0, 'review', 'banned phrase "不知道"'],
      ['banned-phrases', 0, 'review', 'banned phrase "不行"'],
    ]);
    const deducting = scoreCall(call([GREETING, '[00:08-00:20] agent: 这个不知道，不行'], { hangupBy: 'customer' }), rubric('  banned-phrases: {}\n'));
    expect(deducting.findings.map((f) => f.status)).toEqual([undefined, undefined]);
    expect(deducting.score).toBe(90);
  });

  it('an expr over a rule awaiting review awaits review itself when its answer depends on it, and decides when it does not', () => {
    const lines = [GREETING, '[00:08-00:20] agent: 这个不知道'];
    const r = scoreCall(
      call(lines, { hangupBy: 'customer' }),
      rubric(
        '  banned-phrases: { review: true }\n  hangup-order: {}\n' +
          '  depends: { type: expr, when: "banned-phrases" }\n' +
          '  either: { type: expr, when: "banned-phrases || hangup-order" }\n' +
          '  both: { type: expr, when: "!banned-phrases && !hangup-order" }\n',
      ),
    );
    expect(r.outcomes).toMatchObject({ 'banned-phrases': 'review', depends: 'review', either: 'pass', both: 'fail' });
    expect(r.findings.filter((f) => f.rule === 'depends').map((f) => [f.deduction, f.status, f.message])).toEqual([
      [0, 'review', '"banned-phrases" waits on review (banned-phrases: review)'],
    ]);
    expect(r.score).toBe(95);
  });

  it('quotes at most 500 characters of a long utterance when no match places the quote', () => {
    const long = `${'喂'.repeat(499)}😀${'喂'.repeat(2000)}`;
    const r = scoreCall(call([`[00:00-00:30] customer: 你好`, `[00:30-20:00] agent: ${long}`], { hangupBy: 'agent' }), rubric('  hangup-order: {}\n'));
    // 499 characters, then an emoji (two code units) the cut would split: left out whole.
    expect(r.findings[0]?.evidence).toBe(`${'喂'.repeat(499)}…`);
  });

  it('a partial cap deducts what is left', () => {
    const capped = rubric('  banned-phrases: { deduction: 5, max_deduction: 12 }\n');
    const r = scoreCall(call(['agent: 不行不行不行']), capped);
    expect(r.findings.map((f) => f.deduction)).toEqual([5, 5, 2]);
    expect(r.score).toBe(88);
  });

  it('never scores below 0', () => {
    const harsh = rubric('  banned-phrases: { deduction: 40, max_deduction: 100 }\n  hangup-order: { deduction: 50 }\n');
    const r = scoreCall(call(['agent: 不行不知道不行'], { hangupBy: 'agent' }), harsh);
    expect(r.score).toBe(0);
    expect(r.passed).toBe(false);
  });

  it('n/a deducts nothing', () => {
    const r = scoreCall(call(['agent: 您好，这里是星辰通信，我是王芳，很高兴为您服务']), standard);
    expect(r.outcomes['speech-rate']).toBe('n/a');
    expect(r.outcomes['hangup-order']).toBe('n/a');
    expect(r.agentCharsPerMinute).toBeUndefined();
    expect(r.durationSeconds).toBeUndefined();
    expect(r.score).toBe(100);
  });

  it('a rule that throws is an error for that rule only, never a crash', () => {
    const broken = rubric('  hangup-order: {}\n  banned-phrases: {}\n');
    const first = broken.rules[0];
    if (!first) throw new Error('no rule');
    broken.rules[0] = {
      ...first,
      definition: {
        ...first.definition,
        check: () => {
          throw new Error('boom');
        },
      },
    };
    const r = scoreCall(call(['agent: 不行']), broken);
    expect(r.outcomes).toEqual({ 'hangup-order': 'error', 'banned-phrases': 'fail' });
    expect(r.ruleErrors).toEqual([{ rule: 'hangup-order', error: 'boom' }]);
    expect(r.score).toBe(95);
  });
});

describe('AgentAggregator', () => {
  it('keeps per-agent figures without keeping calls', () => {
    const standard = rubric('  banned-phrases: {}\n  hangup-order: {}\n');
    const agg = new AgentAggregator();
    agg.add(scoreCall(call(['agent: 好的'], { agent: { id: 'B2', name: '李雷' }, hangupBy: 'customer' }), standard));
    agg.add(scoreCall(call(['agent: 不行'], { agent: { id: 'A1' }, hangupBy: 'agent' }), standard));
    agg.add(scoreCall(call(['agent: 好的'], { agent: { id: 'A1', name: '王芳' }, hangupBy: 'customer' }), standard));
    const [a1, b2] = agg.list();
    expect(a1).toMatchObject({ agentId: 'A1', agentName: '王芳', calls: 2, minScore: 85, maxScore: 100, passed: 2, findings: 2 });
    expect(averageScore(a1 as never)).toBe(92.5);
    expect(a1?.ruleFails).toEqual(
      new Map([
        ['banned-phrases', 1],
        ['hangup-order', 1],
      ]),
    );
    expect(b2).toMatchObject({ agentId: 'B2', calls: 1, passed: 1 });
  });
});

describe('scoreCall: severity and bonuses', () => {
  it('a failed critical rule (一票否决) makes the score 0 and is named', () => {
    const r = rubric('  banned-phrases: { critical: true }\n  hangup-order: {}\n');
    const result = scoreCall(call(['agent: 不行'], { hangupBy: 'customer' }), r);
    expect(result.criticalFailures).toEqual(['banned-phrases']);
    expect(result.score).toBe(0);
    expect(result.passed).toBe(false);
    expect(result.findings.map((f) => [f.rule, f.deduction])).toEqual([['banned-phrases', 5]]);
  });

  it('critical applies per finding kind: a privacy failure on a mobile only deducts, one on an ID number zeroes the call', () => {
    const r = rubric('  privacy: { critical: true, kinds: [id_card, bank_card, mobile], critical_kinds: [id_card, bank_card] }\n');
    const mobile = scoreCall(call(['agent: 您的号码是13812345678，对吗？']), r);
    expect([mobile.outcomes.privacy, mobile.criticalFailures, mobile.score]).toEqual(['fail', [], 90]);
    const id = scoreCall(call(['agent: 您的身份证号是440301199001011234，对吗？']), r);
    expect([id.outcomes.privacy, id.criticalFailures, id.score]).toEqual(['fail', ['privacy'], 0]);
    // Each finding says which it is: an analyst may overturn the ID number and leave the mobile (--reviews).
    const both = scoreCall(call(['agent: 您的身份证号是440301199001011234，手机是13812345678，对吗？']), r);
    expect(both.findings.map((f) => [f.message, f.critical])).toEqual([
      ['agent read out a full ID card number', undefined],
      ['agent read out a full mobile number', false],
    ]);
    // Without critical: true no finding is marked.
    const plain = scoreCall(call(['agent: 手机是13812345678'], {}), rubric('  privacy: { kinds: [mobile] }\n'));
    expect(plain.findings.map((f) => f.critical)).toEqual([undefined]);
  });

  it('a critical rule that passes changes nothing', () => {
    const r = rubric('  banned-phrases: { critical: true }\n  hangup-order: {}\n');
    const result = scoreCall(call(['agent: 好的'], { hangupBy: 'agent' }), r);
    expect(result.criticalFailures).toEqual([]);
    expect(result.score).toBe(90);
  });

  it('a bonus (加分) rewards a pass, and the score never passes 100', () => {
    const r = rubric('  banned-phrases: { bonus: 3 }\n  hangup-order: { deduction: 10 }\n');
    expect(scoreCall(call(['agent: 好的'], { hangupBy: 'agent' }), r).score).toBe(93);
    expect(scoreCall(call(['agent: 好的'], { hangupBy: 'customer' }), r).score).toBe(100);
    expect(scoreCall(call(['agent: 不行'], { hangupBy: 'agent' }), r).score).toBe(85);
  });

  it('the bonus earned is saved with the result when there is one (a verdict recomputes the score from it)', () => {
    const r = rubric('  banned-phrases: { bonus: 3 }\n  hangup-order: { deduction: 10 }\n');
    expect(scoreCall(call(['agent: 好的'], { hangupBy: 'agent' }), r).bonus).toBe(3);
    const none = scoreCall(call(['agent: 不行'], { hangupBy: 'agent' }), r);
    expect([none.score, 'bonus' in none]).toEqual([85, false]);
  });

  it('per: call deducts once for a failing call, whatever the number of findings', () => {
    const r = rubric('  banned-phrases: { deduction: 8, per: call }\n');
    const result = scoreCall(call(['agent: 不行不行不知道']), r);
    expect(result.findings.map((f) => f.deduction)).toEqual([8, 0, 0]);
    expect(result.score).toBe(92);
  });
});
