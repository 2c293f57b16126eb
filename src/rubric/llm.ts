import { perLang } from '../rules/types.js';
import { z } from 'zod';
import type { LlmConfig } from '../llm/types.js';
import { RESERVED_KEYS } from './yaml-data.js';

export const DEFAULT_LLM_MODEL = 'claude-haiku-5-5';

const criterion = z
  .strictObject({
    id: z
      .string()
      .regex(/^[\p{L}\p{N}_-]+$/u, 'expected an id of letters, digits, "-" and "_"')
      .refine((id) => !RESERVED_KEYS.has(id), { message: 'a reserved name (every JavaScript object has it); use another id' }),
    question: z.string().min(1),
    max_score: z.number().int().min(1).max(100),
    deduction: z.number().min(0).max(100),
    guide: z.record(z.string().regex(/^\d+$/, 'expected a score'), z.string().min(1)).optional(),
    source: z.string().optional(),
    advice: perLang.optional(),
  })
  .superRefine((c, ctx) => {
    for (const score of Object.keys(c.guide ?? {})) {
      if (Number(score) > c.max_score) ctx.addIssue({ code: 'custom', path: ['guide', score], message: `a guide score above max_score ${c.max_score}` });
    }
  });

/** The rubric's `llm` section: the model and the criteria it grades (only with --llm). */
export const llmSchema = z
  .strictObject({
    model: z.string().min(1).default(DEFAULT_LLM_MODEL),
    criteria: z.array(criterion).min(1),
  })
  .superRefine((l, ctx) => {
    const seen = new Set<string>();
    l.criteria.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['criteria', i, 'id'], message: `duplicate criterion id "${c.id}"` });
      seen.add(c.id);
    });
  });

export function toLlmConfig(parsed: z.output<typeof llmSchema>): LlmConfig {
  return {
    model: parsed.model,
    criteria: parsed.criteria.map((c) => {
      const out: LlmConfig['criteria'][number] = { id: c.id, question: c.question, max_score: c.max_score, deduction: c.deduction };
      if (c.guide) out.guide = c.guide;
      if (c.source) out.source = c.source;
      if (c.advice) out.advice = c.advice;
      return out;
    }),
  };
}
