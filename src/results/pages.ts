import { compareRecords } from './order.js';

/**
 * Which calls get a page in report.html: the calls that need attention, not the first in path order.
 * Critical failures first, then the other failed calls, then the rest; within each, the lowest score
 * first; ties in the stable order of the reports (source, place in source). Pages are taken in that
 * order while they fit (at most `maxPages`, at most `budget` bytes of pages); the first that does not fit
 * ends the choice. A call whose transcript is longer than `maxPageText` never gets a page.
 *
 * The choice is merge-consistent: the pages of a run over all inputs are a prefix of the attention
 * order, so the part of them in any subset of the calls (a shard, a worker's inputs, the calls seen so
 * far) is a prefix of that subset's own order, never longer than its own choice. Each shard (and each
 * worker) therefore keeps the transcripts of its own candidates, and `callqa report` over the shards,
 * walking the same order over their candidates, picks the same pages byte for byte. A shard's first
 * call that did not fit (`PageStop`, in run.json) stops a merge's walk where it stopped the shard's.
 */

/** What orders a call for a page. `part`: a big file's part (a worker numbers each part's calls from 0). */
export interface PageKey {
  critical: boolean;
  passed: boolean;
  score: number;
  source: string;
  part?: number;
  seq: number;
}

/** run.json's `pages`: how the run chose its pages, and the first call that did not fit (for merges). */
export interface PageChoice {
  chosen: number;
  /** Why calls were left without a page: the count or the byte budget (absent: every candidate got one). */
  cutBy?: 'count' | 'size';
  stop?: PageStop;
}

/** The first call in attention order after the chosen pages, and its page's size in bytes. */
export interface PageStop {
  source: string;
  seq: number;
  critical: boolean;
  passed: boolean;
  score: number;
  bytes: number;
}

/** What a run keeps of transcripts: every call's (--keep-transcripts), or its page candidates' within the limits. */
export interface PagePolicy {
  keepTranscripts: boolean;
  limits: PageLimits;
}

export interface PageLimits {
  maxPages: number;
  budget: number;
  /** Longest transcript (UTF-16 code units of its texts) that a page shows. */
  maxPageText: number;
}

function group(k: PageKey): number {
  return k.critical ? 0 : k.passed ? 2 : 1;
}

/** The attention order (above): negative when `a` needs a page first. */
export function compareAttention(a: PageKey, b: PageKey): number {
  return (
    group(a) - group(b) ||
    a.score - b.score ||
    (a.source === b.source
      ? (a.part ?? 0) - (b.part ?? 0) || a.seq - b.seq
      : compareRecords({ source: a.source, seq: a.seq }, { source: b.source, seq: b.seq }))
  );
}

/**
 * A candidate for a page. `weight`: a lower bound of its page's size (its transcript's length: a page
 * shows every text in full), or, for a shard's stop without a transcript, its page's size.
 */
export interface Candidate<T> {
  key: PageKey;
  weight: number;
  /** The page's size when known already (a shard's stop); else the walk renders the page to know it. */
  bytes?: number;
  value: T;
}

/**
 * The candidates a run keeps while calls stream by: the longest prefix of the attention order, among the
 * calls offered, that may still hold pages, and the one after it (which may stop the walk). Its memory is
 * bounded by the limits, not by the calls: at most maxPages + 1 candidates, whose transcripts add up to
 * about the budget.
 */
export class PageShortlist<T> {
  private readonly list: Candidate<T>[] = [];
  /** The list ends with a candidate that cannot be a page whatever comes (it passes a limit). */
  private closed = false;
  /** The candidates' weights added up. */
  private weight = 0;

  constructor(readonly limits: PageLimits) {}

  /** Whether a call of this transcript length can have a page at all. */
  pageable(weight: number): boolean {
    return weight <= this.limits.maxPageText;
  }

  /** Whether a call with this key would be kept: the cheap test before its transcript is made. */
  wants(key: PageKey): boolean {
    if (!this.closed) return true;
    return compareAttention(key, (this.list[this.list.length - 1] as Candidate<T>).key) < 0;
  }

  /**
   * Offers a call that may have a page, its value made only when the shortlist would keep it (a transcript
   * copied or kept costs more than the tests). Returns the candidate when kept, else undefined.
   */
  offerIf(key: PageKey, weight: number, value: () => T): Candidate<T> | undefined {
    if (!this.pageable(weight) || !this.wants(key)) return undefined;
    const candidate: Candidate<T> = { key, weight, value: value() };
    return this.offer(candidate) ? candidate : undefined;
  }

  /** Offers a candidate; true when it is kept (for now: a better one may push it out later). */
  offer(candidate: Candidate<T>): boolean {
    if (!this.pageable(candidate.weight) && candidate.bytes === undefined) return false;
    if (!this.wants(candidate.key)) return false;
    const { list } = this;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareAttention(list[mid]?.key as PageKey, candidate.key) < 0) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, candidate);
    this.weight += candidate.weight;
    this.trim();
    return list[lo] === candidate;
  }

  /**
   * Drops every candidate after the first that cannot fit whatever its real size (past the count, or the
   * weights so far over the budget). The weights only grow along the list, so it is enough to look at the
   * end: while the candidate before the last already cannot fit, the last goes.
   */
  private trim(): void {
    const { list, limits } = this;
    const closes = (index: number, weightTo: number) => index >= limits.maxPages || weightTo > limits.budget;
    while (list.length >= 2 && closes(list.length - 2, this.weight - (list[list.length - 1] as Candidate<T>).weight)) {
      this.weight -= (list.pop() as Candidate<T>).weight;
    }
    this.closed = list.length > 0 && closes(list.length - 1, this.weight);
  }

  /** The candidates in attention order. */
  candidates(): readonly Candidate<T>[] {
    return this.list;
  }

  /**
   * The pages: candidates in attention order while they fit. `measure` renders a candidate's page and gives
   * its bytes; `take` is told of each page chosen, in order, before the next is measured (a page's anchor
   * may depend on the pages before it). A shard's stop (its size known, no transcript) ends the walk where
   * it does not fit, as it ended the shard's; one that fits (shards made with other limits) is passed over.
   */
  choose(measure: (c: Candidate<T>) => number, take: (c: Candidate<T>) => void): PageChoice {
    let chosen = 0;
    let total = 0;
    for (const c of this.list) {
      const bytes = c.bytes ?? measure(c);
      const cutBy = chosen >= this.limits.maxPages ? 'count' : total + bytes > this.limits.budget ? 'size' : undefined;
      if (cutBy) {
        const stop: PageStop = { source: c.key.source, seq: c.key.seq, critical: c.key.critical, passed: c.key.passed, score: c.key.score, bytes };
        return { chosen, cutBy, stop };
      }
      if (c.bytes !== undefined) continue;
      total += bytes;
      chosen++;
      take(c);
    }
    return { chosen };
  }
}

/** A call's transcript length (UTF-16 code units of its texts): its page's weight in the shortlist. */
export function transcriptWeight(utterances: readonly { text: string }[]): number {
  let weight = 0;
  for (const u of utterances) weight += u.text.length;
  return weight;
}

/** What orders a call of a result for a page. */
export function pageKeyOf(call: { criticalFailures: readonly string[]; passed: boolean; score: number; source: string; seq: number }, part?: number): PageKey {
  const key: PageKey = { critical: call.criticalFailures.length > 0, passed: call.passed, score: call.score, source: call.source, seq: call.seq };
  if (part !== undefined) key.part = part;
  return key;
}

/** A shard's stop as a candidate of a merge: it has no transcript; its size is known. */
export function stopCandidate<T>(stop: PageStop, value: T): Candidate<T> {
  return {
    key: { critical: stop.critical, passed: stop.passed, score: stop.score, source: stop.source, seq: stop.seq },
    weight: stop.bytes,
    bytes: stop.bytes,
    value,
  };
}
