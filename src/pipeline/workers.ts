// Starting the scoring workers. Node's own modules here, and parts.ts for when a file is read in parts
// (~3 ms; the run loads it anyway): the command line loads this before the scoring code, so that the
// workers load theirs (~0.25 s of compiling a thread) while the main thread loads its own and the
// rubric, instead of after.
import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { splitsIntoParts } from '../ingest/parts.js';
import { WATCH_SLOTS, type WorkerInit, type WorkerRequest } from './protocol.js';

/** A JSON Lines file bigger than two parts of this size is read in parts, spread over the workers. */
export const PART_BYTES = 1024 * 1024;
/** Small inputs (JSON documents and transcripts of one call, mostly) go to the workers this many at a time at most… */
export const BATCH_INPUTS = 64;
/** …and this many bytes: a task each cost ~0.4 ms of CPU in messages, writes and set-up, more than scoring such a file. */
export const BATCH_BYTES = 512 * 1024;

/**
 * Whether inputs of these sizes are one batch's worth of work for the workers (pool.ts, tasksOf): one input,
 * or up to BATCH_INPUTS files of BATCH_BYTES in all. A second worker would have next to nothing to do, and
 * starting one costs ~0.4 s of CPU, more than scoring a batch of small calls. An entry of no known size (a
 * link to nothing, a pipe, a device) counts as small: it is read on its own, and --input-timeout bounds it.
 * `parts`: one of them is read in parts.
 */
export function oneTask(sizes: readonly (number | undefined)[], parts = false): boolean {
  if (parts) return false;
  if (sizes.length <= 1) return true;
  if (sizes.length > BATCH_INPUTS) return false;
  let bytes = 0;
  for (const size of sizes) bytes += size ?? 0;
  return bytes <= BATCH_BYTES;
}

/** A worker's heap limits (V8's `resourceLimits`). */
export interface HeapLimits {
  maxYoungGenerationSizeMb: number;
  maxOldGenerationSizeMb: number;
}

/**
 * A worker's young generation, MB. V8's default lets each isolate keep ~50 MB of garbage around; 32 MB is
 * a little faster than 24 but takes the peak too near the 300 MB limit (bench/RESULTS.md has the figures).
 */
const YOUNG_MB = 24;
/** A worker's old generation, MB, at the least: its live data is the rubric and dictionaries (~16 MB) and the input under way. */
const OLD_MB = 128;

/** The limits every run's workers get, unless a JSON document read whole needs a larger old generation. */
export const BASE_LIMITS: HeapLimits = { maxYoungGenerationSizeMb: YOUNG_MB, maxOldGenerationSizeMb: OLD_MB };

/** Why a worker ended: the error it threw (out of memory, a V8 limit…), or the exit code it stopped with. */
export interface WorkerDeath {
  error?: Error;
  exitCode?: number;
}

/** One worker of a set, and its watch. */
export interface WorkerSlot {
  worker: Worker;
  watch: Int32Array;
}

/**
 * `jobs` scoring workers (worker.ts), started before they know the rubric: each loads its modules, then
 * waits for `init`, then for tasks. A worker that ends on its own (an error, out of memory, an exit)
 * is kept in `deaths` and `onDeath` told, so that one that dies before anyone listens never goes
 * unnoticed, nor crashes the main thread; `replace` starts a fresh one in its place.
 */
export class WorkerSet {
  readonly slots: WorkerSlot[];
  /** Workers that ended on their own and are not replaced yet, by slot. */
  readonly deaths = new Map<number, WorkerDeath>();
  onDeath: ((k: number, death: WorkerDeath) => void) | undefined;
  onMessage: ((k: number, message: unknown) => void) | undefined;
  private init_: WorkerInit | undefined;
  private closing = false;
  private readonly url: URL;

  constructor(
    readonly jobs: number,
    readonly limits: HeapLimits,
  ) {
    // Beside this module once built; run from the TypeScript sources (tests), the built worker.
    let url = new URL('./worker.js', import.meta.url);
    if (!existsSync(fileURLToPath(url))) url = new URL('../../dist/pipeline/worker.js', import.meta.url);
    this.url = url;
    this.slots = [];
    for (let k = 0; k < jobs; k++) this.slots.push(this.start(k));
  }

  get workers(): Worker[] {
    return this.slots.map((s) => s.worker);
  }

  private start(k: number): WorkerSlot {
    const watch = new Int32Array(new SharedArrayBuffer(WATCH_SLOTS * Int32Array.BYTES_PER_ELEMENT));
    const worker = new Worker(this.url, { resourceLimits: this.limits, workerData: { watch } });
    const slot: WorkerSlot = { worker, watch };
    let error: Error | undefined;
    worker.on('error', (err) => {
      error ??= err;
    });
    worker.on('message', (message: unknown) => {
      if (this.slots[k] === slot) this.onMessage?.(k, message);
    });
    worker.on('exit', (exitCode) => {
      // Ended by close or replace: not a death.
      if (this.closing || this.slots[k] !== slot) return;
      const death: WorkerDeath = error ? { error } : { exitCode };
      this.deaths.set(k, death);
      this.onDeath?.(k, death);
    });
    if (this.init_) worker.postMessage({ type: 'init', init: this.init_ } satisfies WorkerRequest);
    return slot;
  }

  /** What to score with: sent once, before the first task (and to every worker started later). */
  init(init: WorkerInit): void {
    if (this.init_) return;
    this.init_ = init;
    for (const { worker } of this.slots) worker.postMessage({ type: 'init', init } satisfies WorkerRequest);
  }

  post(k: number, request: WorkerRequest, transfer?: ArrayBuffer[]): void {
    (this.slots[k] as WorkerSlot).worker.postMessage(request, transfer);
  }

  /** A fresh worker in slot `k`, in place of one that died or is stuck (which is stopped). */
  replace(k: number): void {
    const old = this.slots[k] as WorkerSlot;
    this.slots[k] = this.start(k);
    this.deaths.delete(k);
    void old.worker.terminate();
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

/**
 * How many workers a run may score on: `--jobs` (default: the cores), or undefined where the run
 * scores in the main thread whatever its inputs: the model's grading, or standard input. One job is
 * one worker, not the main thread: only a worker can be stopped when an input takes longer than
 * --input-timeout (a loop in the main thread would hang the run); with `--input-timeout 0` (no budget
 * to enforce) one job is the main thread, which saves starting a worker (~0.4 s of CPU).
 */
export function workerJobs(inputs: readonly string[], opts: { jobs?: number; llm?: boolean; inputTimeout?: number }): number | undefined {
  const jobs = Math.max(1, opts.jobs ?? availableParallelism());
  if (opts.llm || inputs.includes('-') || (jobs < 2 && opts.inputTimeout === 0)) return undefined;
  return jobs;
}

/** How many paths glance looks at, at most, before it takes the inputs for many. */
const GLANCE_ENTRIES = 1000;

/** Whether `path` is a symbolic link (to anything, or to nothing); false where it cannot be read. */
function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * The sizes of the files the inputs hold, at a glance: folders walked (not their hidden entries, which the run
 * passes over), at most BATCH_INPUTS + 1 of them, which is enough to tell one task from several; undefined for
 * an entry that is no plain file. Paths that cannot be read are left out (the run says why).
 */
function glance(inputs: readonly string[]): { sizes: (number | undefined)[]; parts: boolean } {
  const sizes: (number | undefined)[] = [];
  let parts = false;
  // Bounded whatever the tree: each folder once (a link back up is no loop), and GLANCE_ENTRIES looked at in
  // all; past that the inputs count as many.
  const folders = new Set<string>();
  let looked = 0;
  const visit = (path: string): void => {
    if (sizes.length > BATCH_INPUTS) return;
    if (++looked > GLANCE_ENTRIES) {
      while (sizes.length <= BATCH_INPUTS) sizes.push(undefined);
      return;
    }
    let s: ReturnType<typeof statSync>;
    try {
      s = statSync(path);
    } catch {
      // A link to nothing is an input the run lists; a path that is not there (or under a file), one it refuses.
      if (isLink(path)) sizes.push(undefined);
      return;
    }
    if (s.isFile()) {
      sizes.push(s.size);
      parts ||= splitsIntoParts(s.size, PART_BYTES);
    } else if (s.isDirectory()) {
      const id = `${s.dev}:${s.ino}`;
      if (folders.has(id)) return;
      folders.add(id);
      let names: string[];
      try {
        names = readdirSync(path);
      } catch {
        sizes.push(undefined);
        return;
      }
      for (const name of names) if (!name.startsWith('.')) visit(`${path}/${name}`);
    } else sizes.push(undefined);
  };
  for (const input of inputs) visit(input);
  return { sizes, parts };
}

/**
 * Workers started at once for `callqa score`, when the run will likely want them: it may use workers
 * (workerJobs), and its inputs make more than one task (oneTask: many files, big ones, or one file big
 * enough to be read in parts) — or one worker for one task (one input is scored on a worker too, so that
 * --input-timeout can stop it; not with --input-timeout 0). A guess from a glance at the paths; the run
 * decides for itself later, and closes these if it does not use them, or starts others if it does and these
 * do not fit.
 */
export function startWorkersEarly(inputs: readonly string[], opts: { jobs?: number; llm?: boolean; inputTimeout?: number }): WorkerSet | undefined {
  const jobs = workerJobs(inputs, opts);
  if (jobs === undefined) return undefined;
  const { sizes, parts } = glance(inputs);
  if (sizes.length === 0) return undefined;
  // One input with no time budget is scored in the main thread (workerLoad, as the run decides).
  if (sizes.length === 1 && !parts && opts.inputTimeout === 0) return undefined;
  return new WorkerSet(oneTask(sizes, parts) ? 1 : jobs, BASE_LIMITS);
}
