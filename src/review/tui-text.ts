/**
 * Text for the terminal reviewer: display widths (a CJK character takes two columns), lines cut to the
 * screen's width and wrapped by it, so that no line ever wraps on its own and moves the rest of the screen.
 * A line is a list of styled pieces; the style is applied only after cutting, so escape codes never count.
 */

/** East Asian Wide and Fullwidth ranges (Unicode's EastAsianWidth.txt, W and F, gathered), sorted. */
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x23e9, 0x23ec],
  [0x23f0, 0x23f0],
  [0x23f3, 0x23f3],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x2648, 0x2653],
  [0x267f, 0x267f],
  [0x2693, 0x2693],
  [0x26a1, 0x26a1],
  [0x26aa, 0x26ab],
  [0x26bd, 0x26be],
  [0x26c4, 0x26c5],
  [0x26ce, 0x26ce],
  [0x26d4, 0x26d4],
  [0x26ea, 0x26ea],
  [0x26f2, 0x26f3],
  [0x26f5, 0x26f5],
  [0x26fa, 0x26fa],
  [0x26fd, 0x26fd],
  [0x2705, 0x2705],
  [0x270a, 0x270b],
  [0x2728, 0x2728],
  [0x274c, 0x274c],
  [0x274e, 0x274e],
  [0x2753, 0x2755],
  [0x2757, 0x2757],
  [0x2795, 0x2797],
  [0x27b0, 0x27b0],
  [0x27bf, 0x27bf],
  [0x2b1b, 0x2b1c],
  [0x2b50, 0x2b50],
  [0x2b55, 0x2b55],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4],
  [0x17000, 0x18cff],
  [0x1b000, 0x1b2ff],
  [0x1f004, 0x1f004],
  [0x1f0cf, 0x1f0cf],
  [0x1f18e, 0x1f18e],
  [0x1f191, 0x1f19a],
  [0x1f200, 0x1f251],
  [0x1f300, 0x1f64f],
  [0x1f680, 0x1f6ff],
  [0x1f7e0, 0x1f7eb],
  [0x1f90c, 0x1f9ff],
  [0x1fa70, 0x1faff],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

/** Characters that take no column of their own: combining marks, zero-width joiners and spaces, variation selectors. */
const MARK = /^[\p{Mn}\p{Me}]$/u;
const zeroWidth = (cp: number) => (cp >= 0x200b && cp <= 0x200f) || cp === 0x2060 || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);

/** The columns one character (one code point) takes in a terminal: 0, 1 or 2 (East Asian Wide and Fullwidth). */
export function charWidth(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x300) return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ? 0 : 1;
  if (zeroWidth(cp) || MARK.test(ch)) return 0;
  let lo = 0;
  let hi = WIDE.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [from, to] = WIDE[mid] as readonly [number, number];
    if (cp < from) hi = mid - 1;
    else if (cp > to) lo = mid + 1;
    else return 2;
  }
  return 1;
}

/** The columns a text takes in a terminal. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch);
  return w;
}

/** How a piece of a line is shown: its role, which the painter turns into colour or, without colour, plain marks. */
export type Style = 'head' | 'dim' | 'focus' | 'evidence' | 'confirmed' | 'rejected' | 'unsure' | 'caret';

export interface Piece {
  text: string;
  style?: Style;
}

export type Line = Piece[];

/** The line's text, unstyled. */
export function lineText(line: Line): string {
  return line.map((p) => p.text).join('');
}

/** Appends a character to a line, joining it to the last piece when that has the same style. */
function push(line: Line, ch: string, style: Style | undefined): void {
  const last = line[line.length - 1];
  if (last && last.style === style) last.text += ch;
  else line.push(style === undefined ? { text: ch } : { text: ch, style });
}

/** How far back (in characters) a row may end at a space rather than inside a word. */
const WORD_BACK = 16;

/**
 * A line cut into rows of at most `width` columns (a wide character never split over an edge), at most
 * `maxRows` of them; when the text goes on past the last row, that row ends with `…`. Each row after the
 * first starts with `indent` spaces. A word of narrow characters (Latin, numbers) is not cut when a space before
 * it lets the row end there; CJK text, written without spaces, is cut anywhere.
 */
/** Punctuation a Chinese text never starts a line with (closing marks, full stops, commas). */
const NO_ROW_START: ReadonlySet<string> = new Set([...'。，、；：？！）」』》〉】’”…%)]}.,;:?!']);

export function wrapLine(line: Line, width: number, maxRows = 1, indent = 0): Line[] {
  const chars: { ch: string; style: Style | undefined; w: number }[] = [];
  for (const piece of line) for (const ch of piece.text) chars.push({ ch, style: piece.style, w: charWidth(ch) });
  const lead = Math.min(indent, Math.max(0, width - 1));
  const rows: Line[] = [];
  const row = (from: number, to: number) => {
    const out: Line = rows.length > 0 && lead > 0 ? [{ text: ' '.repeat(lead) }] : [];
    for (let k = from; k < to; k++) push(out, (chars[k] as (typeof chars)[number]).ch, (chars[k] as (typeof chars)[number]).style);
    rows.push(out);
  };
  let from = 0;
  let used = 0;
  let space = -1;
  for (let i = 0; i < chars.length; i++) {
    const { ch, w } = chars[i] as (typeof chars)[number];
    if (used + w > width) {
      if (rows.length + 1 >= maxRows) {
        row(from, i);
        return ellipsis(rows, width);
      }
      const before = chars[i - 1];
      // Inside a run of narrow characters (a Latin word, a number, 120–150): CJK and spaces end words.
      const inWord = ch !== ' ' && w === 1 && before !== undefined && before.ch !== ' ' && before.w === 1;
      let at = inWord && space > from && i - space <= WORD_BACK ? space + 1 : i;
      // Chinese line breaking (禁则): a closing mark (。，」…) never starts a row; the character before it goes down with it.
      if (at === i && NO_ROW_START.has(ch) && at - 1 > from) at--;
      row(from, at);
      from = at;
      used = lead;
      for (let k = from; k < i; k++) used += (chars[k] as (typeof chars)[number]).w;
    }
    if (ch === ' ') space = i;
    used += w;
  }
  row(from, chars.length);
  return rows;
}

/** The last row ends with `…`: characters are taken off its end until the mark fits in `width`. */
function ellipsis(rows: Line[], width: number): Line[] {
  const last = rows[rows.length - 1] as Line;
  const chars = last.flatMap((p) => [...p.text].map((ch) => ({ ch, style: p.style })));
  let w = chars.reduce((sum, c) => sum + charWidth(c.ch), 0);
  while (chars.length > 0 && w + 1 > width) w -= charWidth((chars.pop() as { ch: string }).ch);
  const cut: Line = [];
  for (const c of chars) push(cut, c.ch, c.style);
  if (width >= 1) push(cut, '…', undefined);
  rows[rows.length - 1] = cut;
  return rows;
}

/** A line cut to one row of `width` columns. */
export function fitLine(line: Line, width: number): Line {
  return wrapLine(line, width, 1)[0] as Line;
}

/**
 * The last `width` columns of a text, for an input line longer than the screen: what is being typed stays in
 * view. Whole characters only.
 */
export function tailToWidth(text: string, width: number): string {
  const chars = [...text];
  let w = 0;
  let start = chars.length;
  while (start > 0 && w + charWidth(chars[start - 1] as string) <= width) w += charWidth(chars[--start] as string);
  return chars.slice(start).join('');
}

/** The text without its last character as a reader sees one (a grapheme: a CJK character, an emoji with its joiners). */
export function dropLastGrapheme(text: string): string {
  let last = 0;
  for (const { index } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) last = index;
  return text.slice(0, last);
}
