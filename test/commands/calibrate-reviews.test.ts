import { describe, expect, it } from 'vitest';
import { reviewCalibration } from '../../src/calibrate/reviews.js';
import type { Review, Verdict } from '../../src/review/verdict.js';

let line = 0;
const review = (findingId: string, verdict: Verdict, reviewer: string, at: string, extra: Partial<Review> = {}): Review => ({
  findingId,
  verdict,
  note: '',
  reviewer,
  at,
  file: 'reviews.csv',
  line: ++line,
  ...extra,
});

describe('calibrate --reviews: a rule’s precision in the team’s eyes, and two reviewers’ agreement', () => {
  const t = (minute: number) => `2026-12-01T10:${String(minute).padStart(2, '0')}:00+08:00`;
  const banned = { rule: 'banned-phrases' };
  const reviews: Review[] = [
    review('F-0000000000000001', 'confirmed', 'a', t(1), { ...banned, evidence: '这个不行' }),
    review('F-0000000000000002', 'rejected', 'a', t(2), { ...banned, evidence: '行不行？' }),
    review('F-0000000000000003', 'rejected', 'a', t(3), { ...banned, evidence: '行不行？' }),
    review('F-0000000000000009', 'rejected', 'a', t(3), { ...banned, evidence: '不行吗' }),
    // An appeal: b's later verdict wins; a and b make one pair.
    review('F-0000000000000004', 'confirmed', 'a', t(4), { rule: 'greeting' }),
    review('F-0000000000000004', 'rejected', 'b', t(9), { rule: 'greeting' }),
    // One reviewer changing their mind: the later verdict by time (not by place in the file), no pair.
    review('F-0000000000000005', 'rejected', 'a', t(8), { rule: 'greeting' }),
    review('F-0000000000000005', 'confirmed', 'a', t(5), { rule: 'greeting' }),
    // Four findings two reviewers judged: agreement 3/4, chance 1/2, κ 0.5.
    ...(['c', 'r', 'c', 'r'] as const).flatMap((a, i) => {
      const b = ['c', 'r', 'r', 'r'][i];
      const v = (x: string): Verdict => (x === 'c' ? 'confirmed' : 'rejected');
      const id = `F-00000000000000${10 + i}`;
      return [review(id, v(a), 'a', t(10 + i), { rule: 'closing' }), review(id, v(b as string), 'b', t(20 + i), { rule: 'closing' })];
    }),
    // Unsure counts as reviewed, not as decided.
    review('F-0000000000000006', 'unsure', 'a', t(6), banned),
    // No rule in the file: the saved run names it, or it is listed apart.
    review('F-0000000000000007', 'rejected', '', t(7), { file: 'findings.csv' }),
    review('F-0000000000000008', 'rejected', '', t(7), { file: 'findings.csv' }),
  ];
  const c = reviewCalibration(reviews, (id) => (id === 'F-0000000000000007' ? { rule: 'courtesy', evidence: '好的' } : undefined));

  it('counts each finding once by its latest verdict, rules most overturned first, with their most overturned evidence', () => {
    expect(c.rules.map((r) => [r.rule, r.reviewed, r.confirmed, r.rejected, r.unsure, r.precision])).toEqual([
      ['banned-phrases', 5, 1, 3, 1, 0.25],
      ['closing', 4, 1, 3, 0, 0.25],
      ['greeting', 2, 0, 2, 0, 0],
      ['courtesy', 1, 0, 1, 0, 0],
    ]);
    expect(c.rules[0]?.overturned).toEqual({ evidence: '行不行？', count: 2 });
    expect(c.rules[3]?.overturned).toEqual({ evidence: '好的', count: 1 });
    expect(c.unplaced.map((r) => r.findingId)).toEqual(['F-0000000000000008']);
  });

  it('gives Cohen’s κ over the findings two reviewers judged', () => {
    const closing = c.rules.find((r) => r.rule === 'closing');
    expect(closing?.pairs).toBe(4);
    expect(closing?.kappa).toBeCloseTo(0.5, 12);
    const greeting = c.rules.find((r) => r.rule === 'greeting');
    expect(greeting?.pairs).toBe(1);
    // One pair that disagrees: agreement 0, chance 0: κ 0.
    expect(greeting?.kappa).toBe(0);
    expect(c.rules.find((r) => r.rule === 'banned-phrases')?.pairs).toBe(0);
    expect(c.all).toMatchObject({ rule: '(all)', reviewed: 12, confirmed: 2, rejected: 9, unsure: 1, pairs: 5 });
    expect(c.all.precision).toBeCloseTo(2 / 11, 12);
  });
});
