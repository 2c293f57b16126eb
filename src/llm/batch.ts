import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type Anthropic from '@anthropic-ai/sdk';
import { NotFoundError } from '@anthropic-ai/sdk';
import type { MessageBatch, MessageBatchIndividualResponse, MessageBatchRequestCounts } from '@anthropic-ai/sdk/resources/messages/batches.js';
import type { Message, MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages.js';
import { DEFAULT_CACHE_DIR, canonicalJson, sha256Hex, writeAtomic } from './cache.js';

/** One request of a batch: `customId` is ≤ 64 characters of [a-zA-Z0-9_-] (see batchCustomId). */
export interface BatchItem {
  customId: string;
  params: MessageCreateParamsNonStreaming;
}

export type BatchItemResult = { type: 'succeeded'; message: Message } | { type: 'errored' | 'expired' | 'canceled'; error?: string };

export interface BatchProgress extends MessageBatchRequestCounts {
  /** Requests in all batches of this run. */
  total: number;
  /** Batches (a run over the per-batch limits is split into several). */
  batches: number;
  /** Batches whose processing has ended. */
  ended: number;
  /** Whether this run resumed batches created by an earlier one. */
  resumed: boolean;
}

export interface RunBatchOptions {
  /** Remembers the batch ids so an interrupted run resumes them (see defaultBatchStateFile). Removed once all results are in. */
  stateFile: string;
  /** Wait between polls of `retrieve`. */
  pollIntervalMs: number;
  /** Called after every round of polls. */
  onProgress?(counts: BatchProgress): void;
  /** Aborting stops waiting (the batches go on and the state file stays, to resume). */
  signal?: AbortSignal;
  /** Told about a state file that did not match, a resumed batch that is gone, an unexpected result. */
  onWarning?(message: string): void;
  /** API limit 100,000 requests per batch. */
  maxRequestsPerBatch?: number;
  /** API limit 256 MB per batch request; the default leaves a margin. */
  maxBytesPerBatch?: number;
}

/** The part of the client runBatch uses (an `Anthropic` fits). */
export interface BatchClient {
  messages: { batches: Pick<Anthropic['messages']['batches'], 'create' | 'retrieve' | 'results'> };
}

const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;
const STATE_VERSION = 1;
const MAX_REQUESTS = 100_000;
const MAX_BYTES = 200 * 1024 * 1024;

/** `<cacheDir>/batch-state.json`: the state file lives with the cache. */
export function defaultBatchStateFile(cacheDir: string = DEFAULT_CACHE_DIR): string {
  return join(cacheDir, 'batch-state.json');
}

/**
 * A valid custom_id from a cache key: the key itself when it already is ≤ 64 characters of
 * [a-zA-Z0-9_-] (a sha256 hex key is exactly 64), otherwise its sha256 hex. Equal keys give equal
 * ids, so give each distinct key one request and share its result.
 */
export function batchCustomId(cacheKey: string): string {
  return CUSTOM_ID.test(cacheKey) ? cacheKey : sha256Hex(cacheKey);
}

interface StateBatch {
  id: string;
  customIds: string[];
}

interface BatchState {
  version: number;
  /** sha256 of the canonical JSON of every (custom_id, params), sorted by custom_id. */
  digest: string;
  createdAt: string;
  batches: StateBatch[];
}

/**
 * Sends `items` as Message Batches and waits for their results.
 *
 * 1. If `stateFile` holds batches created for exactly these requests (same custom_ids and params),
 *    they are resumed, not created again; requests no recorded batch holds (a run interrupted
 *    between two creates) are created. A state file for other requests is replaced (with a warning
 *    naming its batches, which may still be running); a recorded batch the API no longer knows is
 *    created again.
 * 2. The state file is written (atomically) after each create, before any wait.
 * 3. `retrieve` is polled every `pollIntervalMs` until every batch's processing_status is `ended`.
 * 4. Results are streamed and matched by custom_id (they come in any order). A request with no result
 *    line is reported as errored. The state file is removed once every batch's results are read.
 *
 * Every item's customId appears in the returned map. Errors (API, abort) are thrown; the state file
 * then stays so the next run resumes.
 */
export async function runBatch(client: BatchClient, items: readonly BatchItem[], options: RunBatchOptions): Promise<Map<string, BatchItemResult>> {
  const { stateFile, pollIntervalMs, signal } = options;
  const warn = (message: string) => options.onWarning?.(message);
  checkItems(items);
  const results = new Map<string, BatchItemResult>();
  if (items.length === 0) return results;
  signal?.throwIfAborted();

  const digest = digestOf(items);
  const expected = new Set(items.map((i) => i.customId));
  let state = await readState(stateFile, warn);
  let resumed = false;
  if (state && state.digest !== digest) {
    warn(
      `${stateFile} belongs to other requests; starting new batches (earlier batches, which may still be running: ${state.batches.map((b) => b.id).join(', ') || 'none'})`,
    );
    state = undefined;
  }
  if (state && !state.batches.every((b) => b.customIds.every((id) => expected.has(id)))) {
    warn(`${stateFile} does not match these requests; starting new batches`);
    state = undefined;
  }
  if (!state) state = { version: STATE_VERSION, digest, createdAt: new Date().toISOString(), batches: [] };
  else resumed = state.batches.length > 0;

  const requestOptions = signal ? { signal } : {};
  const latest = new Map<string, MessageBatch>();

  // Resumed batches the API no longer knows (deleted, or past the 29 days results are kept) are created again.
  for (const b of [...state.batches]) {
    try {
      latest.set(b.id, await client.messages.batches.retrieve(b.id, {}, requestOptions));
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      warn(`batch ${b.id} from ${stateFile} no longer exists; sending its ${b.customIds.length} requests again`);
      state.batches = state.batches.filter((x) => x !== b);
      await writeState(stateFile, state);
    }
  }

  const covered = new Set(state.batches.flatMap((b) => b.customIds));
  const missing = items.filter((i) => !covered.has(i.customId));
  for (const chunk of chunks(missing, options.maxRequestsPerBatch ?? MAX_REQUESTS, options.maxBytesPerBatch ?? MAX_BYTES)) {
    signal?.throwIfAborted();
    const batch = await client.messages.batches.create({ requests: chunk.map((i) => ({ custom_id: i.customId, params: i.params })) }, requestOptions);
    state.batches.push({ id: batch.id, customIds: chunk.map((i) => i.customId) });
    await writeState(stateFile, state);
    latest.set(batch.id, batch);
  }

  // Poll until every batch has ended (the first round reports what create / resume just returned).
  const batchIds = state.batches.map((b) => b.id);
  for (let round = 0; ; round++) {
    for (const id of batchIds) {
      const known = latest.get(id);
      if (round > 0 || !known) {
        if (known?.processing_status === 'ended') continue;
        latest.set(id, await client.messages.batches.retrieve(id, {}, requestOptions));
      }
    }
    const progress = progressOf(
      batchIds.map((id) => latest.get(id)).filter((b): b is MessageBatch => b !== undefined),
      items.length,
      resumed,
    );
    options.onProgress?.(progress);
    if (progress.ended === batchIds.length) break;
    await sleep(pollIntervalMs, signal);
  }

  for (const id of batchIds) {
    const decoder = await client.messages.batches.results(id, {}, requestOptions);
    for await (const line of decoder) {
      if (!expected.has(line.custom_id)) {
        warn(`batch ${id} returned a result for an unknown custom_id ${JSON.stringify(line.custom_id)}`);
        continue;
      }
      results.set(line.custom_id, toItemResult(line));
    }
  }
  for (const item of items) {
    if (!results.has(item.customId)) results.set(item.customId, { type: 'errored', error: 'the batch returned no result for this request' });
  }
  await rm(stateFile, { force: true });
  return results;
}

function checkItems(items: readonly BatchItem[]): void {
  const seen = new Set<string>();
  for (const item of items) {
    if (!CUSTOM_ID.test(item.customId))
      throw new Error(`invalid batch custom_id ${JSON.stringify(item.customId)}: expected 1–64 characters of a-z, A-Z, 0-9, _ and -`);
    if (seen.has(item.customId)) throw new Error(`duplicate batch custom_id ${item.customId}: send one request per distinct cache key`);
    seen.add(item.customId);
  }
}

function digestOf(items: readonly BatchItem[]): string {
  const sorted = [...items].sort((a, b) => (a.customId < b.customId ? -1 : a.customId > b.customId ? 1 : 0));
  return sha256Hex(canonicalJson(sorted.map((i) => [i.customId, i.params])));
}

/** Splits in order, keeping each batch under both the request and the byte limit. */
function* chunks(items: readonly BatchItem[], maxRequests: number, maxBytes: number): Generator<BatchItem[]> {
  let current: BatchItem[] = [];
  let bytes = 0;
  for (const item of items) {
    // A request line as sent: {"custom_id":…,"params":…} plus a comma.
    const size = Buffer.byteLength(JSON.stringify({ custom_id: item.customId, params: item.params }), 'utf8') + 1;
    if (current.length > 0 && (current.length >= maxRequests || bytes + size > maxBytes)) {
      yield current;
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) yield current;
}

function progressOf(batches: readonly MessageBatch[], total: number, resumed: boolean): BatchProgress {
  const counts: BatchProgress = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0, total, batches: batches.length, ended: 0, resumed };
  for (const b of batches) {
    counts.processing += b.request_counts.processing;
    counts.succeeded += b.request_counts.succeeded;
    counts.errored += b.request_counts.errored;
    counts.canceled += b.request_counts.canceled;
    counts.expired += b.request_counts.expired;
    if (b.processing_status === 'ended') counts.ended++;
  }
  return counts;
}

function toItemResult(line: MessageBatchIndividualResponse): BatchItemResult {
  const r = line.result;
  switch (r.type) {
    case 'succeeded':
      return { type: 'succeeded', message: r.message };
    case 'errored':
      return { type: 'errored', error: describeError(r.error) };
    case 'expired':
      return { type: 'expired', error: 'the batch expired before this request was processed' };
    case 'canceled':
      return { type: 'canceled', error: 'the batch was canceled before this request was processed' };
    default:
      return { type: 'errored', error: `unexpected batch result type ${JSON.stringify((r as { type?: unknown }).type)}` };
  }
}

/** `invalid_request_error: <message>` from an ErrorResponse ({ type: 'error', error: { type, message } }) or a bare error object. */
function describeError(error: unknown): string {
  const outer = isRecord(error) ? error : {};
  const inner = isRecord(outer.error) ? outer.error : outer;
  const type = typeof inner.type === 'string' ? inner.type : undefined;
  const message = typeof inner.message === 'string' ? inner.message : undefined;
  if (type && message) return `${type}: ${message}`;
  return message ?? type ?? 'unknown error';
}

async function readState(path: string, warn: (message: string) => void): Promise<BatchState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const s = JSON.parse(text) as unknown;
    if (
      isRecord(s) &&
      s.version === STATE_VERSION &&
      typeof s.digest === 'string' &&
      Array.isArray(s.batches) &&
      s.batches.every((b) => isRecord(b) && typeof b.id === 'string' && Array.isArray(b.customIds) && b.customIds.every((c) => typeof c === 'string'))
    ) {
      return s as unknown as BatchState;
    }
  } catch {
    // fall through
  }
  warn(`ignoring unreadable batch state file ${path}`);
  return undefined;
}

async function writeState(path: string, state: BatchState): Promise<void> {
  await writeAtomic(path, `${JSON.stringify(state, null, 2)}\n`);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
