/**
 * Boolean expressions over rule ids, as an `expr` rule's `when` writes them:
 * `!cancel-mentioned || (retention-offered && 挽留话术)`.
 *
 *   or      := and ('||' and)*
 *   and     := unary ('&&' unary)*
 *   unary   := '!' unary | primary
 *   primary := id | '(' or ')'
 *   id      := (letter | digit | '-' | '_')+        (the ids a rubric allows)
 *
 * So `!` binds tighter than `&&`, which binds tighter than `||`. Parsed by recursive descent and
 * evaluated by walking the tree: no eval, no Function.
 */
export type Expression =
  | { kind: 'id'; name: string; position: number }
  | { kind: 'not'; operand: Expression }
  | { kind: 'and' | 'or'; left: Expression; right: Expression };

/** Deeper nesting of "(" and "!" than this is refused (evaluation recurses on it). */
export const MAX_NESTING = 100;

/** A syntax error: `position` is the 1-based column where it was found (length + 1 at the end). */
export class ExpressionError extends Error {
  constructor(
    readonly position: number,
    readonly detail: string,
  ) {
    super(`column ${position}: ${detail}`);
  }
}

type Token =
  | { type: 'id'; text: string; position: number }
  | { type: '&&' | '||' | '!' | '(' | ')'; text: string; position: number }
  | { type: 'end'; text: ''; position: number };

const ID_CHAR = /[\p{L}\p{N}_-]/u;
const SPACE = /\s/u;

function describeToken(token: Token): string {
  if (token.type === 'end') return 'the end of the expression';
  if (token.type === 'id') return `rule id "${token.text}"`;
  return `"${token.text}"`;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const chars = [...source];
  let i = 0;
  // Positions count characters (code points), as an editor shows columns.
  while (i < chars.length) {
    const ch = chars[i] as string;
    const position = i + 1;
    if (SPACE.test(ch)) {
      i++;
      continue;
    }
    if (ID_CHAR.test(ch)) {
      let j = i;
      while (j < chars.length && ID_CHAR.test(chars[j] as string)) j++;
      tokens.push({ type: 'id', text: chars.slice(i, j).join(''), position });
      i = j;
      continue;
    }
    if (ch === '&' || ch === '|') {
      if (chars[i + 1] !== ch) {
        throw new ExpressionError(position, `unexpected "${ch}"; expected "${ch}${ch}" (${ch === '&' ? 'and' : 'or'})`);
      }
      tokens.push({ type: ch === '&' ? '&&' : '||', text: `${ch}${ch}`, position });
      i += 2;
      continue;
    }
    if (ch === '!' || ch === '(' || ch === ')') {
      tokens.push({ type: ch, text: ch, position });
      i++;
      continue;
    }
    throw new ExpressionError(
      position,
      `unexpected character ${JSON.stringify(ch)}; expected a rule id (letters, digits, "-", "_"), "&&", "||", "!", "(" or ")"`,
    );
  }
  tokens.push({ type: 'end', text: '', position: chars.length + 1 });
  return tokens;
}

/** Parses an expression; throws ExpressionError saying where and what was expected. */
export function parseExpression(source: string): Expression {
  const tokens = tokenize(source);
  if (tokens.length === 1) throw new ExpressionError(1, 'expected an expression (rule ids joined by &&, || and !), got nothing');
  let k = 0;
  let depth = 0;
  const peek = () => tokens[k] as Token;
  const next = () => tokens[k++] as Token;
  const deeper = (token: Token) => {
    if (++depth > MAX_NESTING) {
      throw new ExpressionError(token.position, `nested more than ${MAX_NESTING} deep ("(" and "!"); write it with fewer levels`);
    }
  };

  const primary = (): Expression => {
    const token = next();
    if (token.type === 'id') return { kind: 'id', name: token.text, position: token.position };
    if (token.type === '(') {
      deeper(token);
      const inner = or();
      depth--;
      const close = next();
      if (close.type !== ')') {
        throw new ExpressionError(close.position, `expected "&&", "||" or ")" to close the "(" at column ${token.position}, got ${describeToken(close)}`);
      }
      return inner;
    }
    const previous = tokens[k - 2];
    const after = previous ? ` after ${describeToken(previous)}` : '';
    throw new ExpressionError(token.position, `expected a rule id, "!" or "("${after}, got ${describeToken(token)}`);
  };
  const unary = (): Expression => {
    if (peek().type === '!') {
      deeper(next());
      const operand = unary();
      depth--;
      return { kind: 'not', operand };
    }
    return primary();
  };
  const and = (): Expression => {
    let left = unary();
    while (peek().type === '&&') {
      next();
      left = { kind: 'and', left, right: unary() };
    }
    return left;
  };
  const or = (): Expression => {
    let left = and();
    while (peek().type === '||') {
      next();
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };

  const tree = or();
  const rest = peek();
  if (rest.type !== 'end') {
    const detail = rest.type === ')' ? 'unexpected ")" with no "(" to close' : `expected "&&", "||" or the end of the expression, got ${describeToken(rest)}`;
    throw new ExpressionError(rest.position, detail);
  }
  return tree;
}

/**
 * The operands of a chain of one operator (a && b && c is and(and(a, b), c)), left to right: chains are
 * walked in a loop, so only "(" and "!" nesting (at most MAX_NESTING) costs stack.
 */
function chain(e: Expression & { kind: 'and' | 'or' }): Expression[] {
  const operands: Expression[] = [];
  let node: Expression = e;
  while (node.kind === e.kind) {
    const link = node as Expression & { kind: 'and' | 'or' };
    operands.push(link.right);
    node = link.left;
  }
  operands.push(node);
  return operands.reverse();
}

/** The rule ids an expression names, each once, in the order they first appear. */
export function expressionIds(expression: Expression): string[] {
  const ids = new Set<string>();
  const walk = (e: Expression): void => {
    if (e.kind === 'id') ids.add(e.name);
    else if (e.kind === 'not') walk(e.operand);
    else for (const operand of chain(e)) walk(operand);
  };
  walk(expression);
  return [...ids];
}

/** Evaluates an expression, `value` giving each id's truth; && and || short-circuit. */
export function evaluateExpression(expression: Expression, value: (id: string) => boolean): boolean {
  switch (expression.kind) {
    case 'id':
      return value(expression.name);
    case 'not':
      return !evaluateExpression(expression.operand, value);
    case 'and':
      return chain(expression).every((operand) => evaluateExpression(operand, value));
    case 'or':
      return chain(expression).some((operand) => evaluateExpression(operand, value));
  }
}
