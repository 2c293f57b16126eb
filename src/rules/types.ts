import { z } from 'zod';
import type { PreparedCall } from '../model/call.js';

export type Outcome = 'pass' | 'fail' | 'n/a';

/** What a rule observed; scoring decides what it costs. */
export interface RuleFinding {
  /** Seconds from the start of the call, inside the utterance concerned; absent when untimed. */
  at?: number;
  message: string;
  /** A verbatim quote of the original transcript (masked later, in the reports). */
  evidence: string;
}

export interface RuleResult {
  outcome: Outcome;
  findings: RuleFinding[];
}

/** Options every rule takes, whatever its type. */
export const commonOptionShape = {
  deduction: z.number().min(0).max(100).describe('points deducted for each finding'),
  max_deduction: z.number().min(0).max(100).optional().describe('cap on what this rule deducts from one call'),
  source: z.string().optional().describe('the passage of the service standard this rule enforces'),
  description: z.string().optional().describe('what the rule checks, for people reading the rubric'),
};

export interface RuleDefinition<Shape extends z.ZodRawShape = z.ZodRawShape> {
  id: string;
  description: string;
  /** The seed passage the default rubric's entry cites. */
  source: string;
  /** What the rule needs from a call; without it the rule answers n/a. */
  needs: string;
  defaultDeduction: number;
  defaultMaxDeduction?: number;
  /** The rule's own options; every one has a default drawn from the seeds. */
  options: Shape;
  check(call: PreparedCall, options: z.output<z.ZodObject<Shape>>): RuleResult;
}

export function defineRule<Shape extends z.ZodRawShape>(rule: RuleDefinition<Shape>): RuleDefinition<Shape> {
  return rule;
}

/** The full options schema of a rule: its own options plus the common ones, unknown keys rejected. */
export function optionsSchema(rule: RuleDefinition) {
  return z.strictObject({
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
  });
}

export type CommonOptions = { deduction: number; max_deduction?: number | undefined; source?: string | undefined; description?: string | undefined };
