import { describe, expect, it } from 'vitest';
import { runExample } from '../../src/rules/examples.js';
import { RULES } from '../../src/rules/index.js';

// The examples `callqa rules` and docs/rules.md show are tests too: each must give the outcome it claims.
describe.each([...RULES.values()].map((rule) => [rule.id, rule] as const))('%s examples', (_id, rule) => {
  it('has at least one passing and one failing example', () => {
    expect(rule.examples.pass.length).toBeGreaterThan(0);
    expect(rule.examples.fail.length).toBeGreaterThan(0);
  });
  for (const example of rule.examples.pass) {
    it(`passes: ${example.name}`, () => {
      const result = runExample(rule, example);
      expect(result.findings.map((f) => f.message)).toEqual([]);
      expect(result.outcome).toBe('pass');
    });
  }
  for (const example of rule.examples.fail) {
    it(`fails: ${example.name}`, () => {
      const result = runExample(rule, example);
      expect(result.outcome).toBe('fail');
      expect(result.findings.length).toBeGreaterThan(0);
    });
  }
});
