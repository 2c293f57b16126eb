import { parentPort, workerData } from 'node:worker_threads';
import { newTally } from '../ingest/index.js';
import { MetadataIndex } from '../metadata/join.js';
import { loadMetadataFile } from '../metadata/load.js';
import { renderCall } from '../report/report-dir.js';
import { callRecord } from '../report/results.js';
import { reportLayout } from '../report/tables.js';
import { loadRubric } from '../rubric/load.js';
import { greetingMatchersOf } from '../rules/greeting.js';
import type { WorkerChunk, WorkerEntry, WorkerInit, WorkerRequest } from './protocol.js';
import { type ScoreContext, scoreInput } from './score-input.js';
import { watchMemory } from '../util/memory-debug.js';

/**
 * A scoring worker: loads the rubric (and call records) itself once, then scores the inputs the
 * main thread sends and returns their report text in chunks, rendered here so that the main thread
 * only writes. A chunk the main thread has not yet written holds the worker back once
 * CHUNKS_AHEAD are waiting, so a fast worker never piles results up in memory.
 */
const CHUNK_CALLS = 100;
const encoder = new TextEncoder();
const CHUNKS_AHEAD = 4;

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
const ready = context(workerData as WorkerInit);

/** Per input: chunks sent and not yet written by the main thread, and who waits for that to drop. */
const unacked = new Map<number, { count: number; wake?: () => void }>();

async function score(id: number, item: Extract<WorkerRequest, { type: 'task' }>['item']): Promise<void> {
  const ctx = await ready;
  const layout = reportLayout(ctx.rubric);
  const tally = newTally();
  const flow = { count: 0 } as { count: number; wake?: () => void };
  unacked.set(id, flow);
  let entries: WorkerEntry[] = [];
  let results = '';
  let calls = '';
  let findings = '';
  let inChunk = 0;
  const send = async (done: boolean, failure?: string) => {
    // Encoded here, where the work is spread over cores; each into a buffer of its own, so it can be handed over.
    const bytes = { results: encoder.encode(results), calls: encoder.encode(calls), findings: encoder.encode(findings) };
    const chunk: WorkerChunk = { id, entries, ...bytes, done, repaired: done ? tally.repaired : 0, ...(failure ? { failure } : {}) };
    entries = [];
    results = '';
    calls = '';
    findings = '';
    inChunk = 0;
    flow.count++;
    parentPort?.postMessage(chunk, [bytes.results.buffer, bytes.calls.buffer, bytes.findings.buffer]);
    while (!done && flow.count >= CHUNKS_AHEAD) await new Promise<void>((wake) => (flow.wake = wake));
  };
  let seq = 0;
  let source: string | undefined;
  try {
    for await (const scored of scoreInput(item, ctx, tally)) {
      if (scored.error) {
        entries.push({ error: scored.error });
        continue;
      }
      if (scored.result.source !== source) {
        source = scored.result.source;
        seq = 0;
      }
      const record = callRecord(scored.result, scored.prepared, seq++);
      const text = renderCall(record, layout);
      const { utterances: _utterances, ...summary } = record;
      entries.push({
        call: summary,
        bytes: Buffer.byteLength(text.results),
        metadata: scored.metadata,
        ...(scored.matchedId === undefined ? {} : { matchedId: scored.matchedId }),
      });
      results += text.results;
      calls += text.calls;
      findings += text.findings;
      if (++inChunk >= CHUNK_CALLS) await send(false);
    }
    await send(true);
  } catch (err) {
    await send(true, (err as Error).stack ?? String(err));
  } finally {
    unacked.delete(id);
  }
}

parentPort?.on('message', (request: WorkerRequest) => {
  if (request.type === 'task') {
    void score(request.id, request.item);
    return;
  }
  const flow = unacked.get(request.id);
  if (!flow) return;
  flow.count--;
  const wake = flow.wake;
  flow.wake = undefined;
  wake?.();
});
