import { type ParseError, ParseErrorCode, parse as parseTolerant } from 'jsonc-parser';
import { InputProblem } from './errors.js';
import { describeJsonSyntaxError } from './json-locate.js';

/**
 * Parses JSON strictly; failing that, as published vendor examples are written: with // comments,
 * trailing commas, or a stray closing bracket after the value (Contact Lens documentation).
 * Anything else — a truncated file above all — is an error with its line.
 */
export function parseJsonDocument(text: string): { doc: unknown; repaired: boolean } {
  try {
    return { doc: JSON.parse(text), repaired: false };
  } catch {
    const errors: ParseError[] = [];
    let doc: unknown;
    try {
      doc = parseTolerant(text, errors, { allowTrailingComma: true, disallowComments: false });
    } catch (err) {
      // jsonc-parser recurses once a level: text nested thousands deep is past repair (and past reading).
      if (!(err instanceof RangeError)) throw err;
      errors.push({ error: ParseErrorCode.InvalidSymbol, offset: 0, length: 0 });
    }
    const stray = errors.every((e) => e.error === ParseErrorCode.EndOfFileExpected && /^[\s}\]]*$/.test(text.slice(e.offset)));
    if (doc !== undefined && stray) return { doc, repaired: true };
    const { line, said } = describeJsonSyntaxError(text);
    throw new InputProblem(said, line);
  }
}
