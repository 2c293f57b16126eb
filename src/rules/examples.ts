import { conversationCall } from '../rubric/run-tests.js';
import { prepareCall } from '../normalise/call.js';
import { resolveRoles } from '../normalise/roles.js';
import { defaultGreetingMatchers } from './greeting.js';
import type { RuleDefinition, RuleExample, RuleResult } from './types.js';
import { EMPTY_CONTEXT, optionsSchema } from './types.js';

/** Runs one documented example: its conversation through the rule with the example's options. */
export function runExample(rule: RuleDefinition, example: RuleExample): RuleResult {
  const call = {
    ...(example.call?.hangup_by ? { hangupBy: example.call.hangup_by } : {}),
    ...(example.call?.ring_seconds !== undefined ? { ringSeconds: example.call.ring_seconds } : {}),
    ...(example.call?.channel ? { channel: example.call.channel } : {}),
  };
  const prepared = prepareCall(resolveRoles(conversationCall(example.turns, call, 'example'), { greetingElements: defaultGreetingMatchers() }));
  const results = new Map(Object.entries(example.others ?? {}).map(([id, outcome]) => [id, { outcome, findings: [] } as RuleResult]));
  return rule.check(prepared, optionsSchema(rule).parse(example.options ?? {}) as never, { ...EMPTY_CONTEXT, results });
}
