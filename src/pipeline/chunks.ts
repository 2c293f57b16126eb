import { type InputItem, newTally } from '../ingest/index.js';
import { errorSummary } from './not-scored.js';
import { summaryRows } from '../run/report-dir.js';
import { callSummaryAndHead, UTTERANCES_KEY, utteranceJsonBound, writeUtteranceJson } from '../results/codec.js';
import { pageKeyOf, type PagePolicy, PageShortlist, transcriptWeight } from '../results/pages.js';
import { sourceNumbering } from '../results/order.js';
import type { ReportLayout } from '../render/tables.js';
import type { NormalisedText, PreparedCall } from '../model/call.js';
import type { CallSummary, WorkerChunk, WorkerEntry } from './protocol.js';
import { type ScoreContext, scoreInput } from './score-input.js';

/** Calls in one chunk of an input's results. */
const CHUNK_CALLS = 100;
/** Chunks of an input that may wait to be written before its scorer stops to let them be. */
const CHUNKS_AHEAD = 4;
const encoder = new TextEncoder();
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

/** A buffer of at least `need` bytes: from the pool when one is large enough. */
function buffer(need: number): ArrayBuffer {
  const k = pool.findIndex((b) => b.byteLength >= need);
  return k >= 0 ? (pool.splice(k, 1)[0] as ArrayBuffer) : new ArrayBuffer(Math.max(need, MIN_BUFFER));
}

/**
 * UTF-8 text gathered in a buffer as it comes, each piece encoded at once: the strings die young
 * (a chunk's hundred calls held as strings until the chunk was full survived scavenges, which copied
 * them, and were promoted, which cost mark-compacts). `take` hands the bytes over and starts afresh.
 */
class Utf8Sink {
  private bytes = new Uint8Array(0);
  private length = 0;

  /** Bytes appended since the last take. */
  get size(): number {
    return this.length;
  }

  /** Makes room for `n` more bytes. */
  private reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.bytes.length) return;
    const grown = new Uint8Array(buffer(Math.max(need, 2 * this.bytes.length)));
    grown.set(this.bytes.subarray(0, this.length));
    if (this.bytes.byteLength > 0) giveBack([this.bytes.buffer as ArrayBuffer]);
    this.bytes = grown;
  }

  /** Appends text; returns its length in UTF-8 (the encoder counts it: no second pass over the text). */
  append(text: string): number {
    // Room for the longest UTF-8 the text can have: three bytes a UTF-16 unit.
    this.reserve(3 * text.length);
    const { written } = encoder.encodeInto(text, this.bytes.subarray(this.length));
    this.length += written;
    return written;
  }

  /**
   * Appends a call's utterances as its results line holds them (`[…]`), written straight into the bytes:
   * no string an utterance, and no line of a few KB made only to be encoded.
   */
  appendUtterances(utterances: PreparedCall['utterances']): void {
    this.reserve(1);
    this.bytes[this.length++] = 0x5b;
    for (let k = 0; k < utterances.length; k++) {
      const u = utterances[k] as PreparedCall['utterances'][number];
      this.reserve(utteranceJsonBound(u));
      this.length = writeUtteranceJson(u, k === 0, this.bytes, this.length);
    }
    this.reserve(1);
    this.bytes[this.length++] = 0x5d;
  }

  /** The bytes appended since the last take, in a buffer of their own (to be transferred). */
  take(): Uint8Array {
    const taken = this.bytes.subarray(0, this.length);
    this.bytes = new Uint8Array(0);
    this.length = 0;
    return taken.byteLength > 0 ? taken : new Uint8Array(buffer(0), 0, 0);
  }
}

/** What a finished call's utterances keep in place of their texts. */
const LET_GO: NormalisedText = Object.freeze({ text: '', toOriginal: new Uint32Array(0) });

/**
 * A call scored and rendered lets its utterances' texts go, so that whatever still holds the call until the
 * next collection (the rules' one-slot memos of the last call, see util/last-call.ts) holds no text: the
 * texts are most of a call's bytes, and a scavenge copies what is alive (bench/RESULTS.md, issue 16). Only
 * the pipeline's own call (a fresh one from resolveRoles, read by no one once rendered) is let go.
 */
function letGo(call: PreparedCall): void {
  for (const u of call.utterances) {
    u.text = '';
    u.norm = LET_GO;
  }
}

/** Chunks of one input sent and not yet written, and the scorer waiting for that number to drop. */
export interface Flow {
  count: number;
  wake?: (() => void) | undefined;
}

/**
 * What scoring tells whoever watches it (the worker's watch, read by the main thread for
 * --input-timeout): an input begins, and scoring is under way or waits for the writer.
 */
export interface Beat {
  item(id: number, index: number, item: InputItem): void;
  busy(on: boolean): void;
  /** The input under way has given this many entries (only where a debugging hook wants to know). */
  entry?(item: InputItem, entries: number): void;
}

/** A worker's page policy and its own shortlist of page candidates, over every input it scores. */
export interface WorkerPages {
  policy: PagePolicy;
  shortlist: PageShortlist<null>;
}

export function workerPages(policy: PagePolicy): WorkerPages {
  return { policy, shortlist: new PageShortlist<null>(policy.limits) };
}

/**
 * Whether a call's line carries its transcript (then its weight, else undefined): every call's with --keep-transcripts, else a candidate's
 * for a page among the calls this worker has scored. The pages of the whole run are, among this worker's
 * calls, a prefix of its own attention order (results/pages.ts): every call that may get a page is sent
 * with its transcript, and the main thread's shortlist decides. A part of a big file numbers its calls
 * from 0: its index orders it among the file's parts.
 */
function keptTranscript(summary: CallSummary, item: InputItem, call: PreparedCall, pages: WorkerPages | undefined): number | undefined {
  const weight = transcriptWeight(call.utterances);
  if (!pages || pages.policy.keepTranscripts) return weight;
  const key = pageKeyOf(summary, item.kind === 'file' ? item.part?.index : undefined);
  return pages.shortlist.offerIf(key, weight, () => null) ? weight : undefined;
}

/** The main thread has written one more of the input's chunks: its scorer may go on. */
export function written(flow: Flow): void {
  flow.count--;
  const wake = flow.wake;
  flow.wake = undefined;
  wake?.();
}

/**
 * Scores a task's inputs (one, or several small ones one after another) and hands their report text
 * over in chunks of CHUNK_CALLS calls, rendered to UTF-8 bytes (the same bytes whichever thread
 * renders them): `send` gets each chunk and the buffers it may transfer. Once CHUNKS_AHEAD chunks wait
 * to be written, scoring stops until one is (`written`), so a worker ahead of the writer never piles
 * results up in memory.
 */
export async function scoreToChunks(
  id: number,
  items: readonly InputItem[],
  ctx: ScoreContext,
  layout: ReportLayout,
  flow: Flow,
  send: (chunk: WorkerChunk, transfer: ArrayBuffer[]) => void,
  options: { skip?: number; beat?: Beat; pages?: WorkerPages } = {},
): Promise<void> {
  const { beat } = options;
  let skip = options.skip ?? 0;
  /** The input under way (its index in the task), and its entries so far (skipped ones included). */
  let index = -1;
  let itemEntries = 0;
  let repairedBefore = 0;
  const tally = newTally();
  let entries: WorkerEntry[] = [];
  // Each into a buffer of its own, so it can be handed over rather than copied (and comes back once written).
  const results = new Utf8Sink();
  const calls = new Utf8Sink();
  const findings = new Utf8Sink();
  let inChunk = 0;
  /** A part of a file that is not its last: the file is not done when the task is. */
  const partial = items.some((item) => item.kind === 'file' && item.part !== undefined && !item.part.last);
  const flush = async (done: boolean, failure?: { failure: string; reason: string }) => {
    const bytes = { results: results.take(), calls: calls.take(), findings: findings.take() };
    const chunk: WorkerChunk = {
      id,
      entries,
      ...bytes,
      done,
      partial,
      inputs: items.length,
      item: Math.max(0, index),
      itemEntries,
      repairedBefore,
      repaired: done ? tally.repaired : 0,
      ...failure,
    };
    entries = [];
    inChunk = 0;
    flow.count++;
    send(chunk, [bytes.results.buffer as ArrayBuffer, bytes.calls.buffer as ArrayBuffer, bytes.findings.buffer as ArrayBuffer]);
    if (!done && flow.count >= CHUNKS_AHEAD) {
      beat?.busy(false);
      while (flow.count >= CHUNKS_AHEAD) await new Promise<void>((wake) => (flow.wake = wake));
      beat?.busy(true);
    }
  };
  const placeInSource = sourceNumbering();
  /** The input under way: a failure names it. */
  let current: InputItem | undefined;
  try {
    for (const item of items) {
      current = item;
      index++;
      itemEntries = 0;
      repairedBefore = tally.repaired;
      beat?.item(id, index, item);
      for await (const scored of scoreInput(item, ctx, tally)) {
        itemEntries++;
        beat?.entry?.(item, itemEntries);
        if (skip > 0) {
          // Written already by an earlier attempt: numbered, not sent again.
          skip--;
          if (!scored.error) placeInSource(scored.result.source);
          continue;
        }
        if (scored.error) {
          entries.push({ error: scored.error });
          continue;
        }
        // The call's summary and results line, made without the record, written into the bytes as it goes: the
        // summary's JSON up to its seq, the seq, the rest but its last brace, the transcript if kept, the brace.
        const { summary, head, seqAt } = callSummaryAndHead(scored.result, scored.prepared, placeInSource(scored.result.source));
        const start = results.size;
        const beforeSeq = results.append(head.slice(0, seqAt));
        results.append(head.slice(seqAt, head.length - 1));
        const weight = keptTranscript(summary, item, scored.prepared, options.pages);
        const transcript = weight === undefined ? undefined : results.size - start;
        if (transcript !== undefined) {
          results.append(UTTERANCES_KEY);
          results.appendUtterances(scored.prepared.utterances);
        }
        results.append('}\n');
        letGo(scored.prepared);
        const entry: Extract<WorkerEntry, { bytes: number }> = { call: summary, bytes: results.size - start, metadata: scored.metadata };
        if (transcript !== undefined) entry.transcript = { at: transcript, bytes: results.size - start - 2 - transcript, weight: weight as number };
        if (scored.matchedId !== undefined) entry.matchedId = scored.matchedId;
        // Only later parts need their numbers put right (the first part starts the file's numbering).
        if (item.kind === 'file' && item.part && item.part.index > 0) entry.seqAt = beforeSeq;
        entries.push(entry);
        const rows = summaryRows(summary, layout);
        calls.append(rows.calls);
        findings.append(rows.findings);
        if (++inChunk >= CHUNK_CALLS) await flush(false);
      }
    }
    await flush(true);
  } catch (err) {
    const where =
      current === undefined || current.kind === 'stdin'
        ? 'standard input'
        : `${current.path}${current.kind === 'file' && current.part ? ` (part ${current.part.index + 1}, from line ${current.part.line})` : ''}`;
    await flush(true, { failure: `${where}: ${(err as Error).stack ?? String(err)}`, reason: errorSummary(err) });
  }
}
