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
