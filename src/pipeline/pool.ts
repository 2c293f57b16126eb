import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IngestOptions } from '../ingest/format.js';
import { type InputItem, readsAsJsonl } from '../ingest/index.js';
import { type InputPart, jsonlParts, splitsIntoParts } from '../ingest/parts.js';
import type { WorkerChunk, WorkerInit } from './protocol.js';
import { type PoolOptions, type Task, TaskBook } from './task-book.js';
import { BASE_LIMITS, BATCH_BYTES, BATCH_INPUTS, type HeapLimits, oneTask, PART_BYTES, WorkerSet } from './workers.js';

export { PART_BYTES } from './workers.js';
export type { PoolOptions } from './task-book.js';

/** A task holding this many bytes of input is scored with no other such task under way. */
const BIG_TASK_BYTES = 4_000_000;

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

/**
 * What the workers would have to do: `several` inputs (or one JSON Lines file big enough to be read in parts),
 * which go to workers even with no time budget, each in a heap of its own; `tasks`, whether they make more
 * than one task (oneTask), which is worth more than one worker.
 */
export async function workerLoad(items: readonly InputItem[], ingest: IngestOptions): Promise<{ several: boolean; tasks: boolean }> {
  if (items.length > BATCH_INPUTS) return { several: true, tasks: true };
  const sizes: (number | undefined)[] = [];
  let parts = false;
  for (const item of items) {
    const size =
      item.kind === 'file'
        ? await stat(item.path).then(
            (s) => s.size,
            () => undefined,
          )
        : undefined;
    sizes.push(size);
    parts ||= item.kind === 'file' && size !== undefined && readsAsJsonl(item.path, ingest) && splitsIntoParts(size, PART_BYTES);
  }
  return { several: items.length > 1 || parts, tasks: !oneTask(sizes, parts) };
}

/** Bytes of input a task holds at the least: its parts' spans, and the sizes of its files where known. */
function taskBytes(items: readonly InputItem[], sizes: ReadonlyMap<string, number>): number {
  let bytes = 0;
  for (const item of items) {
    if (item.kind !== 'file') continue;
    bytes += item.part ? item.part.end - item.part.start : (sizes.get(item.path) ?? 0);
  }
  return bytes;
}

/**
 * The tasks of the inputs, sent in input order (tasksOf) a few ahead of the one being written: two per
 * worker at most, and one big input at a time.
 */
class Feed {
  /** Tasks of the inputs in order, sent and not yet yielded. */
  private readonly queue: Task[] = [];
  private exhausted = false;
  /** A big input taken from `pending` and held back while another is being scored. */
  private heldBack: InputItem[] | undefined;
  /** The worker that scored the last big input. */
  private bigSlot: number | undefined;

  constructor(
    private readonly pending: AsyncGenerator<InputItem[]>,
    private readonly sizes: ReadonlyMap<string, number>,
    private readonly jobs: number,
    private readonly book: TaskBook,
    private readonly options: PoolOptions,
  ) {}

  /** The next task in input order, once as many as may be are sent; undefined when all are taken. */
  async next(): Promise<Task | undefined> {
    await this.fill();
    return this.queue.shift();
  }

  private async fill(): Promise<void> {
    const queue = this.queue;
    while (!this.exhausted && queue.length < this.jobs * 2) {
      let items = this.heldBack;
      this.heldBack = undefined;
      if (!items) {
        const task = await this.pending.next();
        if (task.done) {
          this.exhausted = true;
          break;
        }
        items = task.value;
      }
      // Big inputs one at a time: a record near --max-record-mb needs several times its size while it is
      // scored, and two of them at once would take the run past its memory budget.
      const big = taskBytes(items, this.sizes) >= BIG_TASK_BYTES;
      if (big && queue.some((t) => t.big && !t.done && !t.ended)) {
        this.heldBack = items;
        break;
      }
      // The worker that scored the last big input has the heap for the next: another would grow its own too.
      const task = this.book.send(items, 0, 0, big ? this.bigSlot : undefined);
      if (big) {
        task.big = true;
        this.bigSlot = task.slot;
      }
      this.options.trace?.('sent', { id: task.id, slot: task.slot, big });
      queue.push(task);
    }
  }
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
 *
 * One input never stops the batch. A worker that dies (out of memory, a crash, an exit) is replaced
 * by a fresh one, and the inputs it held are sent again, each alone, taking up after the entries
 * already written; the input it was scoring when it died is listed in errors.csv if a worker dies on
 * it a second time. A worker that scores one input longer than `inputTimeout` (its watch, read by this thread,
 * counts only the time it scores, not the time it waits for this thread to write) is stopped and
 * replaced: that input is listed, the others it held are sent again.
 */
export async function* scoreInParallel(
  items: readonly InputItem[],
  init: WorkerInit,
  jobs: number,
  started?: WorkerSet,
  options: PoolOptions = {},
): AsyncGenerator<WorkerChunk> {
  const { limits, sizes } = workerHeap(items, init.ingest);
  let set = started;
  if (set && !fits(set, jobs, limits)) {
    await set.close();
    set = undefined;
  }
  const workers = set ?? new WorkerSet(jobs, limits);
  // Workers started early and more than the run needs are used all the same: they are started already.
  const using = workers.jobs;
  workers.init(init);
  const book = new TaskBook(workers, using, options);
  const feed = new Feed(tasksOf(items, init.ingest, sizes), sizes, using, book, options);
  try {
    for (let task = await feed.next(); task; task = await feed.next()) yield* book.drain(task);
  } finally {
    await book.close();
  }
}

/** Whether workers started early can score this run: at least as many as it wants, with heaps as big as it needs. */
export function fits(set: WorkerSet, jobs: number, limits: HeapLimits): boolean {
  return (
    set.jobs >= jobs &&
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
    if (item.kind !== 'file') continue;
    // One at a time and synchronously: ~5 µs a file, where awaiting each stat took ~30.
    let size: number;
    try {
      size = statSync(item.path).size;
    } catch {
      continue;
    }
    sizes.set(item.path, size);
    // JSON Lines are streamed a line at a time: their size says nothing of the heap a line needs.
    if (!readsAsJsonl(item.path, ingest)) largest = Math.max(largest, size);
  }
  return {
    limits: { ...BASE_LIMITS, maxOldGenerationSizeMb: Math.max(BASE_LIMITS.maxOldGenerationSizeMb, Math.ceil(64 + (OLD_MB_PER_FILE_MB * largest) / 1e6)) },
    sizes,
  };
}
