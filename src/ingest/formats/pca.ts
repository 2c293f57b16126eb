import type { Speaker } from '../../model/call.js';
import type { SourceCall, SourceUtterance } from '../../model/source.js';
import { msg } from '../errors.js';
import type { JsonFormat, ParseContext } from '../format.js';
import { fileStem, isRecord } from '../format.js';
import { type JsonPath, JsonProblem, oneCall } from '../json-problem.js';
import { idAt, stripAudioExtension } from './aws-call-analytics.js';

// The parsed output of AWS's open-source "Post Call Analytics" solution (aws-samples/amazon-transcribe-post-call-analytics,
// docs/output_json_structure.md): {ConversationAnalytics: {SpeakerLabels, Agent, ConversationTime, SourceInformation…},
// SpeechSegments: [{SegmentSpeaker, SegmentStartTime, SegmentEndTime, DisplayText, IVRSegment…}]}, times in seconds.

const NAME = 'pca';
const SEGMENT = '{SegmentSpeaker, SegmentStartTime, SegmentEndTime, DisplayText}';
const DOCUMENT = '{ConversationAnalytics: {SpeakerLabels: [...]}, SpeechSegments: [...]}';

/** The display texts PCA and its users give the two parties (PCA's defaults are Agent and Customer; Caller in older configs). */
const DISPLAY_ROLES = new Map<string, Speaker>([
  ['agent', 'agent'],
  ['坐席', 'agent'],
  ['客服', 'agent'],
  ['座席', 'agent'],
  ['customer', 'customer'],
  ['caller', 'customer'],
  ['客户', 'customer'],
  ['顾客', 'customer'],
  ['用户', 'customer'],
  ['来电人', 'customer'],
]);

interface Label {
  role?: Speaker;
  display?: string;
}

/** `SpeakerLabels[]` as spk_n → role (or display text, left to callqa's role finding when it names no role). */
function labelsOf(analytics: Record<string, unknown>): Map<string, Label> {
  const out = new Map<string, Label>();
  const labels = analytics.SpeakerLabels;
  if (!Array.isArray(labels)) return out;
  labels.forEach((entry, k) => {
    if (!isRecord(entry)) return;
    if (typeof entry.Speaker !== 'string' || entry.Speaker.trim() === '') {
      throw new JsonProblem(msg('input.pca-label', { value: String(JSON.stringify(entry.Speaker)) }), ['ConversationAnalytics', 'SpeakerLabels', k, 'Speaker']);
    }
    const display = typeof entry.DisplayText === 'string' ? entry.DisplayText.trim() : '';
    const role = DISPLAY_ROLES.get(display.toLowerCase());
    out.set(entry.Speaker, { ...(role ? { role } : {}), ...(display ? { display } : {}) });
  });
  return out;
}

function seconds(segment: Record<string, unknown>, key: string, at: JsonPath): number {
  const value = segment[key];
  if (value === undefined || value === null) throw new JsonProblem(msg('input.pca-missing-seconds'), [...at, key]);
  // PCA writes floats; a re-serialised file may carry them as strings ("12.5"), which its own reader accepts (float()).
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
    throw new JsonProblem(msg('input.pca-seconds', { value: String(JSON.stringify(value)) }), [...at, key]);
  }
  return n;
}

function speakerOf(segment: Record<string, unknown>, at: JsonPath, labels: Map<string, Label>): Pick<SourceUtterance, 'role' | 'speaker'> {
  const id = segment.SegmentSpeaker;
  if (typeof id !== 'string' || id.trim() === '') {
    throw new JsonProblem(msg('input.pca-speaker', { example: 'spk_0', value: String(JSON.stringify(id)) }), [...at, 'SegmentSpeaker']);
  }
  const label = labels.get(id);
  if (!label) {
    const said = { speaker: JSON.stringify(id), labels: 'ConversationAnalytics.SpeakerLabels', known: [...labels.keys()] };
    throw new JsonProblem(msg('input.pca-unknown-speaker', said), [...at, 'SegmentSpeaker']);
  }
  // A display text that names no role (a person's name) is a speaker label: flags and the greeting decide, as for any label.
  return label.role ? { role: label.role, speaker: id } : { speaker: label.display ?? id };
}

function segmentFrom(segment: unknown, k: number, labels: Map<string, Label>): SourceUtterance | undefined {
  const at: JsonPath = ['SpeechSegments', k];
  if (!isRecord(segment)) throw new JsonProblem(msg('input.pca-segment', { shape: SEGMENT }), at);
  // The telephony IVR's prompts (IVRSegment) are not the agent's words: the greeting and wording rules must not read them.
  if (segment.IVRSegment === true || segment.IVRSegment === 1) return undefined;
  const who = speakerOf(segment, at, labels);
  const start = seconds(segment, 'SegmentStartTime', at);
  const end = seconds(segment, 'SegmentEndTime', at);
  if (end < start) throw new JsonProblem(msg('input.pca-end-before-start', { end: String(end), start: String(start) }), [...at, 'SegmentEndTime']);
  // DisplayText is the text as edited in PCA's UI; OriginalText what Transcribe heard (files of early releases have only it).
  const key = segment.DisplayText === undefined && segment.OriginalText !== undefined ? 'OriginalText' : 'DisplayText';
  const text = segment[key];
  if (typeof text !== 'string') throw new JsonProblem(msg('input.pca-text', { value: String(JSON.stringify(text)) }), [...at, key]);
  return { ...who, start, end, text };
}

/** The Transcribe job's name: PCA names parsed files after it, and it is usually the media file's name. */
function jobNameOf(analytics: Record<string, unknown>): string | undefined {
  const sources = analytics.SourceInformation;
  const first = Array.isArray(sources) ? sources[0] : sources;
  const job = isRecord(first) ? first.TranscribeJobInfo : undefined;
  if (!isRecord(job)) return undefined;
  const at: JsonPath = ['ConversationAnalytics', 'SourceInformation', ...(Array.isArray(sources) ? [0] : []), 'TranscribeJobInfo', 'TranscriptionJobName'];
  const name = idAt(job.TranscriptionJobName, at);
  return name === undefined ? undefined : stripAudioExtension(name);
}

/** ConversationTime as callqa keeps times (ISO 8601, local when PCA gives no zone); absent when PCA only copied ProcessTime. */
function startedAtOf(analytics: Record<string, unknown>): string | undefined {
  const value = analytics.ConversationTime;
  if (value === undefined || value === null || value === '') return undefined;
  // PCA copies ProcessTime (when it ran) into ConversationTime when the file name gave no call time: not the call's start.
  if (value === analytics.ProcessTime) return undefined;
  const iso = typeof value === 'string' ? value.trim().replace(' ', 'T') : undefined;
  if (iso === undefined || Number.isNaN(Date.parse(iso))) {
    throw new JsonProblem(msg('input.date-time', { format: 'ISO 8601', value: String(JSON.stringify(value)) }), ['ConversationAnalytics', 'ConversationTime']);
  }
  return iso;
}

function callFrom(doc: unknown, ctx: ParseContext): SourceCall {
  if (!isRecord(doc) || !isRecord(doc.ConversationAnalytics)) throw new JsonProblem(msg('input.pca-document', { shape: DOCUMENT }), []);
  const analytics = doc.ConversationAnalytics;
  const segments = doc.SpeechSegments;
  if (!Array.isArray(segments))
    throw new JsonProblem(msg('input.pca-segments', { value: String(JSON.stringify(segments) ?? 'undefined') }), ['SpeechSegments']);
  const labels = labelsOf(analytics);
  const utterances: SourceUtterance[] = [];
  segments.forEach((segment, k) => {
    const u = segmentFrom(segment, k, labels);
    if (u) utterances.push(u);
  });
  if (utterances.length === 0) throw new JsonProblem(msg('input.pca-no-segments'), ['SpeechSegments']);
  const agent = typeof analytics.Agent === 'string' && analytics.Agent.trim() !== '' ? { id: analytics.Agent.trim() } : {};
  const startedAt = startedAtOf(analytics);
  return {
    format: NAME,
    id: jobNameOf(analytics) ?? fileStem(ctx.source),
    source: ctx.source,
    agent,
    hangupBy: 'unknown',
    ...(startedAt === undefined ? {} : { startedAt }),
    utterances,
  };
}

/** A ConversationAnalytics object beside a SpeechSegments array: no other format has either. */
function detect(doc: unknown): boolean {
  return isRecord(doc) && isRecord(doc.ConversationAnalytics) && 'SpeechSegments' in doc;
}

const format: JsonFormat = {
  kind: 'json',
  name: NAME,
  title: 'AWS Post Call Analytics (PCA) parsed output (ConversationAnalytics with SpeakerLabels, SpeechSegments in seconds)',
  example: 'callqa score pca-output/parsedFiles/',
  detect,
  parse: (doc, ctx) => oneCall(() => callFrom(doc, ctx), ctx),
};

export default format;
