import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fill, type MessageKey, type Translator, translator } from './format.js';
import type { Lang } from './lang.js';

/** A text the rubric gives per language (`title`, `message`), or one text for every language. */
export type PerLang = string | Partial<Record<Lang, string>>;

let taiwan: ((text: string) => string) | undefined;

/**
 * Simplified text as Taiwan writes it: OpenCC's Taiwan phrase conversion (cn → twp), loaded the first time
 * (~0.1 s), then quotation marks as Taiwan writes them and the Taiwan wording OpenCC does not give (taiwan-wording.json,
 * as scripts/zh-tw-catalog.mjs applies to the catalog). For the rubric's own texts (titles, advice, messages)
 * when it gives no Traditional wording of its own; the catalogs are converted once, by scripts/zh-tw-catalog.mjs.
 */
export function toTaiwan(text: string): string {
  if (!taiwan) {
    const OpenCC = createRequire(import.meta.url)('opencc-js/cn2t') as typeof import('opencc-js');
    const convert = OpenCC.Converter({ from: 'cn', to: 'twp' });
    const wording = JSON.parse(readFileSync(new URL('./taiwan-wording.json', import.meta.url), 'utf8')) as [string, string][];
    taiwan = (t) => {
      let out = convert(t).replaceAll('“', '「').replaceAll('”', '」').replaceAll('‘', '『').replaceAll('’', '』');
      for (const [from, to] of wording) out = out.replaceAll(from, to);
      return out;
    };
  }
  return taiwan(text);
}

/**
 * A rubric text in `lang`: its own wording for that language; for zh-TW, else its Simplified wording converted;
 * a plain string is the rubric's own language, converted the same way when that is Simplified and `lang` is zh-TW.
 * Undefined when the rubric gives nothing this language can use (the caller falls back to the catalog).
 */
export function rubricText(text: PerLang | undefined, lang: Lang, rubricLang: Lang | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (typeof text === 'string') {
    if (lang === 'zh-TW' && rubricLang === 'zh-CN') return toTaiwan(text);
    return text;
  }
  const own = text[lang];
  if (own !== undefined) return own;
  if (lang === 'zh-TW' && text['zh-CN'] !== undefined) return toTaiwan(text['zh-CN']);
  return undefined;
}

/**
 * The translator of one rule of a rubric: the catalog's messages in `lang`, except the rule's finding messages
 * (`messages`: whole messages, not the pieces some are made of), which are the rubric's `message` for this rule
 * where it gives one in this language (its {parameters} are checked when the rubric loads).
 */
export function ruleTranslator(lang: Lang, message: string | undefined, messages: readonly MessageKey[]): Translator {
  const base = translator(lang);
  if (message === undefined) return base;
  return (key, params) => (messages.includes(key) ? fill(lang, message, params) : base(key, params));
}
