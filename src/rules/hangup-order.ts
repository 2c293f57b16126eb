import { defineRule } from './types.js';
import { at, quote } from './helpers.js';

export default defineRule({
  id: 'hangup-order',
  kind: 'seed',
  description: 'The customer hangs up first; the agent waits.',
  source: 'seeds/000 礼貌结束通话: "感谢您的来电,还有什么可以帮助您的吗?祝您XX。"等待客户先挂断电话。',
  needs: 'who hung up (hangup_by: customer or agent)',
  defaultDeduction: 10,
  options: {},
  check(call) {
    if (call.hangupBy === 'customer') return { outcome: 'pass', findings: [] };
    if (call.hangupBy !== 'agent') return { outcome: 'n/a', findings: [] };
    const last = call.utterances[call.utterances.length - 1];
    return {
      outcome: 'fail',
      findings: [{ ...(last ? at(last) : {}), message: 'the agent hung up before the customer', evidence: last ? quote(last) : '' }],
    };
  },
  examples: {
    pass: [{ name: 'the customer hangs up first', turns: ['坐席：感谢您的来电，再见。', '客户：再见。'], call: { hangup_by: 'customer' } }],
    fail: [{ name: 'the agent hangs up first', turns: ['坐席：就这样吧。', '客户：等一下……'], call: { hangup_by: 'agent' } }],
  },
});
