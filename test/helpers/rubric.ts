import { parseRubric, RubricError } from '../../src/rubric/load.js';

/** The rule columns of calls.csv under the default rubric (rubrics/zh-phone.yaml), in order. */
export const DEFAULT_RULE_IDS = [
  'greeting',
  'banned-phrases',
  'speech-rate',
  'hangup-order',
  'closing',
  'courtesy',
  'colloquial-words',
  'refusal-wording',
  'confirm-understanding',
  'empathy-on-complaint',
  'dead-air',
  'interruption',
  'answer-speed',
  'privacy',
] as const;

/** Every problem the loader finds in a rubric that must be rejected. */
export function rubricProblems(yaml: string, file = 'r.yaml'): string[] {
  try {
    parseRubric(yaml, file);
  } catch (err) {
    if (err instanceof RubricError) return err.problems;
    throw err;
  }
  throw new Error('expected the rubric to be rejected');
}
