import { describe } from 'vitest';
import rule from '../../src/rules/greeting.js';
import { call, ruleTable } from '../helpers/rule-table.js';

const FULL = '您好，这里是星辰通信，我是客服王芳，很高兴为您服务。';

describe('greeting', () => {
  ruleTable(rule, {
    valid: [
      { name: 'standard opening in one utterance', call: call([`[00:01-00:07] agent: ${FULL}`]) },
      { name: 'Traditional script', call: call(['[00:00-00:06] 客服：您好，這裡是星辰通信，我是客服王芳，很高興為您服務。']) },
      { name: 'staff number instead of a name', call: call(['[00:00-00:06] 坐席：下午好，欢迎致电华信银行，工号1024为您服务']) },
      {
        name: 'elements spread over two agent utterances inside the window',
        call: call(['[00:00-00:03] agent: 您好，这里是星辰通信', '[00:03-00:05] customer: 喂？', '[00:06-00:09] agent: 我是小李，很高兴为您服务']),
      },
      { name: 'untimed: first agent utterance', call: call(['customer: 喂', `agent: ${FULL}`, 'agent: 不相关']) },
      { name: 'ASR spaces between characters', call: call(['[00:00-00:06] agent: 您 好 ， 这 里 是 星辰通信 ， 我 是 王芳 ， 很 高 兴 为 您 服 务']) },
      {
        name: 'custom elements replace the defaults',
        call: call(['[00:00-00:03] agent: Thank you for calling Anchor, this is Mia']),
        options: { elements: { thanks: ['thank you for calling'], name: ['/this is \\w+/'] } },
      },
    ],
    invalid: [
      {
        name: 'missing organisation and service phrase',
        call: call(['[00:00-00:03] agent: 您好，我是王芳', '[00:03-00:09] customer: 你好']),
        findings: [{ at: 0, message: 'greeting lacks 自报单位, 服务用语', evidence: '您好，我是王芳' }],
      },
      {
        name: 'first agent words after the window',
        call: call(['[00:00-00:11] customer: 喂喂喂？有人吗？', `[00:12-00:18] agent: ${FULL}`]),
        findings: [{ at: 12, message: 'no agent speech in the first 10 s', evidence: FULL }],
      },
      {
        name: 'window is configurable',
        call: call([`[00:06-00:12] agent: ${FULL}`]),
        options: { within_seconds: 5 },
        findings: [{ at: 6, message: 'no agent speech in the first 5 s' }],
      },
      {
        name: 'customer saying the greeting does not count',
        call: call([`[00:00-00:05] customer: ${FULL}`, '[00:05-00:08] agent: 嗯，说吧']),
        findings: [{ at: 5, message: /greeting lacks 问候语, 自报单位, 自报姓名工号, 服务用语/ }],
      },
      {
        name: 'untimed: only the first agent utterance counts',
        call: call(['agent: 喂', `agent: ${FULL}`]),
        findings: [{ message: /greeting lacks/, evidence: '喂' }],
      },
      {
        name: 'no agent speech at all',
        call: call(['[00:00-00:05] customer: 喂？']),
        findings: [{ at: 0, message: 'no agent speech in the first 10 s', evidence: '' }],
      },
    ],
  });
});

describe('greeting: the window opens when the agent takes the contact', () => {
  ruleTable(rule, {
    valid: [
      {
        name: 'a chat greeting 5 s after the agent joined, 15 s after the customer did',
        call: { ...call(['[00:02] customer: 有人吗', `[00:15] agent: ${FULL}`]), answeredAt: 10 },
      },
    ],
    invalid: [
      {
        name: 'a chat greeting 12 s after the agent joined',
        call: { ...call(['[00:02] customer: 有人吗', `[00:22] agent: ${FULL}`]), answeredAt: 10 },
        findings: [{ at: 22, message: 'no agent speech in the first 10 s after the agent joined' }],
      },
    ],
  });
});
