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
export function describeJsonSyntaxError(text: string): { line: number; message: string } {
  const n = text.length;
  let i = 0;
  const truncated = () => ({ line: lineAt(text, n), message: 'invalid JSON: the text ends in the middle of a value (truncated?)' });
  const unexpected = (what?: string) => {
    if (i >= n) return truncated();
    const ch = text[i] as string;
    return { line: lineAt(text, i), message: `invalid JSON: unexpected ${JSON.stringify(ch)}${what ? `, expected ${what}` : ''}` };
  };
  const space = () => {
    while (i < n && ' \t\n\r\ufeff'.includes(text[i] as string)) i++;
  };
  type Failure = { line: number; message: string };
  const string = (): Failure | undefined => {
    i++;
    while (i < n && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) return { line: lineAt(text, i), message: 'invalid JSON: a line break or control character inside a string' };
      if (text[i] === '\\') {
        const e = text[i + 1];
        if (e === undefined) return truncated();
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)))
            return i + 6 > n ? truncated() : { line: lineAt(text, i), message: 'invalid JSON: bad \\u escape' };
          i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(e)) return { line: lineAt(text, i), message: `invalid JSON: bad escape \\${e}` };
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
          if (text[i] !== '"') return unexpected('a "quoted" property name');
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
          if (text[i] === close) return unexpected(object ? 'a property after ","' : 'a value after ","');
          continue;
        }
        if (text[i] === close) {
          i++;
          return undefined;
        }
        return unexpected(`"," or "${close}"`);
      }
    }
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (literal) {
      i += literal[0].length;
      return undefined;
    }
    if (/^(?:t|tr|tru|f|fa|fal|fals|n|nu|nul|-)$/.test(text.slice(i))) return truncated();
    return unexpected('a value');
  };
  let bad: Failure | undefined;
  try {
    bad = value();
  } catch (err) {
    // The scanner recurses once a level: text nested thousands deep runs out of stack where it got to.
    if (!(err instanceof RangeError)) throw err;
    return { line: lineAt(text, i), message: 'invalid JSON: arrays or objects nested too deeply to read (thousands of levels)' };
  }
  if (bad) return bad;
  space();
  if (i < n) return { line: lineAt(text, i), message: 'invalid JSON: more text after the end of the value (an extra "}"?)' };
  return { line: 1, message: 'invalid JSON' };
}
