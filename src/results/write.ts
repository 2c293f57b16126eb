import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { JsonlFile } from '../render/csv.js';
import type { CallSummary, UtteranceRecord } from './codec.js';
import { type Candidate, type PagePolicy, PageShortlist, pageKeyOf } from './pages.js';

/** How a call's transcript goes into its line: kept for good, kept while it is a page candidate, or left out. */
export type TranscriptWrite = 'keep' | 'candidate' | 'omit';

/** A page candidate as the main thread keeps it: the record less its transcript, the transcript, where it was written. */
export interface PageCall {
  record: CallSummary | Record<string, unknown>;
  /** The line's `[…]` of utterances as UTF-8, or the utterances. */
  transcript: Uint8Array | readonly UtteranceRecord[];
  /** Where its `,"utterances":[…]` begins in results.jsonl, when written as a candidate's (stripped if it gets no page). */
  at?: number;
}

/**
 * Which calls' transcripts a run writes (results schema 2): every call's with --keep-transcripts; else
 * only the calls that may get a page, by the run's shortlist of candidates (results/pages.ts). A
 * candidate's transcript is written into its line at once (so that an interrupted run's results hold
 * it for --resume) and taken out again at the end if the call got no page (ResultsFile.commit).
 */
export class TranscriptKeeper {
  readonly shortlist: PageShortlist<PageCall>;

  constructor(readonly policy: PagePolicy) {
    this.shortlist = new PageShortlist<PageCall>(policy.limits);
  }

  /**
   * Decides for one call with its transcript at hand (`weight`: its texts' length; `transcript` made only
   * when it is kept): 'keep', 'candidate' (then `candidate.value.at` is to be set once written) or 'omit'.
   */
  consider(summary: CallSummary, weight: number, transcript: () => PageCall['transcript']): { how: TranscriptWrite; candidate?: Candidate<PageCall> } {
    const keep = this.policy.keepTranscripts;
    const candidate = this.shortlist.offerIf(pageKeyOf(summary), weight, () => ({ record: summary, transcript: transcript() }));
    if (!candidate) return { how: keep ? 'keep' : 'omit' };
    return { how: keep ? 'keep' : 'candidate', candidate };
  }
}

/** Bytes gathered before they are written. */
const FLUSH_BYTES = 1 << 20;

/**
 * results.jsonl as a run writes it: lines in the stable order, each call's transcript in its line or not
 * (TranscriptKeeper), the byte offset of every line known, so that at the end the candidates' transcripts
 * that got no page can be taken out (one pass over the file, only when there are any).
 */
export class ResultsFile {
  private readonly file: JsonlFile;
  private offset = 0;
  /** Every candidate's transcript written: [start, end) in the file, in order. */
  private readonly candidates: [number, number][] = [];
  /** Bytes taken and not yet written (a worker's buffers among them: flush before they go back). */
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  constructor(dir: string) {
    this.file = new JsonlFile(dir, 'results.jsonl');
  }

  get tempPath(): string {
    return this.file.tempPath;
  }

  get path(): string {
    return this.file.path;
  }

  /** A record that is not a call's (an error). */
  async writeRecord(record: unknown): Promise<void> {
    await this.writeBytes(Buffer.from(`${JSON.stringify(record)}\n`));
  }

  /** Bytes to write after what came before; written by flush (or once enough have gathered). */
  async writeBytes(bytes: Uint8Array): Promise<void> {
    this.take(bytes);
    await this.flushIfFull();
  }

  /** Writes what was taken once enough of it has gathered. */
  async flushIfFull(): Promise<void> {
    if (this.pendingBytes >= FLUSH_BYTES) await this.flush();
  }

  private take(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    this.offset += bytes.length;
  }

  /** Writes what was taken: before the buffers it came in are reused. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const bytes = this.pending.length === 1 ? (this.pending[0] as Uint8Array) : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    await this.file.writeBytes(bytes);
  }

  /**
   * A call's line (UTF-8, its newline included) whose transcript, if it has one, is `bytes` bytes from
   * `at`: taken with it or without it (written by flush). Returns where the transcript begins in the
   * file when taken as a candidate's.
   */
  writeCall(line: Uint8Array, transcript: { at: number; bytes: number } | undefined, how: TranscriptWrite): number | undefined {
    if (!transcript || how === 'keep') {
      this.take(line);
      return undefined;
    }
    const end = transcript.at + transcript.bytes;
    if (how === 'omit') {
      this.take(line.subarray(0, transcript.at));
      this.take(line.subarray(end));
      return undefined;
    }
    const at = this.offset + transcript.at;
    this.candidates.push([at, this.offset + end]);
    this.take(line);
    return at;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.file.close();
  }

  /**
   * Puts results.jsonl in place (after close), the transcripts of candidates that did not get a page
   * taken out: `paged` holds where the kept ones begin.
   */
  async commit(paged: ReadonlySet<number> = new Set()): Promise<void> {
    const strip = this.candidates.filter(([at]) => !paged.has(at));
    if (strip.length === 0) return this.file.commit();
    const stripped = `${this.file.tempPath}.stripped`;
    copyWithout(this.file.tempPath, stripped, strip, this.offset);
    await rename(stripped, this.file.path);
    await rm(this.file.tempPath, { force: true });
  }

  async discard(): Promise<void> {
    await this.file.discard();
    await rm(`${this.file.tempPath}.stripped`, { force: true });
  }
}

/** Bytes read, and gathered to be written, at a time when results.jsonl is copied without some of its ranges. */
const COPY_BYTES = 1 << 20;

/**
 * Copies `from` (`size` bytes) to `to` without the byte ranges `skip` (in order, not overlapping), a block
 * at a time: thousands of small ranges cost a few large reads and writes, not two system calls each. The
 * run's last step, when nothing else is under way: synchronous.
 */
function copyWithout(from: string, to: string, skip: readonly [number, number][], size: number): void {
  const input = openSync(from, 'r');
  const output = openSync(to, 'w');
  try {
    const block = Buffer.allocUnsafe(COPY_BYTES);
    const out = Buffer.allocUnsafe(COPY_BYTES);
    let pending = 0;
    let next = 0;
    for (let pos = 0; pos < size; ) {
      const read = readSync(input, block, 0, Math.min(COPY_BYTES, size - pos), pos);
      if (read === 0) throw new Error(`${from}: shorter than written (${pos} of ${size} bytes)`);
      const end = pos + read;
      // The kept stretches of [pos, end): up to each range to skip that starts here, then after it.
      for (let at = pos; at < end; ) {
        while (next < skip.length && (skip[next] as [number, number])[1] <= at) next++;
        const range = skip[next];
        const keepTo = range && range[0] < end ? Math.max(at, range[0]) : end;
        if (keepTo > at) {
          if (pending + (keepTo - at) > out.length) {
            writeSync(output, out, 0, pending);
            pending = 0;
          }
          pending += block.copy(out, pending, at - pos, keepTo - pos);
        }
        at = range && range[0] < end ? Math.min(end, Math.max(keepTo, range[1])) : end;
      }
      pos = end;
    }
    if (pending > 0) writeSync(output, out, 0, pending);
  } finally {
    closeSync(input);
    closeSync(output);
  }
}
