import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { csvLine } from '../render/csv.js';
import { REVIEW_COLUMNS, type Verdict } from './verdict.js';

/** Where `callqa review` keeps its verdicts: in the report directory, beside findings.csv. */
export const REVIEWS_FILE = 'reviews.csv';

/** One row of reviews.csv: a verdict on a finding, who gave it and when. */
export interface ReviewRow {
  findingId: string;
  callId: string;
  agentId: string;
  rule: string;
  /** The finding's place in seconds (findings.csv's at_seconds), absent for a finding of the whole call. */
  at?: number;
  /** What the finding quotes (masked, as findings.csv has it). */
  evidence: string;
  verdict: Verdict;
  note: string;
  reviewer: string;
  /** ISO 8601 with the local offset. */
  reviewedAt: string;
}

/** The row's cells in REVIEW_COLUMNS' order. */
function cells(row: ReviewRow): (string | number | undefined)[] {
  const byColumn: Record<(typeof REVIEW_COLUMNS)[number], string | number | undefined> = {
    finding_id: row.findingId,
    call_id: row.callId,
    agent_id: row.agentId,
    rule: row.rule,
    at: row.at === undefined ? undefined : Math.round(row.at * 100) / 100,
    evidence: row.evidence,
    verdict: row.verdict,
    review_note: row.note,
    reviewer: row.reviewer,
    reviewed_at: row.reviewedAt,
  };
  return REVIEW_COLUMNS.map((c) => byColumn[c]);
}

/**
 * Appends one verdict to DIR/reviews.csv and has it on disk before returning: the file is opened for
 * appending, written, synced and closed each time, so that a session killed at any moment loses no verdict
 * given before. A new (or empty) file first gets the UTF-8 BOM Excel needs and the header row; cells are
 * written as the other CSVs write them (RFC 4180, CRLF, a cell Excel would run as a formula neutralised).
 */
export async function appendReview(dir: string, row: ReviewRow): Promise<void> {
  const file = await open(join(dir, REVIEWS_FILE), 'a+');
  try {
    const { size } = await file.stat();
    let head = size === 0 ? `\ufeff${csvLine([...REVIEW_COLUMNS])}` : '';
    if (size > 0) {
      // A file saved by hand may end without a line break: the row must not run on from its last line.
      const last = Buffer.alloc(1);
      await file.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) head = '\r\n';
    }
    await file.write(head + csvLine(cells(row)));
    await file.sync();
  } finally {
    await file.close();
  }
}

/** A time as ISO 8601 with the local offset (2026-12-05T11:02:03+08:00), as a reviewer's clock reads it. */
export function isoWithOffset(date: Date): string {
  const pad = (n: number) => String(Math.trunc(Math.abs(n))).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  const zone = `${offset >= 0 ? '+' : '-'}${pad(offset / 60)}:${pad(offset % 60)}`;
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${day}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${zone}`;
}

/**
 * Whether DIR/reviews.csv, when there is one, starts with the header row callqa review writes: rows are
 * appended in REVIEW_COLUMNS' order, which a file with other columns (or in another order) would misread.
 * Undefined when it does (or there is no file yet, or an empty one); else its first line, for the message.
 */
export async function foreignHeader(dir: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, REVIEWS_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (text === '') return undefined;
  const first = text.replace(/^\ufeff/, '').split(/\r?\n/, 1)[0] ?? '';
  return first.trim() === REVIEW_COLUMNS.join(',') ? undefined : first;
}
