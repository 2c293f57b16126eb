import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { decodeUtf8, firstInvalidUtf8 } from './decode.js';
import { InputProblem } from './errors.js';
import { parseJsonLine, parseJsonText } from './json.js';
import type { Parsed } from './parsed.js';
import { parseTextTranscript } from './text.js';

export type InputFormat = 'json' | 'jsonl' | 'text';

const FORMAT_BY_EXTENSION: Readonly<Record<string, InputFormat>> = {
  '.json': 'json',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.txt': 'text',
};

export const KNOWN_EXTENSIONS = Object.keys(FORMAT_BY_EXTENSION);

export type InputItem = { kind: 'file'; path: string; format: InputFormat } | { kind: 'stdin' } | { kind: 'unreadable'; path: string; error: string };

export interface InputTally {
  /** Files in named directories skipped because callqa does not read their extension. */
  skipped: number;
  skippedExtensions: Map<string, number>;
}

function formatOf(path: string): InputFormat | undefined {
  return FORMAT_BY_EXTENSION[extname(path).toLowerCase()];
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
    if (!entry.isFile()) continue;
    const format = formatOf(path);
    if (format) {
      yield { kind: 'file', path, format };
    } else {
      tally.skipped++;
      const ext = extname(entry.name).toLowerCase() || '(none)';
      tally.skippedExtensions.set(ext, (tally.skippedExtensions.get(ext) ?? 0) + 1);
    }
  }
}

/** Expands the command line's inputs into files, in a stable order (directories sorted, recursive). */
export async function* discoverInputs(inputs: readonly string[], tally: InputTally): AsyncGenerator<InputItem> {
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
      continue;
    }
    const format = formatOf(input);
    if (format) yield { kind: 'file', path: input, format };
    else {
      yield {
        kind: 'unreadable',
        path: input,
        error: `unknown file type "${extname(input) || '(no extension)'}"; expected one of ${KNOWN_EXTENSIONS.join(', ')}`,
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

/** One line of a JSONL source: its decoded text, or why its bytes are not UTF-8. */
type SourceLine = { line: number; text: string; error?: undefined } | { line: number; error: string; text?: undefined };

function decodeLine(bytes: Uint8Array, line: number, offset: number): SourceLine {
  try {
    return { line, text: decodeUtf8(bytes) };
  } catch (err) {
    const at = firstInvalidUtf8(bytes);
    return { line, error: err instanceof InputProblem ? `not valid UTF-8: byte offset ${offset + at} (save the file as UTF-8)` : String(err) };
  }
}

/**
 * Streams a file line by line without holding it in memory. Lines are split on the newline byte
 * (which never occurs inside a UTF-8 sequence) and decoded one by one, so a bad byte costs only its
 * own line, and the error names that line and the byte's offset in the file.
 */
async function* byteLines(path: string): AsyncGenerator<SourceLine> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let offset = 0; // file offset of the first pending byte
  let line = 1;
  for await (const chunk of createReadStream(path)) {
    let bytes = chunk as Buffer;
    let nl = bytes.indexOf(0x0a);
    while (nl >= 0) {
      const piece = bytes.subarray(0, nl);
      const whole = pendingBytes === 0 ? piece : Buffer.concat([...pending, piece]);
      yield decodeLine(whole, line, offset);
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
  if (pendingBytes > 0) yield decodeLine(Buffer.concat(pending), line, offset);
}

function* textLines(text: string): Generator<SourceLine> {
  const lines = text.split('\n');
  for (let k = 0; k < lines.length; k++) yield { line: k + 1, text: lines[k] as string };
}

async function* jsonLines(lines: AsyncIterable<SourceLine> | Iterable<SourceLine>, source: string): AsyncGenerator<Parsed> {
  let found = 0;
  for await (const l of lines) {
    const parsed = l.error !== undefined ? { error: { source, line: l.line, error: l.error } } : parseJsonLine(l.text.replace(/\r$/, ''), source, l.line);
    if (parsed) {
      found++;
      yield parsed;
    }
  }
  if (found === 0) yield { error: { source, line: 1, error: 'empty file: expected one call per line' } };
}

function* wholeText(text: string, source: string, format: InputFormat): Generator<Parsed> {
  if (text.trim() === '') {
    yield { error: { source, line: 1, error: 'empty file: no calls' } };
    return;
  }
  if (format === 'text') yield* parseTextTranscript(text, source);
  else yield* parseJsonText(text, source);
}

/** Standard input holds JSON (one call or an array) or JSONL. */
function stdinFormat(text: string): InputFormat {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) return 'json';
  try {
    JSON.parse(text);
    return 'json';
  } catch {
    return trimmed.includes('\n') ? 'jsonl' : 'json';
  }
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Every call in one input, or why it (or a part of it) cannot be scored. Never throws. */
export async function* readInput(item: InputItem): AsyncGenerator<Parsed> {
  if (item.kind === 'unreadable') {
    yield { error: { source: item.path, error: item.error } };
    return;
  }
  const source = item.kind === 'stdin' ? '<stdin>' : item.path;
  try {
    if (item.kind === 'file' && item.format === 'jsonl') {
      yield* jsonLines(byteLines(item.path), source);
      return;
    }
    const bytes = item.kind === 'stdin' ? await readStdin() : await readFile(item.path);
    const text = decodeUtf8(bytes);
    const format = item.kind === 'stdin' ? stdinFormat(text) : item.format;
    if (format === 'jsonl') yield* jsonLines(textLines(text), source);
    else yield* wholeText(text, source, format);
  } catch (err) {
    yield problem(source, err);
  }
}
