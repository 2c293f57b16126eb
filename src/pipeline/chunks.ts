import { type InputItem, newTally } from '../ingest/index.js';
import { renderCall } from '../report/report-dir.js';
import { type CallRecord, callRecord, RESULTS_SCHEMA_VERSION, sourceNumbering } from '../report/results.js';
import type { ReportLayout } from '../report/tables.js';
import type { CallSummary, WorkerChunk, WorkerEntry } from './protocol.js';
import { type ScoreContext, scoreInput } from './score-input.js';

/** Calls in one chunk of an input's results. */
const CHUNK_CALLS = 100;
/** Chunks of an input that may wait to be written before its scorer stops to let them be. */
const CHUNKS_AHEAD = 4;
const encoder = new TextEncoder();
/** What comes just before a call's `seq` in its results.jsonl line (callRecord's key order; JSON escapes every quote inside a string). */
const BEFORE_SEQ = `"type":"call","schema_version":${RESULTS_SCHEMA_VERSION},"seq":`;

/** Bytes into a results.jsonl line where its `seq` digits begin. */
function seqOffset(line: string): number {
  const k = line.indexOf(BEFORE_SEQ);
  if (k < 0) throw new Error('a results line without its seq');
  return Buffer.byteLength(line.slice(0, k + BEFORE_SEQ.length));
}

/**
 * The record less its utterances, its keys in their order. A loop, not `{ utterances, ...rest }`: V8
 * builds an object rest of a record's twenty-odd keys several times slower, and this runs per call.
 */
function summaryOf(record: CallRecord): CallSummary {
  const summary: Record<string, unknown> = {};
  for (const key in record) if (key !== 'utterances') summary[key] = record[key as keyof CallRecord];
  return summary as unknown as CallSummary;
}

/**
 * Buffers the main thread has written and handed back. Text is encoded into them rather than into new
 * ones: the main thread writes ~6 KB a call, and buffers it dropped would wait there for its garbage
 * collector (tens of MB of them at a time) before their memory came back.
 */
const pool: ArrayBuffer[] = [];
const POOLED = 16;
const MIN_BUFFER = 64 * 1024;

/** The buffers of a written chunk, back to be filled again. */
export function giveBack(buffers: readonly ArrayBuffer[]): void {
  for (const buffer of buffers) if (pool.length < POOLED && buffer.byteLength > 0) pool.push(buffer);
}

/** Text as UTF-8 in a buffer of its own (from the pool when one is large enough); `need` its length in UTF-8 when known. */
function encode(text: string, need = Buffer.byteLength(text)): Uint8Array {
  const k = pool.findIndex((b) => b.byteLength >= need);
  const buffer = k >= 0 ? (pool.splice(k, 1)[0] as ArrayBuffer) : new ArrayBuffer(Math.max(need, MIN_BUFFER));
  const view = new Uint8Array(buffer, 0, need);
  encoder.encodeInto(text, view);
  return view;
}

/** Chunks of one input sent and not yet written, and the scorer waiting for that number to drop. */
export interface Flow {
  count: number;
  wake?: (() => void) | undefined;
}

/** The main thread has written one more of the input's chunks: its scorer may go on. */
export function written(flow: Flow): void {
  flow.count--;
  const wake = flow.wake;
  flow.wake = undefined;
  wake?.();
}

/**
 * Scores one input and hands its report text over in chunks of CHUNK_CALLS calls, rendered to UTF-8
 * bytes (the same bytes whichever thread renders them): `send` gets each chunk and the buffers it
 * may transfer. Once CHUNKS_AHEAD chunks wait to be written, scoring stops until one is (`written`),
 * so a worker ahead of the writer never piles results up in memory.
 */
export async function scoreToChunks(
  id: number,
  item: InputItem,
  ctx: ScoreContext,
  layout: ReportLayout,
  flow: Flow,
  send: (chunk: WorkerChunk, transfer: ArrayBuffer[]) => void,
): Promise<void> {
  const tally = newTally();
  let entries: WorkerEntry[] = [];
  let results = '';
  let resultsBytes = 0; // its UTF-8 length: the sum of its lines'
  let calls = '';
  let findings = '';
  let inChunk = 0;
  const flush = async (done: boolean, failure?: string) => {
    // Each into a buffer of its own, so it can be handed over rather than copied (and comes back once written).
    const bytes = { results: encode(results, resultsBytes), calls: encode(calls), findings: encode(findings) };
    const chunk: WorkerChunk = {
      id,
      entries,
      ...bytes,
      done,
      partial: item.kind === 'file' && item.part !== undefined && !item.part.last,
      repaired: done ? tally.repaired : 0,
      ...(failure ? { failure } : {}),
    };
    entries = [];
    results = '';
    resultsBytes = 0;
    calls = '';
    findings = '';
    inChunk = 0;
    flow.count++;
    send(chunk, [bytes.results.buffer as ArrayBuffer, bytes.calls.buffer as ArrayBuffer, bytes.findings.buffer as ArrayBuffer]);
    while (!done && flow.count >= CHUNKS_AHEAD) await new Promise<void>((wake) => (flow.wake = wake));
  };
  const placeInSource = sourceNumbering();
  try {
    for await (const scored of scoreInput(item, ctx, tally)) {
      if (scored.error) {
        entries.push({ error: scored.error });
        continue;
      }
      const record = callRecord(scored.result, scored.prepared, placeInSource(scored.result.source));
      const text = renderCall(record, layout);
      const lineBytes = Buffer.byteLength(text.results);
      resultsBytes += lineBytes;
      const entry: Extract<WorkerEntry, { bytes: number }> = { call: summaryOf(record), bytes: lineBytes, metadata: scored.metadata };
      if (scored.matchedId !== undefined) entry.matchedId = scored.matchedId;
      // Only later parts need their numbers put right (the first part starts the file's numbering).
      if (item.kind === 'file' && item.part && item.part.index > 0) entry.seqAt = seqOffset(text.results);
      entries.push(entry);
      results += text.results;
      calls += text.calls;
      findings += text.findings;
      if (++inChunk >= CHUNK_CALLS) await flush(false);
    }
    await flush(true);
  } catch (err) {
    await flush(true, (err as Error).stack ?? String(err));
  }
}
