import { describe, expect, it } from 'vitest';
import { PhraseMatcher } from '../../src/match/phrases.js';
import rule, { clausesHolding } from '../../src/rules/colloquial-words.js';
import { EMPTY_CONTEXT, optionsSchema } from '../../src/rules/types.js';
import { randomText, seeded } from '../helpers/random.js';
import { call, ruleTable } from '../helpers/rule-table.js';
import { translator } from '../../src/i18n/format.js';

describe('colloquial-words', () => {
  ruleTable(rule, {
    valid: [
      { name: 'standard wording', call: call(['customer: 能改地址吗？', 'agent: 好的，可以的，我马上为您修改。']) },
      { name: '行 inside longer words', call: call(['agent: 请到银行办理，行李寄存在进行中，行程已经发给您了。']) },
      { name: '不行 is the banned-phrases rule’s business', call: call(['agent: 不行。']) },
      { name: 'a clause that says more than the word', call: call(['agent: 这样行吗？没问题的话我就提交了，设备没事吧？']) },
      { name: 'a single 嗯 is an acknowledgement', call: call(['agent: 嗯，明白，是的。']) },
      { name: 'the customer may say it', call: call(['customer: 行，没问题。', 'agent: 好的。']) },
      { name: 'a word that is not the reply’s opening: ASR without punctuation', call: call(['agent: 我帮您查一下行李现在到哪了']) },
      {
        name: '行李, 成功, 行业 open a clause but are other words',
        call: call(['agent: 行李我帮您查一下。', 'agent: 成功为您办理了。', 'agent: 行业规定是这样的。']),
      },
      {
        name: 'a one-character word closed by 了, then more, reads as a verb (成了会员): unpunctuated 行了我知道了 is missed',
        call: call(['agent: 成了年卡会员以后，每月送流量。', 'agent: 行了我知道了']),
      },
      { name: 'an opener before a longer word (那行程)', call: call(['agent: 好的，那行程我帮您改到周五。']) },
      {
        name: 'questions to the customer: 行吗, 行不行, 成不成, …吧？',
        call: call(['agent: 给您改到周三，行吗？', 'agent: 您看行不行？', 'agent: 成不成要看审核。', 'agent: 我念一遍，没问题吧？', 'agent: OK吗？']),
      },
      {
        name: 'conditionals: 没问题的话, 没事儿的话',
        call: call(['agent: 没问题的话我就提交了。', 'agent: 没事儿的话我先挂了。', 'agent: 沒事的話，感謝您的來電。']),
      },
      { name: 'mid-sentence: 您的账户没问题, 您没事吧', call: call(['agent: 检测过了，电表本身没问题。', 'agent: 您没事吧？']) },
      { name: 'a key’s name: OK键', call: call(['agent: OK键在遥控器中间。', 'agent: 请您长按ＯＫ键五秒。']) },
      { name: 'a Latin word that starts with ok', call: call(['agent: Outlook 打不开的话，okhttp 报错也发给我们。']) },
      { name: 'a quoted echo of the customer', call: call(['customer: 行，就那个吧。', 'agent: 您说的“行”是指第二个方案吗？']) },
      { name: 'a custom list replaces the default', call: call(['agent: 行。']), options: { words: { 妥了: '好的' } } },
      { name: 'openers are an option', call: call(['agent: 好的没问题。']), options: { openers: ['嗯'] } },
    ],
    invalid: [
      {
        name: 'a bare 行',
        call: call(['[00:00-00:03] customer: 能改地址吗？', '[00:04-00:06] agent: 行，我给你改。']),
        findings: [{ at: 4, message: 'colloquial reply "行": say 好的 / 可以 instead', evidence: '行，我给你改。' }],
      },
      {
        name: 'the whole utterance',
        call: call(['agent: 没问题！']),
        findings: [{ message: 'colloquial reply "没问题": say 好的 / 可以 instead', evidence: '没问题！' }],
      },
      {
        name: 'each clause is a finding',
        call: call(['agent: 好的，没问题，搞定了。', 'customer: 谢谢', 'agent: 没事儿。']),
        findings: [
          { message: 'colloquial reply "没问题": say 好的 / 可以 instead' },
          { message: 'colloquial reply "搞定": say 已经为您处理好了 instead' },
          { message: 'colloquial reply "没事": say 不客气 / 没关系 / 请放心 instead', evidence: '没事儿。' },
        ],
      },
      {
        name: 'particles, repetition and a leading interjection',
        call: call(['agent: 行吧。', 'agent: 嗯嗯。', 'agent: 行行行', 'agent: 嗯行', 'agent: 好嘞～']),
        findings: [{ message: /"行"/ }, { message: /"嗯嗯"/ }, { message: /"行"/ }, { message: /"行"/ }, { message: /"好嘞"/ }],
      },
      {
        name: 'ASR without punctuation: the word opens the reply',
        call: call(['agent: 行我帮您查一下', 'agent: 好的没问题我这边马上给您开', 'agent: 是的没问题您把税号发给我']),
        findings: [
          { message: 'colloquial reply "行": say 好的 / 可以 instead', evidence: '行我帮您查一下' },
          { message: 'colloquial reply "没问题": say 好的 / 可以 instead', evidence: '好的没问题我这边马上给您开' },
          { message: /"没问题"/ },
        ],
      },
      {
        name: 'ASR with spaces and no punctuation: 行吧 opens the reply',
        call: call(['agent: 行 吧 那 你 把 缴 费 记 录 截 个 图 发 过 来']),
        findings: [{ message: 'colloquial reply "行": say 好的 / 可以 instead', evidence: '行 吧 那 你 把 缴 费 记 录 截 个 图 发 过 来' }],
      },
      {
        name: 'an opener the segmenter joins to the word (那就行 is one word to jieba)',
        call: call(['agent: 那就行了，我这边处理。', 'agent: 那行，我给您登记上。']),
        findings: [{ message: /"行"/, evidence: '那就行了，我这边处理。' }, { message: /"行"/ }],
      },
      {
        name: 'OK, okay and 妥了 in any case and width',
        call: call(['agent: OK，我帮您登记。', 'agent: ok的。', 'agent: ＯＫ，马上处理。', 'agent: Okay，我这边提交。', 'agent: 妥了，钱已经退回。']),
        findings: [
          { message: 'colloquial reply "OK": say 好的 instead', evidence: 'OK，我帮您登记。' },
          { message: /"OK"/ },
          { message: /"OK"/, evidence: 'ＯＫ，马上处理。' },
          { message: 'colloquial reply "okay": say 好的 instead' },
          { message: 'colloquial reply "妥了": say 已经为您办好了 instead' },
        ],
      },
      {
        name: 'the ASR spellings of 好嘞 (好勒, 好咧)',
        call: call(['agent: 好勒，给您寄出了。', 'agent: 好咧～']),
        findings: [{ message: 'colloquial reply "好勒": say 好的 instead' }, { message: 'colloquial reply "好咧": say 好的 instead' }],
      },
      {
        name: 'a repeated reply to thanks (没事没事)',
        call: call(['customer: 太感谢了。', 'agent: 没事没事，应该的。']),
        findings: [{ message: 'colloquial reply "没事": say 不客气 / 没关系 / 请放心 instead', evidence: '没事没事，应该的。' }],
      },
      {
        name: 'Traditional script and ASR spaces',
        call: call(['客服：沒 問 題 ， 我 幫 您 處 理 。']),
        findings: [{ message: 'colloquial reply "没问题": say 好的 / 可以 instead', evidence: '沒 問 題 ， 我 幫 您 處 理 。' }],
      },
      {
        name: 'extra words extend the list with their suggestion',
        call: call(['agent: 妥了，行。']),
        options: { extra_words: { 妥了: '已经为您办好了' } },
        findings: [{ message: 'colloquial reply "妥了": say 已经为您办好了 instead' }, { message: /"行"/ }],
      },
      {
        name: 'a word written in Traditional script in the options',
        call: call(['agent: 沒差。']),
        options: { words: { 沒差: '没有影响' } },
        findings: [{ message: 'colloquial reply "沒差": say 没有影响 instead', evidence: '沒差。' }],
      },
    ],
    notApplicable: [{ name: 'no agent speech', call: call(['customer: 行。']) }],
  });

  it('quotes only the stretch around the clause in a long utterance', () => {
    const long = `${'我这边帮您看一下，'.repeat(10)}行，${'我们再看看，'.repeat(10)}`;
    const options = optionsSchema(rule).parse({}) as never;
    const [finding] = rule.check(call([`agent: ${long}`]), options, EMPTY_CONTEXT).findings;
    expect(finding?.evidence).toMatch(/^….*，行，.*…$/);
  });

  it('rejects an empty word', () => {
    expect(optionsSchema(rule).safeParse({ words: { ' ': '好的' } }).success).toBe(false);
  });
});

describe('the clauses the rule reads', () => {
  // Only clauses holding one of the words are matched; they must be exactly the clauses a split at every delimiter gives.
  const DELIMITERS = /[\s,.。!?;:、…~"'“”‘’()[\]{}「」『』【】《》<>·—-]+/gu;
  const split = (text: string) => {
    const out: Array<{ start: number; end: number }> = [];
    let from = 0;
    for (const m of text.matchAll(DELIMITERS)) {
      if (m.index > from) out.push({ start: from, end: m.index });
      from = m.index + m[0].length;
    }
    if (from < text.length) out.push({ start: from, end: text.length });
    return out;
  };

  it('are the clauses of a full split that wholly hold an occurrence, in order, once each', () => {
    const words = new PhraseMatcher(['行', '没问题', '嗯嗯', 'a b'], { normalised: true });
    const alphabet = ['行', '没', '问', '题', '嗯', '好', '的', '吧', ',', '。', ' ', '—', 'a', 'b', '😀'];
    const random = seeded(11);
    let held = 0;
    for (let k = 0; k < 20_000; k++) {
      const text = randomText(random, alphabet, 16);
      const found = words.findAll(text);
      const want = split(text).filter((c) => found.some((o) => c.start <= o.start && o.end <= c.end));
      held += want.length;
      expect(clausesHolding(text, found), JSON.stringify(text)).toEqual(want);
    }
    expect(held).toBeGreaterThan(5_000);
  });
});

/** The run's language is Simplified Chinese. */
const ZH = { ...EMPTY_CONTEXT, say: translator('zh-CN') };

describe('colloquial-words: findings in Chinese', () => {
  ruleTable(rule, {
    invalid: [
      {
        name: 'a bare 行',
        call: call(['[00:00-00:03] customer: 能帮我改一下地址吗？', '[00:04-00:06] agent: 行，我给你改。']),
        context: ZH,
        findings: [{ at: 4, message: '口语化应答“行”，应使用规范用语“好的 / 可以”', evidence: '行，我给你改。' }],
      },
    ],
  });
});
