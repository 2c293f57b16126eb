import { parse as parseCsv } from 'csv-parse/sync';
import { InputProblem, msg } from './errors.js';

/** One CSV record with the physical line of the file it begins on. */
export interface CsvRow {
  /** Physical line of the file where the row begins. */
  line: number;
  cells: string[];
}

/** Reads the file with csv-parse; each row carries the physical line it starts on. */
export function readCsvRows(text: string, delimiter: string): CsvRow[] {
  const bytes = Buffer.from(text, 'utf8');
  let scanned = 0;
  let line = 1;
  /** The line on which the byte at `offset` sits; offsets must not decrease between calls. */
  const lineAt = (offset: number): number => {
    for (; scanned < offset && scanned < bytes.length; scanned++) {
      const b = bytes[scanned];
      if (b === 0x0a || (b === 0x0d && bytes[scanned + 1] !== 0x0a)) line++;
    }
    return line;
  };
  const rows: CsvRow[] = [];
  let end = 0; // byte offset just after the last record read
  try {
    // csv-parse's own `info.lines` miscounts after blank lines and CR LF inside quoted cells,
    // so lines are counted here from the byte offset where each record ends (`bytes`).
    // Blank lines are not skipped by the parser (each is a record of one empty cell), so every
    // record begins exactly where the previous one ended.
    parseCsv(text, {
      delimiter,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      relax_quotes: true,
      on_record: (record: string[], info) => {
        rows.push({ line: lineAt(end), cells: record });
        end = info.bytes;
        return null;
      },
    });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('CSV_')) throw err;
    const at = lineAt(end);
    if (code === 'CSV_QUOTE_NOT_CLOSED') {
      throw new InputProblem(msg('input.csv-unclosed-quote', { format: 'CSV' }), at);
    }
    // csv-parse's own words (English) for the rarer faults.
    throw new InputProblem(msg('input.csv-malformed', { format: 'CSV', problem: (err as Error).message.replace(/ at line \d+/, '') }), at);
  }
  return rows;
}

export const isBlank = (cells: readonly string[]) => cells.every((c) => c.trim() === '');

/** Tab when the extension says .tsv, or when the header line has tabs and no commas. */
export function delimiterFor(source: string, text: string): string {
  if (/\.tsv$/i.test(source)) return '\t';
  const header = text.split(/\r\n|\n|\r/).find((l) => l.trim() !== '') ?? '';
  return header.includes('\t') && !header.includes(',') ? '\t' : ',';
}
