import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IngestOptions } from '../ingest/format.js';
import { type InputItem, readsAsJsonl } from '../ingest/index.js';
import { type InputPart, jsonlParts, splitsIntoParts } from '../ingest/parts.js';
import type { WorkerChunk, WorkerInit, WorkerRequest } from './protocol.js';
import { BASE_LIMITS, type HeapLimits, PART_BYTES, WorkerSet } from './workers.js';

export { PART_BYTES } from './workers.js';

/** Small inputs (JSON documents and transcripts of one call, mostly) go to the workers this many at a time at most… */
const BATCH_INPUTS = 64;
/** …and this many bytes: a task each cost ~0.4 ms of CPU in messages, writes and set-up, more than scoring such a file. */
const BATCH_BYTES = 512 * 1024;

/**
 * The tasks the workers get, in input order: a big JSON Lines file as parts of about PART_BYTES, so
 * that one big export keeps every worker busy (a part ends at a chunk or three of calls, chunks.ts, so
 * a worker can finish one while the part before it is still under way); consecutive small files
 * together, up to BATCH_INPUTS of them and BATCH_BYTES (`sizes`: the files' sizes, where known); any
 * other input alone. Files are split as they come up, not all before the first is scored (finding
 * the cuts reads the file once).
 */
async function* tasksOf(items: readonly InputItem[], ingest: IngestOptions, sizes: ReadonlyMap<string, number>): AsyncGenerator<InputItem[]> {
  let batch: InputItem[] = [];
  let batchBytes = 0;
  for (const item of items) {
    if (item.kind === 'file' && readsAsJsonl(item.path, ingest)) {
      // A file that cannot be opened now is read whole, and its reader says why.
      let parts: InputPart[] | undefined;
      try {
        parts = jsonlParts(item.path, PART_BYTES, ingest.encoding);
      } catch {
        parts = undefined;
      }
      if (parts) {
        if (batch.length > 0) yield batch;
        batch = [];
        batchBytes = 0;
        for (const part of parts) yield [{ kind: 'file', path: item.path, part }];
        continue;
      }
    }
    const size = item.kind === 'file' ? sizes.get(item.path) : undefined;
    if (batch.length > 0 && (size === undefined || batch.length >= BATCH_INPUTS || batchBytes + size > BATCH_BYTES)) {
      yield batch;
      batch = [];
      batchBytes = 0;
    }
    if (size === undefined || size > BATCH_BYTES) {
      yield [item];
      continue;
    }
    batch.push(item);
    batchBytes += size;
  }
  if (batch.length > 0) yield batch;
}

/** Whether workers have more than one thing to do: several inputs, or one JSON Lines file big enough to be read in parts. */
export async function worthWorkers(items: readonly InputItem[], ingest: IngestOptions): Promise<boolean> {
  if (items.length !== 1) return items.length > 1;
  const [item] = items as [InputItem];
  if (item.kind !== 'file' || !readsAsJsonl(item.path, ingest)) return false;
  const size = await stat(item.path).then(
    (s) => s.size,
    () => 0,
  );
  return splitsIntoParts(size, PART_BYTES);
}

/**
 * Scores inputs on `jobs` worker threads and yields their chunks in input order, whatever order
 * they finish in (a reorder buffer). `started`: workers started early (startWorkersEarly), used if
 * there are as many and their heaps are big enough, closed otherwise; either way closed at the end.
 * The main thread only writes: scoring there too saved a
 * tenth of the CPU time but its heap, which no option bounds, took the peak past 300 MB. At most
 * two inputs (or parts) per worker are in flight, each worker scores its own one at a time, and a
 * worker waits once a few of an input's chunks are not yet written (chunks.ts), so memory stays
 * bounded by the work under way, not by the corpus or the size of one input.
 */
export async function* scoreInParallel(items: readonly InputItem[], init: WorkerInit, jobs: number, started?: WorkerSet): AsyncGenerator<WorkerChunk> {
  const { limits, sizes } = workerHeap(items, init.ingest);
  let set = started;
  if (set && !fits(set, jobs, limits)) {
    await set.close();
    set = undefined;
  }
  const workers = set ?? new WorkerSet(jobs, limits);
  workers.init(init);
  /** Chunks received per input, not yet yielded. */
  const arrived = new Map<number, WorkerChunk[]>();
  let wake: (() => void) | undefined;
  const owner = new Map<number, number>();
  const load = new Array<number>(jobs).fill(0);
  const deliver = (k: number, chunk: WorkerChunk) => {
    const list = arrived.get(chunk.id);
    if (list) list.push(chunk);
    else arrived.set(chunk.id, [chunk]);
    if (chunk.done) load[k] = (load[k] ?? 1) - 1;
    wake?.();
  };
  for (const [k, w] of workers.workers.entries()) w.on('message', (chunk: WorkerChunk) => deliver(k, chunk));
  workers.onError = () => wake?.();
  const post = (k: number, request: WorkerRequest) => workers.post(k, request);
  const tasks = tasksOf(items, init.ingest, sizes);
  let next = 0;
  let inFlight = 0;
  let exhausted = false;
  const dispatch = async () => {
    while (!exhausted && inFlight < jobs * 2) {
      const task = await tasks.next();
      if (task.done) {
        exhausted = true;
        break;
      }
      const id = next++;
      const k = load.indexOf(Math.min(...load));
      load[k] = (load[k] ?? 0) + 1;
      owner.set(id, k);
      inFlight++;
      post(k, { type: 'task', id, items: task.value });
    }
  };
  const take = async (id: number): Promise<WorkerChunk> => {
    for (;;) {
      if (workers.failed) throw workers.failed;
      const chunk = arrived.get(id)?.shift();
      if (chunk) return chunk;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  };
  try {
    for (let id = 0; ; id++) {
      await dispatch();
      if (id >= next) break;
      for (;;) {
        const chunk = await take(id);
        if (chunk.failure) throw new Error(`a scoring worker failed on ${chunk.failure}`);
        yield chunk;
        // Written (and in the files: see TextFile.writeBytes): the worker may go on, and fill these buffers again.
        const buffers = [chunk.results.buffer, chunk.calls.buffer, chunk.findings.buffer] as ArrayBuffer[];
        workers.post(owner.get(id) as number, { type: 'ack', id, buffers }, buffers);
        if (chunk.done) break;
      }
      arrived.delete(id);
      owner.delete(id);
      inFlight--;
    }
  } finally {
    await workers.close();
  }
}

/** Whether workers started early can score this run: as many as it wants, with heaps as big as it needs. */
export function fits(set: WorkerSet, jobs: number, limits: HeapLimits): boolean {
  return (
    set.jobs === jobs &&
    set.limits.maxOldGenerationSizeMb >= limits.maxOldGenerationSizeMb &&
    set.limits.maxYoungGenerationSizeMb >= limits.maxYoungGenerationSizeMb
  );
}

/** Heap a JSON document needs while parsed and scored, per MB of file (JSON.parse of a large array takes ~5× its size). */
const OLD_MB_PER_FILE_MB = 8;

/**
 * Heap limits for the workers. Left to itself V8 grows each isolate's heap far beyond its live data
 * (three isolates took 420 MB for 100,000 calls); capped, memory stays flat. A JSON document is
 * parsed whole, so the old generation is sized for the largest one (JSON Lines are streamed). With
 * the sizes of the files read whole, which tasksOf batches by.
 */
function workerHeap(items: readonly InputItem[], ingest: IngestOptions): { limits: HeapLimits; sizes: Map<string, number> } {
  let largest = 0;
  const sizes = new Map<string, number>();
  for (const item of items) {
    if (item.kind !== 'file' || readsAsJsonl(item.path, ingest)) continue;
    // One at a time and synchronously: ~5 µs a file, where awaiting each stat took ~30.
    let size: number;
    try {
      size = statSync(item.path).size;
    } catch {
      continue;
    }
    sizes.set(item.path, size);
    largest = Math.max(largest, size);
  }
  return {
    limits: { ...BASE_LIMITS, maxOldGenerationSizeMb: Math.max(BASE_LIMITS.maxOldGenerationSizeMb, Math.ceil(64 + (OLD_MB_PER_FILE_MB * largest) / 1e6)) },
    sizes,
  };
}
