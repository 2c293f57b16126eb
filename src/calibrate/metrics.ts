/**
 * Agreement between a rule's outcomes and a reviewer's labels, and between callqa's scores and a
 * reviewer's. Pure functions over small tables: `callqa calibrate` and its tests use them as they are.
 */

/** One labelled case: the reviewer's verdict and what callqa gave (`pass`, `fail`, `n/a`, `error`…). */
export interface LabelledCase {
  label: string;
  got: string;
}

/** A rule's figures; undefined where a figure has no value on these cases (see each). */
export interface RuleMetrics {
  labelled: number;
  /** Cases where callqa's outcome is the label (pass, fail and n/a apart): agreeing / labelled. */
  agreement?: number;
  /** Of callqa's deductions (got fail), the share labelled fail: tp / (tp + fp); undefined when callqa deducted nothing. */
  precision?: number;
  /** Of the fail labels, the share callqa deducted: tp / (tp + fn); undefined when nothing is labelled fail. */
  recall?: number;
  /** 2tp / (2tp + fp + fn); undefined when neither side says fail. */
  f1?: number;
  /**
   * Cohen's κ over the classes either side used: (pₒ − pₑ) / (1 − pₑ), pₒ the agreement, pₑ the
   * agreement expected by chance from each side's class shares. Undefined when pₑ = 1: both sides
   * gave one and the same class to every case, and chance explains the whole agreement.
   */
  kappa?: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export function ruleMetrics(cases: readonly LabelledCase[]): RuleMetrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  let agree = 0;
  const labels = new Map<string, number>();
  const gots = new Map<string, number>();
  for (const { label, got } of cases) {
    if (label === got) agree++;
    labels.set(label, (labels.get(label) ?? 0) + 1);
    gots.set(got, (gots.get(got) ?? 0) + 1);
    const l = label === 'fail';
    const g = got === 'fail';
    if (l && g) tp++;
    else if (g) fp++;
    else if (l) fn++;
    else tn++;
  }
  const n = cases.length;
  const m: RuleMetrics = { labelled: n, tp, fp, fn, tn };
  if (n === 0) return m;
  m.agreement = agree / n;
  if (tp + fp > 0) m.precision = tp / (tp + fp);
  if (tp + fn > 0) m.recall = tp / (tp + fn);
  if (2 * tp + fp + fn > 0) m.f1 = (2 * tp) / (2 * tp + fp + fn);
  let expected = 0;
  for (const [cls, count] of labels) expected += (count / n) * ((gots.get(cls) ?? 0) / n);
  // pₑ = 1 only when both sides used a single class, the same one; compare with a tolerance for rounding.
  if (1 - expected > 1e-12) m.kappa = (m.agreement - expected) / (1 - expected);
  return m;
}

/** Ranks from 1, ties given the average of the ranks they span. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && (order[end + 1] as { v: number }).v === (order[start] as { v: number }).v) end++;
    // Positions start..end (0-based) hold ranks start+1..end+1: their average.
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[(order[k] as { i: number }).i] = rank;
    start = end + 1;
  }
  return ranks;
}

function pearson(x: readonly number[], y: readonly number[]): number | undefined {
  const n = x.length;
  if (n < 2) return undefined;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return undefined;
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * Spearman's ρ: Pearson's correlation of the average ranks (so ties are handled exactly). Undefined
 * with fewer than two pairs, or when either side gives every call the same score.
 */
export function spearman(x: readonly number[], y: readonly number[]): number | undefined {
  if (x.length !== y.length) throw new Error('spearman: the two lists differ in length');
  return pearson(averageRanks(x), averageRanks(y));
}

/** Mean absolute difference; undefined for no pairs. */
export function meanAbsoluteError(x: readonly number[], y: readonly number[]): number | undefined {
  if (x.length !== y.length) throw new Error('meanAbsoluteError: the two lists differ in length');
  if (x.length === 0) return undefined;
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs((x[i] as number) - (y[i] as number));
  return sum / x.length;
}
