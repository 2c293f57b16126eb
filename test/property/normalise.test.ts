/**
 * Property tests of the normaliser (issue 15, point 6): matching text from any string, and roles for any
 * call a parser could give — a call whose roles cannot be told is a located error (InputProblem), never
 * a crash, and a resolved call keeps every utterance, its text and its times.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputProblem } from '../../src/ingest/errors.js';
import type { SourceCall, SourceUtterance } from '../../src/model/source.js';
import { prepareCall } from '../../src/normalise/call.js';
import { resolveRoles } from '../../src/normalise/roles.js';
import { normaliseText } from '../../src/normalise/text.js';
import { defaultGreetingMatchers } from '../../src/rules/greeting.js';
import { anyText, RUNS } from './arbitraries.js';

/** Strings as transcripts hold them: Han in both scripts, full-width forms, spaces of every kind, and anything at all. */
const transcriptText = fc.oneof(
  anyText,
  fc
    .array(
      fc.constantFrom(
        '您好',
        '這裡是',
        '星辰通信',
        '不 行',
        '什 么',
        'ＡＢＣ１２３',
        '　',
        ' ',
        '\t',
        '\u00a0',
        '\u3000',
        'Agent',
        '坐席',
        '😀',
        '\u200b',
        '\ud800',
        'ǅ',
        'İ',
        'ß',
      ),
      {
        maxLength: 30,
      },
    )
    .map((parts) => parts.join('')),
);

describe('normaliseText', () => {
  it('maps any string to lower-case matching text, every character pointing back into the original in order', () => {
    fc.assert(
      fc.property(transcriptText, (original) => {
        const { text, toOriginal } = normaliseText(original);
        expect(toOriginal.length).toBe(text.length);
        for (let i = 0; i < toOriginal.length; i++) {
          expect(toOriginal[i]).toBeLessThan(original.length);
          if (i > 0) expect(toOriginal[i]).toBeGreaterThan(toOriginal[i - 1] as number);
        }
        expect(text).not.toMatch(/[A-Z]/);
        expect(text).not.toMatch(/ {2}/);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('is idempotent: normalised text normalises to itself', () => {
    fc.assert(
      fc.property(transcriptText, (original) => {
        const once = normaliseText(original).text;
        expect(normaliseText(once).text).toBe(once);
      }),
      { numRuns: RUNS * 2 },
    );
  });
});

const utterance: fc.Arbitrary<SourceUtterance> = fc
  .record(
    {
      role: fc.constantFrom('agent' as const, 'customer' as const),
      speaker: fc.oneof(fc.constantFrom('spk_0', 'spk_1', 'SPEAKER_00', '__proto__', 'constructor', '', ' ', '王芳', '王 芳'), fc.string({ maxLength: 8 })),
      channel: fc.nat({ max: 3 }),
      start: fc.double({ min: 0, max: 1e6, noNaN: true }),
      length: fc.double({ min: 0, max: 100, noNaN: true }),
      text: transcriptText,
    },
    { requiredKeys: ['text'] },
  )
  .map(({ length, ...u }) => (u.start !== undefined && length !== undefined ? { ...u, end: u.start + length } : u));

const sourceCall: fc.Arbitrary<SourceCall> = fc
  .record({
    utterances: fc.array(utterance, { minLength: 1, maxLength: 12 }),
    defaultAgentChannel: fc.option(fc.nat({ max: 2 }), { nil: undefined }),
  })
  .map(({ utterances, defaultAgentChannel }) => ({
    format: 'property',
    id: 'P-1',
    source: 'in/p.json',
    agent: {},
    hangupBy: 'unknown',
    utterances,
    ...(defaultAgentChannel === undefined ? {} : { defaultAgentChannel }),
  }));

const flags = fc.record(
  { agentSpeaker: fc.constantFrom('spk_1', 'SPEAKER_00', '__proto__'), agentName: fc.constantFrom('王芳', 'constructor'), agentChannel: fc.nat({ max: 2 }) },
  { requiredKeys: [] },
);

describe('resolveRoles and prepareCall', () => {
  const greetingElements = defaultGreetingMatchers();

  it('give every utterance of any call a role, keeping text and times — or refuse the call with an InputProblem', () => {
    fc.assert(
      fc.property(sourceCall, flags, (src, opts) => {
        let call: ReturnType<typeof resolveRoles>;
        try {
          call = resolveRoles(src, { ...opts, greetingElements });
        } catch (err) {
          expect(err, `threw ${(err as Error)?.stack}`).toBeInstanceOf(InputProblem);
          expect((err as InputProblem).message).toMatch(/speaker|role|label|channel/);
          return;
        }
        expect(call.id).toBe(src.id);
        expect(['given', 'flag', 'greeting', 'identification', 'customer-cue', 'direction', 'first-speaker']).toContain(call.roleSource);
        expect(call.utterances.length).toBe(src.utterances.length);
        call.utterances.forEach((u, k) => {
          const s = src.utterances[k] as SourceUtterance;
          expect(['agent', 'customer']).toContain(u.speaker);
          if (s.role !== undefined) expect(u.speaker).toBe(s.role);
          expect(u.text).toBe(s.text);
          expect(u.start).toBe(s.start);
          expect(u.end).toBe(s.end);
        });
        const prepared = prepareCall(call);
        prepared.utterances.forEach((u, k) => {
          expect(u.norm.text).toBe(normaliseText(call.utterances[k]?.text as string).text);
        });
      }),
      { numRuns: RUNS * 2 },
    );
  });
});
