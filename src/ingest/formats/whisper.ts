import type { Speaker } from '../../model/call.js';
import type { SourceCall, SourceUtterance } from '../../model/source.js';
import { timeProblem } from '../call-fields.js';
import { msg } from '../errors.js';
import type { JsonFormat, ParseContext } from '../format.js';
import { fileStem, isRecord } from '../format.js';
import { type JsonPath, JsonProblem, oneCall } from '../json-problem.js';
import type { Parsed } from '../parsed.js';
import { speakerFromLabel } from '../speakers.js';

/**
 * openai-whisper, faster-whisper and WhisperX JSON: `{text, language, segments: [{start, end,
 * text, speaker?, words?…}]}` in float seconds, or the segments array on its own (as scripts
 * around faster-whisper often dump it). Segment text starts with a space; it is trimmed.
 *
 * WhisperX (diarised) segments carry `speaker: "SPEAKER_00"`, passed on as the speaker label; the
 * few it leaves unassigned take the speaker of their words, else of the segment before (the first
 * ones: of the first labelled segment). Plain Whisper has no speakers at all: such a file is read
 * only when every segment starts with a role prefix (`坐席：`, `Customer:`), which becomes the role.
 */

/** Keys of callqa's own JSON: a document with any of them is not Whisper output. */
const CALL_KEYS = ['call_id', 'agent', 'agent_id', 'agent_name', 'hangup_by', 'ring_seconds', 'started_at'];
const SEGMENT_SHAPE = '{start, end, text, speaker}';
/** `坐席：您好`, `Agent: hello`: a short label, a full- or half-width colon, the text. */
const ROLE_PREFIX = /^\s*([^\s:：][^:：]{0,15}?)\s*[:：]\s*([\s\S]*)$/;

const isSegment = (value: unknown) => isRecord(value) && typeof value.start === 'number' && typeof value.end === 'number' && typeof value.text === 'string';

/** The segments array and its key path; undefined when the document is not Whisper-shaped. */
function locate(doc: unknown): { segments: unknown; path: JsonPath } | undefined {
  if (Array.isArray(doc)) return { segments: doc, path: [] };
  if (!isRecord(doc) || !('segments' in doc) || CALL_KEYS.some((k) => k in doc)) return undefined;
  return { segments: doc.segments, path: ['segments'] };
}

function detect(doc: unknown): boolean {
  const found = locate(doc);
  if (!found || !Array.isArray(found.segments)) return false;
  const { segments } = found;
  // Whisper on a silent recording: `{"text": "", "segments": [], "language": "zh"}`; claimed to say so.
  if (segments.length === 0) return isRecord(doc) && (typeof doc.text === 'string' || typeof doc.language === 'string');
  return segments.every((s) => isRecord(s) && !('segments' in s)) && segments.some(isSegment);
}

function seconds(value: unknown, path: JsonPath): number {
  if (value === undefined || value === null) throw new JsonProblem(msg('input.missing-seconds'), path);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new JsonProblem(msg('input.time-negative', { value: String(JSON.stringify(value)) }), path);
  const problem = timeProblem(value);
  if (problem !== undefined) throw new JsonProblem(problem, path);
  return value;
}

function label(value: unknown, path: JsonPath): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  throw new JsonProblem(msg('input.whisper-label', { example: 'SPEAKER_00', value: String(JSON.stringify(value)) }), path);
}

/** The speaker most of a segment's words carry (WhisperX labels words even where the segment is not). */
function wordsSpeaker(words: unknown): string | undefined {
  if (!Array.isArray(words)) return undefined;
  const counts = new Map<string, number>();
  for (const w of words) {
    if (isRecord(w) && typeof w.speaker === 'string' && w.speaker.trim() !== '') counts.set(w.speaker.trim(), (counts.get(w.speaker.trim()) ?? 0) + 1);
  }
  let best: string | undefined;
  let most = 0;
  for (const [speaker, n] of counts) {
    if (n > most) {
      best = speaker;
      most = n;
    }
  }
  return best;
}

interface Segment {
  path: JsonPath;
  start: number;
  end: number;
  text: string;
  speaker?: string;
}

function segment(value: unknown, path: JsonPath): Segment {
  if (!isRecord(value)) throw new JsonProblem(msg('input.json-segment-object', { shape: SEGMENT_SHAPE }), path);
  if (typeof value.text !== 'string') throw new JsonProblem(msg('input.whisper-text', { value: String(JSON.stringify(value.text)) }), [...path, 'text']);
  const start = seconds(value.start, [...path, 'start']);
  const end = seconds(value.end, [...path, 'end']);
  if (end < start) throw new JsonProblem(msg('input.end-before-start-bare', { end: String(end), start: String(start) }), [...path, 'end']);
  const out: Segment = { path, start, end, text: value.text.trim() };
  const speaker = label(value.speaker, [...path, 'speaker']) ?? wordsSpeaker(value.words);
  if (speaker !== undefined) out.speaker = speaker;
  return out;
}

/** `坐席：您好` → agent, `您好`; undefined when the text has no role prefix. */
function rolePrefix(text: string): { role: Speaker; text: string } | undefined {
  const m = ROLE_PREFIX.exec(text);
  const role = m ? speakerFromLabel(m[1] ?? '') : undefined;
  return m && role ? { role, text: (m[2] ?? '').trim() } : undefined;
}

/** Diarised: unlabelled segments take the previous segment's speaker (the first ones, the next one's). */
function fromLabels(segments: readonly Segment[]): SourceUtterance[] {
  let current = segments.find((s) => s.speaker !== undefined)?.speaker as string;
  return segments.map((s) => {
    current = s.speaker ?? current;
    return { speaker: current, start: s.start, end: s.end, text: s.text };
  });
}

/** Undiarised: every segment must name its role in a prefix. */
function fromPrefixes(segments: readonly Segment[], path: JsonPath): SourceUtterance[] {
  const prefixed = segments.map((s) => rolePrefix(s.text));
  if (prefixed.every((p) => p === undefined)) {
    throw new JsonProblem(
      msg('input.whisper-no-labels', { key: 'speaker', first: 'WhisperX', second: 'pyannote', third: 'faster-whisper', example: '"speaker": "SPEAKER_00"' }),
      path,
    );
  }
  const missing = prefixed.indexOf(undefined);
  if (missing >= 0) {
    throw new JsonProblem(msg('input.whisper-no-prefix', { key: 'speaker', prefixes: ['坐席：', '客户：', 'Agent:'], last: 'Customer:' }), [
      ...(segments[missing] as Segment).path,
      'text',
    ]);
  }
  return segments.map((s, k) => {
    const p = prefixed[k] as { role: Speaker; text: string };
    return { role: p.role, start: s.start, end: s.end, text: p.text };
  });
}

function build(doc: unknown, ctx: ParseContext): SourceCall {
  const found = locate(doc);
  if (!found) throw new JsonProblem(msg('input.whisper-document', { format: 'Whisper JSON', shape: `{segments: [${SEGMENT_SHAPE}…]}` }), []);
  const { segments, path } = found;
  if (!Array.isArray(segments)) throw new JsonProblem(msg('input.json-segments-array', { shape: SEGMENT_SHAPE }), path);
  if (segments.length === 0) throw new JsonProblem(msg('input.whisper-no-segments', { tool: 'Whisper' }), path);
  // Blank segments carry no speech (and no prefix to check).
  const spoken = segments.map((s, k) => segment(s, [...path, k])).filter((s) => s.text !== '');
  if (spoken.length === 0) throw new JsonProblem(msg('input.no-speech-segments'), path);
  const utterances = spoken.some((s) => s.speaker !== undefined) ? fromLabels(spoken) : fromPrefixes(spoken, path);
  return { format: 'whisper', id: fileStem(ctx.source), source: ctx.source, agent: {}, hangupBy: 'unknown', utterances };
}

function* parse(doc: unknown, ctx: ParseContext): Generator<Parsed> {
  yield* oneCall(() => build(doc, ctx), ctx);
}

const format: JsonFormat = {
  kind: 'json',
  name: 'whisper',
  title: 'Whisper, faster-whisper and WhisperX JSON (segments with start, end, text and a speaker label, or 坐席：/客户： prefixes)',
  example: 'callqa score --agent-speaker SPEAKER_00 whisperx/',
  detect,
  parse,
};

export default format;
