import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Candidate, compareAttention, type PageKey, type PageLimits, PageShortlist, stopCandidate } from '../../src/results/pages.js';

interface Call {
  id: number;
  key: PageKey;
  /** Its transcript's length: a lower bound of its page's size. */
  weight: number;
  /** Its page's size. */
  size: number;
}

const limits: PageLimits = { maxPages: 5, budget: 1000, maxPageText: 300 };

function candidate(call: Call): Candidate<Call> {
  return { key: call.key, weight: call.weight, value: call };
}

/** The pages a run over `calls` (offered in this order) chooses: their ids, and its stop. */
function run(calls: readonly Call[], stops: Candidate<Call>[] = []) {
  const shortlist = new PageShortlist<Call>(limits);
  for (const s of stops) shortlist.offer(s);
  for (const c of calls) shortlist.offer(candidate(c));
  const chosen: Call[] = [];
  const choice = shortlist.choose(
    (c) => c.value.size,
    (c) => chosen.push(c.value),
  );
  return { ids: chosen.map((c) => c.id), chosen, choice };
}

const callArb = fc.record({
  critical: fc.boolean(),
  passed: fc.boolean(),
  score: fc.integer({ min: 0, max: 10 }).map((s) => s * 10),
  source: fc.constantFrom('a/1.json', 'a/2.json', 'b.jsonl', 'a.jsonl'),
  weight: fc.integer({ min: 1, max: 400 }),
  extra: fc.integer({ min: 0, max: 150 }),
});

/** Calls with distinct (source, seq) places. */
const callsArb = fc.array(callArb, { minLength: 0, maxLength: 40 }).map((list) => {
  const next = new Map<string, number>();
  return list.map((c, id): Call => {
    const seq = next.get(c.source) ?? 0;
    next.set(c.source, seq + 1);
    return { id, key: { critical: c.critical, passed: c.passed, score: c.score, source: c.source, seq }, weight: c.weight, size: c.weight + c.extra };
  });
});

describe('the attention order', () => {
  it('puts critical failures first, then failed calls by lowest score, then the rest; ties by source and place', () => {
    const k = (critical: boolean, passed: boolean, score: number, source = 'x', seq = 0): PageKey => ({ critical, passed, score, source, seq });
    const keys = [k(false, true, 40), k(false, false, 70), k(true, false, 0, 'b'), k(false, false, 20), k(true, false, 0, 'a', 1), k(true, false, 0, 'a', 0)];
    const sorted = [...keys].sort(compareAttention);
    expect(sorted).toEqual([keys[5], keys[4], keys[2], keys[3], keys[1], keys[0]]);
    // A big file's parts order their calls before their places (each part numbers its calls from 0).
    expect(compareAttention({ ...k(false, false, 10), part: 1, seq: 0 }, { ...k(false, false, 10), part: 0, seq: 7 })).toBeGreaterThan(0);
  });
});

describe('PageShortlist', () => {
  it('chooses the longest prefix of the attention order that fits, whatever order the calls come in', () => {
    fc.assert(
      fc.property(callsArb, fc.integer(), (calls, seed) => {
        const sorted = [...calls].filter((c) => c.weight <= limits.maxPageText).sort((a, b) => compareAttention(a.key, b.key));
        const expected: number[] = [];
        let total = 0;
        for (const c of sorted) {
          if (expected.length >= limits.maxPages || total + c.size > limits.budget) break;
          expected.push(c.id);
          total += c.size;
        }
        const shuffled = [...calls].sort((a, b) => ((a.id * 7919 + seed) % 101) - ((b.id * 7919 + seed) % 101));
        expect(run(shuffled).ids).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('never holds more than the limits allow', () => {
    const shortlist = new PageShortlist<number>(limits);
    for (let i = 0; i < 500; i++) shortlist.offer({ key: { critical: false, passed: false, score: i % 50, source: 's', seq: i }, weight: 100, value: i });
    expect(shortlist.candidates().length).toBeLessThanOrEqual(limits.maxPages + 1);
    expect(shortlist.candidates().map((c) => c.key.score)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('passes over a transcript too long for a page without stopping', () => {
    const calls: Call[] = [
      { id: 0, key: { critical: true, passed: false, score: 0, source: 's', seq: 0 }, weight: 301, size: 400 },
      { id: 1, key: { critical: false, passed: false, score: 0, source: 's', seq: 1 }, weight: 10, size: 20 },
    ];
    expect(run(calls).ids).toEqual([1]);
  });

  it('is merge-consistent: shards keep their own pages and stop, and a merge of them chooses what one run over all would', () => {
    fc.assert(
      fc.property(callsArb, fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 40, maxLength: 40 }), (calls, shardOf) => {
        const whole = run(calls);
        const shards = [0, 1, 2].map((s) => run(calls.filter((c) => shardOf[c.id] === s)));
        // A merge sees each shard's paged calls with their transcripts, and each shard's stop (size known, no transcript).
        const stops = shards.flatMap((s) =>
          s.choice.stop ? [stopCandidate<Call>(s.choice.stop, { id: -1, key: s.choice.stop as PageKey, weight: 0, size: 0 })] : [],
        );
        const merged = run(
          shards.flatMap((s) => s.chosen),
          stops,
        );
        expect(merged.ids).toEqual(whole.ids);
        expect(merged.choice).toEqual(whole.choice);
      }),
      { numRuns: 500 },
    );
  });

  it('a worker that sends only the calls its own shortlist keeps sends every call the run pages', () => {
    fc.assert(
      fc.property(callsArb, fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 40, maxLength: 40 }), (calls, workerOf) => {
        const whole = run(calls);
        const workers = [0, 1].map(() => new PageShortlist<null>(limits));
        const sent = calls.filter((c) => {
          const w = workers[workerOf[c.id] as number] as PageShortlist<null>;
          return w.pageable(c.weight) && w.wants(c.key) && w.offer({ key: c.key, weight: c.weight, value: null });
        });
        expect(run(sent).ids).toEqual(whole.ids);
      }),
      { numRuns: 500 },
    );
  });
});
