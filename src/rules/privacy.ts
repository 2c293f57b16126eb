import { z } from 'zod';
import type { PhraseMatcher } from '../match/phrases.js';
import type { PreparedUtterance } from '../model/call.js';
import { normaliseText } from '../normalise/text.js';
import {
  digitsOf,
  findDigitRuns,
  findPersonalNumbers,
  maskNumbers,
  mayHoldNumber,
  PERSONAL_NUMBER_KINDS,
  type PersonalNumber,
  type PersonalNumberKind,
  shapedLikeResidentId,
} from '../privacy/numbers.js';
import { agentUtterances, at, FindingList, quote } from './helpers.js';
import { phraseList } from './phrase-options.js';
import { defineRule } from './types.js';
import type { MessageKey } from '../i18n/format.js';

/** What the agent read out, by kind: one sentence each. */
const READ_OUT: Record<PersonalNumberKind, MessageKey> = { id_card: 'privacy.id-card', bank_card: 'privacy.bank-card', mobile: 'privacy.mobile' };

/** The stretch of normalised text that a span of the original covers (for quoting around it). */
export function normSpan(u: PreparedUtterance, start: number, end: number): { start: number; end: number } {
  const map = u.norm.toOriginal;
  let from = 0;
  while (from < map.length && (map[from] as number) < start) from++;
  let to = from;
  while (to < map.length && (map[to] as number) < end) to++;
  return { start: from, end: to };
}

/** What an order, tracking or ticket number is called: a number right after one of these is no personal number. */
export const DEFAULT_NOT_PERSONAL_CUES: readonly string[] = [
  '订单号',
  '订单编号',
  '订单号码',
  '运单号',
  '快递单号',
  '物流单号',
  '单号',
  '工单号',
  '工单编号',
  '流水号',
  '交易号',
  '合同号',
  '受理号',
  '业务编号',
  '编号',
  '取件码',
  '验证码',
];

/** What the agent calls an ID number or a bank card: a number right after one of these is that number, checksum or not. */
export const DEFAULT_ID_CUES: readonly string[] = ['身份证', '证件号', '证件号码'];
export const DEFAULT_CARD_CUES: readonly string[] = ['卡号', '银行卡', '借记卡', '储蓄卡', '信用卡', '银行账号', '银行账户'];

/** How far before a number (characters of the original text) its name is looked for: "您的身份证号码是" fits. */
const CUE_WINDOW = 10;

/** The cue list whose last occurrence in the text before a number ends nearest to it (undefined: none). */
export function nearestCue(u: PreparedUtterance, start: number, lists: readonly [string, PhraseMatcher][]): string | undefined {
  const before = normaliseText(u.text.slice(Math.max(0, start - CUE_WINDOW), start)).text;
  let best: string | undefined;
  let bestEnd = -1;
  for (const [name, matcher] of lists) {
    for (const occ of matcher.find(before)) {
      if (occ.end > bestEnd) {
        bestEnd = occ.end;
        best = name;
      }
    }
  }
  return best;
}

export default defineRule({
  id: 'privacy',
  messages: Object.values(READ_OUT),
  kind: 'seed',
  description:
    'The agent never reads out a full resident ID number or bank card number (in digits or Chinese numerals, whole or in groups): one finding per number; a number the agent names (身份证号…, 卡号…) counts even when a digit was misheard, one it calls an order or tracking number (订单号…) never does. A mobile number read back to confirm it is not judged by default (kinds), and is masked in every report like the others. Under critical: true, only findings of critical_kinds zero the call. Customer speech never counts.',
  source:
    'seeds/000 有效的客户信息管理·保密原则: 客户信息是企业重要的信任资产,必须严格保护…客户敏感信息如身份证号、银行账户等应采用加密存储,访问权限严格控制; 隐私保护: 需要核实身份时使用安全的验证方式。seeds/002 信息保密规范: 严格区分客户个人信息、交易记录等敏感数据的访问权限。The seeds name ID numbers and bank accounts; leaving a mobile read-back unjudged is policy.',
  needs: 'agent speech',
  limits:
    "Finds checksum-valid ID (mainland, Taiwan) and bank card numbers said in one utterance; misses numbers split across turns or mixed scripts, passports, Hong Kong and 15-digit IDs, and cannot tell a third party's number given to the caller from a read-back; mobile numbers are masked but not judged by default.",
  defaultDeduction: 10,
  options: {
    kinds: z
      .array(z.enum(PERSONAL_NUMBER_KINDS))
      .min(1)
      .default(['id_card', 'bank_card'])
      .describe(
        'which numbers the agent must not read out in full: id_card (18-character resident ID, or a Taiwan ID such as A123456789), bank_card (16–19 digits, Luhn), mobile (11 digits, 1[3-9]…; not by default: reading a contact number back to confirm it is common practice, and the seeds name only ID numbers and bank accounts)',
      ),
    critical_kinds: z
      .array(z.enum(PERSONAL_NUMBER_KINDS))
      .default(['id_card', 'bank_card'])
      .describe('under critical: true, the kinds whose finding zeroes the call (一票否决); findings of other kinds deduct as usual'),
    allow_numbers: z
      .array(z.string().regex(/[0-9０-９]/, 'expected a number'))
      .default([])
      .describe('numbers the agent may read out (a published service mobile, say), compared digit by digit whatever the spacing')
      .transform((list) => new Set(list.map(digitsOf))),
    not_personal_cues: phraseList(
      DEFAULT_NOT_PERSONAL_CUES,
      'names of numbers that are not personal (order, tracking, ticket numbers): a number right after one is never a finding, whatever its checksum',
    ),
    id_cues: phraseList(
      DEFAULT_ID_CUES,
      'names of a resident ID: an 18-character number with an ID’s region and birth date right after one counts even when its check character fails (a misheard digit)',
    ),
    card_cues: phraseList(DEFAULT_CARD_CUES, 'names of a bank card: a number of 16–19 digits right after one counts even when it fails the Luhn check'),
  },
  check(call, { kinds, critical_kinds, allow_numbers, not_personal_cues, id_cues, card_cues }, { say }) {
    const agent = agentUtterances(call);
    if (agent.length === 0) return { outcome: 'n/a', findings: [] };
    const findings = new FindingList();
    let critical = false;
    const cues: [string, PhraseMatcher][] = [
      ['other', not_personal_cues],
      ['id_card', id_cues],
      ['bank_card', card_cues],
    ];
    for (const u of agent) {
      // Most turns hold no number: one look at their characters (privacy/numbers.ts), not the three readers' passes.
      if (!mayHoldNumber(u.text)) continue;
      const numbers: PersonalNumber[] = findPersonalNumbers(u.text);
      // Numbers no checksum proves but the agent names: 身份证号…(one digit misheard), 卡号…(Luhn fails).
      for (const run of findDigitRuns(u.text, 16)) {
        if (numbers.some((n) => n.start < run.end && run.start < n.end)) continue;
        const cue = nearestCue(u, run.start, cues);
        const kind: PersonalNumberKind | undefined =
          cue === 'id_card' && run.digits.length === 18 && shapedLikeResidentId(run.digits)
            ? 'id_card'
            : cue === 'bank_card' && /^\d{16,19}$/.test(run.digits) && !shapedLikeResidentId(run.digits)
              ? 'bank_card'
              : undefined;
        if (kind) numbers.push({ kind, start: run.start, end: run.end, digits: run.digits });
      }
      if (numbers.length === 0) continue;
      numbers.sort((a, b) => a.start - b.start);
      // Every number recognised is masked in the evidence, whether or not this rubric checks its kind.
      const masked = { ...u, text: maskNumbers(u.text, numbers) };
      for (const n of numbers) {
        if (!kinds.includes(n.kind) || allow_numbers.has(n.digits)) continue;
        if (nearestCue(u, n.start, cues) === 'other') continue;
        if (critical_kinds.includes(n.kind)) critical = true;
        const ofCriticalKind = critical_kinds.includes(n.kind);
        findings.add(() => ({
          ...at(u),
          message: say(READ_OUT[n.kind]),
          evidence: quote(masked, normSpan(u, n.start, n.end)),
          // Each finding says whether it is of a kind that zeroes the call: an analyst may overturn one and not the other.
          ...(ofCriticalKind ? {} : { critical: false as const }),
        }));
      }
    }
    const result = findings.result();
    return result.outcome === 'fail' ? { ...result, critical } : result;
  },
  examples: {
    pass: [
      {
        name: 'the agent confirms with the last four digits only',
        turns: ['[00:00-00:05] 客户：我的卡号是6222021234567890128。', '[00:05-00:10] 坐席：好的，尾号0128的卡，我为您查询。'],
      },
      {
        name: 'a mobile number read back to confirm it (not judged by default; masked in reports)',
        turns: ['[00:00-00:04] 客户：我手机号换了，新号码是13812345678。', '[00:04-00:09] 坐席：您的新号码是138 1234 5678，对吗？'],
      },
      {
        name: 'an order number is not a personal number, whatever its checksum',
        turns: ['[00:00-00:06] 坐席：您的订单号是6120458873122905414，退款金额13800.00元。', '[00:06-00:08] 客户：好的。'],
      },
    ],
    fail: [
      {
        name: 'the agent reads back the full bank card number',
        turns: ['[00:00-00:04] 客户：我的卡被吞了。', '[00:04-00:09] 坐席：跟您核对一下卡号 6222 0212 3456 7890 128，对吗？'],
      },
      {
        name: 'the agent reads out an ID number in Chinese numerals',
        turns: ['坐席：您的身份证号是幺幺零幺零五幺九四九幺二三幺零零二叉，对吧？', '客户：对。'],
      },
    ],
  },
});
