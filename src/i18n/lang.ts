/**
 * The languages callqa writes for people in: Simplified Chinese (mainland), Traditional Chinese with
 * Taiwan wording, English. Ids, CSV column names and quoted evidence are not translated.
 */
export const LANGS = ['zh-CN', 'zh-TW', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** The language when neither `--lang` nor the rubric's `language` names one. */
export const DEFAULT_LANG: Lang = 'en';

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/** `--lang`'s value, or what was expected (an argument parser throws it to commander). */
export function parseLang(value: string): Lang {
  if (isLang(value)) return value;
  throw new Error(`expected one of ${LANGS.join(', ')}, got ${JSON.stringify(value)}`);
}

/** The language a saved run wrote in: run.json's `lang` when it is one, else English (a run from before languages). */
export function savedLang(rubric: { lang?: unknown } | undefined): Lang {
  return isLang(rubric?.lang) ? rubric.lang : DEFAULT_LANG;
}

/**
 * The language of the user's locale, for what is printed before the rubric (and so the run's language) is
 * known: the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is set, as POSIX reads them (`LC_ALL=C` wins over
 * `LANG=zh_CN.UTF-8`). Chinese in Traditional characters (zh_TW, zh_HK, zh_MO, zh_Hant…) → zh-TW, any other
 * Chinese (zh_CN, zh_SG, zh_Hans, bare zh) → zh-CN, anything else (C, POSIX, en_US, unset) → en.
 */
export function localeLang(env: Readonly<Record<string, string | undefined>> = process.env): Lang {
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '') ?? '';
  // zh_Hant_TW.UTF-8@euro → zh, hant, tw
  const parts = (locale.split(/[.@]/)[0] as string).toLowerCase().split(/[-_]/);
  if (parts[0] !== 'zh') return 'en';
  // The script, when named, says it (zh_Hans_HK is Simplified); else the region.
  if (parts.includes('hans')) return 'zh-CN';
  return parts.slice(1).some((p) => p === 'hant' || p === 'tw' || p === 'hk' || p === 'mo') ? 'zh-TW' : 'zh-CN';
}
