import { type InputMessage, msg } from '../ingest/errors.js';
import { describeJsonSyntaxError } from '../ingest/json-locate.js';

/**
 * Records as the Amazon Connect contact record stream delivers them (Kinesis, or Firehose to S3), in any of
 * its layouts: one document a line (JSON Lines), a JSON array, or documents concatenated with nothing between
 * them (Firehose writes `}{`); pretty-printed documents too. Each document comes with the line it begins on;
 * a bad one is a problem with its line, and reading goes on with the next. One pass over the text: a bracket
 * scan finds each document's end, then JSON.parse reads just that slice.
 */
export type JsonStreamItem = { doc: unknown; line: number } | { problem: InputMessage; line: number };

const SPACE = ' \t\n\r\ufeff';
const JSON_NAME = { json: 'JSON' } as const;

/** Lines of positions asked in increasing order, counted once. */
class Lines {
  private pos = 0;
  private line = 1;
  constructor(private readonly text: string) {}
  at(pos: number): number {
    for (; this.pos < pos; this.pos++) if (this.text.charCodeAt(this.pos) === 10) this.line++;
    return this.line;
  }
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '"') return i + 1;
  }
  return -1;
}

/** Where the value at `start` ends (brackets matched outside strings), or -1 when it never does. */
function valueEnd(text: string, start: number): number {
  const first = text[start] as string;
  if (first === '"') return stringEnd(text, start);
  if (first !== '{' && first !== '[') {
    if (',]}:'.includes(first)) return start + 1;
    let i = start + 1;
    while (i < text.length && !`${SPACE},]}[{"`.includes(text[i] as string)) i++;
    return i;
  }
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      i = stringEnd(text, i) - 1;
      if (i < 0) return -1;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** After a broken record that spans lines: the next line that opens a record, so one bad line of JSON Lines costs one record. */
function nextRecordLine(text: string, start: number): number {
  let i = text.indexOf('\n', start);
  while (i >= 0) {
    let j = i + 1;
    while (j < text.length && ' \t\r'.includes(text[j] as string)) j++;
    if (text[j] === '{' || text[j] === '[') return j;
    i = text.indexOf('\n', j);
  }
  return text.length;
}

const preview = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

class Reader {
  pos = 0;
  private readonly lines: Lines;
  constructor(readonly text: string) {
    this.lines = new Lines(text);
  }
  line(pos = this.pos): number {
    return this.lines.at(pos);
  }
  skipSpace(): boolean {
    while (this.pos < this.text.length && SPACE.includes(this.text[this.pos] as string)) this.pos++;
    return this.pos < this.text.length;
  }

  /** The value at pos: a document if it is an object, else a problem; pos moves past it (or to the next record). */
  *value(): Generator<JsonStreamItem> {
    const { text } = this;
    const start = this.pos;
    const line = this.line(start);
    const end = valueEnd(text, start);
    if (text[start] !== '{') {
      this.pos = end < 0 ? text.length : end;
      yield { problem: msg('metadata.stream-stray', { ...JSON_NAME, open: '{', value: preview(text.slice(start, this.pos)) }), line };
      return;
    }
    if (end < 0) {
      yield { problem: msg('metadata.stream-unclosed', { ...JSON_NAME, close: '}' }), line };
      this.pos = nextRecordLine(text, start);
      return;
    }
    const slice = text.slice(start, end);
    try {
      yield { doc: JSON.parse(slice), line };
      this.pos = end;
    } catch (err) {
      if (!(err instanceof SyntaxError) && !(err instanceof RangeError)) throw err;
      const failure = err instanceof RangeError ? { line: 1, said: msg('input.nested-too-deeply') } : describeJsonSyntaxError(slice);
      yield { problem: failure.said, line: line + failure.line - 1 };
      this.pos = slice.includes('\n') ? nextRecordLine(text, start) : end;
    }
  }

  /** The records of an array whose `[` was just passed; its `]` passed too on return. */
  *array(openedLine: number): Generator<JsonStreamItem> {
    const { text } = this;
    for (let first = true; ; first = false) {
      if (!this.skipSpace()) {
        yield { problem: msg('metadata.stream-unclosed', { ...JSON_NAME, close: ']' }), line: openedLine };
        return;
      }
      if (text[this.pos] === ']') {
        this.pos++;
        return;
      }
      if (!first) {
        if (text[this.pos] === ',') {
          this.pos++;
          if (!this.skipSpace()) continue;
          // A trailing comma before the `]`: no record lost.
          if (text[this.pos] === ']') continue;
        } else {
          yield { problem: msg('metadata.stream-array-end', { comma: ',', close: ']', value: preview(text[this.pos] as string) }), line: this.line() };
        }
      }
      yield* this.value();
    }
  }
}

/** Every document of a record stream, in order, each with the line it begins on; bad ones as problems. */
export function* jsonDocuments(text: string): Generator<JsonStreamItem> {
  const reader = new Reader(text);
  while (reader.skipSpace()) {
    if (text[reader.pos] === '[') {
      const line = reader.line();
      reader.pos++;
      yield* reader.array(line);
    } else {
      yield* reader.value();
    }
  }
}
