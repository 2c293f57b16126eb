import type { Message } from '@anthropic-ai/sdk/resources/messages/messages';
import { z } from 'zod';
import { GRADES_TOOL } from './prompt.js';
import type { LlmCriterion } from './types.js';

/** The model's answer could not be used: the call's grading is an error (never a pass). */
export class GradeError extends Error {
  override name = 'GradeError';
}

/** One criterion as the model graded it, before its quotes are checked against the transcript. */
export interface RawGrade {
  id: string;
  score: number;
  evidence: string[];
  reason: string;
}

/** Keys the schema does not name are ignored (a forced tool call is not schema-constrained); every named key is required. */
const answerSchema = z.object({
  criteria: z.array(
    z.object({
      id: z.string(),
      score: z.number(),
      evidence: z.array(z.string()),
      reason: z.string(),
    }),
  ),
});

function issuePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(top level)' : path.map((p) => String(p)).join('.');
}

/** The answer's JSON: a `record_grades` tool call's input, else the text blocks (structured output). */
function answerOf(message: Message): unknown {
  const tool = message.content.find((b) => b.type === 'tool_use' && b.name === GRADES_TOOL);
  if (tool && tool.type === 'tool_use') return tool.input;
  const otherTool = message.content.find((b) => b.type === 'tool_use');
  if (otherTool && otherTool.type === 'tool_use') throw new GradeError(`the model called tool "${otherTool.name}", not ${GRADES_TOOL}`);
  const text = message.content
    .filter((b) => b.type === 'text')
    .map((b) => b.text)
    .join('')
    .trim();
  if (text === '') throw new GradeError('the answer holds neither a grades tool call nor text');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new GradeError(`malformed JSON in the answer: ${(err as Error).message}`);
  }
}

/**
 * The grades in a Messages API answer, in the criteria's order. Throws a `GradeError` with a
 * precise reason when the model refused, the answer was cut off (max_tokens) or otherwise did not
 * finish, the JSON is malformed or off-schema, a criterion is missing, unknown or graded twice, or
 * a score is not an integer within 0..max_score.
 */
export function parseGrades(message: Message, criteria: readonly LlmCriterion[]): RawGrade[] {
  switch (message.stop_reason) {
    case 'refusal': {
      const details = message.stop_details;
      const why = [details?.category, details?.explanation].filter((s): s is string => typeof s === 'string' && s !== '').join(': ');
      throw new GradeError(`the model refused to grade the call${why ? ` (${why})` : ''}`);
    }
    case 'max_tokens':
      throw new GradeError('the answer was cut off at max_tokens');
    case 'model_context_window_exceeded':
      throw new GradeError("the answer was cut off: the model's context window was exceeded");
    case 'pause_turn':
      throw new GradeError('the model paused its turn without answering');
    default:
      break;
  }
  const parsed = answerSchema.safeParse(answerOf(message));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GradeError(`the answer does not match the grades schema: ${issue ? `${issuePath(issue.path)}: ${issue.message}` : 'invalid'}`);
  }
  const byId = new Map(criteria.map((c) => [c.id, c]));
  const seen = new Map<string, RawGrade>();
  for (const g of parsed.data.criteria) {
    const criterion = byId.get(g.id);
    if (!criterion) throw new GradeError(`unknown criterion "${g.id}" in the answer`);
    if (seen.has(g.id)) throw new GradeError(`criterion "${g.id}" graded more than once`);
    if (!Number.isInteger(g.score)) throw new GradeError(`criterion "${g.id}": score ${g.score} is not an integer`);
    if (g.score < 0 || g.score > criterion.max_score) throw new GradeError(`criterion "${g.id}": score ${g.score} is outside 0..${criterion.max_score}`);
    seen.set(g.id, { id: g.id, score: g.score, evidence: g.evidence, reason: g.reason });
  }
  const missing = criteria.filter((c) => !seen.has(c.id)).map((c) => `"${c.id}"`);
  if (missing.length > 0) throw new GradeError(`the answer misses criteri${missing.length === 1 ? 'on' : 'a'} ${missing.join(', ')}`);
  return criteria.map((c) => seen.get(c.id) as RawGrade);
}
