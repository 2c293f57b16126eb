import type { Review, Verdict } from '../review/verdict.js';
import { ruleMetrics } from './metrics.js';

/**
 * What the team's own reviews say of each rule (`callqa calibrate --reviews`): of the findings an analyst
 * judged, the share confirmed (the rule's precision in this team's eyes), and, where two reviewers judged the
 * same findings, how far they agree (Cohen's κ). Pure: the command reads the files and prints.
 */

/** A finding as the reviews (or the saved run) describe it. */
export interface ReviewedFinding {
  rule: string;
  evidence: string;
}

export interface ReviewRuleStats {
  rule: string;
  /** Findings with a verdict (each counted once, by its latest verdict). */
  reviewed: number;
  confirmed: number;
  rejected: number;
  unsure: number;
  /** confirmed / (confirmed + rejected); undefined when none was decided. */
  precision?: number;
  /** Findings two reviewers judged (their first two, by time). */
  pairs: number;
  /** Cohen's κ between those two reviewers over the pairs; undefined without pairs or when chance explains all. */
  kappa?: number;
  /** The evidence most often overturned, and how often (ties: the first met). */
  overturned?: { evidence: string; count: number };
}

export interface ReviewCalibration {
  /** The rules most often overturned first (then the lowest precision, then by id). */
  rules: ReviewRuleStats[];
  all: ReviewRuleStats;
  /** Verdicts whose finding neither the file nor the saved run describes (no rule to count them under). */
  unplaced: Review[];
}

/** Later by time (ISO 8601; a time that does not parse is earliest), then by the order read. */
function later(a: { review: Review; order: number }, b: { review: Review; order: number }): boolean {
  const ta = Date.parse(a.review.at);
  const tb = Date.parse(b.review.at);
  const x = Number.isNaN(ta) ? Number.NEGATIVE_INFINITY : ta;
  const y = Number.isNaN(tb) ? Number.NEGATIVE_INFINITY : tb;
  return x !== y ? x > y : a.order > b.order;
}

/** Who judged: the reviewer's name, or, when the file names none (a findings.csv filled in), the file. */
function reviewerOf(r: Review): string {
  return r.reviewer !== '' ? `reviewer:${r.reviewer}` : `file:${r.file}`;
}

/** Each finding's verdicts: the latest of all, and each reviewer's latest, reviewers in the order they first judged it. */
function byFinding(reviews: readonly Review[]): Map<string, { latest: Review; reviewers: Map<string, Review> }> {
  const found = new Map<string, { latest: { review: Review; order: number }; reviewers: Map<string, { review: Review; order: number }> }>();
  // The reviewers' order: by time of their first verdict on the finding.
  const ordered = reviews.map((review, order) => ({ review, order })).sort((a, b) => (later(a, b) ? 1 : later(b, a) ? -1 : 0));
  for (const entry of ordered) {
    const f = found.get(entry.review.findingId);
    if (!f) {
      found.set(entry.review.findingId, { latest: entry, reviewers: new Map([[reviewerOf(entry.review), entry]]) });
      continue;
    }
    if (later(entry, f.latest)) f.latest = entry;
    const who = reviewerOf(entry.review);
    const mine = f.reviewers.get(who);
    if (!mine || later(entry, mine)) f.reviewers.set(who, entry);
  }
  const out = new Map<string, { latest: Review; reviewers: Map<string, Review> }>();
  for (const [id, f] of found) out.set(id, { latest: f.latest.review, reviewers: new Map([...f.reviewers].map(([who, e]) => [who, e.review])) });
  return out;
}

function stats(rule: string, latest: readonly Review[], pairs: readonly [Verdict, Verdict][], evidence: (r: Review) => string): ReviewRuleStats {
  const count = (v: Verdict) => latest.filter((r) => r.verdict === v).length;
  const s: ReviewRuleStats = {
    rule,
    reviewed: latest.length,
    confirmed: count('confirmed'),
    rejected: count('rejected'),
    unsure: count('unsure'),
    pairs: pairs.length,
  };
  if (s.confirmed + s.rejected > 0) s.precision = s.confirmed / (s.confirmed + s.rejected);
  if (pairs.length > 0) {
    const kappa = ruleMetrics(pairs.map(([a, b]) => ({ label: a, got: b }))).kappa;
    if (kappa !== undefined) s.kappa = kappa;
  }
  const overturned = new Map<string, number>();
  for (const r of latest) if (r.verdict === 'rejected') overturned.set(evidence(r), (overturned.get(evidence(r)) ?? 0) + 1);
  let best: ReviewRuleStats['overturned'];
  for (const [text, n] of overturned) if (!best || n > best.count) best = { evidence: text, count: n };
  if (best) s.overturned = best;
  return s;
}

/**
 * Per rule: the latest verdict of each finding counted; the pairs of the first two reviewers of a finding for κ.
 * `describe`: a finding's rule and evidence from the saved run, for reviews files that do not give them.
 */
export function reviewCalibration(
  reviews: readonly Review[],
  describe: (findingId: string) => ReviewedFinding | undefined = () => undefined,
): ReviewCalibration {
  const rules = new Map<string, { latest: Review[]; pairs: [Verdict, Verdict][] }>();
  const evidenceOf = new Map<string, string>();
  const unplaced: Review[] = [];
  for (const [id, f] of byFinding(reviews)) {
    const known = describe(id);
    const rule = f.latest.rule ?? known?.rule;
    if (rule === undefined) {
      unplaced.push(f.latest);
      continue;
    }
    evidenceOf.set(id, f.latest.evidence || known?.evidence || '');
    let r = rules.get(rule);
    if (!r) {
      r = { latest: [], pairs: [] };
      rules.set(rule, r);
    }
    r.latest.push(f.latest);
    const [first, second] = [...f.reviewers.values()];
    if (first && second) r.pairs.push([first.verdict, second.verdict]);
  }
  const evidence = (r: Review) => evidenceOf.get(r.findingId) ?? '';
  const list = [...rules].map(([rule, r]) => stats(rule, r.latest, r.pairs, evidence));
  list.sort((a, b) => b.rejected - a.rejected || (a.precision ?? 1) - (b.precision ?? 1) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  const all = stats(
    '(all)',
    [...rules.values()].flatMap((r) => r.latest),
    [...rules.values()].flatMap((r) => r.pairs),
    evidence,
  );
  return { rules: list, all, unplaced };
}
