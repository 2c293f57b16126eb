import { z } from 'zod';
import type { Occurrence } from '../match/phrases.js';
import { normaliseText } from '../normalise/text.js';

/**
 * How a QA reviewer reads a negative word the agent said: as a refusal or dismissal of the customer, or
 * as something else — a question (行不行, 不行吗), a conditional (如果…不行), a polite indirect question
 * (不知道您…吗), an echo of the customer (您说您不知道…), a description of a thing (信号不行), reassurance
 * (您放心，…是不可能的). It reads the clause around the match (split on punctuation; ASR text without
 * punctuation gets a window of WINDOW characters each side) with marker lists from the rubric. Where
 * the clause cannot tell (a question particle far off in unpunctuated text, a question whose subject is
 * the agent: 我也不知道呢？), it says `unsure`: the rule asks for review instead of deducting.
 */

/**
 * What a match is, read in its context. `why` says what it is when it is no refusal (for people reading
 * this code and its tests); `doubt`, why a person should look, goes into the finding in the run's language.
 */
export type Reading = { kind: 'refusal' } | { kind: 'not'; why: string } | { kind: 'unsure'; doubt: Doubt };

/** Why the clause cannot tell: a catalog message, with the hedge frame it saw (refusal-context.hedge). */
export interface Doubt {
  key: 'refusal-context.hedge' | 'refusal-context.agent-question' | 'refusal-context.far-particle' | 'refusal-context.a-not-a-before';
  params?: { hedge: string };
}

/** Characters that end a clause in normalised text (full-width punctuation is half-width by then). */
const CLAUSE_END = codes(',.。!?;:、…~');
/** Characters that end a sentence. */
const SENTENCE_END = codes('.。!?;');

/** A table by UTF-16 code unit: 1 for the characters given (a lookup per character, no string made). */
function codes(chars: string): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1;
  return table;
}
/** Unpunctuated text: this many characters each side of a match stand for its clause. */
export const WINDOW = 12;
/** A hedge frame's question may end further off (不知道能不能麻烦您提供一下订单号？). */
const HEDGE_REACH = 30;
/** Unpunctuated text: a question particle at most this many characters after the match closes its question (您不知道密码吗). */
const NEAR = 4;
/** How far back reassurance is looked for (您放心，…是不可能的). */
const SENTENCE_REACH = 60;
/** Unpunctuated text: a question particle up to this many characters after the match leaves it undecided. */
const FAR = 30;
/** Negations of an A-not-A question (行不行, 有没有). */
const NEGATIONS = new Set(['不', '没']);
/** Sentence particles and the like: an echo needs content words, not 啊/吗 (我们也不知道啊 is not 你们是不是不知道啊). */
const FUNCTION_CHARS = new Set([...'啊呀吗呢吧了的么幺哦嘛啦哈']);

const marker = z.string().refine((s) => s.trim() !== '', 'expected a marker, got empty text');
const markers = (defaults: readonly string[], description: string) =>
  z
    .array(marker)
    .default([...defaults])
    .describe(description);

/** The marker lists, as the rubric writes them. */
export interface ContextLists {
  questions: string[];
  question_words: string[];
  conditionals: string[];
  conditional_ends: string[];
  conditional_next: string[];
  modifiers: string[];
  negators: string[];
  openers: string[];
  hedges: string[];
  echoes: string[];
  descriptions: string[];
  reassurances: string[];
  first_person: string[];
  second_person: string[];
  adverbs: string[];
}

/** Default markers (seed 000 语言礼仪 names the words; how Chinese marks questions, conditionals and echoes is grammar, not policy). */
export const DEFAULT_CONTEXT: Readonly<ContextLists> = {
  questions: ['吗', '么', '呢'],
  question_words: ['什么', '哪', '多少', '几', '怎么', '如何', '是否', '能否', '可否', '何时', '谁'],
  conditionals: ['如果', '要是', '万一', '假如', '假设', '倘若', '若是', '如若', '一旦', '只要', '如有'],
  conditional_ends: ['的话'],
  conditional_next: ['再', '您再', '你再', '我们再', '我再', '就再', '就给您', '就帮您', '就换'],
  modifiers: ['的地方', '的问题', '的部分', '的内容', '的情况', '的事项', '的条款'],
  negators: ['不是', '并不是', '也不是', '倒不是', '并非', '不是说'],
  openers: ['实在', '再'],
  hedges: ['不知道您', '不知道是否', '不知道能否', '不知道能不能', '不知道可不可以', '不知道方不方便', '不知道有没有', '不知道咱们', '不晓得您'],
  echoes: ['您说', '您是说', '您刚才说', '您刚刚说', '您的意思是', '您是觉得', '您觉得', '你说', '你是说', '您反映', '您提到'],
  descriptions: [
    '信号',
    '网络',
    '网速',
    '电池',
    '质量',
    '效果',
    '线路',
    '设备',
    '声音',
    '画面',
    '图片',
    '照片',
    '字迹',
    '屏幕',
    '机器',
    '电脑',
    '路由器',
    '光猫',
    '系统',
    '身体',
  ],
  reassurances: ['放心', '不用担心', '别担心', '不必担心'],
  first_person: ['我', '我们', '咱们', '我这边', '我们这边', '本人'],
  second_person: ['您', '你', '您这边', '你这边', '您那边', '你那边', '你们', '您们'],
  adverbs: [
    '也',
    '都',
    '还',
    '还是',
    '真',
    '真的',
    '就',
    '是',
    '有点',
    '有些',
    '太',
    '很',
    '比较',
    '特别',
    '确实',
    '实在',
    '并',
    '完全',
    '根本',
    '已经',
    '好像',
    '可能',
    '应该是',
    '暂时',
    '目前',
  ],
};

/** The `context` option of a rule: every list has its default; a rubric names only the lists it changes. */
export function contextOption(defaults: Readonly<ContextLists> = DEFAULT_CONTEXT) {
  return z
    .strictObject({
      questions: markers(defaults.questions, 'question particles, one character each: ending the clause of a match (不行吗？), they make it a question').refine(
        (list) => list.every((m) => [...m.trim()].length === 1),
        'expected question particles of one character each (吗, 么, 呢)',
      ),
      question_words: markers(defaults.question_words, 'question words that make a hedge frame an indirect question (不知道您什么时候方便)'),
      conditionals: markers(defaults.conditionals, 'conditional markers: before a match in its clause (如果这个方法不行), it is a condition, not a refusal'),
      conditional_ends: markers(defaults.conditional_ends, 'markers after a match in its clause that make it a condition (不行的话)'),
      conditional_next: markers(defaults.conditional_next, 'markers right after a match that make it a bare condition (不行再打给我们)'),
      modifiers: markers(defaults.modifiers, 'nouns a match right before them modifies (不清楚的地方): no answer to anyone'),
      negators: markers(defaults.negators, 'a negation right before a match denies it (不是不行，是需要…)'),
      openers: markers(defaults.openers, 'words that, opening a clause right before the match, make it a condition (实在不行，我们给您换新)'),
      hedges: markers(defaults.hedges, 'polite indirect-question frames holding a match (不知道您现在方便吗), unless the agent is their subject (我不知道您…)'),
      echoes: markers(defaults.echoes, 'frames before a match in its clause that echo the customer (您说您不知道密码)'),
      descriptions: markers(defaults.descriptions, 'things whose state a match right after them describes (信号不行, 声音不太清楚)'),
      reassurances: markers(defaults.reassurances, 'reassurance before a match in its sentence (您放心，泄露是不可能的)'),
      first_person: markers(
        defaults.first_person,
        'the agent as subject right before a match: not an echo or hedge, and a question form is unsure (我也不知道呢？)',
      ),
      second_person: markers(
        defaults.second_person,
        'the customer as subject right before a match: the customer’s own knowledge or state (您这边不知道地址也没关系), not the agent refusing',
      ),
      adverbs: markers(defaults.adverbs, 'words skipped between a subject and the match (我也不知道, 信号有点不行)'),
    })
    .prefault(() => Object.fromEntries(Object.entries(defaults).map(([k, v]) => [k, [...v]])) as unknown as ContextLists)
    .describe('how the clause around a match decides whether it is a refusal (marker lists)')
    .transform((lists) => new RefusalContext(lists));
}

/** A marker as the text will hold it: normalised like the transcript, and as written (a lone 么 normalises to 幺, but 不行么 keeps it). */
export function markerForms(list: readonly string[]): string[] {
  const out = new Set<string>();
  for (const m of list) {
    const written = m.trim().toLowerCase();
    out.add(written);
    out.add(normaliseText(written).text);
  }
  out.delete('');
  // Longest first, so that endsWith finds 我们这边 before 我.
  return [...out].sort((a, b) => b.length - a.length);
}

/** The marker lists compiled once per rubric. */
export class RefusalContext {
  /** Question particles (one character each), by code unit. */
  private readonly questions: Uint8Array;
  private readonly questionWords: string[];
  private readonly conditionals: string[];
  private readonly conditionalEnds: string[];
  private readonly conditionalNext: string[];
  private readonly modifiers: string[];
  private readonly negators: string[];
  private readonly openers: string[];
  private readonly hedges: string[];
  private readonly echoes: string[];
  private readonly descriptions: string[];
  private readonly reassurances: string[];
  private readonly firstPerson: string[];
  private readonly secondPerson: string[];
  private readonly adverbs: string[];

  constructor(lists: ContextLists) {
    this.questions = codes(markerForms(lists.questions).join(''));
    this.questionWords = markerForms(lists.question_words);
    this.conditionals = markerForms(lists.conditionals);
    this.conditionalEnds = markerForms(lists.conditional_ends);
    this.conditionalNext = markerForms(lists.conditional_next);
    this.modifiers = markerForms(lists.modifiers);
    this.negators = markerForms(lists.negators);
    this.openers = markerForms(lists.openers);
    this.hedges = markerForms(lists.hedges);
    this.echoes = markerForms(lists.echoes);
    this.descriptions = markerForms(lists.descriptions);
    this.reassurances = markerForms(lists.reassurances);
    this.firstPerson = markerForms(lists.first_person);
    this.secondPerson = markerForms(lists.second_person);
    this.adverbs = markerForms(lists.adverbs);
  }

  /**
   * How a reviewer reads the match `occ` in the agent's normalised `text`; `customer` is the customer's
   * last turn before it (normalised), for echoes of the customer's own words.
   */
  read(text: string, occ: Pick<Occurrence, 'start' | 'end'>, customer = ''): Reading {
    // A /regex/ phrase may take the punctuation before it (，没办法): the words start after it.
    let s = occ.start;
    while (s < occ.end && (CLAUSE_END[text.charCodeAt(s)] === 1 || text[s] === ' ')) s++;
    const e = occ.end;
    if (s >= e) return { kind: 'refusal' };

    // A-not-A at the match: 行不行, 知不知道 (not 不行不行, two refusals).
    const neg = text[s] as string;
    if (NEGATIONS.has(neg) && s >= 1 && text[s - 1] === text[s + 1] && !NEGATIONS.has(text[s - 2] ?? '')) return { kind: 'not', why: 'an A-not-A question' };

    const c = clause(text, s, e);
    const before = text.slice(c.from, s);
    const after = text.slice(e, c.to);
    const subject = this.stripAdverbs(before);
    const agentSubject = this.firstPerson.some((m) => subject.endsWith(m));

    // Polite indirect question: 不知道您现在方便吗 (but 我不知道您说的是哪一笔 states the agent's ignorance).
    const hedge = this.hedges.find((h) => text.startsWith(h, s) || coversAt(text, h, s, e));
    if (hedge !== undefined && !agentSubject) {
      // The frame may ask by itself (不知道能不能, 不知道是否); else its clause, up to HEDGE_REACH characters, must.
      const wide = clause(text, s, e, HEDGE_REACH);
      const rest = text.slice(e, wide.to);
      const asks =
        hasANotA(hedge, 0, hedge.length) || this.questionWords.some((w) => hedge.includes(w) || rest.includes(w)) || this.isQuestion(text, wide, e) !== 'no';
      if (asks) return { kind: 'not', why: 'a polite indirect question' };
      return { kind: 'unsure', doubt: { key: 'refusal-context.hedge', params: { hedge } } };
    }

    if (!agentSubject && this.echoes.some((m) => before.includes(m))) return { kind: 'not', why: 'an echo of the customer' };
    if (!agentSubject && echoesCustomer(text, s, e, c, customer)) return { kind: 'not', why: 'an echo of the customer’s words' };

    if (this.conditionals.some((m) => before.includes(m))) return { kind: 'not', why: 'a conditional' };
    if (this.conditionalEnds.some((m) => after.includes(m))) return { kind: 'not', why: 'a conditional' };
    // 不行再打给我们 (if it fails, call us), but not 我也不知道你再等等吧 (the agent's own answer).
    if (!agentSubject && this.conditionalNext.some((m) => after.startsWith(m))) return { kind: 'not', why: 'a conditional' };
    if (this.modifiers.some((m) => after.startsWith(m))) return { kind: 'not', why: 'a modifier of a noun' };
    if (this.negators.some((m) => before.endsWith(m))) return { kind: 'not', why: 'a negated negation' };
    // 有什么不清楚的 (anything unclear), unless the agent is in it (我什么都不知道).
    if (this.questionWords.some((w) => before.includes(w)) && !this.firstPerson.some((m) => before.includes(m))) {
      return { kind: 'not', why: 'an indefinite or question word before it' };
    }
    if (!c.openBefore && this.openers.some((m) => before === m)) return { kind: 'not', why: 'a conditional' };

    if (this.descriptions.some((m) => subject.endsWith(m))) return { kind: 'not', why: 'a description of a thing' };
    if (!agentSubject && this.secondPerson.some((m) => subject.endsWith(m))) return { kind: 'not', why: 'the customer’s own state' };

    if (this.reassurances.length > 0) {
      const sentence = text.slice(sentenceStart(text, s), s);
      if (this.reassurances.some((m) => sentence.includes(m))) return { kind: 'not', why: 'reassurance' };
    }

    const question = this.isQuestion(text, c, e);
    const aNotABefore = hasANotA(text, c.from, s);
    if (question === 'yes' || (aNotABefore && !c.openBefore && !c.openAfter)) {
      return agentSubject ? { kind: 'unsure', doubt: { key: 'refusal-context.agent-question' } } : { kind: 'not', why: 'a question' };
    }
    if (question === 'far') return { kind: 'unsure', doubt: { key: 'refusal-context.far-particle' } };
    if (aNotABefore) return { kind: 'unsure', doubt: { key: 'refusal-context.a-not-a-before' } };
    return { kind: 'refusal' };
  }

  /** Whether the clause ending after `e` is a question: yes, no, or far (unpunctuated, a particle beyond NEAR). */
  private isQuestion(text: string, c: Clause, e: number): 'yes' | 'no' | 'far' {
    if (!c.openAfter) {
      if (text[c.to] === '?') return 'yes';
      return c.to > e && this.questions[text.charCodeAt(c.to - 1)] === 1 ? 'yes' : 'no';
    }
    // Unpunctuated: a particle near the match closes its question; one further on (up to the next
    // punctuation, within FAR) may close it or a later question (不知道啊你明天再打过来好吗): a person decides.
    for (let p = e; p < text.length && p - e < FAR && CLAUSE_END[text.charCodeAt(p)] !== 1; p++) {
      if (this.questions[text.charCodeAt(p)] !== 1) continue;
      return p - e < NEAR ? 'yes' : 'far';
    }
    return 'no';
  }

  /** The text before a match less the adverbs ending it (我也 → 我, 信号有点 → 信号). */
  private stripAdverbs(before: string): string {
    let rest = before;
    for (let changed = true; changed; ) {
      changed = false;
      for (const a of this.adverbs) {
        if (rest.length > a.length && rest.endsWith(a)) {
          rest = rest.slice(0, -a.length);
          changed = true;
          break;
        }
      }
    }
    return rest;
  }
}

interface Clause {
  from: number;
  to: number;
  /** No punctuation within WINDOW before (or after) the match: the clause is a window of unpunctuated text. */
  openBefore: boolean;
  openAfter: boolean;
}

function clause(text: string, s: number, e: number, reach = WINDOW): Clause {
  let from = s;
  while (from > 0 && CLAUSE_END[text.charCodeAt(from - 1)] !== 1 && s - from < reach) from--;
  let to = e;
  while (to < text.length && CLAUSE_END[text.charCodeAt(to)] !== 1 && to - e < reach) to++;
  return {
    from,
    to,
    openBefore: from > 0 && CLAUSE_END[text.charCodeAt(from - 1)] !== 1,
    openAfter: to < text.length && CLAUSE_END[text.charCodeAt(to)] !== 1,
  };
}

/** The start of the sentence holding `s`, at most SENTENCE_REACH characters back (an unpunctuated dump must not make each match a scan of it). */
function sentenceStart(text: string, s: number): number {
  let i = s;
  while (i > 0 && s - i < SENTENCE_REACH && SENTENCE_END[text.charCodeAt(i - 1)] !== 1) i--;
  return i;
}

/** Whether the frame `h` occurs in `text` covering [s, e). */
function coversAt(text: string, h: string, s: number, e: number): boolean {
  for (let at = Math.max(0, e - h.length); at <= s; at++) if (text.startsWith(h, at)) return true;
  return false;
}

/** An A-not-A question (是不是, 有没有, 能不能) in [from, to). */
function hasANotA(text: string, from: number, to: number): boolean {
  for (let i = Math.max(from, 1); i < to - 1; i++) {
    if (NEGATIONS.has(text[i] as string) && text[i - 1] === text[i + 1] && !NEGATIONS.has(text[i - 2] ?? '')) return true;
  }
  return false;
}

const HAN = /\p{Script=Han}/u;

/** The agent repeats the customer's words around the match (客户：我不知道密码 → 坐席：不知道密码没关系). */
function echoesCustomer(text: string, s: number, e: number, c: Clause, customer: string): boolean {
  if (customer === '') return false;
  const content = (t: string) => t.length === 2 && [...t].every((ch) => HAN.test(ch) && !FUNCTION_CHARS.has(ch));
  const pre = text.slice(Math.max(c.from, s - 2), s);
  const post = text.slice(e, Math.min(c.to, e + 2));
  const word = text.slice(s, e);
  return (content(pre) && customer.includes(pre + word)) || (content(post) && customer.includes(word + post));
}
