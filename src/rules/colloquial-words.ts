import { z } from 'zod';
import { type Occurrence, PhraseMatcher } from '../match/phrases.js';
import { isWordAligned } from '../match/words.js';
import { normaliseText } from '../normalise/text.js';
import { charTable } from '../util/char-table.js';
import { agentUtterances, at, FindingList, quote } from './helpers.js';
import { defineRule } from './types.js';

/**
 * Seed 000 语言礼仪: avoid colloquial 行 / 没问题, say 好的 / 可以 — with the other everyday colloquial
 * replies agents use (OK, 好嘞, 妥了, 搞定, 嗯嗯…), each with the standard wording to say instead (不客气 from 沟通用语).
 */
export const DEFAULT_COLLOQUIAL_WORDS: Readonly<Record<string, string>> = {
  行: '好的 / 可以',
  没问题: '好的 / 可以',
  成: '好的 / 可以',
  OK: '好的',
  okay: '好的',
  好嘞: '好的',
  好咧: '好的',
  好勒: '好的',
  得嘞: '好的',
  妥了: '已经为您办好了',
  嗯嗯: '好的 / 是的',
  搞定: '已经为您处理好了',
  没事: '不客气 / 没关系 / 请放心',
};

/** Interjections and acknowledgements that may come before the word in a reply (嗯，行 / 好的没问题 / 那行). */
export const DEFAULT_OPENERS = ['嗯', '哦', '噢', '喔', '啊', '哎', '诶', '欸', '好的', '好', '是的', '对', '那', '那就'];

/**
 * What, right after the word (or its particles), makes it no reply: a question (行吗, 行不行, 没问题没), a
 * conditional (没问题的话, 没事的话), a key's name (OK键).
 */
export const DEFAULT_NOT_BEFORE = ['的话', '吗', '么', '不', '没', '键'];

/** Sentence particles that may close the word (行吧, 没事儿, 搞定了, 好嘞～): grammar, not a lexicon. */
export const PARTICLES = '啊呀吧的了哈啦嘛呢哦喔嘞儿滴哒';
/** A clause delimiter in normalised text (full-width punctuation is half-width there); a clause is a run of anything else. */
const DELIMITER_CHAR = /^[\s,.。!?;:、…~"'“”‘’()[\]{}「」『』【】《》<>·—-]$/u;
const LATIN = /^[a-z]$/;
/** Quotation marks: a clause between two is quoted (您说的“行”是指…), an echo, not a reply. */
const QUOTE = /^["'“”‘’「」『』]$/u;

export interface Compiled {
  /** Normalised word → the word as written and its suggestion. */
  words: Map<string, { word: string; suggestion: string }>;
  /** The normalised words, matched as characters: which clauses may open with one (the opening is then read as words). */
  literals: PhraseMatcher;
  /** By code unit: 1 where a word or an opener begins with it. A clause that begins otherwise opens with no word. */
  opens: Uint8Array;
  /** By code unit: 1 where a word begins with it. */
  wordStarts: Uint8Array;
  /** The words longest first, to read a run of them (行行行, 没事没事). */
  byLength: string[];
  openers: string[];
  notBefore: string[];
}

const wordMap = z
  .record(
    z.string().refine((w) => normaliseText(w).text !== '', { message: 'expected a word, got empty text' }),
    z.string().min(1),
  )
  .describe('colloquial word → the standard wording to suggest');

const wordList = (defaults: readonly string[], description: string) =>
  z
    .array(z.string().refine((w) => normaliseText(w).text !== '', { message: 'expected a word, got empty text' }))
    .default([...defaults])
    .describe(description);

function compile(words: Record<string, string>, openers: readonly string[], notBefore: readonly string[]): Compiled {
  const map = new Map<string, { word: string; suggestion: string }>();
  for (const [word, suggestion] of Object.entries(words)) map.set(normaliseText(word).text, { word, suggestion });
  const norm = (list: readonly string[]) => [...new Set(list.map((w) => normaliseText(w).text))].sort((a, b) => b.length - a.length);
  const byLength = [...map.keys()].sort((a, b) => b.length - a.length);
  const normOpeners = norm(openers);
  const opens = new Uint8Array(0x10000);
  for (const w of [...byLength, ...normOpeners]) if (w.length > 0) opens[w.charCodeAt(0)] = 1;
  const wordStarts = new Uint8Array(0x10000);
  for (const w of byLength) if (w.length > 0) wordStarts[w.charCodeAt(0)] = 1;
  return {
    words: map,
    literals: new PhraseMatcher([...map.keys()], { normalised: true, words: false }),
    opens,
    wordStarts,
    byLength,
    openers: normOpeners,
    notBefore: norm(notBefore),
  };
}

/** By code unit: 1 for a clause delimiter (DELIMITER_CHAR), built on first use. */
let delimiters: Uint8Array | undefined;

/**
 * The colloquial replies of a normalised text: each clause (a run between delimiters) that opens with a word,
 * with the word, in text order. Only clauses beginning with a word's or an opener's first character are read:
 * a word at an opening position is a word the clause holds, so this is `clausesHolding` over the words'
 * occurrences, read by openingWord, without finding every occurrence (行 in 银行, 进行) first.
 */
export function colloquialReplies(text: string, k: Compiled): Array<{ start: number; end: number; word: string }> {
  delimiters ??= charTable(DELIMITER_CHAR);
  const delimiter = delimiters;
  const out: Array<{ start: number; end: number; word: string }> = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const code = text.charCodeAt(i);
    if (delimiter[code] === 1) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < n && delimiter[text.charCodeAt(end)] !== 1) end++;
    if (k.opens[code] === 1 && holdsWord(text, i, end, k)) {
      const c = { start: i, end };
      const word = openingWord(text, c, k);
      if (word !== undefined) out.push({ start: i, end, word });
    }
    i = end;
  }
  return out;
}

/** Whether text[start, end) holds one of the words (openingWord reads only a clause that does). */
function holdsWord(text: string, start: number, end: number, k: Compiled): boolean {
  for (let j = start; j < end; j++) {
    if (k.wordStarts[text.charCodeAt(j)] !== 1) continue;
    for (const w of k.byLength) if (j + w.length <= end && text.startsWith(w, j)) return true;
  }
  return false;
}

/** colloquialReplies as the rule read them before: every occurrence found, then the clauses holding one. */
export function colloquialRepliesByOccurrences(text: string, k: Compiled): Array<{ start: number; end: number; word: string }> {
  const out: Array<{ start: number; end: number; word: string }> = [];
  for (const c of clausesHolding(text, k.literals.findAll(text))) {
    const word = openingWord(text, c, k);
    if (word !== undefined) out.push({ start: c.start, end: c.end, word });
  }
  return out;
}

/**
 * [start, end) of each clause of normalised text (a run between delimiters) that wholly holds one of
 * the occurrences, in text order, each once. A clause holding none cannot be nothing but the words.
 */
export function clausesHolding(text: string, found: readonly Occurrence[]): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  const isDelimiter = (i: number) => DELIMITER_CHAR.test(text[i] as string);
  for (const o of [...found].sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (last && o.end <= last.end) continue;
    let start = o.start;
    while (start > 0 && !isDelimiter(start - 1)) start--;
    let end = o.start;
    while (end < text.length && !isDelimiter(end)) end++;
    if (end >= o.end) out.push({ start, end });
  }
  return out;
}

/** Positions of a clause reachable from its start through openers alone (0 included), in order. */
function openingPositions(clause: string, openers: readonly string[]): number[] {
  const reach = new Uint8Array(clause.length + 1);
  reach[0] = 1;
  const out: number[] = [];
  for (let i = 0; i < clause.length; i++) {
    if (!reach[i]) continue;
    out.push(i);
    for (const o of openers) if (clause.startsWith(o, i)) reach[i + o.length] = 1;
  }
  return out;
}

/**
 * The colloquial word that opens a reply in this clause, or undefined: a word at the clause's start or after
 * openers only (嗯，行 / 好的没问题 / 那行), not followed by what makes it a question, a conditional or a name
 * (行不行, 行吗, 没问题的话, OK键), and not the start of a Latin word. It must be a word where the clause goes
 * on after it (行我帮您查一下, ASR without punctuation: 行李我帮您查 is no reply); a clause that is nothing but
 * openers, the words and particles is a reply however the segmenter reads it (那就行了: 那就行 is one word to it).
 */
function openingWord(text: string, c: { start: number; end: number }, k: Compiled): string | undefined {
  // A clause that asks (…行吧？ / 没问题吧？) is a question to the customer, not a reply.
  let after = c.end;
  while (after < text.length && /\s/.test(text[after] as string)) after++;
  if (text[after] === '?') return undefined;
  // A quoted clause (您说的“行”是指…) echoes the customer.
  if (c.start > 0 && QUOTE.test(text[c.start - 1] as string) && QUOTE.test(text[c.end] ?? '')) return undefined;
  const clause = text.slice(c.start, c.end);
  for (const p of openingPositions(clause, k.openers)) {
    const word = k.byLength.find((w) => clause.startsWith(w, p));
    if (word === undefined) continue;
    let i = p + word.length;
    if (LATIN.test(clause[i - 1] as string) && LATIN.test(clause[i] ?? '')) return undefined;
    // The word's run: more of the words and particles (行行行, 没事没事, 行了行了, 没事儿).
    const closedBy = clause[i];
    for (;;) {
      const rest = clause.slice(i);
      const more = k.byLength.find((w) => rest.startsWith(w));
      if (more !== undefined) i += more.length;
      else if (k.notBefore.some((n) => rest.startsWith(n))) return undefined;
      else if (i < clause.length && PARTICLES.includes(clause[i] as string)) i++;
      else break;
    }
    if (i < clause.length) {
      // The clause goes on: the word must be a word there (行李), and a one-character word closed by the
      // aspect particle 了 is a verb more often than a reply (成了年卡会员以后); 行吧那你… stays a reply.
      if (word.length === 1 && closedBy === '了') return undefined;
      if (!isWordAligned(text, c.start + p, c.start + p + word.length)) return undefined;
    }
    return word;
  }
  return undefined;
}

export default defineRule({
  id: 'colloquial-words',
  messages: ['colloquial-words.reply'],
  kind: 'seed',
  description:
    'The agent does not reply with a colloquial word (行, 没问题, 成, OK, 好嘞, 妥了, 搞定, 没事, 嗯嗯…): a clause of agent speech that opens with such a word, alone or after openers (嗯，行 / 好的没问题 / 那行), is one finding, with the standard wording to say instead. Words are matched as words (银行, 行李, 进行, 不行, 成功 do not count), and a word that asks or sets a condition is no reply (行吗, 行不行, 没问题的话, 没事的话, a clause ending in ?); in the middle of a sentence (您的账户没问题) it is not counted.',
  source: 'seeds/000 语言礼仪: 服务人员应避免使用过于口语化的表达,如"行"、"没问题",而应使用更加规范的"好的"、"可以"等。',
  needs: 'agent speech',
  limits:
    'Reads replies, not register: colloquial words in the middle of a sentence (已经给您搞定了) and dialect words outside the list (啥, 咋整) are not counted; an echo of the customer quoted as its own clause ("行") would count.',
  defaultDeduction: 2,
  defaultMaxDeduction: 10,
  options: {
    words: wordMap.default(() => ({ ...DEFAULT_COLLOQUIAL_WORDS })).describe('colloquial word → the standard wording to suggest; replaces the default list'),
    extra_words: wordMap.default({}).describe('colloquial words besides the default list, each with its suggestion'),
    openers: wordList(DEFAULT_OPENERS, 'interjections and acknowledgements that may come before the word in a reply (嗯, 好的, 那)'),
    not_before: wordList(DEFAULT_NOT_BEFORE, 'what, right after the word or its particles, makes it no reply (吗, 不, 的话: 行吗, 行不行, 没问题的话)'),
  },
  check(call, options, { say }) {
    const agent = agentUtterances(call);
    if (agent.length === 0) return { outcome: 'n/a', findings: [] };
    const k = compiled(options);
    const findings = new FindingList();
    for (const u of agent) {
      for (const c of colloquialReplies(u.norm.text, k)) {
        const entry = k.words.get(c.word);
        if (entry)
          findings.add(() => ({
            ...at(u),
            message: say('colloquial-words.reply', { word: entry.word, suggestion: entry.suggestion }),
            evidence: quote(u, { start: c.start, end: c.end }),
          }));
      }
    }
    return findings.result();
  },
  examples: {
    pass: [
      { name: 'standard wording', turns: ['客户：能帮我改一下地址吗？', '坐席：好的，可以的，我马上为您修改。'] },
      { name: '行 inside longer words', turns: ['客户：我的行李还没到。', '坐席：请您到银行旁边的服务台进行登记。'] },
      { name: 'a question, not a reply', turns: ['客户：我想换个时间。', '坐席：给您改到周三下午，行吗？'] },
    ],
    fail: [
      { name: 'a bare 行', turns: ['客户：能帮我改一下地址吗？', '坐席：行，我给你改。'] },
      { name: '没问题 after 好的', turns: ['客户：那明天上午来修可以吗？', '坐席：好的，没问题！'] },
      { name: 'ASR without punctuation: 行 opens the reply', turns: ['客户：帮我看看积分还有多少', '坐席：行我帮您查一下'] },
    ],
  },
});

export interface ColloquialOptions {
  words: Record<string, string>;
  extra_words: Record<string, string>;
  openers: string[];
  not_before: string[];
}

const cache = new WeakMap<ColloquialOptions, Compiled>();

/** The word lists compiled once per rubric (its options object lives as long as it). */
export function compiled(options: ColloquialOptions): Compiled {
  let c = cache.get(options);
  if (!c) {
    c = compile({ ...options.words, ...options.extra_words }, options.openers, options.not_before);
    cache.set(options, c);
  }
  return c;
}
