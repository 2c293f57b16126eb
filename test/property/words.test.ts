/**
 * Property test of word alignment's window table: whether a span is word-aligned depends on the text
 * alone, never on which windows were segmented before it (a window found in its set, moved within it,
 * pushed out of it, or too long to be kept at all).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWordAligned } from '../../src/match/words.js';
import { RUNS } from './arbitraries.js';

/** Words and characters that join into other words (银行/行李/不行驶, 请问/申请), and what is not Han. */
const PARTS = ['银行', '行李', '不行', '行', '驶', '请问', '申请', '请', '完成', '成', '没事', '情', '我', '去', '办卡', '谢谢您', '的', '，', 'a', '1'];

const text = fc.array(fc.constantFrom(...PARTS), { minLength: 1, maxLength: 30 }).map((parts) => parts.join(''));

/** Every span of 1 to 10 code units of each text, answered in this order. */
function answers(texts: readonly string[]): boolean[] {
  const out: boolean[] = [];
  for (const t of texts)
    for (let start = 0; start < t.length; start++)
      for (let end = start + 1; end <= Math.min(t.length, start + 10); end++) out.push(isWordAligned(t, start, end));
  return out;
}

describe('isWordAligned', () => {
  it('answers the same whichever windows were checked before', () => {
    const all: string[] = [];
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 6 }), (texts) => {
        all.push(...texts);
        const first = texts.map((t) => answers([t]));
        // Again back to front, each text a new string with the same characters: the same answers.
        const again = [...texts]
          .reverse()
          .map((t) => answers([` ${t}`.slice(1)]))
          .reverse();
        expect(again).toEqual(first);
      }),
      { numRuns: RUNS },
    );
    // After thousands of other windows have gone through the table, the first answers hold.
    const before = answers(all);
    const other = Array.from(
      { length: 3000 },
      (_, i) => `${PARTS[i % PARTS.length]}${PARTS[(i * 7) % PARTS.length]}${String.fromCharCode(0x4e00 + i)}${PARTS[(i * 13) % PARTS.length]}`,
    );
    answers(other);
    expect(answers(all)).toEqual(before);
  });
});
