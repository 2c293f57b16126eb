import { expect } from 'vitest';
import type { InputError } from '../../src/ingest/errors.js';
import type { Parsed } from '../../src/ingest/parsed.js';
import type { SourceCall } from '../../src/model/source.js';

/** The speaker labels the parsers list when they meet an unknown one. */
export const LABELS = 'agent, 坐席, 客服, A (agent) or customer, caller, 客户, 顾客, 用户, C (customer)';

/** The only item a parser yielded must be a call. */
export function onlyCall(out: Parsed[]): SourceCall {
  expect(out).toHaveLength(1);
  const [item] = out;
  if (!item?.call) throw new Error(`expected a call, got ${JSON.stringify(out)}`);
  return item.call;
}

/** The only item a parser yielded must be an error. */
export function onlyError(out: Parsed[]): InputError {
  expect(out).toHaveLength(1);
  const [item] = out;
  if (!item?.error) throw new Error(`expected an error, got ${JSON.stringify(out)}`);
  return item.error;
}
