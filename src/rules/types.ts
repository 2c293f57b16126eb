import { z } from 'zod';
import { type MessageKey, type Translator, translator } from '../i18n/format.js';
import { LANGS } from '../i18n/lang.js';
import type { Message } from '../i18n/message.js';
import type { PreparedCall } from '../model/call.js';

/**
 * What a rule found: pass, fail, n/a (it lacks what it needs), or review (it cannot decide: a person
 * should look; nothing is deducted).
 */
export type Outcome = 'pass' | 'fail' | 'n/a' | 'review';

/** What a rule observed; scoring decides what it costs. */
export interface RuleFinding {
  /** Seconds from the start of the call, inside the utterance concerned; absent when untimed. */
  at?: number;
  message: string;
  /** A verbatim quote of the original transcript (masked later, in the reports). */
  evidence: string;
  /** `message` as data, when the rule gives it (else scoring finds the message its translator wrote). */
  said?: Message;
  /** false: under `critical: true`, this finding is not of a kind that zeroes the call (privacy's kinds outside critical_kinds). */
  critical?: false;
}

export interface RuleResult {
  outcome: Outcome;
  findings: RuleFinding[];
  /**
   * Where the thing the rule looks for occurred (seconds), whatever the outcome: another rule's
   * `window: { after: <this rule> }` starts at the first of them.
   */
  hits?: number[];
  /** Findings past the ones listed (FindingList): each deducts like a listed one, and the report says how many. */
  unlisted?: number;
  /**
   * For a rule the rubric marks critical (一票否决): whether this failure is of the critical kind.
   * Absent: every failure is. false: the rule failed only on findings it does not hold critical
   * (privacy: a mobile read back, when the rubric checks mobiles but they are not among its
   * critical_kinds): they deduct as usual and the call is not zeroed.
   */
  critical?: boolean;
}

/**
 * What a rule may know besides the call: the results of the rules its options name (expr, window.after),
 * and `say`, which writes its findings' messages in the run's language (with the rubric's own wording
 * for this rule where it gives one).
 */
export interface RuleContext {
  results: ReadonlyMap<string, RuleResult>;
  say: Translator;
}

/** A text for people, one for every language or one per language (`{ zh-CN: 问候语, en: Greeting }`). */
/** What a text for people is, where a rubric gives it wrongly. */
export const PER_LANG_EXPECTED = `expected a string, or one per language (${LANGS.join(', ')})`;
export const perLang = z.union([z.string(), z.partialRecord(z.enum(LANGS), z.string())], { error: PER_LANG_EXPECTED });

/** Options every rule takes, whatever its type. */
export const commonOptionShape = {
  title: perLang.optional().describe("the rule's title in reports: one text, or one per language (zh-CN, zh-TW, en); else callqa's"),
  message: perLang
    .optional()
    .describe("its findings' message instead of callqa's: one text, or one per language, with {parameters} its messages give (callqa rules lists them)"),
  type: z.string().optional().describe('the rule type, when the id is not itself a rule (phrases, silence, overlap, duration, talk-ratio, expr)'),
  deduction: z.number().min(0).max(100).describe('points deducted for each finding (per: occurrence) or once (per: call)'),
  max_deduction: z.number().min(0).max(100).optional().describe('cap on what this rule deducts from one call'),
  per: z.enum(['occurrence', 'call']).default('occurrence').describe('deduct for each finding, or once for a failing call'),
  critical: z.boolean().default(false).describe('一票否决: a call that fails this rule scores 0'),
  review: z
    .boolean()
    .default(false)
    .describe('ask for review instead of deducting: a failing call shows review in calls.csv, and its findings deduct 0 with status review (a rule on trial)'),
  bonus: z.number().min(0).max(100).default(0).describe('加分: points added when the call passes this rule (the score stays ≤ 100)'),
  source: z.string().optional().describe('the passage of the service standard this rule enforces'),
  description: z.string().optional().describe('what the rule checks, for people reading the rubric'),
  advice: perLang.optional().describe('what to tell an agent who fails this rule (coaching): one text, or one per language'),
  hidden: z.boolean().default(false).describe('a helper rule that others refer to (expr, window.after): no deduction, no column, no findings'),
};

/** A short conversation that shows a rule passing or failing: documentation that is also a test. */
export interface RuleExample {
  name: string;
  /** Lines as in the plain-text format: "[00:01-00:04] 坐席：您好" or "客户：喂". */
  turns: string[];
  /** Options for this example (for rule types, which have no seed defaults to show). */
  options?: Record<string, unknown>;
  /** Call fields the lines cannot carry. */
  call?: { hangup_by?: 'customer' | 'agent'; ring_seconds?: number; channel?: 'chat' | 'social' };
  /** Outcomes of the other rules an expr example refers to. */
  others?: Record<string, Outcome>;
}

export interface RuleDefinition<Shape extends z.ZodRawShape = z.ZodRawShape> {
  /** The rule's id in a rubric, or the type name a rubric entry gives with `type:`. */
  id: string;
  /** A seed rule enforces a passage of the standard with defaults drawn from it; a type is a building block. */
  kind: 'seed' | 'type';
  description: string;
  /** The seed passage the default rubric's entry cites (seed rules). */
  source?: string;
  /** What the rule needs from a call; without it the rule answers n/a. */
  needs: string;
  /**
   * The rule measures speech (rate, silence, overlap, ringing, who hung up): it answers n/a, with no
   * finding, for a written conversation (a call whose channel is chat or social), checked once in scoreCall.
   */
  speech?: true;
  /**
   * The rule measures written service (reply times, emoticons, a public thread): it answers n/a, with no finding,
   * for a phone call (a call whose channel is voice or absent), checked once in scoreCall.
   */
  written?: true;
  /** What the rule cannot see or decide (seed rules): shown with the rule, so a reviewer knows where to look. */
  limits?: string;
  defaultDeduction: number;
  defaultMaxDeduction?: number;
  /** The catalog keys of its findings' messages (src/i18n/catalogs): a rubric's `message` may use the parameters they all give. */
  messages?: readonly MessageKey[];
  /** The rule's own options; every option of a seed rule has a default drawn from the seeds. */
  options: Shape;
  /** A problem between options that no single option's schema can see (min ≤ max); reported when the rubric loads. */
  refine?(options: z.output<z.ZodObject<Shape>>): string | undefined;
  /** Rule ids this entry's options refer to (expr identifiers, window.after): checked first, and must exist. */
  dependsOn?(options: z.output<z.ZodObject<Shape>>): string[];
  check(call: PreparedCall, options: z.output<z.ZodObject<Shape>>, context: RuleContext): RuleResult;
  examples: { pass: RuleExample[]; fail: RuleExample[] };
}

export function defineRule<Shape extends z.ZodRawShape>(rule: RuleDefinition<Shape>): RuleDefinition<Shape> {
  return rule;
}

/** The full options schema of a rule: its own options plus the common ones, unknown keys rejected. */
export function optionsSchema(rule: RuleDefinition) {
  return z
    .strictObject({
      ...commonOptionShape,
      deduction: commonOptionShape.deduction.default(rule.defaultDeduction),
      max_deduction:
        rule.defaultMaxDeduction === undefined
          ? commonOptionShape.max_deduction
          : z
              .number()
              .min(0)
              .max(100)
              .default(rule.defaultMaxDeduction)
              .describe(commonOptionShape.max_deduction.description ?? ''),
      ...rule.options,
    })
    .superRefine((options, ctx) => {
      const problem = rule.refine?.(options as never);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, path: [] });
    });
}

export type CommonOptions = {
  type?: string | undefined;
  title?: string | Partial<Record<(typeof LANGS)[number], string>> | undefined;
  message?: string | Partial<Record<(typeof LANGS)[number], string>> | undefined;
  deduction: number;
  max_deduction?: number | undefined;
  per: 'occurrence' | 'call';
  critical: boolean;
  review: boolean;
  bonus: number;
  source?: string | undefined;
  description?: string | undefined;
  advice?: string | Partial<Record<(typeof LANGS)[number], string>> | undefined;
  hidden: boolean;
};

/** No dependencies, messages in English: tests, and rules checked on their own. */
export const EMPTY_CONTEXT: RuleContext = { results: new Map(), say: translator('en') };
