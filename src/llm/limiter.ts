/** Runs async work with at most `concurrency` tasks in flight; the rest wait in FIFO order. */
export interface Limiter {
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Tasks running now. */
  readonly active: number;
  /** Tasks waiting for a slot. */
  readonly pending: number;
  readonly concurrency: number;
}

/**
 * `concurrency` is a whole number ≥ 1 (the SDK retries 429/529 itself but never limits how many
 * requests are open at once: this does). A task that throws frees its slot like one that resolves.
 */
export function createLimiter(concurrency: number): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a whole number ≥ 1, got ${concurrency}`);
  let active = 0;
  const queue: (() => void)[] = [];

  const release = () => {
    const next = queue.shift();
    // Hand the slot straight to the next task: `active` stays the same.
    if (next) next();
    else active--;
  };

  const acquire = (): Promise<void> => {
    if (active < concurrency) {
      active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => queue.push(resolve));
  };

  return {
    async run<T>(fn: () => Promise<T>): Promise<T> {
      await acquire();
      try {
        return await fn();
      } finally {
        release();
      }
    },
    get active() {
      return active;
    },
    get pending() {
      return queue.length;
    },
    concurrency,
  };
}

/** How many API requests this run may still send (`--llm-max-calls`). */
export interface Budget {
  /** Takes one request from the budget: false (and nothing taken) once `limit` were taken. */
  take(): boolean;
  /** Requests taken so far. */
  readonly used: number;
  /** Requests left; Infinity without a limit. */
  readonly remaining: number;
  /** undefined: no limit. */
  readonly limit: number | undefined;
  /** true once a take() was refused. */
  readonly exhausted: boolean;
}

/** `maxCalls` undefined means no limit; 0 allows none. */
export function createBudget(maxCalls?: number): Budget {
  if (maxCalls !== undefined && (!Number.isInteger(maxCalls) || maxCalls < 0)) throw new RangeError(`maxCalls must be a whole number ≥ 0, got ${maxCalls}`);
  let used = 0;
  let refused = false;
  return {
    take() {
      if (maxCalls !== undefined && used >= maxCalls) {
        refused = true;
        return false;
      }
      used++;
      return true;
    },
    get used() {
      return used;
    },
    get remaining() {
      return maxCalls === undefined ? Number.POSITIVE_INFINITY : maxCalls - used;
    },
    limit: maxCalls,
    get exhausted() {
      return refused;
    },
  };
}
