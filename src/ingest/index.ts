import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { createLineDecoder, decodeBytes, detectEncoding, isPlainAscii } from './encoding.js';
import { InputProblem } from './errors.js';
import type { Format, IngestOptions, ParseContext } from './format.js';
import { EXTENSIONS, formatByName, JSON_FORMATS, JSONL, textFormatFor } from './formats/index.js';
import { parseJsonLine } from './json.js';
import { parseJsonDocument } from './json-document.js';
import type { Parsed } from './parsed.js';
import type { InputPart } from './parts.js';

/** An input: a file (or, for a big JSON Lines file spread over workers, one part of it), standard input, or a file that cannot be read. */
export type InputItem = { kind: 'file'; path: string; part?: InputPart } | { kind: 'stdin' } | { kind: 'unreadable'; path: string; error: string };

export interface InputTally {
  /** Files in named directories skipped because callqa does not read their extension. */
  skipped: number;
  skippedExtensions: Map<string, number>;
  /** Inputs read only after repairing vendor-style JSON (comments, trailing commas, a stray bracket). */
  repaired: number;
}

export function newTally(): InputTally {
  return { skipped: 0, skippedExtensions: new Map(), repaired: 0 };
}

const extensionOf = (path: string) => extname(path).toLowerCase();

function readable(path: string): boolean {
  return EXTENSIONS.includes(extensionOf(path));
}

async function* walk(dir: string, tally: InputTally): AsyncGenerator<InputItem> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    yield { kind: 'unreadable', path: dir, error: `cannot read directory: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && entry.name !== 'node_modules') yield* walk(path, tally);
      continue;
    }
    // Hidden files are tools' (a report directory's resume marker, .DS_Store), never transcripts.
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    if (readable(path)) {
      yield { kind: 'file', path };
    } else {
      tally.skipped++;
      const ext = extensionOf(entry.name) || '(none)';
      tally.skippedExtensions.set(ext, (tally.skippedExtensions.get(ext) ?? 0) + 1);
    }
  }
}

/**
 * Expands the command line's inputs into files, in a stable order (directories sorted, recursive).
 * A file named on the command line is read whatever its extension when --input-format says how.
 */
export async function* discoverInputs(inputs: readonly string[], tally: InputTally, options: IngestOptions = {}): AsyncGenerator<InputItem> {
  for (const input of inputs) {
    if (input === '-') {
      yield { kind: 'stdin' };
      continue;
    }
    let info: import('node:fs').Stats;
    try {
      info = await stat(input);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      yield { kind: 'unreadable', path: input, error: code === 'ENOENT' ? 'no such file or directory' : `cannot read: ${code ?? (err as Error).message}` };
      continue;
    }
    if (info.isDirectory()) {
      yield* walk(input, tally);
    } else if (readable(input) || options.inputFormat !== undefined) {
      yield { kind: 'file', path: input };
    } else {
      yield {
        kind: 'unreadable',
        path: input,
        error: `unknown file type "${extname(input) || '(no extension)'}"; expected one of ${EXTENSIONS.join(', ')} (or say which with --input-format)`,
      };
    }
  }
}

function problem(source: string, err: unknown): Parsed {
  if (err instanceof InputProblem) {
    return { error: err.line === undefined ? { source, error: err.message } : { source, line: err.line, error: err.message } };
  }
  const code = (err as NodeJS.ErrnoException).code;
  return { error: { source, error: code ? `cannot read: ${code}` : `cannot read: ${(err as Error).message}` } };
}

/** One line of a JSONL source: its decoded text, or why its bytes do not decode. */
type SourceLine = { line: number; text: string; error?: undefined } | { line: number; error: string; text?: undefined };

const SNIFF_BYTES = 64 * 1024;

/**
 * The bytes of a file, or of its part [start, end), read SNIFF_BYTES at a time with plain reads: a read
 * stream costs a round trip to libuv's threads, a promise and events for every chunk. A whole file is
 * read on from where it is (a pipe named on the command line has no positions). The file is closed
 * however the reader stops.
 */
function* fileChunks(path: string, part: InputPart | undefined): Generator<Buffer> {
  const fd = openSync(path, 'r');
  try {
    for (let position = part?.start ?? 0; part === undefined || position < part.end; ) {
      const want = part === undefined ? SNIFF_BYTES : Math.min(SNIFF_BYTES, part.end - position);
      const chunk = Buffer.allocUnsafe(want);
      const read = readSync(fd, chunk, 0, want, part === undefined ? null : position);
      if (read === 0) return;
      position += read;
      yield read < want ? chunk.subarray(0, read) : chunk;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Streams a JSONL file line by line without holding it in memory. Lines are split on the newline
 * byte (which never occurs inside a UTF-8, GB18030 or Big5 character) and decoded one by one, so a
 * bad byte costs only its own line, and the error names that line and the byte's offset.
 */
function* byteLines(path: string, forced: string | undefined, part?: InputPart): Generator<SourceLine> {
  let decode: ((bytes: Uint8Array, offset: number) => string) | undefined;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  // A part starts where the whole file's reader would be at its first line, with that reader's encoding.
  let offset = part?.start ?? 0; // file offset of the first pending byte
  let line = part?.line ?? 1;
  forced ??= part?.encoding;
  let utf8 = false;
  const decodeLine = (bytes: Uint8Array): SourceLine => {
    try {
      return { line, text: decode ? decode(bytes, offset) : Buffer.from(bytes).toString('latin1') };
    } catch (err) {
      return { line, error: err instanceof InputProblem ? err.message : String(err) };
    }
  };
  for (const chunk of fileChunks(path, part)) {
    let bytes = chunk;
    // Detect on the first chunk that shows more than ASCII (a long ASCII start says nothing);
    // until then lines are plain ASCII, the same in every encoding read here.
    if (decode === undefined && (forced !== undefined || !isPlainAscii(bytes))) {
      const encoding = forced ?? detectEncoding(bytes);
      decode = createLineDecoder(encoding);
      utf8 = encoding === 'utf-8';
    }
    let nl = bytes.indexOf(0x0a);
    while (nl >= 0) {
      // Whole lines of UTF-8 past the first: decoded together and split (a newline byte is never inside
      // a character); a stretch with a bad byte is decoded line by line, so the error names its line.
      const last = utf8 && pendingBytes === 0 && offset > 0 ? bytes.lastIndexOf(0x0a) : -1;
      const texts = last > nl ? decodeBlock(bytes.subarray(0, last)) : undefined;
      if (texts) {
        for (const text of texts) yield { line: line++, text };
        offset += last + 1;
        bytes = bytes.subarray(last + 1);
        nl = -1;
        break;
      }
      const piece = bytes.subarray(0, nl);
      const whole = pendingBytes === 0 ? piece : Buffer.concat([...pending, piece]);
      yield decodeLine(whole);
      offset += whole.length + 1;
      line++;
      pending = [];
      pendingBytes = 0;
      bytes = bytes.subarray(nl + 1);
      nl = bytes.indexOf(0x0a);
    }
    if (bytes.length > 0) {
      pending.push(bytes);
      pendingBytes += bytes.length;
    }
  }
  if (pendingBytes > 0) yield decodeLine(Buffer.concat(pending));
}

const blockDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Complete lines of UTF-8, or undefined when a byte does not decode. */
function decodeBlock(bytes: Uint8Array): string[] | undefined {
  try {
    return blockDecoder.decode(bytes).split('\n');
  } catch {
    return undefined;
  }
}

function* textLines(text: string): Generator<SourceLine> {
  const lines = text.split('\n');
  for (let k = 0; k < lines.length; k++) yield { line: k + 1, text: lines[k] as string };
}

/** The calls of JSON Lines; `whole` is false for a part of a file (which may hold only blank lines: the file does not). */
async function* jsonLines(lines: AsyncIterable<SourceLine> | Iterable<SourceLine>, source: string, whole = true): AsyncGenerator<Parsed> {
  let found = 0;
  for await (const l of lines) {
    const parsed = l.error !== undefined ? { error: { source, line: l.line, error: l.error } } : parseJsonLine(l.text.replace(/\r$/, ''), source, l.line);
    if (parsed) {
      found++;
      yield parsed;
    }
  }
  if (found === 0 && whole) yield { error: { source, line: 1, error: 'empty file: expected one call per line' } };
}

/** Reads a JSON document and hands it to the format that recognises it (or the one --input-format names). */
function* jsonDocument(ctx: ParseContext, forced: Format | undefined, tally: InputTally): Generator<Parsed> {
  const { doc, repaired } = parseJsonDocument(ctx.text);
  if (repaired) tally.repaired++;
  const format = forced ?? JSON_FORMATS.find((f) => f.detect(doc));
  if (!format) {
    throw new InputProblem(
      `unrecognised JSON: not one of the formats callqa reads (${JSON_FORMATS.map((f) => f.name).join(', ')}); see callqa formats, or name one with --input-format`,
      1,
    );
  }
  if (format.kind === 'json') yield* format.parse(doc, ctx);
  else yield* format.parse(ctx.text, ctx);
}

/** Standard input holds JSON (one call, an array, or a vendor document) or JSONL. */
function stdinIsJsonl(text: string): boolean {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) return false;
  try {
    JSON.parse(text);
    return false;
  } catch {
    return trimmed.includes('\n');
  }
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Whether a file is read as JSON Lines: by its extension, or because --input-format says so. */
function isJsonl(extension: string, options: IngestOptions): boolean {
  return options.inputFormat === JSONL.name || (options.inputFormat === undefined && (JSONL.extensions as readonly string[]).includes(extension));
}

/** Whether a file is read as JSON Lines (streamed, and readable in parts: parts.ts). */
export function readsAsJsonl(path: string, options: IngestOptions): boolean {
  return isJsonl(extensionOf(path), options);
}

/** Every call in one input, or why it (or a part of it) cannot be scored. Never throws. */
export async function* readInput(item: InputItem, options: IngestOptions = {}, tally: InputTally = newTally()): AsyncGenerator<Parsed> {
  if (item.kind === 'unreadable') {
    yield { error: { source: item.path, error: item.error } };
    return;
  }
  const source = item.kind === 'stdin' ? '<stdin>' : item.path;
  try {
    const forced = options.inputFormat === undefined ? undefined : formatByName(options.inputFormat);
    const extension = item.kind === 'file' ? extensionOf(item.path) : '';
    const jsonl = isJsonl(extension, options);
    if (item.kind === 'file' && jsonl) {
      yield* jsonLines(byteLines(item.path, options.encoding, item.part), source, item.part === undefined);
      return;
    }
    // Read at once, not through fs/promises: its readFile makes an open, a stat, reads and a close each a
    // round trip to libuv's threads, and for the many small files of a corpus that cost ten times the read
    // (4,000 one-call files: 380 ms against 29). A document is parsed whole right after, which holds the
    // thread longer than reading it does, so the sync read holds up nothing that parsing would not.
    const bytes = item.kind === 'stdin' ? await readStdin() : readFileSync(item.path);
    const { text } = decodeBytes(bytes, options.encoding);
    if (text.trim() === '') {
      yield { error: { source, line: 1, error: 'empty file: no calls' } };
      return;
    }
    const ctx: ParseContext = { source, text, options };
    if (item.kind === 'stdin' && forced === undefined && (jsonl || stdinIsJsonl(text))) {
      yield* jsonLines(textLines(text), source);
      return;
    }
    const textFormat = forced?.kind === 'text' ? forced : forced === undefined ? textFormatFor(extension) : undefined;
    if (textFormat) yield* textFormat.parse(text, ctx);
    else yield* jsonDocument(ctx, forced, tally);
  } catch (err) {
    yield problem(source, err);
  }
}
