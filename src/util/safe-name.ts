import { createHash } from 'node:crypto';

/**
 * File names made from untrusted ids (agent ids from transcripts and call records): a name that
 * stays inside its directory on every system and never lands on another id's file.
 *
 * - An id made only of upper-case ASCII letters, digits, `_`, `-` and caseless letters (Chinese,
 *   Japanese, Korean…), in NFC, not too long, not a Windows device name, and not starting with `-`
 *   or `_`, is its own name: `A1001`, `王芳`, `K-3001`.
 * - Any other id (`../x`, `a1001`, `CON`, `王 芳`, empty) becomes its readable part (letters and digits
 *   of any script kept, everything else `_`) followed by `~` and 12 hex digits of the SHA-256 of the
 *   exact id: `.._x` → `_x~1d4f…`. Kept names never hold `~`, changed names always do, and the hash
 *   covers every UTF-16 unit of the id, so two different ids get different names.
 * - Names differ case-insensitively too (Windows, macOS): a kept name has no lower-case letters, so two
 *   kept names that differ only in case cannot both exist; changed names differ in their hash.
 *
 * The name has no extension and no dot: add one (`${safeFileName(id)}.md`). At most 96 bytes of UTF-8
 * plus the suffix, well under the 255-byte limit of common file systems.
 */
export function safeFileName(id: string): string {
  if (isKept(id)) return id;
  return `${readablePart(id)}~${hashOf(id)}`;
}

const MAX_BYTES = 96;
const HASH_DIGITS = 12;

/** Upper-case ASCII, digits, _ and -, and letters without case (\p{Lo}: Han, kana, Hangul…). */
const KEPT = /^[A-Z0-9\p{Lo}][A-Z0-9_\-\p{Lo}]*$/u;

/** Windows device names: a file by that name (with any extension) opens the device. */
const RESERVED = /^(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9]|CONIN\$|CONOUT\$|CLOCK\$)$/i;

function isKept(id: string): boolean {
  return KEPT.test(id) && !RESERVED.test(id) && id.normalize('NFC') === id && Buffer.byteLength(id, 'utf8') <= MAX_BYTES;
}

/** Letters, marks and digits of any script stay; anything else (separators, dots, controls, ~) becomes `_`. */
function readablePart(id: string): string {
  let out = '';
  let bytes = 0;
  for (const ch of id.normalize('NFC')) {
    const safe = /^[\p{L}\p{N}\p{M}_-]$/u.test(ch) ? ch : '_';
    // No run of underscores, and no leading - (a name read as an option on a command line).
    if (safe === '_' && out.endsWith('_')) continue;
    const piece = out === '' && safe === '-' ? '_' : safe;
    const size = Buffer.byteLength(piece, 'utf8');
    if (bytes + size > MAX_BYTES) break;
    out += piece;
    bytes += size;
  }
  return out === '' ? '_' : out;
}

function hashOf(id: string): string {
  // UTF-16 units, so ids that differ only in a lone surrogate (which UTF-8 cannot carry) still differ.
  return createHash('sha256').update(Buffer.from(id, 'utf16le')).digest('hex').slice(0, HASH_DIGITS);
}
