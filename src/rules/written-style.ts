import { z } from 'zod';
import type { Translator } from '../i18n/format.js';
import {
  byFirstUnit,
  compileEmoticons,
  countEmoticons,
  DEFAULT_EMOTICON_CODES,
  DEFAULT_TEXT_EMOTICONS,
  type EmoticonCount,
  type EmoticonTables,
  isWordChar,
  quotedRanges,
  RangeCursor,
} from '../match/emoticons.js';
import { isWordAligned } from '../match/words.js';
import type { PreparedUtterance } from '../model/call.js';
import { normaliseText } from '../normalise/text.js';
import { isHanCode } from '../util/han.js';
import { agentUtterances, at, FindingList, isWritten, quote } from './helpers.js';
import { defineRule, type RuleFinding } from './types.js';

/**
 * Internet slang (网络用语) in written service, read as words of normalised text. A word written with a final +
 * (哈哈哈+, 233+) takes any number more of its last character (哈哈哈哈哈, 23333). Every reader here is one
 * left-to-right pass with a bounded look at each position.
 */
export interface SlangTables {
  /** Candidates by first code unit, longest first (normalised, the + dropped). */
  byFirst: Map<number, string[]>;
  /** The normalised words written with a final + (their last character may repeat). */
  repeating: Set<string>;
  /** Normalised word → the word as written (with its +). */
  written: Map<string, string>;
  /** Normalised words that hold a slang word and are not slang (乐呵呵, 酱紫色), longest first. */
  notSlang: string[];
}

export function compileSlang(words: readonly string[], notSlang: readonly string[]): SlangTables {
  const repeating = new Set<string>();
  const written = new Map<string, string>();
  for (const w of words) {
    const plus = w.length > 1 && w.endsWith('+');
    const norm = normaliseText(plus ? w.slice(0, -1) : w).text.trim();
    if (norm === '') continue;
    if (plus) repeating.add(norm);
    written.set(norm, w);
  }
  const exceptions = [...new Set(notSlang.map((n) => normaliseText(n).text.trim()).filter((n) => n !== ''))];
  return { byFirst: byFirstUnit([...written.keys()]), repeating, written, notSlang: exceptions.sort((a, b) => b.length - a.length) };
}

export interface SlangOccurrence {
  start: number;
  end: number;
  /** The normalised word (without its +). */
  word: string;
}

const isDigits = (w: string) => /^[0-9]+$/.test(w);
/** Sentence particles that may close a number used as slang (886啦, 666哈). */
const PARTICLES = '啊呀哈啦哦喔嘛呢吧了的哒滴噢～~';
/** Beside a number, characters that make it a quantity, a code or a price (编号:886, ¥666, 666-1). */
const NUMBER_MARKS = ':%/-#¥$+=*_@&';
/** The run of digits of text that ends before `end` (step -1) or starts at `start` (step 1): its length. */
function digitRun(text: string, from: number, step: 1 | -1): number {
  let n = 0;
  for (let i = from; i >= 0 && i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39; i += step) n++;
  return n;
}

/**
 * Whether the character at i joins the digits around it into one number: a decimal point (1.886), or a comma
 * grouping thousands (1,886 / 886,000: one to three digits before it, three after). Normalised, a Chinese
 * comma is a comma too, so 2333，666 (four digits before it) is two clauses.
 */
function joinsDigits(text: string, i: number): boolean {
  const before = digitRun(text, i - 1, -1);
  const after = digitRun(text, i + 1, 1);
  if (text[i] === '.') return before > 0 && after > 0;
  return text[i] === ',' && before >= 1 && before <= 3 && after === 3;
}

/**
 * Whether a number at [start, end) stands on its own, as slang does (好的，886～ / 666！): no digit, letter, Han
 * character or number mark touches it (spaces aside), except a sentence particle after it. 666元, 第886号,
 * 订单 20266610, 编号：886, ¥666 are numbers.
 */
function numberStandsAlone(text: string, start: number, end: number): boolean {
  let b = start - 1;
  while (b >= 0 && text[b] === ' ') b--;
  let a = end;
  while (a < text.length && text[a] === ' ') a++;
  const blocks = (i: number) =>
    i >= 0 && i < text.length && (isWordChar(text, i) || isHanCode(text.charCodeAt(i)) || NUMBER_MARKS.includes(text[i] as string) || joinsDigits(text, i));
  if (blocks(b)) return false;
  return !blocks(a) || PARTICLES.includes(text[a] as string);
}

/** Between a Latin or digit word and another, characters that make them one address, name or code (hhh@qq.com, www.yyds.cn). */
const LATIN_JOINS = '@._-/:#';

/** The end of the word w matched at i (a repeating word's run taken whole), or -1 where it is not a word there. */
function wordEnd(text: string, i: number, w: string, t: SlangTables): number {
  const repeat = t.repeating.has(w);
  const last = w[w.length - 1] as string;
  // The checks on what comes before go first: a run is read to its end only once, at its start (linear on 哈哈哈… ×10⁶).
  // Inside a longer run (a repeat of the first character before it) the run's start decided already.
  if (repeat && text[i - 1] === last && w.split('').every((c) => c === last)) return -1;
  if (isWordChar(w, 0) && (isWordChar(text, i - 1) || (LATIN_JOINS.includes(text[i - 1] ?? ' ') && isWordChar(text, i - 2)))) return -1;
  let end = i + w.length;
  if (repeat) while (text[end] === last) end++;
  if (isWordChar(w, w.length - 1) && (isWordChar(text, end) || (LATIN_JOINS.includes(text[end] ?? ' ') && isWordChar(text, end + 1)))) return -1;
  if (isDigits(w) && !numberStandsAlone(text, i, end)) return -1;
  // A run of laughter is laughter wherever it stands; other Han words must be words there (酱紫 not in 酱紫色).
  if (!repeat && !isWordAligned(text, i, end)) return -1;
  for (const n of t.notSlang) {
    for (let k = Math.max(0, i - n.length + 1); k <= i; k++) if (k + n.length > i && text.startsWith(n, k)) return -1;
  }
  return end;
}

/** Calls `found` for each slang word of a normalised message outside its quotes, in text order, none overlapping. */
export function forEachSlang(text: string, t: SlangTables, found: (o: SlangOccurrence) => void, { quotes = true } = {}): void {
  const cursor = new RangeCursor(quotes ? quotedRanges(text) : []);
  let i = 0;
  while (i < text.length) {
    const quoteEnd = cursor.endOf(i);
    if (quoteEnd >= 0) {
      i = quoteEnd;
      continue;
    }
    const group = t.byFirst.get(text.charCodeAt(i));
    let end = -1;
    let word = '';
    if (group !== undefined) {
      for (const w of group) {
        if (!text.startsWith(w, i)) continue;
        end = wordEnd(text, i, w, t);
        word = w;
        if (end >= 0) break;
      }
    }
    if (end >= 0) {
      found({ start: i, end, word });
      i = end;
    } else i++;
  }
}

/** How many characters around a word make up the customer's term it sits in (神马 in 神马汽车). */
const ECHO_CONTEXT = 2;
/** A bound on the customer's terms kept for one call (a hostile customer message repeating a slang word). */
const ECHO_KEPT = 10_000;

const isTermChar = (text: string, i: number) => i >= 0 && i < text.length && (isWordChar(text, i) || isHanCode(text.charCodeAt(i)));

/** The word with one or two of the characters that touch it on either side: the terms it may be part of. */
function termsAround(text: string, start: number, end: number): string[] {
  const out: string[] = [];
  for (let n = 1; n <= ECHO_CONTEXT; n++) {
    if (isTermChar(text, start - n)) out.push(text.slice(start - n, end));
    if (isTermChar(text, end + n - 1)) out.push(text.slice(start, end + n));
  }
  return out;
}

/**
 * The customer's terms that hold a slang word (神马汽车, a shop's or a product's name the customer typed): every
 * slang word in a customer message, as written there, with the characters around it. An agent's word in the
 * same term echoes the customer's name for something, not the agent's own style.
 */
class CustomerTerms {
  private readonly terms = new Set<string>();
  constructor(private readonly t: SlangTables) {}

  add(text: string): void {
    const group = this.t.byFirst;
    for (let i = 0; i < text.length && this.terms.size < ECHO_KEPT; i++) {
      for (const w of group.get(text.charCodeAt(i)) ?? []) {
        if (text.startsWith(w, i)) for (const term of termsAround(text, i, i + w.length)) this.terms.add(term);
      }
    }
  }

  /** Whether the word at [start, end) of an agent's message sits in one of the customer's terms. */
  echoes(text: string, o: SlangOccurrence): boolean {
    if (this.terms.size === 0) return false;
    return termsAround(text, o.start, o.start + o.word.length).some((term) => this.terms.has(term));
  }
}

/**
 * Internet slang a Chinese QA reviewer marks 网络用语 in an agent's written reply, each with the standard wording
 * (an empty suggestion: leave it out). Policy: seed 000 names no words. Left out on purpose: 亲 (many e-commerce
 * centres require it as the address), 哈哈 once (a friendly reply may laugh once), 稀饭 (rice porridge in a food
 * order), 童鞋 (children's shoes in a shop), 香菇 alone (a mushroom), 宝宝 and 亲爱的 (mother-and-baby shops, house
 * styles), 88 (a quantity far more often than 拜拜).
 */
export const DEFAULT_SLANG: Readonly<Record<string, string>> = {
  木有: '没有',
  神马: '什么',
  肿么: '怎么',
  酱紫: '这样子',
  造吗: '知道吗',
  蓝瘦香菇: '难受想哭',
  蓝瘦: '难受',
  么么哒: '',
  萌萌哒: '可爱',
  好哒: '好的',
  好滴: '好的',
  亲亲: '您',
  伐开心: '不开心',
  灰常: '非常',
  有木有: '有没有',
  老铁: '您',
  宝子: '您',
  集美们: '各位',
  绝绝子: '非常好',
  yyds: '非常好',
  xswl: '',
  '3q': '谢谢',
  // Livestream and social-media slang agents pick up (gold-chat): a reviewer marks them as readily as 木有.
  栓q: '谢谢',
  比心: '',
  mua: '',
  冲鸭: '',
  安排上了: '已为您安排',
  家人们: '您',
  桑心: '伤心',
  酱婶: '这样',
  打call: '支持',
  get到: '明白',
  awsl: '',
  u1s1: '',
  dbq: '对不起',
  破防: '',
  蚌埠住了: '',
  'emmm+': '',
  '886': '再见',
  '666+': '非常好',
  '233+': '',
  'hhh+': '',
  '哈哈哈+': '',
  '呵呵+': '',
};

/** Words that hold a slang word and are not slang: 乐呵呵, 笑呵呵 (cheerful), 酱紫色 (a colour). */
export const DEFAULT_NOT_SLANG = ['乐呵呵', '笑呵呵', '傻呵呵', '酱紫色'];

// Keys checked on the whole record: a key's own refinement reads only "Invalid key in record" in a rubric error.
const slangMap = z
  .record(z.string(), z.string())
  .superRefine((map, ctx) => {
    for (const w of Object.keys(map)) {
      if (normaliseText(w.endsWith('+') ? w.slice(0, -1) : w).text.trim() === '')
        ctx.addIssue({ code: 'custom', message: `expected a word as each key, got ${JSON.stringify(w)}` });
    }
  })
  .describe('slang word → what to write instead (empty: leave it out)');

const textList = (defaults: readonly string[], description: string) =>
  z
    .array(z.string().refine((w) => normaliseText(w).text.trim() !== '', { message: 'expected text, got empty text' }))
    .default([...defaults])
    .describe(description);

interface Compiled {
  slang: SlangTables;
  suggestions: Map<string, string>;
  emoticons: EmoticonTables;
}

export interface WrittenStyleOptions {
  slang: Record<string, string>;
  extra_slang: Record<string, string>;
  not_slang: string[];
  emoticon_codes: string[];
  text_emoticons: string[];
  max_emoticons_per_message: number;
  allowed_emoticons: number;
}

const cache = new WeakMap<WrittenStyleOptions, Compiled>();

/** The lists compiled once per rubric (its options object lives as long as it). */
function compiled(options: WrittenStyleOptions): Compiled {
  let c = cache.get(options);
  if (!c) {
    const words = { ...options.slang, ...options.extra_slang };
    const slang = compileSlang(Object.keys(words), options.not_slang);
    const suggestions = new Map<string, string>();
    for (const [norm, word] of slang.written) suggestions.set(norm, words[word] ?? '');
    c = { slang, suggestions, emoticons: compileEmoticons(options.emoticon_codes, options.text_emoticons) };
    cache.set(options, c);
  }
  return c;
}

/** The most characters of a slang word a message shows (a run of laughter can be any length: the evidence has it). */
const WORD_SHOWN = 12;

/** The share of messages as people read it: two decimals at most. */
const ratio = (x: number) => Math.round(x * 100) / 100;

/** The one emoticon finding of a call, or undefined when the agent's messages hold few enough. */
function emoticonFinding(agent: readonly PreparedUtterance[], options: WrittenStyleOptions, k: Compiled, say: Translator): RuleFinding | undefined {
  let count = 0;
  let most: { u: PreparedUtterance; n: EmoticonCount } | undefined;
  for (const u of agent) {
    const n = countEmoticons(u.norm.text, k.emoticons);
    count += n.count;
    if (n.count > 0 && (most === undefined || n.count > most.n.count)) most = { u, n };
  }
  const rate = count / agent.length;
  if (most === undefined || count <= options.allowed_emoticons || rate <= options.max_emoticons_per_message) return undefined;
  return {
    ...at(most.u),
    message: say('written-style.emoticons', {
      count,
      messages: agent.length,
      rate: ratio(rate),
      limit: options.max_emoticons_per_message,
      allowed: options.allowed_emoticons,
      most: most.n.count,
    }),
    evidence: quote(most.u, most.n.first),
  };
}

export default defineRule({
  id: 'written-style',
  written: true,
  messages: ['written-style.slang', 'written-style.slang-drop', 'written-style.emoticons'],
  kind: 'seed',
  description:
    "Written service in standard written language (chat, social media): each internet-slang word in an agent's message (木有, 神马, 好哒, 亲亲, 886, 666, 哈哈哈, 呵呵, yyds…) is a finding, with the standard wording to write instead; and emoticons — emoji, platform stickers written as [微笑], text emoticons and kaomoji (^_^ :) orz) — are too many when the agent's messages hold more than allowed_emoticons in all and more than max_emoticons_per_message per message: one finding, at the message with the most. Words are matched as words (酱紫色, 乐呵呵, 666元, order number 20266610 do not count), and what the agent quotes (“…”) or repeats of a name the customer typed is not the agent's own style.",
  source:
    'seeds/000 網絡客戶服務禮儀·書面表達禮儀: 網絡文字溝通應使用規范的書面語,避免網絡用語和表情符號過多。語氣應保持專業友好,句式完整,用詞得體。 社交媒體服務禮儀·品牌語調統一: 可適當活潑但不失專業…避免過度幽默或太過正式。 The seed names no slang words and gives no number of emoticons: the word list and both emoticon limits are policy.',
  needs: "a written conversation (chat or social) with the agent's messages",
  limits:
    'The slang list and the emoticon limits are policy. 亲 alone is not slang (many e-commerce centres require it as the address), nor 哈哈 once; words with an everyday meaning (稀饭, 童鞋, 香菇 alone) are not in the list, and slang outside the list is missed. A number counts only standing on its own (好的，886～), not right after a word (谢谢亲886). An echo the agent writes without quote marks (您说的神马是指…) counts unless it repeats a term the customer typed. Emoticons are read from the text: a sticker the export does not write as [名称] is not counted, nor a kaomoji outside text_emoticons unless it is drawn in round brackets with face characters ((´∀｀)); quoted ones are not counted.',
  defaultDeduction: 2,
  defaultMaxDeduction: 10,
  options: {
    slang: slangMap
      .default(() => ({ ...DEFAULT_SLANG }))
      .describe(
        'internet slang word → the standard wording to write instead (empty: leave it out); a final + lets the last character repeat (哈哈哈+: 3 or more 哈); replaces the default list (policy: the seed names no words)',
      ),
    extra_slang: slangMap.default({}).describe('slang words besides the default list, each with its suggestion'),
    not_slang: textList(DEFAULT_NOT_SLANG, 'words that hold a slang word and are not slang (乐呵呵, 酱紫色)'),
    emoticon_codes: textList(
      DEFAULT_EMOTICON_CODES,
      'names of the platform stickers (WeChat, QQ, Weibo) that count as emoticons when written in brackets: [微笑], [呲牙], [doge]',
    ),
    text_emoticons: textList(DEFAULT_TEXT_EMOTICONS, 'text emoticons and kaomoji that count as emoticons (:) ^_^ orz o(╥﹏╥)o)'),
    max_emoticons_per_message: z
      .number()
      .min(0)
      .default(0.2)
      .describe("most emoticons per agent message on average (policy: the seed says only 'not too many'); more fails, unless within allowed_emoticons"),
    allowed_emoticons: z
      .number()
      .int()
      .min(0)
      .default(2)
      .describe('emoticons in a conversation that never fail, however short it is (policy: a couple never fail)'),
  },
  check(call, options, { say }) {
    if (!isWritten(call)) return { outcome: 'n/a', findings: [] };
    const agent = agentUtterances(call);
    if (agent.length === 0) return { outcome: 'n/a', findings: [] };
    const k = compiled(options);
    const findings = new FindingList();
    // First, so that a conversation full of slang still lists it.
    const emoticons = emoticonFinding(agent, options, k, say);
    if (emoticons) findings.add(() => emoticons);
    const customer = new CustomerTerms(k.slang);
    for (const u of call.utterances) {
      if (u.speaker !== 'agent') {
        if (u.speaker === 'customer') customer.add(u.norm.text);
        continue;
      }
      forEachSlang(u.norm.text, k.slang, (o) => {
        if (customer.echoes(u.norm.text, o)) return;
        const suggestion = k.suggestions.get(o.word) ?? '';
        const written = u.text.slice(u.norm.toOriginal[o.start] ?? 0, (u.norm.toOriginal[o.end - 1] ?? 0) + 1);
        const word = written.length <= WORD_SHOWN ? written : `${Array.from(written).slice(0, WORD_SHOWN).join('')}…`;
        findings.add(() => ({
          ...at(u),
          message: say(suggestion === '' ? 'written-style.slang-drop' : 'written-style.slang', { word, suggestion }),
          // Around the word's start: quote() keeps all of a match, and a run of laughter can be a megabyte long.
          evidence: quote(u, { start: o.start, end: Math.min(o.end, o.start + WORD_SHOWN) }),
        }));
      });
    }
    return findings.result();
  },
  examples: {
    pass: [
      {
        name: 'standard written replies with one emoji',
        call: { channel: 'chat' },
        turns: [
          '[00:00] 客户：我的快递三天了还没到',
          '[00:40] 坐席：您好，很高兴为您服务，请提供一下订单号。',
          '[01:10] 客户：20266610',
          '[01:30] 坐席：好的，已为您催促快递员，预计明天送达，请您留意 🙂',
        ],
      },
      {
        name: 'the customer’s slang and a quote of it',
        call: { channel: 'chat' },
        turns: ['[00:00] 客户：神马情况啊，木有收到货', '[00:30] 坐席：您好，您说的“木有收到货”，我马上为您查询物流。'],
      },
    ],
    fail: [
      {
        name: 'internet slang in a reply',
        call: { channel: 'chat' },
        turns: ['[00:00] 客户：能开发票吗？', '[00:20] 坐席：好哒亲亲，木有问题，马上给您开~'],
      },
      {
        name: 'an emoticon in every message',
        call: { channel: 'social' },
        turns: [
          '[00:00] 客户：你们的活动怎么参加？',
          '[00:30] 坐席：您好呀😊😊',
          '[01:00] 坐席：点击首页的活动入口就可以啦[呲牙]',
          '[01:20] 客户：好的',
          '[01:40] 坐席：祝您购物愉快 ^_^',
        ],
      },
    ],
  },
});
