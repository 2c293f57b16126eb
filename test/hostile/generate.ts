/**
 * The hostile-input corpus (issue 15, point 6): transcripts in every input format and encoding, rubrics
 * and call-record files that are truncated, mistyped, empty, enormous, deeply nested, self-referring,
 * injected with formulas, markup and path-like ids, or not files at all (FIFOs, devices, broken and
 * looping symbolic links). `generateCorpus(root)` writes it under `root` and returns the runs that
 * test/hostile/hostile.test.ts makes of it, each case with the outcome the README promises.
 *
 * Inputs are batched: every case of a group is named in one `callqa score` run (beside a call that
 * must score), so a case is judged by its own rows of calls.csv and errors.csv. Special files, huge
 * inputs, rubrics and call-record files get a run of their own.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SAMPLE, type Turn } from '../helpers/conversation.js';
import { render as renderAlibaba } from '../helpers/render/alibaba.js';
import { render as renderCallAnalytics } from '../helpers/render/aws-call-analytics.js';
import { render as renderTranscribe } from '../helpers/render/aws-transcribe.js';
import { render as renderCsv } from '../helpers/render/csv-export.js';
import { render as renderSrt } from '../helpers/render/srt.js';
import { render as renderVtt } from '../helpers/render/vtt.js';
import { render as renderWhisper } from '../helpers/render/whisper.js';
import { encodeLegacy, utf16 } from './encode.js';

/** What a case's inputs must come to: every call scored, every one listed in errors.csv, some of each, or either. */
export type Outcome = 'scored' | 'listed' | 'partial' | 'either';

/** An entry written into a run's input folder (relative name; folders are made as needed). */
export type Entry =
  | { name: string; content: string | Uint8Array }
  | { name: string; fifo: true }
  | { name: string; link: string }
  | { name: string; dir: true };

export interface InputCase {
  kind: 'input';
  id: string;
  /** The run it is scored in; cases of one group share a run (and its flags). */
  group: string;
  about: string;
  entries: Entry[];
  /** What the command line names, relative to the input folder (default: the first entry). */
  named: string[];
  /** The sources callqa reports for it in calls.csv and errors.csv (default: `named`). */
  sources: string[];
  outcome: Outcome;
  /** Rows of calls.csv from its sources, where known. */
  calls?: number;
  /** Every errors.csv row of its sources says this. */
  reason?: RegExp;
  /** Every errors.csv row of its sources names a line. */
  located?: boolean;
  /** A scored call has a duration_seconds. */
  durationSet?: boolean;
  /** The whole run is refused (exit 2, no report) and stderr says `reason`. */
  refused?: boolean;
}

export interface RubricCase {
  kind: 'rubric';
  id: string;
  about: string;
  /** The rubric's bytes; `missing` names a file that does not exist, `dir` a folder. */
  rubric: string | Uint8Array | { missing: true } | { dir: true };
  /** Exit codes the README allows for `score --rubric` (and `rubric check` must agree: 0↔0/1, 2↔2). */
  codes: number[];
  /** Rule columns calls.csv must have when the rubric is accepted. */
  columns?: string[];
  /** stderr says this when the rubric is refused. */
  reason?: RegExp;
}

export interface MetadataCase {
  kind: 'metadata';
  id: string;
  about: string;
  /** The call-record file's name (the case id and the type's extension) and bytes (undefined: a path that does not exist). */
  name: string;
  content?: string | Uint8Array;
  codes: number[];
  /** errors.csv rows naming the metadata file: none, or at least one. */
  listed?: 'none' | 'some';
  reason?: RegExp;
  /** Extra flags (--coaching for path-like agent ids). */
  args?: string[];
  /** In a run of its own (a file that may stop the run must not cost the other cases their verdict). */
  solo?: boolean;
}

export type HostileCase = InputCase | RubricCase | MetadataCase;

/** One `callqa` invocation of the test. */
export interface Run {
  id: string;
  /** Its own folder: everything in it but `out` must be as it was after the run. */
  root: string;
  /** The working directory (the input folder: inputs are named relative to it). */
  cwd: string;
  /** The report directory (`--out`), inside root. */
  out: string;
  argv: string[];
  /** Exit codes that are right for it. */
  codes: number[];
  cases: HostileCase[];
  /** Input runs: the call that must score beside the cases (its source in calls.csv). */
  control?: string;
  /** Rubric runs: which of the two commands this is. */
  command?: 'score' | 'check';
}

export interface Corpus {
  cases: HostileCase[];
  runs: Run[];
  /** A token in the names that path-like ids try to write outside --out (`/tmp/hostile-escape-TOKEN…`). */
  token: string;
}

// ---------------------------------------------------------------------------------------------
// Building blocks: one good conversation in each format, to be broken in one way per case.
// ---------------------------------------------------------------------------------------------

const TURNS: readonly Turn[] = SAMPLE.turns;
/** The same call in Traditional script (Big5 has no Simplified characters). */
const TRAD: readonly Turn[] = [
  { role: 'agent', start: 0.5, end: 9.5, text: '您好，這裡是星辰通信，我是王芳，很高興為您服務。' },
  { role: 'customer', start: 9.8, end: 12.8, text: '你好，我家的寬頻從早上開始就斷了。' },
  { role: 'agent', start: 13.0, end: 22.0, text: '好的，請您提供一下寬頻帳號，我馬上幫您查詢。' },
  { role: 'customer', start: 22.3, end: 24.5, text: '好吧，謝謝。' },
  { role: 'agent', start: 25.0, end: 32.3, text: '感謝您的來電，還有什麼可以幫您的嗎？再見。' },
];

const XSS = '<script>alert("xss")</script>';
const IMG = '<img src=x onerror=alert(1)>';
const FORMULA = '=HYPERLINK("http://evil.example/","click")';

type Json = unknown;
// biome-ignore lint/suspicious/noExplicitAny: vendor documents are broken path by path, the way a test names them
type Doc = Record<string, any>;
const json = (value: Json) => JSON.stringify(value, null, 1);

function segments(turns: readonly Turn[] = TURNS): Record<string, unknown>[] {
  return turns.map((t) => ({ speaker: t.role, start: t.start, end: t.end, text: t.text }));
}

function call(id: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return { call_id: id, agent: { id: 'A1001', name: '王芳' }, hangup_by: 'customer', ring_seconds: 4, segments: segments(), ...over };
}

/** A good call with one segment changed. */
function callWithSegment(id: string, k: number, change: Record<string, unknown>): Record<string, unknown> {
  const c = call(id);
  const segs = c.segments as Record<string, unknown>[];
  segs[k] = { ...segs[k], ...change };
  return c;
}

function clock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  return `${String(m).padStart(2, '0')}:${(seconds - m * 60).toFixed(1).padStart(4, '0')}`;
}

function textLines(turns: readonly Turn[] = TURNS, labels = { agent: '坐席', customer: '客户' }): string[] {
  return turns.map((t) => `[${clock(t.start)}-${clock(t.end)}] ${labels[t.role]}：${t.text}`);
}

function transcript(id: string, lines: string[] = textLines(), header: Record<string, string> = {}): string {
  const head = Object.entries({ call_id: id, agent_id: 'A1001', agent_name: '王芳', hangup_by: 'customer', ...header }).map(([k, v]) => `# ${k}: ${v}`);
  return `${[...head, ...lines].join('\n')}\n`;
}

const conv = (id: string, turns: readonly Turn[] = TURNS) => ({ id, turns: [...turns] });
const alibabaDoc = (id: string) => JSON.parse(renderAlibaba(conv(id)).content as string) as Doc;
const tcaDoc = (id: string) => JSON.parse(renderCallAnalytics(conv(id)).content as string) as Doc;
const transcribeDoc = (id: string) => JSON.parse(renderTranscribe(conv(id)).content as string) as Doc;
const whisperDoc = (id: string) => JSON.parse(renderWhisper(conv(id)).content as string) as Doc;
const csvText = (id: string) => renderCsv(conv(id)).content as string;
const srtText = (id: string) => renderSrt(conv(id)).content as string;
const vttText = (id: string) => renderVtt(conv(id)).content as string;

/** An Amazon Connect chat transcript: the customer joins, the agent joins, messages, the customer leaves. */
function chatDoc(id: string): Doc {
  const t0 = Date.parse('2026-03-11T02:15:04.000Z');
  const at = (s: number) => new Date(t0 + s * 1000).toISOString();
  const people = { customer: 'p-customer', agent: 'p-agent' };
  return {
    Channel: 'CHAT',
    JobStatus: 'COMPLETED',
    LanguageCode: 'zh-CN',
    CustomerMetadata: { ContactId: id },
    Participants: [
      { ParticipantId: people.customer, ParticipantRole: 'CUSTOMER', DisplayName: '张伟' },
      { ParticipantId: people.agent, ParticipantRole: 'AGENT', DisplayName: '周婷' },
    ],
    Transcript: [
      {
        Id: 'e1',
        Type: 'EVENT',
        ContentType: 'application/vnd.amazonaws.connect.event.participant.joined',
        ParticipantId: people.customer,
        AbsoluteTime: at(0),
      },
      { Id: 'e2', Type: 'EVENT', ContentType: 'application/vnd.amazonaws.connect.event.participant.joined', ParticipantId: people.agent, AbsoluteTime: at(20) },
      ...TURNS.map((t, k) => ({
        Id: `m${k}`,
        Type: 'MESSAGE',
        ContentType: 'text/plain',
        ParticipantId: people[t.role],
        AbsoluteTime: at(20 + t.start),
        Content: t.text,
      })),
      {
        Id: 'e3',
        Type: 'EVENT',
        ContentType: 'application/vnd.amazonaws.connect.event.participant.left',
        ParticipantId: people.customer,
        AbsoluteTime: at(70),
      },
    ],
  };
}

/** `depth` nested arrays: `[[[…]]]`. */
const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
/** `depth` nested objects under key `a`. */
const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** A string's UTF-8 bytes with `bytes` spliced in at `at` (a fraction of the length, on an ASCII boundary). */
function withBytes(text: string, marker: string, bytes: number[]): Buffer {
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`no ${marker}`);
  const before = Buffer.from(text.slice(0, at), 'utf8');
  const after = Buffer.from(text.slice(at), 'utf8');
  return Buffer.concat([before, Buffer.from(bytes), after]);
}

/** A prefix of `text`'s UTF-8 bytes cut inside a multi-byte character (after `marker`'s first byte). */
function cutInsideChar(text: string, marker: string): Buffer {
  const at = Buffer.byteLength(text.slice(0, text.indexOf(marker)), 'utf8');
  return Buffer.from(text, 'utf8').subarray(0, at + 1);
}

// ---------------------------------------------------------------------------------------------
// The cases.
// ---------------------------------------------------------------------------------------------

type CaseSpec = Omit<InputCase, 'kind' | 'group' | 'named' | 'sources' | 'entries'> & {
  /** One file of this content named `${id}${ext}`, or explicit entries. */
  content?: string | Uint8Array;
  ext?: string;
  entries?: Entry[];
  named?: string[];
  sources?: string[];
};

/** A case of a text format: a case that must be listed must also be located (unless `extra` says otherwise). */
function textCase(id: string, about: string, content: string, outcome: Outcome = 'listed', extra: Partial<CaseSpec> = {}): CaseSpec {
  return { id, about, content, outcome, ...(outcome === 'scored' ? { calls: 1 } : {}), ...(outcome === 'listed' ? { located: true } : {}), ...extra };
}

/**
 * A maker of cases from one format's good document: `change` edits it in place (or returns a
 * replacement); a case that must be listed must also be located.
 */
function mutatedCase(docOf: (id: string) => Doc) {
  return (id: string, about: string, change: (d: Doc) => unknown, outcome: Outcome = 'listed'): CaseSpec => {
    const d = docOf(id);
    const replaced = change(d);
    return {
      id,
      about,
      content: json(replaced === undefined ? d : (replaced as Json)),
      outcome,
      ...(outcome === 'scored' ? { calls: 1 } : {}),
      ...(outcome === 'listed' ? { located: true } : {}),
    };
  };
}

function inputCases(group: string, specs: CaseSpec[], defaultExt: string): InputCase[] {
  return specs.map((s) => {
    const entries = s.entries ?? [{ name: `${s.id}${s.ext ?? defaultExt}`, content: s.content ?? '' }];
    const named = s.named ?? [(entries[0] as Entry).name];
    const { content: _c, ext: _e, ...rest } = s;
    return { ...rest, kind: 'input', group, entries, named, sources: s.sources ?? named };
  });
}

function callqaJsonCases(): InputCase[] {
  const good = json(call('J-TRUNC'));
  const bad = (id: string, value: Json, about: string, extra: Partial<CaseSpec> = {}): CaseSpec => ({
    id,
    about,
    content: json(value),
    outcome: 'listed',
    located: true,
    ...extra,
  });
  return inputCases(
    'callqa-json',
    [
      {
        id: 'j-truncated',
        about: 'truncated in the middle of a value',
        content: good.slice(0, Math.floor(good.length * 0.6)),
        outcome: 'listed',
        located: true,
      },
      { id: 'j-truncated-in-char', about: 'truncated inside a multi-byte character', content: cutInsideChar(good, '宽带'), outcome: 'listed' },
      { id: 'j-empty', about: 'an empty file', content: '', outcome: 'listed' },
      { id: 'j-bom-only', about: 'only a byte order mark', content: '\ufeff', outcome: 'listed' },
      { id: 'j-whitespace', about: 'only white space', content: ' \n\t\r\n ', outcome: 'listed' },
      { id: 'j-null', about: 'the document is null', content: 'null', outcome: 'listed' },
      { id: 'j-number', about: 'the document is a number', content: '42', outcome: 'listed' },
      { id: 'j-string', about: 'the document is a string', content: '"坐席：您好"', outcome: 'listed' },
      { id: 'j-empty-array', about: 'an empty array of calls', content: '[]', outcome: 'listed' },
      { id: 'j-empty-object', about: 'an empty object', content: '{}', outcome: 'listed' },
      bad('j-segments-null', call('J-1', { segments: null }), 'segments: null'),
      bad('j-segments-string', call('J-2', { segments: '坐席：您好' }), 'segments is a string'),
      bad('j-segments-empty', call('J-3', { segments: [] }), 'no segments'),
      bad('j-segment-null', { ...call('J-4'), segments: [...segments().slice(0, 2), null] }, 'a segment is null'),
      bad('j-text-number', callWithSegment('J-5', 1, { text: 42 }), 'a text is a number'),
      bad('j-text-null', callWithSegment('J-6', 1, { text: null }), 'a text is null'),
      bad('j-speaker-null', callWithSegment('J-7', 1, { speaker: null }), 'a speaker is null'),
      bad('j-speaker-unknown', callWithSegment('J-8', 1, { speaker: 'supervisor' }), 'an unknown speaker'),
      bad('j-start-nan-string', callWithSegment('J-9', 1, { start: 'NaN' }), 'start "NaN"'),
      bad('j-start-string', callWithSegment('J-10', 1, { start: '12.5' }), 'start as a string'),
      bad('j-start-negative', callWithSegment('J-11', 0, { start: -5 }), 'a negative start'),
      bad('j-end-before-start', callWithSegment('J-12', 2, { start: 20, end: 3 }), 'an end before its start'),
      bad('j-start-only', callWithSegment('J-13', 2, { end: null }), 'a start without an end'),
      bad('j-mixed-timed', callWithSegment('J-14', 2, { start: null, end: null }), 'timed and untimed segments mixed'),
      {
        id: 'j-start-overflow',
        about: 'a time that overflows a double (1e400 → Infinity)',
        content: good.replace('"start": 0.5', '"start": 1e400'),
        outcome: 'listed',
      },
      {
        id: 'j-times-huge',
        about: 'times of 1e308',
        content: json(callWithSegment('J-15', 6, { start: 1e308, end: 1e308 })),
        outcome: 'either',
        calls: undefined,
        durationSet: true,
      },
      {
        id: 'j-times-backwards-between',
        about: 'segments whose times go backwards from one to the next',
        content: json(call('J-16', { segments: segments().reverse() })),
        outcome: 'either',
      },
      {
        id: 'j-overlap',
        about: 'every turn overlaps the next (allowed)',
        content: json(call('J-17', { segments: segments().map((s) => ({ ...s, end: (s.end as number) + 5 })) })),
        outcome: 'scored',
        calls: 1,
      },
      bad('j-ring-negative', call('J-18', { ring_seconds: -3 }), 'a negative ring time'),
      bad('j-ring-string', call('J-19', { ring_seconds: 'abc' }), 'a ring time "abc"'),
      { id: 'j-ring-huge', about: 'a ring time of 1e308', content: json(call('J-20', { ring_seconds: 1e308 })), outcome: 'either' },
      bad('j-started-at-garbage', call('J-21', { started_at: 'yesterday-ish' }), 'a start time that is not ISO 8601'),
      bad('j-hangup-unknown', call('J-22', { hangup_by: 'martian' }), 'hangup_by "martian"'),
      bad('j-agent-number', call('J-23', { agent: 42 }), 'agent is a number'),
      bad('j-agent-array', call('J-24', { agent: ['A1', '王芳'] }), 'agent is an array'),
      bad('j-call-id-object', call({} as unknown as string), 'call_id is an object'),
      { id: 'j-deep-array', about: '100,000 nested arrays', content: deepArray(100_000), outcome: 'listed' },
      { id: 'j-deep-object', about: '100,000 nested objects', content: deepObject(100_000), outcome: 'listed' },
      { id: 'j-deep-truncated', about: '200,000 opening brackets and nothing else', content: '['.repeat(200_000), outcome: 'listed' },
      {
        id: 'j-deep-text',
        about: 'a segment text nested 20,000 objects deep',
        content: good.replace('"text": "您好', `"text": ${deepObject(20_000)}, "x": "您好`),
        outcome: 'listed',
      },
      {
        id: 'j-array-mixed',
        about: 'an array of a good call, a number, null and a call with a bad time',
        content: json([call('J-25'), 42, null, callWithSegment('J-26', 1, { start: 'x' })]),
        outcome: 'either',
      },
      {
        id: 'j-array-dup-ids',
        about: 'two calls with the same id in one array',
        content: json([call('J-DUP'), call('J-DUP')]),
        outcome: 'scored',
        calls: 2,
      },
      {
        id: 'j-dup-keys',
        about: 'duplicate keys in one object',
        content: `{"call_id":"J-27","call_id":"J-27b","segments":${JSON.stringify(segments())},"segments":${JSON.stringify(segments())}}`,
        outcome: 'scored',
        calls: 1,
      },
      {
        id: 'j-proto-ids',
        about: 'call id __proto__, agent id constructor, agent name toString',
        content: json(call('__proto__', { agent: { id: 'constructor', name: 'toString' } })),
        outcome: 'scored',
        calls: 1,
      },
      {
        id: 'j-proto-keys',
        about: '__proto__ and constructor keys in the call and a segment',
        content: `{"__proto__":{"segments":5},"constructor":{"prototype":1},"call_id":"J-28","segments":[{"__proto__":{"speaker":"customer"},"speaker":"agent","start":0,"end":5,"text":"您好，这里是星辰通信，我是王芳，很高兴为您服务。"},{"speaker":"customer","start":6,"end":8,"text":"你好。"}]}`,
        outcome: 'either',
      },
      {
        id: 'j-unicode',
        about: 'RTL override, zero-width joiners, emoji, a lone surrogate and NUL in names and text',
        content: json(
          call('J-\u202eUNI\u200b', {
            agent: { id: 'A\u200d1', name: '\u202egnp.exe王芳\ud800' },
            segments: segments().map((s, k) => (k === 1 ? { ...s, text: `宽带断了😡👩‍👩‍👧\u200b\u0000\udfff${s.text}` } : s)),
          }),
        ),
        outcome: 'scored',
        calls: 1,
      },
      {
        id: 'j-invalid-byte',
        about: 'a 0xFF byte inside a string',
        content: withBytes(good, '宽带', [0xff]),
        outcome: 'listed',
      },
      {
        id: 'j-comments',
        about: 'a call with // comments and trailing commas (repaired)',
        content: good.replace('{', '{ // a comment\n').replace(/\n\]/, ',\n]'),
        outcome: 'scored',
        calls: 1,
      },
      { id: 'j-trailing-garbage', about: 'a good call followed by garbage', content: `${good}\nxyz`, outcome: 'listed' },
      { id: 'j-two-documents', about: 'two JSON documents one after the other', content: `${good}\n${good}`, outcome: 'listed' },
      { id: 'j-long-id', about: 'a call id of 100,000 characters', content: json(call('J'.repeat(100_000))), outcome: 'either' },
    ],
    '.json',
  );
}

function jsonlCases(): InputCase[] {
  const line = (id: string, over: Record<string, unknown> = {}) => JSON.stringify(call(id, over));
  const lines = (...rows: string[]) => `${rows.join('\n')}\n`;
  const partial = (id: string, about: string, bad: string | Buffer, calls = 1): CaseSpec => ({
    id,
    about,
    content: typeof bad === 'string' ? lines(line(`${id}-ok`), bad) : Buffer.concat([Buffer.from(`${line(`${id}-ok`)}\n`), bad, Buffer.from('\n')]),
    outcome: 'partial',
    calls,
    located: true,
  });
  return inputCases(
    'jsonl',
    [
      partial('l-truncated-last', 'the last line cut short', line('L-x').slice(0, 80)),
      { id: 'l-empty', about: 'an empty file', content: '', outcome: 'listed' },
      { id: 'l-bom-only', about: 'only a byte order mark', content: '\ufeff', outcome: 'listed' },
      { id: 'l-blank-lines', about: 'only blank lines', content: '\n\n  \n\r\n', outcome: 'listed' },
      partial('l-null-line', 'a line that is null', 'null'),
      partial('l-array-line', 'a line that is an array', '[1,2,3]'),
      partial('l-number-line', 'a line that is a number', '1e999'),
      partial('l-string-line', 'a line that is a string', '"坐席：您好"'),
      partial('l-invalid-byte', 'a 0xFF byte in one line', withBytes(line('L-bad'), '您好', [0xff])),
      partial('l-nul-bytes', 'a line of NUL bytes', Buffer.alloc(300)),
      { id: 'l-crlf', about: 'CR LF line ends', content: `${line('L-CR1')}\r\n${line('L-CR2')}\r\n`, outcome: 'scored', calls: 2 },
      { id: 'l-dup-ids', about: 'three lines with the same call id', content: lines(line('L-DUP'), line('L-DUP'), line('L-DUP')), outcome: 'scored', calls: 3 },
      {
        id: 'l-proto-ids',
        about: 'call ids __proto__, constructor, toString, hasOwnProperty',
        content: lines(line('__proto__'), line('constructor'), line('toString'), line('hasOwnProperty')),
        outcome: 'scored',
        calls: 4,
      },
      partial('l-deep-line', 'a line of 50,000 nested arrays', deepArray(50_000)),
      partial('l-nan-times', 'a line with start "NaN"', JSON.stringify(callWithSegment('L-nan', 1, { start: 'NaN' }))),
      partial('l-backwards', 'a line with an end before its start', JSON.stringify(callWithSegment('L-back', 1, { start: 12, end: 2 }))),
      partial('l-wrong-types', 'a line whose segments is a string', line('L-wt', { segments: 'x' })),
      partial('l-trailing-comma', 'a line ending in a comma', `${line('L-tc')},`),
      {
        id: 'l-utf16',
        about: 'UTF-16LE JSON Lines (not supported: save as UTF-8)',
        content: utf16(lines(line('L-16a'), line('L-16b')), 'le'),
        outcome: 'listed',
      },
      { id: 'l-gbk', about: 'GBK-encoded lines', content: encodeLegacy(lines(line('L-GBK1'), line('L-GBK2')), 'gb18030'), outcome: 'scored', calls: 2 },
      {
        id: 'l-big5',
        about: 'Big5-encoded line',
        content: encodeLegacy(lines(JSON.stringify(call('L-BIG5', { agent: { id: 'B1', name: '陳靜' }, segments: segments(TRAD) }))), 'big5'),
        outcome: 'scored',
        calls: 1,
      },
      { id: 'l-bom-first', about: 'a byte order mark before the first line', content: `\ufeff${lines(line('L-BOM'))}`, outcome: 'scored', calls: 1 },
      {
        id: 'l-mixed-encodings',
        about: 'a UTF-8 line, then a GBK line',
        content: Buffer.concat([Buffer.from(`${line('L-MIX1')}\n`), encodeLegacy(`${line('L-MIX2')}\n`, 'gb18030')]),
        outcome: 'partial',
        calls: 1,
        located: true,
      },
      {
        id: 'l-many',
        about: '3,000 calls, one a line',
        content: lines(...Array.from({ length: 3000 }, (_, k) => JSON.stringify({ call_id: `L-M${k}`, segments: segments().slice(0, 3) }))),
        outcome: 'scored',
        calls: 3000,
      },
      { id: 'l-cr-only', about: 'lines separated by CR alone', content: `${line('L-R1')}\r${line('L-R2')}\r`, outcome: 'either' },
    ],
    '.jsonl',
  );
}

function textCases(): InputCase[] {
  const t = (id: string, about: string, content: string | Buffer, outcome: Outcome = 'listed', extra: Partial<CaseSpec> = {}): CaseSpec => ({
    id,
    about,
    content,
    outcome,
    ...(outcome === 'listed' ? { located: true } : {}),
    ...(outcome === 'scored' ? { calls: 1 } : {}),
    ...extra,
  });
  const L = textLines();
  return inputCases(
    'txt',
    [
      t('t-empty', 'an empty file', '', 'listed', { located: undefined }),
      t('t-bom-only', 'only a byte order mark', '\ufeff', 'listed', { located: undefined }),
      t('t-whitespace', 'only white space', '  \n\n\t\n', 'listed', { located: undefined }),
      t('t-headers-only', 'headers and no utterances', '# call_id: T-1\n# agent_id: A1\n', 'listed', { located: undefined }),
      t('t-unknown-header', 'an unknown header key', transcript('T-2', L, { colour: 'blue' })),
      t('t-backwards-range', 'a range whose end is before its start', transcript('T-3', [...L.slice(0, 2), '[00:20.0-00:05.0] 坐席：好的。', ...L.slice(2)])),
      t(
        't-backwards-between',
        'ranged times that go backwards from one line to the next',
        transcript('T-4', [...L.slice(0, 3), '[00:02.0-00:03.0] 客户：等一下。', ...L.slice(3)]),
      ),
      t(
        't-start-only-backwards',
        'start-only times that go backwards',
        transcript('T-5', ['[00:10] 坐席：您好，这里是星辰通信。', '[00:05] 客户：你好。', '[00:20] 坐席：再见。']),
      ),
      t('t-bad-clock', 'a timestamp of letters', transcript('T-6', [...L.slice(0, 1), '[aa:bb.c-cc:dd] 客户：你好。'])),
      t('t-seconds-75', 'seventy-five seconds in a minute', transcript('T-7', [...L.slice(0, 1), '[00:75.0-00:79.0] 客户：你好。'])),
      t('t-huge-hours', 'a time of 99,999,999 hours', transcript('T-8', [...L, '[99999999:00:00-99999999:00:05] 客户：再见。']), 'either'),
      t('t-mixed-timed', 'timed and untimed lines', transcript('T-9', [...L.slice(0, 2), '客户：还有一件事。'])),
      t('t-unknown-speaker', 'an unknown speaker label', transcript('T-10', [...L.slice(0, 2), '[00:40.0-00:41.0] 主管：我来处理。'])),
      t('t-ring-negative', 'ring_seconds -5', transcript('T-11', L, { ring_seconds: '-5' })),
      t('t-ring-nan', 'ring_seconds NaN', transcript('T-12', L, { ring_seconds: 'NaN' })),
      t('t-ring-huge', 'ring_seconds 1e308', transcript('T-13', L, { ring_seconds: '1e308' }), 'either'),
      t('t-started-garbage', 'started_at that is not a time', transcript('T-14', L, { started_at: '32/13/2026 25:61' })),
      t('t-hangup-weird', 'hangup_by "nobody"', transcript('T-15', L, { hangup_by: 'nobody' })),
      t(
        't-formula',
        'formulas in the id, name and text',
        transcript(`${FORMULA}`, [...L, '[00:43.0-00:44.0] 坐席：=1+2 @SUM(A1) -3 +4 ＝5'], { agent_name: '+cmd|" /C calc"!A0', agent_id: '@A1' }),
        'scored',
      ),
      t('t-script', 'markup in the name and text', transcript('T-SCRIPT', [...L, `[00:43.0-00:44.0] 坐席：${XSS}${IMG}`], { agent_name: XSS }), 'scored'),
      t('t-nul', 'NUL characters in the text', transcript('T-16', [...L, '[00:43.0-00:44.0] 坐席：再\u0000见']), 'scored'),
      t('t-cr-only', 'lines separated by CR alone', transcript('T-17').replace(/\n/g, '\r'), 'either'),
      t('t-long-line', 'one utterance of 400,000 characters', transcript('T-18', [...L, `[00:43.0-00:50.0] 坐席：${'好的，'.repeat(133_333)}`]), 'scored'),
      t(
        't-many-lines',
        '20,000 untimed lines',
        transcript(
          'T-19',
          Array.from({ length: 20_000 }, (_, k) => (k % 2 ? '客户：嗯。' : '坐席：好的。')),
        ),
        // Scored, or listed as too large (a limit on a call's segments keeps memory bounded): both keep the promise.
        'either',
        // In the rubric's language (zh-phone: zh-CN) or English.
        { reason: /too large|过大/ },
      ),
      t('t-empty-text', 'labels with no text', transcript('T-20', ['坐席：', '客户：', '坐席：']), 'either'),
      t('t-no-labels', 'lines without speaker labels', transcript('T-21', ['hello world', 'nothing to see']), 'listed'),
      t('t-invalid-byte', 'a 0xFF byte', withBytes(transcript('T-22'), '宽带', [0xff]), 'listed', { located: undefined }),
      t('t-cesu-surrogate', 'a surrogate encoded as three bytes (CESU-8)', withBytes(transcript('T-23'), '宽带', [0xed, 0xa0, 0x80]), 'either'),
      t('t-truncated-char', 'cut inside a multi-byte character', cutInsideChar(transcript('T-24'), '再见'), 'either'),
    ],
    '.txt',
  );
}

function encodingCases(): InputCase[] {
  const trad = transcript('E-BIG5', textLines(TRAD, { agent: '坐席', customer: '客戶' }), { agent_name: '陳靜' });
  const s = (id: string, about: string, content: Buffer | string, ext: string, outcome: Outcome = 'scored'): CaseSpec => ({
    id,
    about,
    content,
    ext,
    outcome,
    ...(outcome === 'scored' ? { calls: 1 } : {}),
  });
  return inputCases(
    'encodings',
    [
      s('e-utf8-bom-txt', 'UTF-8 with BOM', `\ufeff${transcript('E-U8BOM')}`, '.txt'),
      s('e-utf16le-txt', 'UTF-16LE with BOM, CR LF', utf16(transcript('E-U16LE').replace(/\n/g, '\r\n'), 'le'), '.txt'),
      s('e-utf16be-txt', 'UTF-16BE with BOM', utf16(transcript('E-U16BE'), 'be'), '.txt'),
      s('e-utf16le-no-bom', 'UTF-16LE without a BOM', Buffer.from(transcript('E-U16NB'), 'utf16le'), '.txt', 'either'),
      s('e-gbk-txt', 'GBK', encodeLegacy(transcript('E-GBK'), 'gb18030'), '.txt'),
      s('e-big5-txt', 'Big5, Traditional', encodeLegacy(trad, 'big5'), '.txt'),
      s('e-gbk-json', 'GBK JSON', encodeLegacy(json(call('E-GBKJ')), 'gb18030'), '.json'),
      s('e-big5-json', 'Big5 JSON', encodeLegacy(json(call('E-BIG5J', { agent: { id: 'B1', name: '陳靜' }, segments: segments(TRAD) })), 'big5'), '.json'),
      s('e-utf16le-json', 'UTF-16LE JSON', utf16(json(call('E-U16J')), 'le'), '.json'),
      s('e-utf16be-json', 'UTF-16BE JSON', utf16(json(call('E-U16BEJ')), 'be'), '.json'),
      s('e-gbk-csv', 'GBK CSV', encodeLegacy(csvText('E-GBKCSV').replace(/^\ufeff/, ''), 'gb18030'), '.csv'),
      s('e-big5-srt', 'Big5 SRT', encodeLegacy((renderSrt(conv('E-BIG5SRT', TRAD)).content as string).replaceAll('客户', '客戶'), 'big5'), '.srt'),
      s('e-utf16le-vtt', 'UTF-16LE WebVTT', utf16(vttText('E-U16VTT'), 'le'), '.vtt'),
      s('e-invalid-ff', 'a 0xFF byte in the middle', withBytes(transcript('E-FF'), '宽带', [0xff]), '.txt', 'listed'),
      s(
        'e-gbk-bad-byte',
        'GBK with a stray 0xFF',
        Buffer.concat([encodeLegacy(transcript('E-GBKBAD'), 'gb18030'), Buffer.from([0xff, 0x0a])]),
        '.txt',
        'listed',
      ),
      s('e-utf16-odd', 'UTF-16LE with an odd number of bytes', Buffer.concat([utf16(transcript('E-ODD'), 'le'), Buffer.from([0x41])]), '.txt', 'listed'),
      s(
        'e-utf16-lone-surrogate',
        'UTF-16LE with an unpaired surrogate',
        Buffer.concat([utf16(transcript('E-LONE'), 'le'), Buffer.from([0x00, 0xd8, 0x0a, 0x00])]),
        '.txt',
        'listed',
      ),
      s('e-two-boms', 'a UTF-8 BOM then a UTF-16 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf16(transcript('E-2BOM'), 'le')]), '.txt', 'either'),
      s(
        'e-utf32',
        'UTF-32LE with BOM',
        (() => {
          const text = `\ufeff${transcript('E-U32')}`;
          const out = Buffer.alloc([...text].length * 4);
          for (const [k, ch] of [...text].entries()) out.writeUInt32LE(ch.codePointAt(0) as number, k * 4);
          return out;
        })(),
        '.txt',
        'either',
      ),
      s('e-binary', 'random bytes', randomBytes(4096), '.txt', 'listed'),
    ],
    '.txt',
  );
}

function alibabaCases(): InputCase[] {
  const a = mutatedCase(alibabaDoc);
  return inputCases(
    'alibaba',
    [
      a('a-failed-task', 'a task that failed', (d) => ({ TaskId: d.TaskId, StatusText: 'FILE_DOWNLOAD_FAILED', StatusCode: 41050002 })),
      a('a-running', 'a task still running', (d) => ({ TaskId: d.TaskId, StatusText: 'RUNNING' })),
      a('a-sentences-null', 'Sentences: null', (d) => {
        d.Result.Sentences = null;
      }),
      a('a-sentences-empty', 'no sentences', (d) => {
        d.Result.Sentences = [];
      }),
      a('a-begin-negative', 'a negative BeginTime', (d) => {
        d.Result.Sentences[1].BeginTime = -500;
      }),
      a('a-begin-letters', 'BeginTime "abc"', (d) => {
        d.Result.Sentences[1].BeginTime = 'abc';
      }),
      a(
        'a-begin-numeric-string',
        'BeginTime as a numeric string (allowed)',
        (d) => {
          d.Result.Sentences[1].BeginTime = '9800';
        },
        'scored',
      ),
      a('a-end-before-begin', 'EndTime before BeginTime', (d) => {
        d.Result.Sentences[2].EndTime = 100;
      }),
      a(
        'a-end-huge',
        'EndTime 1e308',
        (d) => {
          d.Result.Sentences[6].EndTime = 1e308;
        },
        'either',
      ),
      a('a-channel-letters', 'ChannelId "x"', (d) => {
        d.Result.Sentences[0].ChannelId = 'x';
      }),
      a('a-channel-negative', 'ChannelId -1', (d) => {
        d.Result.Sentences[0].ChannelId = -1;
      }),
      a('a-text-null', 'Text: null', (d) => {
        d.Result.Sentences[3].Text = null;
      }),
      a('a-camel-null', 'camelCase with beginTime null', (d) => ({
        taskId: d.TaskId,
        statusText: 'SUCCESS',
        result: {
          sentences: d.Result.Sentences.map((s: Record<string, unknown>, k: number) => ({
            beginTime: k === 2 ? null : s.BeginTime,
            endTime: s.EndTime,
            text: s.Text,
            channelId: s.ChannelId,
          })),
        },
      })),
      a('a-bare-array', 'a bare array of sentences', (d) => d.Result.Sentences, 'scored'),
      a(
        'a-unsorted',
        'sentences channel by channel, out of time order',
        (d) => {
          d.Result.Sentences.sort((x: Doc, y: Doc) => x.ChannelId - y.ChannelId || y.BeginTime - x.BeginTime);
        },
        'scored',
      ),
      a(
        'a-speaker-proto',
        'diarised mono with SpeakerIds __proto__ and constructor',
        (d) =>
          void d.Result.Sentences.forEach((s: Doc) => {
            s.SpeakerId = s.ChannelId === 0 ? '__proto__' : 'constructor';
            s.ChannelId = 0;
          }),
        'scored',
      ),
      {
        ...a(
          'a-one-channel',
          'every sentence on channel 0, no speaker ids',
          (d) =>
            void d.Result.Sentences.forEach((s: Doc) => {
              s.ChannelId = 0;
            }),
        ),
        located: undefined,
      },
      {
        id: 'a-deep-sentences',
        about: 'sentences nested 10,000 arrays deep',
        content: `{"TaskId":"x","StatusText":"SUCCESS","Result":{"Sentences":[{"BeginTime":0,"EndTime":5,"Text":${deepArray(10_000)},"ChannelId":0},${deepArray(10_000)}]}}`,
        outcome: 'listed',
      },
      { id: 'a-truncated', about: 'truncated', content: json(alibabaDoc('a-truncated')).slice(0, 500), outcome: 'listed', located: true },
    ],
    '.json',
  );
}

function callAnalyticsCases(): InputCase[] {
  const c = mutatedCase(tcaDoc);
  return inputCases(
    'aws-call-analytics',
    [
      c('c-begin-negative', 'a negative BeginOffsetMillis', (d) => {
        d.Transcript[1].BeginOffsetMillis = -10;
      }),
      c('c-content-null', 'Content: null', (d) => {
        d.Transcript[1].Content = null;
      }),
      c(
        'c-role-unknown',
        'ParticipantRole SUPERVISOR',
        (d) => {
          d.Transcript[1].ParticipantRole = 'SUPERVISOR';
        },
        'either',
      ),
      c('c-participant-missing', 'a ParticipantId not in Participants', (d) => {
        d.Participants = [{ ParticipantId: 'p1', ParticipantRole: 'AGENT' }];
        d.Transcript.forEach((t: Doc) => {
          delete t.ParticipantRole;
          t.ParticipantId = 'p2';
        });
      }),
      c(
        'c-overlap',
        'every turn overlaps the next',
        (d) => {
          for (const t of d.Transcript) t.EndOffsetMillis += 4000;
        },
        'scored',
      ),
      c(
        'c-jobname-formula',
        'JobName a formula',
        (d) => {
          d.JobName = `${FORMULA}.wav`;
        },
        'scored',
      ),
      c('c-end-before-begin', 'an end before its begin', (d) => {
        d.Transcript[2].EndOffsetMillis = 1;
      }),
      c('c-empty-transcript', 'an empty Transcript', (d) => {
        d.Transcript = [];
      }),
      c('c-millis-letters', 'BeginOffsetMillis "abc"', (d) => {
        d.Transcript[0].BeginOffsetMillis = 'abc';
      }),
      c(
        'c-millis-huge',
        'EndOffsetMillis 1e308',
        (d) => {
          d.Transcript[6].EndOffsetMillis = 1e308;
        },
        'either',
      ),
      c('c-transcript-object', 'Transcript is an object', (d) => {
        d.Transcript = { 0: d.Transcript[0] };
      }),
      {
        id: 'c-jsonc',
        about: '// comments and trailing commas (repaired)',
        content: json(tcaDoc('C-JSONC'))
          .replace('{', '{ // Call Analytics\n')
          .replace(/\n\s*\]\s*\n\}$/, ',\n]\n}'),
        ext: '.jsonc',
        outcome: 'scored',
        calls: 1,
      },
      { id: 'c-stray-brace', about: 'a stray closing brace at the end (repaired)', content: `${json(tcaDoc('C-STRAY'))}\n}`, outcome: 'scored', calls: 1 },
      { id: 'c-truncated', about: 'truncated', content: json(tcaDoc('C-TR')).slice(0, 700), outcome: 'listed', located: true },
    ],
    '.json',
  );
}

function chatCases(): InputCase[] {
  const h = mutatedCase(chatDoc);
  return inputCases(
    'contact-lens-chat',
    [
      h('h-good', 'a chat as Connect writes it', () => undefined, 'scored'),
      h('h-time-garbage', 'an AbsoluteTime that is not a time', (d) => {
        d.Transcript[3].AbsoluteTime = 'soon';
      }),
      h(
        'h-time-backwards',
        'items in reverse time order',
        (d) => {
          d.Transcript.reverse();
        },
        'either',
      ),
      h(
        'h-time-far',
        'one message in the year 9999',
        (d) => {
          d.Transcript[4].AbsoluteTime = '9999-12-31T23:59:59.999Z';
        },
        'either',
      ),
      h('h-no-messages', 'events only', (d) => {
        d.Transcript = d.Transcript.filter((t: Doc) => t.Type === 'EVENT');
      }),
      h('h-content-null', 'Content: null', (d) => {
        d.Transcript[3].Content = null;
      }),
      h('h-roleless', 'messages whose ParticipantId is unknown', (d) => {
        for (const t of d.Transcript) t.ParticipantId = 'nobody';
      }),
      h(
        'h-script-name',
        'an agent display name with markup',
        (d) => {
          d.Participants[1].DisplayName = XSS;
        },
        'scored',
      ),
      h(
        'h-contact-proto',
        'ContactId __proto__',
        (d) => {
          d.CustomerMetadata.ContactId = '__proto__';
        },
        'scored',
      ),
      h('h-empty-transcript', 'an empty chat', (d) => {
        d.Transcript = [];
      }),
    ],
    '.json',
  );
}

function transcribeCases(): InputCase[] {
  const s = mutatedCase(transcribeDoc);
  const timed = (d: Doc) => d.results.items.filter((i: Doc) => i.start_time !== undefined);
  return inputCases(
    'aws-transcribe',
    [
      s('s-items-empty', 'no items', (d) => {
        d.results.items = [];
      }),
      s('s-start-nan', 'start_time "NaN"', (d) => {
        timed(d)[3].start_time = 'NaN';
      }),
      s('s-start-negative', 'start_time "-1.0"', (d) => {
        timed(d)[3].start_time = '-1.0';
      }),
      s('s-end-before-start', 'an end before its start', (d) => {
        timed(d)[3].end_time = '0.001';
      }),
      s(
        's-no-labels',
        'no speaker or channel labels',
        (d) => {
          delete d.results.speaker_labels;
        },
        'listed',
      ),
      s(
        's-jobname-formula',
        'jobName a formula',
        (d) => {
          d.jobName = FORMULA;
        },
        'scored',
      ),
      s(
        's-time-huge',
        'end_time "1e308"',
        (d) => {
          timed(d).at(-1).end_time = '1e308';
        },
        'either',
      ),
      s('s-items-null', 'items: null', (d) => {
        d.results.items = null;
      }),
      s('s-punctuation-only', 'punctuation items only', (d) => {
        d.results.items = [{ type: 'punctuation', alternatives: [{ content: '。' }] }];
      }),
      s(
        's-labels-proto',
        'speaker labels __proto__ and constructor',
        (d) => {
          const text = JSON.stringify(d).replaceAll('"spk_0"', '"__proto__"').replaceAll('"spk_1"', '"constructor"');
          return JSON.parse(text);
        },
        'scored',
      ),
    ],
    '.json',
  );
}

function whisperCases(): InputCase[] {
  const w = mutatedCase(whisperDoc);
  return inputCases(
    'whisper',
    [
      w('w-start-null', 'start: null', (d) => {
        d.segments[2].start = null;
      }),
      w('w-no-speakers', 'no speakers and no role prefixes', (d) => {
        for (const s of d.segments) delete s.speaker;
      }),
      w(
        'w-speakers-proto',
        'speakers __proto__ and constructor',
        (d) => {
          for (const s of d.segments) s.speaker = s.speaker === 'SPEAKER_00' ? '__proto__' : 'constructor';
        },
        'scored',
      ),
      w('w-end-before-start', 'an end before its start', (d) => {
        d.segments[2].end = 0.1;
      }),
      w(
        'w-emoji',
        '20,000 emoji in one segment',
        (d) => {
          d.segments[1].text = '😀'.repeat(20_000);
        },
        'scored',
      ),
      w('w-bare-array', 'a bare array of segments', (d) => d.segments, 'scored'),
      w('w-times-strings', 'times as strings', (d) => {
        d.segments[1].start = 'ten';
      }),
      w(
        'w-time-huge',
        'end 1e308',
        (d) => {
          d.segments[6].end = 1e308;
        },
        'either',
      ),
      w(
        'w-words-weird',
        'words with negative and NaN-like times',
        (d) => {
          d.segments[1].words = [{ word: '你好', start: -1, end: 'x', speaker: {} }];
        },
        'either',
      ),
      w('w-text-object', 'text is an object', (d) => {
        d.segments[1].text = { zh: '你好' };
      }),
    ],
    '.json',
  );
}

function vttCases(): InputCase[] {
  const good = vttText('V-GOOD');
  const v = textCase;
  return inputCases(
    'vtt',
    [
      v('v-no-header', 'no WEBVTT line', good.replace('WEBVTT\n\n', '')),
      v('v-bad-timing', 'a timing line that is not one', good.replace('00:00:09.800 --> ', '00:00:0x.800 --> ')),
      v('v-backwards-cue', 'a cue ending before it starts', good.replace('00:00:09.800 --> 00:00:12.800', '00:00:12.800 --> 00:00:09.800')),
      v('v-huge-stamp', 'a timestamp of 99,999 hours', good.replace('00:00:35.000 --> 00:00:42.300', '99999:00:35.000 --> 99999:00:42.300'), 'either'),
      v(
        'v-voices-proto',
        'voices named __proto__ and constructor',
        good.replaceAll('<v 王芳>', '<v __proto__>').replaceAll('<v 陈先生>', '<v constructor>'),
        'scored',
      ),
      v('v-script-entities', 'escaped markup that decodes to <script>', good.replace('再见。', `再见。&lt;script&gt;alert("xss")&lt;/script&gt;`), 'scored'),
      v('v-empty', 'an empty file', '', 'listed', { located: undefined }),
      v('v-header-only', 'WEBVTT and nothing else', 'WEBVTT\n', 'listed', { located: undefined }),
      v('v-unclosed-tags', 'unclosed and unknown tags', good.replace('<v 王芳>您好', '<v 王芳><b><i><c.x><ruby>您好<rt>'), 'scored'),
      v('v-crlf-bom', 'BOM and CR LF', `\ufeff${good.replace(/\n/g, '\r\n')}`, 'scored'),
      v('v-deep-tags', '10,000 nested <b> tags', good.replace('<v 王芳>您好', `<v 王芳>${'<b>'.repeat(10_000)}您好`), 'scored'),
      v('v-arrow-only', 'a cue timing of just "-->"', good.replace('00:00:09.800 --> 00:00:12.800', '-->')),
    ],
    '.vtt',
  );
}

function srtCases(): InputCase[] {
  const good = srtText('R-GOOD');
  const r = textCase;
  return inputCases(
    'srt',
    [
      r('r-bad-timing', 'a timing line that is not one', good.replace('00:00:09,800 --> ', '00:00:09;800 -> ')),
      r('r-backwards', 'a subtitle ending before it starts', good.replace('00:00:09,800 --> 00:00:12,800', '00:00:12,800 --> 00:00:09,800')),
      r('r-no-prefix', 'no role prefixes', good.replace(/(坐席|客户)：/g, '')),
      r('r-index-garbage', 'subtitle numbers that are words', good.replace(/^\d+\r$/gm, 'abc\r'), 'either'),
      r('r-empty', 'an empty file', '', 'listed', { located: undefined }),
      r('r-negative', 'a negative time', good.replace('00:00:00,500 -->', '-00:00:01,000 -->')),
      r('r-huge-hours', 'a time of 9,999,999 hours', good.replace('00:00:35,000 --> 00:00:42,300', '9999999:00:35,000 --> 9999999:00:42,300'), 'either'),
      r('r-formula', 'formula text', good.replace('再见。', `再见。${FORMULA}`), 'scored'),
      r('r-bom', 'a BOM', `\ufeff${good}`, 'scored'),
      r('r-proto-prefix', 'prefixes constructor： and __proto__：', good.replace('坐席：', 'constructor：').replace('客户：', '__proto__：'), 'either'),
    ],
    '.srt',
  );
}

function csvCases(): InputCase[] {
  const head = '通话ID,角色,开始时间,结束时间,内容';
  const rows = (id: string) => TURNS.map((t) => `${id},${t.role === 'agent' ? '坐席' : '客户'},${t.start},${t.end},${t.text}`);
  const csv = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;
  const x = (id: string, about: string, content: string | Buffer, outcome: Outcome = 'listed', extra: Partial<CaseSpec> = {}): CaseSpec => ({
    id,
    about,
    content,
    outcome,
    ...(outcome === 'scored' ? { calls: 1 } : {}),
    ...(outcome === 'listed' ? { located: true } : {}),
    ...extra,
  });
  const bad = (id: string, k: number, cell: number, value: string) => {
    const r = rows(id);
    const cells = (r[k] as string).split(',');
    cells[cell] = value;
    r[k] = cells.join(',');
    return csv(head, ...r);
  };
  return inputCases(
    'csv-export',
    [
      x('x-header-only', 'a header and no rows', csv(head)),
      x('x-empty', 'an empty file', ''),
      x('x-bom-only', 'only a byte order mark', '\ufeff'),
      x('x-no-text-column', 'no text column', csv('通话ID,角色,开始时间,结束时间', ...rows('X-1').map((r) => r.split(',').slice(0, 4).join(',')))),
      x(
        'x-proto-columns',
        'extra columns __proto__, constructor, toString',
        csv(`${head},__proto__,constructor,toString`, ...rows('X-2').map((r) => `${r},1,2,3`)),
        'scored',
      ),
      x(
        'x-formula-cells',
        'formulas in cells',
        csv(head, ...rows("=cmd|' /C calc'!A0").map((r, k) => (k === 0 ? r.replace('您好', '=1+2 您好') : r))),
        'scored',
      ),
      x('x-script-cells', 'markup in cells', csv(head, ...rows('X-SCRIPT').map((r, k) => (k === 2 ? `${r}${XSS.replace(/"/g, "'")}` : r))), 'scored'),
      x('x-unterminated-quote', 'a quote that never closes', csv(head, ...rows('X-3').slice(0, 2), 'X-3,坐席,13,22,"好的，请您提供', ...rows('X-3').slice(3))),
      x('x-short-row', 'a row with two cells', csv(head, ...rows('X-4').slice(0, 2), 'X-4,坐席', ...rows('X-4').slice(3)), 'either'),
      x('x-over-six-hours', 'a plain time over six hours', bad('X-5', 6, 3, '42300')),
      x('x-nan-times', 'a time "NaN"', bad('X-6', 2, 2, 'NaN')),
      x('x-negative-times', 'a negative time', bad('X-7', 0, 2, '-3')),
      x('x-backwards', 'an end before its start', bad('X-8', 2, 3, '1')),
      x('x-proto-ids', 'call ids __proto__ and constructor', csv(head, ...rows('__proto__'), ...rows('constructor')), 'scored', { calls: 2 }),
      x('x-interleaved', 'two calls whose rows alternate', csv(head, ...rows('X-A').flatMap((r, k) => [r, rows('X-B')[k] as string])), 'scored', { calls: 2 }),
      x('x-huge-cell', 'a text cell of 400,000 characters', csv(head, ...rows('X-9'), `X-9,坐席,43,50,${'好的'.repeat(200_000)}`), 'scored'),
      x('x-many-calls', '1,000 calls of two rows', csv(head, ...Array.from({ length: 1000 }, (_, k) => rows(`X-M${k}`).slice(0, 2)).flat()), 'scored', {
        calls: 1000,
      }),
      x(
        'x-partial',
        'two calls, one with a bad row',
        csv(head, ...rows('X-OK'), ...rows('X-BAD').map((r, k) => (k === 1 ? r.replace(',9.8,', ',abc,') : r))),
        'partial',
        { calls: 1 },
      ),
      x('x-tsv', 'tab-separated', csv(...[head, ...rows('X-TSV')].map((l) => l.replace(/,/g, '\t'))), 'scored', { ext: '.tsv' }),
      x(
        'x-quoted-newlines',
        'quoted cells with commas, quotes and line breaks',
        csv(head, ...rows('X-Q').map((r, k) => (k === 1 ? r.replace(/,([^,]*)$/, ',"a, ""quoted""\r\nline"') : r))),
        'scored',
      ),
    ],
    '.csv',
  );
}

/** Path-like ids, formulas and markup, scored with --coaching and --xlsx (which write files named by agent). */
function idCases(abs: string, token: string): InputCase[] {
  const climb = (n: number, tag: string) => `${'../'.repeat(n)}ESCAPE-${tag}`;
  const i = (id: string, about: string, value: Record<string, unknown>, outcome: Outcome = 'scored', calls = 1): CaseSpec => ({
    id,
    about,
    content: json(value),
    outcome,
    ...(outcome === 'scored' ? { calls } : {}),
  });
  return inputCases(
    'ids',
    [
      i('i-path-dots', 'call and agent ids that climb out of the report', call(climb(3, 'call'), { agent: { id: climb(2, 'agent'), name: climb(4, 'name') } })),
      i('i-path-deep', 'an agent id that climbs to /tmp', call('I-2', { agent: { id: `${'../'.repeat(24)}tmp/hostile-escape-${token}`, name: '王芳' } })),
      i('i-path-abs', 'an absolute agent id inside the run folder', call('I-3', { agent: { id: `${abs}/ESCAPE-abs`, name: '王芳' } })),
      i('i-etc-passwd', 'call and agent ids ../../etc/passwd', call('../../etc/passwd', { agent: { id: '../../etc/passwd', name: '/etc/passwd' } })),
      i('i-path-windows', 'Windows paths', call('C:\\x\\..\\..\\ESCAPE-win', { agent: { id: '..\\..\\ESCAPE-win-agent', name: 'C:\\Windows' } })),
      i('i-path-nul', 'NUL in the ids', call('I-\u0000-nul', { agent: { id: 'A\u0000../../ESCAPE-nul', name: '王\u0000芳' } }), 'either'),
      {
        id: 'i-dot-agents',
        about: 'agent ids "." and ".."',
        content: json([call('I-4', { agent: { id: '.', name: '.' } }), call('I-5', { agent: { id: '..', name: '..' } })]),
        outcome: 'scored',
        calls: 2,
      },
      i('i-agent-empty', 'an empty agent id', call('I-6', { agent: { id: '', name: '' } }), 'either'),
      {
        id: 'i-agent-proto',
        about: 'agents __proto__, constructor, toString, valueOf',
        content: json(['__proto__', 'constructor', 'toString', 'valueOf'].map((a, k) => call(`I-P${k}`, { agent: { id: a, name: a } }))),
        outcome: 'scored',
        calls: 4,
      },
      i(
        'i-formula',
        'formulas in every id and name, half- and full-width',
        call('@SUM(A1)', { agent: { id: '+cmd', name: FORMULA }, segments: segments().map((s, k) => (k === 6 ? { ...s, text: `－1＋1 ${s.text}` } : s)) }),
      ),
      i(
        'i-script',
        'markup in ids, names and text',
        call(`I-${IMG}`, { agent: { id: XSS, name: XSS }, segments: segments().map((s, k) => (k === 4 ? { ...s, text: `${s.text}${XSS}${IMG}` } : s)) }),
      ),
      i('i-rtl', 'an agent name with an RTL override', call('I-7', { agent: { id: 'A\u202e7', name: '\u202eexe.txt' } })),
      i('i-long-agent', 'an agent id of 5,000 characters', call('I-8', { agent: { id: 'A'.repeat(5000), name: '王芳' } })),
      i('i-dup-call', 'the call id of another file', call('I-DUP')),
      {
        id: 'i-dup-call-2',
        about: 'the same call id as i-dup-call, from another file',
        content: json(call('I-DUP', { agent: { id: 'A1002', name: '李明' } })),
        outcome: 'scored',
        calls: 1,
      },
      {
        id: 'i-txt-path',
        about: 'a plain-text agent id that climbs',
        content: transcript('I-9', textLines(), { agent_id: climb(4, 'txt') }),
        ext: '.txt',
        outcome: 'scored',
        calls: 1,
      },
      {
        id: 'i-contact-path',
        about: 'a Contact Lens ContactId that climbs',
        content: json({ ...tcaDoc('x'), CustomerMetadata: { ContactId: climb(3, 'contact') } }),
        outcome: 'scored',
        calls: 1,
      },
      {
        id: 'i-file-formula',
        about: 'a file named like a formula (its stem is the call id)',
        entries: [{ name: '=HYPERLINK(1,2).json', content: json({ segments: segments() }) }],
        outcome: 'scored',
        calls: 1,
      },
      {
        id: 'i-file-markup',
        about: 'a file named with markup',
        entries: [{ name: '<img src=x onerror=alert(2)>.json', content: json({ segments: segments() }) }],
        outcome: 'scored',
        calls: 1,
      },
      {
        id: 'i-file-dash',
        about: 'a file named like an option',
        entries: [{ name: '-rf.json', content: json(call('I-DASH')) }],
        named: ['./-rf.json'],
        outcome: 'scored',
        calls: 1,
      },
    ],
    '.json',
  );
}

/** Not files: FIFOs, devices, broken and looping links; each in a run of its own (a mistake would hang the batch). */
function specialCases(): InputCase[] {
  const good = json(call('SP-LINKED'));
  const sp = (c: Omit<InputCase, 'kind' | 'group' | 'sources'> & { sources?: string[] }): InputCase => ({
    ...c,
    kind: 'input',
    group: `special:${c.id}`,
    sources: c.sources ?? c.named,
  });
  return [
    sp({
      id: 'sp-fifo-named',
      about: 'a FIFO named on the command line',
      entries: [{ name: 'pipe.json', fifo: true }],
      named: ['pipe.json'],
      outcome: 'listed',
      reason: /not a regular file \(a FIFO\)/,
    }),
    sp({
      id: 'sp-fifo-in-dir',
      about: 'a FIFO in a folder',
      entries: [
        { name: 'dir/a-pipe.json', fifo: true },
        { name: 'dir/b.json', content: json(call('SP-1')) },
      ],
      named: ['dir'],
      sources: ['dir/a-pipe.json', 'dir/b.json'],
      outcome: 'partial',
      calls: 1,
      reason: /not a regular file \(a FIFO\)/,
    }),
    sp({
      id: 'sp-devzero-named',
      about: 'a link to /dev/zero named on the command line',
      entries: [{ name: 'zero.json', link: '/dev/zero' }],
      named: ['zero.json'],
      outcome: 'listed',
      reason: /not a regular file/,
    }),
    sp({
      id: 'sp-devzero-in-dir',
      about: 'a link to /dev/zero in a folder',
      entries: [
        { name: 'dir/zero.jsonl', link: '/dev/zero' },
        { name: 'dir/ok.json', content: json(call('SP-2')) },
      ],
      named: ['dir'],
      sources: ['dir/zero.jsonl', 'dir/ok.json'],
      outcome: 'partial',
      calls: 1,
      reason: /not a regular file/,
    }),
    sp({
      id: 'sp-devnull-named',
      about: 'a link to /dev/null named on the command line',
      entries: [{ name: 'null.txt', link: '/dev/null' }],
      named: ['null.txt'],
      outcome: 'listed',
      reason: /not a regular file/,
    }),
    sp({
      id: 'sp-dangling-named',
      about: 'a dangling link named on the command line',
      entries: [{ name: 'gone.json', link: 'nowhere.json' }],
      named: ['gone.json'],
      outcome: 'listed',
      reason: /broken symbolic link/,
    }),
    sp({
      id: 'sp-dangling-in-dir',
      about: 'a dangling link in a folder',
      entries: [
        { name: 'dir/gone.json', link: 'nowhere.json' },
        { name: 'dir/ok.json', content: json(call('SP-3')) },
      ],
      named: ['dir'],
      sources: ['dir/gone.json', 'dir/ok.json'],
      outcome: 'partial',
      calls: 1,
      reason: /broken symbolic link/,
    }),
    sp({
      id: 'sp-loop-named',
      about: 'a link loop named on the command line',
      entries: [
        { name: 'a.json', link: 'b.json' },
        { name: 'b.json', link: 'a.json' },
      ],
      named: ['a.json'],
      outcome: 'listed',
      reason: /symbolic link loop/,
    }),
    sp({
      id: 'sp-loop-in-dir',
      about: 'a link loop in a folder',
      entries: [
        { name: 'dir/loop.json', link: 'loop.json' },
        { name: 'dir/ok.json', content: json(call('SP-4')) },
      ],
      named: ['dir'],
      sources: ['dir/loop.json', 'dir/ok.json'],
      outcome: 'partial',
      calls: 1,
      reason: /symbolic link loop/,
    }),
    sp({
      id: 'sp-link-named',
      about: 'a link to a good file named on the command line',
      entries: [
        { name: 'real/good.json', content: good },
        { name: 'linked.json', link: 'real/good.json' },
      ],
      named: ['linked.json'],
      outcome: 'scored',
      calls: 1,
    }),
    sp({
      id: 'sp-link-in-dir',
      about: 'a link to a good file in a folder',
      entries: [
        { name: 'real/good.json', content: good },
        { name: 'dir/linked.json', link: '../real/good.json' },
      ],
      named: ['dir'],
      sources: ['dir/linked.json'],
      outcome: 'scored',
      calls: 1,
    }),
    sp({
      id: 'sp-dir-self-link',
      about: 'a folder holding a link to itself',
      entries: [
        { name: 'dir/ok.json', content: json(call('SP-5')) },
        { name: 'dir/self', link: '.' },
      ],
      named: ['dir'],
      sources: ['dir/ok.json'],
      outcome: 'scored',
      calls: 1,
    }),
    sp({
      id: 'sp-dir-only-self-links',
      about: 'a folder holding nothing but two links to itself (a walk that follows them doubles at each level)',
      entries: [
        { name: 'lonely/again', link: '.' },
        { name: 'lonely/round', link: '.' },
      ],
      named: ['lonely'],
      sources: [],
      outcome: 'scored',
      calls: 0,
    }),
    sp({
      id: 'sp-dir-named-json',
      about: 'a folder named like a JSON file',
      entries: [{ name: 'x.json/inner.json', content: json(call('SP-6')) }],
      named: ['x.json'],
      sources: ['x.json/inner.json'],
      outcome: 'scored',
      calls: 1,
    }),
  ];
}

/** One huge line, a million segments: listed as too large under --max-record-mb 1 (in a run of their own). */
function hugeCases(): InputCase[] {
  const tooLarge = /^too large: \d+(\.\d)? MB in one record; the limit is 1 MB \(--max-record-mb\)$/;
  const seg = '{"speaker":"C","text":"嗯"},';
  const bigLine = JSON.stringify(call('H-BIG', { segments: [...segments(), { speaker: 'customer', start: 50, end: 51, text: '好'.repeat(700_000) }] }));
  const segs = `{"call_id":"H-SEGS","segments":[{"speaker":"A","text":"您好"},${seg.repeat(100_000)}{"speaker":"A","text":"再见"}]}`;
  return inputCases(
    'huge',
    [
      {
        id: 'hg-jsonl-huge-line',
        about: 'a 2 MB line between good lines',
        content: `${JSON.stringify(call('H-1'))}\n${bigLine}\n${JSON.stringify(call('H-2'))}\n`,
        ext: '.jsonl',
        outcome: 'partial',
        calls: 2,
        reason: tooLarge,
        located: true,
      },
      { id: 'hg-json-segments', about: 'a call of 100,000 segments (2.8 MB)', content: segs, ext: '.json', outcome: 'listed', reason: tooLarge },
      {
        id: 'hg-txt-million',
        about: 'a transcript of a million lines (4 MB)',
        content: `# call_id: H-MILLION\n${'A:x\nC:y\n'.repeat(500_000)}`,
        ext: '.txt',
        // Scored within the time and memory bounds, or listed as too large: both keep the promise.
        outcome: 'either',
        reason: tooLarge,
      },
    ],
    '.json',
  );
}

function rubricCases(): RubricCase[] {
  const base = (rules: string) => `name: hostile\npass_score: 80\nrules:\n${rules}`;
  // Beside the greeting: a rubric whose only rule vanished would be refused as empty.
  const phrases = (id: string, list: string) => base(`  greeting: {}\n  ${id}:\n    type: phrases\n    phrases: ${list}\n    deduction: 5\n`);
  const invalid = (id: string, about: string, rubric: string | Uint8Array, reason?: RegExp): RubricCase => ({
    kind: 'rubric',
    id,
    about,
    rubric,
    codes: [2],
    reason,
  });
  const either = (id: string, about: string, rubric: string, columns?: string[]): RubricCase => ({ kind: 'rubric', id, about, rubric, codes: [0, 2], columns });
  const bomb = [
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ...'bcdefghi'.split('').map((l, k) => `${l}: &${l} [${Array(9).fill(`*${'abcdefghi'[k]}`).join(',')}]`),
  ].join('\n');
  return [
    either('rb-redos', 'a phrase /(a+)+$/ (catastrophic backtracking)', phrases('redos', `['/(a+)+$/']`)),
    either('rb-redos-nested', 'a phrase /(x+x+)+y/', phrases('redos2', `['/(x+x+)+y/']`)),
    either('rb-redos-exclude', 'an exclude /(a|aa)+$/', base(`  redos3:\n    type: phrases\n    phrases: [您好]\n    exclude: ['/(a|aa)+$/']\n`)),
    invalid('rb-alias-bomb', 'a YAML alias bomb', `${bomb}\nname: bomb\nrules: { greeting: *i }\n`, /rubric|alias|yaml|line/i),
    invalid(
      'rb-expr-deep',
      'an expr nested 50,000 deep',
      base(`  a:\n    type: phrases\n    phrases: [您好]\n  b:\n    type: expr\n    when: "${'('.repeat(50_000)}a${')'.repeat(50_000)}"\n`),
      /b/,
    ),
    either(
      'rb-expr-long',
      'an expr of 20,000 terms',
      base(`  a:\n    type: phrases\n    phrases: [您好]\n  b:\n    type: expr\n    when: "${Array(20_000).fill('a').join(' && ')}"\n`),
    ),
    either('rb-rule-constructor', 'a rule id constructor', phrases('constructor', '[您好]'), ['constructor']),
    either('rb-rule-proto', 'a rule id __proto__', phrases('__proto__', '[您好]'), ['__proto__']),
    either('rb-rule-tostring', 'a rule id toString', phrases('toString', '[您好]'), ['toString']),
    either('rb-rule-hasown', 'a rule id hasOwnProperty', phrases('hasOwnProperty', '[您好]'), ['hasOwnProperty']),
    either('rb-option-constructor', 'an option key constructor', base('  greeting: { constructor: 5 }\n')),
    either('rb-option-proto', 'an option key __proto__', base('  greeting: { __proto__: { deduction: 50 } }\n')),
    either(
      'rb-elements-proto',
      'greeting elements named __proto__ and constructor',
      base('  greeting: { elements: { __proto__: [您好], constructor: [这里是] } }\n'),
    ),
    invalid('rb-expr-unknown', 'an expr naming constructor, which is no rule', base('  a:\n    type: expr\n    when: "constructor"\n')),
    invalid(
      'rb-window-after-proto',
      'a window after __proto__, which is no rule',
      base('  a:\n    type: phrases\n    phrases: [您好]\n    window: { after: __proto__ }\n'),
    ),
    invalid('rb-truncated', 'truncated', base('  greeting: { deduction: 10, elements: { 问候语: [您好'), /line|:/),
    invalid('rb-empty', 'an empty file', ''),
    invalid('rb-bom-only', 'only a byte order mark', '\ufeff'),
    invalid('rb-list', 'a list, not a mapping', '- a\n- b\n'),
    invalid('rb-rules-null', 'rules: null', 'name: x\nrules: null\n'),
    invalid('rb-pass-nan', 'pass_score .nan', 'name: x\npass_score: .nan\nrules: { greeting: {} }\n'),
    invalid('rb-pass-huge', 'pass_score 1e308', 'name: x\npass_score: 1e308\nrules: { greeting: {} }\n'),
    invalid('rb-deduction-negative', 'a negative deduction', base('  greeting: { deduction: -5 }\n')),
    invalid('rb-deduction-inf', 'deduction .inf', base('  greeting: { deduction: .inf }\n')),
    invalid('rb-regex-invalid', 'a regex that does not compile', phrases('bad', `['/(/']`)),
    either('rb-regex-lookbehind', 'a regex with look-behind (not RE2)', phrases('lb', `['/(?<=您)好/']`)),
    either('rb-regex-backref', 'a regex with a back-reference (not RE2)', phrases('br', `['/(好)\\1/']`)),
    invalid('rb-deep-flow', 'options nested 5,000 flow lists deep', base(`  greeting: { deduction: ${deepArray(5000)} }\n`)),
    invalid('rb-dup-keys', 'a key given twice', base('  greeting: { deduction: 5 }\n  greeting: { deduction: 6 }\n')),
    invalid('rb-js-tag', 'a !!js/function tag', base('  greeting: { deduction: !!js/function "function () { return 1 }" }\n')),
    invalid('rb-cycle', 'two expr rules that refer to each other', base('  a:\n    type: expr\n    when: "b"\n  b:\n    type: expr\n    when: "a"\n')),
    either(
      'rb-llm-proto',
      'LLM criteria named constructor and __proto__',
      `name: x\nrules: { greeting: {} }\nllm:\n  model: claude-haiku-5-5\n  criteria:\n    - { id: constructor, question: 是否礼貌？, max_score: 5, deduction: 10 }\n    - { id: __proto__, question: 是否解决？, max_score: 5, deduction: 10 }\n`,
    ),
    either(
      'rb-tests-proto',
      'rubric tests expecting outcomes of constructor and __proto__',
      `name: x\nrules: { greeting: {} }\ntests:\n  - name: t\n    turns: ["坐席：您好"]\n    expect: { constructor: pass, __proto__: fail, greeting: fail }\n`,
    ),
    either('rb-seed-proto', 'a seed-rule entry named hasOwnProperty', base('  greeting: {}\n  hasOwnProperty: {}\n')),
    {
      kind: 'rubric',
      id: 'rb-many-phrases',
      about: '20,000 phrases',
      rubric: phrases('many', `[${Array.from({ length: 20_000 }, (_, k) => `词${k}`).join(', ')}]`),
      codes: [0],
      columns: ['many'],
    },
    invalid('rb-invalid-bytes', 'a 0xFF byte', Buffer.concat([Buffer.from(base('  greeting: { deduction: 5 }\n')), Buffer.from([0xff, 0xfe, 0x0a])])),
    invalid('rb-binary', 'random bytes', randomBytes(2048)),
    { kind: 'rubric', id: 'rb-missing', about: 'a rubric path that does not exist', rubric: { missing: true }, codes: [2], reason: /rb-missing/ },
    { kind: 'rubric', id: 'rb-directory', about: 'a rubric path that is a folder', rubric: { dir: true }, codes: [2], reason: /rb-directory/ },
    {
      kind: 'rubric',
      id: 'rb-name-markup',
      about: 'a rubric name with markup and a formula',
      rubric: `name: '${XSS}${FORMULA.replace(/"/g, '')}'\nrules: { greeting: {} }\n`,
      codes: [0],
    },
  ];
}

/** Stands for the run's own folder in a call-record file (an absolute path that must stay untouched). */
const RUN_ROOT = '@RUN_ROOT@';

function metadataCases(): MetadataCase[] {
  const m = (
    id: string,
    about: string,
    ext: string,
    content: string | Uint8Array | undefined,
    codes: number[],
    listed?: 'none' | 'some',
    extra: Partial<MetadataCase> = {},
  ): MetadataCase => ({
    kind: 'metadata',
    id,
    about,
    name: `${id}${ext}`,
    content,
    codes,
    listed,
    ...extra,
  });
  const ctr = (over: Record<string, unknown>) => ({
    ContactId: 'CTL-META',
    Channel: 'VOICE',
    InitiationMethod: 'INBOUND',
    InitiationTimestamp: '2026-03-11T02:15:04Z',
    DisconnectReason: 'CUSTOMER_DISCONNECT',
    Agent: { Username: 'agent.wang', ConnectedToAgentTimestamp: '2026-03-11T02:15:10Z' },
    Queue: { Name: 'billing', Duration: 6, EnqueueTimestamp: '2026-03-11T02:15:04Z' },
    ...over,
  });
  const fs = (vars: Record<string, unknown>) => ({
    core_uuid: 'x',
    variables: {
      uuid: 'CTL-META',
      direction: 'inbound',
      sip_hangup_disposition: 'recv_bye',
      start_uepoch: '1773195304000000',
      answer_uepoch: '1773195310000000',
      cc_agent: 'agent-7',
      ...vars,
    },
  });
  return [
    m(
      'm-csv-proto-columns',
      'columns __proto__, constructor, toString',
      '.csv',
      'call_id,__proto__,constructor,toString,agent_id\r\nCTL-META,1,2,3,A9\r\n',
      [0],
      'none',
    ),
    m(
      'm-csv-formula',
      'formulas in every field',
      '.csv',
      `call_id,agent_id,agent_name,queue\r\nCTL-META,+A1,"${FORMULA.replace(/"/g, '""')}",@q\r\n"=1+2",-x,y,z\r\n`,
      [0],
      'none',
    ),
    m('m-csv-markup', 'markup in the agent name', '.csv', `call_id,agent_name\r\nCTL-META,"${XSS.replace(/"/g, '""')}"\r\n`, [0], 'none'),
    m(
      'm-csv-path-agent',
      'an agent id that climbs (with --coaching)',
      '.csv',
      `call_id,agent_id\r\nCTL-META,../../../../ESCAPE-meta\r\nCTL-META2,${RUN_ROOT}/ESCAPE-meta-abs\r\n`,
      [0],
      'none',
      { args: ['--coaching'] },
    ),
    m('m-csv-bad-ring', 'a ring time "abc"', '.csv', 'call_id,ring_seconds\r\nCTL-META,abc\r\n', [3], 'some'),
    m('m-csv-negative-ring', 'a negative ring time', '.csv', 'call_id,ring_seconds\r\nCTL-META,-4\r\n', [3], 'some'),
    m('m-csv-header-only', 'a header and no records', '.csv', 'call_id,agent_id\r\n', [0], 'none'),
    m('m-csv-no-id', 'no call id column', '.csv', 'agent_id,queue\r\nA1,q\r\n', [2], undefined, { reason: /没有通话编号列/ }),
    m('m-csv-empty', 'an empty file', '.csv', '', [0, 2]),
    m('m-csv-bom-only', 'only a byte order mark', '.csv', '\ufeff', [0, 2]),
    m('m-csv-gbk', 'GBK with Chinese headers', '.csv', encodeLegacy('通话ID,坐席工号,坐席姓名,挂机方\r\nCTL-META,A7,王芳,客户\r\n', 'gb18030'), [0], 'none'),
    m(
      'm-csv-invalid-bytes',
      'a 0xFF byte',
      '.csv',
      Buffer.concat([Buffer.from('call_id,agent_id\r\nCTL-META,A'), Buffer.from([0xff]), Buffer.from('\r\n')]),
      [2],
    ),
    m('m-csv-unterminated', 'a quote that never closes', '.csv', 'call_id,agent_name\r\nCTL-META,"王芳\r\n', [2, 3]),
    m('m-json-truncated', 'truncated JSON', '.json', JSON.stringify([ctr({})]).slice(0, 60), [2], undefined, { reason: /m-json-truncated\.json/ }),
    m('m-json-null', 'the document is null', '.json', 'null', [2, 3]),
    m('m-json-deep', '100,000 nested arrays', '.json', deepArray(100_000), [2, 3]),
    m('m-json-mixed', 'an array of a record, a number and null', '.json', JSON.stringify([{ call_id: 'CTL-META', agent_id: 'A3' }, 42, null]), [3], 'some'),
    m('m-jsonl-bad-line', 'a truncated line', '.jsonl', `${JSON.stringify({ call_id: 'CTL-META', agent_id: 'A4' })}\n{"call_id": "CT\n`, [3], 'some'),
    m(
      'm-jsonl-proto',
      'call id __proto__ and a __proto__ key',
      '.jsonl',
      `{"call_id":"__proto__","agent_id":"P1"}\n{"__proto__":{"agent_id":"polluted"},"constructor":{"prototype":{"x":1}},"call_id":"CTL-META"}\n`,
      [0],
      'none',
    ),
    m(
      'm-ctr-weird',
      'a CTR with Agent null and Queue.Duration "NaN"',
      '.jsonl',
      `${JSON.stringify(ctr({ Agent: null, Queue: { Name: 7, Duration: 'NaN' }, DisconnectReason: {} }))}\n`,
      [0, 3],
      undefined,
      { solo: true },
    ),
    m('m-ctr-proto', 'a CTR for ContactId __proto__', '.jsonl', `${JSON.stringify(ctr({ ContactId: '__proto__' }))}\n`, [0], 'none'),
    m(
      'm-ctr-far-dates',
      'a CTR in the year 275760',
      '.jsonl',
      `${JSON.stringify(ctr({ InitiationTimestamp: '+275760-09-13T00:00:00Z', Agent: { Username: 'a', ConnectedToAgentTimestamp: '-271821-04-20T00:00:00Z' } }))}\n`,
      [0, 3],
      undefined,
      { solo: true },
    ),
    m('m-fs-backwards', 'a FreeSWITCH CDR answered before it started', '.json', JSON.stringify([fs({ answer_uepoch: '1000000' })]), [0, 3], undefined, {
      solo: true,
    }),
    m('m-fs-huge', 'a FreeSWITCH CDR with epochs of 1e308', '.json', JSON.stringify([fs({ start_uepoch: '1e308', answer_uepoch: 1e308 })]), [0, 3], undefined, {
      solo: true,
    }),
    m('m-fs-no-vars', 'a FreeSWITCH CDR with variables null', '.json', JSON.stringify([{ core_uuid: 'x', variables: null, callflow: [] }]), [3], 'some'),
    m('m-missing', 'a metadata path that does not exist', '.csv', undefined, [2], undefined, { reason: /m-missing\.csv/ }),
    m('m-unknown-ext', 'a metadata file of another type', '.dat', '<records/>', [2], undefined, { reason: /m-unknown-ext\.dat/ }),
    m('m-dup-records', 'two records for one call', '.csv', 'call_id,agent_id,queue\r\nCTL-META,A1,q1\r\nCTL-META,A2,q2\r\n', [0], 'none'),
  ];
}

// ---------------------------------------------------------------------------------------------
// Writing it out.
// ---------------------------------------------------------------------------------------------

/** Flags of each group's run (beside --out and the inputs). */
const GROUP_ARGS: Readonly<Record<string, string[]>> = {
  ids: ['--coaching', '--xlsx'],
  // In English: these cases read the limit's reason word for word.
  huge: ['--max-record-mb', '1', '--lang', 'en'],
};

async function writeEntry(dir: string, entry: Entry): Promise<void> {
  const path = join(dir, entry.name);
  await mkdir(dirname(path), { recursive: true });
  if ('content' in entry) await writeFile(path, entry.content);
  else if ('fifo' in entry) execFileSync('mkfifo', [path]);
  else if ('link' in entry) await symlink(entry.link, path);
  else await mkdir(path, { recursive: true });
}

/** A run's folders: root/a/b/in is where it runs, root/a/b/out its report (ids climbing out of out/coaching land in root). */
async function runDirs(corpusRoot: string, id: string): Promise<{ root: string; cwd: string; out: string }> {
  const root = join(corpusRoot, id);
  const cwd = join(root, 'a', 'b', 'in');
  await mkdir(cwd, { recursive: true });
  await mkdir(join(root, 'tmp'), { recursive: true });
  return { root, cwd, out: join(root, 'a', 'b', 'out') };
}

/** A good call beside the cases of a run: something always scores. */
const CONTROL = 'control.json';
const controlCall = (runId: string) => json(call(`CTL-${runId}`));

/** Writes the corpus under `root` and returns the runs of the test. */
export async function generateCorpus(root: string): Promise<Corpus> {
  const token = randomBytes(6).toString('hex');
  const runs: Run[] = [];
  const cases: HostileCase[] = [];

  // Inputs, batched by group.
  const groups = new Map<string, InputCase[]>();
  const abs = join(root, 'ids');
  for (const c of [
    ...callqaJsonCases(),
    ...jsonlCases(),
    ...textCases(),
    ...encodingCases(),
    ...alibabaCases(),
    ...callAnalyticsCases(),
    ...chatCases(),
    ...transcribeCases(),
    ...whisperCases(),
    ...vttCases(),
    ...srtCases(),
    ...csvCases(),
    ...idCases(abs, token),
    ...specialCases(),
    ...hugeCases(),
  ]) {
    groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  }
  for (const [group, members] of groups) {
    const id = group.replace(/[^a-z0-9-]/gi, '_');
    const dirs = await runDirs(root, id);
    await writeFile(join(dirs.cwd, CONTROL), controlCall(id));
    for (const c of members) for (const e of c.entries) await writeEntry(dirs.cwd, e);
    const definite = members.some((c) => c.outcome === 'listed' || c.outcome === 'partial');
    const maybe = members.some((c) => c.outcome === 'either');
    runs.push({
      id,
      ...dirs,
      // Special files' cases read their reasons word for word, in English.
      argv: [
        'score',
        CONTROL,
        ...members.flatMap((c) => c.named),
        '--out',
        dirs.out,
        ...(GROUP_ARGS[group] ?? (group.startsWith('special:') ? ['--lang', 'en'] : [])),
      ],
      codes: definite ? [3] : maybe ? [0, 3] : [0],
      cases: members,
      control: CONTROL,
    });
    cases.push(...members);
  }

  // A mistyped input path: exit 2, nothing scored, no report.
  {
    const dirs = await runDirs(root, 'missing-input');
    await writeFile(join(dirs.cwd, CONTROL), controlCall('missing'));
    const c: InputCase = {
      kind: 'input',
      id: 'sp-missing-path',
      group: 'missing-input',
      about: 'an input path that does not exist',
      entries: [],
      named: ['no-such-call.json'],
      sources: ['no-such-call.json'],
      outcome: 'listed',
      reason: /no-such-call\.json/,
      refused: true,
    };
    runs.push({ id: 'missing-input', ...dirs, argv: ['score', CONTROL, 'no-such-call.json', '--out', dirs.out], codes: [2], cases: [c] });
    cases.push(c);
  }

  // Rubrics: `score --rubric` and `rubric check`, each in a run of its own.
  for (const c of rubricCases()) {
    for (const command of ['score', 'check'] as const) {
      const dirs = await runDirs(root, `${c.id}-${command}`);
      await writeFile(join(dirs.cwd, CONTROL), controlCall(c.id));
      // Text that makes a backtracking regex run for ever: sixty-four a's and no match at the end.
      const evil = `${'a'.repeat(64)}!`;
      const redos = [...segments(), { speaker: 'agent', start: 42.5, end: 43, text: evil }, { speaker: 'customer', start: 43, end: 44, text: evil }];
      await writeFile(join(dirs.cwd, 'redos.json'), json(call(`RD-${c.id}`, { segments: redos })));
      const named = `../${c.id}.yaml`;
      if (typeof c.rubric === 'string' || c.rubric instanceof Uint8Array) await writeFile(join(dirs.cwd, named), c.rubric);
      else if ('dir' in c.rubric) await mkdir(join(dirs.cwd, named));
      runs.push(
        command === 'score'
          ? {
              id: `${c.id}-score`,
              ...dirs,
              argv: ['score', CONTROL, 'redos.json', '--rubric', named, '--out', dirs.out, '--jobs', '1'],
              codes: c.codes,
              cases: [c],
              command,
            }
          : { id: `${c.id}-check`, ...dirs, argv: ['rubric', 'check', named], codes: c.codes.flatMap((k) => (k === 0 ? [0, 1] : [k])), cases: [c], command },
      );
    }
    cases.push(c);
  }

  // Call records beside two good transcripts (one the records name): the files that must load in one
  // run (--metadata repeated), each that may stop the run (exit 2) or has flags of its own in its own.
  const metadata = metadataCases();
  const batched = metadata.filter((c) => !c.solo && !c.args && !c.codes.includes(2));
  for (const members of [batched, ...metadata.filter((c) => !batched.includes(c)).map((c) => [c])]) {
    const id = members.length === 1 ? (members[0] as MetadataCase).id : 'metadata';
    const dirs = await runDirs(root, id);
    await writeFile(join(dirs.cwd, CONTROL), json(call('CTL-META')));
    await writeFile(join(dirs.cwd, 'control2.txt'), transcript('CTL-META2'));
    for (const c of members) {
      if (typeof c.content === 'string') c.content = c.content.replaceAll(RUN_ROOT, dirs.root);
      if (c.content !== undefined) await writeFile(join(dirs.cwd, c.name), c.content);
    }
    const codes = members.length === 1 ? (members[0] as MetadataCase).codes : members.some((c) => c.listed === 'some') ? [3] : [0, 3];
    runs.push({
      id,
      ...dirs,
      argv: ['score', CONTROL, 'control2.txt', '--out', dirs.out, ...members.flatMap((c) => [...(c.args ?? []), '--metadata', c.name])],
      codes,
      cases: members,
      control: CONTROL,
    });
    cases.push(...members);
  }

  return { cases, runs, token };
}
