/**
 * Property tests of every reader (issue 15, point 6): whatever it is given — any JSON value, any text,
 * any bytes, or a fixture of its own format broken at random — a reader yields valid calls or located
 * errors, and throws nothing but an InputProblem (which the batch lists in errors.csv).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeBytes } from '../../src/ingest/encoding.js';
import { InputProblem } from '../../src/ingest/errors.js';
import type { ParseContext } from '../../src/ingest/format.js';
import { EXTENSIONS, JSON_FORMATS, TEXT_FORMATS } from '../../src/ingest/formats/index.js';
import { readInput } from '../../src/ingest/index.js';
import { parseJsonLine } from '../../src/ingest/json.js';
import { parseJsonDocument } from '../../src/ingest/json-document.js';
import type { Parsed } from '../../src/ingest/parsed.js';
import { anyText, deepen, deepRecipe, expectLocatedError, expectReadable, expectValidCall, fixtureTexts, jsonInput, mutatedText, RUNS } from './arbitraries.js';
import { english } from '../helpers/parsed.js';

const ctxFor = (source: string, text: string): ParseContext => ({ source, text, options: {} });

/** Each JSON format's fixtures, parsed (vendor examples may hold comments: read as callqa reads them). */
const JSON_FIXTURES: Readonly<Record<string, string>> = {
  'callqa-json': 'calls',
  alibaba: 'formats/alibaba',
  'aws-call-analytics': 'formats/aws-call-analytics',
  'contact-lens-chat': 'formats/contact-lens-chat',
  'aws-transcribe': 'formats/aws-transcribe',
  whisper: 'formats/whisper',
  pca: 'formats/pca',
};

const TEXT_FIXTURES: Readonly<Record<string, { dir: string; extensions: string[] }>> = {
  'callqa-text': { dir: 'calls', extensions: ['.txt'] },
  vtt: { dir: 'formats/vtt', extensions: ['.vtt'] },
  srt: { dir: 'formats/srt', extensions: ['.srt'] },
  'csv-export': { dir: 'formats/csv-export', extensions: ['.csv', '.tsv'] },
};

describe('JSON format readers', () => {
  for (const format of JSON_FORMATS) {
    const dir = JSON_FIXTURES[format.name] as string;
    const fixtures = fixtureTexts(dir, ['.json']).map((text) => parseJsonDocument(text).doc);

    it(`${format.name}: its fixtures read as calls (the property's starting point)`, () => {
      const calls = fixtures.filter((doc) => format.detect(doc)).flatMap((doc) => [...format.parse(doc, ctxFor(`x/${format.name}.json`, JSON.stringify(doc)))]);
      expect(calls.some((p) => p.call)).toBe(true);
    });

    it(`${format.name}: any JSON value, or a fixture with values replaced or deleted, gives calls or located errors`, () => {
      fc.assert(
        fc.property(jsonInput(fixtures), (doc) => {
          const text = JSON.stringify(doc, null, 1) ?? 'null';
          const ctx = ctxFor('in/doc.json', text);
          expect(typeof format.detect(doc)).toBe('boolean');
          // A document forced on the format (--input-format) must be read or refused the same way.
          expectReadable(() => format.parse(doc, ctx) as Iterable<Parsed>, ctx, text);
        }),
        { numRuns: RUNS },
      );
    });

    it(`${format.name}: a fixture with a value nested 5,000 to 20,000 deep gives calls or located errors`, () => {
      fc.assert(
        fc.property(deepRecipe, (recipe) => {
          const doc = deepen(fixtures, recipe);
          // The text only places errors on lines; a document this deep has no pretty-printed form.
          const ctx = ctxFor('in/deep.json', '{}');
          expect(typeof format.detect(doc)).toBe('boolean');
          expectReadable(() => format.parse(doc, ctx) as Iterable<Parsed>, ctx);
        }),
        { numRuns: Math.ceil(RUNS / 4) },
      );
    });
  }
});

describe('text format readers', () => {
  for (const format of TEXT_FORMATS) {
    const { dir, extensions } = TEXT_FIXTURES[format.name] as { dir: string; extensions: string[] };
    const fixtures = fixtureTexts(dir, extensions);
    const source = `in/t${extensions[0]}`;

    it(`${format.name}: its fixtures read as calls (the property's starting point)`, () => {
      const calls = fixtures.flatMap((text) => expectReadable(() => format.parse(text, ctxFor(source, text)), ctxFor(source, text), text));
      expect(calls.some((p) => p.call)).toBe(true);
    });

    it(`${format.name}: any text gives calls or located errors`, () => {
      fc.assert(
        fc.property(anyText, (text) => {
          expectReadable(() => format.parse(text, ctxFor(source, text)), ctxFor(source, text), text);
        }),
        { numRuns: RUNS },
      );
    });

    it(`${format.name}: a fixture cut, spliced or sprinkled with special characters gives calls or located errors`, () => {
      fc.assert(
        fc.property(mutatedText(fixtures), (text) => {
          expectReadable(() => format.parse(text, ctxFor(source, text)), ctxFor(source, text), text);
        }),
        { numRuns: RUNS },
      );
    });
  }
});

describe('counterexamples the properties found', () => {
  it('csv-export: an end time in a file with no start column is a located error, not a TypeError', () => {
    const csv = TEXT_FORMATS.find((f) => f.name === 'csv-export');
    const text = '录音编号\t说话人\t声道开始时间\t结束时间\t识别结果\nYF-1\t说话人1\t00:00.800\t00:05\t您好\n';
    expect(english(csv?.parse(text, ctxFor('in/x.tsv', text)) ?? [])).toEqual([
      { error: { source: 'in/x.tsv', line: 2, error: 'call YF-1: no start column, but column 结束时间 (end) has a time' } },
    ]);
  });
});

describe('deep nesting, found by the properties and the hostile corpus', () => {
  const deep = (depth: number) => JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

  it('a segment text nested 20,000 objects deep is a located error, not a stack overflow', () => {
    const json = JSON_FORMATS.find((f) => f.name === 'callqa-json');
    const doc = { call_id: 'D-1', segments: [{ speaker: 'agent', text: deep(20_000) }] };
    expect(english(json?.parse(doc, ctxFor('in/d.json', '{}')) ?? [])).toEqual([
      { error: { source: 'in/d.json', error: 'a value nested too deeply to read (arrays or objects thousands of levels deep)' } },
    ]);
  });

  it('200,000 opening brackets are refused as invalid JSON with a line, not a stack overflow', () => {
    expect(() => parseJsonDocument(`\n${'['.repeat(200_000)}`)).toThrow(
      expect.objectContaining({ line: 2, message: 'invalid JSON: arrays or objects nested too deeply to read (thousands of levels)' }),
    );
  });
});

describe('callqa JSON Lines and documents', () => {
  const lines = fixtureTexts('calls', ['.jsonl']).flatMap((t) => t.split('\n').filter((l) => l.trim() !== ''));

  it('a line of any text, or a good line broken, is a call, a located error or blank', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, mutatedText(lines)), fc.integer({ min: 1, max: 1_000_000 }), (text, line) => {
        const parsed = parseJsonLine(text, 'in/day.jsonl', line);
        if (parsed === undefined) {
          expect(text.trim()).toBe('');
          return;
        }
        if (parsed.call) {
          expectValidCall(parsed.call, { source: 'in/day.jsonl' });
          expect(parsed.call.line).toBe(line);
        } else {
          expectLocatedError(parsed.error, { source: 'in/day.jsonl' });
          expect(parsed.error.line).toBe(line);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('a JSON document of any text parses, or is refused with its line', () => {
    const documents = fixtureTexts('calls', ['.json']);
    fc.assert(
      fc.property(fc.oneof(anyText, mutatedText(documents)), (text) => {
        try {
          parseJsonDocument(text);
        } catch (err) {
          expect(err).toBeInstanceOf(InputProblem);
          expect((err as InputProblem).line).toBeGreaterThanOrEqual(1);
          expect((err as InputProblem).line).toBeLessThanOrEqual(text.split('\n').length + 1);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('decoding and reading files', () => {
  it('any bytes decode, or are refused naming the encoding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.constantFrom(undefined, 'utf-8', 'utf-16le', 'utf-16be', 'gb18030', 'big5'), (bytes, forced) => {
        try {
          const { text, encoding } = decodeBytes(bytes, forced);
          expect(typeof text).toBe('string');
          expect(typeof encoding).toBe('string');
        } catch (err) {
          expect(err).toBeInstanceOf(InputProblem);
          expect((err as Error).message).toMatch(/UTF-8|UTF-16|GB18030|Big5/);
        }
      }),
      { numRuns: RUNS },
    );
  });

  const dir = mkdtempSync(join(tmpdir(), 'callqa-property-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const every = [
    ...fixtureTexts('calls', ['.json', '.jsonl', '.txt']),
    ...fixtureTexts('formats/vtt', ['.vtt']),
    ...fixtureTexts('formats/csv-export', ['.csv']),
  ];
  let n = 0;

  it('readInput never throws: any bytes, or any fixture broken, under any extension, give calls or located errors', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 600 }),
          mutatedText(every).map((t) => Buffer.from(t)),
        ),
        fc.constantFrom(...EXTENSIONS),
        async (bytes, extension) => {
          const path = join(dir, `input-${n++}${extension}`);
          writeFileSync(path, bytes);
          const items: Parsed[] = [];
          for await (const item of readInput({ kind: 'file', path })) items.push(item);
          expect(items.length).toBeGreaterThan(0);
          for (const item of items) {
            if (item.call) expectValidCall(item.call, { source: path });
            else expectLocatedError(item.error, { source: path });
          }
          rmSync(path);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
