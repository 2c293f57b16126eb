import { statSync } from 'node:fs';
import { diedTwice, failedOn, timedOut } from './not-scored.js';
import { stat } from 'node:fs/promises';
import type { IngestOptions } from '../ingest/format.js';
import { type InputItem, readsAsJsonl } from '../ingest/index.js';
import { type InputPart, jsonlParts, splitsIntoParts } from '../ingest/parts.js';
import type { Worker } from 'node:worker_threads';
import type { InputError } from '../ingest/errors.js';
import { WATCH, type WorkerChunk, type WorkerInit } from './protocol.js';
import { BASE_LIMITS, type HeapLimits, PART_BYTES, type WorkerDeath, WorkerSet, type WorkerSlot } from './workers.js';

export { PART_BYTES } from './workers.js';

/** Small inputs (JSON documents and transcripts of one call, mostly) go to the workers this many at a time at most… */
const BATCH_INPUTS = 64;
/** …and this many bytes: a task each cost ~0.4 ms of CPU in messages, writes and set-up, more than scoring such a file. */
const BATCH_BYTES = 512 * 1024;
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

/** A task sent to a worker: its inputs, and what came back of it so far. */
interface Task {
  id: number;
  items: InputItem[];
  /** Entries of the first input an earlier attempt wrote already (the worker leaves them out). */
  skip: number;
  /** Times a worker died while this task's input was under way (a retry holds one input). */
  tries: number;
  slot: number;
  worker: Worker;
  /** Chunks received, not yet yielded. */
  chunks: WorkerChunk[];
  done: boolean;
  /** The input under way as of the last chunk received, and its entries sent so far (chunks.ts). */
  item: number;
  itemEntries: number;
  repairedBefore: number;
  /** Its worker died or was stopped: what stands for the rest of the task, in order (retries and errors). */
  ended?: Array<Task | WorkerChunk>;
  /** Holds a big input (BIG_TASK_BYTES): no other big one is sent while it is under way. */
  big?: boolean;
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

/** Why a worker is gone: it died (on its own), or it was stopped for taking too long on the input under way. */
type Cause = { death: WorkerDeath } | { timeout: { task: number; item: number } };

/** Workers that die with no input under way, more than this many times in a run: something is wrong with every worker, and the inputs left are listed. */
const UNEXPLAINED_DEATHS = 3;

/** How a worker died, in a few words for errors.csv. */
function deathReason(death: WorkerDeath): string {
  const code = (death.error as { code?: string } | undefined)?.code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') return 'out of memory';
  if (death.error) return death.error.message.replace(/\s+/g, ' ').slice(0, 200);
  return `exit code ${death.exitCode ?? '?'}, out of memory?`;
}

/** A chunk the main thread makes itself: an input listed in errors.csv, or inputs a dead worker finished (counted). */
function madeChunk(id: number, entries: WorkerChunk['entries'], inputs: number, partial: boolean, repaired = 0): WorkerChunk {
  return {
    id,
    entries,
    results: new Uint8Array(0),
    calls: new Uint8Array(0),
    findings: new Uint8Array(0),
    done: true,
    partial,
    inputs,
    item: 0,
    itemEntries: 0,
    repairedBefore: 0,
    repaired,
  };
}

/** An input that cannot be scored, as an errors.csv row: its file, and the line its part starts at. */
function listed(item: InputItem, error: string): InputError {
  if (item.kind === 'stdin') return { source: '<stdin>', error };
  const line = item.kind === 'file' && item.part && item.part.index > 0 ? { line: item.part.line } : {};
  return { source: item.path, ...line, error };
}

/** The chunk that stands for an input not scored: one error, in place of what is left of it (partial: a part before its file's last). */
function listedChunk(id: number, item: InputItem, error: string): WorkerChunk {
  return madeChunk(id, [{ error: listed(item, error) }], 1, item.kind === 'file' && item.part !== undefined && !item.part.last);
}

export interface PoolOptions {
  /** Seconds a worker may score one input (or part of one) before it is stopped and the input listed; 0 or none: no limit. */
  inputTimeout?: number;
  /** Told when a task is sent to a worker and when its worker is done with it (tests watch the scheduling). */
  trace?: (event: 'sent' | 'done', task: { id: number; slot: number; big: boolean }) => void;
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
 * it a second time. A worker that scores one input longer than `inputTimeout` (its watch, read here,
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
  workers.init(init);
  const tasks = new Map<number, Task>();
  let wake: (() => void) | undefined;
  const load = new Array<number>(jobs).fill(0);
  /** Set once workers keep dying with no input under way: nothing more is sent, every input left is listed with this. */
  let broken: string | undefined;
  let unexplained = 0;
  const budgetMs = (options.inputTimeout ?? 0) * 1000;
  let next = 0;
  /** Per worker: its watch's count of inputs begun when last read, and how long it has scored the one under way. */
  const seen = workers.slots.map(() => ({ started: -1, busyMs: 0, at: Date.now() }));

  const send = (items: InputItem[], skip: number, tries: number, slot?: number): Task => {
    const id = next++;
    if (broken !== undefined) {
      const reason = `not scored: ${broken}`;
      const ended = items.map((item) => listedChunk(id, item, reason));
      const task: Task = {
        id,
        items,
        skip,
        tries,
        slot: -1,
        worker: (workers.slots[0] as WorkerSlot).worker,
        chunks: [],
        done: false,
        item: 0,
        itemEntries: skip,
        repairedBefore: 0,
        ended,
      };
      tasks.set(id, task);
      return task;
    }
    const k = slot !== undefined && Number.isFinite(load[slot]) ? slot : load.indexOf(Math.min(...load));
    load[k] = (load[k] ?? 0) + 1;
    const task: Task = {
      id,
      items,
      skip,
      tries,
      slot: k,
      worker: (workers.slots[k] as WorkerSlot).worker,
      chunks: [],
      done: false,
      item: 0,
      itemEntries: skip,
      repairedBefore: 0,
    };
    tasks.set(id, task);
    workers.post(k, { type: 'task', id, items, ...(skip > 0 ? { skip } : {}) });
    return task;
  };
  workers.onMessage = (k, message) => {
    const chunk = message as WorkerChunk;
    const task = tasks.get(chunk.id);
    if (!task || task.slot !== k || task.worker !== workers.slots[k]?.worker) return;
    task.chunks.push(chunk);
    task.item = chunk.item;
    task.itemEntries = chunk.itemEntries;
    task.repairedBefore = chunk.repairedBefore;
    if (chunk.done) {
      task.done = true;
      load[k] = (load[k] ?? 1) - 1;
      options.trace?.('done', { id: task.id, slot: k, big: task.big === true });
    }
    wake?.();
  };

  /** Worker `k` is gone: a fresh one takes its place, and every task it held is retried or listed. */
  const fail = (k: number, cause: Cause) => {
    const slot = workers.slots[k] as WorkerSlot;
    const watch = slot.watch;
    const under = { task: Atomics.load(watch, WATCH.task), item: Atomics.load(watch, WATCH.item), begun: Atomics.load(watch, WATCH.started) > 0 };
    const suspect = 'timeout' in cause ? cause.timeout : under.begun ? under : undefined;
    const held = [...tasks.values()].filter((t) => t.slot === k && t.worker === slot.worker && !t.done && !t.ended).sort((a, b) => a.id - b.id);
    const blamed = suspect !== undefined && held.some((t) => t.id === suspect.task);
    if (!blamed && 'death' in cause && ++unexplained > UNEXPLAINED_DEATHS) {
      broken = `the scoring workers keep dying with no input under way (${deathReason(cause.death)})`;
    }
    if (broken === undefined) {
      workers.replace(k);
      load[k] = 0;
    } else load[k] = Number.POSITIVE_INFINITY;
    seen[k] = { started: -1, busyMs: 0, at: Date.now() };
    for (const task of held) {
      const rest: Array<Task | WorkerChunk> = [];
      // Inputs the task finished before its worker went: counted, as its last chunk would have.
      if (task.item > 0) rest.push(madeChunk(task.id, [], task.item, false, task.repairedBefore));
      for (let i = task.item; i < task.items.length; i++) {
        const item = task.items[i] as InputItem;
        const skip = i === task.item ? task.itemEntries : 0;
        const tries = task.items.length === 1 ? task.tries : 0;
        if (suspect && suspect.task === task.id && suspect.item === i) {
          if ('timeout' in cause) {
            rest.push(listedChunk(task.id, item, timedOut(options.inputTimeout, skip)));
            continue;
          }
          if (tries >= 1) {
            rest.push(listedChunk(task.id, item, diedTwice(deathReason(cause.death), skip)));
            continue;
          }
          rest.push(send([item], skip, tries + 1));
          continue;
        }
        rest.push(send([item], skip, tries));
      }
      task.ended = rest;
    }
    wake?.();
  };
  workers.onDeath = (k, death) => fail(k, { death });
  for (const [k, death] of workers.deaths) fail(k, { death });

  const poll = () => {
    const now = Date.now();
    for (const [k, slot] of workers.slots.entries()) {
      // A worker left dead once they all kept dying: nothing to watch.
      if (load[k] === Number.POSITIVE_INFINITY) continue;
      const s = seen[k] as (typeof seen)[number];
      const begun = Atomics.load(slot.watch, WATCH.started);
      const busy = Atomics.load(slot.watch, WATCH.busy) === 1;
      if (begun !== s.started) seen[k] = { started: begun, busyMs: 0, at: now };
      else {
        if (busy) s.busyMs += now - s.at;
        s.at = now;
        if (busy && s.busyMs > budgetMs) fail(k, { timeout: { task: Atomics.load(slot.watch, WATCH.task), item: Atomics.load(slot.watch, WATCH.item) } });
      }
    }
  };
  const timer = budgetMs > 0 ? setInterval(poll, Math.max(20, Math.min(250, budgetMs / 4))) : undefined;

  const pending = tasksOf(items, init.ingest, sizes);
  /** Tasks of the inputs in order, sent and not yet yielded. */
  const queue: Task[] = [];
  let exhausted = false;
  /** A big input taken from `pending` and held back while another is being scored. */
  let heldBack: InputItem[] | undefined;
  let bigSlot: number | undefined;
  const dispatch = async () => {
    while (!exhausted && queue.length < jobs * 2) {
      let items = heldBack;
      heldBack = undefined;
      if (!items) {
        const task = await pending.next();
        if (task.done) {
          exhausted = true;
          break;
        }
        items = task.value;
      }
      // Big inputs one at a time: a record near --max-record-mb needs several times its size while it is
      // scored, and two of them at once would take the run past its memory budget.
      const big = taskBytes(items, sizes) >= BIG_TASK_BYTES;
      if (big && queue.some((t) => t.big && !t.done && !t.ended)) {
        heldBack = items;
        break;
      }
      // The worker that scored the last big input has the heap for the next: another would grow its own too.
      const task = send(items, 0, 0, big ? bigSlot : undefined);
      if (big) {
        task.big = true;
        bigSlot = task.slot;
      }
      options.trace?.('sent', { id: task.id, slot: task.slot, big });
      queue.push(task);
    }
  };
  /** A task's chunks as they come, then (if its worker went) what stands for the rest of it. */
  async function* drain(task: Task): AsyncGenerator<WorkerChunk> {
    for (;;) {
      const chunk = task.chunks.shift();
      if (chunk) {
        if (chunk.failure) {
          // A bug on one input: what came before it is written, the input listed, the task's later inputs scored apart.
          const item = task.items[chunk.item] as InputItem;
          task.ended = [
            listedChunk(task.id, item, failedOn(chunk.reason ?? 'an internal error', chunk.itemEntries)),
            ...task.items.slice(chunk.item + 1).map((later) => send([later], 0, 0)),
          ];
          yield { ...chunk, inputs: chunk.item, partial: false };
        } else yield chunk;
        // Written (and in the files: see TextFile.writeBytes): the worker may go on, and fill these buffers again.
        const live = workers.slots[task.slot]?.worker === task.worker;
        if (live) {
          const buffers = [chunk.results.buffer, chunk.calls.buffer, chunk.findings.buffer] as ArrayBuffer[];
          workers.post(task.slot, { type: 'ack', id: task.id, buffers }, buffers);
        }
        if (chunk.done || chunk.failure) break;
        continue;
      }
      if (task.ended) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
    tasks.delete(task.id);
    for (const rest of task.ended ?? []) {
      if ('items' in rest) yield* drain(rest);
      else yield rest;
    }
  }
  try {
    for (;;) {
      await dispatch();
      const task = queue.shift();
      if (!task) break;
      yield* drain(task);
    }
  } finally {
    if (timer) clearInterval(timer);
    workers.onDeath = undefined;
    workers.onMessage = undefined;
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
