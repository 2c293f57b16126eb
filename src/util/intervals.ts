/**
 * Intervals [start, end] numbered by their place in a list (utterances, speaker spans), asked which hold
 * a time: sorted by start once, with the latest end of each stretch of that order in a segment tree. A
 * question costs O(log n) plus O(log n) for each interval it returns, where a scan of the list per
 * question (per finding, per word) made the work quadratic. Intervals without a start, or with one
 * that is not a number (NaN), hold no time; an end that is missing is the start.
 */
export class IntervalIndex {
  /** Places in the list, sorted by start, then by place. */
  private readonly order: number[];
  private readonly starts: Float64Array;
  /** Latest end over each node's stretch of `order` (a missing or NaN end: -Infinity, holds nothing). */
  private readonly tree: Float64Array;

  constructor(intervals: readonly { start?: number | undefined; end?: number | undefined }[]) {
    const order: number[] = [];
    intervals.forEach((iv, i) => {
      if (iv.start !== undefined && !Number.isNaN(iv.start)) order.push(i);
    });
    order.sort((a, b) => (intervals[a]?.start as number) - (intervals[b]?.start as number) || a - b);
    this.order = order;
    this.starts = Float64Array.from(order, (i) => intervals[i]?.start as number);
    this.tree = new Float64Array(Math.max(1, 4 * order.length)).fill(Number.NEGATIVE_INFINITY);
    if (order.length > 0) this.build(1, 0, order.length, intervals);
  }

  private build(node: number, lo: number, hi: number, intervals: readonly { start?: number | undefined; end?: number | undefined }[]): number {
    let max: number;
    if (hi - lo === 1) {
      const iv = intervals[this.order[lo] as number] as { start?: number; end?: number };
      const end = iv.end ?? (iv.start as number);
      max = Number.isNaN(end) ? Number.NEGATIVE_INFINITY : end;
    } else {
      const mid = (lo + hi) >>> 1;
      max = Math.max(this.build(2 * node, lo, mid, intervals), this.build(2 * node + 1, mid, hi, intervals));
    }
    this.tree[node] = max;
    return max;
  }

  /** How many intervals start at or before `t` (none for NaN). */
  private startedBy(t: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.starts[mid] as number) <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The places of the intervals with start ≤ t ≤ end, in list order. */
  containing(t: number): number[] {
    const found: number[] = [];
    const k = this.startedBy(t);
    if (k > 0) this.collect(1, 0, this.order.length, k, t, found);
    return found.sort((a, b) => a - b);
  }

  private collect(node: number, lo: number, hi: number, k: number, t: number, found: number[]): void {
    if (lo >= k || (this.tree[node] as number) < t) return;
    if (hi - lo === 1) {
      found.push(this.order[lo] as number);
      return;
    }
    const mid = (lo + hi) >>> 1;
    this.collect(2 * node, lo, mid, k, t, found);
    this.collect(2 * node + 1, mid, hi, k, t, found);
  }

  /** The places of the intervals starting less than `epsilon` from t, in list order. */
  startingNear(t: number, epsilon: number): number[] {
    // Sorted starts: those with t − start < epsilon come after the rest; take them while start − t < epsilon.
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (t - (this.starts[mid] as number) < epsilon) hi = mid;
      else lo = mid + 1;
    }
    const found: number[] = [];
    for (let p = lo; p < this.starts.length && (this.starts[p] as number) - t < epsilon; p++) {
      if (Math.abs((this.starts[p] as number) - t) < epsilon) found.push(this.order[p] as number);
    }
    return found.sort((a, b) => a - b);
  }

  /** The interval with the latest start at or before t (of several, the last in the list), if any. */
  latestStartBy(t: number): number | undefined {
    const k = this.startedBy(t);
    return k > 0 ? this.order[k - 1] : undefined;
  }
}
