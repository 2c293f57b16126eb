import { z } from 'zod';
import type { PreparedUtterance } from '../model/call.js';
import { digitsOf, findPersonalNumbers, maskNumbers, PERSONAL_NUMBER_KINDS, PERSONAL_NUMBER_LABELS } from '../privacy/numbers.js';
import { agentUtterances, at, FindingList, quote } from './helpers.js';
import { defineRule } from './types.js';

/** The stretch of normalised text that a span of the original covers (for quoting around it). */
function normSpan(u: PreparedUtterance, start: number, end: number): { start: number; end: number } {
  const map = u.norm.toOriginal;
  let from = 0;
  while (from < map.length && (map[from] as number) < start) from++;
  let to = from;
  while (to < map.length && (map[to] as number) < end) to++;
  return { start: from, end: to };
}

export default defineRule({
  id: 'privacy',
  kind: 'seed',
  description:
    'The agent never reads out a full resident ID number, bank card number or mobile number (in digits or Chinese numerals, whole or in groups): one finding per number. Customer speech never counts. Evidence has the number masked.',
  source:
    'seeds/000 有效的客户信息管理·保密原则: 客户信息是企业重要的信任资产,必须严格保护…客户敏感信息如身份证号、银行账户等应采用加密存储,访问权限严格控制; 隐私保护: 需要核实身份时使用安全的验证方式。seeds/002 信息保密规范: 严格区分客户个人信息、交易记录等敏感数据的访问权限。',
  needs: 'agent speech',
  defaultDeduction: 10,
  options: {
    kinds: z
      .array(z.enum(PERSONAL_NUMBER_KINDS))
      .min(1)
      .default([...PERSONAL_NUMBER_KINDS])
      .describe(
        'which numbers the agent must not read out in full: id_card (18-character resident ID), bank_card (16–19 digits, Luhn), mobile (11 digits, 1[3-9]…)',
      ),
    allow_numbers: z
      .array(z.string().regex(/[0-9０-９]/, 'expected a number'))
      .default([])
      .describe('numbers the agent may read out (a published service mobile, say), compared digit by digit whatever the spacing')
      .transform((list) => new Set(list.map(digitsOf))),
  },
  check(call, { kinds, allow_numbers }) {
    const agent = agentUtterances(call);
    if (agent.length === 0) return { outcome: 'n/a', findings: [] };
    const findings = new FindingList();
    for (const u of agent) {
      const numbers = findPersonalNumbers(u.text);
      if (numbers.length === 0) continue;
      // Every number recognised is masked in the evidence, whether or not this rubric checks its kind.
      const masked = { ...u, text: maskNumbers(u.text, numbers) };
      for (const n of numbers) {
        if (!kinds.includes(n.kind) || allow_numbers.has(n.digits)) continue;
        findings.add(() => ({
          ...at(u),
          message: `agent read out a full ${PERSONAL_NUMBER_LABELS[n.kind]}`,
          evidence: quote(masked, normSpan(u, n.start, n.end)),
        }));
      }
    }
    return findings.result();
  },
  examples: {
    pass: [
      {
        name: 'the agent confirms with the last four digits only',
        turns: ['[00:00-00:05] 客户：我的卡号是6222021234567890123。', '[00:05-00:10] 坐席：好的，尾号0123的卡，我为您查询。'],
      },
      {
        name: 'an order number and an amount are not personal numbers',
        turns: ['[00:00-00:06] 坐席：您的订单号是202603011234，退款金额13800.00元。', '[00:06-00:08] 客户：好的。'],
      },
    ],
    fail: [
      {
        name: 'the agent reads back the full mobile number',
        turns: ['[00:00-00:04] 客户：我手机号换了。', '[00:04-00:09] 坐席：您的新号码是138 1234 5678，对吗？'],
      },
      {
        name: 'the agent reads out an ID number in Chinese numerals',
        turns: ['坐席：您的身份证号是幺幺零幺零五幺九四九幺二三幺零零二叉，对吧？', '客户：对。'],
      },
    ],
  },
});
