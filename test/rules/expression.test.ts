import { describe, expect, it } from 'vitest';
import { evaluateExpression, type Expression, ExpressionError, expressionIds, parseExpression } from '../../src/rules/expression.js';

/** The tree with explicit parentheses, to show how it was grouped. */
function show(e: Expression): string {
  if (e.kind === 'id') return e.name;
  if (e.kind === 'not') return `!${show(e.operand)}`;
  return `(${show(e.left)} ${e.kind === 'and' ? '&&' : '||'} ${show(e.right)})`;
}

function evaluate(source: string, truth: Record<string, boolean>): boolean {
  return evaluateExpression(parseExpression(source), (id) => {
    const value = truth[id];
    if (value === undefined) throw new Error(`asked for ${id}`);
    return value;
  });
}

function syntaxError(source: string): ExpressionError {
  try {
    parseExpression(source);
  } catch (err) {
    if (err instanceof ExpressionError) return err;
    throw err;
  }
  throw new Error(`${source} parsed`);
}

describe('parseExpression: grouping', () => {
  it.each([
    ['a', 'a'],
    ['!a', '!a'],
    ['!!a', '!!a'],
    ['a && b', '(a && b)'],
    ['a || b', '(a || b)'],
    ['a || b && c', '(a || (b && c))'],
    ['a && b || c', '((a && b) || c)'],
    ['!a && b', '(!a && b)'],
    ['!a || !b && c', '(!a || (!b && c))'],
    ['!(a || b)', '!(a || b)'],
    ['(a || b) && c', '((a || b) && c)'],
    ['a && b && c', '((a && b) && c)'],
    ['a || b || c', '((a || b) || c)'],
    ['((a))', 'a'],
    ['!cancel-mentioned || retention-offered', '(!cancel-mentioned || retention-offered)'],
  ])('%s → %s', (source, grouped) => {
    expect(show(parseExpression(source))).toBe(grouped);
  });

  it('reads ids of letters (Chinese too), digits, "-" and "_"', () => {
    expect(show(parseExpression('提及退订&&挽留话术_2||rule-3'))).toBe('((提及退订 && 挽留话术_2) || rule-3)');
    expect(show(parseExpression('404'))).toBe('404');
  });

  it('ignores whitespace of any kind, and needs none', () => {
    expect(show(parseExpression('  a&&!b  '))).toBe('(a && !b)');
    expect(show(parseExpression('\ta\n||\u3000b '))).toBe('(a || b)');
    expect(show(parseExpression('!(a)&&(b)'))).toBe('(!a && b)');
  });

  it('records where each id is (1-based column)', () => {
    const tree = parseExpression('  x || yy');
    expect(tree).toEqual({ kind: 'or', left: { kind: 'id', name: 'x', position: 3 }, right: { kind: 'id', name: 'yy', position: 8 } });
  });
});

describe('evaluateExpression', () => {
  it.each([
    ['a', { a: true }, true],
    ['a', { a: false }, false],
    ['!a', { a: true }, false],
    ['!!a', { a: true }, true],
    ['a && b', { a: true, b: false }, false],
    ['a && b', { a: true, b: true }, true],
    ['a || b', { a: false, b: true }, true],
    ['a || b', { a: false, b: false }, false],
    // ! before &&: (!a) && b, not !(a && b)
    ['!a && b', { a: false, b: true }, true],
    ['!a && b', { a: true, b: false }, false],
    // && before ||: a || (b && c)
    ['a || b && c', { a: true, b: false, c: false }, true],
    ['a && b || c', { a: false, b: true, c: true }, true],
    ['(a || b) && c', { a: true, b: false, c: false }, false],
    ['!(a || b)', { a: false, b: false }, true],
    ['!cancel-mentioned || retention-offered', { 'cancel-mentioned': true, 'retention-offered': false }, false],
    ['!cancel-mentioned || retention-offered', { 'cancel-mentioned': false, 'retention-offered': false }, true],
  ] as const)('%s with %o is %s', (source, truth, expected) => {
    expect(evaluate(source, truth)).toBe(expected);
  });

  it('short-circuits && and ||', () => {
    const asked: string[] = [];
    const value = (id: string) => {
      asked.push(id);
      return id === 't';
    };
    expect(evaluateExpression(parseExpression('f && x'), value)).toBe(false);
    expect(evaluateExpression(parseExpression('t || y'), value)).toBe(true);
    expect(asked).toEqual(['f', 't']);
  });
});

describe('expressionIds', () => {
  it('lists each id once, in order of appearance', () => {
    expect(expressionIds(parseExpression('!b || (a && b) || !(c && a)'))).toEqual(['b', 'a', 'c']);
  });
});

describe('parseExpression: errors say where and what was expected', () => {
  it.each([
    ['', 1, 'expected an expression (rule ids joined by &&, || and !), got nothing'],
    ['   ', 1, 'expected an expression (rule ids joined by &&, || and !), got nothing'],
    ['a &&', 5, 'expected a rule id, "!" or "(" after "&&", got the end of the expression'],
    ['a ||', 5, 'expected a rule id, "!" or "(" after "||", got the end of the expression'],
    ['!', 2, 'expected a rule id, "!" or "(" after "!", got the end of the expression'],
    ['&& a', 1, 'expected a rule id, "!" or "(", got "&&"'],
    ['a && || b', 6, 'expected a rule id, "!" or "(" after "&&", got "||"'],
    ['a b', 3, 'expected "&&", "||" or the end of the expression, got rule id "b"'],
    ['a !b', 3, 'expected "&&", "||" or the end of the expression, got "!"'],
    ['(a && b', 8, 'expected "&&", "||" or ")" to close the "(" at column 1, got the end of the expression'],
    ['x || ((a)', 10, 'expected "&&", "||" or ")" to close the "(" at column 6, got the end of the expression'],
    ['(a b)', 4, 'expected "&&", "||" or ")" to close the "(" at column 1, got rule id "b"'],
    ['a)', 2, 'unexpected ")" with no "(" to close'],
    ['(a))', 4, 'unexpected ")" with no "(" to close'],
    ['()', 2, 'expected a rule id, "!" or "(" after "(", got ")"'],
    ['a & b', 3, 'unexpected "&"; expected "&&" (and)'],
    ['a | b', 3, 'unexpected "|"; expected "||" (or)'],
    ['a and b', 3, 'expected "&&", "||" or the end of the expression, got rule id "and"'],
    ['a == b', 3, 'unexpected character "="; expected a rule id (letters, digits, "-", "_"), "&&", "||", "!", "(" or ")"'],
    ['a.b', 2, 'unexpected character "."; expected a rule id (letters, digits, "-", "_"), "&&", "||", "!", "(" or ")"'],
    ['提及退订 ＆＆ b', 6, 'unexpected character "＆"; expected a rule id (letters, digits, "-", "_"), "&&", "||", "!", "(" or ")"'],
  ])('%j: column %i', (source, position, detail) => {
    const err = syntaxError(source);
    expect(err.position).toBe(position);
    expect(err.detail).toBe(detail);
    expect(err.message).toBe(`column ${position}: ${detail}`);
  });

  it('counts columns in characters, not UTF-16 units', () => {
    expect(syntaxError('𠀀𠀀 &&').position).toBe(6);
  });
});
