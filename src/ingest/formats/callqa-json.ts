import type { JsonFormat } from '../format.js';
import { isRecord } from '../format.js';
import { parseCallqaDocument } from '../json.js';
import { speakerFromLabel } from '../speakers.js';

const CALL_KEYS = ['call_id', 'agent', 'agent_id', 'agent_name', 'hangup_by', 'ring_seconds', 'started_at', 'direction'];

function looksLikeCall(value: unknown): boolean {
  if (!isRecord(value)) return false;
  // A written conversation: `messages` of {speaker, time, text} (with a channel or call keys beside them).
  if (value.segments === undefined && Array.isArray(value.messages)) return 'channel' in value || CALL_KEYS.some((k) => k in value);
  if (!Array.isArray(value.segments)) return false;
  if (CALL_KEYS.some((k) => k in value)) return true;
  // Without call keys: ours when every speaker is a role (Whisper-like files carry labels instead).
  return value.segments.length > 0 && value.segments.every((s) => isRecord(s) && typeof s.speaker === 'string' && speakerFromLabel(s.speaker) !== undefined);
}

const format: JsonFormat = {
  kind: 'json',
  name: 'callqa-json',
  title:
    "callqa's own JSON: one call {call_id, agent, hangup_by, segments[{speaker, start, end, text}]} or an array of them; a chat or social thread {call_id, agent, channel, messages[{speaker, time, text}]}",
  example: 'callqa score calls/',
  // An empty array is ours too, so that it is reported as empty rather than unrecognised.
  detect: (doc) => (Array.isArray(doc) ? doc.every(looksLikeCall) : looksLikeCall(doc)),
  parse: (doc, ctx) => parseCallqaDocument(doc, ctx.text, ctx.source),
};

export default format;
