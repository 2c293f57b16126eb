import bannedPhrases from './banned-phrases.js';
import greeting from './greeting.js';
import hangupOrder from './hangup-order.js';
import speechRate from './speech-rate.js';
import type { RuleDefinition } from './types.js';

/** The rule registry: id → definition. One file per rule. */
export const RULES: ReadonlyMap<string, RuleDefinition> = new Map(
  ([greeting, bannedPhrases, speechRate, hangupOrder] as unknown as RuleDefinition[]).map((rule) => [rule.id, rule]),
);
