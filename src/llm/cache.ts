import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CriterionGrade, LlmCriterion, LlmOutcome } from './types.js';

/** Where `--llm` keeps answers between runs (relative to the working directory). */
export const DEFAULT_CACHE_DIR = '.callqa-cache';

/** Bumped when the layout of a cache file changes: old files then read as misses. */
const CACHE_FORMAT = 1;

const KEY = /^[0-9a-f]{64}$/;

/** What decides an answer: change any of it and the call is graded again. */
export interface CacheKeyParts {
  model: string;
  /** Bumped by the grader whenever the prompt, schema or parsing changes. */
  promptVersion: string;
  criteria: readonly LlmCriterion[];
  /** The transcript exactly as sent (already masked). */
  transcript: string;
  /** Anything else the request depends on (e.g. the output mode); canonicalised like the rest. */
  extra?: unknown;
}

export interface LlmCacheOptions {
  /** Default `.callqa-cache`. */
  dir?: string;
  /** false for `--no-llm-cache`: nothing is read or written. Default true. */
  enabled?: boolean;
  /** Told when a file could not be written or a corrupt one was dropped (the run goes on). */
  onWarning?: (message: string) => void;
}

/**
 * JSON with object keys sorted at every level (arrays keep their order: criteria order changes the
 * prompt), so equal values always give the same text. Properties that are undefined are left out,
 * as JSON.stringify does; non-finite numbers and other non-JSON values throw.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value, '$'));
}

function canonical(value: unknown, path: string): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${path} is not a finite number`);
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => (v === undefined ? null : canonical(v, `${path}[${i}]`)));
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw new TypeError(`canonicalJson: ${path} is not a plain object`);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = canonical(v, `${path}.${k}`);
    }
    return out;
  }
  throw new TypeError(`canonicalJson: ${path} is a ${typeof value}`);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

interface CacheFile {
  format: number;
  key: string;
  savedAt: string;
  outcome: LlmOutcome;
}

/**
 * Answers already paid for, one JSON file per key under `<dir>/<k0k1>/<k2k3>/<key>.json`.
 *
 * - Only successful answers (status ok) are stored; errors, skips and n/a never are, so a failed
 *   call is tried again next run.
 * - Files are written under a temporary name and renamed into place: a reader never sees half a file.
 * - A file that cannot be read back (bad JSON, wrong shape, other key) is a miss, is removed, and the
 *   fresh answer replaces it.
 * - A hit comes back with status 'cached', requests 0 and no usage (this run spent nothing on it).
 */
export class LlmCache {
  readonly dir: string;
  readonly enabled: boolean;
  private readonly onWarning: ((message: string) => void) | undefined;
  private readonly inFlight = new Map<string, Promise<LlmOutcome>>();

  constructor(options: LlmCacheOptions = {}) {
    this.dir = options.dir ?? DEFAULT_CACHE_DIR;
    this.enabled = options.enabled ?? true;
    this.onWarning = options.onWarning;
  }

  /** sha256 hex (64 characters) of the canonical JSON of the parts. */
  key(parts: CacheKeyParts): string {
    const { model, promptVersion, criteria, transcript, extra } = parts;
    return sha256Hex(canonicalJson({ cacheFormat: CACHE_FORMAT, model, promptVersion, criteria, transcript, extra }));
  }

  /** The file a key lives in (two levels of fan-out keep directories small). */
  pathFor(key: string): string {
    assertKey(key);
    return join(this.dir, key.slice(0, 2), key.slice(2, 4), `${key}.json`);
  }

  async get(key: string): Promise<LlmOutcome | undefined> {
    const path = this.pathFor(key);
    if (!this.enabled) return undefined;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      this.warn(`cannot read cache file ${path}: ${(err as Error).message}`);
      return undefined;
    }
    const outcome = parseCacheFile(text, key);
    if (!outcome) {
      this.warn(`ignoring corrupt cache file ${path}`);
      await rm(path, { force: true }).catch(() => {});
      return undefined;
    }
    return asCached(outcome);
  }

  /**
   * Stores a successful outcome (status ok, or cached which is stored as ok). Returns whether it was
   * written: false for any other status, for a disabled cache, or when the write failed (warned).
   */
  async set(key: string, outcome: LlmOutcome): Promise<boolean> {
    const path = this.pathFor(key);
    if (!this.enabled || !isStorable(outcome)) return false;
    const file: CacheFile = { format: CACHE_FORMAT, key, savedAt: new Date().toISOString(), outcome: { ...structuredClone(outcome), status: 'ok' } };
    try {
      await writeAtomic(path, `${JSON.stringify(file)}\n`);
      return true;
    } catch (err) {
      this.warn(`cannot write cache file ${path}: ${(err as Error).message}`);
      return false;
    }
  }

  /**
   * The cached outcome for `key`, or `compute()`'s, stored when it succeeded. Concurrent callers
   * with the same key share one computation: the first gets the outcome as computed, the others a
   * copy marked 'cached' with requests 0 (an error is shared as is, with requests 0, and not stored).
   * If `compute` throws, every caller waiting on that key gets the rejection. A disabled cache just
   * calls `compute`.
   */
  getOrCompute(key: string, compute: () => Promise<LlmOutcome>): Promise<LlmOutcome> {
    if (!this.enabled) return compute();
    assertKey(key);
    const pending = this.inFlight.get(key);
    if (pending) return pending.then(shared);
    const run = (async () => {
      const hit = await this.get(key);
      if (hit) return hit;
      const outcome = await compute();
      await this.set(key, outcome);
      return outcome;
    })();
    this.inFlight.set(key, run);
    const cleanup = () => {
      if (this.inFlight.get(key) === run) this.inFlight.delete(key);
    };
    run.then(cleanup, cleanup);
    return run;
  }

  private warn(message: string): void {
    this.onWarning?.(message);
  }
}

function assertKey(key: string): void {
  if (!KEY.test(key)) throw new Error(`not a cache key (64 lower-case hex characters): ${JSON.stringify(key.slice(0, 80))}`);
}

function isStorable(outcome: LlmOutcome): boolean {
  return (outcome.status === 'ok' || outcome.status === 'cached') && Array.isArray(outcome.grades);
}

/** What a caller that did not pay for the answer sees. */
function asCached(outcome: LlmOutcome): LlmOutcome {
  const { usage: _usage, ...rest } = structuredClone(outcome);
  return { ...rest, status: 'cached', requests: 0 };
}

function shared(outcome: LlmOutcome): LlmOutcome {
  if (outcome.status === 'ok' || outcome.status === 'cached') return asCached(outcome);
  const { usage: _usage, ...rest } = structuredClone(outcome);
  return { ...rest, requests: 0 };
}

/** Writes `text` to `path` under a temporary name, then renames it into place (makes the directory). */
export async function writeAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text, 'utf8');
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => {});
    throw err;
  }
}

function parseCacheFile(text: string, key: string): LlmOutcome | undefined {
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(file) || file.format !== CACHE_FORMAT || file.key !== key) return undefined;
  const o = file.outcome;
  if (!isRecord(o) || o.status !== 'ok' || !Array.isArray(o.grades) || !o.grades.every(isGrade)) return undefined;
  if (typeof o.requests !== 'number') return undefined;
  if (o.model !== undefined && typeof o.model !== 'string') return undefined;
  return o as unknown as LlmOutcome;
}

function isGrade(g: unknown): g is CriterionGrade {
  return (
    isRecord(g) &&
    typeof g.id === 'string' &&
    typeof g.score === 'number' &&
    Number.isFinite(g.score) &&
    Array.isArray(g.evidence) &&
    g.evidence.every((e) => typeof e === 'string') &&
    typeof g.reason === 'string' &&
    typeof g.unverified === 'boolean' &&
    typeof g.deduction === 'number' &&
    Number.isFinite(g.deduction)
  );
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
