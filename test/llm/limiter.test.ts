import { describe, expect, it } from 'vitest';
import { createBudget, createLimiter } from '../../src/llm/limiter.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('createLimiter', () => {
  it.each([1, 2, 3, 5])('never has more than %i tasks in flight, and reaches that many', async (n) => {
    const limiter = createLimiter(n);
    let inFlight = 0;
    let maxInFlight = 0;
    const task = (i: number) => async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      expect(limiter.active).toBeLessThanOrEqual(n);
      await tick(2 + (i % 4));
      inFlight--;
      return i * 10;
    };
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => limiter.run(task(i))));
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i * 10));
    expect(maxInFlight).toBe(n);
    expect(limiter.active).toBe(0);
    expect(limiter.pending).toBe(0);
  });

  it('starts waiting tasks in FIFO order', async () => {
    const limiter = createLimiter(2);
    const started: number[] = [];
    const releases: (() => void)[] = [];
    const runs = Array.from({ length: 6 }, (_, i) =>
      limiter.run(
        () =>
          new Promise<number>((resolve) => {
            started.push(i);
            releases[i] = () => resolve(i);
          }),
      ),
    );
    await tick(0);
    expect(started).toEqual([0, 1]);
    expect(limiter.pending).toBe(4);
    // Free the second slot first: the oldest waiter (2) still goes next.
    releases[1]?.();
    await tick(0);
    expect(started).toEqual([0, 1, 2]);
    releases[0]?.();
    await tick(0);
    expect(started).toEqual([0, 1, 2, 3]);
    releases[3]?.();
    releases[2]?.();
    await tick(0);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    releases[4]?.();
    releases[5]?.();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('frees the slot of a task that rejects or throws synchronously', async () => {
    const limiter = createLimiter(1);
    await expect(limiter.run(async () => Promise.reject(new Error('529 overloaded')))).rejects.toThrow('529 overloaded');
    await expect(
      limiter.run(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    expect(limiter.active).toBe(0);
    expect(await limiter.run(async () => 'next')).toBe('next');
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects concurrency %s', (n) => {
    expect(() => createLimiter(n)).toThrow(RangeError);
  });
});

describe('createBudget', () => {
  it('allows exactly maxCalls takes, then refuses', () => {
    const budget = createBudget(3);
    expect([budget.take(), budget.take(), budget.take()]).toEqual([true, true, true]);
    expect(budget.remaining).toBe(0);
    expect(budget.exhausted).toBe(false);
    expect(budget.take()).toBe(false);
    expect(budget.take()).toBe(false);
    expect(budget.used).toBe(3);
    expect(budget.exhausted).toBe(true);
    expect(budget.limit).toBe(3);
  });

  it('with 0 allows nothing', () => {
    const budget = createBudget(0);
    expect(budget.take()).toBe(false);
    expect(budget.used).toBe(0);
  });

  it('without a limit never refuses', () => {
    const budget = createBudget();
    for (let i = 0; i < 1000; i++) expect(budget.take()).toBe(true);
    expect(budget.used).toBe(1000);
    expect(budget.remaining).toBe(Number.POSITIVE_INFINITY);
    expect(budget.limit).toBeUndefined();
  });

  it('shared by concurrent tasks, lets exactly maxCalls through', async () => {
    const budget = createBudget(5);
    const limiter = createLimiter(4);
    let sent = 0;
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, () =>
        limiter.run(async () => {
          if (!budget.take()) return 'skipped';
          sent++;
          await tick(1);
          return 'sent';
        }),
      ),
    );
    expect(sent).toBe(5);
    expect(outcomes.filter((o) => o === 'skipped')).toHaveLength(7);
  });

  it.each([-1, 2.5])('rejects maxCalls %s', (n) => {
    expect(() => createBudget(n)).toThrow(RangeError);
  });
});
