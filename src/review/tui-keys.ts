/**
 * Keys as the terminal reviewer takes them: one character (one code point: `y`, `/`, `客`), or the name of a
 * key that types nothing (`up`, `enter`, `escape`…), which is always longer than one character, so the two
 * never mix up. The terminal sends them as text in raw mode; `parseKeys` reads a piece of it.
 */
export type Key = string;

/** What the terminal sends for keys that type nothing, as xterm, tmux and the Linux console write them. */
const SEQUENCES: ReadonlyMap<string, Key> = new Map([
  ['[A', 'up'],
  ['[B', 'down'],
  ['[C', 'right'],
  ['[D', 'left'],
  ['OA', 'up'],
  ['OB', 'down'],
  ['OC', 'right'],
  ['OD', 'left'],
  ['[H', 'home'],
  ['[F', 'end'],
  ['OH', 'home'],
  ['OF', 'end'],
  ['[1~', 'home'],
  ['[4~', 'end'],
  ['[7~', 'home'],
  ['[8~', 'end'],
  ['[3~', 'delete'],
  ['[5~', 'pageup'],
  ['[6~', 'pagedown'],
  // Bracketed paste (turned on by the reviewer): what comes between is typed text, never keys that judge.
  ['[200~', 'paste-start'],
  ['[201~', 'paste-end'],
]);

const CONTROLS: ReadonlyMap<string, Key> = new Map([
  ['\r', 'enter'],
  ['\n', 'enter'],
  ['\x7f', 'backspace'],
  ['\b', 'backspace'],
  ['\x03', 'ctrl-c'],
  ['\x15', 'ctrl-u'],
  ['\t', 'tab'],
]);

/**
 * The keys in a piece of terminal input (decoded from UTF-8 already: a CJK character split over two reads is
 * joined by the caller's decoder). An escape sequence this does not know is read to its end and dropped; an
 * ESC that starts none is the Escape key; `\r\n` is one Enter.
 */
export function parseKeys(text: string): Key[] {
  const keys: Key[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = String.fromCodePoint(text.codePointAt(i) ?? 0);
    if (ch === '\x1b') {
      const end = sequenceEnd(text, i + 1);
      if (end === undefined) keys.push('escape');
      else {
        const known = SEQUENCES.get(text.slice(i + 1, end));
        if (known !== undefined) keys.push(known);
      }
      i = end ?? i + 1;
      continue;
    }
    i += ch.length;
    if (ch === '\r' && text[i] === '\n') i++;
    const control = CONTROLS.get(ch);
    if (control !== undefined) keys.push(control);
    else if (!/^[\p{Cc}]$/u.test(ch)) keys.push(ch);
  }
  return keys;
}

/** Where an escape sequence starting after ESC at `from` ends (CSI `[…final` or SS3 `O x`), or undefined when none starts there. */
function sequenceEnd(text: string, from: number): number | undefined {
  const intro = text[from];
  if (intro === 'O') return from + 1 < text.length ? from + 2 : undefined;
  if (intro !== '[') return undefined;
  for (let j = from + 1; j < text.length; j++) {
    const code = text.charCodeAt(j);
    if (code >= 0x40 && code <= 0x7e) return j + 1;
    if (code < 0x20 || code > 0x3f) return j;
  }
  return text.length;
}
