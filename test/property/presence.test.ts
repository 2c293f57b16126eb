/**
 * Property test of the rules' presence gate (presenceOf, phrase-classes.ts): a text the gate passes over holds
 * nothing the matcher would find, so a rule that skips such a text gives the same answer as one that reads it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PhraseMatcher } from '../../src/match/phrases.js';
import { DEFAULT_COMPLAINT_CUES, DEFAULT_CUE_EXCEPTIONS, DEFAULT_WEAK_CUES } from '../../src/rules/empathy-on-complaint.js';
import { DEFAULT_CONFIRMATIONS, DEFAULT_TAGS } from '../../src/rules/confirm-understanding.js';
import { presenceOf, presenceOfEither } from '../../src/rules/phrase-classes.js';
import { DEFAULT_DEFLECTIONS, DEFAULT_REFUSALS } from '../../src/rules/refusal-wording.js';
import { RUNS } from './arbitraries.js';

const literals = (list: readonly string[]) => list.filter((p) => !p.startsWith('/'));

/** Texts made of whole phrases, their halves and what regex phrases match, with words and punctuation between. */
function texts(phrases: readonly string[], extra: readonly string[]) {
  const parts = [
    ...literals(phrases),
    ...literals(phrases).map((p) => p.slice(0, Math.ceil(p.length / 2))),
    ...literals(phrases).map((p) => p.slice(Math.floor(p.length / 2))),
    ...extra,
    '我',
    '您',
    '的',
    '了',
    '电话',
    '银行',
    '，',
    '。',
    '！',
    '？',
    ' ',
    '3',
    '12',
  ];
  return fc.array(fc.constantFrom(...parts), { minLength: 1, maxLength: 12 }).map((p) => p.join(''));
}

function agrees(phrases: readonly string[], extra: readonly string[], split?: number) {
  // With `split`: the phrases as two matchers, behind one gate (presenceOfEither).
  const matcher = new PhraseMatcher(phrases);
  const gate =
    split === undefined ? presenceOf(matcher) : presenceOfEither(new PhraseMatcher(phrases.slice(0, split)), new PhraseMatcher(phrases.slice(split)));
  expect(gate).toBeDefined();
  let found = 0;
  let passed = 0;
  fc.assert(
    fc.property(texts(phrases, extra), (text) => {
      if (matcher.findAll(text).length > 0) found++;
      if (gate?.test(text)) return;
      passed++;
      expect(matcher.findAll(text)).toEqual([]);
    }),
    { numRuns: RUNS * 5 },
  );
  // Both kinds of text were tried: some holding a phrase, some the gate passed over.
  expect(found).toBeGreaterThan(0);
  expect(passed).toBeGreaterThan(0);
}

describe('presenceOf', () => {
  it('passes over no text that holds a complaint cue', () => {
    const cues = [...Object.values(DEFAULT_COMPLAINT_CUES).flat(), ...Object.values(DEFAULT_WEAK_CUES).flat()];
    agrees(cues, ['打了三次', '打', '第二次打', '第', '说了两遍', '等了十分钟', '等了', '够了', '刚交了钱怎么还', '已经', '怎么还', '怎么又', '次', '遍']);
  });

  it('passes over no text that holds a cue exception', () => {
    agrees(DEFAULT_CUE_EXCEPTIONS, ['不是来投诉', '如果要投诉', '请问这到底', '112315', '123450', '投诉']);
  });

  it('passes over no text that holds an opener or a tag of a restatement', () => {
    agrees([...DEFAULT_CONFIRMATIONS, ...DEFAULT_TAGS], ['对', '吗', '是', '您是', '确认'], DEFAULT_CONFIRMATIONS.length);
  });

  it('passes over no text that holds a flat refusal or a deflection', () => {
    agrees(
      [...DEFAULT_REFUSALS, ...DEFAULT_DEFLECTIONS],
      ['这是不可能的', '没办法', '，没有办法了。', '不归我们这边管', '不是我们部门管的', '跟我们平台没关系', '你自己重启'],
    );
  });

  it('is undefined where a regex needs no literal', () => {
    expect(presenceOf(new PhraseMatcher(['投诉', '/[0-9]{5,}/']))).toBeUndefined();
  });
});
