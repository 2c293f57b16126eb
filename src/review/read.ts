import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { isFindingId } from './ids.js';
import { parseVerdict, type Review, VERDICT_WORDS } from './verdict.js';

/** Verdicts read from reviews files, and what could not be read (each names the file and line, and what was expected). */
export interface ReadReviews {
  reviews: Review[];
  problems: string[];
}

/**
 * The verdicts of reviews files, in the order read. First version: reviews.csv as `callqa review` writes it
 * (UTF-8, with or without BOM, header row of ids). Rows without a verdict are skipped; a row that cannot be
 * read is a problem, never a verdict.
 */
export async function readReviews(files: readonly string[]): Promise<ReadReviews> {
  const reviews: Review[] = [];
  const problems: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = (await readFile(file, 'utf8')).replace(/^\ufeff/, '');
    } catch (err) {
      problems.push(`${file}: cannot read it: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      continue;
    }
    const rows = parse(text, { relax_column_count: true, skip_empty_lines: true }) as string[][];
    const header = rows[0]?.map((h) => h.trim()) ?? [];
    const col = (name: string) => header.indexOf(name);
    if (col('finding_id') < 0 || col('verdict') < 0) {
      problems.push(`${file}:1: expected a header row with finding_id and verdict`);
      continue;
    }
    for (const [i, row] of rows.slice(1).entries()) {
      const line = i + 2;
      const cell = (name: string) => (col(name) >= 0 ? (row[col(name)] ?? '').trim() : '');
      const verdict = parseVerdict(cell('verdict'));
      if (verdict === undefined) continue;
      if (verdict === 'invalid') {
        problems.push(`${file}:${line}: verdict: expected one of ${VERDICT_WORDS.join(', ')}, got ${JSON.stringify(cell('verdict'))}`);
        continue;
      }
      const findingId = cell('finding_id');
      if (!isFindingId(findingId)) {
        problems.push(`${file}:${line}: finding_id: expected an id such as F-0123456789abcdef, got ${JSON.stringify(findingId)}`);
        continue;
      }
      reviews.push({
        findingId,
        verdict,
        note: cell('review_note'),
        reviewer: cell('reviewer'),
        at: cell('reviewed_at'),
        file,
        line,
        ...(cell('call_id') ? { callId: cell('call_id') } : {}),
        ...(cell('rule') ? { rule: cell('rule') } : {}),
        ...(col('evidence') >= 0 ? { evidence: cell('evidence') } : {}),
      });
    }
  }
  return { reviews, problems };
}
