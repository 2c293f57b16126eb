import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/catalogs/en.js';
import { CATALOGS, fill, placeholders, translate } from '../../src/i18n/format.js';
import { LANGS } from '../../src/i18n/lang.js';
// @ts-expect-error: a plain .mjs script, no types
import { zhTwCatalog } from '../../scripts/zh-tw-catalog.mjs';

const keys = Object.keys(en).sort();
const toTraditional = (createRequire(import.meta.url)('opencc-js/cn2t') as typeof import('opencc-js')).Converter({ from: 'cn', to: 'tw' });

describe('the message catalogs', () => {
  it.each(LANGS)('%s has every key of en.ts, and no other', (lang) => {
    expect(Object.keys(CATALOGS[lang]).sort()).toEqual(keys);
  });

  it.each(LANGS.filter((l) => l !== 'en'))('%s gives every message the same {parameters} as en.ts', (lang) => {
    const differ = keys.filter((k) => placeholders(CATALOGS[lang][k as keyof typeof en]).join() !== placeholders(en[k as keyof typeof en]).join());
    expect(differ).toEqual([]);
  });

  it('zh-TW.ts is what scripts/zh-tw-catalog.mjs makes of zh-CN.ts (edit zh-CN.ts, then run it)', () => {
    const dir = new URL('../../src/i18n/catalogs/', import.meta.url);
    expect(readFileSync(new URL('zh-TW.ts', dir), 'utf8')).toBe(zhTwCatalog(readFileSync(new URL('zh-CN.ts', dir), 'utf8')));
  });

  it('zh-TW has no Simplified-only character, zh-CN and zh-TW no English word (outside {parameters})', () => {
    const simplified = new Set<string>();
    const english: string[] = [];
    for (const lang of ['zh-CN', 'zh-TW'] as const) {
      for (const text of Object.values(CATALOGS[lang])) {
        const bare = text.replace(/\{[A-Za-z_][A-Za-z0-9_]*\}/g, '');
        if (/[A-Za-z]{2,}/.test(bare)) english.push(text);
        if (lang === 'zh-TW') for (const ch of bare) if (toTraditional(ch) !== ch) simplified.add(ch);
      }
    }
    expect(english).toEqual([]);
    expect([...simplified]).toEqual([]);
  });

  it('zh-TW has Taiwan wording and quotation marks in every text, those biome wraps onto a second line too', () => {
    const wording = JSON.parse(readFileSync(new URL('../../src/i18n/taiwan-wording.json', import.meta.url), 'utf8')) as [string, string][];
    const mainland = Object.entries(CATALOGS['zh-TW']).filter(([, text]) => /[“”]/.test(text) || wording.some(([from]) => text.includes(from)));
    expect(mainland).toEqual([]);
    expect(CATALOGS['zh-TW']['speech-rate.too-fast']).toMatch(/^客服人員語速/);
  });
});

describe('fill', () => {
  it('puts in text, numbers through Intl and lists the language way', () => {
    expect(fill('en', '{a} and {n}: {xs}', { a: 'x', n: 12.5, xs: ['p', 'q'] })).toBe('x and 12.5: p, q');
    expect(fill('zh-CN', '缺少{xs}，{n} 秒', { xs: ['问候语', '服务用语'], n: 1234.5 })).toBe('缺少问候语、服务用语，1234.5 秒');
  });

  it('writes every number as Intl does for the language', () => {
    for (const lang of LANGS) {
      const intl = new Intl.NumberFormat(lang, { maximumFractionDigits: 20, useGrouping: false });
      // Once found by this property: String writes 22 decimals where Intl keeps 20.
      expect(fill(lang, '{n}', { n: 0.0000010000000000000002 })).toBe(intl.format(0.0000010000000000000002));
      fc.assert(
        fc.property(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer()), (n) => fill(lang, '{n}', { n }) === intl.format(n)),
        { numRuns: 2000 },
      );
    }
  });

  it('leaves a parameter it was not given as written, and never reads the prototype', () => {
    expect(fill('en', '{a} {constructor} {toString}', { a: '1' })).toBe('1 {constructor} {toString}');
  });

  it('translates one key in each language', () => {
    expect(translate('en', 'hangup-order.agent-first')).toBe('the agent hung up before the customer');
    expect(translate('zh-CN', 'hangup-order.agent-first')).toBe('坐席先于客户挂机');
    expect(translate('zh-TW', 'hangup-order.agent-first')).toBe('客服人員先於客戶掛機');
  });
});
