// Starting the scoring workers. Node's own modules here, and parts.ts for when a file is read in parts
// (~3 ms; the run loads it anyway): the command line loads this before the scoring code, so that the
// workers load theirs (~0.25 s of compiling a thread) while the main thread loads its own and the
// rubric, instead of after.
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { splitsIntoParts } from '../ingest/parts.js';
import type { WorkerInit, WorkerRequest } from './protocol.js';

/** A JSON Lines file bigger than two parts of this size is read in parts, spread over the workers. */
export const PART_BYTES = 1024 * 1024;

/** A worker's heap limits (V8's `resourceLimits`). */
export interface HeapLimits {
  maxYoungGenerationSizeMb: number;
  maxOldGenerationSizeMb: number;
}

/**
 * A worker's young generation, MB. V8's default lets each isolate keep ~50 MB of garbage around. 32 MB
 * was 9 % faster than 24 while files were read through fs/promises (its promises and streams survived
 * scavenges); with plain reads it is 1.5 % (19.7 → 19.4 s at 100,000 calls) for 25–35 MB more at the
 * peak (243–254 → 273–293 MB, too near the 300 MB limit), so 24 it is.
 */
const YOUNG_MB = 24;
/** A worker's old generation, MB, at the least: its live data is the rubric and dictionaries (~16 MB) and the input under way. */
const OLD_MB = 128;

/** The limits every run's workers get, unless a JSON document read whole needs a larger old generation. */
export const BASE_LIMITS: HeapLimits = { maxYoungGenerationSizeMb: YOUNG_MB, maxOldGenerationSizeMb: OLD_MB };

/**
 * `jobs` scoring workers (worker.ts), started before they know the rubric: each loads its modules, then
 * waits for `init`, then for tasks. An error of a worker is kept (`failed`) and `onError` told, so that
 * a worker that fails before anyone waits on it never goes unnoticed, nor crashes the main thread.
 */
export class WorkerSet {
  readonly workers: Worker[];
  failed: Error | undefined;
  onError: (() => void) | undefined;
  private initialised = false;

  constructor(
    readonly jobs: number,
    readonly limits: HeapLimits,
  ) {
    // Beside this module once built; run from the TypeScript sources (tests), the built worker.
    let url = new URL('./worker.js', import.meta.url);
    if (!existsSync(fileURLToPath(url))) url = new URL('../../dist/pipeline/worker.js', import.meta.url);
    this.workers = Array.from({ length: jobs }, () => new Worker(url, { resourceLimits: limits }));
    for (const w of this.workers) {
      w.on('error', (err) => {
        this.failed ??= err;
        this.onError?.();
      });
    }
  }

  /** What to score with: sent once, before the first task. */
  init(init: WorkerInit): void {
    if (this.initialised) return;
    this.initialised = true;
    for (const w of this.workers) w.postMessage({ type: 'init', init } satisfies WorkerRequest);
  }

  post(k: number, request: WorkerRequest, transfer?: ArrayBuffer[]): void {
    (this.workers[k] as Worker).postMessage(request, transfer);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * How many workers a run may score on: `--jobs` (default: the cores), or undefined where the run
 * scores in the main thread whatever its inputs: one job, the model's grading, or standard input.
 */
export function workerJobs(inputs: readonly string[], opts: { jobs?: number; llm?: boolean }): number | undefined {
  const jobs = Math.max(1, opts.jobs ?? availableParallelism());
  return jobs < 2 || opts.llm || inputs.includes('-') ? undefined : jobs;
}

/**
 * Workers started at once for `callqa score`, when the run will likely want them: it may use workers
 * (workerJobs), and its inputs are more than one file — a folder, several paths, or one file big
 * enough to be read in parts. A guess from the paths alone; the run decides for itself later, and
 * closes these if it does not use them (a folder with one small file), or starts others if it does and
 * these are missing.
 */
export function startWorkersEarly(inputs: readonly string[], opts: { jobs?: number; llm?: boolean }): WorkerSet | undefined {
  const jobs = workerJobs(inputs, opts);
  if (jobs === undefined) return undefined;
  const many =
    inputs.length > 1 ||
    inputs.some((input) => {
      try {
        const s = statSync(input);
        return s.isDirectory() || splitsIntoParts(s.size, PART_BYTES);
      } catch {
        return false;
      }
    });
  return many ? new WorkerSet(jobs, BASE_LIMITS) : undefined;
}
