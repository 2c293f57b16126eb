import { z } from 'zod';

/** A small conversation in a rubric, with the outcomes it must give. */
export interface RubricTest {
  name: string;
  /** Lines as in the plain-text format: "[00:01-00:04] 坐席：您好" or "agent: 您好". */
  turns: string[];
  hangupBy?: 'customer' | 'agent';
  ringSeconds?: number;
  /** Written service: the turns are messages of an online chat or a social-media thread. */
  channel?: 'chat' | 'social';
  /** rule id → pass | fail | n/a */
  expect: Record<string, 'pass' | 'fail' | 'n/a' | 'review'>;
  /** The call's score, when the test pins it. */
  expectScore?: number;
}

const testSchema = z.strictObject({
  name: z.string().min(1),
  turns: z.array(z.string()).min(1),
  hangup_by: z.enum(['customer', 'agent']).optional(),
  ring_seconds: z.number().min(0).optional(),
  channel: z.enum(['chat', 'social']).optional(),
  expect: z.record(z.string(), z.enum(['pass', 'fail', 'n/a', 'review'])),
  expect_score: z.number().min(0).max(100).optional(),
});

type Path = (string | number)[];

/** Validates the rubric's `tests:`; every rule an expectation names must be in the rubric. */
export function parseTests(raw: unknown[] | undefined, ruleIds: ReadonlySet<string>, report: (path: Path, message: string) => void): RubricTest[] {
  const tests: RubricTest[] = [];
  (raw ?? []).forEach((item, i) => {
    const parsed = testSchema.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = ['tests', i, ...(issue.path as Path)];
        const message =
          issue.code === 'unrecognized_keys'
            ? `unknown key ${issue.keys.join(', ')}; expected name, turns, hangup_by, ring_seconds, channel, expect, expect_score`
            : issue.code === 'invalid_value'
              ? 'expected pass, fail or n/a'
              : issue.message;
        report(path, message);
      }
      return;
    }
    const t = parsed.data;
    for (const rule of Object.keys(t.expect)) {
      if (!ruleIds.has(rule)) report(['tests', i, 'expect', rule], `"${rule}" is not a rule of this rubric`);
    }
    const test: RubricTest = { name: t.name, turns: t.turns, expect: t.expect };
    if (t.hangup_by !== undefined) test.hangupBy = t.hangup_by;
    if (t.ring_seconds !== undefined) test.ringSeconds = t.ring_seconds;
    if (t.channel !== undefined) test.channel = t.channel;
    if (t.expect_score !== undefined) test.expectScore = t.expect_score;
    tests.push(test);
  });
  return tests;
}
