import type { Channel } from '../model/call.js';
import { en, type MessageKey } from './catalogs/en.js';
import type { Translator } from './format.js';

/**
 * Written service (chats, social threads) is counted in conversations (段对话), not calls (通话). A message that counts
 * has a written variant in the catalogs, its key with WRITTEN after it (`summary.agent.one.written`); every other
 * message reads the same in both. A scope that is written only — the whole run, one agent's conversations, one
 * conversation — takes the variants (`inScope`); a voice or mixed scope keeps the plain messages.
 */
export const WRITTEN = '.written';

/**
 * Whether a scope is written service only: some conversations, all of them chat or social. Takes the scope's counts by
 * channel (a Map, or Object.entries of a record); a call without a channel is a phone call, as in results.jsonl.
 */
export function writtenOnly(counts: Iterable<readonly [Channel | undefined, number | undefined]>): boolean {
  let written = 0;
  for (const [channel, n] of counts) {
    if (!n) continue;
    if (channel === undefined || channel === 'voice') return false;
    written += n;
  }
  return written > 0;
}

/** `key`'s written variant when the catalogs have one (en.ts defines the keys; the catalog test holds the others to them), else `key`. */
export function writtenKey(key: MessageKey): MessageKey {
  const variant = `${key}${WRITTEN}`;
  return Object.hasOwn(en, variant) ? (variant as MessageKey) : key;
}

/** `say` for a scope: when it is written only, each message through its written variant where it has one. */
export function inScope(say: Translator, written: boolean): Translator {
  return written ? (key, params) => say(writtenKey(key), params) : say;
}
