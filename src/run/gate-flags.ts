import { InvalidArgumentError } from 'commander';

/*
 * The gate flags' values, parsed where commander reads them. Kept apart from gates.ts, whose
 * baseline reading pulls in the CSV libraries: `callqa --help` loads only this.
 */

/** `--fail-under N`: a score from 0 to 100. */
export function parseFailUnder(value: string): number {
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError(`expected a score from 0 to 100, got "${value}"`);
  return n;
}

const FRACTION = /^(?:\d+(?:\.\d*)?|\.\d+)$/;
const PERCENT = /^((?:\d+(?:\.\d*)?|\.\d+))\s*%$/;

/** A rate: a fraction from 0 to 1 (`0.05`) or a percentage (`5%`, `12.5%`). */
export function parseRate(value: string): number {
  const text = value.trim();
  const percent = PERCENT.exec(text);
  if (percent) {
    const n = Number(percent[1]);
    if (n > 100) throw new InvalidArgumentError(`expected a percentage from 0% to 100%, got "${value}"`);
    return n / 100;
  }
  if (FRACTION.test(text)) {
    const n = Number(text);
    if (n > 1) throw new InvalidArgumentError(`expected a fraction from 0 to 1 or a percentage, got "${value}" (did you mean ${text}%?)`);
    return n;
  }
  throw new InvalidArgumentError(`expected a fraction from 0 to 1 (0.05) or a percentage (5%), got "${value}"`);
}

export interface FailRateLimit {
  rule: string;
  /** The highest share of calls allowed to fail the rule, a fraction 0..1. */
  max: number;
  /** The limit as written (`5%`), for messages. */
  given: string;
}

/** `--max-fail-rate RULE=RATE`, e.g. `greeting=5%` or `privacy=0`. */
export function parseMaxFailRate(value: string): FailRateLimit {
  const at = value.lastIndexOf('=');
  if (at < 0) {
    throw new InvalidArgumentError(`expected RULE=RATE (a rule id, then a fraction 0..1 or a percentage such as 5%), got "${value}"`);
  }
  const rule = value.slice(0, at).trim();
  const given = value.slice(at + 1).trim();
  if (rule === '') throw new InvalidArgumentError(`expected a rule id before "=", got "${value}"`);
  try {
    return { rule, max: parseRate(given), given };
  } catch (err) {
    throw new InvalidArgumentError(`${rule}: ${(err as Error).message}`);
  }
}

/** Commander's collector for the repeatable `--max-fail-rate`: a later limit for the same rule replaces the earlier. */
export function collectMaxFailRate(value: string, previous: readonly FailRateLimit[] = []): FailRateLimit[] {
  const limit = parseMaxFailRate(value);
  return [...previous.filter((p) => p.rule !== limit.rule), limit];
}

/** `--max-score-drop N`: points of average score an agent may lose against the baseline. */
export function parseMaxScoreDrop(value: string): number {
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError(`expected points from 0 to 100, got "${value}"`);
  return n;
}
