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

export interface WorkerTask {
  id: number;
  item: InputItem;
}

export type WorkerOutput =
  | { error: InputError; record?: undefined }
  | { record: CallRecord; metadata: 'none' | 'matched' | 'missing'; matchedId?: string; error?: undefined };

export interface WorkerReply {
  id: number;
  outputs: WorkerOutput[];
  repaired: number;
  /** An unexpected failure (a bug): the run stops, as it would in one thread. */
  failure?: string;
}
