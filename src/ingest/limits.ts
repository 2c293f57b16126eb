import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { type InputMessage, InputProblem, messageText, msg } from './errors.js';
import type { IngestOptions } from './format.js';

/**
 * How much of one input is read at a time, so that memory stays within its budget whatever the
 * inputs (README: Memory). A record is what a reader must hold whole before it can parse it: a line
 * of JSON Lines (a file, or standard input, read as JSONL), and every other file whole — a JSON
 * document (one call or an array of calls: JSON.parse needs all of it), a .txt, .srt, .vtt or .csv
 * (a CSV may hold many calls, but is parsed whole). Its size is known from its bytes before any of it
 * is decoded: a file's from fstat, a line's while its bytes are read. Sizes are in MB of 1,000,000
 * bytes.
 */
export const DEFAULT_MAX_RECORD_MB = 16;

/**
 * Segments (utterances) one call may have. Parsing a record under the byte limit can still give a
 * million tiny segments (`A:x` lines of a 4 MB .txt); normalising, scoring and rendering cost some
 * 2–3 KB of memory a segment, and two workers each on a call this size stayed under the 300 MB
 * budget (10,000: 292 MB; 20,000: 393 MB). A call of ten hours with a turn every four seconds has 9,000.
 */
export const MAX_SEGMENTS_PER_CALL = 10_000;

/** The byte limit of one record. */
export function recordLimitBytes(options: IngestOptions): number {
  return Math.round((options.maxRecordMb ?? DEFAULT_MAX_RECORD_MB) * 1e6);
}

/** MB with one decimal, or as many more as it takes not to look equal to (or under) the limit. */
function megabytes(bytes: number, limitBytes: number): string {
  for (let digits = 1; digits < 6; digits++) {
    const text = (bytes / 1e6).toFixed(digits);
    if (Number(text) * 1e6 > limitBytes) return text;
  }
  return (bytes / 1e6).toFixed(6);
}

/** `too large: 52.4 MB in one record; the limit is 16 MB (--max-record-mb)` */
export function tooLarge(bytes: number, options: IngestOptions): InputMessage {
  const limit = recordLimitBytes(options);
  return msg('input.too-large', { size: megabytes(bytes, limit), limit: String(options.maxRecordMb ?? DEFAULT_MAX_RECORD_MB), flag: '--max-record-mb' });
}

/** Standard input past the limit that is not JSON Lines (read whole, so the rest of it is never read). */
export function tooLargeStdin(options: IngestOptions): InputMessage {
  const limit = String(options.maxRecordMb ?? DEFAULT_MAX_RECORD_MB);
  return msg('input.too-large-stdin', { limit, jsonl: 'JSON Lines', flag: '--max-record-mb' });
}

/** `too large: 1,000,000 segments in one call; the limit is 10,000` */
export function tooManySegments(segments: number): InputMessage {
  // Grouped as en-US in every language: 1,000,000 reads the same to a Chinese reader.
  const n = (x: number) => x.toLocaleString('en-US');
  return msg('input.too-many-segments', { count: n(segments), limit: n(MAX_SEGMENTS_PER_CALL) });
}

/** What stat says of a path that is neither a file nor a directory. */
interface Kind {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}

/** `not a regular file (a FIFO)`: a special file is listed, never opened (a FIFO's open waits for a writer; /dev/zero never ends). */
export function notRegularFile(kind: Kind): string {
  return messageText('en', notRegularFileMessage(kind));
}

/** notRegularFile as a message, for errors.csv in the run's language. */
export function notRegularFileMessage(kind: Kind): InputMessage {
  const what = kind.isDirectory()
    ? 'directory'
    : kind.isFIFO()
      ? 'fifo'
      : kind.isSocket()
        ? 'socket'
        : kind.isCharacterDevice()
          ? 'character-device'
          : kind.isBlockDevice()
            ? 'block-device'
            : 'other';
  return msg(`input.not-regular.${what}`);
}

/** Why a symbolic link cannot be followed, from stat's error code; undefined when the path is no link or the code says something else. */
export function unfollowableLink(code: string | undefined, isLink: boolean): InputMessage | undefined {
  if (code === 'ELOOP') return msg('input.link-loop');
  if (isLink && (code === 'ENOENT' || code === 'ENOTDIR')) return msg('input.link-broken');
  return undefined;
}

/**
 * Opens a file to read without waiting: a FIFO's open would wait for a writer (O_NONBLOCK, where the
 * system has it, returns at once; it changes nothing for a regular file), and what is open is read
 * only if it is a regular file. Its size, from the open file itself.
 */
export function openRegular(path: string): { fd: number; size: number } {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new InputProblem(notRegularFileMessage(info));
    return { fd, size: info.size };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/**
 * A whole file, when it is a regular file no bigger than `limit` bytes: checked from fstat before any
 * of it is read, and again as it is read (a file that grows meanwhile, or says it is empty and is not,
 * as files under /proc do) — never more than one byte past the limit. Inputs, call records and rubrics
 * are all read through it, so none of them can hang on a FIFO or fill memory from /dev/zero.
 * Throws InputProblem (`not a regular file (…)`, or `tooLarge(bytes)`) or the open's own error.
 */
export function readRegularFile(path: string, limit: number, tooLarge: (bytes: number) => string | InputMessage): Buffer {
  const { fd, size } = openRegular(path);
  try {
    if (size > limit) throw new InputProblem(tooLarge(size));
    let bytes = Buffer.allocUnsafe(Math.min(size, limit) + 1);
    let length = 0;
    for (;;) {
      if (length === bytes.length) {
        const grown = Buffer.allocUnsafe(Math.min(limit + 1, Math.max(2 * bytes.length, GROW_BYTES)));
        bytes.copy(grown, 0, 0, length);
        bytes = grown;
      }
      const read = readSync(fd, bytes, length, bytes.length - length, length);
      if (read === 0) break;
      length += read;
      if (length > limit) throw new InputProblem(tooLarge(length));
    }
    return bytes.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

const GROW_BYTES = 64 * 1024;
