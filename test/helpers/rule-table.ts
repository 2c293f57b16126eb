import { expect, it } from 'vitest';
import type { z } from 'zod';
import type { Call, HangupBy, PreparedCall, Utterance } from '../../src/model/call.js';
import { prepareCall } from '../../src/normalise/call.js';
import type { RuleContext, RuleDefinition, RuleFinding } from '../../src/rules/types.js';
import { EMPTY_CONTEXT } from '../../src/rules/types.js';
import { optionsSchema } from '../../src/rules/types.js';
import { parseClock } from '../../src/ingest/text.js';
import { speakerFromLabel } from '../../src/ingest/speakers.js';

/**
 * Builds a prepared call from short lines: "[mm:ss-mm:ss] agent: text", "[mm:ss] 客户：text" or "客服: text".
 * Start-only times end where the next utterance starts, as in the text format.
 */
export function call(lines: string[], extra: Partial<Omit<Call, 'utterances'>> & { hangupBy?: HangupBy } = {}): PreparedCall {
  const utterances: Utterance[] = lines.map((line) => {
    const m = /^(?:\[([^\]]+)\]\s*)?([^:：]+)[:：]\s*(.*)$/.exec(line);
    if (!m) throw new Error(`bad test line: ${line}`);
    const [, stamp, label = '', text = ''] = m;
    const speaker = speakerFromLabel(label);
    if (!speaker) throw new Error(`bad speaker in test line: ${line}`);
    const u: Utterance = { speaker, text };
    if (stamp) {
      const [a = '', b] = stamp.split('-');
      u.start = parseClock(a) as number;
      if (b !== undefined) u.end = parseClock(b) as number;
    }
    return u;
  });
  utterances.forEach((u, i) => {
    const next = utterances[i + 1];
    if (u.start !== undefined && u.end === undefined && next?.start !== undefined) u.end = next.start;
  });
  return prepareCall({ id: 'T', source: 'test', agent: {}, hangupBy: 'unknown', roleSource: 'given', ...extra, utterances });
}

export interface ExpectedFinding {
  at?: number;
  message?: RegExp | string;
  evidence?: RegExp | string;
}

export interface Case {
  name: string;
  call: PreparedCall;
  options?: Record<string, unknown>;
  /** Results of other rules, for rules that refer to them (expr, window.after). */
  context?: RuleContext;
}

export interface InvalidCase extends Case {
  findings: ExpectedFinding[];
}

function matches(actual: string, expected: RegExp | string): boolean {
  return typeof expected === 'string' ? actual === expected : expected.test(actual);
}

/** ESLint-style table: valid cases pass with no findings, invalid ones fail with exactly these findings. */
export function ruleTable(
  rule: RuleDefinition<z.ZodRawShape> | RuleDefinition,
  cases: { valid?: Case[]; invalid?: InvalidCase[]; notApplicable?: Case[] },
): void {
  const def = rule as RuleDefinition;
  const run = (c: Case) => def.check(c.call, optionsSchema(def).parse(c.options ?? {}) as never, c.context ?? EMPTY_CONTEXT);
  for (const c of cases.valid ?? []) {
    it(`passes: ${c.name}`, () => {
      const result = run(c);
      expect(result.findings).toEqual([]);
      expect(result.outcome).toBe('pass');
    });
  }
  for (const c of cases.invalid ?? []) {
    it(`fails: ${c.name}`, () => {
      const result = run(c);
      expect(result.outcome).toBe('fail');
      expect(result.findings).toHaveLength(c.findings.length);
      c.findings.forEach((want, i) => {
        const got = result.findings[i] as RuleFinding;
        if (want.at !== undefined) expect(got.at).toBeCloseTo(want.at, 5);
        if (want.message !== undefined) expect(matches(got.message, want.message), `message: ${got.message}`).toBe(true);
        if (want.evidence !== undefined) expect(matches(got.evidence, want.evidence), `evidence: ${got.evidence}`).toBe(true);
      });
    });
  }
  for (const c of cases.notApplicable ?? []) {
    it(`n/a: ${c.name}`, () => {
      const result = run(c);
      expect(result.outcome).toBe('n/a');
      expect(result.findings).toEqual([]);
    });
  }
}

/** A prepared call from utterances given as objects (for shapes the line syntax cannot write, such as chat messages without ends). */
export function callOf(utterances: Utterance[], extra: Partial<Omit<Call, 'utterances'>> = {}): PreparedCall {
  return prepareCall({ id: 'T', source: 'test', agent: {}, hangupBy: 'unknown', roleSource: 'given', ...extra, utterances });
}
