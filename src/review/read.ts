import { open, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { en, type MessageKey } from '../i18n/catalogs/en.js';
import { type Params, type Translator, translate, translator } from '../i18n/format.js';
import { type Lang, LANGS } from '../i18n/lang.js';
import { messageText } from '../i18n/message.js';
import { delimiterFor } from '../ingest/csv-rows.js';
import { decodeBytes } from '../ingest/encoding.js';
import { InputProblem } from '../ingest/errors.js';
import { neutralise } from '../render/csv.js';
import { headerIds } from '../render/tables.js';
import { titleIn } from '../results/languages.js';
import { readRunInfo } from '../results/read.js';
import { isFindingId } from './ids.js';
import { parseVerdict, type Review, VERDICT_WORDS } from './verdict.js';

/** Verdicts read from reviews files, and what could not be read (each names the file and line, and what was expected). */
export interface ReadReviews {
  reviews: Review[];
  problems: string[];
}

/** A reviews file larger than this is refused unread: reviews.csv and a findings.csv hold a line a finding, far less. */
export const MAX_REVIEWS_FILE_MB = 200;

/** The columns a file of verdicts must have (by id, or by a localized name headerIds knows). */
const NEEDED = ['finding_id', 'verdict'] as const;

/** What the messages name as the files expected. */
const EXPECTED = { reviews: 'reviews.csv', findings: 'findings.csv', xlsx: 'report.xlsx' } as const;

/** One table read from a file: where its rows come from, and what it says of a review without a time. */
interface Table {
  file: string;
  /** The place of a line or row in messages: `file:line`, or `file[sheet]:row` in a workbook. */
  place: (line: number) => string;
  /** When a row without `reviewed_at` was judged: the file's modification time (ISO). */
  modified: string;
  /** A `rule` cell as the rule's id (a CSV's is one already; report.xlsx names rules by title); undefined: unknown. */
  ruleId?: (cell: string) => string | undefined;
}

/** What one file's reading adds to: the verdicts, the problems, and the words to say them in. */
interface Reading extends ReadReviews {
  say: Translator;
}

/**
 * The verdicts of reviews files, in the order read: reviews.csv as `callqa review` writes it; a findings.csv an
 * analyst filled in (its `verdict` and `review_note` columns), saved by Excel in UTF-8 with or without BOM, or in
 * GB18030/GBK or Big5 (plain "CSV" on Chinese Windows), header row of ids or of localized names; and report.xlsx
 * (`--xlsx`), its findings sheet. Rows without a verdict are skipped (not reviewed); a row or file that cannot be
 * read is a problem, in `lang`, never a verdict and never a crash. A verdict with no time of its own (findings.csv,
 * report.xlsx) is dated by the file's modification time: when the analyst saved it.
 */
export async function readReviews(files: readonly string[], lang: Lang = 'en'): Promise<ReadReviews> {
  const reading: Reading = { reviews: [], problems: [], say: translator(lang) };
  for (const file of files) await readOne(file, reading, lang);
  return { reviews: reading.reviews, problems: reading.problems };
}

async function readOne(file: string, reading: Reading, lang: Lang): Promise<void> {
  const problem = (key: MessageKey, params: Params = {}) => void reading.problems.push(reading.say(key, { file, ...EXPECTED, ...params }));
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
  } catch (err) {
    return void problem('review.read.unreadable', { reason: errorCode(err) });
  }
  if (info.isDirectory()) return void problem('review.read.directory');
  if (info.size > MAX_REVIEWS_FILE_MB * 1024 * 1024) {
    return void problem('review.read.too-big', { size: Math.ceil(info.size / (1024 * 1024)), limit: MAX_REVIEWS_FILE_MB });
  }
  const table: Table = { file, place: (line) => `${file}:${line}`, modified: info.mtime.toISOString() };
  try {
    if (await isZip(file)) await readWorkbook(table, reading);
    else readCsv(table, await readFile(file), reading, lang);
  } catch (err) {
    problem('review.read.unreadable', { reason: errorCode(err) });
  }
}

/** An error as the short reason a message gives: the system's code (ENOENT, EACCES) or the error's text. */
function errorCode(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}

/** Whether a file starts as a ZIP archive does (an .xlsx is one), whatever its name says. */
async function isZip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && head.readUInt32BE(0) === 0x504b0304;
  } finally {
    await handle.close();
  }
}

/**
 * A CSV file: decoded as Excel may have saved it (BOM or not, GB18030 or Big5 detected from the text), then
 * parsed with CRLF or LF and quoted multi-line cells; each record's line is where it starts in the file.
 */
function readCsv(table: Table, bytes: Buffer, reading: Reading, lang: Lang): void {
  let text: string;
  try {
    text = decodeBytes(bytes).text;
  } catch (err) {
    const line = err instanceof InputProblem ? (err.line ?? 1) : 1;
    const reason = err instanceof InputProblem && err.said ? messageText(lang, err.said) : (err as Error).message;
    return void reading.problems.push(reading.say('review.read.encoding', { place: table.place(line), reason }));
  }
  let line = 1;
  let columns: Columns | undefined;
  let done = false;
  try {
    // Row by row, keeping none (on_record returns null): only the verdicts stay in memory, and the rows before a
    // fault are read.
    parse(text, {
      // Excel's "Unicode Text" is UTF-16 with tabs (decodeBytes reads UTF-16 by its BOM).
      delimiter: delimiterFor(table.file, text),
      bom: true,
      raw: true,
      relax_column_count: true,
      relax_quotes: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      // With `raw`, csv-parse hands on_record the record and its raw text (its types do not say so).
      on_record: (({ record, raw }: { record: string[]; raw: string }) => {
        const at = line;
        // Each record's raw text ends with its line break (csv-parse keeps the CR of a CRLF): counted for the next line.
        line += (raw.match(/\r\n|\r|\n/g) ?? []).length;
        if (done || (record.length === 1 && record[0] === '')) return null;
        if (!columns) {
          columns = headerColumns(table, record, reading);
          done = columns === undefined;
        } else readRow(table, columns, record, at, reading);
        return null;
      }) as unknown as (record: string[]) => null,
    });
  } catch (err) {
    // An unclosed quote runs from the start of the record being read (`line`) to the end of the file.
    const place = table.place(line);
    if ((err as { code?: unknown }).code === 'CSV_QUOTE_NOT_CLOSED') return void reading.problems.push(reading.say('review.read.csv-unclosed', { place }));
    // csv-parse's own words (English) for the rarer faults.
    return void reading.problems.push(reading.say('review.read.csv', { place, csv: 'CSV', reason: (err as Error).message }));
  }
  if (done) return;
  if (!columns) headerColumns(table, [], reading);
}

/** Where each column a verdict needs is in a table's rows (-1: the table has no such column). */
type Columns = ReadonlyMap<string, number>;

/** The columns of a header row, by id; a problem (line 1, the columns expected) when finding_id or verdict is missing. */
function headerColumns(table: Table, header: readonly string[], reading: Reading, report = true): Columns | undefined {
  const ids = headerIds(header.map((h) => unneutralise(h.trim())));
  const columns = new Map<string, number>();
  ids.forEach((id, i) => {
    if (!columns.has(id)) columns.set(id, i);
  });
  const missing = NEEDED.filter((id) => !columns.has(id));
  if (missing.length === 0) return columns;
  if (report) reading.problems.push(reading.say('review.read.no-columns', { place: table.place(1), columns: [...NEEDED], missing }));
  return undefined;
}

/** A cell callqa wrote with a leading `'` so that Excel would not run it as a formula, as it was. */
function unneutralise(cell: string): string {
  return cell.startsWith("'") && neutralise(cell.slice(1)) === cell ? cell.slice(1) : cell;
}

/** One row of a table: a verdict, nothing (no verdict: not reviewed), or a problem naming its line. */
function readRow(table: Table, columns: Columns, row: readonly string[], line: number, reading: Reading): void {
  const cell = (id: string) => {
    const at = columns.get(id);
    return at === undefined ? '' : unneutralise((row[at] ?? '').trim());
  };
  const problem = (key: MessageKey, column: string, params: Params) =>
    void reading.problems.push(reading.say(key, { place: table.place(line), column, value: JSON.stringify(cell(column)), ...params }));
  const verdict = parseVerdict(cell('verdict'));
  if (verdict === undefined) return;
  if (verdict === 'invalid') return void problem('review.read.verdict', 'verdict', { words: [...VERDICT_WORDS] });
  const findingId = cell('finding_id');
  if (!isFindingId(findingId)) return void problem('review.read.id', 'finding_id', { example: 'F-0123456789abcdef' });
  const at = columns.has('reviewed_at') && cell('reviewed_at') !== '' ? isoTime(cell('reviewed_at')) : table.modified;
  if (at === undefined) return void problem('review.read.time', 'reviewed_at', { example: '2026-12-05T09:30:00Z' });
  reading.reviews.push({
    findingId,
    verdict,
    note: cell('review_note'),
    reviewer: cell('reviewer'),
    at,
    file: table.file,
    line,
    ...(cell('call_id') ? { callId: cell('call_id') } : {}),
    ...rule(table, cell('rule')),
    // reviews.csv keeps the finding's evidence, and findings.csv and report.xlsx show it: calibrate --reviews reads it there.
    ...(columns.has('evidence') ? { evidence: cell('evidence') } : {}),
  });
}

/** The finding's rule as a row names it, when it does and it can be told (`{}` otherwise: better none than another). */
function rule(table: Table, cell: string): { rule?: string } {
  const id = cell === '' ? undefined : table.ruleId ? table.ruleId(cell) : cell;
  return id === undefined ? {} : { rule: id };
}

/** What a rule id looks like (an English workbook keeps the ids: `greeting`, `llm:empathy`). */
const RULE_ID = /^[A-Za-z0-9][\w.:-]*$/;

/**
 * How report.xlsx may name a rule in its findings sheet, in any language: by its title (the run's, from the
 * run.json beside the workbook when there is one, else the catalog's), or by its title and id when two rules
 * share a title; each → the rule's id. A name it does not know is an id if it looks like one, else unknown.
 */
async function workbookRuleIds(file: string): Promise<(cell: string) => string | undefined> {
  const run = await readRunInfo(dirname(file)).catch(() => undefined);
  const ids = new Set<string>(run?.layout.ruleIds ?? []);
  for (const key of Object.keys(en)) {
    const known = /^rule\.(.+)\.title$/.exec(key);
    if (known) ids.add(known[1] as string);
  }
  const byName = new Map<string, string>();
  for (const lang of LANGS) {
    const title = titleIn(run?.rubric, lang);
    for (const id of ids) {
      byName.set(translate(lang, 'xlsx.cell.rule', { title: title(id), id }), id);
      if (!byName.has(title(id))) byName.set(title(id), id);
    }
  }
  return (cell) => byName.get(cell) ?? (RULE_ID.test(cell) ? cell : undefined);
}

/**
 * A `reviewed_at` cell as Review.at: ISO 8601 as reviews.csv has it, kept as written (a date that is not one,
 * such as 2026-02-30, refused); or as Excel rewrites it on saving (`2026/12/5 9:30`, local time), as ISO 8601 in
 * UTC. Undefined for anything else.
 */
function isoTime(text: string): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i.exec(text);
  const excel = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  const date = iso ?? excel;
  if (!date) return undefined;
  const [year, month, day] = date.slice(1, 4).map(Number) as [number, number, number];
  // Date rolls 2026-02-30 over into March: a date that is not one is not read as another.
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  if (excel) {
    const [hour, minute, second] = excel.slice(4).map((n) => Number(n ?? 0)) as [number, number, number];
    if (hour > 23 || minute > 59 || second > 59) return undefined;
    return new Date(year, month - 1, day, hour, minute, second).toISOString();
  }
  return Number.isNaN(Date.parse(text.replace(' ', 'T'))) ? undefined : text;
}

/** A workbook cell's value as the text Excel shows: rich text joined, a formula's result, a date in ISO. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'object') return String(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('result' in value) return value.result === undefined ? '' : cellText(value.result as ExcelJS.CellValue);
  if ('text' in value) return typeof value.text === 'string' ? value.text : cellText(value.text as ExcelJS.CellValue);
  return '';
}

/**
 * report.xlsx (or a workbook an analyst saved from it): every sheet whose header row has finding_id and verdict
 * (report.xlsx's findings sheet, in the run's language, and its continuations past Excel's row limit), streamed
 * row by row. A workbook without one is a problem.
 */
async function readWorkbook(table: Table, reading: Reading): Promise<void> {
  let found = false;
  // Loaded only when a workbook is read: most runs never read one, and exceljs is slow to load.
  const { default: ExcelJS } = await import('exceljs');
  const ruleId = await workbookRuleIds(table.file);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(table.file, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', worksheets: 'emit' });
  try {
    for await (const sheet of reader) {
      const name = (sheet as unknown as { name: string }).name;
      const rows: Table = { ...table, place: (row) => `${table.file}[${name}]:${row}`, ruleId };
      let columns: Columns | undefined;
      let first = true;
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const values = Array.from((row.values as ExcelJS.CellValue[]).slice(1), cellText);
        if (first) {
          first = false;
          columns = headerColumns(rows, values, reading, false);
          found ||= columns !== undefined;
        } else if (columns) readRow(rows, columns, values, row.number, reading);
      }
    }
  } catch (err) {
    return void reading.problems.push(reading.say('review.read.workbook', { file: table.file, ...EXPECTED, excel: 'Excel', reason: (err as Error).message }));
  }
  if (!found) {
    reading.problems.push(
      reading.say('review.read.no-sheet', { file: table.file, columns: [...NEEDED], report: 'report.xlsx', command: 'callqa score --xlsx' }),
    );
  }
}
