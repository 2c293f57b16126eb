import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { detectEncoding, type Encoding, encodingName, isPlainAscii, isUtf16 } from './encoding.js';

/**
 * A stretch of whole lines of a JSON Lines file, read on its own so that one big export spreads over
 * every worker thread. It knows what a reader of the whole file would know at its start: the line
 * number, the byte offset (errors name both) and the encoding.
 */
export interface InputPart {
  /** Byte offset of the first line (0, or just past a newline). */
  start: number;
  /** Byte offset just past the last line's newline (the file's size for the last part). */
  end: number;
  /** 1-based number of the first line. */
  line: number;
  /** The encoding a reader of the whole file would pick, when it is not plain ASCII. */
  encoding?: string;
  /** Place among the file's parts (0, 1, …) and whether it is the last one. */
  index: number;
  last: boolean;
}

/** Bytes read at a time: the same blocks the whole-file reader sees, so detection picks the same encoding. */
const BLOCK = 64 * 1024;

/** Whether the bytes hold a printable ASCII character: then a line holds one, and is not blank. */
function holdsPrintable(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b > 0x20 && b < 0x7f) return true;
  return false;
}

/** Whether a JSON Lines file of `size` bytes is big enough to be read in parts of `partBytes`: more than two parts' worth. */
export function splitsIntoParts(size: number, partBytes: number): boolean {
  return size > 2 * partBytes;
}

/**
 * Where a JSON Lines file splits into parts of about `partBytes` each, cut just after a newline (a
 * newline byte is never inside a UTF-8, GB18030 or Big5 character). One pass over the file counts the
 * lines before each cut. Undefined when the file is better read whole: no bigger than two parts,
 * UTF-16 (whose reader says it is not supported), or no printable ASCII in its first block (the file
 * might hold no line that is not blank, which only the whole-file reader reports).
 */
export function jsonlParts(path: string, partBytes: number, forcedEncoding?: string): InputPart[] | undefined {
  // An encoding the user names (any of its aliases); one callqa does not know is left to the whole-file reader to report.
  let encoding: Encoding | undefined;
  if (forcedEncoding !== undefined) {
    encoding = encodingName(forcedEncoding);
    if (encoding === undefined || isUtf16(encoding)) return undefined;
  }
  // Plain reads: the main thread finds every big file's cuts as it goes, and a round trip to libuv's
  // threads for each block cost more than the read (bench/RESULTS.md).
  // Without waiting in the open (a FIFO): anything but a regular file is left to the whole-file reader to list.
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const info = fstatSync(fd);
    const { size } = info;
    if (!info.isFile() || !splitsIntoParts(size, partBytes)) return undefined;
    const block = Buffer.allocUnsafe(BLOCK);
    const parts: InputPart[] = [];
    let start = 0;
    let line = 1;
    let lines = 0; // newlines since `start`
    let position = 0;
    for (;;) {
      const bytesRead = readSync(fd, block, 0, BLOCK, position);
      if (bytesRead === 0) break;
      const bytes = block.subarray(0, bytesRead);
      if (position === 0 && !holdsPrintable(bytes)) return undefined;
      if (encoding === undefined && !isPlainAscii(bytes)) {
        encoding = detectEncoding(bytes);
        if (isUtf16(encoding)) return undefined;
      }
      let at = bytes.indexOf(0x0a);
      while (at >= 0) {
        lines++;
        const cut = position + at + 1;
        // The last part is never a sliver: what is left of the file must be a part's worth.
        if (cut - start >= partBytes && size - cut >= partBytes / 2) {
          parts.push({ start, end: cut, line, index: parts.length, last: false });
          start = cut;
          line += lines;
          lines = 0;
        }
        at = bytes.indexOf(0x0a, at + 1);
      }
      position += bytesRead;
    }
    parts.push({ start, end: size, line, index: parts.length, last: true });
    if (parts.length < 2) return undefined;
    return parts.map((p) => (encoding === undefined ? p : { ...p, encoding }));
  } finally {
    closeSync(fd);
  }
}
