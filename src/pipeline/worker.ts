import { closeSync, openSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { InputItem } from '../ingest/index.js';
import { type ReportLayout, reportLayout } from '../render/tables.js';
import { watchMemory } from '../util/memory-debug.js';
import { type Beat, type Flow, giveBack, scoreToChunks, type WorkerPages, workerPages, written } from './chunks.js';
import { WATCH, type WorkerInit, type WorkerRequest } from './protocol.js';
import { type ScoreContext, scoringContext } from './score-input.js';

/**
 * A scoring worker: loads its modules as soon as it starts, the rubric (and call records) once the
 * main thread says which (`init`), then scores the inputs the main thread sends and returns their
 * report text in chunks (chunks.ts), rendered here so that the main thread only writes.
 */
async function context(init: WorkerInit): Promise<ScoreContext> {
  // The call records' errors are the main thread's to list (once).
  return (await scoringContext(init)).context;
}

watchMemory();

/**
 * CALLQA_DEBUG_WORKER=die:TEXT, oom:TEXT, hang:TEXT or throw:TEXT: the worker exits (code 70), runs out
 * of memory, loops for ever, or throws (a bug, caught) when it begins an input whose path holds TEXT;
 * once:TEXT@N: it exits at the Nth entry of such an input, the first time in the run only (the file
 * CALLQA_DEBUG_WORKER_MARK is made then); boot:ANY: every worker exits as it starts. How the tests make
 * a worker fail (test/e2e/worker-failure.test.ts); a debugging aid, off by default, read only in the workers.
 */
const DEBUG = ((v) => {
  const m = /^(die|oom|hang|once|throw|boot):(.+?)(?:@(\d+))?$/s.exec(v ?? '');
  return m ? { mode: m[1] as 'die' | 'oom' | 'hang' | 'once' | 'throw' | 'boot', text: m[2] as string, at: Number(m[3] ?? 0) } : undefined;
})(process.env.CALLQA_DEBUG_WORKER);

function debugFail(item: InputItem, entries: number): void {
  if (!DEBUG || item.kind === 'stdin' || !item.path.includes(DEBUG.text)) return;
  if (DEBUG.mode === 'once') {
    if (entries !== DEBUG.at) return;
    try {
      closeSync(openSync(process.env.CALLQA_DEBUG_WORKER_MARK ?? '', 'wx'));
    } catch {
      return;
    }
    process.exit(70);
  }
  if (entries > 0) return;
  if (DEBUG.mode === 'hang') for (;;);
  if (DEBUG.mode === 'die') process.exit(70);
  if (DEBUG.mode === 'throw') throw new Error('CALLQA_DEBUG_WORKER: a bug');
  const hoard: number[][] = [];
  for (let i = 0; ; i++) hoard.push(new Array<number>(1e6).fill(i + 0.5));
}

if (DEBUG?.mode === 'boot') process.exit(70);

/** The main thread reads this while the worker runs: which input is under way, since when (it counts changes), and whether it is scoring. */
const watch = (workerData as { watch?: Int32Array } | undefined)?.watch;
const beat: Beat | undefined = watch && {
  item(id, index, item) {
    Atomics.store(watch, WATCH.task, id);
    Atomics.store(watch, WATCH.item, index);
    Atomics.add(watch, WATCH.started, 1);
    Atomics.store(watch, WATCH.busy, 1);
    if (DEBUG) debugFail(item, 0);
  },
  ...(DEBUG ? { entry: (item: InputItem, entries: number) => debugFail(item, entries) } : {}),
  busy(on) {
    Atomics.store(watch, WATCH.busy, on ? 1 : 0);
  },
};

/** Per input under way: its chunks not yet written. */
const flows = new Map<number, Flow>();

/**
 * Inputs are scored one after another, in the order they came (ascending ids): the one the main
 * thread waits for is always at the head of some worker's queue, so it never waits behind another,
 * and a worker holds one parsed input at a time (its heap is sized for the largest JSON document).
 */
let queue: Promise<unknown> = Promise.resolve();
let ready: Promise<{ ctx: ScoreContext; layout: ReportLayout; pages: WorkerPages | undefined }> | undefined;

parentPort?.on('message', (request: WorkerRequest) => {
  if (request.type === 'init') {
    const { pages } = request.init;
    ready = context(request.init).then((ctx) => ({ ctx, layout: reportLayout(ctx.rubric), pages: pages ? workerPages(pages) : undefined }));
    queue = ready;
    return;
  }
  if (request.type === 'task') {
    const flow: Flow = { count: 0 };
    flows.set(request.id, flow);
    queue = queue
      .then(() => ready ?? Promise.reject(new Error('a task came before init')))
      .then(({ ctx, layout, pages }) =>
        scoreToChunks(request.id, request.items, ctx, layout, flow, (chunk, transfer) => parentPort?.postMessage(chunk, transfer), {
          ...(request.skip ? { skip: request.skip } : {}),
          ...(beat ? { beat } : {}),
          ...(pages ? { pages } : {}),
        }),
      )
      .finally(() => {
        flows.delete(request.id);
        beat?.busy(false);
      });
    return;
  }
  giveBack(request.buffers);
  const flow = flows.get(request.id);
  if (flow) written(flow);
});
