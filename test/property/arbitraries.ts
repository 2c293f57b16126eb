/**
 * What the property tests feed the readers: arbitrary text and JSON, and the repository's own fixtures
 * broken at random places (a value replaced or deleted, text cut, spliced or sprinkled with the
 * characters each format gives meaning to).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import { InputProblem } from '../../src/ingest/errors.js';
import type { ParseContext } from '../../src/ingest/format.js';
import type { Parsed } from '../../src/ingest/parsed.js';
import type { SourceCall } from '../../src/model/source.js';
import { ROOT } from '../helpers/cli.js';

// The same inputs on every run, so that a failure is a failure and not bad luck;
// CALLQA_PROPERTY_SEED=<n> (and CALLQA_PROPERTY_RUNS) to search elsewhere.
fc.configureGlobal({ seed: Number(process.env.CALLQA_PROPERTY_SEED ?? 15) });

/** Runs per property: enough to find the odd crash, few enough for a few seconds a file (CALLQA_PROPERTY_RUNS=5000 to search harder). */
export const RUNS = Number(process.env.CALLQA_PROPERTY_RUNS ?? 200);

/** Fixture files under fixtures/<dir> with one of `extensions`, as text. */
export function fixtureTexts(dir: string, extensions: readonly string[]): string[] {
  const base = join(ROOT, 'fixtures', dir);
  return readdirSync(base)
    .filter((name) => extensions.some((e) => name.endsWith(e)))
    .sort()
    .map((name) => readFileSync(join(base, name), 'utf8').replace(/^\ufeff/, ''));
}

/** Characters with a meaning in one format or another, and ones that trip decoders and renderers. */
const SPECIAL = [
  '\u0000',
  '\ufeff',
  '\r',
  '\n',
  '\r\n',
  '\t',
  '"',
  "'",
  ',',
  ':',
  '：',
  '[',
  ']',
  '{',
  '}',
  '-->',
  ' --> ',
  '<v ',
  '</v>',
  '<',
  '>',
  '&#0;',
  '&#x110000;',
  '&amp;',
  '坐席：',
  '客户：',
  'Agent:',
  '# call_id: ',
  '00:00',
  '99:99:99,999',
  '-1',
  '1e308',
  'NaN',
  '\ud800',
  '\udfff',
  '\u202e',
  '\u200b',
  '😀',
  '=HYPERLINK("x")',
  '__proto__',
  'constructor',
];

const piece = fc.oneof(fc.constantFrom(...SPECIAL), fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 6 }));

type Edit =
  | { kind: 'cut'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'line'; at: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: piece }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('line' as const), at: fc.nat() }),
);

function applyEdit(text: string, e: Edit): string {
  const at = text.length === 0 ? 0 : e.at % (text.length + 1);
  switch (e.kind) {
    case 'cut':
      return text.slice(0, at);
    case 'insert':
      return text.slice(0, at) + e.text + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + e.length);
    case 'line': {
      // Repeat the line at `at`, or drop it: a cue, row or utterance twice, or missing.
      const lines = text.split('\n');
      const k = e.at % lines.length;
      return (e.at % 2 === 0 ? [...lines.slice(0, k + 1), ...lines.slice(k)] : [...lines.slice(0, k), ...lines.slice(k + 1)]).join('\n');
    }
  }
}

/** A fixture with one to four random edits. */
export function mutatedText(fixtures: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...fixtures), fc.array(edit, { minLength: 1, maxLength: 4 })).map(([text, edits]) => edits.reduce(applyEdit, text));
}

/** Any text, or text made mostly of the characters formats give meaning to. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.array(piece, { maxLength: 40 }).map((parts) => parts.join('')),
);

const DELETE = Symbol('delete');

/** Every path to a value in a JSON document (down to 40 levels: an edit may have nested one thousands deep). */
function paths(doc: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (at.length >= 40) return out;
  if (Array.isArray(doc)) for (const [k, v] of doc.entries()) paths(v, [...at, k], out);
  else if (doc !== null && typeof doc === 'object') for (const [k, v] of Object.entries(doc)) paths(v, [...at, k], out);
  return out;
}

/** Values that are wrong in interesting ways: wrong types, out-of-range numbers, prototype names. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    null,
    -1,
    -0.5,
    1e308,
    -1e308,
    0,
    '',
    ' ',
    'NaN',
    'Infinity',
    '-1',
    '1e308',
    '__proto__',
    'constructor',
    [],
    {},
    [null],
    { __proto__: null },
    '\ud800',
  ),
);

function setAt(doc: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value === DELETE ? null : value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(doc)) {
    const copy = [...doc];
    if (rest.length === 0 && value === DELETE) copy.splice(head as number, 1);
    else copy[head as number] = setAt(copy[head as number], rest, value);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(doc as Record<string, unknown>) };
  if (rest.length === 0 && value === DELETE) delete copy[head as string];
  else Object.defineProperty(copy, head, { value: setAt(copy[head as string], rest, value), enumerable: true, writable: true, configurable: true });
  return copy;
}

/** A fixture document with one to three values replaced (by a hostile value) or deleted. */
export function mutatedJson(fixtures: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc
    .tuple(fc.constantFrom(...fixtures), fc.array(fc.tuple(fc.nat(), fc.oneof(hostileValue, fc.constant(DELETE))), { minLength: 1, maxLength: 3 }))
    .map(([doc, edits]) =>
      edits.reduce((d, [pick, value]) => {
        const all = paths(d);
        return setAt(d, all[pick % all.length] as (string | number)[], value);
      }, doc),
    );
}

/**
 * A fixture with one value replaced by arrays or objects nested 5,000 to 20,000 deep (as JSON.parse builds
 * them from a hostile file). The arbitrary gives only the recipe — fixture, place, depth — so that a
 * counterexample prints (fast-check cannot print the document itself); `deepen` makes the document.
 */
export const deepRecipe = fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 5000, max: 20_000 }), fc.boolean());

export function deepen(fixtures: readonly unknown[], [which, place, depth, arrays]: [number, number, number, boolean]): unknown {
  const doc = fixtures[which % fixtures.length];
  const all = paths(doc);
  const deep = JSON.parse(arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
  return setAt(doc, all[place % all.length] as (string | number)[], deep);
}

/** An input of any JSON value, or a fixture broken at random. */
export function jsonInput(fixtures: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc.oneof(fc.jsonValue({ maxDepth: 6 }), mutatedJson(fixtures));
}

const HANGUP = new Set(['agent', 'customer', 'unknown']);
const isTime = (t: unknown) => t === undefined || (typeof t === 'number' && Number.isFinite(t) && t >= 0);

/** A call as a parser must give it: an id, agent and hang-up, and utterances with text and sane times. */
export function expectValidCall(call: SourceCall, ctx: Pick<ParseContext, 'source'>): void {
  expect(typeof call.id).toBe('string');
  expect(call.id.length).toBeGreaterThan(0);
  expect(call.source).toBe(ctx.source);
  expect(HANGUP.has(call.hangupBy), `hangupBy ${call.hangupBy}`).toBe(true);
  expect(typeof call.agent).toBe('object');
  for (const key of ['id', 'name'] as const) if (call.agent[key] !== undefined) expect(typeof call.agent[key]).toBe('string');
  expect(isTime(call.ringSeconds), `ringSeconds ${call.ringSeconds}`).toBe(true);
  expect(Array.isArray(call.utterances)).toBe(true);
  expect(call.utterances.length).toBeGreaterThan(0);
  for (const u of call.utterances) {
    expect(typeof u.text).toBe('string');
    expect(isTime(u.start) && isTime(u.end), `times ${u.start}–${u.end}`).toBe(true);
    if (u.start !== undefined && u.end !== undefined) expect(u.end).toBeGreaterThanOrEqual(u.start);
    if (u.role !== undefined) expect(['agent', 'customer']).toContain(u.role);
    if (u.channel !== undefined) expect(Number.isInteger(u.channel) && u.channel >= 0).toBe(true);
    if (u.speaker !== undefined) expect(typeof u.speaker).toBe('string');
  }
}

/** An error as errors.csv lists it: the source, a message, and a line that exists in the text when there is one. */
export function expectLocatedError(error: { source: string; line?: number; error: string }, ctx: Pick<ParseContext, 'source'>, text?: string): void {
  expect(error.source).toBe(ctx.source);
  expect(typeof error.error).toBe('string');
  expect(error.error.trim().length).toBeGreaterThan(0);
  expect(error.error).not.toMatch(/Maximum call stack|TypeError|RangeError|is not a function|Cannot read propert|\[object Object\]/);
  if (error.line !== undefined) {
    expect(Number.isInteger(error.line) && error.line >= 1, `line ${error.line}`).toBe(true);
    // Subtitles count a lone CR as a line break (WebVTT allows it), so lines are counted that way.
    if (text !== undefined) expect(error.line).toBeLessThanOrEqual(text.split(/\r\n|\r|\n/).length + 1);
  }
}

/**
 * Everything a reader yields is a valid call or a located error; if it throws, it throws an
 * InputProblem with a message (readInput turns that into a line of errors.csv) — never anything else.
 */
export function expectReadable(read: () => Iterable<Parsed>, ctx: Pick<ParseContext, 'source'>, text?: string): Parsed[] {
  let items: Parsed[];
  try {
    items = [...read()];
  } catch (err) {
    expect(err, `threw ${(err as Error)?.stack ?? String(err)}`).toBeInstanceOf(InputProblem);
    expect((err as InputProblem).message.trim()).not.toBe('');
    const { line } = err as InputProblem;
    if (line !== undefined) expect(Number.isInteger(line) && line >= 1).toBe(true);
    return [];
  }
  for (const item of items) {
    if (item.call) expectValidCall(item.call, ctx);
    else expectLocatedError(item.error, ctx, text);
  }
  return items;
}
