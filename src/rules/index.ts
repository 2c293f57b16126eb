import bannedPhrases from './banned-phrases.js';
import greeting from './greeting.js';
import hangupOrder from './hangup-order.js';
import speechRate from './speech-rate.js';
import closing from './closing.js';
import courtesy from './courtesy.js';
import colloquialWords from './colloquial-words.js';
import refusalWording from './refusal-wording.js';
import confirmUnderstanding from './confirm-understanding.js';
import empathyOnComplaint from './empathy-on-complaint.js';
import deadAir from './dead-air.js';
import interruption from './interruption.js';
import answerSpeed from './answer-speed.js';
import privacy from './privacy.js';
import publicPrivacy from './public-privacy.js';
import firstResponse from './first-response.js';
import responseGaps from './response-gaps.js';
import writtenStyle from './written-style.js';
import phrases from './phrases.js';
import silence from './silence.js';
import overlap from './overlap.js';
import duration from './duration.js';
import talkRatio from './talk-ratio.js';
import expr from './expr.js';
import type { RuleDefinition } from './types.js';

// Seed rules in the order the default rubric lists them, then the rule types.
const ALL = [
  greeting,
  bannedPhrases,
  speechRate,
  hangupOrder,
  closing,
  courtesy,
  colloquialWords,
  refusalWording,
  confirmUnderstanding,
  empathyOnComplaint,
  deadAir,
  interruption,
  answerSpeed,
  privacy,
  publicPrivacy,
  firstResponse,
  responseGaps,
  writtenStyle,
  phrases,
  silence,
  overlap,
  duration,
  talkRatio,
  expr,
] as unknown as RuleDefinition[];

/** The rule registry: seed rules (an entry's id) and rule types (an entry's `type:`), one file each. */
export const RULES: ReadonlyMap<string, RuleDefinition> = new Map(ALL.map((rule) => [rule.id, rule]));

export function seedRuleIds(): string[] {
  return ALL.filter((r) => r.kind === 'seed').map((r) => r.id);
}

export function ruleTypeIds(): string[] {
  return ALL.filter((r) => r.kind === 'type').map((r) => r.id);
}
