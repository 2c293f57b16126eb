import { describe } from 'vitest';
import rule from '../../src/rules/hangup-order.js';
import { call, ruleTable } from '../helpers/rule-table.js';

describe('hangup-order', () => {
  ruleTable(rule, {
    valid: [{ name: 'customer hangs up first', call: call(['agent: 再见'], { hangupBy: 'customer' }) }],
    invalid: [
      {
        name: 'agent hangs up first',
        call: call(['[00:00-00:03] agent: 您好', '[00:03-00:05] customer: 好', '[00:05-00:07] agent: 再见'], { hangupBy: 'agent' }),
        findings: [{ at: 5, message: /agent hung up/, evidence: '再见' }],
      },
    ],
    notApplicable: [{ name: 'unknown', call: call(['agent: 再见'], { hangupBy: 'unknown' }) }],
  });
});
