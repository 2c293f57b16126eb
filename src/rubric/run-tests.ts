import { parseTextTranscript } from '../ingest/text.js';
import type { SourceCall } from '../model/source.js';
import { prepareCall } from '../normalise/call.js';
import { resolveRoles } from '../normalise/roles.js';
import { greetingMatchersOf } from '../rules/greeting.js';
import { scoreCall } from '../scoring/score-call.js';
import type { Rubric } from './load.js';
import type { RubricTest } from './tests.js';

export interface TestOutcome {
  name: string;
  passed: boolean;
  /** What differed: `rule: expected X, got Y`, or why the conversation could not be read. */
  problems: string[];
}

/** A conversation written as plain-text lines becomes a call, the way a .txt transcript would. */
export function conversationCall(
  turns: readonly string[],
  call: { hangupBy?: string; ringSeconds?: number; channel?: 'chat' | 'social' } = {},
  id = 'test',
): SourceCall {
  const header = [`# call_id: ${id}`];
  if (call.channel) header.push(`# channel: ${call.channel}`);
  if (call.hangupBy) header.push(`# hangup_by: ${call.hangupBy}`);
  if (call.ringSeconds !== undefined) header.push(`# ring_seconds: ${call.ringSeconds}`);
  const parsed = [...parseTextTranscript([...header, ...turns].join('\n'), `${id}.txt`)];
  const errors = parsed.flatMap((p) => (p.error ? [`line ${(p.error.line ?? 1) - header.length}: ${p.error.error}`] : []));
  if (errors.length > 0 || !parsed[0]?.call) throw new Error(errors.join('; ') || 'no call');
  return parsed[0].call;
}

export function runRubricTest(rubric: Rubric, test: RubricTest): TestOutcome {
  let result: ReturnType<typeof scoreCall>;
  try {
    const source = conversationCall(test.turns, {
      ...(test.hangupBy ? { hangupBy: test.hangupBy } : {}),
      ...(test.ringSeconds !== undefined ? { ringSeconds: test.ringSeconds } : {}),
      ...(test.channel ? { channel: test.channel } : {}),
    });
    result = scoreCall(prepareCall(resolveRoles(source, { greetingElements: greetingMatchersOf(rubric) })), rubric);
  } catch (err) {
    return { name: test.name, passed: false, problems: [`the conversation cannot be read: ${(err as Error).message}`] };
  }
  const problems: string[] = [];
  for (const [rule, expected] of Object.entries(test.expect)) {
    const got = result.outcomes[rule];
    if (got !== expected) {
      const why = result.findings.filter((f) => f.rule === rule).map((f) => f.message);
      problems.push(`${rule}: expected ${expected}, got ${got}${why.length > 0 ? ` (${why.join('; ')})` : ''}`);
    }
  }
  if (test.expectScore !== undefined && result.score !== test.expectScore) problems.push(`score: expected ${test.expectScore}, got ${result.score}`);
  return { name: test.name, passed: problems.length === 0, problems };
}

export function runRubricTests(rubric: Rubric): TestOutcome[] {
  return rubric.tests.map((t) => runRubricTest(rubric, t));
}
