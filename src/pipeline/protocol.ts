import type { InputError } from '../ingest/errors.js';
import type { IngestOptions } from '../ingest/format.js';
import type { InputItem } from '../ingest/index.js';
import type { RoleOptions } from '../normalise/roles.js';
import type { CallRecord } from '../report/results.js';

/** What a worker needs to score like the main thread would. */
export interface WorkerInit {
  /** The rubric file, resolved: each worker loads and compiles it once. */
  rubricPath: string;
  ingest: IngestOptions;
  roles: Omit<RoleOptions, 'greetingElements'>;
  metadata?: { files: string[]; customerLeg: 'inbound' | 'outbound' };
}

/** Main thread → worker: score an input; or, the chunk `seq` of input `id` has been written (flow control). */
export type WorkerRequest = { type: 'task'; id: number; item: InputItem } | { type: 'ack'; id: number };

/** A scored call without its utterances: what the main thread's totals, agents, gates and report page read. */
export type CallSummary = Omit<CallRecord, 'utterances'>;

/** One entry of a chunk, in input order: an input error, or a call with its results.jsonl line. */
export type WorkerEntry =
  | { error: InputError; call?: undefined }
  | { call: CallSummary; line: string; metadata: 'none' | 'matched' | 'missing'; matchedId?: string; error?: undefined };

/**
 * Worker → main thread: the next part of an input's results, rendered (the same bytes the main
 * thread would write). `calls` and `findings` are the CSV rows of the chunk's calls, joined.
 */
export interface WorkerChunk {
  id: number;
  entries: WorkerEntry[];
  calls: string;
  findings: string;
  /** The input's last chunk. */
  done: boolean;
  /** Inputs repaired (vendor JSON with comments…), on the last chunk. */
  repaired: number;
  /** An unexpected failure (a bug): the run stops, as it would in one thread. */
  failure?: string;
}
