import type { MessageKey } from '../i18n/format.js';
import type { PhraseMatcher } from '../match/phrases.js';
import type { PreparedCall, PreparedUtterance } from '../model/call.js';
import { at, FindingList, isTimed, isWritten, quote } from './helpers.js';
import { phraseList } from './phrase-options.js';
import { defineRule } from './types.js';
import { type Acknowledgements, acknowledgementList, answered, isAcknowledgement, isOwnNextStep, maxSecondsOption, waitText } from './written.js';

/**
 * Customer messages that ask nothing, whole (after punctuation, particles and emoji): thanks, an OK, a goodbye,
 * 没有了 to 还有什么可以帮您. Leaving one unanswered keeps no one waiting.
 */
export const DEFAULT_ACKNOWLEDGEMENTS = [
  '好的',
  '好',
  '好吧',
  '嗯',
  '嗯嗯',
  '哦',
  '哦哦',
  '噢',
  '谢谢',
  '谢谢你',
  '谢谢您',
  '多谢',
  '感谢',
  // 谢 and 辛苦 alone take a particle as people write them: 谢啦, 谢了, 辛苦啦, 辛苦辛苦.
  '谢',
  '辛苦',
  '辛苦了',
  '辛苦你了',
  '辛苦您了',
  '麻烦了',
  '麻烦你了',
  '收到',
  '知道了',
  '懂了',
  '晓得了',
  '明白了',
  '明白',
  '了解',
  '了解了',
  '行',
  '没有了',
  '没了',
  '没事了',
  '没别的了',
  '不用了',
  '再见',
  '拜拜',
  'ok',
  'okay',
  '👍',
  '👌',
  '🙏',
];

/**
 * What an agent writes to put the customer on hold while it looks something up: the customer now waits for the
 * result. From a customer (稍等，我找一下订单号) they put the agent on hold instead: no wait starts.
 */
export const DEFAULT_HOLD_PHRASES = [
  '请稍等',
  '稍等',
  '请您稍等',
  '稍候',
  '请稍候',
  '正在为您查询',
  '正在为您处理',
  '正在为您核实',
  '正在为您跟进',
  '我查一下',
  '帮您查一下',
  '为您查询',
  '核实一下',
  '马上为您',
  '我看一下',
  '帮您看一下',
  // The customer's own hold (等一下我找找单号) puts the agent on hold: from a customer message, no wait starts.
  '等一下',
  '等我一下',
  '我找找',
  '我找一下',
  '我翻一下',
  // Asking someone else (a warehouse, a station, a colleague) sends the customer waiting as a lookup does.
  '帮您问一下',
  '帮您问问',
  '去问一下',
  '去问问',
  '问一下同事',
  '问问同事',
  '帮您联系',
  '为您联系',
  '帮您确认',
  '为您确认',
  '帮您咨询',
  '为您咨询',
];

/**
 * What makes a message that reads like a hold a report instead: the matter goes on after the conversation (您的退款正在为您
 *处理，预计3个工作日到账; 结果出来后我们会短信通知您). The customer waits for no message then: the seed's 告知客戶預計處理時間.
 */
export const DEFAULT_LATER_CUES = [
  '预计',
  '工作日',
  '小时内',
  '天内',
  '个小时',
  '明天',
  '后天',
  '稍后联系',
  '稍后回复您',
  '稍后给您回复',
  '回电',
  '致电您',
  '短信通知',
  '短信告知',
  '电话联系',
  '专人联系',
  '联系您',
  '通知您',
  '结果出来',
  '有结果',
];

/**
 * What makes a hold-like message a request to the customer (请在私信中提供保单号，专人马上为您跟进): the agent now waits
 * for the customer, whose reply starts the customer's wait.
 */
export const DEFAULT_REQUEST_CUES = [
  '请提供',
  '请您提供',
  '麻烦提供',
  '麻烦您提供',
  '提供一下',
  '请发',
  '请您发',
  '发一下',
  '发送一下',
  '请告诉',
  '告诉我',
  '请回复',
  '请私信',
  '私信我们',
  '请在私信',
  '请上传',
  '上传一下',
  '请填写',
  '请您确认',
];

/** What reads an agent message as a hold: its phrases, less a later time (a report) or a request (the agent waits). */
interface WaitCues {
  holds: PhraseMatcher;
  later: PhraseMatcher;
  requests: PhraseMatcher;
}

/** A wait the customer is in: since `from` (seconds), started by `by`. */
interface Wait {
  by: PreparedUtterance;
  from: number;
  key: MessageKey;
  /** Opened before any agent message: the first reply's wait, first-response's to judge. */
  first: boolean;
}

/**
 * Every wait of the customer that an agent message closed, in order: a customer message that asks something
 * (customer messages in a row: from the first), or an agent's hold, up to the agent's next message. A wait still
 * open when the thread ends is left out: the export may stop there.
 */
function closedWaits(call: PreparedCall, cues: WaitCues, ack: Acknowledgements): Array<Wait & { seconds: number }> {
  const { holds, later, requests } = cues;
  const out: Array<Wait & { seconds: number }> = [];
  const joined = answered(call);
  let open: Wait | undefined;
  let agentWrote = false;
  for (const u of call.utterances) {
    if (u.speaker === 'customer') {
      if (open || u.start === undefined || isAcknowledgement(u, ack) || isOwnNextStep(u, ack) || holds.test(u.norm.text)) continue;
      open = { by: u, from: Math.max(u.start, joined), key: 'response-gaps.after-customer', first: !agentWrote };
      continue;
    }
    agentWrote = true;
    // Any agent message answers: a progress update (正在为您跟进) is a reply; an untimed one ends the wait unmeasured.
    if (open && u.start !== undefined) out.push({ ...open, seconds: Math.max(0, u.start - open.from) });
    const hold = u.start !== undefined && holds.test(u.norm.text) && !later.test(u.norm.text) && !requests.test(u.norm.text);
    open = hold ? { by: u, from: u.start as number, key: 'response-gaps.after-hold', first: false } : undefined;
  }
  return out;
}

export default defineRule({
  id: 'response-gaps',
  kind: 'seed',
  written: true,
  messages: ['response-gaps.after-customer', 'response-gaps.after-hold'],
  description:
    'After the first reply, the customer never waits for the agent longer than max_seconds: a wait starts at a customer message that asks something (not a bare 好的 / 谢谢) or at an agent message putting the customer on hold (请稍等, 正在为您查询), and ends at the next agent message, a progress update included. One finding per wait that ran too long.',
  source:
    'seeds/000 網絡客戶服務禮儀·響應時間: 即使無法立即解決問題,也應告知客戶正在處理。長時間處理時應定期更新進度; 社交媒體服務禮儀: 如遇復雜問題無法快速解決,應告知客戶預計處理時間,并在承諾時間內主動跟進. The seed gives no interval for updates: the 180 s default is policy, the first-reply bound (1-3分鐘) applied to every wait.',
  needs: 'a written conversation (chat or social) with message times and at least one agent message',
  limits:
    "The 180 s bound is policy (the seed sets none for updates). A status report worded like a hold starts a wait as a hold does unless it names a later time or channel (later_cues: 预计3个工作日, 短信通知您). The wait for the agent's first reply is first-response's, not judged here; a wait still open when the thread ends is not judged (the export may stop before the reply); while the agent waits for the customer (after a question of its own, a request for information even worded with a hold — request_cues: 请提供保单号，马上为您跟进 — or the customer's 稍等), nothing is judged. Whether a customer message asks something is read from acknowledgements (whole messages), or an acknowledgement followed by the customer's own next step asking nothing (行吧，那我等短信); an automatic agent message counts as a reply.",
  defaultDeduction: 5,
  defaultMaxDeduction: 15,
  options: {
    max_seconds: maxSecondsOption(
      'longest acceptable wait for the agent after its first reply, seconds (policy: the first-reply bound of 1–3 minutes, 180, applied to every wait)',
    ),
    acknowledgements: acknowledgementList(
      DEFAULT_ACKNOWLEDGEMENTS,
      'customer messages that ask nothing when they are the whole message (particles, punctuation and emoji aside): no wait starts at them',
    ),
    hold_phrases: phraseList(
      DEFAULT_HOLD_PHRASES,
      'agent phrases that put the customer on hold (请稍等, 正在为您查询): a wait starts at the message, until the agent writes again',
    ),
    request_cues: phraseList(
      DEFAULT_REQUEST_CUES,
      'words that make a hold-like message a request to the customer (请提供保单号，马上为您跟进): the agent waits for the reply, whose own wait starts then',
    ),
    later_cues: phraseList(
      DEFAULT_LATER_CUES,
      'words that make a hold-like message a report of work that goes on after the conversation (预计3个工作日, 短信通知您): no wait starts at it',
    ),
  },
  check(call, { max_seconds, acknowledgements, hold_phrases, later_cues, request_cues }, { say }) {
    if (!isWritten(call) || !isTimed(call)) return { outcome: 'n/a', findings: [] };
    // No agent message at all is first-response's failure; no customer message leaves no one waiting.
    const speakers = new Set(call.utterances.map((u) => u.speaker));
    if (!speakers.has('agent') || !speakers.has('customer')) return { outcome: 'n/a', findings: [] };
    const list = new FindingList();
    for (const wait of closedWaits(call, { holds: hold_phrases, later: later_cues, requests: request_cues }, acknowledgements)) {
      if (wait.first || wait.seconds <= max_seconds) continue;
      list.add(() => ({
        ...at(wait.by),
        message: say(wait.key, { wait: waitText(say, wait.seconds), limit: waitText(say, max_seconds) }),
        evidence: quote(wait.by),
      }));
    }
    return list.result();
  },
  examples: {
    pass: [
      {
        name: 'a 10-minute lookup with a progress update every 2 minutes',
        call: { channel: 'chat' },
        turns: [
          '[00:00] 客户：我的快递显示已签收，但我没收到。',
          '[00:40] 坐席：您好，非常抱歉给您带来不便，我马上为您查询，请稍等。',
          '[02:40] 坐席：正在为您联系站点核实，请您再稍等一下。',
          '[04:40] 坐席：站点正在查看监控，正在为您跟进。',
          '[06:40] 坐席：正在为您查询派送记录，请您稍等。',
          '[08:40] 坐席：还在核实中，感谢您的耐心等待。',
          '[10:30] 坐席：查到了，快递员放在了小区驿站，取件码已发送到您的手机。',
          '[11:00] 客户：好的谢谢',
        ],
      },
    ],
    fail: [
      {
        name: 'put on hold, then 8 minutes without a word',
        call: { channel: 'chat' },
        turns: [
          '[00:00] 客户：我的快递显示已签收，但我没收到。',
          '[00:40] 坐席：您好，我马上为您查询，请稍等。',
          '[08:40] 坐席：您好，查到了，快递员放在了小区驿站。',
        ],
      },
    ],
  },
});
