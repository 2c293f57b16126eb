import { en, type MessageKey } from './catalogs/en.js';
import { zhCN } from './catalogs/zh-CN.js';
import { zhTW } from './catalogs/zh-TW.js';
import type { Lang } from './lang.js';

export type { MessageKey } from './catalogs/en.js';

/**
 * A message's named parameters: `{name}` in a catalog's text. Numbers are written through Intl for the
 * language (rounded by the caller to the precision it means); a list is joined the language's way
 * (`a, b` / `a、b`); text is put in as it is (quoted evidence, phrases, ids).
 */
export type Params = Readonly<Record<string, string | number | readonly (string | number)[]>>;

/** A message in one language: a catalog key and its parameters → text. */
export type Translator = (key: MessageKey, params?: Params) => string;

/** Each language's catalog: one file a language (src/i18n/catalogs), the same keys and parameters in each. */
export const CATALOGS: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = { en, 'zh-CN': zhCN, 'zh-TW': zhTW };

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The parameter names a message text uses, sorted, each once. */
export function placeholders(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(PLACEHOLDER), (m) => m[1] as string))].sort();
}

const numberFormats = new Map<Lang, Intl.NumberFormat>();
function numberFormat(lang: Lang): Intl.NumberFormat {
  let f = numberFormats.get(lang);
  if (!f) {
    // No grouping: durations and counts in findings stay as a reviewer types them (1234.5 s).
    f = new Intl.NumberFormat(lang, { maximumFractionDigits: 20, useGrouping: false });
    numberFormats.set(lang, f);
  }
  return f;
}

const decimals = new Map<string, Intl.NumberFormat>();
/** A figure with `digits` decimals (`exact`: always that many; else up to them), no grouping, through Intl for the language (one formatter a kind, kept). */
export function figure(lang: Lang, x: number, digits: number, exact = true): string {
  const key = `${lang}/${digits}/${exact}`;
  let f = decimals.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang, { minimumFractionDigits: exact ? digits : 0, maximumFractionDigits: digits, useGrouping: false });
    decimals.set(key, f);
  }
  return f.format(x);
}

const LIST_SEPARATOR: Record<Lang, string> = { en: ', ', 'zh-CN': '、', 'zh-TW': '、' };

function number(lang: Lang, n: number): string {
  // For these three languages (Latin digits, "." as decimal point, no grouping asked), Intl writes what String
  // does, except where String uses an exponent: the common case skips Intl's slower call (a property test holds them equal).
  const plain = String(n);
  const point = plain.indexOf('.');
  // An exponent, -0, or more decimals than Intl keeps (20: 0.0000010000000000000002): Intl's own text.
  const intl = plain.includes('e') || Object.is(n, -0) || (point >= 0 && plain.length - point - 1 > 20);
  return intl ? numberFormat(lang).format(n) : plain;
}

function value(lang: Lang, v: Params[string]): string {
  if (typeof v === 'number') return number(lang, v);
  if (typeof v === 'string') return v;
  return v.map((x) => value(lang, x)).join(LIST_SEPARATOR[lang]);
}

/** A message text cut at its placeholders: literal, name, literal, name, …, literal (compiled once a text). */
const compiled = new Map<string, readonly string[]>();
function parts(text: string): readonly string[] {
  let p = compiled.get(text);
  if (!p) {
    p = text.split(PLACEHOLDER);
    // The catalogs' texts are few; a rubric's own are a handful more: the map stays small.
    compiled.set(text, p);
  }
  return p;
}

/** A message text with its parameters put in; a parameter the text names but `params` lacks stays as `{name}`. */
export function fill(lang: Lang, text: string, params: Params | undefined): string {
  if (!params || !text.includes('{')) return text;
  const p = parts(text);
  let out = p[0] as string;
  for (let i = 1; i < p.length; i += 2) {
    const name = p[i] as string;
    out += (Object.hasOwn(params, name) ? value(lang, params[name] as Params[string]) : `{${name}}`) + (p[i + 1] as string);
  }
  return out;
}

/** The message `key` in `lang`. */
export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  return fill(lang, CATALOGS[lang][key], params);
}

/** A rule type's title in `lang` (`rule.<type>.title`): the id itself for a type the catalogs have no title for. */
export function ruleTitle(typeId: string, lang: Lang): string {
  const key = `rule.${typeId}.title`;
  return Object.hasOwn(en, key) ? translate(lang, key as MessageKey) : typeId;
}

const translators = new Map<Lang, Translator>();
/** A translator for one language (one a language, shared). */
export function translator(lang: Lang): Translator {
  let t = translators.get(lang);
  if (!t) {
    const catalog = CATALOGS[lang];
    t = (key, params) => fill(lang, catalog[key], params);
    translators.set(lang, t);
  }
  return t;
}
