import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fill, type MessageKey, ruleTitle, type Translator, translator } from './format.js';
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

/**
 * A rubric's own words, as it gives them (one text, or one per language), and what the catalogs add: each
 * rule's type (its catalog title), and, for a rule whose `message` the rubric gives, the keys that text
 * replaces. run.json keeps them, so that reports in any language name and advise as a run in it would.
 */
export interface RubricTexts {
  /** The rubric's `language:` (what a plain text is written in). */
  language?: Lang;
  name: PerLang;
  /** By rule id, in the rubric's order. */
  rules: Record<string, { type: string; title?: PerLang; advice?: PerLang; message?: PerLang; keys?: MessageKey[] }>;
  /** By criterion id (the model's criteria, `llm:<id>` in reports). */
  criteria?: Record<string, { advice?: PerLang }>;
}

/** A rubric's words in one language: its name, every rule's title, the advice it gives (`llm:<id>` for criteria). */
export interface RubricWords {
  name: string;
  titles: Record<string, string>;
  advice: Record<string, string>;
}

/** The rubric's words in `lang`: its own for that language (zh-TW: its Simplified ones converted), else the catalog's title of a rule's type. */
export function rubricWords(texts: RubricTexts, lang: Lang): RubricWords {
  const own = (text: PerLang | undefined) => rubricText(text, lang, texts.language);
  // Keyed by the rubric's ids: no prototype for an id to collide with.
  const titles: Record<string, string> = Object.create(null);
  const advice: Record<string, string> = Object.create(null);
  for (const [id, rule] of Object.entries(texts.rules)) {
    titles[id] = own(rule.title) ?? ruleTitle(rule.type, lang);
    const text = own(rule.advice);
    if (text !== undefined) advice[id] = text;
  }
  for (const [id, criterion] of Object.entries(texts.criteria ?? {})) {
    const text = own(criterion.advice);
    if (text !== undefined) advice[`llm:${id}`] = text;
  }
  const name = own(texts.name) ?? nameOf(texts.name, texts.language);
  return { name, titles, advice };
}

/** A rubric's name in its own language: the text, or the one of its language, else the first of those it gives. */
export function nameOf(names: PerLang, language: Lang | undefined): string {
  if (typeof names === 'string') return names;
  return (language ? names[language] : undefined) ?? Object.values(names).find((n) => n !== undefined) ?? '';
}

/** The translator of a rule of the rubric in `lang`: the catalog's, with the rubric's `message` for the keys it replaces. */
export function rubricRuleTranslator(texts: RubricTexts | undefined, rule: string, lang: Lang): Translator {
  const own = texts && Object.hasOwn(texts.rules, rule) ? texts.rules[rule] : undefined;
  return ruleTranslator(lang, own ? rubricText(own.message, lang, texts?.language) : undefined, own?.keys ?? []);
}
