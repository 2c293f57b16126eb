import type { MessageKey } from '../../i18n/catalogs/en.js';
import { CATALOGS, fill, type Params, type Translator, translator } from '../../i18n/format.js';
import { type Lang, savedLang } from '../../i18n/lang.js';
import { inScope, writtenKey } from '../../i18n/written.js';
import { titleIn } from '../../results/languages.js';
import type { RunInfo } from '../../results/codec.js';
import { round } from '../../util/format.js';
import { escapeHtml } from './escape.js';

// report.html's (and report.xlsx's) words in one language: catalog messages, rule titles, numbers and times through Intl.

/** A parameter of `html`: HTML already (escaped or markup), put in as it is. */
export type HtmlParams = Readonly<Record<string, string>>;

export interface Words {
  lang: Lang;
  say: Translator;
  /** A message as HTML: its catalog text escaped, its parameters (HTML already) put in. */
  html(key: MessageKey, params?: HtmlParams): string;
  /** The first key when `count` is 1, else the second (English says 1 call, 2 calls; Chinese the same both times). */
  count(count: number, one: MessageKey, other: MessageKey, params?: Params): string;
  /** A number rounded to `digits` decimals, grouped the language's way. */
  num(value: number, digits?: number): string;
  /** part / whole as a percentage (one decimal at most), `–` of nothing. */
  percent(part: number, whole: number): string;
  /** A size in bytes as whole megabytes, with the language's unit. */
  megabytes(bytes: number): string;
  /** A moment of the run (ISO 8601) as a date and time in UTC; text that is no date as it is. */
  moment(iso: string): string;
  /** A call's start as the source wrote it (ISO 8601): its own wall time, and its offset when it has one. */
  wallTime(iso: string): string;
  /** A rule's title (`llm:<id>`: the criterion's label), else its id. */
  rule(id: string): string;
}

/** The language of a run's reports: `given`, else run.json's, else English (runs before languages). */
export function reportLang(run: Pick<RunInfo, 'rubric'> | undefined, given?: Lang): Lang {
  return given ?? savedLang(run?.rubric);
}

/** A rule's title in `lang` (results/languages.ts titleIn: the run's own titles in any language, else the catalog's, else the id). */
export function titleOf(run: Pick<RunInfo, 'rubric'> | undefined, lang: Lang): (id: string) => string {
  return titleIn(run?.rubric, lang);
}

/** The words of a run's report.html in `lang` (default: the run's language). */
export function wordsFor(run: Pick<RunInfo, 'rubric'> | undefined, given?: Lang): Words {
  const lang = reportLang(run, given);
  const say = translator(lang);
  const title = titleOf(run, lang);
  const formats = new Map<number, Intl.NumberFormat>();
  const number = (digits: number) => {
    let f = formats.get(digits);
    if (!f) {
      f = new Intl.NumberFormat(lang, { maximumFractionDigits: digits });
      formats.set(digits, f);
    }
    return f;
  };
  const percent = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 });
  const megabytes = new Intl.NumberFormat(lang, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 0 });
  // UTC: the same run reads the same wherever the page is written.
  const dates = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'long', timeZone: 'UTC' });
  const wall = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' });
  const num = (value: number, digits = 1) => number(digits).format(round(value, digits));
  return {
    lang,
    say,
    html: (key, params) => fill(lang, escapeHtml(CATALOGS[lang][key]), params),
    count: (n, one, other, params) => say(n === 1 ? one : other, params),
    num,
    percent: (part, whole) => (whole === 0 ? '–' : percent.format(round(part / whole, 3))),
    megabytes: (bytes) => megabytes.format(Math.round(bytes / 1024 / 1024)),
    moment: (iso) => {
      const t = Date.parse(iso);
      return Number.isNaN(t) ? iso : dates.format(t);
    },
    wallTime: (iso) => wallTime(wall, iso),
    rule: (id) => (id.startsWith('llm:') ? say('report.criterion', { criterion: id.slice(4) }) : title(id)),
  };
}

/**
 * The words for a scope of the page (the run, an agent's section, a call's page): when it is chats and social threads
 * only, every message through its written variant (conversations, not calls: src/i18n/written.ts); else `w` itself.
 */
export function scopeWords(w: Words, written: boolean): Words {
  if (!written) return w;
  const say = inScope(w.say, true);
  return {
    ...w,
    say,
    html: (key, params) => w.html(writtenKey(key), params),
    count: (n, one, other, params) => say(n === 1 ? one : other, params),
  };
}

const WALL_TIME = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?(Z|[+-]\d\d:?\d\d)?$/;

/** The wall time written in an ISO 8601 time (formatted as if UTC, so no zone moves it), its offset after it. */
function wallTime(format: Intl.DateTimeFormat, iso: string): string {
  const m = WALL_TIME.exec(iso.trim());
  if (!m) return iso;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  if (Number.isNaN(t) || new Date(t).getUTCDate() !== d) return iso;
  const zone = m[7] === undefined ? '' : m[7] === 'Z' ? ' UTC' : ` UTC${m[7].length === 5 ? `${m[7].slice(0, 3)}:${m[7].slice(3)}` : m[7]}`;
  return `${format.format(t)}${zone}`;
}
