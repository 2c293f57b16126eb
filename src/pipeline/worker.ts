import { parentPort, workerData } from 'node:worker_threads';
import { newTally } from '../ingest/index.js';
import type { InputItem } from '../ingest/index.js';
import { MetadataIndex } from '../metadata/join.js';
import { loadMetadataFile } from '../metadata/load.js';
import { callRecord } from '../report/results.js';
import { loadRubric } from '../rubric/load.js';
import { greetingMatchersOf } from '../rules/greeting.js';
import type { WorkerInit, WorkerOutput, WorkerReply, WorkerTask } from './protocol.js';
import { type ScoreContext, scoreInput } from './score-input.js';

/**
 * A scoring worker: loads the rubric (and call records) itself once, then scores whole inputs sent
 * by the main thread and returns their records; the main thread writes them in input order.
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

const ready = context(workerData as WorkerInit);

parentPort?.on('message', async (task: WorkerTask) => {
  const ctx = await ready;
  const tally = newTally();
  const outputs: WorkerOutput[] = [];
  let seq = 0;
  let source: string | undefined;
  try {
    for await (const scored of scoreInput(task.item as InputItem, ctx, tally)) {
      if (scored.error) {
        outputs.push({ error: scored.error });
        continue;
      }
      if (scored.result.source !== source) {
        source = scored.result.source;
        seq = 0;
      }
      outputs.push({
        record: callRecord(scored.result, scored.prepared, seq++),
        metadata: scored.metadata,
        ...(scored.matchedId === undefined ? {} : { matchedId: scored.matchedId }),
      });
    }
    const reply: WorkerReply = { id: task.id, outputs, repaired: tally.repaired };
    parentPort?.postMessage(reply);
  } catch (err) {
    const reply: WorkerReply = { id: task.id, outputs, repaired: tally.repaired, failure: (err as Error).stack ?? String(err) };
    parentPort?.postMessage(reply);
  }
});
