import type { SourceCall, SourceUtterance } from '../../model/source.js';
import { timeProblem } from '../call-fields.js';
import { msg } from '../errors.js';
import type { JsonFormat, ParseContext } from '../format.js';
import { fileStem, isRecord } from '../format.js';
import { type JsonPath, JsonProblem, oneCall } from '../json-problem.js';
import { idAt, stripAudioExtension } from './aws-call-analytics.js';
import { IntervalIndex } from '../../util/intervals.js';

const NAME = 'aws-transcribe';
const DECIMAL = /^\s*\d+(?:\.\d+)?\s*$/;
const CHANNEL = /^ch_(\d+)$/;
const HAN = /^\p{Script=Han}$/u;
/** CJK and full-width punctuation (，。？！、：；「」…), after which no space is written. */
const WIDE_PUNCTUATION = /^[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]$/;

/** A recognised word with the punctuation that follows it, and who said it (a speaker label or a channel). */
interface Word {
  start: number;
  end: number;
  content: string;
  punctuation: string;
  speaker?: string;
  channel?: number;
}

/** Seconds as Transcribe writes them: a decimal string ("0.860"); a plain number is accepted too. */
function seconds(value: unknown, path: JsonPath): number {
  const n =
    typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : typeof value === 'string' && DECIMAL.test(value) ? Number(value) : undefined;
  if (n !== undefined) {
    const problem = timeProblem(n);
    if (problem !== undefined) throw new JsonProblem(problem, path);
    return n;
  }
  if (value === undefined) throw new JsonProblem(msg('input.transcribe-missing-seconds', { example: '0.860' }), path);
  throw new JsonProblem(msg('input.transcribe-seconds', { example: '0.860', value: String(JSON.stringify(value)) }), path);
}

/** Ms as an integer key, so "4.870" and "4.87" name the same instant. */
const key = (s: number) => Math.round(s * 1000);

/**
 * Reads an item list (`results.items` or a channel's `items`): pronunciations become words,
 * punctuation is glued to the word before it. `who` says whose word it is.
 */
function readItems(
  items: unknown,
  path: JsonPath,
  who: (item: Record<string, unknown>, start: number, at: JsonPath) => Pick<Word, 'speaker' | 'channel'>,
): Word[] {
  if (!Array.isArray(items)) throw new JsonProblem(msg('input.aws-items', { value: String(JSON.stringify(items)) }), path);
  const words: Word[] = [];
  items.forEach((item, k) => {
    const at = [...path, k];
    if (!isRecord(item)) throw new JsonProblem(msg('input.aws-item', { shape: '{type, start_time, end_time, alternatives: [{content}]}' }), at);
    const alt = Array.isArray(item.alternatives) ? item.alternatives[0] : undefined;
    const content = isRecord(alt) ? alt.content : undefined;
    if (typeof content !== 'string') {
      throw new JsonProblem(
        msg('input.transcribe-content', { value: String(JSON.stringify(content)) }),
        isRecord(alt) ? [...at, 'alternatives', 0, 'content'] : [...at, 'alternatives'],
      );
    }
    if (item.type === 'punctuation') {
      const previous = words[words.length - 1];
      if (previous) previous.punctuation += content; // punctuation before any word has nothing to attach to
      return;
    }
    if (item.type !== 'pronunciation') {
      const types = { pronunciation: 'pronunciation', punctuation: 'punctuation', value: String(JSON.stringify(item.type)) };
      throw new JsonProblem(msg('input.transcribe-type', types), [...at, 'type']);
    }
    const start = seconds(item.start_time, [...at, 'start_time']);
    const end = seconds(item.end_time, [...at, 'end_time']);
    if (end < start) throw new JsonProblem(msg('input.transcribe-end-before-start', { end: String(end), start: String(start) }), [...at, 'end_time']);
    words.push({ start, end, content, punctuation: '', ...who(item, start, at) });
  });
  return words;
}

/** Speaker segments, indexed by the start time of each word they hold, and as time spans. */
function speakerIndex(labels: unknown): { byStart: Map<number, string>; spans: { start: number; end: number; speaker: string }[] } {
  const byStart = new Map<number, string>();
  const spans: { start: number; end: number; speaker: string }[] = [];
  if (labels === undefined) return { byStart, spans };
  const base: JsonPath = ['results', 'speaker_labels'];
  if (!isRecord(labels) || !Array.isArray(labels.segments)) {
    throw new JsonProblem(msg('input.aws-shape', { shape: '{segments: [{speaker_label, start_time, end_time, items}]}' }), base);
  }
  labels.segments.forEach((seg, s) => {
    const at = [...base, 'segments', s];
    if (!isRecord(seg) || typeof seg.speaker_label !== 'string') {
      throw new JsonProblem(
        msg('input.transcribe-segment-label', {
          key: 'speaker_label',
          example: 'spk_0',
          value: String(JSON.stringify(isRecord(seg) ? seg.speaker_label : seg)),
        }),
        isRecord(seg) ? [...at, 'speaker_label'] : at,
      );
    }
    const speaker = seg.speaker_label;
    spans.push({ start: seconds(seg.start_time, [...at, 'start_time']), end: seconds(seg.end_time, [...at, 'end_time']), speaker });
    if (seg.items === undefined) return;
    if (!Array.isArray(seg.items)) throw new JsonProblem(msg('input.aws-array-of', { shape: '{start_time, end_time, speaker_label}' }), [...at, 'items']);
    seg.items.forEach((item, i) => {
      if (!isRecord(item)) throw new JsonProblem(msg('input.aws-item', { shape: '{start_time, end_time, speaker_label}' }), [...at, 'items', i]);
      const label = typeof item.speaker_label === 'string' ? item.speaker_label : speaker;
      byStart.set(key(seconds(item.start_time, [...at, 'items', i, 'start_time'])), label);
    });
  });
  return { byStart, spans };
}

function speakerWords(results: Record<string, unknown>): Word[] {
  const { byStart, spans } = speakerIndex(results.speaker_labels);
  // The spans by time, built once (a scan of them per word was quadratic).
  const bySpan = new IntervalIndex(spans);
  return readItems(results.items, ['results', 'items'], (item, start, at) => {
    // Newer output labels each item; older output only lists the words under speaker_labels.segments.
    const speaker =
      (typeof item.speaker_label === 'string' ? item.speaker_label : undefined) ?? byStart.get(key(start)) ?? spans[bySpan.containing(start)[0] ?? -1]?.speaker;
    if (speaker === undefined) throw new JsonProblem(msg('input.transcribe-no-speaker', { start: String(start), labels: 'results.speaker_labels' }), at);
    return { speaker };
  });
}

function channelWords(labels: unknown): Word[] {
  const base: JsonPath = ['results', 'channel_labels'];
  if (!isRecord(labels) || !Array.isArray(labels.channels)) {
    throw new JsonProblem(msg('input.aws-shape', { shape: '{channels: [{channel_label: "ch_0", items: [...]}]}' }), base);
  }
  return labels.channels.flatMap((ch, c) => {
    const at = [...base, 'channels', c];
    const label = isRecord(ch) ? ch.channel_label : undefined;
    const m = typeof label === 'string' ? CHANNEL.exec(label) : null;
    if (!isRecord(ch) || !m) {
      const problem = msg('input.transcribe-channel-label', { key: 'channel_label', example: 'ch_0', value: String(JSON.stringify(label)) });
      throw new JsonProblem(problem, isRecord(ch) ? [...at, 'channel_label'] : at);
    }
    const channel = Number(m[1]);
    return readItems(ch.items, [...at, 'items'], () => ({ channel }));
  });
}

const lastChar = (s: string) => Array.from(s).pop() ?? '';
const firstChar = (s: string) => Array.from(s)[0] ?? '';

/**
 * Words joined as written: punctuation glued to the word before it, and a space between words except
 * between two Han characters (punctuation between them does not count: 您好，这里) or after full-width
 * punctuation (好的，OK).
 */
export function joinWords(words: readonly Pick<Word, 'content' | 'punctuation'>[]): string {
  let text = '';
  let previous: Pick<Word, 'content' | 'punctuation'> | undefined;
  for (const w of words) {
    if (previous !== undefined) {
      const han = HAN.test(lastChar(previous.content)) && HAN.test(firstChar(w.content));
      if (!han && !WIDE_PUNCTUATION.test(lastChar(previous.punctuation))) text += ' ';
    }
    text += w.content + w.punctuation;
    previous = w;
  }
  return text;
}

/** Consecutive words of the same speaker (or channel), in time order, make one utterance. */
function turns(words: Word[]): SourceUtterance[] {
  const sorted = words.map((w, k) => ({ w, k })).sort((a, b) => a.w.start - b.w.start || a.k - b.k);
  const out: SourceUtterance[] = [];
  let group: Word[] = [];
  const flush = () => {
    const head = group[0];
    if (!head) return;
    const u: SourceUtterance = { start: head.start, end: group.reduce((m, w) => Math.max(m, w.end), head.end), text: joinWords(group) };
    if (head.speaker !== undefined) u.speaker = head.speaker;
    if (head.channel !== undefined) u.channel = head.channel;
    out.push(u);
    group = [];
  };
  for (const { w } of sorted) {
    const head = group[0];
    if (head && (head.speaker !== w.speaker || head.channel !== w.channel)) flush();
    group.push(w);
  }
  flush();
  return out;
}

function callFrom(doc: unknown, ctx: ParseContext): SourceCall {
  if (!isRecord(doc) || !isRecord(doc.results)) {
    const shape = { format: 'AWS Transcribe', shape: '{jobName, results: {items, speaker_labels}}' };
    throw new JsonProblem(msg('input.transcribe-document', shape), isRecord(doc) ? ['results'] : []);
  }
  const results = doc.results;
  if (!Array.isArray(results.items)) throw new JsonProblem(msg('input.aws-items', { value: String(JSON.stringify(results.items)) }), ['results', 'items']);
  const labelled = results.items.some((i) => isRecord(i) && typeof i.speaker_label === 'string');
  let words: Word[];
  if (results.speaker_labels !== undefined || labelled) words = speakerWords(results);
  else if (results.channel_labels !== undefined) words = channelWords(results.channel_labels);
  else {
    const options = {
      speakers: 'results.speaker_labels',
      speakerOption: 'ShowSpeakerLabels',
      channels: 'results.channel_labels',
      channelOption: 'ChannelIdentification',
    };
    throw new JsonProblem(msg('input.transcribe-no-speakers', options), ['results']);
  }
  if (words.length === 0) throw new JsonProblem(msg('input.transcribe-no-words'), ['results', 'items']);
  const jobName = idAt(doc.jobName, ['jobName']);
  return {
    format: NAME,
    id: jobName === undefined ? fileStem(ctx.source) : stripAudioExtension(jobName),
    source: ctx.source,
    agent: {},
    hangupBy: 'unknown',
    utterances: turns(words),
  };
}

const format: JsonFormat = {
  kind: 'json',
  name: NAME,
  title: 'plain AWS Transcribe output with speaker_labels or channel_labels (string seconds, words joined into turns)',
  example: 'callqa score --agent-speaker spk_1 transcribe/',
  detect: (doc) => isRecord(doc) && isRecord(doc.results) && Array.isArray(doc.results.items),
  parse: (doc, ctx) => oneCall(() => callFrom(doc, ctx), ctx),
};

export default format;
