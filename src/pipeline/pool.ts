import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { InputItem } from '../ingest/index.js';
import type { WorkerInit, WorkerReply } from './protocol.js';

/**
 * Scores inputs on `jobs` worker threads and yields their replies in input order, whatever order
 * they finish in (a reorder buffer); at most two inputs per worker are in flight, so memory stays
 * bounded by the inputs being worked on, not by the corpus.
 */
export async function* scoreInParallel(items: readonly InputItem[], init: WorkerInit, jobs: number): AsyncGenerator<WorkerReply> {
  // Beside this module once built; run from the TypeScript sources (tests), the built worker.
  let url = new URL('./worker.js', import.meta.url);
  if (!existsSync(fileURLToPath(url))) url = new URL('../../dist/pipeline/worker.js', import.meta.url);
  const workers = Array.from({ length: jobs }, () => new Worker(url, { workerData: init }));
  const waiting = new Map<number, (reply: WorkerReply) => void>();
  let failed: Error | undefined;
  for (const w of workers) {
    w.on('message', (reply: WorkerReply) => {
      const resolve = waiting.get(reply.id);
      waiting.delete(reply.id);
      resolve?.(reply);
    });
    w.on('error', (err) => {
      failed = err;
      for (const resolve of waiting.values()) resolve({ id: -1, outputs: [], repaired: 0, failure: err.stack ?? String(err) });
    });
  }
  const load = new Array<number>(jobs).fill(0);
  const pending = new Map<number, Promise<WorkerReply>>();
  let next = 0;
  const dispatch = () => {
    while (next < items.length && pending.size < jobs * 2) {
      const id = next++;
      const k = load.indexOf(Math.min(...load));
      load[k] = (load[k] ?? 0) + 1;
      const worker = workers[k] as Worker;
      pending.set(
        id,
        new Promise<WorkerReply>((resolve) => {
          waiting.set(id, (reply) => {
            load[k] = (load[k] ?? 1) - 1;
            resolve(reply);
          });
          worker.postMessage({ id, item: items[id] });
        }),
      );
    }
  };
  try {
    for (let id = 0; id < items.length; id++) {
      dispatch();
      const reply = await (pending.get(id) as Promise<WorkerReply>);
      pending.delete(id);
      if (failed) throw failed;
      if (reply.failure) throw new Error(`a scoring worker failed on input ${id + 1}: ${reply.failure}`);
      yield reply;
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
