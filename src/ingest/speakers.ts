import type { Speaker } from '../model/call.js';
import { toSimplified } from '../normalise/script.js';

/** Speaker labels the core formats accept. Chinese labels are looked up in Simplified script. */
const ALIASES: ReadonlyMap<string, Speaker> = new Map([
  ['agent', 'agent'],
  ['a', 'agent'],
  ['坐席', 'agent'],
  ['座席', 'agent'],
  ['客服', 'agent'],
  // Taiwan's word for the agent (the zh-TW messages name it in the prefix they suggest).
  ['客服人员', 'agent'],
  ['话务员', 'agent'],
  ['customer', 'customer'],
  ['caller', 'customer'],
  ['c', 'customer'],
  ['客户', 'customer'],
  ['顾客', 'customer'],
  ['用户', 'customer'],
  ['来电人', 'customer'],
]);

export const SPEAKER_LABELS = 'agent, 坐席, 客服, A (agent) or customer, caller, 客户, 顾客, 用户, C (customer)';

/** The labels an error suggests for each speaker (SPEAKER_LABELS, for a message in the run's language). */
export const SUGGESTED_LABELS = { agent: ['agent', '坐席', '客服', 'A'], customer: ['customer', 'caller', '客户', '顾客', '用户', 'C'] } as const;

/** Labels already looked up: a transcript repeats its few labels on every segment. */
const seen = new Map<string, Speaker | undefined>();

export function speakerFromLabel(label: string): Speaker | undefined {
  if (seen.has(label)) return seen.get(label);
  const speaker = ALIASES.get(toSimplified(label.trim()).toLowerCase());
  if (seen.size >= 1000) seen.clear();
  seen.set(label, speaker);
  return speaker;
}
