import type { SourceCall, SourceUtterance } from '../model/source.js';
import { messageUtterances } from './chat-messages.js';
import { BACKWARDS, parseChannelField, parseDirection, parseHangupBy, parseId, parseRingSeconds, parseStartedAt, timeProblem } from './call-fields.js';
import { fileStem, isRecord } from './format.js';
import { type InputMessage, InputProblem, msg, reason } from './errors.js';
import { MAX_SEGMENTS_PER_CALL, tooManySegments } from './limits.js';
import { describeJsonSyntaxError } from './json-locate.js';
import { formatPath, type JsonPath, JsonProblem, jsonProblemError } from './json-problem.js';
import type { Parsed } from './parsed.js';
import { SUGGESTED_LABELS, speakerFromLabel } from './speakers.js';

type Path = JsonPath;

const SEGMENT = '{speaker, start, end, text}';

/** A place's reason without the place (`header x: problem` → `problem`); undefined for a reason of another shape. */
function withoutPlace(said: InputMessage | undefined): InputMessage | string | undefined {
  const inner = said?.key === 'input.at-path' ? said.params?.problem : undefined;
  return typeof inner === 'string' || (typeof inner === 'object' && !Array.isArray(inner)) ? (inner as InputMessage | string) : undefined;
}

function seconds(value: unknown, path: () => Path): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new JsonProblem(msg('input.time-negative', { value: String(JSON.stringify(value)) }), path());
  }
  const problem = timeProblem(value);
  if (problem !== undefined) throw new JsonProblem(problem, path());
  return value;
}

/** Runs a field parser from call-fields and re-throws its complaint with the key path. */
function field<T>(path: Path, parse: (value: unknown, where: string) => T, value: unknown): T {
  try {
    return parse(value, formatPath(path));
  } catch (err) {
    // The parser named the place as it was given; the key path takes its place.
    if (err instanceof InputProblem) throw new JsonProblem(withoutPlace(err.said) ?? err.message.replace(/^[^:]*: /, ''), path);
    throw err;
  }
}

function utterances(value: unknown, base: Path): SourceUtterance[] {
  const path = [...base, 'segments'];
  if (!Array.isArray(value)) throw new JsonProblem(msg('input.json-segments-array', { shape: SEGMENT }), path);
  if (value.length === 0) throw new JsonProblem(msg('input.json-no-segments'), path);
  // Before a segment is built: a call this long is listed, not scored (limits.ts).
  if (value.length > MAX_SEGMENTS_PER_CALL) throw new JsonProblem(tooManySegments(value.length), path);
  const out: SourceUtterance[] = new Array(value.length);
  let timed: boolean | undefined;
  // Key paths are built only for a complaint: a segment that is fine costs no arrays.
  const at = (k: number, ...keys: string[]): Path => [...path, k, ...keys];
  for (let k = 0; k < value.length; k++) {
    const seg: unknown = value[k];
    if (!isRecord(seg)) throw new JsonProblem(msg('input.json-segment-object', { shape: SEGMENT }), at(k));
    const label = seg.speaker;
    const speaker = typeof label === 'string' ? speakerFromLabel(label) : undefined;
    if (!speaker) throw new JsonProblem(msg('input.speaker', { label: String(JSON.stringify(label)), ...SUGGESTED_LABELS }), at(k, 'speaker'));
    if (typeof seg.text !== 'string') throw new JsonProblem(msg('input.json-text-string', { value: String(JSON.stringify(seg.text)) }), at(k, 'text'));
    const start = seconds(seg.start, () => at(k, 'start'));
    const end = seconds(seg.end, () => at(k, 'end'));
    const hasTimes = start !== undefined || end !== undefined;
    if (hasTimes && (start === undefined || end === undefined)) {
      throw new JsonProblem(msg('input.json-start-end-pair'), at(k, start === undefined ? 'start' : 'end'));
    }
    if (timed !== undefined && timed !== hasTimes) {
      throw new JsonProblem(msg('input.json-start-end-all'), at(k));
    }
    timed = hasTimes;
    if (start !== undefined && end !== undefined && end < start) {
      throw new JsonProblem(msg('input.end-before-start-bare', { end: String(end), start: String(start) }), at(k, 'end'));
    }
    // Segments are in time order: one that starts before the segment above is misplaced.
    const previousStart = k > 0 ? out[k - 1]?.start : undefined;
    if (start !== undefined && previousStart !== undefined && start < previousStart) throw new JsonProblem(BACKWARDS, at(k, 'start'));
    const u: SourceUtterance = { role: speaker, text: seg.text };
    if (start !== undefined) u.start = start;
    if (end !== undefined) u.end = end;
    out[k] = u;
  }
  return out;
}

/** Validates one call object of the JSON format. Throws JsonProblem naming the key path. */
function callFromJson(value: unknown, base: Path, source: string, fallbackId: string): SourceCall {
  if (!isRecord(value)) throw new JsonProblem(msg('input.json-call-object', { shape: '{call_id, agent, segments, …}' }), base);
  const agentValue = value.agent;
  if (agentValue !== undefined && agentValue !== null && !isRecord(agentValue)) {
    throw new JsonProblem(msg('input.json-agent-object', { shape: '{id, name}' }), [...base, 'agent']);
  }
  const agentRecord = isRecord(agentValue) ? agentValue : {};
  const agent: SourceCall['agent'] = {};
  const agentId = field([...base, 'agent', 'id'], parseId, agentRecord.id ?? value.agent_id);
  const agentName = field([...base, 'agent', 'name'], parseId, agentRecord.name ?? value.agent_name);
  if (agentId !== undefined) agent.id = agentId;
  if (agentName !== undefined) agent.name = agentName;
  const channel = field([...base, 'channel'], parseChannelField, value.channel);
  // A written conversation (`messages`) instead of speech (`segments`): written service unless it says voice.
  const written = value.segments === undefined && value.messages !== undefined ? messageUtterances(value.messages, base) : undefined;
  const call: SourceCall = {
    format: 'callqa-json',
    id: field([...base, 'call_id'], parseId, value.call_id) ?? fallbackId,
    source,
    agent,
    hangupBy: field([...base, 'hangup_by'], parseHangupBy, value.hangup_by),
    utterances: written?.utterances ?? utterances(value.segments, base),
  };
  if (channel !== undefined || written) call.channel = channel ?? 'chat';
  const ring = field([...base, 'ring_seconds'], parseRingSeconds, value.ring_seconds);
  if (ring !== undefined) call.ringSeconds = ring;
  const started = field([...base, 'started_at'], parseStartedAt, value.started_at) ?? written?.startedAt;
  if (started !== undefined) call.startedAt = started;
  const direction = field([...base, 'direction'], parseDirection, value.direction);
  if (direction !== undefined) call.direction = direction;
  return call;
}

/** A `.json` file: one call, or an array of calls. A bad call in an array does not sink the others. */
export function* parseJsonText(text: string, source: string): Generator<Parsed> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    const { line, said } = describeJsonSyntaxError(text);
    yield { error: { source, line, ...reason(said) } };
    return;
  }
  yield* parseCallqaDocument(doc, text, source);
}

/** The callqa JSON format, already parsed; `text` is kept to put line numbers on errors. */
export function* parseCallqaDocument(doc: unknown, text: string, source: string): Generator<Parsed> {
  const name = fileStem(source);
  const items = Array.isArray(doc) ? doc : [doc];
  if (Array.isArray(doc) && doc.length === 0) {
    yield { error: { source, line: 1, ...reason(msg('input.json-empty-array')) } };
    return;
  }
  for (let k = 0; k < items.length; k++) {
    const base: Path = Array.isArray(doc) ? [k] : [];
    const fallbackId = Array.isArray(doc) ? `${name}-${k + 1}` : name;
    try {
      // No line for calls that parse: locating an element costs a scan of the text, paid only on error.
      yield { call: callFromJson(items[k], base, source, fallbackId) };
    } catch (err) {
      yield { error: jsonProblemError(err, { source, text }) };
    }
  }
}

/** The shortest a segment can be written (`{"speaker":"A","text":""},`): a line shorter than this many of them holds fewer. */
const MIN_SEGMENT_CHARS = 26;

/**
 * Segments in the top-level `segments` array of one JSON object, counted from its text without
 * parsing it (strings skipped, escapes and all): JSON.parse of a line of 600,000 tiny segments takes
 * some 90 MB before any check could run. Undefined when there is no such array, or it is not written
 * plainly (the parser then finds what is wrong, or the count after parsing applies).
 */
export function countSegments(text: string): number | undefined {
  let depth = 0;
  let count: number | undefined;
  let inSegments = false;
  let lastKey = -1; // where the last string at depth 1 began (its opening quote)
  let lastKeyEnd = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const start = i;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
      if (depth === 1) {
        lastKey = start;
        lastKeyEnd = i;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (inSegments && depth === 2 && c === 0x7b) count = (count ?? 0) + 1;
      if (depth === 1 && c === 0x5b && lastKeyEnd - lastKey === 9 && text.startsWith('"segments"', lastKey)) {
        inSegments = true;
        count = 0;
      }
      depth++;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 1) inSegments = false;
    }
  }
  return count;
}

/** One line of a `.jsonl` file (or of JSONL on standard input): one call. */
export function parseJsonLine(text: string, source: string, line: number): Parsed | undefined {
  if (text.trim() === '') return undefined;
  if (text.length > MIN_SEGMENT_CHARS * MAX_SEGMENTS_PER_CALL) {
    const segments = countSegments(text);
    if (segments !== undefined && segments > MAX_SEGMENTS_PER_CALL) {
      return { error: { source, line, ...reason(msg('input.at-path', { path: 'segments', problem: tooManySegments(segments) })) } };
    }
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { error: { source, line, ...reason(describeJsonSyntaxError(text).said) } };
  }
  try {
    const call = callFromJson(doc, [], source, `${fileStem(source)}-${line}`);
    call.line = line;
    return { call };
  } catch (err) {
    return { error: { ...jsonProblemError(err, { source, text }), line } };
  }
}
