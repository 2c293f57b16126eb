/**
 * Why an input was not scored, in errors.csv's words: the same whichever thread scored it (a worker,
 * pool.ts; the main thread, commands/score.ts). `entries`: how many of its calls and errors were
 * written before it stopped.
 */

import { translate } from '../i18n/format.js';
import type { Lang } from '../i18n/lang.js';

/** Seconds one input may take to score (--input-timeout) when nobody says. */
export const DEFAULT_INPUT_TIMEOUT = 60;

/**
 * The reason in `lang` (English unless the caller passes the run's language): a whole sentence for an
 * input stopped before anything of it was written, another naming how many of its records were.
 */
function notScored(lang: Lang, key: NotScoredKey, params: Record<string, string>, entries: number): string {
  return entries > 0 ? translate(lang, `${key}-past`, { ...params, entries }) : translate(lang, key, params);
}
type NotScoredKey = 'input.timed-out' | 'input.failed-on' | 'input.died-twice';

export function timedOut(seconds: number | undefined, entries: number, lang: Lang = 'en'): string {
  // As JavaScript writes it (not through Intl), as --input-timeout was given.
  return notScored(lang, 'input.timed-out', { seconds: String(seconds), flag: '--input-timeout' }, entries);
}

/** A bug of callqa's on the input: `reason` is errorSummary's (the exception's own English text, kept as evidence). */
export function failedOn(reason: string, entries: number, lang: Lang = 'en'): string {
  return notScored(lang, 'input.failed-on', { reason }, entries);
}

export function diedTwice(death: string, entries: number, lang: Lang = 'en'): string {
  return notScored(lang, 'input.died-twice', { death }, entries);
}

/** An exception in one line, at most 300 characters: its name and message, without the stack. */
export function errorSummary(err: unknown): string {
  return (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).replace(/\s+/g, ' ').slice(0, 300);
}
