import { describe, expect, it } from 'vitest';
import { localeLang } from '../../src/i18n/lang.js';

describe('localeLang', () => {
  it.each([
    [{ LANG: 'zh_CN.UTF-8' }, 'zh-CN'],
    [{ LANG: 'zh_SG.UTF-8' }, 'zh-CN'],
    [{ LANG: 'zh_Hans' }, 'zh-CN'],
    [{ LANG: 'zh' }, 'zh-CN'],
    [{ LANG: 'zh-CN' }, 'zh-CN'],
    [{ LANG: 'zh_TW.UTF-8' }, 'zh-TW'],
    [{ LANG: 'zh_HK.Big5-HKSCS' }, 'zh-TW'],
    [{ LANG: 'zh_MO' }, 'zh-TW'],
    [{ LANG: 'zh_Hant' }, 'zh-TW'],
    [{ LANG: 'zh-Hant-TW' }, 'zh-TW'],
    [{ LANG: 'zh_Hans_HK' }, 'zh-CN'],
    [{ LANG: 'zh_TW.UTF-8@euro' }, 'zh-TW'],
    [{ LANG: 'en_US.UTF-8' }, 'en'],
    [{ LANG: 'C.UTF-8' }, 'en'],
    [{ LANG: 'ja_JP.UTF-8' }, 'en'],
    [{}, 'en'],
  ] as const)('%j → %s', (env, lang) => {
    expect(localeLang(env)).toBe(lang);
  });

  it('reads LC_ALL, then LC_MESSAGES, then LANG, as POSIX does (an empty one is unset)', () => {
    expect(localeLang({ LC_ALL: 'C', LC_MESSAGES: 'zh_CN.UTF-8', LANG: 'zh_TW.UTF-8' })).toBe('en');
    expect(localeLang({ LC_ALL: '', LC_MESSAGES: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' })).toBe('zh-CN');
    expect(localeLang({ LC_MESSAGES: '', LANG: 'zh_TW.UTF-8' })).toBe('zh-TW');
    expect(localeLang({ LC_ALL: 'zh_HK.UTF-8', LANG: 'en_US.UTF-8' })).toBe('zh-TW');
  });
});
