import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lang } from '../i18n/lang.js';

export type Cell = string | number | boolean | undefined | null;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
// = + - @ start formulas; tab and CR too (OWASP); Excel also reads the full-width forms.
const FORMULA_START = /^[=+\-@\t\r＝＋－＠]/;

/** A cell Excel would run as a formula gets a leading ' (numbers such as -5 stay numbers). */
export function neutralise(cell: string): string {
  return FORMULA_START.test(cell) && !NUMBER.test(cell) ? `'${cell}` : cell;
}

export function cellText(value: Cell): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return neutralise(value);
}

export interface CsvOptions {
  bom: boolean;
  /** The header row's names for its columns' ids (`--headers localized`); absent: the ids themselves. */
  headerNames?: (ids: readonly string[]) => readonly string[];
  /** The language of the reasons rows give (unmatched.csv's); absent: English. */
  lang?: Lang;
}

/** What csv-stringify quotes with these options: a quote, a comma, CR or LF. */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV record, RFC 4180, as csv-stringify writes it with `record_delimiter: 'windows'`: cells as
 * `cellText` writes them, a cell holding a quote, comma, CR or LF in quotes with its quotes doubled,
 * CRLF after the record. Written here rather than through the library because reports are rendered
 * a record at a time on the worker threads, where the library's set-up for each record cost ten
 * times the record; a test holds the two to the same bytes on every kind of cell.
 */
export function csvLine(cells: readonly Cell[]): string {
  return `${csvCells(cells)}\r\n`;
}

/** csvLine's cells, comma-separated, without the record's CRLF: a run of cells several records share. */
export function csvCells(cells: readonly Cell[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    const text = cellText(cells[i]);
    if (i > 0) line += ',';
    line += NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  }
  return line;
}

/** Text gathered into pieces of this size before it goes to the file: a write per row costs more than the row. */
const FLUSH_BYTES = 64 * 1024;

/**
 * A report file written under a hidden temporary name and renamed into place by `commit`, so the
 * report directory never holds a half-written file. Text is buffered and written in large pieces;
 * `write` resolves once the file can take more (back-pressure keeps memory flat on big runs).
 */
export class TextFile {
  private readonly stream: WriteStream;
  private readonly finished: Promise<void>;
  private failure: Error | undefined;
  private pending: string[] = [];
  private pendingLength = 0;
  readonly tempPath: string;
  readonly path: string;

  constructor(dir: string, name: string) {
    this.path = join(dir, name);
    this.tempPath = join(dir, `.${name}.${process.pid}.partial`);
    this.stream = createWriteStream(this.tempPath);
    this.finished = new Promise((resolve, reject) => {
      this.stream.on('finish', () => resolve());
      this.stream.on('error', reject);
    });
    this.finished.catch((err: Error) => {
      this.failure = err;
    });
  }

  /** Appends text as it is. */
  async writeText(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= FLUSH_BYTES) await this.flush();
  }

  /**
   * Appends bytes (UTF-8 text rendered elsewhere, a worker's): what is buffered goes first. Resolves
   * once the bytes are in the file, so that their buffer may be handed back to be filled again.
   */
  async writeBytes(bytes: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    await this.flush();
    if (bytes.length === 0) return;
    await new Promise<void>((resolve, reject) => this.stream.write(bytes, (err) => (err ? reject(err) : resolve())));
  }

  /** Appends the bytes of a file (another part of this one, written beside it): what is buffered goes first. */
  async copyFrom(path: string): Promise<void> {
    await this.flush();
    for await (const chunk of createReadStream(path)) {
      if (this.failure) throw this.failure;
      if (!this.stream.write(chunk)) await this.drained();
    }
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending.length === 1 ? (this.pending[0] as string) : this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    if (!this.stream.write(text)) await this.drained();
  }

  /**
   * Until the stream takes more, or has closed: a stream that failed (a full disk) never drains, and
   * waiting for that alone hung the run. The failure is thrown by the next write or by close.
   */
  private drained(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        resolve();
      };
      this.stream.once('drain', done);
      this.stream.once('close', done);
    });
  }

  /** Flushes and closes the temporary file; `commit` then renames it into place. */
  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await this.finished;
  }

  async commit(): Promise<void> {
    await rename(this.tempPath, this.path);
  }

  /** Stops writing and removes the temporary file: once the stream has closed, for one still opening would create it again. */
  async discard(): Promise<void> {
    this.pending = [];
    if (!this.stream.closed) {
      const closed = new Promise<void>((resolve) => this.stream.once('close', () => resolve()));
      this.stream.destroy();
      await closed;
    }
    await rm(this.tempPath, { force: true });
  }
}

/** A CSV report: the header first (after a BOM for Excel), then records (`csvLine`). */
export class CsvFile extends TextFile {
  constructor(dir: string, name: string, header: readonly string[], { bom, headerNames }: CsvOptions) {
    super(dir, name);
    void this.writeText(`${bom ? '\ufeff' : ''}${csvLine(headerNames ? headerNames(header) : header)}`);
  }

  async write(cells: readonly Cell[]): Promise<void> {
    await this.writeText(csvLine(cells));
  }
}

/** A JSON Lines file: one JSON value a line. */
export class JsonlFile extends TextFile {
  async write(record: unknown): Promise<void> {
    await this.writeText(`${JSON.stringify(record)}\n`);
  }
}
