/**
 * Call ids used by more than one call in a run (two sources that both hold `C-1`, or one source that
 * repeats it). Every such call is scored; the ids are listed on stderr and in run.json
 * (`duplicate_call_ids`), so that a join on call id downstream is not silently wrong.
 */

import { translator } from '../i18n/format.js';
import { DEFAULT_LANG, type Lang } from '../i18n/lang.js';
import { printable } from '../util/format.js';

/** One call id used more than once: the sources of its calls, in the order met (a source repeats when it holds the id twice). */
export interface DuplicateCallId {
  call_id: string;
  sources: string[];
}

/** run.json lists at most this many ids, and this many sources for each; the count covers them all. */
export const DUPLICATES_LISTED = 100;
export const SOURCES_LISTED = 10;
/** stderr names at most this many. */
const DUPLICATES_PRINTED = 10;

export class DuplicateCallIds {
  /**
   * Each id seen: the index in `sources` of its first call's source, or -1 once the id is known to
   * repeat. Memory: one entry an id (some 60 bytes with the id, measured over a million ids).
   */
  private readonly seen = new Map<string, number>();
  /**
   * The sources met, one entry a run of calls from one source (calls come source by source): the string
   * of the run's first call, so that the calls of a source (each a copy, from a worker) are not all kept.
   */
  private readonly sources: string[] = [];
  private readonly listed = new Map<string, DuplicateCallId>();
  /** Call ids used by more than one call (listed or not). */
  count = 0;

  add(callId: string, source: string): void {
    const first = this.seen.get(callId);
    if (first === undefined) {
      if (this.sources[this.sources.length - 1] !== source) this.sources.push(source);
      this.seen.set(callId, this.sources.length - 1);
      return;
    }
    if (first !== -1) {
      this.count++;
      this.seen.set(callId, -1);
      if (this.listed.size < DUPLICATES_LISTED) this.listed.set(callId, { call_id: callId, sources: [this.sources[first] as string, source] });
      return;
    }
    const entry = this.listed.get(callId);
    if (entry && entry.sources.length < SOURCES_LISTED) entry.sources.push(source);
  }

  /** The ids listed, in the order their second call was met. */
  list(): DuplicateCallId[] {
    return [...this.listed.values()];
  }

  /** What run.json gains: nothing without duplicates; else the list (at most DUPLICATES_LISTED) and the count of them all. */
  runInfo(): { duplicate_call_ids?: DuplicateCallId[]; duplicate_call_id_count?: number } {
    return this.count === 0 ? {} : { duplicate_call_ids: this.list(), duplicate_call_id_count: this.count };
  }

  /** The note for stderr in `lang` (empty without duplicates): how many ids repeat, the first few with their sources. */
  describe(lang: Lang = DEFAULT_LANG): string {
    if (this.count === 0) return '';
    const say = translator(lang);
    const n = this.count;
    const lines = [`callqa: ${say(n === 1 ? 'duplicates.note.one' : 'duplicates.note.other', { count: n, file: 'run.json', field: 'duplicate_call_ids' })}\n`];
    for (const d of this.list().slice(0, DUPLICATES_PRINTED)) {
      lines.push(`  ${JSON.stringify(printable(d.call_id))}: ${d.sources.map(printable).join(', ')}\n`);
    }
    if (n > DUPLICATES_PRINTED) lines.push(`  ${say('duplicates.more', { count: n - DUPLICATES_PRINTED })}\n`);
    return lines.join('');
  }
}
