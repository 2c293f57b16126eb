import { defineRule } from './types.js';
import { agentUtterances, at, quote } from './helpers.js';
import { phraseList } from './phrase-options.js';

/** How an agent announces a transfer: the agent's leg then ends, but nobody hung up on the customer. */
export const DEFAULT_TRANSFER_PHRASES = ['转接', '/(?:帮|为|给)您转(?:到|给)/'];

/** What an agent says on a silent line before ending it (the customer never speaks). */
export const DEFAULT_SILENT_LINE_PHRASES = [
  '听不到您的声音',
  '听不到您说话',
  '听不清您的声音',
  '听不到声音',
  '没有声音',
  '没有听到您的声音',
  '能听到我说话吗',
  '听得到吗',
  '听得见吗',
  '能听到吗',
];

/** A transfer refused or offered in the negative is no transfer (无法转接, 不能给您转接). */
export const DEFAULT_TRANSFER_EXCEPTIONS = ['/(?:不能|无法|没法|没办法|不可以|不用|不需要)(?:帮您|为您|给您)?转接/'];

export default defineRule({
  id: 'hangup-order',
  speech: true,
  messages: ['hangup-order.agent-first'],
  kind: 'seed',
  description:
    "The customer hangs up first; the agent waits, even after the customer has said goodbye. n/a when who hung up is unknown, when the agent's last words hand the call over (a transfer ends the agent's leg, not the call), and on a silent line (the customer never spoke and the agent said it could not hear them: there is no one to wait for).",
  source: 'seeds/000 礼貌结束通话: "感谢您的来电,还有什么可以帮助您的吗?祝您XX。"等待客户先挂断电话。',
  needs: 'who hung up (hangup_by: customer or agent)',
  limits:
    "Reads the call record, not the audio: a wrong hangup_by is scored as written; a transfer is seen only in the agent's last words; a customer who went quiet mid-call and was hung up on after prompts still fails (the seed gives no exception).",
  defaultDeduction: 10,
  options: {
    transfer_phrases: phraseList(DEFAULT_TRANSFER_PHRASES, "phrases of the agent's last utterance that hand the call over (its leg ends by the transfer: n/a)"),
    transfer_exceptions: phraseList(DEFAULT_TRANSFER_EXCEPTIONS, 'wordings in which a transfer phrase hands nothing over (无法转接)'),
    silent_line_phrases: phraseList(
      DEFAULT_SILENT_LINE_PHRASES,
      'what the agent says on a silent line (听不到您的声音): with no customer speech at all, the agent may end the call (n/a)',
    ),
  },
  check(call, options, { say }) {
    if (call.hangupBy === 'customer') return { outcome: 'pass', findings: [] };
    if (call.hangupBy !== 'agent') return { outcome: 'n/a', findings: [] };
    const agent = agentUtterances(call);
    // A silent line (the customer never spoke, the agent said it heard nothing): there is no one to wait for.
    // Both, not either: an agent-only transcript may be a lost customer channel, and a customer who spoke can still be hung up on.
    if (!call.utterances.some((u) => u.speaker === 'customer') && agent.some((u) => options.silent_line_phrases.test(u.norm.text)))
      return { outcome: 'n/a', findings: [] };
    const lastAgent = agent.at(-1);
    if (lastAgent && options.transfer_phrases.findExcept(lastAgent.norm.text, options.transfer_exceptions).length > 0) return { outcome: 'n/a', findings: [] };
    const last = call.utterances[call.utterances.length - 1];
    return {
      outcome: 'fail',
      findings: [{ ...(last ? at(last) : {}), message: say('hangup-order.agent-first'), evidence: last ? quote(last) : '' }],
    };
  },
  examples: {
    pass: [{ name: 'the customer hangs up first', turns: ['坐席：感谢您的来电，再见。', '客户：再见。'], call: { hangup_by: 'customer' } }],
    fail: [
      { name: 'the agent hangs up first', turns: ['坐席：就这样吧。', '客户：等一下……'], call: { hangup_by: 'agent' } },
      { name: 'the customer said goodbye first, the agent still hung up first', turns: ['客户：好的，再见。', '坐席：再见。'], call: { hangup_by: 'agent' } },
    ],
  },
});
