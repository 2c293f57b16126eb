import { closeSync, readSync } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { createLineDecoder, decodeBytes, detectEncoding, isPlainAscii } from './encoding.js';
import { errorReason, type InputMessage, InputProblem, localizeError, msg, reason } from './errors.js';
import type { Format, IngestOptions, ParseContext } from './format.js';
import { EXTENSIONS, formatByName, JSON_FORMATS, JSONL, textFormatFor } from './formats/index.js';
import { parseJsonLine } from './json.js';
import { parseJsonDocument } from './json-document.js';
import type { SourceCall } from '../model/source.js';
import { checkCallTimes } from './call-fields.js';
import type { Parsed } from './parsed.js';
import type { InputPart } from './parts.js';
import {
  MAX_SEGMENTS_PER_CALL,
  notRegularFileMessage,
  openRegular,
  readRegularFile,
  recordLimitBytes,
  tooLarge,
  tooLargeStdin,
  tooManySegments,
  unfollowableLink,
} from './limits.js';

/** An input: a file (or, for a big JSON Lines file spread over workers, one part of it), standard input, or a file that cannot be read. */
export type InputItem =
  | { kind: 'file'; path: string; part?: InputPart }
  | { kind: 'stdin' }
  | { kind: 'unreadable'; path: string; error: string; said?: InputMessage };

export interface InputTally {
  /**
   * Entries of named directories skipped, by kind: a file whose extension callqa does not read (by
   * that extension, `(none)` without one), `hidden` (a name starting with a dot: tools' files, a
   * report directory's resume marker), `node_modules`, `folder already read`. Every other
   * entry is an input (scored, or listed in errors.csv): inputs + skipped = entries.
   */
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

function skip(tally: InputTally, kind: string): void {
  tally.skipped++;
  tally.skippedExtensions.set(kind, (tally.skippedExtensions.get(kind) ?? 0) + 1);
}

/** A directory's identity: a folder reached again (a symbolic link to it, or to a folder above it) is not read twice. */
const folderKey = (s: import('node:fs').Stats) => `${s.dev}:${s.ino}`;

/**
 * Every entry of a directory, recursively, in sorted order: a file callqa reads, a problem to list
 * (a special file, a broken or looping link), or a skip counted by kind (see InputTally). Symbolic
 * links are followed: to a file, it is read as a file of the link's name; to a folder, the folder is
 * read once (`seen`: the folders read so far, so a link to a folder above it is no cycle).
 */
/**
 * What discovery has seen: folders by device and inode (a folder reached again through a link, or named
 * again, is read once) and the files named on the command line, by absolute path (a folder's walk leaves
 * them to their named place, so `score dir dir/a.json` reads a.json once).
 */
interface Seen {
  folders: Set<string>;
  named: ReadonlySet<string>;
}

async function* walk(dir: string, tally: InputTally, seen: Seen): AsyncGenerator<InputItem> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    yield {
      kind: 'unreadable',
      path: dir,
      ...reason(msg('input.cannot-read-directory', { code: (err as NodeJS.ErrnoException).code ?? (err as Error).message })),
    };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    // Hidden entries are tools' (a report directory's resume marker, .DS_Store, .git), never transcripts.
    if (entry.name.startsWith('.')) {
      skip(tally, 'hidden');
      continue;
    }
    let info: import('node:fs').Stats | undefined;
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    // A link (or an entry whose type the file system does not say): what it leads to, never opened.
    if (entry.isSymbolicLink() || (!isDirectory && !isFile && !entry.isFIFO() && !entry.isSocket() && !entry.isCharacterDevice() && !entry.isBlockDevice())) {
      try {
        info = await stat(path);
      } catch (err) {
        const { missing: _, ...why } = await unfollowable(path, err);
        yield { kind: 'unreadable', path, ...why };
        continue;
      }
      isDirectory = info.isDirectory();
      isFile = info.isFile();
    }
    if (isDirectory) {
      if (entry.name === 'node_modules') {
        skip(tally, 'node_modules');
        continue;
      }
      let key: string;
      try {
        key = folderKey(info ?? (await stat(path)));
      } catch (err) {
        yield {
          kind: 'unreadable',
          path,
          ...reason(msg('input.cannot-read-directory', { code: (err as NodeJS.ErrnoException).code ?? (err as Error).message })),
        };
        continue;
      }
      if (seen.folders.has(key)) {
        skip(tally, 'folder already read');
        continue;
      }
      seen.folders.add(key);
      yield* walk(path, tally, seen);
      continue;
    }
    if (!isFile) {
      yield { kind: 'unreadable', path, ...reason(notRegularFileMessage(info ?? entry)) };
      continue;
    }
    if (seen.named.size > 0 && seen.named.has(resolve(path))) skip(tally, 'file already read');
    else if (readable(path)) yield { kind: 'file', path };
    else skip(tally, extensionOf(entry.name) || '(none)');
  }
}

/**
 * Why a path that stat cannot follow is not read: a broken or looping link, or the system's code;
 * `missing` when nothing at all is there (no file, no link): a mistyped path.
 */
async function unfollowable(path: string, err: unknown): Promise<{ error: string; said?: InputMessage; missing: boolean }> {
  const code = (err as NodeJS.ErrnoException).code;
  const link = await lstat(path).then(
    (s) => s.isSymbolicLink(),
    () => false,
  );
  const broken = unfollowableLink(code, link);
  if (broken !== undefined) return { ...reason(broken), missing: false };
  const missing = MISSING[code ?? ''];
  return missing === undefined
    ? { ...reason(msg('input.cannot-read', { code: code ?? (err as Error).message })), missing: false }
    : { error: missing, missing: true };
}

const MISSING: Readonly<Record<string, string>> = { ENOENT: 'no such file or directory', ENOTDIR: 'not a directory' };

/** A path named on the command line: what stat says of it, or why it cannot be followed (unfollowable). */
export async function statNamed(path: string): Promise<{ info: import('node:fs').Stats } | { error: string; said?: InputMessage; missing: boolean }> {
  try {
    return { info: await stat(path) };
  } catch (err) {
    return unfollowable(path, err);
  }
}

/**
 * Expands the command line's inputs into files, in a stable order (directories sorted, recursive).
 * A file named on the command line is read whatever its extension when --input-format says how.
 */
export async function* discoverInputs(inputs: readonly string[], tally: InputTally, options: IngestOptions = {}): AsyncGenerator<InputItem> {
  const named = new Set<string>();
  if (inputs.length > 1) for (const input of inputs) if (input !== '-') named.add(resolve(input));
  const seen: Seen = { folders: new Set(), named };
  const read = new Set<string>();
  for (const input of inputs) {
    if (input === '-') {
      yield { kind: 'stdin' };
      continue;
    }
    if (inputs.length > 1) {
      // The same path named twice is read once (its calls would count twice).
      const key = resolve(input);
      if (read.has(key)) {
        skip(tally, 'named twice');
        continue;
      }
      read.add(key);
    }
    const named = await statNamed(input);
    if ('error' in named) {
      yield { kind: 'unreadable', path: input, error: named.error, ...(named.said ? { said: named.said } : {}) };
      continue;
    }
    const { info } = named;
    if (info.isDirectory()) {
      const key = folderKey(info);
      if (seen.folders.has(key)) {
        skip(tally, 'folder already read');
        continue;
      }
      seen.folders.add(key);
      yield* walk(input, tally, seen);
    } else if (!info.isFile()) {
      // A FIFO, a device, a socket: never opened (a FIFO's open waits for a writer; /dev/zero never ends).
      yield { kind: 'unreadable', path: input, ...reason(notRegularFileMessage(info)) };
    } else if (readable(input) || options.inputFormat !== undefined) {
      yield { kind: 'file', path: input };
    } else {
      const ext = extname(input);
      const extensions = { extensions: EXTENSIONS, flag: '--input-format' };
      yield {
        kind: 'unreadable',
        path: input,
        ...reason(ext ? msg('input.unknown-type', { ext, ...extensions }) : msg('input.unknown-type-none', extensions)),
      };
    }
  }
}

function problem(source: string, err: unknown): Parsed {
  if (err instanceof InputProblem) {
    return { error: { source, ...(err.line === undefined ? {} : { line: err.line }), ...errorReason(err) } };
  }
  const code = (err as NodeJS.ErrnoException).code;
  return { error: { source, ...reason(msg('input.cannot-read', { code: code ?? (err as Error).message })) } };
}

/** One line of a JSONL source: its decoded text, or why its bytes do not decode. */
type SourceLine = { line: number; text: string; error?: undefined } | { line: number; error: string; said?: InputMessage; text?: undefined };

const SNIFF_BYTES = 64 * 1024;

/**
 * The bytes of a file, or of its part [start, end), read SNIFF_BYTES at a time with plain reads: a read
 * stream costs a round trip to libuv's threads, a promise and events for every chunk. The file is
 * closed however the reader stops.
 */
function* fileChunks(path: string, part: InputPart | undefined): Generator<Buffer> {
  const { fd } = openRegular(path);
  try {
    for (let position = part?.start ?? 0; part === undefined || position < part.end; ) {
      const want = part === undefined ? SNIFF_BYTES : Math.min(SNIFF_BYTES, part.end - position);
      const chunk = Buffer.allocUnsafe(want);
      const read = readSync(fd, chunk, 0, want, position);
      if (read === 0) return;
      position += read;
      yield read < want ? chunk.subarray(0, read) : chunk;
    }
  } finally {
    closeSync(fd);
  }
}

/** A whole input file, when it is a regular file no bigger than the record limit (readRegularFile). */
function readWhole(path: string, options: IngestOptions): Buffer {
  return readRegularFile(path, recordLimitBytes(options), (bytes) => tooLarge(bytes, options));
}

/**
 * Streams a JSONL file line by line without holding it in memory. Lines are split on the newline
 * byte (which never occurs inside a UTF-8, GB18030 or Big5 character) and decoded one by one, so a
 * bad byte costs only its own line, and the error names that line and the byte's offset. A line
 * longer than `limit` bytes is never gathered: its bytes are counted and dropped as they come, and
 * the line is an error that says its size.
 */
function* byteLines(path: string, forced: string | undefined, part: InputPart | undefined, options: IngestOptions): Generator<SourceLine> {
  const limit = recordLimitBytes(options);
  let decode: ((bytes: Uint8Array, offset: number) => string) | undefined;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  /** The bytes so far of a line past the limit (dropped), or -1. */
  let oversize = -1;
  // A part starts where the whole file's reader would be at its first line, with that reader's encoding.
  let offset = part?.start ?? 0; // file offset of the first pending byte
  let line = part?.line ?? 1;
  forced ??= part?.encoding;
  let utf8 = false;
  const decodeLine = (bytes: Uint8Array): SourceLine => {
    try {
      return { line, text: decode ? decode(bytes, offset) : Buffer.from(bytes).toString('latin1') };
    } catch (err) {
      return { line, ...(err instanceof InputProblem ? errorReason(err) : { error: String(err) }) };
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
      // (Lines within one chunk are shorter than SNIFF_BYTES: under the limit, unless it is smaller.)
      const last = utf8 && pendingBytes === 0 && oversize < 0 && offset > 0 && limit >= SNIFF_BYTES ? bytes.lastIndexOf(0x0a) : -1;
      const texts = last > nl ? decodeBlock(bytes.subarray(0, last)) : undefined;
      if (texts) {
        for (const text of texts) yield { line: line++, text };
        offset += last + 1;
        bytes = bytes.subarray(last + 1);
        nl = -1;
        break;
      }
      const piece = bytes.subarray(0, nl);
      let length: number;
      if (oversize >= 0 || pendingBytes + piece.length > limit) {
        length = (oversize >= 0 ? oversize : pendingBytes) + piece.length;
        yield { line, ...reason(tooLarge(length, options)) };
      } else {
        const whole = pendingBytes === 0 ? piece : Buffer.concat([...pending, piece]);
        length = whole.length;
        yield decodeLine(whole);
      }
      offset += length + 1;
      line++;
      pending = [];
      pendingBytes = 0;
      oversize = -1;
      bytes = bytes.subarray(nl + 1);
      nl = bytes.indexOf(0x0a);
    }
    if (bytes.length === 0) continue;
    if (oversize >= 0) oversize += bytes.length;
    else if (pendingBytes + bytes.length > limit) {
      oversize = pendingBytes + bytes.length;
      pending = [];
      pendingBytes = 0;
    } else {
      pending.push(bytes);
      pendingBytes += bytes.length;
    }
  }
  if (oversize >= 0) yield { line, ...reason(tooLarge(oversize, options)) };
  else if (pendingBytes > 0) yield decodeLine(Buffer.concat(pending));
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
    const parsed = l.error !== undefined ? { error: { source, ...l } } : parseJsonLine(l.text.replace(/\r$/, ''), source, l.line);
    if (parsed) {
      found++;
      yield parsed;
    }
  }
  if (found === 0 && whole) yield { error: { source, line: 1, ...reason(msg('input.empty-jsonl')) } };
}

/** Reads a JSON document and hands it to the format that recognises it (or the one --input-format names). */
function* jsonDocument(ctx: ParseContext, forced: Format | undefined, tally: InputTally): Generator<Parsed> {
  const { doc, repaired } = parseJsonDocument(ctx.text);
  if (repaired) tally.repaired++;
  const format = forced ?? JSON_FORMATS.find((f) => f.detect(doc));
  if (!format) {
    const formats = JSON_FORMATS.map((f) => f.name);
    throw new InputProblem(msg('input.json-unrecognised', { format: 'JSON', formats, command: 'callqa formats', flag: '--input-format' }), 1);
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

/**
 * Standard input: its bytes, read whole up to the record limit; past it, its lines when it is JSON
 * Lines (the first line is a JSON object of its own), read on one at a time, or undefined (the rest
 * is not read: it may never end).
 */
async function readStdin(options: IngestOptions): Promise<Buffer | { lines: AsyncGenerator<SourceLine> } | undefined> {
  const limit = recordLimitBytes(options);
  const chunks: Buffer[] = [];
  let length = 0;
  const input = process.stdin[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  for (;;) {
    const next = await input.next();
    if (next.done) return Buffer.concat(chunks);
    chunks.push(next.value);
    length += next.value.length;
    if (length <= limit) continue;
    const head = Buffer.concat(chunks);
    const nl = head.indexOf(0x0a);
    if (nl >= 0 && nl <= limit && startsJsonLines(head.subarray(0, nl))) return { lines: streamLines(head, input, options) };
    process.stdin.destroy();
    return undefined;
  }
}

/** Whether a first line is a JSON object on its own (JSON Lines), not the start of a document. */
function startsJsonLines(first: Buffer): boolean {
  try {
    const value: unknown = JSON.parse(first.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** Lines of standard input read as it comes, each at most the record limit (longer ones listed by size, their bytes dropped). */
async function* streamLines(head: Buffer, rest: AsyncIterator<Buffer>, options: IngestOptions): AsyncGenerator<SourceLine> {
  const limit = recordLimitBytes(options);
  const decode = createLineDecoder(options.encoding ?? detectEncoding(head));
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let oversize = -1;
  let line = 1;
  let offset = 0;
  const end = (length: number): SourceLine => {
    let result: SourceLine;
    if (oversize >= 0) result = { line, ...reason(tooLarge(length, options)) };
    else {
      try {
        result = { line, text: decode(Buffer.concat(pending), offset) };
      } catch (err) {
        result = { line, ...(err instanceof InputProblem ? errorReason(err) : { error: String(err) }) };
      }
    }
    offset += length + 1;
    line++;
    pending = [];
    pendingBytes = 0;
    oversize = -1;
    return result;
  };
  const add = (bytes: Buffer) => {
    if (oversize >= 0) oversize += bytes.length;
    else if (pendingBytes + bytes.length > limit) {
      oversize = pendingBytes + bytes.length;
      pending = [];
    } else {
      pending.push(bytes);
      pendingBytes += bytes.length;
    }
  };
  try {
    for (let chunk: Buffer | undefined = head; chunk !== undefined; ) {
      let bytes = chunk;
      for (let nl = bytes.indexOf(0x0a); nl >= 0; nl = bytes.indexOf(0x0a)) {
        add(bytes.subarray(0, nl));
        yield end(oversize >= 0 ? oversize : pendingBytes);
        bytes = bytes.subarray(nl + 1);
      }
      if (bytes.length > 0) add(bytes);
      const next = await rest.next();
      chunk = next.done ? undefined : next.value;
    }
    if (oversize >= 0 || pendingBytes > 0) yield end(oversize >= 0 ? oversize : pendingBytes);
  } finally {
    process.stdin.destroy();
  }
}

/** Whether a file is read as JSON Lines: by its extension, or because --input-format says so. */
function isJsonl(extension: string, options: IngestOptions): boolean {
  return options.inputFormat === JSONL.name || (options.inputFormat === undefined && (JSONL.extensions as readonly string[]).includes(extension));
}

/** Whether a file is read as JSON Lines (streamed, and readable in parts: parts.ts). */
export function readsAsJsonl(path: string, options: IngestOptions): boolean {
  return isJsonl(extensionOf(path), options);
}

/**
 * Every call in one input, or why it (or a part of it) cannot be scored, in options.lang. Never throws. A call that
 * breaks what every call must keep (callProblem) is listed, not scored.
 */
export async function* readInput(item: InputItem, options: IngestOptions = {}, tally: InputTally = newTally()): AsyncGenerator<Parsed> {
  const lang = options.lang ?? 'en';
  const channel = options.channel === 'voice' ? undefined : options.channel;
  for await (const parsed of readCalls(item, options, tally)) {
    const call = parsed.call;
    // --channel: what the input does not say (a CSV or text export of chats); a conversation's own channel wins.
    if (call && channel !== undefined && call.channel === undefined) call.channel = channel;
    const problem = call && callProblem(call);
    if (call && problem !== undefined) {
      const error = { source: call.source, ...(call.line === undefined ? {} : { line: call.line }), ...reason(msg('input.in-call', { id: call.id, problem })) };
      yield { error: localizeError(error, lang) };
    } else yield parsed.error ? { error: localizeError(parsed.error, lang) } : parsed;
  }
}

/**
 * What every call must keep, whichever parser read it: at most MAX_SEGMENTS_PER_CALL segments, and
 * times within 7 days with no end before its start (checkCallTimes: behind the parsers that do not
 * check their times themselves).
 */
function callProblem(call: SourceCall): InputMessage | string | undefined {
  if (call.utterances.length > MAX_SEGMENTS_PER_CALL) return tooManySegments(call.utterances.length);
  try {
    checkCallTimes(call.utterances);
  } catch (err) {
    if (err instanceof InputProblem) return err.said ?? err.message;
    throw err;
  }
  return undefined;
}

async function* readCalls(item: InputItem, options: IngestOptions, tally: InputTally): AsyncGenerator<Parsed> {
  if (item.kind === 'unreadable') {
    yield { error: { source: item.path, error: item.error, ...(item.said ? { said: item.said } : {}) } };
    return;
  }
  const source = item.kind === 'stdin' ? '<stdin>' : item.path;
  try {
    const forced = options.inputFormat === undefined ? undefined : formatByName(options.inputFormat);
    const extension = item.kind === 'file' ? extensionOf(item.path) : '';
    const jsonl = isJsonl(extension, options);
    if (item.kind === 'file' && jsonl) {
      yield* jsonLines(byteLines(item.path, options.encoding, item.part, options), source, item.part === undefined);
      return;
    }
    // Read at once, not through fs/promises: its readFile makes an open, a stat, reads and a close each a
    // round trip to libuv's threads, and for the many small files of a corpus that costs many times the read
    // (bench/RESULTS.md). A document is parsed whole right after, which holds the
    // thread longer than reading it does, so the sync read holds up nothing that parsing would not.
    const bytes = item.kind === 'stdin' ? await readStdin(options) : readWhole(item.path, options);
    if (bytes === undefined) {
      yield { error: { source, ...reason(tooLargeStdin(options)) } };
      return;
    }
    if (!Buffer.isBuffer(bytes)) {
      yield* jsonLines(bytes.lines, source);
      return;
    }
    const { text } = decodeBytes(bytes, options.encoding);
    if (text.trim() === '') {
      yield { error: { source, line: 1, ...reason(msg('input.empty-no-calls')) } };
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
