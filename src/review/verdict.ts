/**
 * What an analyst says of a finding: it stands (`confirmed`), it was wrong (`rejected`: it deducts nothing),
 * or they cannot tell yet (`unsure`: it stands until someone decides).
 */
export const VERDICTS = ['confirmed', 'rejected', 'unsure'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The words an analyst may type in Excel for each verdict: the ids, and the Chinese words of 复核 in either script. */
const WORDS: ReadonlyMap<string, Verdict> = new Map([
  ['confirmed', 'confirmed'],
  ['confirm', 'confirmed'],
  ['确认', 'confirmed'],
  ['確認', 'confirmed'],
  ['rejected', 'rejected'],
  ['reject', 'rejected'],
  ['驳回', 'rejected'],
  ['駁回', 'rejected'],
  ['unsure', 'unsure'],
  ['待定', 'unsure'],
]);

/**
 * A verdict cell as an analyst left it: undefined when it is empty (not reviewed), the verdict when it is one of
 * the words (any case, spaces around it ignored), else `invalid`.
 */
export function parseVerdict(cell: string | undefined): Verdict | undefined | 'invalid' {
  const text = (cell ?? '').trim().toLowerCase();
  if (text === '') return undefined;
  return WORDS.get(text) ?? 'invalid';
}

/** The words parseVerdict reads, for an error message. */
export const VERDICT_WORDS: readonly string[] = [...WORDS.keys()];

/** One analyst's verdict on one finding, from a reviews file (reviews.csv, or findings.csv / report.xlsx filled in). */
export interface Review {
  findingId: string;
  verdict: Verdict;
  note: string;
  /** Who judged: reviews.csv's `reviewer`; a filled-in findings.csv or report.xlsx names none: ''. */
  reviewer: string;
  /** When (ISO 8601): reviews.csv's `reviewed_at`; a filled-in findings.csv or report.xlsx: the file's modification time. */
  at: string;
  /** Where it was read: the file and its line (a row of report.xlsx's findings sheet: that row). */
  file: string;
  line: number;
  /** The finding as the file described it, when it does: to name a verdict whose finding is gone. */
  callId?: string;
  rule?: string;
  /** What it quoted (a findings.csv or report.xlsx filled in gives it). */
  evidence?: string;
}

/**
 * reviews.csv's columns, in order: what `callqa review` writes, one row a verdict (the latest for a finding wins).
 * The finding's call, rule, place and evidence make the file read on its own (calibrate --reviews needs no run).
 */
export const REVIEW_COLUMNS = ['finding_id', 'call_id', 'agent_id', 'rule', 'at', 'evidence', 'verdict', 'review_note', 'reviewer', 'reviewed_at'] as const;

/** How many of a call's findings stand: all but those an analyst overturned (`--reviews`), which are no finding of the agent's. */
export function standingFindings(findings: readonly { review?: { verdict: Verdict } }[]): number {
  let n = 0;
  for (const f of findings) if (f.review?.verdict !== 'rejected') n++;
  return n;
}
