import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  CallSample,
  checkGateConfig,
  collectMaxFailRate,
  evaluateGates,
  formatGateFailures,
  GateTracker,
  MAX_GATE_ITEMS,
  parseFailUnder,
  parseMaxFailRate,
  parseMaxScoreDrop,
  parseRate,
  RuleTally,
} from '../../src/run/gates.js';
import { AgentAggregator } from '../../src/scoring/agents.js';
import type { CallResult, RuleOutcome } from '../../src/scoring/score-call.js';

function call(callId: string, agentId: string, score: number, outcomes: Record<string, RuleOutcome> = {}, criticalFailures: string[] = []): CallResult {
  return {
    callId,
    agentId,
    agentName: `name-${agentId}`,
    source: 'x.json',
    hangupBy: 'customer',
    roleSource: 'given',
    score,
    passed: score >= 80,
    outcomes,
    findings: [],
    criticalFailures,
    ruleErrors: [],
  };
}

describe('flag parsers', () => {
  it.each([
    ['0.05', 0.05],
    ['.5', 0.5],
    ['0', 0],
    ['1', 1],
    ['5%', 0.05],
    ['12.5%', 0.125],
    [' 100 % ', 1],
    ['0%', 0],
  ])('rate %j → %d', (text, value) => expect(parseRate(text)).toBeCloseTo(value, 12));

  it.each([
    ['5', 'expected a fraction from 0 to 1 or a percentage, got "5" (did you mean 5%?)'],
    ['150%', 'expected a percentage from 0% to 100%, got "150%"'],
    ['-0.1', 'expected a fraction from 0 to 1 (0.05) or a percentage (5%), got "-0.1"'],
    ['abc', 'expected a fraction from 0 to 1 (0.05) or a percentage (5%), got "abc"'],
    ['', 'expected a fraction from 0 to 1 (0.05) or a percentage (5%), got ""'],
  ])('rate %j is refused: %s', (text, message) => {
    expect(() => parseRate(text)).toThrow(InvalidArgumentError);
    expect(() => parseRate(text)).toThrow(message);
  });

  it('parses RULE=RATE with precise errors', () => {
    expect(parseMaxFailRate('greeting=5%')).toEqual({ rule: 'greeting', max: 0.05, given: '5%' });
    expect(parseMaxFailRate(' privacy = 0 ')).toEqual({ rule: 'privacy', max: 0, given: '0' });
    expect(() => parseMaxFailRate('greeting')).toThrow('expected RULE=RATE (a rule id, then a fraction 0..1 or a percentage such as 5%), got "greeting"');
    expect(() => parseMaxFailRate('=5%')).toThrow('expected a rule id before "=", got "=5%"');
    expect(() => parseMaxFailRate('greeting=7')).toThrow('greeting: expected a fraction from 0 to 1 or a percentage, got "7" (did you mean 7%?)');
  });

  it('collects the repeatable flag; a later limit for a rule replaces the earlier', () => {
    let limits = collectMaxFailRate('greeting=5%');
    limits = collectMaxFailRate('closing=0.1', limits);
    limits = collectMaxFailRate('greeting=2%', limits);
    expect(limits).toEqual([
      { rule: 'closing', max: 0.1, given: '0.1' },
      { rule: 'greeting', max: 0.02, given: '2%' },
    ]);
  });

  it('parses --fail-under and --max-score-drop', () => {
    expect(parseFailUnder('80')).toBe(80);
    expect(parseMaxScoreDrop('2.5')).toBe(2.5);
    expect(() => parseFailUnder('101')).toThrow('expected a score from 0 to 100, got "101"');
    expect(() => parseFailUnder('x')).toThrow(InvalidArgumentError);
    expect(() => parseMaxScoreDrop('-1')).toThrow('expected points from 0 to 100, got "-1"');
    expect(() => parseMaxScoreDrop('')).toThrow('expected points from 0 to 100, got ""');
  });
});

describe('checkGateConfig', () => {
  const ruleIds = ['greeting', 'closing', 'privacy'];

  it('accepts known rules and --max-score-drop with a baseline', () => {
    expect(checkGateConfig({ maxFailRates: [parseMaxFailRate('greeting=5%')], maxScoreDrop: 5 }, { ruleIds, hasBaseline: true })).toEqual([]);
  });

  it('names an unknown rule (with a suggestion when close) and --max-score-drop without --baseline', () => {
    expect(
      checkGateConfig({ maxFailRates: [parseMaxFailRate('gretting=5%'), parseMaxFailRate('upsell=1%')], maxScoreDrop: 5 }, { ruleIds, hasBaseline: false }),
    ).toEqual([
      '--max-fail-rate: the rubric has no rule "gretting" (did you mean "greeting"?); its rules are greeting, closing, privacy',
      '--max-fail-rate: the rubric has no rule "upsell"; its rules are greeting, closing, privacy',
      '--max-score-drop needs --baseline DIR: the report directory of an earlier run to compare each agent with',
    ]);
  });
});

describe('RuleTally', () => {
  it('counts pass and fail per rule (not n/a or error) and keeps the first failing calls', () => {
    const tally = new RuleTally(2);
    tally.add({ greeting: 'pass', closing: 'fail', privacy: 'n/a' }, 'C1');
    tally.add({ greeting: 'fail', closing: 'fail', privacy: 'error' }, 'C2');
    tally.add({ greeting: 'pass', closing: 'fail', privacy: 'n/a' }, 'C3');
    tally.add({ greeting: 'n/a', closing: 'pass' });
    const rates = tally.rates();
    expect([...rates.keys()]).toEqual(['greeting', 'closing', 'privacy']);
    expect(rates.get('greeting')).toEqual({ pass: 2, fail: 1, decided: 3, rate: 1 / 3, firstFailures: ['C2'] });
    expect(rates.get('closing')).toEqual({ pass: 1, fail: 3, decided: 4, rate: 0.75, firstFailures: ['C1', 'C2'] });
    expect(rates.get('privacy')).toEqual({ pass: 0, fail: 0, decided: 0, firstFailures: [] });
  });

  it('CallSample keeps the count and a bounded sample', () => {
    const s = new CallSample(3);
    for (let i = 0; i < 10; i++) s.add(`C${i}`);
    expect(s.count).toBe(10);
    expect(s.first).toEqual(['C0', 'C1', 'C2']);
  });
});

describe('evaluateGates', () => {
  it('passes when every gate holds', () => {
    const tracker = new GateTracker({ failUnder: 60, maxFailRates: [parseMaxFailRate('greeting=50%')], failOnCritical: true });
    tracker.add(call('C1', 'A1', 90, { greeting: 'pass' }));
    tracker.add(call('C2', 'A1', 60, { greeting: 'fail' }));
    expect(tracker.evaluate()).toEqual([]);
  });

  it('names the calls below --fail-under', () => {
    const tracker = new GateTracker({ failUnder: 80 });
    for (const [id, score] of [
      ['C1', 90],
      ['C2', 79.5],
      ['C3', 80],
      ['C4', 12.345],
    ] as const)
      tracker.add(call(id, 'A1', score));
    expect(tracker.evaluate()).toEqual([{ gate: 'fail-under', detail: '2 calls scored below 80', items: ['C2 (79.5)', 'C4 (12.35)'], count: 2 }]);
  });

  it('accepts the counts the score command keeps itself', () => {
    expect(evaluateGates({ config: { failUnder: 70 }, below: { count: 1, first: ['C9 (40)'] } })).toEqual([
      { gate: 'fail-under', detail: '1 call scored below 70', items: ['C9 (40)'], count: 1 },
    ]);
  });

  it('breaks --max-fail-rate when a rule fails in more than RATE of the calls that decided it', () => {
    const tally = new RuleTally();
    // greeting: 1 fail of 20 decided (5%: exactly at the limit, holds); closing: 3 of 10 decided (30%), 10 n/a.
    for (let i = 0; i < 20; i++) {
      tally.add({ greeting: i === 7 ? 'fail' : 'pass', closing: i < 10 ? (i % 3 === 0 && i > 0 ? 'fail' : 'pass') : 'n/a' }, `C${i}`);
    }
    const config = { maxFailRates: [parseMaxFailRate('greeting=5%'), parseMaxFailRate('closing=0.25'), parseMaxFailRate('privacy=0')] };
    expect(evaluateGates({ config, rules: tally })).toEqual([
      { gate: 'max-fail-rate', detail: 'closing failed in 30% of calls (3 of 10 with pass or fail), above 0.25', items: ['C3', 'C6', 'C9'], count: 3 },
    ]);
    // The same over plain counts, and a limit of 4% breaks greeting.
    const tighter = { maxFailRates: [parseMaxFailRate('greeting=4%')] };
    expect(evaluateGates({ config: tighter, rules: tally.rates() })).toEqual([
      { gate: 'max-fail-rate', detail: 'greeting failed in 5% of calls (1 of 20 with pass or fail), above 4%', items: ['C7'], count: 1 },
    ]);
  });

  it('names the calls that failed a critical rule', () => {
    const tracker = new GateTracker({ failOnCritical: true });
    tracker.add(call('C1', 'A1', 100));
    tracker.add(call('C2', 'A1', 0, { privacy: 'fail' }, ['privacy']));
    tracker.add(call('C3', 'A2', 0, {}, ['privacy', 'threats']));
    expect(tracker.evaluate()).toEqual([
      { gate: 'fail-on-critical', detail: '2 calls failed a critical rule', items: ['C2 (privacy)', 'C3 (privacy, threats)'], count: 2 },
    ]);
  });

  it('names the agents whose average fell by more than --max-score-drop, worst first', () => {
    const agents = new AgentAggregator();
    for (const c of [call('C1', 'A1', 80), call('C2', 'A2', 70), call('C3', 'A3', 95), call('C4', 'A4', 50), call('C5', 'A5', 84)]) agents.add(c);
    const baseline = new Map([
      ['id:A1', { agentName: 'name-A1', avgScore: 85, passRate: 1, calls: 3 }], // −5: exactly the limit, holds
      ['id:A2', { agentName: 'name-A2', avgScore: 80, passRate: 1, calls: 3 }], // −10
      ['id:A3', { agentName: 'name-A3', avgScore: 90, passRate: 1, calls: 3 }], // +5
      ['id:A5', { agentName: 'name-A5', avgScore: 90.5, passRate: 1, calls: 3 }], // −6.5
      ['unknown', { agentName: '', avgScore: 90, passRate: 1, calls: 3 }], // −80, but nobody in particular: no gate
    ]);
    agents.add({ ...call('C6', '', 10), agentName: '' });
    expect(evaluateGates({ config: { maxScoreDrop: 5 }, agents: agents.list(), baseline })).toEqual([
      {
        gate: 'max-score-drop',
        detail: 'the average score of 2 agents fell by more than 5 points against the baseline',
        items: ['A2 name-A2: 80 → 70 (−10)', 'A5 name-A5: 90.5 → 84 (−6.5)'],
        count: 2,
      },
    ]);
  });

  it('reports every broken gate in flag order, items bounded', () => {
    const tracker = new GateTracker({ failUnder: 90, maxFailRates: [parseMaxFailRate('greeting=0')], failOnCritical: true });
    for (let i = 0; i < 30; i++) tracker.add(call(`C${i}`, 'A1', 0, { greeting: 'fail' }, ['privacy']));
    const failures = tracker.evaluate();
    expect(failures.map((f) => [f.gate, f.count, f.items.length])).toEqual([
      ['fail-under', 30, MAX_GATE_ITEMS],
      ['max-fail-rate', 30, MAX_GATE_ITEMS],
      ['fail-on-critical', 30, MAX_GATE_ITEMS],
    ]);
    expect(failures[0]?.items[0]).toBe('C0 (0)');
  });

  it('throws when a gate is set and its aggregate is missing (a wiring mistake, not a pass)', () => {
    expect(() => evaluateGates({ config: { failUnder: 80 } })).toThrow('failUnder is set but the input has no below');
    expect(() => evaluateGates({ config: { maxScoreDrop: 5 }, agents: [] })).toThrow('no baseline');
  });
});

describe('formatGateFailures', () => {
  it('writes one line a gate, with … when there were more, and defuses terminal control characters', () => {
    const text = formatGateFailures([
      { gate: 'fail-under', detail: '25 calls scored below 80', items: ['C1 (70)', 'C\u001b[31m2 (60)'], count: 25 },
      { gate: 'max-fail-rate', detail: 'greeting failed in 10% of calls (1 of 10 with pass or fail), above 5%', items: [], count: 1 },
    ]);
    expect(text).toBe(
      'callqa: quality gate failed (--fail-under): 25 calls scored below 80: C1 (70), C [31m2 (60), …\n' +
        'callqa: quality gate failed (--max-fail-rate): greeting failed in 10% of calls (1 of 10 with pass or fail), above 5%\n',
    );
  });
});
