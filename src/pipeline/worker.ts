import { parentPort } from 'node:worker_threads';
import { MetadataIndex } from '../metadata/join.js';
import { loadMetadataFile } from '../metadata/load.js';
import { type ReportLayout, reportLayout } from '../report/tables.js';
import { loadRubric } from '../rubric/load.js';
import { greetingMatchersOf } from '../rules/greeting.js';
import { watchMemory } from '../util/memory-debug.js';
import { type Flow, giveBack, scoreToChunks, written } from './chunks.js';
import type { WorkerInit, WorkerRequest } from './protocol.js';
import type { ScoreContext } from './score-input.js';

/**
 * A scoring worker: loads its modules as soon as it starts, the rubric (and call records) once the
 * main thread says which (`init`), then scores the inputs the main thread sends and returns their
 * report text in chunks (chunks.ts), rendered here so that the main thread only writes.
 */
async function context(init: WorkerInit): Promise<ScoreContext> {
  const rubric = await loadRubric(init.rubricPath);
  const ctx: ScoreContext = { rubric, roles: { ...init.roles, greetingElements: greetingMatchersOf(rubric) }, ingest: init.ingest };
  if (init.metadata) {
    const index = new MetadataIndex();
    for (const file of init.metadata.files) {
      for (const item of await loadMetadataFile(file, { customerLeg: init.metadata.customerLeg })) if (!('error' in item)) index.add(item);
    }
    ctx.metadata = index;
  }
  return ctx;
}

watchMemory();

/** Per input under way: its chunks not yet written. */
const flows = new Map<number, Flow>();

/**
 * Inputs are scored one after another, in the order they came (ascending ids): the one the main
 * thread waits for is always at the head of some worker's queue, so it never waits behind another,
 * and a worker holds one parsed input at a time (its heap is sized for the largest JSON document).
 */
let queue: Promise<unknown> = Promise.resolve();
let ready: Promise<{ ctx: ScoreContext; layout: ReportLayout }> | undefined;

parentPort?.on('message', (request: WorkerRequest) => {
  if (request.type === 'init') {
    ready = context(request.init).then((ctx) => ({ ctx, layout: reportLayout(ctx.rubric) }));
    queue = ready;
    return;
  }
  if (request.type === 'task') {
    const flow: Flow = { count: 0 };
    flows.set(request.id, flow);
    queue = queue
      .then(() => ready ?? Promise.reject(new Error('a task came before init')))
      .then(({ ctx, layout }) => scoreToChunks(request.id, request.items, ctx, layout, flow, (chunk, transfer) => parentPort?.postMessage(chunk, transfer)))
      .finally(() => flows.delete(request.id));
    return;
  }
  giveBack(request.buffers);
  const flow = flows.get(request.id);
  if (flow) written(flow);
});
