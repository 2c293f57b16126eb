import type { SourceCall } from '../model/source.js';
import type { MetadataRecord } from './record.js';

/**
 * Call records by call id, joined to calls as they are scored. Records for the same id merge,
 * later files winning field by field (a CTR and a plain CSV may each know part of a call).
 * Every record that matched no call, and every call that had no record, is reported.
 */
export class MetadataIndex {
  private readonly byId = new Map<string, MetadataRecord>();
  private readonly used = new Set<MetadataRecord>();
  readonly records: MetadataRecord[] = [];

  add(record: MetadataRecord): void {
    const earlier = record.ids.map((id) => this.byId.get(id)).find((r) => r !== undefined);
    if (earlier) earlier.facts = { ...earlier.facts, ...record.facts };
    else this.records.push(record);
    for (const id of record.ids) this.byId.set(id, earlier ?? record);
  }

  get size(): number {
    return this.records.length;
  }

  /** The record for a call id; failing an exact match, the record whose id begins the call id (`<contactId>_analysis_….json`). */
  find(callId: string): MetadataRecord | undefined {
    const exact = this.byId.get(callId);
    if (exact) return exact;
    for (let i = callId.length - 1; i > 0; i--) {
      const ch = callId[i];
      if (ch !== '_' && ch !== '.') continue;
      const record = this.byId.get(callId.slice(0, i));
      if (record) return record;
    }
    return undefined;
  }

  /** Applies the record's facts over the transcript's; returns the record's first id, undefined when none matched. */
  apply(call: SourceCall): string | undefined {
    const record = this.find(call.id);
    if (!record) return undefined;
    this.used.add(record);
    const f = record.facts;
    if (f.agentId !== undefined) call.agent.id = f.agentId;
    if (f.agentName !== undefined) call.agent.name = f.agentName;
    if (f.hangupBy !== undefined && (f.hangupBy !== 'unknown' || call.hangupBy === 'unknown')) call.hangupBy = f.hangupBy;
    if (f.ringSeconds !== undefined) call.ringSeconds = f.ringSeconds;
    if (f.startedAt !== undefined) call.startedAt = f.startedAt;
    if (f.queue !== undefined) call.queue = f.queue;
    if (f.direction !== undefined) call.direction = f.direction;
    return record.ids[0] ?? '';
  }

  /** A record a worker thread matched (it holds an index of its own). */
  markUsed(id: string): void {
    const record = this.byId.get(id);
    if (record) this.used.add(record);
  }

  unmatched(): MetadataRecord[] {
    return this.records.filter((r) => !this.used.has(r));
  }
}
