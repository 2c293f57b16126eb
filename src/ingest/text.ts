import type { HangupBy } from '../model/call.js';
import type { SourceCall, SourceUtterance } from '../model/source.js';
import { BACKWARDS, parseChannelField, parseDirection, parseHangupBy, parseId, parseRingSeconds, parseStartedAt, timeProblem } from './call-fields.js';
import { errorReason, type InputError, InputProblem, msg, reason } from './errors.js';
import { fileStem } from './format.js';
import type { Parsed } from './parsed.js';
import { SUGGESTED_LABELS, speakerFromLabel } from './speakers.js';

const HEADER = /^#\s*([A-Za-z_]+)\s*[:：]\s*(.*)$/;
const UTTERANCE = /^(?:\[([^\]]*)\]\s*)?([^:：[\]]{1,24}?)\s*[:：]\s?(.*)$/;
const TIME = /^(?:(\d+):)?(\d{1,3}):(\d{1,2}(?:\.\d+)?)$/;
const MAX_PROBLEMS = 20;
const HEADER_KEYS = ['call_id', 'agent_id', 'agent_name', 'hangup_by', 'ring_seconds', 'started_at', 'direction', 'channel'] as const;
type HeaderKey = (typeof HEADER_KEYS)[number];

/** `hh:mm:ss(.f)` or `mm:ss(.f)` → seconds; undefined when it is not a time. */
export function parseClock(text: string): number | undefined {
  const m = TIME.exec(text.trim());
  if (!m) return undefined;
  const [, h, mm = '0', ss = '0'] = m;
  const minutes = Number(mm);
  const seconds = Number(ss);
  if (seconds >= 60 || (h !== undefined && minutes >= 60)) return undefined;
  return (h === undefined ? 0 : Number(h) * 3600) + minutes * 60 + seconds;
}

interface Line {
  line: number;
  endInferred?: boolean;
  speaker: SourceUtterance['role'] & string;
  start?: number;
  end?: number;
  text: string;
}

function parseTimes(stamp: string, line: number): { start: number; end?: number } {
  const parts = stamp.split(/\s*(?:-->|[-–~])\s*/);
  const expected = msg('input.timestamp-format', { stamp, formats: ['[mm:ss.s-mm:ss.s]', '[hh:mm:ss]'], last: '[mm:ss]' });
  if (parts.length > 2) throw new InputProblem(expected, line);
  const start = parseClock(parts[0] ?? '');
  if (start === undefined) throw new InputProblem(expected, line);
  const end = parts.length === 1 ? undefined : parseClock(parts[1] ?? '');
  if (parts.length > 1 && end === undefined) throw new InputProblem(expected, line);
  // Hours have no upper bound in the pattern: [99999999:00:00] is a time no call reaches.
  const problem = timeProblem(start) ?? (end === undefined ? undefined : timeProblem(end));
  if (problem !== undefined) throw new InputProblem(msg('input.timestamp-problem', { stamp, problem }), line);
  if (end === undefined) return { start };
  if (end < start) throw new InputProblem(msg('input.timestamp-reversed', { stamp }), line);
  return { start, end };
}

/** What the lines of a transcript said: its header fields (and the line of each), its utterances, and what was wrong. */
interface Read {
  header: Partial<Record<HeaderKey, string>>;
  headerLine: Partial<Record<HeaderKey, number>>;
  lines: Line[];
  problems: InputError[];
}

/**
 * The plain-text transcript: `# key: value` header lines, then one utterance a line,
 * `[mm:ss.s-mm:ss.s] 坐席：text`, `[hh:mm:ss] 客户: text` (end = next start) or `客服: text`.
 * Any bad line makes the whole file an error (every bad line listed): a call with a line
 * missing would be scored wrongly.
 */
export function* parseTextTranscript(text: string, source: string): Generator<Parsed> {
  const read = readLines(text, source);
  const { header, lines, problems } = read;
  if (problems.length === 0 && lines.length === 0) {
    problems.push({ source, line: 1, ...reason(msg('input.text-no-utterances', { example: '[00:05.2-00:09.8] 坐席：您好' })) });
  }
  checkTimes(lines, source, problems);
  const { call, hangupBy } = readHeaderFields(read, source);

  if (problems.length > 0) {
    yield* listProblems(problems, source);
    return;
  }

  const agent: SourceCall['agent'] = {};
  const agentId = parseId(header.agent_id, 'header agent_id');
  const agentName = parseId(header.agent_name, 'header agent_name');
  if (agentId !== undefined) agent.id = agentId;
  if (agentName !== undefined) agent.name = agentName;
  yield {
    call: {
      ...call,
      format: 'callqa-text',
      id: parseId(header.call_id, 'header call_id') ?? fileStem(source),
      source,
      line: 1,
      agent,
      hangupBy,
      utterances: lines.map(sourceUtterance),
    },
  };
}

/** Each line read as a header field or an utterance; a line that is neither is a problem, and reading goes on. */
function readLines(text: string, source: string): Read {
  const read: Read = { header: {}, headerLine: {}, lines: [], problems: [] };
  const rows = text.split(/\r\n|\n|\r/);
  rows.forEach((raw, k) => {
    const line = k + 1;
    const row = raw.trim();
    if (row === '') return;
    try {
      readRow(row, line, read);
    } catch (err) {
      if (!(err instanceof InputProblem)) throw err;
      read.problems.push({ source, line: err.line ?? line, ...errorReason(err) });
    }
  });
  return read;
}

/** One non-empty line into `read`: a header field, a comment, or an utterance. Throws InputProblem. */
function readRow(row: string, line: number, read: Read): void {
  const h = HEADER.exec(row);
  if (h) {
    if (read.lines.length > 0) return; // a comment among the utterances
    const key = (h[1] ?? '').toLowerCase();
    if (!(HEADER_KEYS as readonly string[]).includes(key)) {
      throw new InputProblem(msg('input.text-header-key', { key, keys: HEADER_KEYS }), line);
    }
    read.header[key as HeaderKey] = (h[2] ?? '').trim();
    read.headerLine[key as HeaderKey] = line;
    return;
  }
  if (row.startsWith('#')) return;
  const m = UTTERANCE.exec(row);
  if (!m) throw new InputProblem(msg('input.text-not-utterance', { example: '[00:05.2-00:09.8] 坐席：您好', short: '客服: 您好' }), line);
  const [, stamp, label = '', said = ''] = m;
  const speaker = speakerFromLabel(label);
  if (!speaker) throw new InputProblem(msg('input.speaker-label', { label: label.trim(), ...SUGGESTED_LABELS }), line);
  const u: Line = { line, speaker, text: said.trim() };
  if (stamp !== undefined) Object.assign(u, parseTimes(stamp, line));
  read.lines.push(u);
}

/**
 * A [time] on every utterance or on none, and in time order, ranged or not (overlaps are speech over speech; a start
 * before the one above is a misplaced line). Start-only utterances end where the next one starts.
 */
function checkTimes(lines: Line[], source: string, problems: InputError[]): void {
  const timed = lines.filter((l) => l.start !== undefined).length;
  if (timed > 0 && timed < lines.length) {
    const odd = lines.find((l) => l.start === undefined) as Line;
    problems.push({ source, line: odd.line, ...reason(msg('input.time-on-some')) });
  }
  for (let k = 0; k < lines.length; k++) {
    const cur = lines[k] as Line;
    const next = lines[k + 1];
    if (cur.start === undefined || next?.start === undefined) continue;
    if (next.start < cur.start) {
      problems.push({ source, line: next.line, ...reason(BACKWARDS) });
    } else if (cur.end === undefined) {
      cur.end = next.start;
      cur.endInferred = true;
    }
  }
}

/** The header's call fields. Each is checked on its own, so every bad header line is listed. */
function readHeaderFields(read: Read, source: string): { call: Partial<SourceCall>; hangupBy: HangupBy } {
  const { header, headerLine, problems } = read;
  const call: Partial<SourceCall> = {};
  const headerField = <T>(key: HeaderKey, parse: (v: unknown, where: string, line?: number) => T): T | undefined => {
    try {
      return parse(header[key], `header ${key}`, headerLine[key]);
    } catch (err) {
      if (!(err instanceof InputProblem)) throw err;
      problems.push({ source, line: err.line ?? 1, ...errorReason(err) });
      return undefined;
    }
  };
  const hangupBy: HangupBy = headerField('hangup_by', parseHangupBy) ?? 'unknown';
  const ring = headerField('ring_seconds', parseRingSeconds);
  if (ring !== undefined) call.ringSeconds = ring;
  const started = headerField('started_at', parseStartedAt);
  if (started !== undefined) call.startedAt = started;
  const direction = headerField('direction', parseDirection);
  if (direction !== undefined) call.direction = direction;
  const channel = headerField('channel', parseChannelField);
  if (channel !== undefined && channel !== 'voice') call.channel = channel;
  return { call, hangupBy };
}

/** The problems in line order, at most MAX_PROBLEMS of them and a count of the rest. */
function* listProblems(problems: InputError[], source: string): Generator<Parsed> {
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  for (const p of problems.slice(0, MAX_PROBLEMS)) yield { error: p };
  if (problems.length > MAX_PROBLEMS) {
    yield { error: { source, ...reason(msg('input.more-problems', { count: problems.length - MAX_PROBLEMS })) } };
  }
}

/** An utterance as the call holds it: the times it has, and no others. */
function sourceUtterance({ speaker, start, end, endInferred, text }: Line): SourceUtterance {
  const u: SourceUtterance = { role: speaker, text };
  if (start !== undefined) u.start = start;
  if (end !== undefined) u.end = end;
  if (endInferred) u.endInferred = true;
  return u;
}
