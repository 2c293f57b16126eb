import { describe } from 'vitest';
import rule from '../../src/rules/courtesy.js';
import { call, ruleTable } from '../helpers/rule-table.js';
import { translator } from '../../src/i18n/format.js';
import { EMPTY_CONTEXT } from '../../src/rules/types.js';

describe('courtesy', () => {
  ruleTable(rule, {
    valid: [
      {
        name: 'a request and a thanks',
        call: call(['agent: 您好，星辰通信。', 'customer: 宽带断了。', 'agent: 请您提供一下账号。', 'customer: 123456。', 'agent: 已经报修，感谢您的来电。']),
      },
      {
        name: 'Traditional script',
        call: call(['客服：您好。', '客户：寬頻斷了。', '客服：請稍等，我幫您查一下。', '客户：好。', '客服：對不起，讓您久等了。']),
      },
      {
        name: 'ASR spaces between characters',
        call: call(['agent: 您好', 'customer: 宽带断了', 'agent: 不 好 意 思 ， 请 稍 等', 'customer: 好', 'agent: 修好了']),
      },
      {
        name: 'the same word twice counts twice',
        call: call(['agent: 您好', 'customer: 好了', 'agent: 谢谢，谢谢。', 'customer: 嗯', 'agent: 再见']),
      },
      {
        name: 'requests and thanks as forms: 劳烦, 辛苦您了',
        call: call(['agent: 您好，星辰燃气。', 'customer: 表读数不对。', 'agent: 劳烦您拍一下表盘。', 'customer: 发了。', 'agent: 收到了，辛苦您了。']),
      },
      {
        name: 'the reply to thanks 不用谢, and 请 before a verb',
        call: call(['agent: 您好。', 'customer: 收到了，谢谢。', 'agent: 不用谢。', 'customer: 柜子在哪？', 'agent: 请到东门取件。']),
      },
      {
        name: 'an apology 给您添麻烦了, and 请耐心',
        call: call(['agent: 您好，星辰电力。', 'customer: 停电一上午了。', 'agent: 给您添麻烦了。', 'customer: 还要多久？', 'agent: 请耐心等待。']),
      },
      {
        name: '打扰了 on an outbound call, and 请问 in the opening',
        call: call(['agent: 您好，请问是陈先生吗？', 'customer: 是我。', 'agent: 打扰了，我是回访专员。', 'customer: 说吧。', 'agent: 好的。']),
      },
      {
        name: '麻烦 opening a clause asks politely (麻烦报一下), as 麻烦您 does',
        call: call(['agent: 您好。', 'customer: 查个件。', 'agent: 麻烦报一下手机号。', 'customer: 5678。', 'agent: 好的，麻烦您稍等。']),
      },
      {
        name: '烦请 and 让您久等了',
        call: call(['agent: 您好。', 'customer: 转账没到。', 'agent: 烦请您核对一下账号。', 'customer: 没错。', 'agent: 让您久等了，已经到账。']),
      },
      {
        name: '请 opening a clause after 好的 in unpunctuated ASR text, and 您请讲',
        call: call(['agent: 您好', 'customer: 我问个事', 'agent: 您请讲', 'customer: 柜子在哪', 'agent: 好的请到东门取件']),
      },
      {
        name: 'min_count is configurable',
        call: call(['agent: 您好', 'customer: 宽带断了', 'agent: 请稍等。', 'customer: 嗯', 'agent: 修好了']),
        options: { min_count: 1 },
      },
      {
        name: 'extra phrases extend the list',
        call: call(['agent: 您好', 'customer: 宽带断了', 'agent: 劳烦您稍候，十分感激。', 'customer: 嗯', 'agent: 修好了']),
        options: { extra_phrases: ['劳烦您', '感激'] },
      },
    ],
    invalid: [
      {
        name: 'one polite word',
        call: call([
          '[00:00-00:03] agent: 您好，星辰通信。',
          '[00:04-00:06] customer: 宽带断了。',
          '[00:07-00:09] agent: 账号多少？',
          '[00:10-00:12] customer: 123456。',
          '[00:13-00:16] agent: 报修了，感谢来电。',
        ]),
        findings: [
          {
            at: 13,
            message: 'the agent used 1 polite word ("感谢"); the standard asks for at least 2 (请, 谢谢, 不客气, 对不起…)',
            evidence: '报修了，感谢来电。',
          },
        ],
      },
      {
        name: 'no polite words: the longest agent turn is quoted',
        call: call([
          '[00:00-00:02] agent: 您好。',
          '[00:03-00:05] customer: 宽带断了。',
          '[00:06-00:10] agent: 账号多少？报一下。',
          '[00:11-00:13] customer: 123456。',
          '[00:14-00:16] agent: 等着吧。',
        ]),
        findings: [
          { at: 6, message: 'the agent used no polite words (请, 谢谢, 不客气, 对不起…); the standard asks for at least 2', evidence: '账号多少？报一下。' },
        ],
      },
      {
        name: '您 alone is not a polite word',
        call: call(['agent: 您好，为您服务。', 'customer: 宽带断了。', 'agent: 您的账号是多少？', 'customer: 123456。', 'agent: 您等着吧。']),
        findings: [{ message: /^the agent used no polite words/ }],
      },
      {
        name: '申请 and 邀请 hold 请 but are not polite requests',
        call: call(['agent: 您好。', 'customer: 我想退款。', 'agent: 已经给您申请了退款。', 'customer: 好。', 'agent: 还会邀请您参加回访，谢谢。']),
        findings: [
          {
            message: 'the agent used 1 polite word ("谢谢"); the standard asks for at least 2 (请, 谢谢, 不客气, 对不起…)',
            evidence: '还会邀请您参加回访，谢谢。',
          },
        ],
      },
      {
        name: '请示 and 请求 hold 请 but ask nothing politely',
        call: call(['agent: 您好。', 'customer: 能免月租吗？', 'agent: 我得请示一下领导。', 'customer: 快点。', 'agent: 您的请求已经提交了。']),
        findings: [{ message: /^the agent used no polite words/ }],
      },
      {
        name: 'bare 麻烦 and 辛苦 describe, they neither ask nor thank',
        call: call(['agent: 您好。', 'customer: 我要过户。', 'agent: 过户比较麻烦。', 'customer: 快递员把件扔门口了。', 'agent: 快递员也很辛苦。']),
        findings: [{ message: /^the agent used no polite words/ }],
      },
      {
        name: '麻烦 describing (麻烦的是, 挺麻烦) is no request',
        call: call(['agent: 您好。', 'customer: 号怎么停了？', 'agent: 麻烦的是系统在升级。', 'customer: 那咋整？', 'agent: 这个挺麻烦，您等着吧。']),
        findings: [{ message: /^the agent used no polite words/ }],
      },
      {
        name: '请 after a subject invites someone else (我请同事, 会请师傅)',
        call: call(['agent: 您好。', 'customer: 网老掉。', 'agent: 我请同事帮您看一下。', 'customer: 咋样？', 'agent: 我们会请师傅上门。']),
        findings: [{ message: /^the agent used no polite words/ }],
      },
      {
        name: 'Traditional script: 申請 and 邀請 are no polite words',
        call: call(['客服：您好，星辰電信。', '客戶：我要辦寬頻。', '客服：您先在網上申請。', '客戶：然後呢？', '客服：之後會邀請您到門市簽約。']),
        findings: [{ message: /^the agent used no polite words/ }],
      },
      {
        name: 'the customer’s polite words do not count',
        call: call(['agent: 您好。', 'customer: 请问宽带怎么报修？谢谢。', 'agent: 打这个电话。', 'customer: 好的，谢谢。', 'agent: 嗯。']),
        findings: [{ message: /^the agent used no polite words/, evidence: '打这个电话。' }],
      },
      {
        name: 'a custom list replaces the default',
        call: call(['agent: 您好。', 'customer: 在吗', 'agent: 请稍等，谢谢。', 'customer: 嗯', 'agent: 修好了']),
        options: { phrases: ['/麻烦(您|你)/'] },
        findings: [{ message: /^the agent used no polite words/ }],
      },
      {
        name: 'every found word is quoted',
        call: call(['agent: 您好。', 'customer: 在吗', 'agent: 请稍等。', 'customer: 好', 'agent: 谢谢。']),
        options: { min_count: 3 },
        findings: [
          {
            message: 'the agent used 2 polite words ("请稍等", "谢谢"); the standard asks for at least 3 (请, 谢谢, 不客气, 对不起…)',
            evidence: '请稍等。 / 谢谢。',
          },
        ],
      },
    ],
    notApplicable: [
      { name: 'no agent speech', call: call(['customer: 喂？请问有人吗？']) },
      { name: 'a call too short to judge (two agent turns)', call: call(['agent: 您好。', 'customer: 打错了。', 'agent: 好的。']) },
      {
        name: 'min_agent_turns is configurable',
        call: call(['agent: 您好。', 'customer: 在吗', 'agent: 在。', 'customer: 好', 'agent: 嗯。']),
        options: { min_agent_turns: 4 },
      },
    ],
  });
});

/** The run's language is Simplified Chinese. */
const ZH = { ...EMPTY_CONTEXT, say: translator('zh-CN') };

describe('courtesy: findings in Chinese', () => {
  const curt = [
    '[00:00-00:03] agent: 您好，星辰通信。',
    '[00:04-00:06] customer: 宽带断了。',
    '[00:07-00:09] agent: 账号多少？',
    '[00:10-00:12] customer: 123456。',
  ];
  ruleTable(rule, {
    invalid: [
      {
        name: 'no polite word',
        call: call([...curt, '[00:13-00:16] agent: 报修了，等着吧。']),
        context: ZH,
        findings: [{ message: '坐席未使用礼貌用语（请、谢谢、不客气、对不起…）；标准要求至少使用 2 次' }],
      },
      {
        name: 'one polite word, quoted the Chinese way',
        call: call([...curt, '[00:13-00:16] agent: 报修了，感谢来电。']),
        context: ZH,
        findings: [{ message: '坐席仅使用礼貌用语 1 次（“感谢”）；标准要求至少使用 2 次（请、谢谢、不客气、对不起…）' }],
      },
      {
        name: 'two polite words of three, listed with 、',
        call: call([...curt, '[00:13-00:16] agent: 请稍等。', '[00:17-00:20] agent: 报修了，谢谢。']),
        options: { min_count: 3 },
        context: ZH,
        findings: [{ message: '坐席仅使用礼貌用语 2 次（“请稍等”、“谢谢”）；标准要求至少使用 3 次（请、谢谢、不客气、对不起…）' }],
      },
    ],
  });
});
