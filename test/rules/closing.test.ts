import { describe } from 'vitest';
import rule from '../../src/rules/closing.js';
import { call, ruleTable } from '../helpers/rule-table.js';
import { translator } from '../../src/i18n/format.js';
import { EMPTY_CONTEXT } from '../../src/rules/types.js';

const OPENING = '[00:00-00:05] agent: 您好，这里是星辰通信，我是王芳，很高兴为您服务。';
const NEED = '[00:06-00:40] customer: 我的宽带断了，能帮我看看吗？';
const FIXED = '[00:41-01:20] agent: 好的，已经为您重置了端口，现在可以上网了。';

describe('closing', () => {
  ruleTable(rule, {
    valid: [
      {
        name: 'thanks and an offer of further help in the last 30 s',
        call: call([
          OPENING,
          NEED,
          FIXED,
          '[01:21-01:25] agent: 请问还有什么可以帮您的吗？',
          '[01:26-01:27] customer: 没有了。',
          '[01:28-01:32] agent: 感谢您的来电，再见。',
        ]),
      },
      {
        name: 'both elements in one utterance',
        call: call([OPENING, NEED, FIXED, '[01:21-01:28] agent: 您还有其他问题吗？没有的话感谢您的来电，祝您生活愉快。']),
      },
      {
        name: 'Traditional script',
        call: call([OPENING, NEED, FIXED, '[01:21-01:28] 客服：感謝您的來電，請問還有什麼可以幫您的嗎？祝您生活愉快。']),
      },
      {
        name: 'ASR spaces between characters',
        call: call([OPENING, NEED, FIXED, '[01:21-01:28] agent: 还 有 没 有 其 他 问 题 ？ 谢 谢 您 的 来 电']),
      },
      {
        name: 'a long utterance that starts before the window but runs into it',
        call: call([
          OPENING,
          NEED,
          '[00:41-01:30] agent: 好的，已经为您重置了端口，现在可以上网了，还有什么可以帮您的吗？感谢您的来电。',
          '[01:31-01:40] customer: 没有了，拜拜。',
        ]),
      },
      {
        name: 'untimed: the last two agent turns',
        call: call(['agent: 您好，星辰通信。', 'customer: 宽带断了。', 'agent: 已经修好了，请问还有什么需要吗？', 'customer: 没有了。', 'agent: 好的，再见。']),
      },
      {
        name: 'the window is configurable',
        call: call([
          OPENING,
          NEED,
          '[00:41-00:45] agent: 请问还有什么可以帮您的吗？',
          '[00:46-01:30] customer: 没有了，就是想再问问你们最近有什么活动，算了下次吧。',
          '[01:31-01:33] agent: 好的，再见。',
        ]),
        options: { within_seconds: 60 },
      },
      {
        name: 'custom elements replace the defaults',
        call: call([
          '[00:00-00:03] agent: Is there anything else I can help with?',
          '[00:04-00:05] customer: No.',
          '[00:06-00:08] agent: Thanks for calling, goodbye!',
        ]),
        options: { elements: { thanks: ['thanks for calling', 'thank you'], more: ['anything else'] } },
      },
    ],
    invalid: [
      {
        name: 'a farewell without asking whether anything else is needed',
        call: call([OPENING, NEED, FIXED, '[01:21-01:24] customer: 好的，知道了。', '[01:25-01:27] agent: 好的，再见。']),
        findings: [
          {
            at: 41,
            message: 'closing lacks an offer of further help ("还有什么可以帮…")',
            evidence: '好的，已经为您重置了端口，现在可以上网了。 / 好的，再见。',
          },
        ],
      },
      {
        name: 'neither element',
        call: call([OPENING, NEED, FIXED, '[01:21-01:23] agent: 就这样。']),
        findings: [{ at: 41, message: 'closing lacks a thanks or farewell ("感谢…"), an offer of further help ("还有什么可以帮…")' }],
      },
      {
        name: 'the offer of further help came before the last 30 s',
        call: call([
          OPENING,
          NEED,
          '[00:41-00:45] agent: 请问还有什么可以帮您的吗？',
          '[00:46-01:30] customer: 没有了，就是想再问问你们最近有什么活动，算了下次吧。',
          '[01:31-01:33] agent: 好的，再见。',
        ]),
        findings: [{ at: 91, message: /^closing lacks an offer of further help/, evidence: '好的，再见。' }],
      },
      {
        name: 'no agent speech in the last 30 s',
        call: call([OPENING, '[00:06-00:50] customer: 我的宽带断了，能帮我看看吗？我等了好久了，你们到底什么时候能修好，我明天还要上班呢。']),
        findings: [{ at: 0, message: 'no agent speech in the last 30 s of the call', evidence: '您好，这里是星辰通信，我是王芳，很高兴为您服务。' }],
      },
      {
        name: 'the customer saying thanks and goodbye does not count',
        call: call([OPENING, NEED, FIXED, '[01:21-01:25] customer: 还有什么要我做的吗？谢谢，再见。']),
        findings: [{ at: 41, message: 'closing lacks a thanks or farewell ("感谢…"), an offer of further help ("还有什么可以帮…")' }],
      },
      {
        name: 'untimed: a closing three agent turns before the end does not count',
        call: call([
          'agent: 请问还有什么可以帮您的吗？感谢您的来电。',
          'customer: 哦对了，还有个事。',
          'agent: 您说。',
          'customer: 发票怎么开？',
          'agent: 在APP里就能开。',
        ]),
        findings: [
          { message: 'closing lacks a thanks or farewell ("感谢…"), an offer of further help ("还有什么可以帮…")', evidence: '您说。 / 在APP里就能开。' },
        ],
      },
      {
        name: 'untimed: last_turns is configurable',
        call: call(['agent: 请问还有什么可以帮您的吗？', 'customer: 没有了。', 'agent: 感谢您的来电，再见。']),
        options: { last_turns: 1 },
        findings: [{ message: /^closing lacks an offer of further help/, evidence: '感谢您的来电，再见。' }],
      },
    ],
    notApplicable: [
      { name: 'no agent speech', call: call(['[00:00-00:05] customer: 喂？喂？']) },
      { name: 'untimed, no agent speech', call: call(['customer: 喂？']) },
      {
        name: 'a wrong number: no service asked for',
        call: call([OPENING, '[00:06-00:08] customer: 啊，不好意思，我打错了。', '[00:09-00:10] agent: 好的，再见。']),
      },
      { name: 'a wrong number in Traditional script', call: call(['agent: 您好 華信銀行 林雅婷 很高興為您服務', 'customer: 啊 撥錯了 抱歉']) },
      {
        name: 'the customer walks out and hangs up after the agent’s last turn',
        call: call(['customer: 到底什么时候能修好', 'agent: 我正在帮您查维修网点', 'customer: 算了算了 不跟你说了'], { hangupBy: 'customer' }),
      },
    ],
  });
});

describe('closing: walking out is n/a only where the customer hung up', () => {
  ruleTable(rule, {
    invalid: [
      {
        name: 'the agent hung up after the customer said 算了',
        call: call(['customer: 那这个费用能退吗', 'agent: 退不了', 'customer: 算了 不跟你说了'], { hangupBy: 'agent' }),
        findings: [{ message: /^closing lacks a thanks or farewell/, evidence: '退不了' }],
      },
      {
        name: 'the customer said 算了 before the agent’s last turn',
        call: call(['customer: 算了，不说这个了。', 'agent: 好的，再见。', 'customer: 再见。'], { hangupBy: 'customer' }),
        findings: [{ message: /^closing lacks an offer of further help/, evidence: '好的，再见。' }],
      },
    ],
  });
});

const END = (...agentLast: string[]) =>
  call([OPENING, '[00:06-00:12] customer: 好的，我知道了。', ...agentLast.map((text, i) => `[00:${13 + i * 4}-00:${15 + i * 4}] agent: ${text}`)]);

describe('closing: the seed wordings heard through ASR homophones', () => {
  ruleTable(rule, {
    valid: [
      { name: '干些您的来电 (感谢您的来电)', call: END('请问还有什么可以帮助您的吗', '好的干些您的来电') },
      { name: '海有什么可以帮您 (还有)', call: END('海有什么可以帮您的吗', '好的祝您生活愉快再见') },
      { name: '还有什么可以邦您', call: END('请问还有什么可以邦您的', '好的谢谢您的来电') },
      { name: '期待在次为您服务 (再次)', call: END('还有其他问题吗', '好的期待在次为您服务') },
      { name: '帮你 for 帮您', call: END('还有什么可以帮你的吗？', '好的，感谢您的来电，再见。') },
      { name: 'outbound: 感谢您的接听, 还有什么疑问', call: END('感谢您的接听，您还有什么疑问吗？', '好的，再见。') },
      { name: 'dialect: 还有啥问题不', call: END('还有啥问题不？', '好嘞，谢谢您，拜拜。') },
      { name: '还有哪里不明白', call: END('那您看还有哪里不明白的吗？没有的话感谢您的来电。') },
      { name: 'the class in another order: 还有其他什么问题', call: END('好的，那您还有其他什么问题吗？', '好的，再见。') },
      { name: '还需要什么帮助', call: END('请问还需要什么帮助吗？', '好的，感谢来电。') },
      { name: 'dialect: 还要办别的不', call: END('那您还要办别的不？', '好嘞，谢谢您，拜拜') },
      { name: '还有什么是我可以帮您的, 再会', call: END('还有什么是我可以帮您的吗？', '好的，再会。') },
    ],
    invalid: [
      {
        name: 'with pinyin off, 干些您的来电 is no thanks',
        call: END('请问还有什么可以帮助您的吗', '好的干些您的来电'),
        options: { pinyin: false },
        findings: [{ at: 0, message: 'closing lacks a thanks or farewell ("感谢…")' }],
      },
      {
        name: 'a homophone of another word is no offer: 还有什么可疑的地方',
        call: END('还有什么可疑的地方我们再核实，再见。'),
        findings: [{ message: 'closing lacks an offer of further help ("还有什么可以帮…")' }],
      },
      {
        name: 'a brush-off is no offer: 你还有事吗？没事我挂了',
        call: END('你还有事吗？没事我挂了。'),
        findings: [{ message: 'closing lacks a thanks or farewell ("感谢…"), an offer of further help ("还有什么可以帮…")' }],
      },
      {
        name: '还有 + 别的 + something not asked about: 我还有别的电话要接',
        call: END('我还有别的电话要接，先这样，再见。'),
        findings: [{ message: 'closing lacks an offer of further help ("还有什么可以帮…")' }],
      },
      {
        name: '不客气 alone is no thanks or farewell',
        call: END('请问还有其他问题吗？', '不客气。'),
        findings: [{ message: 'closing lacks a thanks or farewell ("感谢…")' }],
      },
      {
        name: 'outbound: 感谢您的接听 without asking',
        call: END('感谢您的接听，再见。'),
        findings: [{ message: 'closing lacks an offer of further help ("还有什么可以帮…")' }],
      },
    ],
  });
});

/** The run's language is Simplified Chinese. */
const ZH = { ...EMPTY_CONTEXT, say: translator('zh-CN') };
const TW = { ...EMPTY_CONTEXT, say: translator('zh-TW') };

describe('closing: findings in Chinese', () => {
  ruleTable(rule, {
    invalid: [
      {
        name: 'neither element: the seed’s names, the rubric’s first phrases as examples',
        call: call([OPENING, NEED, FIXED]),
        context: ZH,
        findings: [{ at: 41, message: '结束语缺少致谢道别（如“感谢…”）、询问其他需求（如“还有什么可以帮…”）' }],
      },
      {
        name: 'Traditional, Taiwan wording and quotation marks; the rubric’s phrase quoted as it is',
        call: call([OPENING, NEED, FIXED, '[01:21-01:25] agent: 好的，再见。']),
        context: TW,
        findings: [{ message: '結束語缺少詢問其他需求（如「还有什么可以帮…」）' }],
      },
      {
        name: 'Traditional: the agent is 客服人員',
        call: call([OPENING, '[00:06-01:00] customer: 我的宽带断了，从昨天开始就一直上不了网。']),
        context: TW,
        findings: [{ message: '通話最後 30 秒內客服人員未說話' }],
      },
      {
        name: 'a rubric’s own element names stay as written',
        call: call([OPENING, NEED, FIXED]),
        options: { elements: { 致谢: ['感谢'] } },
        context: ZH,
        findings: [{ message: '结束语缺少致谢（如“感谢…”）' }],
      },
      {
        name: 'no agent speech at the end',
        call: call([OPENING, '[00:06-01:00] customer: 我的宽带断了，从昨天开始就一直上不了网。']),
        context: ZH,
        findings: [{ message: '通话最后 30 秒内坐席未说话' }],
      },
    ],
  });
});

describe('closing: written service reads the agent’s last messages, not the last seconds', () => {
  const chat = (...lines: string[]) => call(['[00:00] customer: 我的订单还没发货', ...lines], { channel: 'chat' });
  ruleTable(rule, {
    valid: [
      {
        name: 'the customer said unasked that nothing more is needed (没有其他问题了): no offer is owed',
        call: chat('[01:00] agent: 已为您改好地址。', '[02:00] customer: 好的，没有其他问题了', '[02:20] agent: 感谢您的咨询，祝您生活愉快，再见！'),
      },
      {
        name: 'the same on a phone call (沒有別的問題了, Traditional)',
        call: call([OPENING, '[00:06-00:12] customer: 好的，沒有別的問題了，謝謝。', '[00:13-00:16] agent: 感谢您的来电，再见。']),
      },
      {
        name: 'the customer answered 4 minutes after the offer of help; the last two messages close',
        call: chat('[05:10] agent: 已为您加急。请问还有其他可以帮您的吗？', '[09:40] customer: 没有了，谢谢。', '[10:05] agent: 不客气，感谢您的咨询，再见！'),
      },
    ],
    invalid: [
      {
        name: 'the customer only thanked: the offer of further help is still owed',
        call: chat('[01:00] agent: 已为您改好地址。', '[02:00] customer: 好的，谢谢', '[02:20] agent: 不客气，感谢您的咨询，再见！'),
        findings: [{ message: 'closing lacks an offer of further help ("还有什么可以帮…")' }],
      },
      {
        name: 'the offer of help came three messages before the end',
        call: chat(
          '[01:00] agent: 还有其他可以帮您的吗？',
          '[02:00] customer: 还有一个问题，发票怎么开？',
          '[03:00] agent: 发票在订单详情里申请。',
          '[04:00] customer: 好的',
          '[05:00] agent: 感谢您的咨询，再见。',
        ),
        findings: [{ at: 180, message: 'closing lacks an offer of further help ("还有什么可以帮…")' }],
      },
    ],
  });
});
