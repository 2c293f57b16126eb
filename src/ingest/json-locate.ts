import type { MessageKey } from '../i18n/catalogs/en.js';
import { type InputMessage, type InputParam, messageText, msg } from './errors.js';

/**
 * Finds the line on which the value at `path` begins in JSON text that is known to parse.
 * Used only to report where a bad value is, so a simple scanner over the text suffices.
 */
export function lineOfJsonPath(text: string, path: readonly (string | number)[]): number | undefined {
  let i = 0;
  const n = text.length;

  const skipSpace = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t' || text[i] === '\ufeff')) i++;
  };
  const readString = (): string => {
    const start = i;
    i++; // opening quote
    while (i < n && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++; // closing quote
    return JSON.parse(text.slice(start, i)) as string;
  };
  const skipValue = (): void => {
    skipSpace();
    const ch = text[i];
    if (ch === '"') {
      readString();
      return;
    }
    if (ch === '{' || ch === '[') {
      const close = ch === '{' ? '}' : ']';
      i++;
      skipSpace();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (ch === '{') {
          skipSpace();
          readString();
          skipSpace();
          i++; // colon
        }
        skipValue();
        skipSpace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        i++; // close
        return;
      }
    }
    while (i < n && !/[\s,\]}]/.test(text[i] as string)) i++;
  };

  skipSpace();
  for (const step of path) {
    skipSpace();
    const ch = text[i];
    if (typeof step === 'number') {
      if (ch !== '[') return undefined;
      i++;
      for (let k = 0; k < step; k++) {
        skipValue();
        skipSpace();
        if (text[i] !== ',') return undefined;
        i++;
      }
    } else {
      if (ch !== '{') return undefined;
      i++;
      let found = false;
      for (;;) {
        skipSpace();
        if (text[i] !== '"') return undefined;
        const key = readString();
        skipSpace();
        i++; // colon
        if (key === step) {
          found = true;
          break;
        }
        skipValue();
        skipSpace();
        if (text[i] !== ',') break;
        i++;
      }
      if (!found) return undefined;
    }
  }
  skipSpace();
  return lineAt(text, i);
}

export function lineAt(text: string, index: number): number {
  let line = 1;
  const end = Math.min(index, text.length);
  for (let k = 0; k < end; k++) if (text.charCodeAt(k) === 10) line++;
  return line;
}

/**
 * Where and why text is not JSON, found by a small scanner run only after JSON.parse failed, so
 * errors do not depend on the wording of V8's messages (which also quote the text: personal data).
 */
export function describeJsonSyntaxError(text: string): { line: number; message: string; said: InputMessage } {
  const { line, said } = syntaxFailure(text);
  return { line, message: messageText('en', said), said };
}

type Failure = { line: number; said: InputMessage };
const JSON_FORMAT = { format: 'JSON' } as const;
const fail = (line: number, key: MessageKey, params?: Record<string, InputParam>): Failure => ({ line, said: msg(key, { ...JSON_FORMAT, ...params }) });

function syntaxFailure(text: string): Failure {
  const n = text.length;
  let i = 0;
  const truncated = () => fail(lineAt(text, n), 'input.json-truncated');
  const unexpected = (what?: InputParam) => {
    if (i >= n) return truncated();
    const ch = text[i] as string;
    return fail(lineAt(text, i), what ? 'input.json-unexpected-expected' : 'input.json-unexpected', {
      found: JSON.stringify(ch),
      ...(what ? { expected: what } : {}),
    });
  };
  const space = () => {
    while (i < n && ' \t\n\r\ufeff'.includes(text[i] as string)) i++;
  };
  const string = (): Failure | undefined => {
    i++;
    while (i < n && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) return fail(lineAt(text, i), 'input.json-control');
      if (text[i] === '\\') {
        const e = text[i + 1];
        if (e === undefined) return truncated();
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)))
            return i + 6 > n ? truncated() : fail(lineAt(text, i), 'input.json-bad-escape', { escape: '\\u' });
          i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(e)) return fail(lineAt(text, i), 'input.json-bad-escape', { escape: `\\${e}` });
        i += 2;
        continue;
      }
      i++;
    }
    if (i >= n) return truncated();
    i++;
    return undefined;
  };
  const value = (): Failure | undefined => {
    space();
    if (i >= n) return truncated();
    const ch = text[i];
    if (ch === '"') return string();
    if (ch === '{' || ch === '[') {
      const object = ch === '{';
      const close = object ? '}' : ']';
      i++;
      space();
      if (text[i] === close) {
        i++;
        return undefined;
      }
      for (;;) {
        if (object) {
          space();
          if (text[i] !== '"') return unexpected(msg('input.json-expect-name'));
          const bad = string();
          if (bad) return bad;
          space();
          if (text[i] !== ':') return unexpected('":"');
          i++;
        }
        const bad = value();
        if (bad) return bad;
        space();
        if (text[i] === ',') {
          i++;
          space();
          if (text[i] === close) return unexpected(msg(object ? 'input.json-expect-property' : 'input.json-expect-value-after'));
          continue;
        }
        if (text[i] === close) {
          i++;
          return undefined;
        }
        return unexpected(msg('input.json-expect-either', { first: '","', second: `"${close}"` }));
      }
    }
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (literal) {
      i += literal[0].length;
      return undefined;
    }
    if (/^(?:t|tr|tru|f|fa|fal|fals|n|nu|nul|-)$/.test(text.slice(i))) return truncated();
    return unexpected(msg('input.json-expect-value'));
  };
  let bad: Failure | undefined;
  try {
    bad = value();
  } catch (err) {
    // The scanner recurses once a level: text nested thousands deep runs out of stack where it got to.
    if (!(err instanceof RangeError)) throw err;
    return fail(lineAt(text, i), 'input.json-too-deep');
  }
  if (bad) return bad;
  space();
  if (i < n) return fail(lineAt(text, i), 'input.json-extra-text');
  return fail(1, 'input.json-invalid');
}
