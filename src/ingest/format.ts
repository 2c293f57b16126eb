import type { Lang } from '../i18n/lang.js';
import type { Parsed } from './parsed.js';

/** Options that change how inputs are read (flags of `callqa score`). */
export interface IngestOptions {
  /** --input-format: read every input as this format instead of detecting it. */
  inputFormat?: string;
  /** --encoding: decode every input with this encoding instead of detecting it. */
  encoding?: string;
  /** --columns: CSV column names for the canonical fields (speaker=说话人,text=识别结果). */
  columns?: Readonly<Record<string, string>>;
  /** --time-unit: how CSV exports write plain-number times. */
  timeUnit?: 's' | 'ms';
  /** --channel: how the conversations of inputs that do not say took place (a chat platform's CSV export: chat). */
  channel?: 'voice' | 'chat' | 'social';
  /** --max-record-mb: the largest record (a JSON Lines line, any other file whole) read, in MB (limits.ts). */
  maxRecordMb?: number;
  /** The language readInput writes the reasons of errors in (the run's; absent: English). */
  lang?: Lang;
}

export interface ParseContext {
  /** The input's name as the user gave it. */
  source: string;
  /** The decoded text (JSON formats use it to put line numbers on errors). */
  text: string;
  options: IngestOptions;
}

interface FormatInfo {
  /** The name `--input-format` takes. */
  name: string;
  /** One line for `callqa formats`. */
  title: string;
  /** An example invocation for `callqa formats`. */
  example: string;
}

/** A format read from a JSON document, recognised by its content. */
export interface JsonFormat extends FormatInfo {
  kind: 'json';
  detect(doc: unknown): boolean;
  parse(doc: unknown, ctx: ParseContext): Iterable<Parsed>;
}

/** A format read from text, recognised by the file's extension. */
export interface TextFormat extends FormatInfo {
  kind: 'text';
  extensions: readonly string[];
  parse(text: string, ctx: ParseContext): Iterable<Parsed>;
}

export type Format = JsonFormat | TextFormat;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The file name without folders and extension: the call id of a file that names none. */
export function fileStem(source: string): string {
  const name = source.split(/[\\/]/).pop() ?? source;
  return name.replace(/\.[^.]+$/, '') || name;
}
