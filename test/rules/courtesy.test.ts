import { describe } from 'vitest';
import rule from '../../src/rules/courtesy.js';
import { call, ruleTable } from '../helpers/rule-table.js';

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
