import { InvalidArgumentError } from 'commander';
import type { MessageKey } from '../i18n/catalogs/en.js';
import { type Message, type MessageParam, messageText } from '../i18n/message.js';

/*
 * The gate flags' values, parsed where commander reads them. Kept apart from gates.ts, whose
 * baseline reading pulls in the CSV libraries: `callqa --help` loads only this (and the catalogs).
 */

/**
 * Why a flag's value was refused, as a message: its text is the English one (what commander prints, and
 * tests see), and the command line writes `said` in the language of the run (src/cli.ts).
 */
export class ArgumentProblem extends InvalidArgumentError {
  constructor(readonly said: Message) {
    super(messageText('en', said));
  }
}

/** A refusal of the catalogs' command-line section (`arg.*`): the key and its parameters. */
export function refuse(key: MessageKey, params: Readonly<Record<string, MessageParam>>): ArgumentProblem {
  return new ArgumentProblem({ key, params });
}

/** `--fail-under N`: a score from 0 to 100. */
export function parseFailUnder(value: string): number {
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) throw refuse('arg.score', { value });
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
    if (n > 100) throw refuse('arg.percentage', { value });
    return n / 100;
  }
  if (FRACTION.test(text)) {
    const n = Number(text);
    if (n > 1) throw refuse('arg.fraction-or-percentage', { value, percent: `${text}%` });
    return n;
  }
  throw refuse('arg.rate', { value });
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
  if (at < 0) throw refuse('arg.rule-rate', { form: 'RULE=RATE', value });
  const rule = value.slice(0, at).trim();
  const given = value.slice(at + 1).trim();
  if (rule === '') throw refuse('arg.rule-before-equals', { sign: '=', value });
  try {
    return { rule, max: parseRate(given), given };
  } catch (err) {
    if (err instanceof ArgumentProblem) throw refuse('arg.of-rule', { rule, reason: err.said });
    throw err;
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
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) throw refuse('arg.points', { value });
  return n;
}
