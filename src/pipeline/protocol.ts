import type { InputError } from '../ingest/errors.js';
import type { InputItem } from '../ingest/index.js';
import type { CallSummary } from '../results/codec.js';
import type { ScoringConfig } from './score-input.js';

/** What a worker needs to score like the main thread would: the run's scoring configuration (score-input.ts). */
export type WorkerInit = ScoringConfig;

/**
 * Main thread → worker: what to score with (once, first: a worker starts before the rubric is known);
 * score a task (an input, a part of one, or several small inputs in order); or, a chunk of task `id`
 * is written (flow control), and here are its buffers back, to be filled again. `skip`: entries (calls
 * and errors) of the task's first input to leave out, written already by a worker that died on it.
 */
export type WorkerRequest =
  | { type: 'init'; init: WorkerInit }
  | { type: 'task'; id: number; items: InputItem[]; skip?: number }
  | { type: 'ack'; id: number; buffers: ArrayBuffer[] };

/** A scored call without its utterances: what the main thread's totals, agents, gates and report page read. */
export type { CallSummary };

/** One entry of a chunk, in input order: an input error, or a call and the length of its results.jsonl line in `results`. */
export type WorkerEntry =
  | { error: InputError; call?: undefined }
  | {
      call: CallSummary;
      bytes: number;
      metadata: 'none' | 'matched' | 'missing';
      matchedId?: string;
      /**
       * In a part of a file after the first: where the digits of the line's `seq` begin (bytes into the line). The
       * worker numbers a part's calls from 0; the main thread, which knows how many calls the
       * file's earlier parts held, writes the right number there.
       */
      seqAt?: number;
      /**
       * The call's transcript, when the worker wrote it into the line (every call's with --keep-transcripts,
       * else its page candidates'): `,"utterances":[…]` from `at` (bytes into the line), `bytes` long, just
       * before the line's last brace; `weight`: its texts' length (results/pages.ts).
       */
      transcript?: { at: number; bytes: number; weight: number };
      error?: undefined;
    };

/**
 * Worker → main thread: the next part of an input's results, rendered (the same bytes the main
 * thread would write) as UTF-8 and transferred, not copied: the main thread writes them as they
 * are. `results` holds the calls' results.jsonl lines, one after another; `calls` and `findings`
 * the calls' CSV rows.
 */
export interface WorkerChunk {
  id: number;
  entries: WorkerEntry[];
  results: Uint8Array;
  calls: Uint8Array;
  findings: Uint8Array;
  /** The task's last chunk. */
  done: boolean;
  /** The task is a part of a file, and not its last part: the file is not done yet. */
  partial: boolean;
  /** Inputs the task holds: one (a file, or a part of one), or several small files scored one after another. */
  inputs: number;
  /** The index in the task of the input under way when the chunk was sent… */
  item: number;
  /** …and how many entries of it were sent so far, this chunk's and skipped ones included: where a retry takes up. */
  itemEntries: number;
  /** Inputs before `item` that were repaired: counted for them if the task's worker dies. */
  repairedBefore: number;
  /** Inputs repaired (vendor JSON with comments…), on the last chunk. */
  repaired: number;
  /**
   * An unexpected failure (a bug), naming the input under way (`item`), with its stack; `reason`: the
   * error alone, in one line. The input is listed in errors.csv and the task's later inputs scored apart.
   */
  failure?: string;
  reason?: string;
}

/** Slots of a worker's watch (an Int32Array over shared memory, read by the main thread while the worker runs). */
export const WATCH = {
  /** Counts the inputs the worker has started: a change means it began another. */
  started: 0,
  /** The task, and the index of the input in it, under way. */
  task: 1,
  item: 2,
  /** 1 while the worker scores; 0 while it waits (for its rubric, for a task, or for the main thread to write). */
  busy: 3,
} as const;
export const WATCH_SLOTS = 4;
