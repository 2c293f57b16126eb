import type { SourceCall } from '../model/source.js';
import type { MetadataRecord } from './record.js';

/**
 * A second record for a call merges into the first one's place, field by field: a CTR and a plain CSV may each know
 * part of a call, and a copy lacking a field does not blank what another said. On top goes the record with the later
 * update time when both have one: the Amazon Connect record stream delivers a contact's record again each time it is
 * updated (after-contact work ended, a recording added), not always in order (Kinesis retries, Firehose batches),
 * and the copies may land in one file, several files of a folder, or several --metadata files. Otherwise (equal
 * times, or a record without one) the later to arrive goes on top. When update times decided, the merged record names
 * the newer copy's file and line; else it keeps the first's.
 */
function merge(into: MetadataRecord, record: MetadataRecord): void {
  const [then, now] = [into.updatedAt, record.updatedAt];
  const timed = then !== undefined && now !== undefined;
  const older = timed && now < then;
  into.facts = older ? { ...record.facts, ...into.facts } : { ...into.facts, ...record.facts };
  if (timed && !older) {
    into.source = record.source;
    if (record.line === undefined) delete into.line;
    else into.line = record.line;
  }
  if (now !== undefined && (then === undefined || now > then)) into.updatedAt = now;
}

/**
 * Call records by call id, joined to calls as they are scored. Records for the same id merge (see merge): the
 * later update, else the later file or line, winning field by field.
 * Every record that matched no call, and every call that had no record, is reported.
 */
export class MetadataIndex {
  private readonly byId = new Map<string, MetadataRecord>();
  private readonly used = new Set<MetadataRecord>();
  readonly records: MetadataRecord[] = [];

  add(record: MetadataRecord): void {
    const earlier = record.ids.map((id) => this.byId.get(id)).find((r) => r !== undefined);
    if (earlier) merge(earlier, record);
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
