import { describe, expect, it } from 'vitest';
import { evaluateExpression, ExpressionError, expressionIds, MAX_NESTING, parseExpression } from '../../src/rules/expression.js';

describe('expressions: no depth of input exhausts the stack', () => {
  it('a chain of 50,000 ids parses, lists its ids and evaluates (chains are walked in a loop)', () => {
    const ids = Array.from({ length: 50_000 }, (_, i) => `r${i}`);
    const tree = parseExpression(ids.join(' && '));
    expect(expressionIds(tree)).toHaveLength(50_000);
    expect(evaluateExpression(tree, () => true)).toBe(true);
    expect(evaluateExpression(tree, (id) => id !== 'r49999')).toBe(false);
    expect(evaluateExpression(parseExpression(ids.join(' || ')), (id) => id === 'r49999')).toBe(true);
  });

  it(`nesting up to ${MAX_NESTING} is read; one more is refused at its column`, () => {
    expect(evaluateExpression(parseExpression(`${'('.repeat(MAX_NESTING)}a${')'.repeat(MAX_NESTING)}`), () => true)).toBe(true);
    expect(evaluateExpression(parseExpression(`${'!'.repeat(MAX_NESTING)}a`), () => true)).toBe(true);
    const deep = () => parseExpression(`${'('.repeat(50_000)}a${')'.repeat(50_000)}`);
    expect(deep).toThrow(ExpressionError);
    expect(deep).toThrow(`column ${MAX_NESTING + 1}: nested more than ${MAX_NESTING} deep`);
    expect(() => parseExpression(`${'!'.repeat(MAX_NESTING + 1)}a`)).toThrow(`column ${MAX_NESTING + 1}: nested more than ${MAX_NESTING} deep`);
  });
});
