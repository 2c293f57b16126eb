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

/** Turns V8's JSON.parse message into a line number and a plainer message (without V8's excerpt of the text). */
export function describeJsonSyntaxError(text: string, err: Error): { line: number; message: string } {
  const pos = /position (\d+)/.exec(err.message);
  if (pos) {
    return {
      line: lineAt(text, Number(pos[1])),
      message: `invalid JSON: ${err.message.replace(/\s*in JSON at position.*$/s, '').replace(/ after JSON at position.*$/s, ' after the JSON value')}`,
    };
  }
  if (/end of JSON input/i.test(err.message)) {
    return { line: lineAt(text, text.length), message: 'invalid JSON: the text ends in the middle of a value (truncated?)' };
  }
  // V8: Unexpected token 'x', "...excerpt..." is not valid JSON — the excerpt is ~10 characters either side.
  const token = /^Unexpected token '(.+?)', "(.*)" is not valid JSON$/s.exec(err.message);
  if (token) {
    const [, tok = '', excerpt = ''] = token;
    const lead = excerpt.startsWith('...');
    const core = excerpt.replace(/^\.\.\./, '').replace(/\.\.\.$/, '');
    const at = text.indexOf(core);
    const offset = at < 0 ? 0 : at + (lead ? 10 : Math.max(0, core.indexOf(tok)));
    return { line: lineAt(text, offset), message: `invalid JSON: unexpected ${JSON.stringify(tok)}` };
  }
  return { line: 1, message: `invalid JSON: ${err.message.slice(0, 200)}` };
}
