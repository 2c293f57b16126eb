import type { Message } from '@anthropic-ai/sdk/resources/messages/messages';
import { describe, expect, it } from 'vitest';
import { GradeError, parseGrades } from '../../src/llm/parse.js';
import type { LlmCriterion } from '../../src/llm/types.js';
import { type MessageReplyOptions, messageBody } from '../helpers/mock-anthropic.js';

const CRITERIA: LlmCriterion[] = [
  { id: 'empathy', question: '是否安抚', max_score: 5, deduction: 10 },
  { id: 'solution', question: '是否给出方案', max_score: 3, deduction: 6 },
];

function message(o: MessageReplyOptions, extra: Record<string, unknown> = {}): Message {
  return { ...messageBody(o), ...extra } as unknown as Message;
}

const GOOD = {
  criteria: [
    { id: 'solution', score: 1, evidence: ['需要派师傅上门'], reason: '没有给出时限' },
    { id: 'empathy', score: 5, evidence: [], reason: '有致歉' },
  ],
};

function failure(m: Message): string {
  try {
    parseGrades(m, CRITERIA);
  } catch (err) {
    expect(err).toBeInstanceOf(GradeError);
    return (err as Error).message;
  }
  throw new Error('parseGrades accepted the answer');
}

function withCriteria(criteria: unknown): Message {
  return message({ text: JSON.stringify({ criteria }) });
}

describe('parseGrades', () => {
  it('reads structured output from the text block, in the criteria order', () => {
    expect(parseGrades(message({ text: JSON.stringify(GOOD) }), CRITERIA)).toEqual([
      { id: 'empathy', score: 5, evidence: [], reason: '有致歉' },
      { id: 'solution', score: 1, evidence: ['需要派师傅上门'], reason: '没有给出时限' },
    ]);
  });

  it('reads the record_grades tool call (ignoring a text preamble)', () => {
    const m = message({ text: '好的，我来评分。', toolInput: GOOD });
    expect(parseGrades(m, CRITERIA).map((g) => [g.id, g.score])).toEqual([
      ['empathy', 5],
      ['solution', 1],
    ]);
  });

  it('ignores keys it does not know inside an entry', () => {
    const m = withCriteria([
      { id: 'empathy', score: 4, evidence: ['抱歉'], reason: 'r', confidence: 0.9 },
      { id: 'solution', score: 3, evidence: [], reason: 'r' },
    ]);
    expect(parseGrades(m, CRITERIA)[0]).toEqual({ id: 'empathy', score: 4, evidence: ['抱歉'], reason: 'r' });
  });

  it('a refusal is an error, with the category when given', () => {
    expect(failure(message({ text: '', stopReason: 'refusal' }))).toBe('the model refused to grade the call');
    const m = message({ text: '', stopReason: 'refusal' }, { stop_details: { type: 'refusal', category: 'general_harms', explanation: null } });
    expect(failure(m)).toBe('the model refused to grade the call (general_harms)');
  });

  it('an answer cut off at max_tokens is an error even if what arrived parses', () => {
    expect(failure(message({ text: '{"criteria":[{"id":"empathy","sco', stopReason: 'max_tokens' }))).toBe('the answer was cut off at max_tokens');
    expect(failure(message({ text: JSON.stringify(GOOD), stopReason: 'max_tokens' }))).toBe('the answer was cut off at max_tokens');
  });

  it('malformed JSON', () => {
    expect(failure(message({ text: '{"criteria": [ {"id": "empathy", } ]' }))).toMatch(/^malformed JSON in the answer: /);
    expect(failure(message({ text: '```json\n{}\n```' }))).toMatch(/^malformed JSON in the answer: /);
  });

  it('an empty answer', () => {
    expect(failure(message({}))).toBe('the answer holds neither a grades tool call nor text');
  });

  it('a call to another tool', () => {
    expect(failure(message({ toolInput: GOOD, toolName: 'other_tool' }))).toBe('the model called tool "other_tool", not record_grades');
  });

  it('off-schema answers name the path', () => {
    expect(failure(message({ text: '[]' }))).toMatch(/^the answer does not match the grades schema: \(top level\): /);
    expect(failure(message({ text: '{"grades": []}' }))).toMatch(/^the answer does not match the grades schema: criteria: /);
    expect(failure(withCriteria([{ id: 'empathy', score: '5', evidence: [], reason: 'r' }]))).toMatch(
      /^the answer does not match the grades schema: criteria\.0\.score: /,
    );
    expect(failure(withCriteria([{ id: 'empathy', score: 5, reason: 'r' }]))).toMatch(/^the answer does not match the grades schema: criteria\.0\.evidence: /);
    expect(failure(withCriteria([{ id: 'empathy', score: 5, evidence: [3], reason: 'r' }]))).toMatch(
      /^the answer does not match the grades schema: criteria\.0\.evidence\.0: /,
    );
  });

  it('a missing criterion', () => {
    expect(failure(withCriteria([{ id: 'empathy', score: 5, evidence: [], reason: 'r' }]))).toBe('the answer misses criterion "solution"');
    expect(failure(withCriteria([]))).toBe('the answer misses criteria "empathy", "solution"');
  });

  it('an unknown criterion', () => {
    const m = withCriteria([...GOOD.criteria, { id: 'courtesy', score: 1, evidence: [], reason: 'r' }]);
    expect(failure(m)).toBe('unknown criterion "courtesy" in the answer');
  });

  it('a criterion graded twice', () => {
    const m = withCriteria([...GOOD.criteria, { id: 'empathy', score: 0, evidence: ['x'], reason: 'r' }]);
    expect(failure(m)).toBe('criterion "empathy" graded more than once');
  });

  it('scores that are not integers or are out of range', () => {
    const at = (score: number) => withCriteria([{ id: 'empathy', score, evidence: [], reason: 'r' }, GOOD.criteria[0]]);
    expect(failure(at(2.5))).toBe('criterion "empathy": score 2.5 is not an integer');
    expect(failure(at(6))).toBe('criterion "empathy": score 6 is outside 0..5');
    expect(failure(at(-1))).toBe('criterion "empathy": score -1 is outside 0..5');
    expect(parseGrades(at(0), CRITERIA)[0]?.score).toBe(0);
    expect(parseGrades(at(5), CRITERIA)[0]?.score).toBe(5);
    const solution = (score: number) => withCriteria([GOOD.criteria[1], { id: 'solution', score, evidence: [], reason: 'r' }]);
    expect(failure(solution(4))).toBe('criterion "solution": score 4 is outside 0..3');
  });
});
