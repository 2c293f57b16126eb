import { type EventEmitter, once } from 'node:events';
import { createReadStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import type { Cell as ExcelCell, Style, Worksheet } from 'exceljs';
import { neutralise } from './csv.js';
import { agentColumns, callColumns, type CellKind, type Column, ERROR_TABLE, FINDING_TABLE, type ReportLayout, headerIds, xlsxLabel } from './tables.js';
import { displayWidth } from '../commands/output/summary.js';
import { en, type MessageKey } from '../i18n/catalogs/en.js';
import { type Translator, translator } from '../i18n/format.js';
import { type Lang, LANGS } from '../i18n/lang.js';
import { inScope, writtenOnly } from '../i18n/written.js';
import { type Channel, isWrittenChannel } from '../model/call.js';
import type { RunInfo } from '../results/codec.js';
import { reportLang, titleOf } from './html/words.js';
import { RUN_FILE, readRunInfo } from '../results/read.js';

/**
 * `report.xlsx`: the report directory's CSVs as one workbook for analysts — sheets of the calls,
 * the agents, the findings (and the input errors when the run had some), each with a frozen,
 * filterable header row, sized columns, numbers as numbers and long text wrapped. The sheet names and
 * header labels are in the run's language (rules by their titles); the cells are the CSVs', except those
 * that hold an id there (a rule's outcome, who hung up, a finding's rule…): the words for people. Each
 * column's kind comes from the report's column lists for the layout in run.json, never from its name
 * (a rule may be called `score`).
 *
 * Read from the CSVs (so the workbook says exactly what they say) and written with exceljs's
 * streaming writer, row by row: memory stays flat however many calls. Strings are written inline
 * (no shared-strings table, which would hold every distinct text in memory) as plain string cells,
 * which Excel never evaluates; a text that would start a formula keeps the CSVs' leading `'`, so it
 * stays text even when someone edits the cell or saves the sheet as CSV again.
 */

export const XLSX_NAME = 'report.xlsx';

/** Excel's limits: rows in a sheet (header included) and characters in a cell. */
const EXCEL_MAX_ROWS = 1_048_576;
const EXCEL_MAX_CELL = 32_767;

export interface XlsxOptions {
  /** Rows per sheet, header included (Excel's 1,048,576); past it a sheet continues in `Findings (2)`… */
  maxRowsPerSheet?: number;
  /** The language of the sheet names and headers (default: the run's, run.json's `rubric.lang`; English for runs before languages). */
  lang?: Lang;
}

interface SheetSpec {
  /** The sheet's name, in the workbook's language. */
  name: MessageKey;
  file: string;
  optional: boolean;
  /** The file's columns and the kind of their cells, for the run's layout (run.json's). */
  columns: (layout: ReportLayout) => readonly Column[];
  /** Also freeze the first column (the call id) on wide sheets. */
  freezeFirstColumn: boolean;
}

const SHEETS: readonly SheetSpec[] = [
  { name: 'xlsx.sheet.calls', file: 'calls.csv', optional: false, columns: callColumns, freezeFirstColumn: true },
  { name: 'xlsx.sheet.agents', file: 'agents.csv', optional: false, columns: agentColumns, freezeFirstColumn: false },
  { name: 'xlsx.sheet.findings', file: 'findings.csv', optional: false, columns: () => FINDING_TABLE, freezeFirstColumn: false },
  { name: 'xlsx.sheet.errors', file: 'errors.csv', optional: true, columns: () => ERROR_TABLE, freezeFirstColumn: false },
];

/** The headers a CSV's column may have: its id, or its label in any language (a CSV written with localized headers). */
function headersOf(column: Column | undefined, titles: readonly ((id: string) => string)[]): string[] {
  if (!column) return [];
  return [column.name, ...LANGS.map((lang, i) => xlsxLabel(column, translator(lang), titles[i] as (id: string) => string))];
}

/**
 * The kind of each of a CSV's columns, by position (a rule may share a fixed column's name). A header
 * other than the layout's is a CSV run.json does not describe: typing it would be guesswork.
 */
function kindsOf(path: string, header: readonly string[], columns: readonly Column[], run: Pick<RunInfo, 'rubric'>): CellKind[] {
  const titles = LANGS.map((lang) => titleOf(run, lang));
  for (let i = 0; i < Math.max(header.length, columns.length); i++) {
    const found = header[i];
    const wanted = columns[i]?.name;
    if (found !== wanted && (found === undefined || !headersOf(columns[i], titles).includes(found))) {
      throw new Error(
        `${path}: column ${i + 1} is ${found === undefined ? 'missing' : JSON.stringify(found)} where the ${RUN_FILE} beside it has ${wanted === undefined ? 'none' : JSON.stringify(wanted)} (write the reports again with callqa report)`,
      );
    }
  }
  return columns.map((c) => c.kind);
}

const WIDTH: Record<CellKind, { min: number; max: number }> = {
  text: { min: 8, max: 40 },
  wrap: { min: 30, max: 60 },
  number: { min: 8, max: 14 },
  percent: { min: 8, max: 12 },
  boolean: { min: 8, max: 10 },
};

/** Rows read before the columns are sized (a bounded sample: the rest stream straight through). */
const SAMPLE_ROWS = 200;

const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
// XML 1.0 cannot hold lone surrogates or U+FFFE/U+FFFF (exceljs drops the control characters itself).
const NOT_XML = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uFFFE\uFFFF]/g;

/** A CSV cell as an Excel value: numbers and booleans typed, text kept as text (never a formula). */
export function xlsxValue(cell: string, kind: CellKind): string | number | boolean | null {
  if (kind === 'number' || kind === 'percent') {
    const text = cell.trim();
    if (text === '') return null;
    if (NUMBER.test(text)) {
      const n = Number(text);
      if (Number.isFinite(n)) return n;
    }
  } else if (kind === 'boolean') {
    if (cell === 'true') return true;
    if (cell === 'false') return false;
    if (cell === '') return null;
  }
  if (cell === '') return null;
  return textCell(cell);
}

function textCell(cell: string): string {
  let text = neutralise(cell.replace(NOT_XML, '\uFFFD'));
  if (text.length > EXCEL_MAX_CELL) {
    let end = EXCEL_MAX_CELL - 1;
    if (/[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end--;
    text = `${text.slice(0, end)}…`;
  }
  return text;
}

/** Column letters: 1 → A, 27 → AA. */
export function columnLetter(n: number): string {
  let s = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

function widthOf(text: string): number {
  let widest = 0;
  for (const line of text.split(/\r\n|\n|\r/)) widest = Math.max(widest, displayWidth(line));
  return widest;
}

const HEADER_STYLE: Partial<Style> = {
  font: { name: 'Calibri', size: 11, bold: true },
  fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEDEDED' } },
  alignment: { vertical: 'top' },
  border: { bottom: { style: 'thin', color: { argb: 'FF999999' } } },
};

const TOP: Partial<Style> = { alignment: { vertical: 'top' } };
const STYLES: Record<CellKind, Partial<Style>> = {
  text: TOP,
  number: TOP,
  boolean: TOP,
  wrap: { alignment: { vertical: 'top', wrapText: true } },
  percent: { alignment: { vertical: 'top' }, numFmt: '0.0%' },
};

type Row = string[];

/** The records of a CSV file, BOM or not, streamed. */
async function* csvRecords(path: string): AsyncGenerator<Row> {
  const parser = createReadStream(path).pipe(parse({ bom: true, record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true }));
  try {
    for await (const record of parser as AsyncIterable<Row>) yield record;
  } catch (err) {
    throw new Error(`${path}: cannot read it as CSV: ${(err as Error).message}`);
  }
}

/**
 * Whether calls.csv holds chats and social threads only (its `channel` column; empty for a phone call): then the
 * workbook counts conversations, not calls. Reads up to the first phone call, so a run of calls stops at its first row.
 */
async function writtenRun(path: string, layout: ReportLayout): Promise<boolean> {
  const at = callColumns(layout).findIndex((c) => c.name === 'channel');
  if (at < 0) return false;
  const counts = new Map<Channel, number>();
  const file = createReadStream(path);
  const parser = file.pipe(parse({ bom: true, record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true, from_line: 2 }));
  try {
    for await (const record of parser as AsyncIterable<Row>) {
      const cell = record[at];
      const channel: Channel = isWrittenChannel(cell) ? cell : 'voice';
      counts.set(channel, (counts.get(channel) ?? 0) + 1);
      if (channel === 'voice') break;
    }
  } catch (err) {
    throw new Error(`${path}: cannot read it as CSV: ${(err as Error).message}`);
  } finally {
    // Leaving early (a phone call) must not leave the file open.
    file.destroy();
    parser.destroy();
  }
  return writtenOnly(counts);
}

/** How much XML may wait for the compressor (it works while the next rows are built). */
const BACKLOG = 4 * 1024 * 1024;

/**
 * Back-pressure exceljs does not apply: its sheet buffer pushes 64 KiB chunks into the zip entry's
 * stream without waiting, so on a big run the XML would pile up in memory ahead of the compressor.
 * Waits, when more than BACKLOG is queued, until that stream has taken it all. Reaches into
 * exceljs internals: should they change, it does nothing (the workbook is still right, only
 * memory is no longer bounded).
 */
async function drained(sheet: Worksheet): Promise<void> {
  const buffer = (sheet as unknown as { _stream?: { pipes?: unknown[] } })._stream;
  for (const pipe of buffer?.pipes ?? []) {
    const target = pipe as EventEmitter & {
      _writableState?: { length?: number; highWaterMark?: number };
      writableLength?: number;
      writableHighWaterMark?: number;
    };
    const length = target._writableState?.length ?? target.writableLength;
    const limit = target._writableState?.highWaterMark ?? target.writableHighWaterMark;
    if (typeof length === 'number' && typeof limit === 'number' && length > Math.max(limit, BACKLOG) && typeof target.once === 'function')
      await once(target, 'drain');
  }
}

/** What every sheet of a workbook shares: the run's columns and words, the rows a sheet may hold. */
interface Book {
  layout: ReportLayout;
  run: Pick<RunInfo, 'rubric'>;
  maxRows: number;
  say: Translator;
  title: (ruleId: string) => string;
  /** A rule in a cell: its title, with its id when another rule of the layout has the same title. */
  ruleName: (ruleId: string) => string;
}

/** A cell's text for people, from the id the CSV holds. */
type CellWords = (cell: string) => string;

/** The fixed columns whose cells hold an id of a small vocabulary, and the catalog keys of its words (`<prefix>.<id>`). */
const VOCABULARIES: Readonly<Record<string, string>> = {
  hangup_by: 'xlsx.cell.party',
  role_source: 'xlsx.cell.roles',
  direction: 'xlsx.cell.direction',
  llm_status: 'xlsx.cell.llm',
  status: 'xlsx.cell.status',
  verdict: 'xlsx.cell.verdict',
};

/** Each id of a vocabulary as its word (looked up once an id); an id the catalog has no word for (a free-text direction) stays. */
function vocabulary(prefix: string, say: Translator): CellWords {
  const seen = new Map<string, string>();
  return (cell) => {
    let word = seen.get(cell);
    if (word === undefined) {
      const key = `${prefix}.${cell}`;
      word = Object.hasOwn(en, key) ? say(key as MessageKey) : cell;
      seen.set(cell, word);
    }
    return word;
  };
}

/**
 * How a column's cells are written for people, or undefined for as the CSV has them. By the column the
 * layout puts there (a rule's column has a label whatever its id), never by the header's text: a rule's
 * outcome (pass, fail…), the fixed vocabularies, the findings' rule and the calls' critical failures by title.
 */
function cellWords(column: Column | undefined, book: Book): CellWords | undefined {
  if (!column) return undefined;
  if (column.label) return 'rule' in column.label && !column.label.fails ? vocabulary('xlsx.cell.outcome', book.say) : undefined;
  if (column.name === 'rule') return book.ruleName;
  if (column.name === 'critical_failures') return (ids) => (ids === '' ? ids : book.say('xlsx.cell.rules', { rules: ids.split(';').map(book.ruleName) }));
  if (column.name === 'channel') {
    // calls.csv leaves a voice call's channel empty (its records predate channels); in the sheet people read, it is a phone call.
    const words = vocabulary('report.channel', book.say);
    return (cell) => words(cell === '' ? 'voice' : cell);
  }
  const prefix = Object.hasOwn(VOCABULARIES, column.name) ? VOCABULARIES[column.name] : undefined;
  return prefix === undefined ? undefined : vocabulary(prefix, book.say);
}

/** ruleName for a layout: a title two of its rules share is told apart by the ids. */
function ruleNames(layout: ReportLayout, title: (ruleId: string) => string, say: Translator): (ruleId: string) => string {
  const count = new Map<string, number>();
  for (const id of layout.ruleIds) count.set(title(id), (count.get(title(id)) ?? 0) + 1);
  return (id) => {
    const t = title(id);
    return (count.get(t) ?? 0) > 1 ? say('xlsx.cell.rule', { title: t, id }) : t;
  };
}

/** The header row: each column's label in the workbook's language; a label two columns share (two rules of one title) gains the column's id. */
function headerLabels(columns: readonly Column[], book: Book): string[] {
  const labels = columns.map((c) => xlsxLabel(c, book.say, book.title));
  const seen = new Map<string, number>();
  for (const l of labels) seen.set(l, (seen.get(l) ?? 0) + 1);
  return labels.map((l, i) => ((seen.get(l) ?? 0) > 1 ? `${l} (${(columns[i] as Column).name})` : l));
}

type WorkbookWriter = InstanceType<typeof import('exceljs')['stream']['xlsx']['WorkbookWriter']>;

/** One sheet (or, past the row limit, its continuations), written row by row. */
async function writeSheet(workbook: WorkbookWriter, spec: SheetSpec, path: string, book: Book): Promise<void> {
  const records = csvRecords(path);
  const first = await records.next();
  const header = first.done ? [] : first.value;
  const layoutColumns = spec.columns(book.layout);
  // A localized header row (--headers localized) is read as the ids it names.
  const kinds = first.done ? [] : kindsOf(path, headerIds(header, book.layout, book.run.rubric.titles), layoutColumns, book.run);
  const labels = first.done ? [] : headerLabels(layoutColumns, book);
  const words = layoutColumns.map((c) => cellWords(c, book));
  const cellAt = (record: Row, i: number) => {
    const cell = record[i] ?? '';
    const w = words[i];
    return w ? w(cell) : cell;
  };
  const { maxRows } = book;
  // Size the columns from the header and a sample of rows; exceljs needs the widths before the first row.
  const sample: Row[] = [];
  let exhausted = first.done === true;
  while (!exhausted && sample.length < SAMPLE_ROWS) {
    const next = await records.next();
    if (next.done) exhausted = true;
    else sample.push(next.value);
  }
  const columns = labels.map((h, i) => {
    const kind = kinds[i] as CellKind;
    const { min, max } = WIDTH[kind];
    // The header's filter button takes about two characters.
    let want = widthOf(h) + 3;
    for (const row of sample) want = Math.max(want, widthOf(cellAt(row, i)) + 1);
    return { width: Math.min(max, Math.max(min, want)), style: STYLES[kind] };
  });

  let part = 0;
  let sheet: Worksheet | undefined;
  let rows = 0;
  const open = () => {
    part++;
    const name = book.say(spec.name);
    sheet = workbook.addWorksheet(part === 1 ? name : book.say('xlsx.sheet.part', { sheet: name, part }), {
      views: [{ state: 'frozen', xSplit: spec.freezeFirstColumn ? 1 : 0, ySplit: 1 }],
    });
    sheet.columns = columns;
    const row = sheet.addRow(labels.map((h) => textCell(h)));
    row.eachCell((cell: ExcelCell) => {
      cell.style = HEADER_STYLE;
    });
    row.commit();
    rows = 1;
  };
  const close = async () => {
    if (!sheet) return;
    if (header.length > 0) sheet.autoFilter = `A1:${columnLetter(header.length)}${rows}`;
    await sheet.commit();
    sheet = undefined;
  };
  const write = async (record: Row) => {
    if (rows >= maxRows) {
      await close();
      open();
    }
    const values = header.map((_, i) => xlsxValue(cellAt(record, i), kinds[i] as CellKind));
    const row = (sheet as Worksheet).addRow(values);
    // One shared style object per kind: exceljs then finds its id by identity instead of rendering it per cell.
    values.forEach((value, i) => {
      if (value !== null) row.getCell(i + 1).style = STYLES[kinds[i] as CellKind];
    });
    row.commit();
    rows++;
    if (rows % 200 === 0) await drained(sheet as Worksheet);
  };

  open();
  for (const record of sample) await write(record);
  if (!exhausted) for await (const record of records) await write(record);
  await close();
}

/**
 * Writes `report.xlsx` into a report directory from its calls.csv, agents.csv and findings.csv
 * (and errors.csv when present), typed by the columns of run.json's layout, under a temporary name
 * renamed into place at the end. Throws when a required CSV or run.json is missing, or a CSV's header
 * is not its layout's; the directory then keeps whatever workbook it had.
 */
export async function writeXlsx(outDir: string, options: XlsxOptions = {}): Promise<void> {
  const maxRows = Math.max(2, Math.min(EXCEL_MAX_ROWS, options.maxRowsPerSheet ?? EXCEL_MAX_ROWS));
  const present: { spec: SheetSpec; path: string }[] = [];
  for (const spec of SHEETS) {
    const path = join(outDir, spec.file);
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile()) present.push({ spec, path });
    else if (!spec.optional) throw new Error(`${outDir}: no ${spec.file} to put in ${XLSX_NAME} (write the CSV reports first)`);
  }
  const run = await readRunInfo(outDir);
  const lang = reportLang(run, options.lang);
  const calls = present.find((p) => p.spec.file === 'calls.csv');
  const say = inScope(translator(lang), calls !== undefined && (await writtenRun(calls.path, run.layout)));
  const title = titleOf(run, lang);
  const book: Book = { layout: run.layout, run, maxRows, say, title, ruleName: ruleNames(run.layout, title, say) };
  // exceljs takes ~160 ms to load: only runs that ask for a workbook pay for it.
  const { default: ExcelJS } = await import('exceljs');
  const target = join(outDir, XLSX_NAME);
  const temp = join(outDir, `.${XLSX_NAME}.${process.pid}.partial`);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: temp, useStyles: true, useSharedStrings: false });
  workbook.creator = 'callqa';
  try {
    for (const { spec, path } of present) await writeSheet(workbook, spec, path, book);
    await workbook.commit();
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
