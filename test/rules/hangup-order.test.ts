import { describe } from 'vitest';
import rule from '../../src/rules/hangup-order.js';
import { call, ruleTable } from '../helpers/rule-table.js';

describe('hangup-order', () => {
  ruleTable(rule, {
    valid: [
      { name: 'customer hangs up first', call: call(['agent: 再见'], { hangupBy: 'customer' }) },
      {
        name: 'customer hangs up on a transfer being announced',
        call: call(['customer: 我要办携号转网。', 'agent: 正在为您转接。'], { hangupBy: 'customer' }),
      },
    ],
    invalid: [
      {
        name: 'agent hangs up first',
        call: call(['[00:00-00:03] agent: 您好', '[00:03-00:05] customer: 好', '[00:05-00:07] agent: 再见'], { hangupBy: 'agent' }),
        findings: [{ at: 5, message: /agent hung up/, evidence: '再见' }],
      },
      {
        name: 'the customer said goodbye first: the agent must still wait',
        call: call(['agent: 已经激活了。', 'customer: 好，再见。', 'agent: 再见。'], { hangupBy: 'agent' }),
        findings: [{ message: 'the agent hung up before the customer', evidence: '再见。' }],
      },
      {
        name: 'a transfer refused is no transfer',
        call: call(['customer: 给我转你们领导。', 'agent: 这个无法转接，就这样吧。'], { hangupBy: 'agent' }),
        findings: [{ message: 'the agent hung up before the customer', evidence: '这个无法转接，就这样吧。' }],
      },
      {
        name: 'a transfer mentioned earlier does not excuse the last hang-up',
        call: call(['agent: 我帮您转接过了。', 'customer: 他们也没解决。', 'agent: 那我也没办法，再见。'], { hangupBy: 'agent' }),
        findings: [{ evidence: '那我也没办法，再见。' }],
      },
      {
        name: 'no customer speech but no sign of a silent line (a lost customer channel): judged as recorded',
        call: call(['agent: 您好，星辰通信。', 'agent: 好的，再见。'], { hangupBy: 'agent' }),
        findings: [{ evidence: '好的，再见。' }],
      },
      {
        name: 'the customer spoke, then went quiet: the agent still waits',
        call: call(['customer: 我的宽带……', 'agent: 您好？听不到您的声音，我先挂了。'], { hangupBy: 'agent' }),
        findings: [{ evidence: '您好？听不到您的声音，我先挂了。' }],
      },
      {
        name: 'the transfer 转到 of money is not a call transfer',
        call: call(['customer: 退款呢？', 'agent: 已经转到您的账户了，再见。'], { hangupBy: 'agent' }),
        findings: [{ evidence: '已经转到您的账户了，再见。' }],
      },
    ],
    notApplicable: [
      { name: 'unknown', call: call(['agent: 再见'], { hangupBy: 'unknown' }) },
      {
        name: 'the agent transfers the call (its leg ends, nobody hung up on the customer)',
        call: call(['customer: 我要问房贷。', 'agent: 好的，正在为您转接房贷专员，请稍候。'], { hangupBy: 'agent' }),
      },
      { name: 'a transfer in Traditional script', call: call(['客戶：我要問房貸。', '客服：好的，現在幫您轉接，請稍候。'], { hangupBy: 'agent' }) },
      { name: 'a transfer worded 帮您转到', call: call(['customer: 网络的问题找谁？', 'agent: 我帮您转到技术部门。'], { hangupBy: 'agent' }) },
      {
        name: 'a silent line: the customer never spoke',
        call: call(['agent: 您好，请问有什么可以帮您？', 'agent: 由于听不到您的声音，我先挂断了。'], { hangupBy: 'agent' }),
      },
      { name: 'a silent line in Traditional script', call: call(['客服：您好，請問聽得到嗎？', '客服：您好？'], { hangupBy: 'agent' }) },
    ],
  });
});
