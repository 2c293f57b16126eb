/**
 * Property test of the homophone reader's pair gate (SoundPairs, restatement.ts): a text it rules out holds no
 * phrase HomophoneMatcher finds by sound, so empathy-on-complaint may skip reading it as pinyin.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EMPATHY } from '../../src/rules/empathy-on-complaint.js';
import { HomophoneMatcher } from '../../src/rules/homophones.js';
import { SoundPairs } from '../../src/rules/restatement.js';
import { RUNS } from './arbitraries.js';

const PHRASES = [...(DEFAULT_EMPATHY.apology ?? []), ...(DEFAULT_EMPATHY.acknowledgement ?? [])];
/** Phrases as ASR writes them (报歉, 天麻烦), halves of phrases, and the words replies are made of. */
const PARTS = [
  ...PHRASES,
  ...PHRASES.map((p) => p.slice(0, Math.ceil(p.length / 2))),
  ...PHRASES.map((p) => p.slice(Math.floor(p.length / 2))),
  '报歉',
  '天麻烦',
  '道欠',
  '对不器',
  '不号意思',
  '里解',
  '您的新情',
  '让您久登',
  '非常',
  '您',
  '的',
  '我',
  '是',
  '好',
  '，',
  '。',
  ' ',
  'a',
  '1',
];

describe('SoundPairs', () => {
  it('rules out no text in which the homophone reader finds a phrase', () => {
    const reader = new HomophoneMatcher(PHRASES);
    const gate = new SoundPairs(PHRASES);
    let found = 0;
    let ruledOut = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PARTS), { minLength: 1, maxLength: 10 }), (parts) => {
        const text = parts.join('');
        if (reader.find(text) !== undefined) found++;
        if (gate.mayHold(text)) return;
        ruledOut++;
        expect(reader.find(text)).toBeUndefined();
      }),
      { numRuns: RUNS * 5 },
    );
    expect(found).toBeGreaterThan(0);
    expect(ruledOut).toBeGreaterThan(0);
  });

  it('rules nothing out where a phrase has one syllable only', () => {
    expect(new SoundPairs(['抱歉', '歉']).mayHold('你好')).toBe(false);
    expect(new SoundPairs(['抱歉', '𠀀𠀀']).mayHold('你好')).toBe(true);
  });
});
