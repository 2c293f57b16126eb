import { normaliseText } from '../normalise/text.js';
import { charTable } from '../util/char-table.js';
import { isHanCode } from '../util/han.js';

/**
 * Emoticons in written service (seed 000 網絡客戶服務禮儀: 避免…表情符號過多), counted in normalised text (full-width
 * forms half-width, Latin lower-cased, Traditional as Simplified): emoji, platform codes in brackets ([微笑]) and
 * text emoticons (:) ^_^ orz). Every reader here is one left-to-right pass with a bounded look-ahead at each
 * position (no regular expression over the text), so a hostile message of a megabyte costs a megabyte of reading.
 */

/**
 * The names of the built-in stickers of WeChat, QQ and Weibo that chat exports and agents write as [名称]
 * (WeChat's 微笑, 呲牙, 强, 玫瑰…, Weibo's doge, 允悲, 笑cry…): the common ones, not every sticker; and the
 * placeholders exports write for a sticker sent as an image ([表情], [动画表情]). Exports' placeholders for other
 * attachments ([图片], [语音], [链接], [文件]) are not stickers and are not listed.
 */
export const DEFAULT_EMOTICON_CODES = [
  ...['微笑', '撇嘴', '色', '发呆', '得意', '流泪', '害羞', '闭嘴', '睡', '大哭', '尴尬', '发怒', '调皮', '呲牙', '惊讶', '难过'],
  ...['酷', '冷汗', '抓狂', '吐', '偷笑', '愉快', '白眼', '傲慢', '困', '惊恐', '流汗', '憨笑', '悠闲', '奋斗', '疑问', '嘘'],
  ...['晕', '衰', '再见', '擦汗', '抠鼻', '鼓掌', '坏笑', '哈欠', '鄙视', '委屈', '快哭了', '阴险', '亲亲', '可怜', '玫瑰', '凋谢'],
  ...['爱心', '心碎', '拥抱', '强', '弱', '握手', '胜利', '抱拳', '拳头', 'ok', '捂脸', '奸笑', '机智', '皱眉', '耶', '吃瓜', '加油'],
  ...['汗', '天啊', '社会社会', '旺柴', '打脸', '哇', '翻白眼', '666', '让我看看', '叹气', '苦涩', '裂开', '合十', '庆祝', '红包'],
  ...['doge', '二哈', '允悲', '笑cry', '哈哈', '嘻嘻', '可爱', '心', '赞', 'good', '抱抱', '挤眼', '馋嘴', '泪', '太开心', '哼'],
  ...['表情', '动画表情'],
];

/**
 * Text emoticons and kaomoji, conservative: each is only counted whole, and one whose first or last character is a
 * letter, digit or _ only where no letter, digit or _ touches it (orz, not in "orzo"; :p, not in "x:p" or ":pay").
 * No :/ (URLs), no :3 or 8) (times, lists), no xd (hex, ids).
 */
export const DEFAULT_TEXT_EMOTICONS = [
  ...[':)', ':-)', ':(', ':-(', ':d', ':-d', ':p', ':-p', ';)', ';-)', ':o', ":')", 't_t', 'qaq', 'qwq', 'orz', 'o_o'],
  ...['^_^', '^-^', '^^', '^o^', '^ω^', '^▽^', '(^_^)', '(^^)', '(*^_^*)', '(*^▽^*)', '(≧▽≦)', '>_<', '-_-', '=_=', '-_-||'],
  ...['o(╥﹏╥)o', '╥﹏╥', '(╥﹏╥)', 'o(∩_∩)o', '(๑•̀ㅂ•́)و✧', '(๑•̀ω•́๑)', '(´・ω・`)', '(。・ω・。)', '(╯▽╰)', '(ˉ▽ˉ;)', '(•‿•)', '(ಥ_ಥ)'],
  ...['╮(╯▽╰)╭', '(๑´ㅂ`๑)', '(づ｡◕‿‿◕｡)づ', '(ﾉ◕ヮ◕)ﾉ', '(⊙o⊙)', '(⊙_⊙)', 'ヾ(^▽^*)))', '(*/ω＼*)', '(っ´ω`c)', '(｡･ω･｡)'],
];

/** Compiled lists: by first code unit, the candidates that may start there, longest first. */
export interface EmoticonTables {
  codes: Set<string>;
  /** The longest code's length: how far past a [ its ] may be. */
  longestCode: number;
  textByFirst: Map<number, string[]>;
}

/** Normalised, empty ones dropped, grouped by first code unit, longest first. */
export function byFirstUnit(list: readonly string[]): Map<number, string[]> {
  const map = new Map<number, string[]>();
  for (const w of new Set(list.map((x) => normaliseText(x).text.trim()))) {
    if (w === '') continue;
    const first = w.charCodeAt(0);
    const group = map.get(first) ?? [];
    group.push(w);
    map.set(first, group);
  }
  for (const group of map.values()) group.sort((a, b) => b.length - a.length);
  return map;
}

export function compileEmoticons(codes: readonly string[], text: readonly string[]): EmoticonTables {
  const normCodes = new Set(codes.map((c) => normaliseText(c).text.trim()).filter((c) => c !== ''));
  let longestCode = 0;
  for (const c of normCodes) longestCode = Math.max(longestCode, c.length);
  return { codes: normCodes, longestCode, textByFirst: byFirstUnit(text) };
}

/** [start, end) ranges of text, in order, not overlapping. */
export type Ranges = Array<{ start: number; end: number }>;

const OPENS = '“「『';
const CLOSES = '”」』';

/**
 * The quoted stretches of a message (“…”, 「…」, 『…』, "…"), quote marks included, in order and merged: what an
 * agent quotes is the customer's or someone else's wording, an echo, not the agent's own style. A quote mark
 * that is never closed quotes nothing.
 */
export function quotedRanges(text: string): Ranges {
  const open = [-1, -1, -1];
  let straight = -1;
  const found: Ranges = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    const o = OPENS.indexOf(c);
    if (o >= 0) open[o] = i;
    const k = CLOSES.indexOf(c);
    if (k >= 0 && (open[k] as number) >= 0) {
      found.push({ start: open[k] as number, end: i + 1 });
      open[k] = -1;
    }
    if (c === '"') {
      if (straight < 0) straight = i;
      else {
        found.push({ start: straight, end: i + 1 });
        straight = -1;
      }
    }
  }
  found.sort((a, b) => a.start - b.start);
  const merged: Ranges = [];
  for (const r of found) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return merged;
}

/** Reads ranges in order: whether a position (asked in increasing order) lies in one, and where that one ends. */
export class RangeCursor {
  private k = 0;
  constructor(private readonly ranges: Ranges) {}
  /** The end of the range holding i, or -1. */
  endOf(i: number): number {
    const { ranges } = this;
    while (this.k < ranges.length && (ranges[this.k] as { end: number }).end <= i) this.k++;
    const r = ranges[this.k];
    return r !== undefined && r.start <= i ? r.end : -1;
  }
}

const WORD_CHAR = /^[a-z0-9_]$/;
/** By code unit: 1 for a-z, 0-9 and _ (normalised text is lower-cased). */
let wordChars: Uint8Array | undefined;

/** Whether the code unit at i (undefined past the ends) is a letter, digit or _. */
export function isWordChar(text: string, i: number): boolean {
  wordChars ??= charTable(WORD_CHAR);
  return i >= 0 && i < text.length && wordChars[text.charCodeAt(i)] === 1;
}

/** The text emoticon starting at i, as its length, or 0: the longest that fits and whose word edges are free. */
function textEmoticonAt(text: string, i: number, byFirst: Map<number, string[]>): number {
  const group = byFirst.get(text.charCodeAt(i));
  if (group === undefined) return 0;
  for (const e of group) {
    if (!text.startsWith(e, i)) continue;
    const end = i + e.length;
    // One with a letter at either edge is a word: nothing of a word may touch it on either side (x:p, id:d, orzo).
    if ((isWordChar(e, 0) || isWordChar(e, e.length - 1)) && (isWordChar(text, i - 1) || isWordChar(text, end))) continue;
    return e.length;
  }
  return 0;
}

/**
 * The characters kaomoji draw faces with (eyes, mouths, cheeks: ω ▽ ≧ ◕ ‿ ´ ・ • ﹏ ╥ ಥ ㅂ ๑ ｡ ^ °…), normalised as
 * the text is: a kaomoji off the text_emoticons list ((｡･ω･｡) written another way, ヾ(≧▽≦*)o, (´∀｀)) is still a
 * bracket of them.
 */
const FACE_CHARS =
  '\u03c9\u25bd\u2267\u2266\u2200\u25d5\u203f\u25e1\u00b4`\u30fb\uff65\u2022\ufe4f\u2565\u0ca5\u3142\u0e51\uff61\u3002^\u02c9\u256f\u2570\u2256\ufe36\ufe3f\u03b5\uff9f\u0434\u0414\u25cf\u25c9\u00b0\u25a1\u2207\uff3e\u0298\u2299';
let faceChars: Set<string> | undefined;
/** The longest bracket read as a kaomoji, characters inside: a face is short; a longer aside is text. */
const MAX_KAOMOJI = 16;

/**
 * The kaomoji in round brackets starting at the ( at i, as its length, or 0: what the brackets hold is drawn, not
 * written — no Han character or digit, at most two Latin letters (the o of ^o^), and at least two face characters.
 * (注：…), (2/3), (°C), (^) and (`ok`) are text.
 */
function kaomojiAt(text: string, i: number): number {
  faceChars ??= new Set([...FACE_CHARS, ...normaliseText(FACE_CHARS).text]);
  let faces = 0;
  let drawn = false;
  let letters = 0;
  const limit = Math.min(text.length, i + MAX_KAOMOJI + 2);
  for (let j = i + 1; j < limit; j++) {
    const c = text[j] as string;
    // At least one face character outside ASCII: (`ok`) and (^x^) in code or notes are text.
    if (c === ')') return faces >= 2 && drawn ? j + 1 - i : 0;
    const code = text.charCodeAt(j);
    if (c === '(' || isHanCode(code) || (code >= 0x30 && code <= 0x39)) return 0;
    if (isWordChar(text, j) && c !== '_' && ++letters > 2) return 0;
    if (faceChars.has(c)) {
      faces++;
      drawn ||= code > 0x7f;
    }
  }
  return 0;
}

/** The platform code ([微笑]) starting at the [ at i, as its length, or 0. */
function codeAt(text: string, i: number, t: EmoticonTables): number {
  const limit = Math.min(text.length, i + t.longestCode + 2);
  for (let j = i + 1; j < limit; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x5d /* ] */) return t.codes.has(text.slice(i + 1, j)) ? j + 1 - i : 0;
    if (c === 0x5b /* [ */) return 0;
  }
  return 0;
}

export interface EmoticonCount {
  count: number;
  /** The first one counted, for a quote. */
  first?: { start: number; end: number };
}

/** The emoticons of a normalised message outside its quotes: how many, and the first. */
export function countEmoticons(text: string, t: EmoticonTables): EmoticonCount {
  const quotes = new RangeCursor(quotedRanges(text));
  const out: EmoticonCount = { count: 0 };
  let i = 0;
  while (i < text.length) {
    const quoteEnd = quotes.endOf(i);
    if (quoteEnd >= 0) {
      i = quoteEnd;
      continue;
    }
    let length = text.charCodeAt(i) === 0x5b ? codeAt(text, i, t) : 0;
    if (length === 0) length = textEmoticonAt(text, i, t.textByFirst);
    if (length === 0 && text.charCodeAt(i) === 0x28 /* ( */) length = kaomojiAt(text, i);
    if (length === 0) length = emojiAt(text, i);
    if (length > 0) {
      out.count++;
      out.first ??= { start: i, end: i + length };
      i += length;
    } else i++;
  }
  return out;
}

const PRESENTATION = /\p{Emoji_Presentation}/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
/** Emoji that show as text by default but are used as emoticons in chat all the same: ☺ ☹ ♥ ❤ ✌. */
const TEXT_DEFAULT_EMOTICONS = new Set([0x263a, 0x2639, 0x2665, 0x2764, 0x270c]);
/** Per code point, 0: not yet tested, else 1 + (1: Emoji_Presentation) + (2: Extended_Pictographic). */
let emojiKinds: Uint8Array | undefined;

function kindOf(cp: number): number {
  emojiKinds ??= new Uint8Array(0x110000);
  let k = emojiKinds[cp] as number;
  if (k === 0) {
    const s = String.fromCodePoint(cp);
    k = 1 + (PRESENTATION.test(s) ? 1 : 0) + (PICTOGRAPHIC.test(s) ? 2 : 0);
    emojiKinds[cp] = k;
  }
  return k - 1;
}

function codePointAt(text: string, i: number): number {
  return text.codePointAt(i) ?? 0;
}

const isRegional = (cp: number) => cp >= 0x1f1e6 && cp <= 0x1f1ff;
const isModifier = (cp: number) => cp === 0xfe0f || cp === 0xfe0e || cp === 0x20e3 || (cp >= 0x1f3fb && cp <= 0x1f3ff) || (cp >= 0xe0020 && cp <= 0xe007f);

/**
 * The emoji starting at i, as its length in code units, or 0: one that shows as an emoji (Emoji_Presentation, or
 * a pictograph asked to with U+FE0F, or ☺ ♥ ❤ ✌), with its modifiers (skin tone, variation selector, tags) and the
 * pictographs a zero-width joiner adds (👨‍👩‍👧 is one); a flag (two regional indicators) is one; a keycap (1️⃣) is one.
 * Not ©, ®, ™, ✔ or ☎ written as text: symbols of ordinary writing.
 */
export function emojiAt(text: string, i: number): number {
  const cp = codePointAt(text, i);
  let end = i + (cp > 0xffff ? 2 : 1);
  if (isRegional(cp)) {
    const next = codePointAt(text, end);
    return isRegional(next) ? end + 2 - i : 0;
  }
  if (cp === 0x20e3) return 1;
  const kind = kindOf(cp);
  const shown = (kind & 1) === 1 || TEXT_DEFAULT_EMOTICONS.has(cp) || ((kind & 2) === 2 && text.charCodeAt(end) === 0xfe0f);
  if (!shown) return 0;
  for (;;) {
    const next = codePointAt(text, end);
    if (end < text.length && isModifier(next)) end += next > 0xffff ? 2 : 1;
    else if (next === 0x200d && end + 1 < text.length && (kindOf(codePointAt(text, end + 1)) & 2) === 2) {
      const joined = codePointAt(text, end + 1);
      end += 1 + (joined > 0xffff ? 2 : 1);
    } else return end - i;
  }
}
