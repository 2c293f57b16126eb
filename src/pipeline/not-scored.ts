/**
 * Why an input was not scored, in errors.csv's words: the same whichever thread scored it (a worker,
 * pool.ts; the main thread, commands/score.ts). `entries`: how many of its calls and errors were
 * written before it stopped.
 */

/** Seconds one input may take to score (--input-timeout) when nobody says. */
export const DEFAULT_INPUT_TIMEOUT = 60;

const past = (entries: number) => (entries > 0 ? ` past its first ${entries} record(s)` : '');

export function timedOut(seconds: number | undefined, entries: number): string {
  return `took longer than ${seconds} s (--input-timeout); not scored${past(entries)}`;
}

/** A bug of callqa's on the input: `reason` is errorSummary's. */
export function failedOn(reason: string, entries: number): string {
  return `callqa failed on this input (${reason}; please report it); not scored${past(entries)}`;
}

export function diedTwice(death: string, entries: number): string {
  return `the worker scoring this input died (${death}) twice; not scored${past(entries)}`;
}

/** An exception in one line, at most 300 characters: its name and message, without the stack. */
export function errorSummary(err: unknown): string {
  return (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).replace(/\s+/g, ' ').slice(0, 300);
}
