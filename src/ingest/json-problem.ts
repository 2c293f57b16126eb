import type { SourceCall } from '../model/source.js';
import { type InputError, type InputMessage, messageText, msg, reason } from './errors.js';
import type { ParseContext } from './format.js';
import { lineOfJsonPath } from './json-locate.js';
import type { Parsed } from './parsed.js';

/** Where a value sits in a JSON document: keys and array indices from the root. */
export type JsonPath = (string | number)[];

/** A problem in a JSON document, located by key path; `jsonProblemError` adds the line. */
export class JsonProblem extends Error {
  /** The message as a catalog key, when it was given as one (`message` is then its English text). */
  readonly said: InputMessage | undefined;
  constructor(
    message: string | InputMessage,
    readonly path: JsonPath,
  ) {
    super(typeof message === 'string' ? message : messageText('en', message));
    this.said = typeof message === 'string' ? undefined : message;
  }
}

/** `[2].segments[0].start`, `Transcript[3].BeginOffsetMillis`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const step of path) out += typeof step === 'number' ? `[${step}]` : out === '' ? step : `.${step}`;
  return out;
}

/** The line of the value at `path`, or failing that of its nearest enclosing value that is present. */
export function lineOfNearest(text: string, path: JsonPath): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    try {
      const line = lineOfJsonPath(text, path.slice(0, n));
      if (line !== undefined) return line;
    } catch {
      // The scanner expects strict JSON; a repaired vendor document (comments) may confuse it.
      return undefined;
    }
  }
  return undefined;
}

/**
 * `path: message`, with the line of the path. A value nested thousands deep overflows the stack of
 * whatever walks it (quoting it in a message, above all): that is a problem of the input too. Re-throws
 * anything else that is not a JsonProblem.
 */
export function jsonProblemError(err: unknown, ctx: Pick<ParseContext, 'source' | 'text'>): InputError {
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return { source: ctx.source, ...reason(msg('input.nested-too-deeply')) };
  }
  if (!(err instanceof JsonProblem)) throw err;
  const where = formatPath(err.path);
  const problem = err.said ?? err.message;
  const error: InputError = { source: ctx.source, ...(where ? reason(msg('input.at-path', { path: where, problem })) : errorReasonOf(err)) };
  const line = lineOfNearest(ctx.text, err.path);
  if (line !== undefined) error.line = line;
  return error;
}

function errorReasonOf(err: JsonProblem): { error: string; said?: InputMessage } {
  return err.said ? reason(err.said) : { error: err.message };
}

/** One call per document: the call, or the first problem found in it. */
export function* oneCall(build: () => SourceCall, ctx: ParseContext): Generator<Parsed> {
  try {
    yield { call: build() };
  } catch (err) {
    yield { error: jsonProblemError(err, ctx) };
  }
}
