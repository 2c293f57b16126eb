/**
 * Property test of empathy-on-complaint's backchannel count: counting code points up to the limit, with no text
 * made, agrees with removing spacing, punctuation and symbols and measuring what is left.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NormalisedText } from '../../src/model/call.js';
import { isBackchannel } from '../../src/rules/empathy-on-complaint.js';
import { RUNS } from './arbitraries.js';

const PARTS = ['嗯', '是的', '好', '明白', '，', '。', '！', '?', ' ', '\t', '😀', '👍🏻', '\ud800', '\udc00', 'a', '1', '…', '～', '+', '𠀀', '¥'];

const slow = (text: string) => text.replace(/[\s\p{P}\p{S}]/gu, '').length <= 2;

describe('isBackchannel', () => {
  it('agrees with removing punctuation and measuring the rest', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PARTS), { maxLength: 8 }), fc.string({ maxLength: 6, unit: 'binary' }), (parts, noise) => {
        for (const text of [parts.join(''), noise, parts.join('') + noise]) {
          expect(isBackchannel({ norm: { text } as NormalisedText })).toBe(slow(text));
        }
      }),
      { numRuns: RUNS * 5 },
    );
  });
});
