import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { decodeBytes } from '../../src/ingest/encoding.js';
import { type InputError, localizeError } from '../../src/ingest/errors.js';
import type { IngestOptions, JsonFormat, TextFormat } from '../../src/ingest/format.js';
import type { Parsed } from '../../src/ingest/parsed.js';
import type { SourceCall } from '../../src/model/source.js';
import { ROOT } from './cli.js';

/** The speaker labels the parsers list when they meet an unknown one. */
export const LABELS = 'agent, 坐席, 客服, A (agent) or customer, caller, 客户, 顾客, 用户, C (customer)';

/** Everything a JSON format yields for a document given as text (its errors' reasons as English text). */
export function parseJson(format: JsonFormat, text: string, source: string): Parsed[] {
  return english(format.parse(JSON.parse(text), { source, text, options: {} }));
}

/** Everything a text format yields for a file's text (its errors' reasons as English text). */
export function parseText(format: TextFormat, text: string, source: string, options: IngestOptions = {}): Parsed[] {
  return english(format.parse(text, { source, text, options }));
}

/**
 * What a parser yielded, its errors without their messages (`said`, which readInput writes in the run's
 * language): the English text is what these tests read. test/ingest/messages.test.ts reads the messages.
 */
export function english(parsed: Iterable<Parsed>): Parsed[] {
  return Array.from(parsed, (p) => (p.error ? { error: localizeError(p.error, 'en') } : p));
}

/** The path on disk of fixtures/formats/<format>/<name>. */
export function fixturePath(format: string, name: string): string {
  return join(ROOT, 'fixtures', 'formats', format, name);
}

/** A format fixture's text, decoded as callqa decodes a file, and its path from the repository root as the source. */
export function fixtureText(format: string, name: string): { text: string; source: string } {
  return { text: decodeBytes(readFileSync(fixturePath(format, name))).text, source: `fixtures/formats/${format}/${name}` };
}

/** The only item a parser yielded must be a call. */
export function onlyCall(out: Parsed[]): SourceCall {
  expect(out).toHaveLength(1);
  const [item] = out;
  if (!item?.call) throw new Error(`expected a call, got ${JSON.stringify(out)}`);
  return item.call;
}

/** The only item a parser yielded must be an error. */
export function onlyError(out: Parsed[]): InputError {
  expect(out).toHaveLength(1);
  const [item] = out;
  if (!item?.error) throw new Error(`expected an error, got ${JSON.stringify(out)}`);
  return item.error;
}

/** Every item a parser yielded must be an error (a bad file yields no call), and there must be one. */
export function onlyErrors(out: Parsed[]): InputError[] {
  expect(out.length).toBeGreaterThan(0);
  for (const item of out) expect(item.call, JSON.stringify(item)).toBeUndefined();
  return out.map((p) => p.error as InputError);
}
