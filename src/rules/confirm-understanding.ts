import { z } from 'zod';
import type { PreparedUtterance } from '../model/call.js';
import type { PhraseMatcher } from '../match/phrases.js';
import { at, quote } from './helpers.js';
import { presenceOfEither } from './phrase-classes.js';
import { extraPhraseList, phraseList, withExtra } from './phrase-options.js';
import { CustomerContent, characterwise, contentOf, type Overlap, overlap } from './restatement.js';
import { defineRule } from './types.js';

/**
 * Seed 001 step 6 (重复顾客关切的问题,确保你已经理解), seed 002 需求复述确认 ("您希望我们优先解决XX问题对吗?") and seed
 * 000 傾聽 (簡短復述確認理解): a restatement is the customer's matter said back (content overlap) in a confirming
 * form. The forms: an opener of a restatement (您是说…, 跟您确认一下…) or a statement closed by a tag question
 * (…，对吗). 我确认一下系统 or 我查一下 opens no restatement; a bare 是吗? (really?) has no statement.
 */
export const DEFAULT_CONFIRMATIONS = [
  '您是说',
  '你是说',
  '您说的是',
  '你说的是',
  '您的意思是',
  '你的意思是',
  '您是想',
  '你是想',
  '您是要',
  '你是要',
  '您希望',
  '你希望',
  '您是希望',
  '您是觉得',
  '你是觉得',
  '您是担心',
  '您是不想',
  '您是需要',
  '您需要的是',
  '您是不是想',
  '您是不是要',
  '您刚才说',
  '您刚刚说',
  '你刚才说',
  '跟您确认',
  '和您确认',
  '向您确认',
  '同您确认',
  '跟您核实',
  '跟您核对',
  '和您核对',
  '跟你确认',
  '我确认一下您的意思',
  '我确认一下您说的',
  '我复述一下',
  '我重复一下',
  '也就是说',
  '我理解的是',
  '我理解您的意思是',
];

/** Tag questions that close a restated statement (…多扣了五十元，对吗？), when they end a clause. */
export const DEFAULT_TAGS = [
  '对吗',
  '对吧',
  '对不对',
  '对不',
  '对么',
  '是吗',
  '是吧',
  '是不是',
  '是么',
  '是这样吗',
  '是这样吧',
  '是这个意思吗',
  '没错吧',
  '没错吗',
  '对伐',
  '是伐',
];

/** Words of an open question: 您是要办理什么业务？ asks, it does not restate. */
export const DEFAULT_QUESTION_WORDS = [
  '什么',
  '哪',
  '哪个',
  '哪里',
  '哪儿',
  '哪些',
  '哪一',
  '哪位',
  '哪天',
  '哪家',
  '哪种',
  '哪笔',
  '怎么',
  '怎样',
  '多少',
  '为什么',
  '啥',
  '咋',
  '咋办',
  '咋样',
  '几号',
  '几点',
  '几个',
  '几天',
  '几时',
];

/** Words that carry no content of their own: taken out before the overlap is measured. */
export const DEFAULT_FUNCTION_WORDS = [
  '我们',
  '你们',
  '您们',
  '他们',
  '这个',
  '那个',
  '这边',
  '那边',
  '一下',
  '就是',
  '然后',
  '那么',
  '还是',
  '已经',
  '现在',
  '请问',
  '麻烦',
  '好的',
  '可以',
  '我',
  '你',
  '您',
  '他',
  '她',
  '它',
  '的',
  '地',
  '得',
  '了',
  '着',
  '过',
  '吗',
  '呢',
  '吧',
  '啊',
  '呀',
  '哦',
  '噢',
  '嗯',
  '哈',
  '嘛',
  '么',
  '呗',
  '啦',
  '是',
  '就',
  '也',
  '都',
  '还',
  '又',
  '在',
  '和',
  '跟',
  '与',
  '及',
  '把',
  '被',
  '给',
  '对',
  '这',
  '那',
  '个',
  '些',
  '有',
  '没',
  '不',
  '要',
  '想',
  '说',
  '请',
  '好',
  '很',
  '太',
  '俺',
];

/** What a caller with no need says: greetings, thanks, backchannels (喂？, 好的，知道了，谢谢). */
export const DEFAULT_SMALL_TALK = [
  '喂',
  '喂喂',
  '你好',
  '您好',
  '谢谢',
  '感谢',
  '知道了',
  '再见',
  '拜拜',
  '不客气',
  '没事',
  '行',
  '对的',
  '是的',
  '听得到',
  '听到了',
  '能听到',
  '明白',
  '收到',
  '嗯',
  '哦',
  '啊',
  '好',
];

/**
 * What names a number read back (订单编号是2026…，对吗？): a clause holding a long number and nothing else
 * but these words is a read-back, which restates no need; 订单2026…还没出货，对吗 still does.
 */
export const DEFAULT_READ_BACK_WORDS = [
  '订单编号',
  '订单号',
  '编号',
  '单号',
  '运单号',
  '快递单号',
  '工单号',
  '手机号码',
  '手机号',
  '电话号码',
  '电话',
  '号码',
  '卡号',
  '账号',
  '帐号',
  '身份证号码',
  '身份证号',
  '身份证',
  '证件号码',
  '证件号',
  '尾号',
  '后四位',
  '后四码',
  '末四位',
];

/** A wrong number: nothing to restate. */
export const DEFAULT_NO_NEED = ['打错了', '打错电话', '打错号', '打错人', '拨错了', '拨错号'];

/** A long number, in digits or Chinese numerals (an order, phone, ID or card number read out). */
const LONG_NUMBER = /[0-9]{5,}|[零〇一二三四五六七八九幺两]{5,}/;

/** A restatement is read at most this many characters past its opener, or back from its tag. */
const MAX_CLAUSE = 40;
/** Clauses looked at in one call at most (a restatement is usually among the first; this bounds a pathological one). */
const MAX_CANDIDATES = 200;

const SENTENCE_END = new Set(['。', '.', '!', '?', ';']);
const CLAUSE_END = new Set([...SENTENCE_END, ',', '、', ':', ' ', '，']);

/** One clause that may restate the need: where it is, and whether both forms frame it (您希望……，对吗？). */
interface Candidate {
  u: PreparedUtterance;
  from: number;
  to: number;
  marker: boolean;
  both: boolean;
}

export default defineRule({
  id: 'confirm-understanding',
  messages: ['confirm-understanding.none', 'confirm-understanding.outbound', 'confirm-understanding.weak'],
  kind: 'seed',
  description:
    "The agent restates the customer's need to confirm it, at least once after the customer first speaks: a clause sharing content with what the customer said (bigrams of content characters, homophones tolerated) in a confirming form (您是说…, 跟您确认一下…, 您希望…对吗, …，对吗？). A bare tag (是吗？, 好吧), 我确认一下系统 or a read-back number is no restatement. n/a when the customer states no need (a wrong number, only greetings). Borderline overlap asks for review. Pass or fail per call.",
  source:
    'seeds/001 化解顾客不满的步骤·第六步: 重复顾客关切的问题,确保你已经理解。seeds/002 共情表达方法·需求复述确认: 用"您希望我们优先解决XX问题对吗?"等表述精准复述客户核心诉求。',
  needs: 'customer and agent speech, and a need the customer states',
  limits:
    'Overlap is lexical: a paraphrase in other words only asks for review, a confirmed detail sharing two words with the need passes, and outbound calls with nothing restated ask for review rather than deduct.',
  defaultDeduction: 5,
  options: {
    phrases: phraseList(
      DEFAULT_CONFIRMATIONS,
      'openers of a restatement (您是说, 跟您确认一下…; literal, or /regex/): the clause after them is compared with what the customer said',
    ),
    extra_phrases: extraPhraseList('openers besides the default list'),
    tags: phraseList(DEFAULT_TAGS, 'tag questions that close a restated statement when they end a clause (…，对吗)'),
    question_words: phraseList(
      DEFAULT_QUESTION_WORDS,
      'words of an open question: an opener followed by one (您是要办理什么业务) asks rather than restates, unless a tag closes it',
    ),
    function_words: phraseList(DEFAULT_FUNCTION_WORDS, 'words with no content of their own, left out when the overlap is measured'),
    small_talk: phraseList(DEFAULT_SMALL_TALK, 'what a caller with no need says (喂, 你好, 谢谢): left out when the need is measured'),
    read_back_words: phraseList(
      DEFAULT_READ_BACK_WORDS,
      'words naming a number read back (订单编号, 手机号): a clause of a long number and these words only is a read-back, no restatement',
    ),
    no_need: phraseList(DEFAULT_NO_NEED, 'a wrong number (打错了): without a restatement, the rule is n/a'),
    min_need_chars: z
      .number()
      .int()
      .min(0)
      .default(2)
      .describe('the customer states a need when their turns hold at least this many content characters besides small talk'),
    min_need_chars_outbound: z
      .number()
      .int()
      .min(0)
      .default(6)
      .describe(
        "the same on an outbound call, where the errand is the agent's and the customer's words are mostly answers to it (满意, 方便): a need of their own takes more (policy)",
      ),
  },
  check(call, options, { say }) {
    const openers = withExtra(options.phrases, options.extra_phrases);
    const { tags, question_words: questions } = options;
    const functionWords = characterwise(options.function_words);
    const us = call.utterances;
    const firstCustomer = us.findIndex((u) => u.speaker === 'customer');
    if (firstCustomer < 0 || !us.some((u, k) => k > firstCustomer && u.speaker === 'agent')) return { outcome: 'n/a', findings: [] };

    // Most agent turns hold no opener and no tag: one plain pass says so (presenceOf), before either list is looked up.
    const present = presenceOfEither(openers, tags);
    /** What the customer said, read into content only when a candidate needs it (most agent turns hold none). */
    let customer: CustomerContent | undefined;
    /** Customer turns before this index are in `customer`. */
    let fed = firstCustomer;
    let looked = 0;
    let weak: { c: Candidate; o: Overlap } | undefined;
    let restated: Candidate | undefined;
    for (let k = firstCustomer; k < us.length && !restated && looked < MAX_CANDIDATES; k++) {
      const u = us[k] as PreparedUtterance;
      if (u.speaker !== 'agent') continue;
      if (present !== undefined && !present.test(u.norm.text)) continue;
      for (const c of candidates(u, openers, tags, questions)) {
        if (++looked > MAX_CANDIDATES) break;
        const content = contentOf(u.norm.text, functionWords, c.from, c.to);
        // A number read back and the words that name it (订单编号是2026…，对吗) restate nothing; a clause
        // that says more around the number (您是要把预留手机号更新为137…) is read whole.
        if (
          LONG_NUMBER.test(u.norm.text.slice(c.from, c.to)) &&
          contentOf(u.norm.text, characterwise(options.function_words, options.read_back_words), c.from, c.to).length < 2
        )
          continue;
        customer ??= new CustomerContent();
        for (; fed < k; fed++) {
          const p = us[fed] as PreparedUtterance;
          if (p.speaker === 'customer') customer.add(contentOf(p.norm.text, functionWords));
        }
        const o = overlap(content, customer);
        // Shared content in two places, or most of one customer turn, restates; one shared word (洗衣机) only names
        // the topic, unless both forms frame the clause (您希望……，对吗).
        const strong = o.shared >= 3 || (o.shared >= 2 && o.runs >= 2) || (o.shared >= 1 && o.covers) || (c.both && (o.shared >= 1 || o.chars >= 2));
        if (strong) {
          restated = c;
          break;
        }
        if (!weak && (o.shared >= 1 || o.chars >= 2 || (c.marker && o.chars >= 1))) weak = { c, o };
      }
    }
    if (restated) return { outcome: 'pass', findings: [], hits: restated.u.start === undefined ? [] : [restated.u.start] };

    // No need to restate: a wrong number, or a caller who said nothing but greetings (counted only until there is enough).
    // findAll, not test: nothing made on a turn without the phrases (test makes a closure for its regexes on each).
    for (const u of us) if (options.no_need.findAll(u.norm.text).length > 0) return { outcome: 'n/a', findings: [] };
    const minNeed = call.direction === 'outbound' ? options.min_need_chars_outbound : options.min_need_chars;
    const needWords = characterwise(options.function_words, options.small_talk);
    let needChars = 0;
    for (let k = firstCustomer; k < us.length && needChars < minNeed; k++) {
      const u = us[k] as PreparedUtterance;
      if (u.speaker === 'customer') needChars += contentOf(u.norm.text, needWords).length;
    }
    if (needChars < minNeed) return { outcome: 'n/a', findings: [] };

    if (weak) {
      const { c } = weak;
      return {
        outcome: 'review',
        findings: [
          {
            ...at(c.u),
            message: say('confirm-understanding.weak'),
            evidence: quote(c.u, { start: c.from, end: c.to }),
          },
        ],
      };
    }
    // The customer's longest turn (the first of the longest) is the likeliest statement of the need that went unconfirmed.
    let need = us[firstCustomer] as PreparedUtterance;
    for (let k = firstCustomer + 1; k < us.length; k++) {
      const u = us[k] as PreparedUtterance;
      if (u.speaker === 'customer' && u.text.length > need.text.length) need = u;
    }
    // An outbound call is the agent's errand: what the customer says may be only answers to it (核实资料), or a
    // need of their own; words cannot tell which, so a person decides.
    const outbound = call.direction === 'outbound';
    return {
      outcome: outbound ? 'review' : 'fail',
      findings: [
        {
          ...at(need),
          message: say(outbound ? 'confirm-understanding.outbound' : 'confirm-understanding.none'),
          evidence: quote(need),
        },
      ],
    };
  },
  examples: {
    pass: [
      {
        name: 'the need repeated back',
        turns: ['客户：我上个月多扣了五十块钱。', '坐席：您是说上个月的话费多扣了五十元，对吗？', '客户：对。'],
      },
      { name: 'a statement with a tag question', turns: ['客户：我想把套餐换成便宜一点的。', '坐席：您希望换成月费更低的套餐对吗？'] },
    ],
    fail: [
      { name: 'straight to the answer', turns: ['客户：我上个月多扣了五十块钱。', '坐席：我查一下。', '坐席：已经退给你了。'] },
      {
        name: 'a tag question about something else',
        turns: ['客户：我的宽带断了三天了。', '坐席：您是户主本人对吧？', '客户：是的。', '坐席：好的，我给您派单。'],
      },
    ],
  },
});

/** The clauses of an agent turn that a confirming form frames: after each opener, and before each tag that ends a clause. */
function* candidates(u: PreparedUtterance, openers: PhraseMatcher, tags: PhraseMatcher, questions: PhraseMatcher): Generator<Candidate> {
  const text = u.norm.text;
  const openerOccs = openers.find(text);
  const tagOccs = tags.find(text).filter((t) => t.end === text.length || CLAUSE_END.has(text[t.end] as string));
  if (openerOccs.length === 0 && tagOccs.length === 0) return;
  for (const m of openerOccs) {
    let end = m.end;
    while (end < text.length && end < m.end + MAX_CLAUSE && !SENTENCE_END.has(text[end] as string)) end++;
    const tag = tagOccs.find((t) => t.start >= m.end && t.start <= end);
    const to = tag ? tag.start : end;
    // An opener followed by an open question asks (您是要办理什么业务？); a tag closing it makes it a statement again.
    if (!tag && questions.test(text.slice(m.end, to))) continue;
    yield { u, from: m.end, to, marker: true, both: tag !== undefined };
  }
  for (const t of tagOccs) {
    const from = clauseStart(text, t.start);
    // A tag alone (……五十元，对吗 / ASR's ……五十元。对吗) closes the clause before it; opening the turn (是吗？), nothing.
    if (hasContent(text, from, t.start) || from === 0) {
      yield { u, from, to: t.start, marker: false, both: false };
      continue;
    }
    yield { u, from: clauseStart(text, from - 1), to: from - 1, marker: false, both: false };
  }
}

/** Where the clause ending at `end` starts: after the last clause boundary before it, at most MAX_CLAUSE back. */
function clauseStart(text: string, end: number): number {
  let from = end;
  while (from > 0 && from > end - MAX_CLAUSE && !CLAUSE_END.has(text[from - 1] as string)) from--;
  return from;
}

const HAN_OR_ALNUM = /[\p{Script=Han}\p{L}\p{N}]/u;

function hasContent(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (HAN_OR_ALNUM.test(text[i] as string)) return true;
  return false;
}
