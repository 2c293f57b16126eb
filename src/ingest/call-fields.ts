import type { HangupBy } from '../model/call.js';
import { InputProblem } from './errors.js';
import { speakerFromLabel } from './speakers.js';

/** `customer`, `agent`, `unknown` or absent; speaker aliases (客户, 坐席…) are accepted too. */
export function parseHangupBy(value: unknown, where: string, line?: number): HangupBy {
  if (value === undefined || value === null || value === '') return 'unknown';
  if (typeof value === 'string') {
    if (value.trim().toLowerCase() === 'unknown') return 'unknown';
    const speaker = speakerFromLabel(value);
    if (speaker) return speaker;
  }
  throw new InputProblem(`${where}: expected customer, agent or unknown, got ${JSON.stringify(value)}`, line);
}

export function parseRingSeconds(value: unknown, where: string, line?: number): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'string' ? Number(value.trim()) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
    throw new InputProblem(`${where}: expected seconds as a number ≥ 0, got ${JSON.stringify(value)}`, line);
  }
  return n;
}

export function parseStartedAt(value: unknown, where: string, line?: number): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    throw new InputProblem(`${where}: expected an ISO 8601 date-time, got ${JSON.stringify(value)}`, line);
  }
  return value;
}

/** Ids arrive as strings or numbers; anything else is a mistake in the input. */
export function parseId(value: unknown, where: string, line?: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  throw new InputProblem(`${where}: expected a string, got ${JSON.stringify(value)}`, line);
}
