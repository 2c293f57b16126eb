import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldSyllable, MIN_SYLLABLES, PinyinMatcher, soundsMatchable, TolerantMatcher } from '../../src/match/pinyin.js';
import { normaliseText } from '../../src/normalise/text.js';
import phrasesRule from '../../src/rules/phrases.js';
import { optionsSchema, EMPTY_CONTEXT } from '../../src/rules/types.js';
import { call } from '../helpers/rule-table.js';

const norm = (s: string) => normaliseText(s).text;

describe('foldSyllable: the sounds ASR and accents mix up are one', () => {
  it.each([
    ['xing', 'xin'], // 高兴 / 高心
    ['zhi', 'zi'],
    ['chen', 'cen'],
    ['shi', 'si'],
    ['nan', 'lan'], // n/l
    ['nin', 'li'], // 您 / 你 (ni → li)
    ['ni', 'li'],
    ['bang', 'ban'],
    ['lü', 'lv'],
  ])('%s → %s', (syllable, folded) => expect(foldSyllable(syllable)).toBe(folded));
});

describe('soundsMatchable: only Han phrases of 3 or more syllables', () => {
  it('two syllables have too many homophones', () => {
    expect(MIN_SYLLABLES).toBe(3);
    expect(soundsMatchable('祝您')).toBe(false);
    expect(soundsMatchable('感谢')).toBe(false);
    expect(soundsMatchable('还有啥')).toBe(true);
    expect(soundsMatchable('工号1024')).toBe(false);
  });
});

describe('PinyinMatcher', () => {
  it('hears the seed wordings through ASR homophones, with their place in the text', () => {
    const m = new PinyinMatcher(['感谢您的来电', '很高兴为您服务', '还有什么可以帮您']);
    expect(m.findAll(norm('好的干些您的来电'))).toEqual([{ start: 2, end: 8, phrase: '感谢您的来电' }]);
    expect(m.findAll(norm('感谢您的来店'))).toEqual([{ start: 0, end: 6, phrase: '感谢您的来电' }]);
    expect(m.findAll(norm('我是王芳很高心为您服务'))).toEqual([{ start: 4, end: 11, phrase: '很高兴为您服务' }]);
    // 您 / 你, and 海 for 还.
    expect(m.findAll(norm('海有什么可以帮你的吗'))).toEqual([{ start: 0, end: 8, phrase: '还有什么可以帮您' }]);
  });

  it('reads Traditional phrases and text alike (both normalised)', () => {
    const m = new PinyinMatcher(['感謝您的來電']);
    expect(m.test(norm('干些您的來電'))).toBe(true);
  });

  it('a polyphone in the text matches any of its readings (还 is hai and huan)', () => {
    expect(new PinyinMatcher(['还款成功']).test('还款成功')).toBe(true);
    expect(new PinyinMatcher(['还有什么需要']).test('还有什么需要')).toBe(true);
  });

  it('does not hear what differs in sound', () => {
    const m = new PinyinMatcher(['还有什么可以帮您', '感谢您的来电']);
    expect(m.test('还有什么可疑的地方我们再核实')).toBe(false);
    expect(m.test('感谢您的耐心')).toBe(false);
  });

  it('punctuation breaks a stretch', () => {
    expect(new PinyinMatcher(['感谢您的来电']).test(norm('干些您，的来电'))).toBe(false);
  });

  it('leaves out phrases it cannot read by sound: regex, too short, not Han', () => {
    const m = new PinyinMatcher(['/还有.*吗/', '祝您', '再见', 'thank you', '期待再次为您服务']);
    expect(m.phrases).toEqual(['期待再次为您服务']);
    expect(m.test('注音')).toBe(false);
    expect(m.test('期待在次为您服务')).toBe(true);
  });
});

describe('PinyinMatcher: text without surrogates is read a code unit at a time, with the same answers', () => {
  it('finds in a text what it finds in the text with a character outside the BMP after it (read the general way)', () => {
    const matcher = new PinyinMatcher(['感谢您的来电', '还有什么可以帮您', '祝您生活愉快', '很高兴为您服务']);
    // The phrases' characters, homophones of them, polyphones and punctuation.
    const alphabet = [...'感谢您的来电干些你地还有什么可以帮助祝生活愉快很高兴为服务心环由甚么，。好'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 30 }), (chars) => {
        const text = chars.join('');
        const bmp = matcher.findAll(text);
        expect(bmp, text).toEqual(matcher.findAll(`${text}😀`));
        expect(matcher.test(text)).toBe(bmp.length > 0);
      }),
      { numRuns: 2000 },
    );
    expect(matcher.findAll('干些你的来电，还有甚么可以帮您').map((o) => o.phrase)).toEqual(['感谢您的来电', '还有什么可以帮您']);
  });
});

describe('TolerantMatcher', () => {
  it('matches exactly first, by sound only the phrases not found exactly, and not at all with pinyin off', () => {
    const on = new TolerantMatcher(['感谢', '感谢您的来电'], { pinyin: true });
    expect(on.findAll('干些您的来电')).toEqual([{ start: 0, end: 6, phrase: '感谢您的来电' }]);
    expect(
      on
        .findAll('感谢您的来电')
        .map((o) => o.phrase)
        .sort(),
    ).toEqual(['感谢', '感谢您的来电']);
    expect(on.test('干些您的来电')).toBe(true);
    const off = new TolerantMatcher(['感谢', '感谢您的来电'], { pinyin: false });
    expect(off.test('干些您的来电')).toBe(false);
    expect(off.test('感谢')).toBe(true);
  });
});

describe('phrases block: pinyin option', () => {
  const run = (text: string, options: Record<string, unknown>) =>
    phrasesRule.check(call([`agent: ${text}`]), optionsSchema(phrasesRule).parse(options) as never, EMPTY_CONTEXT);

  it('off by default: the homophone is not the phrase', () => {
    expect(run('好的干些您的来电', { phrases: ['感谢您的来电'] }).outcome).toBe('fail');
  });

  it('on: heard by sound, and the finding says so', () => {
    expect(run('好的干些您的来电', { phrases: ['感谢您的来电'], pinyin: true }).outcome).toBe('pass');
    const absent = run('这个不可能办的到', { phrases: ['不可能办到', '不可能'], pinyin: true, expect: 'absent' });
    expect(absent.findings.map((f) => f.message)).toEqual(['"不可能" said by the agent']);
    const heard = run('这是不可能办到的', { phrases: ['不可能半岛'], pinyin: true, expect: 'absent' });
    expect(heard.findings.map((f) => f.message)).toEqual(['"不可能办到" (≈ "不可能半岛" by sound) said by the agent']);
  });

  it('2-syllable phrases stay exact even with pinyin on', () => {
    expect(run('注音一下', { phrases: ['祝您'], pinyin: true }).outcome).toBe('fail');
  });
});
