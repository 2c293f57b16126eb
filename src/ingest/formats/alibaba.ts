import type { SourceCall, SourceUtterance } from '../../model/source.js';
import { msg } from '../errors.js';
import type { JsonFormat, ParseContext } from '../format.js';
import { fileStem, isRecord } from '../format.js';
import { type JsonPath, JsonProblem, oneCall } from '../json-problem.js';
import type { Parsed } from '../parsed.js';

/**
 * Alibaba Cloud 录音文件识别 (file transcription) results. Three shapes are read:
 * the polling/callback envelope `{TaskId, StatusText, Result: {Sentences: [...]}}`, a bare
 * `{Sentences: [...]}`, or the sentences array on its own. Version 4.0 of the API writes the same
 * fields in camelCase (`taskId`, `result.sentences[].beginTime`); both spellings are accepted.
 *
 * Sentences carry times in milliseconds and a `ChannelId` (dual-channel recordings, or mono audio
 * split by `auto_split`) and/or a `SpeakerId` (speaker diarisation). Roles are never stated: the
 * channel and label are passed on, and the agent is channel 0 unless a flag says otherwise.
 * Per-channel results are concatenated, so sentences are sorted by BeginTime here.
 */

const SENTENCE_SHAPE = '{BeginTime, EndTime, Text, ChannelId}';

/** The field under either spelling (`BeginTime` or `beginTime`), with the key the document used. */
function field(record: Record<string, unknown>, pascal: string): { key: string; value: unknown } | undefined {
  const camel = pascal.charAt(0).toLowerCase() + pascal.slice(1);
  if (record[pascal] !== undefined) return { key: pascal, value: record[pascal] };
  if (record[camel] !== undefined) return { key: camel, value: record[camel] };
  return undefined;
}

/** How a missing field would be spelt in this record: camelCase when the record uses it. */
function spelling(record: Record<string, unknown>, pascal: string): string {
  const camelCase = ['beginTime', 'endTime', 'text', 'channelId', 'speakerId', 'taskId', 'result', 'sentences'].some((k) => k in record);
  return camelCase ? pascal.charAt(0).toLowerCase() + pascal.slice(1) : pascal;
}

const hasBeginTime = (value: unknown) => isRecord(value) && field(value, 'BeginTime') !== undefined;

interface Located {
  /** The sentences array (or whatever stands where it should be); undefined when absent. */
  sentences: unknown;
  path: JsonPath;
  /** The envelope, when the document has one. */
  envelope?: Record<string, unknown>;
}

/** Finds the sentences in any of the three shapes; undefined when the document is none of them. */
function locate(doc: unknown): Located | undefined {
  if (Array.isArray(doc)) return { sentences: doc, path: [] };
  if (!isRecord(doc)) return undefined;
  const result = field(doc, 'Result');
  if (result && isRecord(result.value)) {
    const inner = field(result.value, 'Sentences');
    if (inner) return { sentences: inner.value, path: [result.key, inner.key], envelope: doc };
  }
  const top = field(doc, 'Sentences');
  if (top) return { sentences: top.value, path: [top.key], envelope: doc };
  if (field(doc, 'TaskId') !== undefined && field(doc, 'StatusText') !== undefined) {
    return { sentences: undefined, path: [result?.key ?? spelling(doc, 'Result')], envelope: doc };
  }
  return undefined;
}

function detect(doc: unknown): boolean {
  const found = locate(doc);
  if (!found) return false;
  const { sentences, envelope } = found;
  if (!Array.isArray(sentences)) {
    // An envelope without sentences: a task that failed or has not finished; claimed to say so.
    return envelope !== undefined && field(envelope, 'TaskId') !== undefined && field(envelope, 'StatusText') !== undefined;
  }
  if (sentences.length === 0) return envelope !== undefined && field(envelope, 'TaskId') !== undefined;
  return sentences.every(isRecord) && sentences.some(hasBeginTime);
}

/** Milliseconds, written as a number or a numeric string. */
function millis(value: unknown, path: JsonPath): number {
  if (value === undefined || value === null) throw new JsonProblem(msg('input.missing-millis'), path);
  const n = typeof value === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) throw new JsonProblem(msg('input.millis', { value: String(JSON.stringify(value)) }), path);
  return n;
}

function channel(value: unknown, path: JsonPath): number {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new JsonProblem(msg('input.alibaba-channel', { value: String(JSON.stringify(value)) }), path);
  }
  return n;
}

function speakerId(value: unknown, path: JsonPath): string | undefined {
  if (value === null || value === '') return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  throw new JsonProblem(msg('input.alibaba-speaker-id', { value: String(JSON.stringify(value)) }), path);
}

interface Sentence {
  utterance: SourceUtterance;
  index: number;
}

function sentence(value: unknown, path: JsonPath, index: number): Sentence {
  if (!isRecord(value)) throw new JsonProblem(msg('input.alibaba-sentence', { shape: SENTENCE_SHAPE }), path);
  const at = (pascal: string) => [...path, field(value, pascal)?.key ?? spelling(value, pascal)];
  const text = field(value, 'Text')?.value;
  if (typeof text !== 'string') throw new JsonProblem(msg('input.alibaba-text', { value: String(JSON.stringify(text)) }), at('Text'));
  const begin = millis(field(value, 'BeginTime')?.value, at('BeginTime'));
  const end = millis(field(value, 'EndTime')?.value, at('EndTime'));
  if (end < begin) {
    const times = { endKey: String(at('EndTime').at(-1)), end: String(end), beginKey: String(at('BeginTime').at(-1)), begin: String(begin) };
    throw new JsonProblem(msg('input.alibaba-end-before-begin', times), at('EndTime'));
  }
  const utterance: SourceUtterance = { start: begin / 1000, end: end / 1000, text };
  const ch = field(value, 'ChannelId');
  if (ch !== undefined) utterance.channel = channel(ch.value, at('ChannelId'));
  const spk = field(value, 'SpeakerId');
  const label = spk === undefined ? undefined : speakerId(spk.value, at('SpeakerId'));
  if (label !== undefined) utterance.speaker = label;
  return { utterance, index };
}

function statusOf(envelope: Record<string, unknown> | undefined): { key: string; value: string } | undefined {
  const status = envelope === undefined ? undefined : field(envelope, 'StatusText');
  return status && typeof status.value === 'string' ? { key: status.key, value: status.value } : undefined;
}

function noSentences(found: Located): JsonProblem {
  const status = statusOf(found.envelope);
  if (status && (status.value === 'RUNNING' || status.value === 'QUEUEING')) {
    return new JsonProblem(msg('input.alibaba-running', { status: status.value, success: 'SUCCESS' }), [status.key]);
  }
  if (status && status.value !== 'SUCCESS' && status.value !== 'SUCCESS_WITH_NO_VALID_FRAGMENT') {
    return new JsonProblem(msg('input.alibaba-failed', { status: status.value }), [status.key]);
  }
  if (status?.value === 'SUCCESS_WITH_NO_VALID_FRAGMENT') {
    return new JsonProblem(msg('input.alibaba-no-speech', { status: 'SUCCESS_WITH_NO_VALID_FRAGMENT' }), [status.key]);
  }
  return new JsonProblem(msg('input.alibaba-no-sentences', { shape: SENTENCE_SHAPE }), found.path);
}

function build(doc: unknown, ctx: ParseContext): SourceCall {
  const found = locate(doc);
  if (!found) {
    const shapes = { envelope: '{TaskId, StatusText, Result: {Sentences: [...]}}', result: '{Sentences: [...]}', shape: SENTENCE_SHAPE };
    throw new JsonProblem(msg('input.alibaba-document', shapes), []);
  }
  const { sentences, path } = found;
  if (sentences === undefined || (Array.isArray(sentences) && sentences.length === 0)) throw noSentences(found);
  if (!Array.isArray(sentences)) throw new JsonProblem(msg('input.alibaba-sentences', { shape: SENTENCE_SHAPE }), path);

  const read = sentences.map((s, k) => sentence(s, [...path, k], k));
  const labelled = (s: Sentence) => s.utterance.channel !== undefined || s.utterance.speaker !== undefined;
  if (!read.some(labelled)) {
    throw new JsonProblem(msg('input.alibaba-unlabelled', { channel: 'ChannelId', speaker: 'SpeakerId', option: 'auto_split' }), path);
  }
  const unlabelled = read.find((s) => !labelled(s));
  if (unlabelled) throw new JsonProblem(msg('input.alibaba-one-unlabelled', { channel: 'ChannelId', speaker: 'SpeakerId' }), [...path, unlabelled.index]);

  // Blank sentences carry no speech; the rest in time order (Array.prototype.sort is stable).
  const spoken = read.filter((s) => s.utterance.text.trim() !== '');
  if (spoken.length === 0) throw new JsonProblem(msg('input.alibaba-empty'), path);
  spoken.sort((a, b) => (a.utterance.start ?? 0) - (b.utterance.start ?? 0));

  // The file's name, not TaskId: a task id is Alibaba's job hash, while integrators name the saved
  // result after the recording, which is what call records are keyed by.
  const call: SourceCall = {
    format: 'alibaba',
    id: fileStem(ctx.source),
    source: ctx.source,
    agent: {},
    hangupBy: 'unknown',
    utterances: spoken.map((s) => s.utterance),
  };
  // Channel 0 is the agent by default on channel-separated results. Not with SpeakerId: diarised
  // mono audio puts every sentence on channel 0, and the speaker labels tell the parties apart.
  if (read.some((s) => s.utterance.channel !== undefined) && !read.some((s) => s.utterance.speaker !== undefined)) {
    call.defaultAgentChannel = 0;
  }
  return call;
}

function* parse(doc: unknown, ctx: ParseContext): Generator<Parsed> {
  yield* oneCall(() => build(doc, ctx), ctx);
}

const format: JsonFormat = {
  kind: 'json',
  name: 'alibaba',
  title: 'Alibaba Cloud file transcription result (Result.Sentences with BeginTime/EndTime in ms, ChannelId or SpeakerId; agent = channel 0)',
  example: 'callqa score --agent-channel 1 alibaba/',
  detect,
  parse,
};

export default format;
