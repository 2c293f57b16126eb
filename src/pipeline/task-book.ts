import { translate } from '../i18n/format.js';
import type { Lang } from '../i18n/lang.js';
import type { Worker } from 'node:worker_threads';
import type { InputError } from '../ingest/errors.js';
import type { InputItem } from '../ingest/index.js';
import { diedTwice, failedOn, timedOut } from './not-scored.js';
import { WATCH, type WorkerChunk } from './protocol.js';
import type { WorkerDeath, WorkerSet, WorkerSlot } from './workers.js';

/** A task sent to a worker: its inputs, and what came back of it so far. */
export interface Task {
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
  /** Holds a big input (pool.ts, BIG_TASK_BYTES): no other big one is sent while it is under way. */
  big?: boolean;
}

export interface PoolOptions {
  /** Seconds a worker may score one input (or part of one) before it is stopped and the input listed; 0 or none: no limit. */
  inputTimeout?: number;
  /** The language of the reasons an input is listed with (timed out, its worker died twice, a bug on it). */
  lang?: Lang;
  /** Told when a task is sent to a worker and when its worker is done with it (tests watch the scheduling). */
  trace?: (event: 'sent' | 'done', task: { id: number; slot: number; big: boolean }) => void;
}

/** Why a worker is gone: it died (on its own), or it was stopped for taking too long on the input under way. */
type Cause = { death: WorkerDeath } | { timeout: { task: number; item: number } };

/** The input a worker is thought to have been scoring when it went: a task's id, and the input's index in it. */
type Suspect = { task: number; item: number };

/** Workers that die with no input under way, more than this many times in a run: something is wrong with every worker, and the inputs left are listed. */
const UNEXPLAINED_DEATHS = 3;

/**
 * How a worker died, in a few words of `lang` for errors.csv. An error it died of is quoted as it came (its
 * own words, often Node's, in English): evidence, not ours.
 */
export function deathReason(death: WorkerDeath, lang: Lang = 'en'): string {
  const code = (death.error as { code?: string } | undefined)?.code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') return translate(lang, 'worker.out-of-memory');
  if (death.error) return death.error.message.replace(/\s+/g, ' ').slice(0, 200);
  // As a string: an exit code is a number people quote, not a quantity (no grouping, whatever the language).
  return translate(lang, 'worker.exit-code', { code: String(death.exitCode ?? '?') });
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

/** A worker's watch as this thread last read it: its count of inputs begun, and how long it has scored the one under way. */
interface Reading {
  started: number;
  busyMs: number;
  at: number;
}

const unread = (): Reading => ({ started: -1, busyMs: 0, at: Date.now() });

/**
 * The tasks sent to a set of workers and what came back of them, from the time the set is handed
 * over to `close`. It keeps each task's chunks until they are drained, replaces a worker that dies
 * or overruns --input-timeout (read from the workers' watches every so often), and records what
 * stands for the rest of each task that worker held: retries, and errors.csv rows. scoreInParallel
 * (pool.ts) decides what to send and when, and drains the tasks in input order.
 */
export class TaskBook {
  private readonly tasks = new Map<number, Task>();
  /** Tasks in flight per worker; infinite for a worker left dead once they all kept dying. */
  private readonly load: number[];
  /** Set once workers keep dying with no input under way: nothing more is sent, every input left is listed with this reason. */
  private broken: string | undefined;
  private unexplained = 0;
  private next = 0;
  private readonly budgetMs: number;
  /** Per worker: its watch when last read. */
  private readonly seen: Reading[];
  /** Ends the wait of `drain` for its task's next chunk. */
  private wake: (() => void) | undefined;
  private readonly timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly workers: WorkerSet,
    jobs: number,
    private readonly options: PoolOptions,
  ) {
    this.load = new Array<number>(jobs).fill(0);
    this.budgetMs = (options.inputTimeout ?? 0) * 1000;
    this.seen = workers.slots.map(unread);
    workers.onMessage = (k, message) => this.received(k, message as WorkerChunk);
    workers.onDeath = (k, death) => this.gone(k, { death });
    // Workers that died before anyone listened.
    for (const [k, death] of workers.deaths) this.gone(k, { death });
    const budgetMs = this.budgetMs;
    this.timer = budgetMs > 0 ? setInterval(() => this.poll(), Math.max(20, Math.min(250, budgetMs / 4))) : undefined;
  }

  /**
   * Sends `items` to a worker, taking up after `skip` entries of the first: to `slot` if given and
   * still in use, else to the one with the fewest tasks in flight. Once broken, the task is sent to
   * none and stands for its inputs listed.
   */
  send(items: InputItem[], skip: number, tries: number, slot?: number): Task {
    const id = this.next++;
    if (this.broken !== undefined) {
      const reason = this.broken;
      const task = this.book(id, items, skip, tries, -1, (this.workers.slots[0] as WorkerSlot).worker);
      task.ended = items.map((item) => listedChunk(id, item, reason));
      return task;
    }
    const load = this.load;
    const k = slot !== undefined && Number.isFinite(load[slot]) ? slot : load.indexOf(Math.min(...load));
    load[k] = (load[k] ?? 0) + 1;
    const task = this.book(id, items, skip, tries, k, (this.workers.slots[k] as WorkerSlot).worker);
    this.workers.post(k, { type: 'task', id, items, ...(skip > 0 ? { skip } : {}) });
    return task;
  }

  private book(id: number, items: InputItem[], skip: number, tries: number, slot: number, worker: Worker): Task {
    const task: Task = { id, items, skip, tries, slot, worker, chunks: [], done: false, item: 0, itemEntries: skip, repairedBefore: 0 };
    this.tasks.set(id, task);
    return task;
  }

  /** A chunk from worker `k`, kept for its task; dropped if that task is no longer that worker's (it went, and the task was ended). */
  private received(k: number, chunk: WorkerChunk): void {
    const task = this.tasks.get(chunk.id);
    if (!task || task.slot !== k || task.worker !== this.workers.slots[k]?.worker) return;
    task.chunks.push(chunk);
    task.item = chunk.item;
    task.itemEntries = chunk.itemEntries;
    task.repairedBefore = chunk.repairedBefore;
    if (chunk.done) {
      task.done = true;
      this.load[k] = (this.load[k] ?? 1) - 1;
      this.options.trace?.('done', { id: task.id, slot: k, big: task.big === true });
    }
    this.wake?.();
  }

  /** Worker `k` is gone: a fresh one takes its place, and every task it held is retried or listed. */
  private gone(k: number, cause: Cause): void {
    const slot = this.workers.slots[k] as WorkerSlot;
    const watch = slot.watch;
    const under = { task: Atomics.load(watch, WATCH.task), item: Atomics.load(watch, WATCH.item), begun: Atomics.load(watch, WATCH.started) > 0 };
    const suspect = 'timeout' in cause ? cause.timeout : under.begun ? under : undefined;
    const held = [...this.tasks.values()].filter((t) => t.slot === k && t.worker === slot.worker && !t.done && !t.ended).sort((a, b) => a.id - b.id);
    const blamed = suspect !== undefined && held.some((t) => t.id === suspect.task);
    if (!blamed && 'death' in cause && ++this.unexplained > UNEXPLAINED_DEATHS) {
      this.broken = translate(this.options.lang ?? 'en', 'worker.keep-dying', { death: deathReason(cause.death, this.options.lang) });
    }
    if (this.broken === undefined) {
      this.workers.replace(k);
      this.load[k] = 0;
    } else this.load[k] = Number.POSITIVE_INFINITY;
    this.seen[k] = unread();
    for (const task of held) task.ended = this.rest(task, cause, suspect);
    this.wake?.();
  }

  /**
   * What stands for the rest of a task whose worker went, in order: the inputs it finished (counted),
   * then each input left sent again alone, taking up after the entries written; the suspect input
   * listed instead if it timed out, or if a worker died on it a second time.
   */
  private rest(task: Task, cause: Cause, suspect: Suspect | undefined): Array<Task | WorkerChunk> {
    const rest: Array<Task | WorkerChunk> = [];
    // Inputs the task finished before its worker went: counted, as its last chunk would have.
    if (task.item > 0) rest.push(madeChunk(task.id, [], task.item, false, task.repairedBefore));
    for (let i = task.item; i < task.items.length; i++) {
      const item = task.items[i] as InputItem;
      const skip = i === task.item ? task.itemEntries : 0;
      const tries = task.items.length === 1 ? task.tries : 0;
      if (suspect && suspect.task === task.id && suspect.item === i) {
        if ('timeout' in cause) {
          rest.push(listedChunk(task.id, item, timedOut(this.options.inputTimeout, skip, this.options.lang)));
          continue;
        }
        if (tries >= 1) {
          rest.push(listedChunk(task.id, item, diedTwice(deathReason(cause.death, this.options.lang), skip, this.options.lang)));
          continue;
        }
        rest.push(this.send([item], skip, tries + 1));
        continue;
      }
      rest.push(this.send([item], skip, tries));
    }
    return rest;
  }

  /** Reads the workers' watches: one that has scored the same input for longer than --input-timeout is stopped. */
  private poll(): void {
    const now = Date.now();
    for (const [k, slot] of this.workers.slots.entries()) {
      // A worker left dead once they all kept dying: nothing to watch.
      if (this.load[k] === Number.POSITIVE_INFINITY) continue;
      const s = this.seen[k] as Reading;
      const begun = Atomics.load(slot.watch, WATCH.started);
      const busy = Atomics.load(slot.watch, WATCH.busy) === 1;
      if (begun !== s.started) this.seen[k] = { started: begun, busyMs: 0, at: now };
      else {
        if (busy) s.busyMs += now - s.at;
        s.at = now;
        if (busy && s.busyMs > this.budgetMs) {
          const timeout = { task: Atomics.load(slot.watch, WATCH.task), item: Atomics.load(slot.watch, WATCH.item) };
          this.gone(k, { timeout });
        }
      }
    }
  }

  /** A task's chunks as they come, then (if its worker went) what stands for the rest of it. */
  async *drain(task: Task): AsyncGenerator<WorkerChunk> {
    for (;;) {
      const chunk = task.chunks.shift();
      if (chunk) {
        if (chunk.failure) yield this.failedAt(task, chunk);
        else yield chunk;
        this.ack(task, chunk);
        if (chunk.done || chunk.failure) break;
        continue;
      }
      if (task.ended) break;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
    this.tasks.delete(task.id);
    for (const rest of task.ended ?? []) {
      if ('items' in rest) yield* this.drain(rest);
      else yield rest;
    }
  }

  /**
   * A bug on one input: what came before it is written (the chunk returned), the input listed, and
   * the task's later inputs scored apart.
   */
  private failedAt(task: Task, chunk: WorkerChunk): WorkerChunk {
    const item = task.items[chunk.item] as InputItem;
    task.ended = [
      listedChunk(task.id, item, failedOn(chunk.reason ?? 'an internal error', chunk.itemEntries, this.options.lang)),
      ...task.items.slice(chunk.item + 1).map((later) => this.send([later], 0, 0)),
    ];
    return { ...chunk, inputs: chunk.item, partial: false };
  }

  /** The chunk is written (and in the files: see TextFile.writeBytes): its worker, if still the task's, may go on and fill these buffers again. */
  private ack(task: Task, chunk: WorkerChunk): void {
    const live = this.workers.slots[task.slot]?.worker === task.worker;
    if (!live) return;
    const buffers = [chunk.results.buffer, chunk.calls.buffer, chunk.findings.buffer] as ArrayBuffer[];
    this.workers.post(task.slot, { type: 'ack', id: task.id, buffers }, buffers);
  }

  /** Stops watching, and closes the workers. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.workers.onDeath = undefined;
    this.workers.onMessage = undefined;
    await this.workers.close();
  }
}
