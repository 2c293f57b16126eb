/**
 * Property test of the regex precheck (regexPrecheck, PrecheckedMatcher in phrase-classes.ts): where the precheck
 * says no, the regex finds nothing, so a matcher that runs its regexes only where it says yes finds the same
 * occurrences, in the same order, as one that always runs them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PhraseMatcher } from '../../src/match/phrases.js';
import { DEFAULT_CONFIRMATIONS, DEFAULT_TAGS } from '../../src/rules/confirm-understanding.js';
import {
  DEFAULT_COMPLAINT_CUES,
  DEFAULT_CUE_EXCEPTIONS,
  DEFAULT_DISMISSALS,
  DEFAULT_EMPATHY_EXCEPTIONS,
  DEFAULT_WEAK_CUES,
} from '../../src/rules/empathy-on-complaint.js';
import { PrecheckedMatcher, regexPrecheck } from '../../src/rules/phrase-classes.js';
import { DEFAULT_DEFLECTIONS, DEFAULT_REFUSALS } from '../../src/rules/refusal-wording.js';
import { RUNS } from './arbitraries.js';

const flat = (classes: Record<string, readonly string[]>) => Object.values(classes).flat();

const LISTS: Record<string, readonly string[]> = {
  cues: [...flat(DEFAULT_COMPLAINT_CUES), ...flat(DEFAULT_WEAK_CUES)],
  cueExceptions: DEFAULT_CUE_EXCEPTIONS,
  dismissals: DEFAULT_DISMISSALS,
  empathyExceptions: DEFAULT_EMPATHY_EXCEPTIONS,
  confirmations: DEFAULT_CONFIRMATIONS,
  tags: DEFAULT_TAGS,
  refusals: DEFAULT_REFUSALS,
  deflections: DEFAULT_DEFLECTIONS,
};

/** Patterns that exercise the reading: optional and repeated parts, groups, lookbehinds, classes, anchors. */
const MADE = [
  '/(?:打)了?第?[两二三0-9]+(?:次|遍)/',
  '/(?<=(?:刚|已经)[^,。]{0,4}(?:交|付))(?:怎么还|咋还)/',
  '/[0-9]+(?:123|456)/',
  '/(?:123|456)[0-9]+/',
  '/(?:^|[,。])\\s*(?:这|那)?不可能(?:的)?\\s*(?=[,。]|$)/',
  '/你(?:们)?(?:自己|去)+(?:问|打)/',
  '/(?:a|你)?好(?:的|了)?吧/',
  '/等了(?:快|都)?[一二0-9]{1,2}(?:个)?(?:分钟|天)/',
  '/(?:说了|问了)*遍/',
  '/(?:我|您)(?:说|讲)(?:了)\\d次/',
  '/不(?<!别)(?:行|对)(?:吧)?$/',
];

/** Texts of the characters the patterns name, pieces of them, and a few others. */
function texts(patterns: readonly string[]) {
  const chars = new Set<string>();
  for (const p of patterns) for (const ch of p.slice(1, p.lastIndexOf('/'))) if (!'\\()[]{}?*+|^$=<!:'.includes(ch)) chars.add(ch);
  const pieces = patterns.flatMap((p) => (p.match(/[\p{Script=Han}0-9]+/gu) ?? []) as string[]);
  const parts = [...chars, ...pieces, '我', '的', '，', '。', '！', ' ', '3', '12'];
  return fc.array(fc.constantFrom(...parts), { minLength: 1, maxLength: 10 }).map((p) => p.join(''));
}

function agrees(phrases: readonly string[]) {
  const regexes = phrases.filter((p) => p.startsWith('/'));
  const matcher = new PhraseMatcher(phrases);
  const prechecked = new PrecheckedMatcher(matcher, true);
  let skipped = 0;
  let found = 0;
  fc.assert(
    fc.property(texts(regexes), (text) => {
      expect(prechecked.findAll(text)).toEqual(matcher.findAll(text));
      for (const p of regexes) {
        const may = regexPrecheck(p);
        const hits = new PhraseMatcher([p]).findAll(text).length;
        if (hits > 0) found++;
        if (may === undefined || may(text)) continue;
        skipped++;
        expect(hits).toBe(0);
      }
    }),
    { numRuns: RUNS * 4 },
  );
  return { skipped, found };
}

describe('regexPrecheck', () => {
  for (const [name, list] of Object.entries(LISTS)) {
    it(`never rules out a text a regex of ${name} matches; the prechecked matcher finds the same`, () => {
      agrees(list);
    });
  }
  it('never rules out a text a made-up regex matches', () => {
    const { skipped, found } = agrees(MADE);
    expect(skipped).toBeGreaterThan(0);
    expect(found).toBeGreaterThan(0);
  });
  it('rules out texts by the characters beside a part', () => {
    const may = regexPrecheck('/(?:打)了?第?[两二三四五六七八九十几好多0-9]+(?:次|遍|回|个电话|通电话)/');
    expect(may?.('打过一次')).toBe(false);
    expect(may?.('打了三次')).toBe(true);
    expect(regexPrecheck('/(?<=(?:刚|已经)[^,]{0,10}(?:交|付))(?:怎么还)/')?.('怎么还没到')).toBe(false);
  });
  it('reads nothing it does not know', () => {
    expect(regexPrecheck('/(?i)投诉/')).toBeUndefined();
    expect(regexPrecheck('/Thank/')).toBeUndefined();
    expect(regexPrecheck('/.+/')).toBeUndefined();
  });
});
