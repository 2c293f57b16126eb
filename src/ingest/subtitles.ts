import type { Speaker } from '../model/call.js';
import type { SourceCall, SourceUtterance } from '../model/source.js';
import { BACKWARDS, timeProblem } from './call-fields.js';
import type { InputError } from './errors.js';
import { errorReason, type InputMessage, InputProblem, msg, reason } from './errors.js';
import type { ParseContext } from './format.js';
import { fileStem } from './format.js';
import type { Parsed } from './parsed.js';
import { speakerFromLabel } from './speakers.js';

/*
 * What SRT and WebVTT share (formats/srt.ts, formats/vtt.ts): cue timings, role prefixes, joining
 * the lines of a cue, and turning cues into a call.
 */

const MAX_PROBLEMS = 20;

/** `hh:mm:ss,mmm`, `hh:mm:ss.mmm` or `mm:ss.mmm`: hours optional, 0–3 fraction digits after "," or ".". */
const STAMP = /^(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?$/;

/** A cue timestamp → seconds (exact to the millisecond); undefined when it is not one. */
export function parseStamp(stamp: string): number | undefined {
  const m = STAMP.exec(stamp);
  if (!m) return undefined;
  const [, hours, minutes = '', seconds = '', fraction = ''] = m;
  if (Number(minutes) >= 60 || Number(seconds) >= 60) return undefined;
  const whole = (hours === undefined ? 0 : Number(hours) * 3600) + Number(minutes) * 60 + Number(seconds);
  return (whole * 1000 + Number(fraction.padEnd(3, '0'))) / 1000;
}

/**
 * A timing line, `start --> end` followed by optional cue settings (VTT) or coordinates (SRT).
 * Throws InputProblem naming the line when it is malformed. `example` is a well-formed timing line.
 */
export function parseTiming(row: string, line: number, example: string): { start: number; end: number } {
  const shown = row.trim().length > 80 ? `${row.trim().slice(0, 80)}…` : row.trim();
  const arrow = row.indexOf('-->');
  const left = row.slice(0, arrow).trim();
  const right = row.slice(arrow + 3).trim();
  const [endStamp = ''] = right.split(/\s+/, 1);
  const start = parseStamp(left);
  const end = parseStamp(endStamp);
  if (start === undefined || end === undefined) {
    const bad = start === undefined ? left : endStamp;
    const what = bad === '' ? msg(start === undefined ? 'input.cue-no-start' : 'input.cue-no-end') : msg('input.cue-not-time', { text: bad });
    throw new InputProblem(msg('input.cue-timing-bad', { timing: shown, problem: what, example }), line);
  }
  // Hours have no upper bound in the pattern: 99999999:00:00.000 is a time no call reaches.
  const problem = timeProblem(start) ?? timeProblem(end);
  if (problem !== undefined) throw new InputProblem(msg('input.cue-timing-problem', { timing: shown, problem }), line);
  if (end < start) throw new InputProblem(msg('input.cue-timing-reversed', { timing: shown }), line);
  return { start, end };
}

/** A line that starts like a timestamp (`00:05`, `00:00:05,500`) but has no "-->": a timing line with a bad arrow. */
const TIMED_START = /^\s*\d+:\d+/;

/** Why `row`, which lacks "-->", is a broken timing line; undefined when it does not look like one (a cue identifier, text). */
export function arrowProblem(row: string, example: string): InputMessage | undefined {
  if (!TIMED_START.test(row)) return undefined;
  const shown = row.trim().length > 80 ? `${row.trim().slice(0, 80)}…` : row.trim();
  return msg('input.cue-no-arrow', { timing: shown, arrow: '-->', example });
}

/**
 * Chinese and Japanese script, CJK punctuation (。、「」) and full-width forms (，！？): no space is put next to
 * them when lines are joined. Curly quotes and "…" are shared with English, so they decide nothing.
 */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]/u;

/**
 * Joins the lines of a cue: nothing between lines where either side is Han (or CJK punctuation),
 * one space between Latin words. Blank lines are dropped; each line is trimmed.
 */
export function joinLines(lines: readonly string[]): string {
  let out = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    if (out === '') {
      out = line;
      continue;
    }
    const before = Array.from(out.slice(-2)).pop() ?? '';
    const after = String.fromCodePoint(line.codePointAt(0) ?? 32);
    out += CJK.test(before) || CJK.test(after) ? line : ` ${line}`;
  }
  return out;
}

/** `坐席：`, `客服:`, `客户：`, `Agent:`, `Customer:` (any speakers.ts alias), maybe after a dialogue dash. */
const PREFIX = /^\s*(?:[-–—]\s*)?([^\s:：]{1,12})\s*[:：]\s*/;

/** The role a line's prefix names, and the line without it; undefined when it has none. */
export function rolePrefix(text: string): { role: Speaker; rest: string } | undefined {
  const m = PREFIX.exec(text);
  if (!m) return undefined;
  const role = speakerFromLabel(m[1] ?? '');
  return role === undefined ? undefined : { role, rest: text.slice(m[0].length) };
}

/** The role prefixes a subtitle's text may start with, as a message's parameters: `{prefixes} or {last}`. */
export const PREFIX_PARAMS = { prefixes: ['坐席：', '客服：', '客户：', 'Agent:'], last: 'Customer:' } as const;

/** Who speaks: a role the source states, or a label (a VTT voice name). */
export type Voice = { role: Speaker; speaker?: undefined } | { speaker: string; role?: undefined };

/** Part of a cue's text said by one voice; without a voice, by whoever spoke last. */
export interface Piece {
  voice?: Voice;
  /** The text; line breaks of the cue kept as "\n". */
  text: string;
  /** 1-based line where the text begins. */
  line: number;
}

export interface Cue {
  start: number;
  end: number;
  /** 1-based line of the cue's timing line. */
  line: number;
  pieces: Piece[];
  /** What goes between two pieces of the same voice when they are merged: "\n" when pieces are whole lines. */
  sep: '' | '\n';
}

export interface CueLine {
  line: number;
  text: string;
}

/** A cue's text lines → pieces: a role prefix starts a piece; a line without one continues the one before. */
export function prefixPieces(lines: readonly CueLine[]): Piece[] {
  const pieces: Piece[] = [];
  for (const { line, text } of lines) {
    if (text.trim() === '') continue;
    const prefix = rolePrefix(text);
    const last = pieces[pieces.length - 1];
    if (prefix) pieces.push({ voice: { role: prefix.role }, text: prefix.rest, line });
    else if (last) last.text += `\n${text}`;
    else pieces.push({ text, line });
  }
  return pieces;
}

const sameVoice = (a: Voice, b: Voice) => a.role === b.role && a.speaker === b.speaker;

interface Assembled {
  utterances: SourceUtterance[];
  /** Whether any cue has text. */
  spoken: boolean;
  /** Whether any piece names its voice. */
  voiced: boolean;
  /** The line of the first text that nobody before it can be said to speak. */
  unattributed?: number;
}

/**
 * Cues → utterances. A piece without a voice continues the last voice named (across cues: subtitles
 * split utterances). Pieces of one voice within a cue are merged; different voices in one cue
 * become utterances with the same times.
 */
function assemble(cues: readonly Cue[]): Assembled {
  const utterances: SourceUtterance[] = [];
  let current: Voice | undefined;
  let unattributed: number | undefined;
  let spoken = false;
  for (const cue of cues) {
    const said: { voice: Voice; text: string }[] = [];
    for (const piece of cue.pieces) {
      if (piece.voice) current = piece.voice;
      if (piece.text.trim() === '') continue;
      spoken = true;
      const voice = piece.voice ?? current;
      if (!voice) {
        unattributed ??= piece.line;
        continue;
      }
      const last = said[said.length - 1];
      if (last && sameVoice(last.voice, voice)) last.text += cue.sep + piece.text;
      else said.push({ voice, text: piece.text });
    }
    for (const { voice, text } of said) {
      const joined = joinLines(text.split('\n'));
      if (joined === '') continue;
      const who = voice.role === undefined ? { speaker: voice.speaker } : { role: voice.role };
      utterances.push({ ...who, start: cue.start, end: cue.end, text: joined });
    }
  }
  const out: Assembled = { utterances, spoken, voiced: current !== undefined };
  if (unattributed !== undefined) out.unattributed = unattributed;
  return out;
}

export interface Messages {
  /** The file has no cue at all. */
  noCues: InputMessage;
  /** No cue names a speaker. */
  noSpeakers: InputMessage;
  /** Text before the first cue that names a speaker. */
  unattributed: InputMessage;
}

/**
 * The call of a subtitle file, or every problem found in it: a call with a cue missing or with a
 * speaker guessed would be scored wrongly, so any problem rejects the file.
 */
export function* finishCall(cues: readonly Cue[], problems: InputError[], ctx: ParseContext, format: string, messages: Messages): Generator<Parsed> {
  const { source } = ctx;
  const { utterances, spoken, voiced, unattributed } = assemble(cues);
  // Cues are in time order (WebVTT requires it; SRT players sort them): one that starts before the cue above is misplaced.
  for (let k = 1; k < cues.length; k++) {
    const cue = cues[k] as Cue;
    if (cue.start < (cues[k - 1] as Cue).start) problems.push({ source, line: cue.line, ...reason(BACKWARDS) });
  }
  if (cues.length === 0) {
    if (problems.length === 0) problems.push({ source, line: 1, ...reason(messages.noCues) });
  } else if (!spoken) {
    if (problems.length === 0) problems.push({ source, line: 1, ...reason(msg('input.cue-no-speech')) });
  } else if (!voiced) {
    problems.push({ source, line: 1, ...reason(messages.noSpeakers) });
  } else if (unattributed !== undefined) {
    problems.push({ source, line: unattributed, ...reason(messages.unattributed) });
  }

  if (problems.length > 0) {
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    for (const p of problems.slice(0, MAX_PROBLEMS)) yield { error: p };
    if (problems.length > MAX_PROBLEMS) yield { error: { source, ...reason(msg('input.more-problems', { count: problems.length - MAX_PROBLEMS })) } };
    return;
  }
  const call: SourceCall = { format, id: fileStem(source), source, line: 1, agent: {}, hangupBy: 'unknown', utterances };
  yield { call };
}

/** Records an InputProblem (anything else is a bug and is re-thrown). */
export function collect(problems: InputError[], source: string, err: unknown): void {
  if (!(err instanceof InputProblem)) throw err;
  problems.push({ source, ...(err.line === undefined ? {} : { line: err.line }), ...errorReason(err) });
}
