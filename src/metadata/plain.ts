import { parseHangupBy, parseId, parseRingSeconds, parseStartedAt } from '../ingest/call-fields.js';
import type { CallFacts } from './record.js';

/** Canonical metadata fields and the column names (English and Chinese) that mean them. */
export const METADATA_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  call_id: ['call_id', 'callid', '通话id', '通话编号', '录音编号', 'contactid', 'uuid'],
  agent_id: ['agent_id', '坐席工号', '工号', '坐席id'],
  agent_name: ['agent_name', '坐席姓名', '坐席名称', '姓名'],
  hangup_by: ['hangup_by', '挂机方'],
  ring_seconds: ['ring_seconds', '振铃时长', '振铃秒数'],
  started_at: ['started_at', '开始时间', '呼叫时间'],
  queue: ['queue', '队列', '技能组'],
  direction: ['direction', '呼叫方向', '呼叫类型'],
};

/** Maps a record's own keys to canonical ones; unknown keys are ignored (exports carry many). */
export function canonicalKeys(keys: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const key of keys) {
    const folded = key.trim().toLowerCase();
    for (const [canonical, names] of Object.entries(METADATA_COLUMNS)) {
      if (names.includes(folded) && !out.has(canonical)) out.set(canonical, key);
    }
  }
  return out;
}

/** A plain record (a CSV row or a JSON object with canonical names). Throws InputProblem on a bad value. */
export function factsFromPlain(row: Record<string, unknown>, line?: number): { ids: string[]; facts: CallFacts } {
  const keys = canonicalKeys(Object.keys(row));
  const get = (canonical: string) => {
    const key = keys.get(canonical);
    return key === undefined ? undefined : row[key];
  };
  const facts: CallFacts = {};
  const id = parseId(get('call_id'), 'call_id', line);
  const agentId = parseId(get('agent_id'), 'agent_id', line);
  const agentName = parseId(get('agent_name'), 'agent_name', line);
  if (agentId !== undefined) facts.agentId = agentId;
  if (agentName !== undefined) facts.agentName = agentName;
  if (get('hangup_by') !== undefined && get('hangup_by') !== '') facts.hangupBy = parseHangupBy(get('hangup_by'), 'hangup_by', line);
  const ring = parseRingSeconds(get('ring_seconds'), 'ring_seconds', line);
  if (ring !== undefined) facts.ringSeconds = ring;
  const started = parseStartedAt(get('started_at'), 'started_at', line);
  if (started !== undefined) facts.startedAt = started;
  const queue = parseId(get('queue'), 'queue', line);
  if (queue !== undefined) facts.queue = queue;
  const direction = parseId(get('direction'), 'direction', line);
  if (direction !== undefined) facts.direction = direction.toLowerCase();
  return { ids: id === undefined ? [] : [id], facts };
}
