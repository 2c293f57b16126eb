import { rubricProblems } from '../helpers/rubric.js';
import { describe, expect, it } from 'vitest';
import { parseRubric } from '../../src/rubric/load.js';
import { runRubricTests } from '../../src/rubric/run-tests.js';
import { scoreCall } from '../../src/scoring/score-call.js';
import { call } from '../helpers/rule-table.js';

const problems = (yaml: string) => rubricProblems(yaml);

const RETENTION = `name: t
rules:
  retention:
    type: expr
    when: "!cancel || offer"
    deduction: 10
  offer:
    type: phrases
    phrases: [优惠, 续约]
    window: { after: cancel }
    hidden: true
  cancel:
    type: phrases
    phrases: [取消, 退订]
    speaker: customer
    hidden: true
`;

describe('rubric entries built from rule types', () => {
  it('runs a rule after the rules it refers to, whatever the order in the file', () => {
    const rubric = parseRubric(RETENTION, 'r.yaml');
    expect(rubric.rules.map((r) => r.id)).toEqual(['cancel', 'offer', 'retention']);
    expect(rubric.rules.map((r) => r.definition.id)).toEqual(['phrases', 'phrases', 'expr']);
  });

  it('scores the expression over the helper rules, which stay out of the findings', () => {
    const rubric = parseRubric(RETENTION, 'r.yaml');
    const kept = scoreCall(call(['[00:00-00:03] customer: 我要退订', '[00:03-00:08] agent: 您是老用户，续约有优惠']), rubric);
    expect(kept.outcomes).toEqual({ cancel: 'pass', offer: 'pass', retention: 'pass' });
    expect(kept.score).toBe(100);
    const lost = scoreCall(call(['[00:00-00:03] agent: 有优惠活动', '[00:03-00:06] customer: 我要退订', '[00:06-00:08] agent: 好的']), rubric);
    expect(lost.outcomes).toMatchObject({ cancel: 'pass', offer: 'fail', retention: 'fail' });
    expect(lost.findings.map((f) => [f.rule, f.deduction])).toEqual([['retention', 10]]);
    expect(lost.score).toBe(90);
  });

  it.each([
    [
      `name: t\nrules:\n  a:\n    type: expr\n    when: "b && c"\n  b: { type: phrases, phrases: [x] }\n`,
      'rules.a: refers to "c", which is not a rule of this rubric',
    ],
    [`name: t\nrules:\n  a: { type: expr, when: "b" }\n  b: { type: expr, when: "a" }\n`, 'rules refer to each other in a cycle: a → b → a'],
    [`name: t\nrules:\n  a: { type: expr, when: "a" }\n`, 'r.yaml:3: rules.a: refers to itself'],
    [`name: t\nrules:\n  a: { type: expr, when: "b &&" }\n  b: { type: phrases, phrases: [x] }\n`, 'r.yaml:3: rules.a.when: '],
    [`name: t\nrules:\n  a: { type: phrases, phrases: [x], window: { after: nope } }\n`, 'rules.a: refers to "nope", which is not a rule of this rubric'],
    [`name: t\nrules:\n  a: { type: phrases, phrases: [x], window: { first_seconds: 5, last_turns: 2 } }\n`, 'rules.a.window: expected exactly one of'],
    [`name: t\nrules:\n  a: { type: duration, of: call }\n`, 'r.yaml:3: rules.a: expected min_seconds, max_seconds or both'],
    [`name: t\nrules:\n  a: { type: phrases }\n`, 'rules.a.phrases: '],
    [`name: t\nrules:\n  "a b": { type: phrases, phrases: [x] }\n`, 'a rule id is letters, digits'],
  ])('rejects %j', (yaml, expected) => {
    const found = problems(yaml);
    expect(
      found.some((p) => p.includes(expected)),
      found.join('\n'),
    ).toBe(true);
  });
});

describe('rubric tests', () => {
  const rubric = (tests: string) => parseRubric(`name: t\nrules:\n  banned-phrases: {}\n  hangup-order: {}\ntests:\n${tests}`, 'r.yaml');

  it('runs each test and says what differed, expected against got', () => {
    const r = rubric(`  - name: good
    turns: ["agent: 不知道您方便吗"]
    expect: { banned-phrases: pass }
  - name: wrong on purpose
    turns: ["agent: 不知道"]
    hangup_by: agent
    expect: { banned-phrases: pass, hangup-order: pass }
    expect_score: 100
`);
    expect(runRubricTests(r)).toEqual([
      { name: 'good', passed: true, problems: [] },
      {
        name: 'wrong on purpose',
        passed: false,
        problems: [
          'banned-phrases: expected pass, got fail (banned phrase "不知道")',
          'hangup-order: expected pass, got fail (the agent hung up before the customer)',
          'score: expected 100, got 85',
        ],
      },
    ]);
  });

  it('a conversation it cannot read is a failed test, not a crash', () => {
    const [outcome] = runRubricTests(rubric('  - name: bad line\n    turns: ["boss: hi"]\n    expect: { banned-phrases: pass }\n'));
    expect(outcome?.passed).toBe(false);
    expect(outcome?.problems[0]).toMatch(/^the conversation cannot be read: line 1: unknown speaker label "boss"/);
  });

  it.each([
    ['  - name: x\n    turns: ["agent: a"]\n    expect: { greeting: pass }\n', 'tests[0].expect.greeting: "greeting" is not a rule of this rubric'],
    ['  - name: x\n    turns: ["agent: a"]\n    expect: { banned-phrases: maybe }\n', 'tests[0].expect.banned-phrases: expected pass, fail or n/a'],
    ['  - name: x\n    turns: []\n    expect: {}\n', 'tests[0].turns: '],
    ['  - name: x\n    turn: ["agent: a"]\n    expect: {}\n', 'tests[0]: unknown key turn'],
  ])('rejects a malformed test %#', (tests, expected) => {
    const found = problems(`name: t\nrules:\n  banned-phrases: {}\n  hangup-order: {}\ntests:\n${tests}`);
    expect(
      found.some((p) => p.includes(expected)),
      found.join('\n'),
    ).toBe(true);
  });

  it('the shipped rubrics pass their own tests, and test every seed rule', async () => {
    const { loadRubric } = await import('../../src/rubric/load.js');
    for (const name of ['zh-phone', 'custom-example', 'zh-chat', 'zh-social']) {
      const r = await loadRubric(name);
      const failed = runRubricTests(r).filter((o) => !o.passed);
      expect(failed, name).toEqual([]);
    }
    // Every rule that deducts is tested by its rubric (a hidden helper is tested through the rule reading it).
    for (const name of ['zh-phone', 'zh-chat', 'zh-social']) {
      const r = await loadRubric(name);
      const tested = new Set(r.tests.flatMap((t) => Object.keys(t.expect)));
      expect([...tested].sort(), name).toEqual(
        r.rules
          .filter((rule) => !rule.options.hidden)
          .map((rule) => rule.id)
          .sort(),
      );
    }
  });
});
