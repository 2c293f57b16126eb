import { defineRule } from './types.js';
import { agentUtterances, at, quote } from './helpers.js';
import { phraseList } from './phrase-options.js';

/** How an agent announces a transfer: the agent's leg then ends, but nobody hung up on the customer. */
export const DEFAULT_TRANSFER_PHRASES = ['转接', '/(?:帮|为|给)您转(?:到|给)/'];

/** A transfer refused or offered in the negative is no transfer (无法转接, 不能给您转接). */
export const DEFAULT_TRANSFER_EXCEPTIONS = ['/(?:不能|无法|没法|没办法|不可以|不用|不需要)(?:帮您|为您|给您)?转接/'];

export default defineRule({
  id: 'hangup-order',
  kind: 'seed',
  description:
    'The customer hangs up first; the agent waits, even after the customer has said goodbye. n/a when who hung up is unknown, when the agent\'s last words hand the call over (a transfer ends the agent\'s leg, not the call), and when the customer never spoke (a silent line: there is no one to wait for).',
  source: 'seeds/000 礼貌结束通话: "感谢您的来电,还有什么可以帮助您的吗?祝您XX。"等待客户先挂断电话。',
  needs: 'who hung up (hangup_by: customer or agent)',
  defaultDeduction: 10,
  options: {
    transfer_phrases: phraseList(DEFAULT_TRANSFER_PHRASES, "phrases of the agent's last utterance that hand the call over (its leg ends by the transfer: n/a)"),
    transfer_exceptions: phraseList(DEFAULT_TRANSFER_EXCEPTIONS, 'wordings in which a transfer phrase hands nothing over (无法转接)'),
  },
  check(call, options) {
    if (call.hangupBy === 'customer') return { outcome: 'pass', findings: [] };
    if (call.hangupBy !== 'agent') return { outcome: 'n/a', findings: [] };
    // A silent line (the customer never spoke): the agent has to end it, there is no one to wait for.
    if (!call.utterances.some((u) => u.speaker === 'customer')) return { outcome: 'n/a', findings: [] };
    const lastAgent = agentUtterances(call).at(-1);
    if (lastAgent && options.transfer_phrases.findExcept(lastAgent.norm.text, options.transfer_exceptions).length > 0) return { outcome: 'n/a', findings: [] };
    const last = call.utterances[call.utterances.length - 1];
    return {
      outcome: 'fail',
      findings: [{ ...(last ? at(last) : {}), message: 'the agent hung up before the customer', evidence: last ? quote(last) : '' }],
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
