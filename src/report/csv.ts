import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify, type Stringifier } from 'csv-stringify';

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
}

/**
 * A CSV file written under a hidden temporary name and renamed into place by `commit`, so the
 * report directory never holds a half-written CSV. RFC 4180: CRLF rows, quotes where needed.
 */
export class CsvFile {
  private readonly stringifier: Stringifier;
  private readonly stream: WriteStream;
  private readonly finished: Promise<void>;
  private failure: Error | undefined;
  readonly tempPath: string;
  readonly path: string;

  constructor(dir: string, name: string, header: readonly string[], { bom }: CsvOptions) {
    this.path = join(dir, name);
    this.tempPath = join(dir, `.${name}.${process.pid}.partial`);
    this.stream = createWriteStream(this.tempPath);
    this.stringifier = stringify({ bom, record_delimiter: 'windows', quoted_match: /[\r\n]/ });
    this.stringifier.pipe(this.stream);
    this.finished = new Promise((resolve, reject) => {
      this.stream.on('finish', () => resolve());
      this.stream.on('error', reject);
      this.stringifier.on('error', reject);
    });
    this.finished.catch((err: Error) => {
      this.failure = err;
    });
    this.stringifier.write(header.map((h) => cellText(h)));
  }

  /** Resolves when the file can take more (back-pressure keeps memory flat on big runs). */
  async write(cells: readonly Cell[]): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.stringifier.write(cells.map(cellText))) {
      await new Promise<void>((resolve) => this.stringifier.once('drain', resolve));
    }
  }

  /** Flushes and closes the temporary file; `commit` then renames it into place. */
  async close(): Promise<void> {
    this.stringifier.end();
    await this.finished;
  }

  async commit(): Promise<void> {
    await rename(this.tempPath, this.path);
  }

  async discard(): Promise<void> {
    this.stringifier.destroy();
    this.stream.destroy();
    await rm(this.tempPath, { force: true });
  }
}

/** A JSON Lines file written like CsvFile: under a hidden name, renamed into place on commit. */
export class JsonlFile {
  private readonly stream: WriteStream;
  private readonly finished: Promise<void>;
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
    this.finished.catch(() => {});
  }

  async write(record: unknown): Promise<void> {
    if (!this.stream.write(`${JSON.stringify(record)}\n`)) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }

  async close(): Promise<void> {
    this.stream.end();
    await this.finished;
  }

  async commit(): Promise<void> {
    await rename(this.tempPath, this.path);
  }

  async discard(): Promise<void> {
    this.stream.destroy();
    await rm(this.tempPath, { force: true });
  }
}
