import type { Lang } from '../i18n/lang.js';
import { type RubricTexts, rubricWords } from '../i18n/rubric-text.js';
import { mapMessageText } from '../i18n/message.js';
import type { InputError } from '../ingest/errors.js';
import type { DuplicateCallId } from '../run/duplicate-ids.js';
import type { PreparedCall, Speaker } from '../model/call.js';
import { maskPersonalNumbers } from '../privacy/mask.js';
import type { Rubric } from '../rubric/load.js';
import { rubricTexts } from '../rubric/texts.js';
import type { CallResult, Finding } from '../scoring/score-call.js';
import type { ReportLayout } from '../render/tables.js';
import type { PageChoice } from './pages.js';

/**
 * Saved results (docs/results.md): `results.jsonl` holds one record a call (and one an input that
 * failed), `run.json` what produced them. Every report can be rendered again from them, and the
 * results of several runs (shards, machines) merge into the reports of one run over all inputs.
 * This module is the only one that knows the byte layout of a call's line.
 *
 * Version 2: a call's record holds its transcript (`utterances`, its last key) only when the call has a
 * page in report.html (src/results/pages.ts), or with --keep-transcripts; version 1 held every call's.
 */
export const RESULTS_SCHEMA_VERSION = 2;
/** The versions the readers take: 1 (every call with its transcript) and 2. */
export const READABLE_SCHEMA_VERSIONS: readonly number[] = [1, 2];

export interface UtteranceRecord {
  speaker: Speaker;
  start?: number;
  end?: number;
  /** Personal numbers masked. */
  text: string;
}

/** One scored call: its result (findings masked) and, when kept, its utterances (masked), for views that show the transcript. */
export interface CallRecord extends CallResult {
  type: 'call';
  schema_version: number;
  /** The call's place among the calls of its source (0, 1, …): with the source, the stable order of reports. */
  seq: number;
  startedAt?: string;
  ringSeconds?: number;
  /** The transcript: in version 2 only for a call with a page (or with --keep-transcripts); always the record's last key. */
  utterances?: UtteranceRecord[];
}

/** An input (or a part of it) that could not be scored: errors.csv's row. */
export interface ErrorRecord {
  type: 'error';
  schema_version: number;
  source: string;
  line?: number;
  error: string;
}

export type ResultRecord = CallRecord | ErrorRecord;

/**
 * An error record read back, as errors.csv and results.jsonl take it again: its fields in their order
 * (so the results come out byte for byte the same), without type and version (ReportDir masks its message).
 */
export function inputErrorOf(record: ErrorRecord): InputError {
  const { type: _type, schema_version: _version, ...error } = record;
  return error;
}

/** run.json: what produced a results.jsonl. Never holds a key. */
export interface RunInfo {
  schema_version: number;
  callqaVersion: string;
  rubric: {
    name: string;
    path: string;
    sha256: string;
    passScore: number;
    /** What to tell an agent who fails each rule, in `lang`. */
    advice: Record<string, string>;
    /** The language the run wrote in (absent: a run before languages, English). */
    lang?: Lang;
    /** Each rule's title in `lang`. */
    titles?: Record<string, string>;
    /** The rubric's own words (absent: a run before them): its name, titles and advice in any language (rubricWords). */
    texts?: RubricTexts;
  };
  llm?: { model: string; promptVersion: string; criteria: { id: string; question: string; maxScore: number; advice?: string }[] };
  /** The report columns: rule ids in order, LLM criterion ids. */
  layout: ReportLayout;
  /**
   * files: every input taken (scored, or listed in errors.csv without being read); skipped: the
   * entries of named directories left out, counted by kind in skippedKinds (an extension, `hidden`,
   * `node_modules`…): files + skipped = the entries of the directories read.
   */
  inputs: { files: number; calls: number; failed: number; skipped: number; skippedKinds?: Record<string, number> };
  startedAt: string;
  endedAt: string;
  /** The command line, arguments only. */
  command: string[];
  /** Call ids used by more than one call (each scored): at most DUPLICATES_LISTED, and how many in all. Absent without any. */
  duplicate_call_ids?: DuplicateCallId[];
  duplicate_call_id_count?: number;
  /** How report.html's call pages were chosen (version 2), and the first call that did not get one: merges stop there too. */
  pages?: PageChoice;
  /** Every call's transcript was kept (--keep-transcripts). */
  keepTranscripts?: boolean;
  /** The verdicts applied (--reviews): run/reviews.ts. Absent without --reviews. */
  reviews?: ReviewsInfo;
}

/** A verdict read from a reviews file, as run.json lists it: one row a verdict. */
export interface ReviewRow {
  finding_id: string;
  verdict: string;
  reviewer: string;
  at: string;
  /** At most REVIEW_NOTE_CHARS characters (the finding keeps the whole note). */
  note: string;
  file: string;
  line: number;
  call_id?: string;
  rule?: string;
  /** The verdict that stands for its finding (the latest; ties: the later file, then the later line). */
  standing?: true;
}

/** run.json's `reviews`: the files, how many findings each verdict was applied to, the stale verdicts, every verdict read. */
export interface ReviewsInfo {
  files: string[];
  applied: { confirmed: number; rejected: number; unsure: number };
  /** Standing verdicts whose finding no call of the run has: never applied. */
  stale: { finding_id: string; file: string; line: number; call_id?: string; rule?: string }[];
  /** Every verdict read, in the order read (files as named, each top to bottom). */
  history: ReviewRow[];
}

/** A result's findings with personal numbers masked in their messages and evidence. */
function maskedFindings(result: CallResult): CallResult['findings'] {
  return result.findings.map((f) => maskedFinding(f));
}

/** A finding with personal numbers masked in its message (the text and the message's parameters) and evidence. Idempotent. */
export function maskedFinding(f: Finding): Finding {
  const masked = Object.assign({}, f, { message: maskPersonalNumbers(f.message), evidence: maskPersonalNumbers(f.evidence) });
  if (f.said) masked.said = mapMessageText(f.said, maskPersonalNumbers);
  return masked;
}

/** What a record and a summary add after their keys, in this order: the model's grades masked, then the call's start and ring time. */
function addMaskedTail(into: CallSummary, result: CallResult, call: PreparedCall): void {
  if (result.llm?.grades) {
    into.llm = {
      ...result.llm,
      grades: result.llm.grades.map((g) => ({ ...g, reason: maskPersonalNumbers(g.reason), evidence: g.evidence.map(maskPersonalNumbers) })),
    };
  }
  if (call.startedAt !== undefined) into.startedAt = call.startedAt;
  if (call.ringSeconds !== undefined) into.ringSeconds = call.ringSeconds;
}

/** A call's utterances as its record keeps them: personal numbers masked. */
export function utteranceRecords(call: PreparedCall): UtteranceRecord[] {
  return call.utterances.map((u): UtteranceRecord => ({ speaker: u.speaker, text: maskPersonalNumbers(u.text), start: u.start, end: u.end }));
}

/** A call's whole record, its transcript included (the last key). */
export function callRecord(result: CallResult, call: PreparedCall, seq: number): CallRecord {
  const record: CallRecord = callSummary(result, call, seq);
  record.utterances = utteranceRecords(call);
  return record;
}

/** callRecord less its utterances: the same keys, in the same order. */
export function callSummary(result: CallResult, call: PreparedCall, seq: number): CallSummary {
  // Object.assign, not a spread: V8 builds `{ ...result, type, … }` (a result's twenty-odd keys and
  // four more) ten times slower, and the record comes out slower to stringify too.
  const summary: CallSummary = Object.assign({}, result, {
    findings: maskedFindings(result),
    type: 'call' as const,
    schema_version: RESULTS_SCHEMA_VERSION,
    seq,
  });
  addMaskedTail(summary, result, call);
  return summary;
}

/**
 * A number as JSON.stringify writes it. Times of at most two decimals (what transcripts carry) are
 * written from their hundredths: V8's general shortest-form conversion of a double costs some 160 ns,
 * and a call's utterances hold eighty-odd of them. Exact: when hundredths / 100 is the very double, the
 * decimal with those hundredths reads back as it, and below 1e13 (a spacing under 0.002) no shorter
 * decimal does, so it is the shortest form JSON.stringify would write. Anything else goes to JSON.stringify.
 */
export function numberJson(x: number): string {
  if (x >= 0 && x < 1e13) {
    const hundredths = Math.round(x * 100);
    if (hundredths / 100 === x) {
      const whole = Math.floor(hundredths / 100);
      const cents = hundredths - whole * 100;
      if (cents === 0) return `${whole}`;
      return cents % 10 === 0 ? `${whole}.${cents / 10}` : `${whole}.${cents < 10 ? '0' : ''}${cents}`;
    }
  }
  return JSON.stringify(x);
}

/** Each speaker's opening of an utterance's JSON (JSON.stringify of a short string costs some 100 ns). */
const UTTERANCE_OPENING: Readonly<Record<Speaker, string>> = { agent: '{"speaker":"agent","text":', customer: '{"speaker":"customer","text":' };

/** The record's utterances as JSON.stringify writes them: keys in callRecord's order, absent times left out. */
function utterancesJson(utterances: readonly UtteranceRecord[]): string {
  let out = '[';
  for (let k = 0; k < utterances.length; k++) {
    const u = utterances[k] as UtteranceRecord;
    if (k > 0) out += ',';
    out += (UTTERANCE_OPENING[u.speaker] ?? `{"speaker":${JSON.stringify(u.speaker)},"text":`) + JSON.stringify(u.text);
    if (u.start !== undefined) out += `,"start":${numberJson(u.start)}`;
    if (u.end !== undefined) out += `,"end":${numberJson(u.end)}`;
    out += '}';
  }
  return `${out}]`;
}

/** What stands between a call's summary and its transcript in its line: `{…summary…,"utterances":[…]}`. */
export const UTTERANCES_KEY = ',"utterances":';

/** callRecord less its utterances: the same keys, in the same order. */
export type CallSummary = Omit<CallRecord, 'utterances'>;

/**
 * A call's line of results.jsonl, less its newline: its summary as JSON.stringify writes it, then, when
 * `withTranscript` and the record has them, its utterances as the last key (written by hand: their
 * times from their hundredths, numberJson). The same text as JSON.stringify of the record with
 * utterances last (a test holds them equal); `transcriptAt`: where `,"utterances":` begins, if it is there.
 */
export function callLine(record: CallSummary & { utterances?: UtteranceRecord[] }, withTranscript = true): { line: string; transcriptAt?: number } {
  const { utterances } = record;
  if (utterances !== undefined) delete record.utterances;
  let head: string;
  try {
    head = JSON.stringify(record);
  } finally {
    if (utterances !== undefined) record.utterances = utterances;
  }
  if (!withTranscript || utterances === undefined) return { line: head };
  const transcriptAt = head.length - 1;
  return { line: `${head.slice(0, transcriptAt)}${UTTERANCES_KEY}${utterancesJson(utterances)}}`, transcriptAt };
}

/** callLine's line alone. */
export function callRecordJson(record: CallRecord): string {
  return callLine(record).line;
}

/** What comes just before a call's `seq` in its results.jsonl line (callSummary's key order; JSON escapes every quote inside a string). */
export const BEFORE_SEQ = `"type":"call","schema_version":${RESULTS_SCHEMA_VERSION},"seq":`;

/**
 * What a worker sends of a call (chunks.ts): its summary, and `head`, the summary's JSON, whose `seq`
 * digits begin at `seqAt` and end at `at`: the line, less the transcript a worker may write in before its
 * last brace. BEFORE_SEQ cannot occur inside a JSON string (its quotes would be escaped), nor as keys after seq.
 */
export function callSummaryAndHead(result: CallResult, call: PreparedCall, seq: number): { summary: CallSummary; head: string; seqAt: number; at: number } {
  const summary = callSummary(result, call, seq);
  const head = JSON.stringify(summary);
  let at = head.lastIndexOf(BEFORE_SEQ);
  if (at < 0) throw new Error('a results line without its seq');
  at += BEFORE_SEQ.length;
  const seqAt = at;
  while (at < head.length && head.charCodeAt(at) !== 0x2c && head.charCodeAt(at) !== 0x7d) at++;
  return { summary, head, seqAt, at };
}

/** Bytes an utterance's JSON (writeUtteranceJson) takes at most: six a code unit of its text (an escape), and room for the rest. */
export function utteranceJsonBound(u: PreparedCall['utterances'][number]): number {
  return 6 * u.text.length + 128;
}

/** Each speaker's opening of an utterance's JSON, as UTF-8 bytes. */
const UTTERANCE_OPENING_BYTES: Readonly<Record<Speaker, Uint8Array>> = {
  agent: Buffer.from(UTTERANCE_OPENING.agent),
  customer: Buffer.from(UTTERANCE_OPENING.customer),
};
const START_KEY = Buffer.from(',"start":');
const END_KEY = Buffer.from(',"end":');
/** Per ASCII character: the letter after the backslash where JSON.stringify escapes it by name, else 0 (below 0x20: \u00xx). */
const NAMED_ESCAPES = new Uint8Array(0x80);
for (const [c, letter] of [
  ['"', '"'],
  ['\\', '\\'],
  ['\b', 'b'],
  ['\t', 't'],
  ['\n', 'n'],
  ['\f', 'f'],
  ['\r', 'r'],
] as const)
  NAMED_ESCAPES[c.charCodeAt(0)] = letter.charCodeAt(0);
const HEX = Buffer.from('0123456789abcdef');

function writeAscii(text: string, out: Uint8Array, at: number): number {
  for (let i = 0; i < text.length; i++) out[at++] = text.charCodeAt(i);
  return at;
}

/** `\u` and four lower-case hex digits, as JSON.stringify writes a control character or a lone surrogate. */
function writeUnicodeEscape(code: number, out: Uint8Array, at: number): number {
  out[at++] = 0x5c;
  out[at++] = 0x75;
  out[at++] = HEX[(code >> 12) & 15] as number;
  out[at++] = HEX[(code >> 8) & 15] as number;
  out[at++] = HEX[(code >> 4) & 15] as number;
  out[at++] = HEX[code & 15] as number;
  return at;
}

/** JSON.stringify(text) as UTF-8, written code unit by code unit (no string made): the same bytes. */
export function writeJsonString(text: string, out: Uint8Array, at: number): number {
  out[at++] = 0x22;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c) out[at++] = c;
      else {
        const named = NAMED_ESCAPES[c] as number;
        if (named === 0) at = writeUnicodeEscape(c, out, at);
        else {
          out[at++] = 0x5c;
          out[at++] = named;
        }
      }
    } else if (c < 0x800) {
      out[at++] = 0xc0 | (c >> 6);
      out[at++] = 0x80 | (c & 0x3f);
    } else if (c < 0xd800 || c > 0xdfff) {
      out[at++] = 0xe0 | (c >> 12);
      out[at++] = 0x80 | ((c >> 6) & 0x3f);
      out[at++] = 0x80 | (c & 0x3f);
    } else {
      const d = c <= 0xdbff && i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) {
        const point = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        out[at++] = 0xf0 | (point >> 18);
        out[at++] = 0x80 | ((point >> 12) & 0x3f);
        out[at++] = 0x80 | ((point >> 6) & 0x3f);
        out[at++] = 0x80 | (point & 0x3f);
        i++;
      } else at = writeUnicodeEscape(c, out, at);
    }
  }
  out[at++] = 0x22;
  return at;
}

/** numberJson(x) as ASCII bytes: times of at most two decimals written from their hundredths with no string made. */
function writeNumber(x: number, out: Uint8Array, at: number): number {
  if (x >= 0 && x < 1e13) {
    const hundredths = Math.round(x * 100);
    if (hundredths / 100 === x) {
      const whole = Math.floor(hundredths / 100);
      const cents = hundredths - whole * 100;
      if (whole < 10) out[at++] = 0x30 + whole;
      else at = writeAscii(`${whole}`, out, at);
      if (cents === 0) return at;
      out[at++] = 0x2e;
      out[at++] = 0x30 + Math.floor(cents / 10);
      if (cents % 10 !== 0) out[at++] = 0x30 + (cents % 10);
      return at;
    }
  }
  return writeAscii(JSON.stringify(x), out, at);
}

/**
 * One utterance of a results line's list, as callRecordJson writes it (its text masked), a comma before it unless it is the
 * first, as UTF-8 into `out` from `at` (which has utteranceJsonBound(u) bytes free); returns where it ends.
 */
export function writeUtteranceJson(u: PreparedCall['utterances'][number], first: boolean, out: Uint8Array, at: number): number {
  if (!first) out[at++] = 0x2c;
  const opening = UTTERANCE_OPENING_BYTES[u.speaker];
  if (opening === undefined) {
    at = writeAscii('{"speaker":', out, at);
    at = writeAscii(',"text":', out, writeJsonString(u.speaker, out, at));
  } else {
    out.set(opening, at);
    at += opening.length;
  }
  at = writeJsonString(maskPersonalNumbers(u.text), out, at);
  if (u.start !== undefined) {
    out.set(START_KEY, at);
    at = writeNumber(u.start, out, at + START_KEY.length);
  }
  if (u.end !== undefined) {
    out.set(END_KEY, at);
    at = writeNumber(u.end, out, at + END_KEY.length);
  }
  out[at++] = 0x7d;
  return at;
}

/** run.json's description of a rubric: what reports need of it, in the run's language, and its own words for any other. */
export function rubricInfo(rubric: Rubric): RunInfo['rubric'] {
  const texts = rubricTexts(rubric);
  const words = rubricWords(texts, rubric.lang);
  return {
    // Shown to people (the summary, report.html, coaching): converted for zh-TW like the rubric's other texts.
    name: words.name,
    path: rubric.path,
    sha256: rubric.sha256,
    passScore: rubric.passScore,
    advice: { ...words.advice },
    lang: rubric.lang,
    titles: { ...words.titles },
    texts,
  };
}

/**
 * A worker's chunk of results.jsonl lines with every call numbered by its place in its source (`seq`): the
 * worker of a part of a big file numbered the part's calls from 0, and said where each number is (`seqAt`).
 * The entries (their summaries, line lengths and transcripts' places) are put right too; the chunk's own
 * bytes stay as they are, to go back to their worker. The one place a written `seq` changes.
 */
export function renumberLines(
  entries: readonly { call?: CallSummary; bytes?: number; seqAt?: number; transcript?: { at: number } }[],
  results: Uint8Array,
  placeInSource: (source: string) => number,
): Uint8Array {
  const pieces: Uint8Array[] = [];
  let offset = 0;
  let changed = false;
  for (const entry of entries) {
    const { call } = entry;
    if (!call || entry.bytes === undefined) continue;
    const seq = placeInSource(call.source);
    const line = results.subarray(offset, offset + entry.bytes);
    offset += entry.bytes;
    if (call.seq === seq) {
      pieces.push(line);
      continue;
    }
    if (entry.seqAt === undefined) throw new Error(`call ${call.callId}: numbered ${call.seq} in its source, expected ${seq}`);
    const digits = Buffer.from(String(seq));
    const grown = digits.length - String(call.seq).length;
    pieces.push(line.subarray(0, entry.seqAt), digits, line.subarray(entry.seqAt + String(call.seq).length));
    entry.bytes += grown;
    if (entry.transcript) entry.transcript.at += grown;
    call.seq = seq;
    changed = true;
  }
  return changed ? Buffer.concat(pieces) : results;
}
