import type { MessageKey } from '../i18n/format.js';
import type { PreparedUtterance } from '../model/call.js';
import { at, isTimed, isWritten, quote } from './helpers.js';
import { defineRule, type RuleResult } from './types.js';
import { callEnd } from './window.js';
import { answered, maxSecondsOption, timedMessages, waitText } from './written.js';

const NOT_APPLICABLE: RuleResult = { outcome: 'n/a', findings: [] };

/**
 * The customer's first message and the agent's first message after it (undefined: none yet), among the timed
 * messages; undefined when the agent wrote first or the customer never did.
 */
function firstExchange(messages: readonly PreparedUtterance[]): { asked: PreparedUtterance; reply: PreparedUtterance | undefined } | undefined {
  const first = messages[0];
  // An agent who opens the thread (a proactive chat, a post of the brand's) answers nobody's enquiry.
  if (first === undefined || first.speaker !== 'customer') return undefined;
  return { asked: first, reply: messages.find((u) => u.speaker === 'agent') };
}

export default defineRule({
  id: 'first-response',
  kind: 'seed',
  written: true,
  messages: ['first-response.slow', 'first-response.slow-joined', 'first-response.no-reply', 'first-response.no-reply-joined'],
  description:
    "The agent's first reply to an online enquiry comes within max_seconds: timed from the customer's first message, or from the moment an agent took the conversation when that was later (waiting in the queue before any agent had it is not the agent's to answer for). A thread that goes on past the bound with no agent reply fails too.",
  source:
    'seeds/000 網絡客戶服務禮儀·響應時間: 收到客戶在線咨詢后,應在1-3分鐘內給予首次回應 (default 180 s, the upper bound); 社交媒體服務禮儀·回復速度標準: 社交媒體平臺的客戶咨詢應在30分鐘內給予首次回應 (max_seconds: 1800 for social media).',
  needs: 'a written conversation (chat or social) with message times, opened by the customer',
  limits:
    "An automatic reply (a bot's 自动回复 or a greeting sent by the system) is an agent message like any other: the transcript does not tell them apart, so it counts as the first reply. A thread the agent opened (a proactive chat) has no enquiry to time: n/a. Without an agent reply, the rule fails only where the thread itself runs past the bound; an export that ends sooner may have been cut before the reply: n/a.",
  defaultDeduction: 5,
  options: {
    max_seconds: maxSecondsOption(
      "longest acceptable time to the agent's first reply, seconds (seed: 1–3 minutes online, so 180; 30 minutes on social media, so 1800)",
    ),
  },
  check(call, { max_seconds }, { say }) {
    if (!isWritten(call) || !isTimed(call)) return NOT_APPLICABLE;
    const messages = timedMessages(call);
    const exchange = firstExchange(messages);
    if (!exchange) return NOT_APPLICABLE;
    const { asked, reply } = exchange;
    const from = Math.max(asked.start ?? 0, answered(call));
    const joined = answered(call) > (asked.start ?? 0);
    const fail = (key: MessageKey, seconds: number): RuleResult => ({
      outcome: 'fail',
      findings: [{ ...at(asked), message: say(key, { wait: waitText(say, seconds), limit: waitText(say, max_seconds) }), evidence: quote(asked) }],
    });
    if (reply) {
      const wait = Math.max(0, (reply.start ?? 0) - from);
      return wait > max_seconds
        ? fail(joined ? 'first-response.slow-joined' : 'first-response.slow', wait)
        : { outcome: 'pass', findings: [], hits: [reply.start ?? 0] };
    }
    // No reply in the export: a failure only where the thread itself shows the customer waited past the bound.
    const waited = Math.max(from, callEnd(call) ?? 0) - from;
    return waited > max_seconds ? fail(joined ? 'first-response.no-reply-joined' : 'first-response.no-reply', waited) : NOT_APPLICABLE;
  },
  examples: {
    pass: [
      {
        name: 'the agent replied 50 seconds after the enquiry',
        call: { channel: 'chat' },
        turns: ['[00:00] 客户：你好，我昨天下的订单还没发货，能帮我看一下吗？', '[00:50] 坐席：您好，我是在线客服小李，请您提供一下订单号，我马上为您查询。'],
      },
    ],
    fail: [
      {
        name: 'the first reply came after 6 minutes',
        call: { channel: 'chat' },
        turns: [
          '[00:00] 客户：你好，我的退款申请提交一周了还没到账。',
          '[03:10] 客户：有人吗？',
          '[06:00] 坐席：您好，很抱歉让您久等了，请提供一下订单号，我为您查询。',
        ],
      },
    ],
  },
});
