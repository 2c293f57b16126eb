import type { HangupBy } from '../../model/call.js';
import type { SourceCall, SourceUtterance } from '../../model/source.js';
import { toSimplified } from '../../normalise/script.js';
import { at, parseHangupBy, parseId, parseRingSeconds, parseStartedAt } from '../call-fields.js';
import { type CsvRow as Row, delimiterFor, isBlank, readCsvRows } from '../csv-rows.js';
import { readDateTime } from '../date-time.js';
import { errorReason, type InputError, type InputMessage, InputProblem, msg, reason, reasonOf } from '../errors.js';
import type { ParseContext, TextFormat } from '../format.js';
import { fileStem } from '../format.js';
import type { Parsed } from '../parsed.js';
import { speakerFromLabel } from '../speakers.js';
import { parseClock } from '../text.js';

const NAME = 'csv-export';

/** The canonical fields, with the header names each is known by (matched after folding, see `fold`). */
const FIELDS = {
  call_id: ['call_id', '通话ID', '录音编号', '通话编号'],
  agent_id: ['agent_id', '坐席工号', '工号'],
  agent_name: ['agent_name', '坐席姓名', '坐席名称'],
  speaker: ['speaker', 'role', '角色', '说话人'],
  channel: ['channel', '声道'],
  start: ['start', '开始时间'],
  end: ['end', '结束时间'],
  text: ['text', '内容', '文本', '识别结果'],
  hangup_by: ['hangup_by', '挂机方'],
  ring_seconds: ['ring_seconds'],
  started_at: ['started_at'],
} as const;
type Field = keyof typeof FIELDS;
const FIELD_NAMES = Object.keys(FIELDS) as Field[];

/** Cells that hold the utterance itself: a row with all of them empty is a spacer and is skipped. */
const UTTERANCE_FIELDS: readonly Field[] = ['speaker', 'channel', 'start', 'end', 'text'];
/** Per-call values: every row of a call that fills one must agree. */
const CALL_FIELDS = ['agent_id', 'agent_name', 'hangup_by', 'ring_seconds', 'started_at'] as const;
type CallField = (typeof CALL_FIELDS)[number];

/** A plain-number time above this many seconds (6 h) cannot be a call offset: it is milliseconds read as seconds. */
const MAX_PLAIN_SECONDS = 6 * 3600;
const MAX_PROBLEMS_PER_CALL = 10;
const CLOCK = 'hh:mm:ss(.fff), mm:ss(.fff) or a date and time (2026-03-12 09:15:02)';

/** Header names are matched trimmed, case-insensitively, in Simplified script, with spaces and hyphens as `_`. */
function fold(name: string): string {
  return toSimplified(name.trim())
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

const ALIASES: ReadonlyMap<string, Field> = new Map(FIELD_NAMES.flatMap((f) => FIELDS[f].map((alias) => [fold(alias), f] as const)));

interface Columns {
  /** Column index of each field the file has. */
  index: Partial<Record<Field, number>>;
  /** The header name of each field the file has, as written. */
  name: Partial<Record<Field, string>>;
}

/** A column named in a reason: by its header name, and the field it gives when the name is not the field's. */
function column(field: Field, cols: Columns): InputMessage {
  const name = cols.name[field] as string;
  return fold(name) === field ? msg('input.csv-column', { name }) : msg('input.csv-column-field', { name, field });
}

/** Which column holds each field: --columns first, then the known header names. */
function mapColumns(header: readonly string[], headerLine: number, override: Readonly<Record<string, string>> | undefined): Columns {
  const listing = msg('input.csv-header-has', { names: header.map((h) => h.trim()) });
  const cols: Columns = { index: {}, name: {} };
  const set = (field: Field, k: number) => {
    cols.index[field] = k;
    cols.name[field] = (header[k] as string).trim();
  };
  const given = new Set<Field>();
  for (const [key, wanted] of Object.entries(override ?? {})) {
    const field = fold(key) as Field;
    if (!FIELD_NAMES.includes(field)) {
      throw new InputProblem(at(`--columns ${key}=${wanted}`, msg('input.csv-unknown-field', { key, fields: FIELD_NAMES })), headerLine);
    }
    const matches = header.flatMap((h, k) => (fold(h) === fold(wanted) ? [k] : []));
    const flag = `--columns ${key}=${wanted}`;
    if (matches.length === 0) throw new InputProblem(at(flag, msg('input.csv-no-such-column', { name: wanted, listing })), headerLine);
    if (matches.length > 1) throw new InputProblem(at(flag, msg('input.csv-same-name', { count: matches.length, name: wanted })), headerLine);
    set(field, matches[0] as number);
    given.add(field);
  }
  const taken = new Set(Object.values(cols.index));
  header.forEach((h, k) => {
    const field = ALIASES.get(fold(h));
    if (field === undefined || given.has(field) || taken.has(k)) return;
    if (cols.index[field] !== undefined) {
      const which = { first: cols.name[field] as string, second: h.trim(), field, flag: `--columns ${field}=<header name>` };
      throw new InputProblem(msg('input.csv-both-give', which), headerLine);
    }
    set(field, k);
  });
  const require = (field: Field) => msg('input.csv-field', { field, names: FIELDS[field], flag: `--columns ${field}=<header name>` });
  if (cols.index.text === undefined) throw new InputProblem(msg('input.csv-no-text-column', { text: require('text'), listing }), headerLine);
  if (cols.index.speaker === undefined && cols.index.channel === undefined) {
    throw new InputProblem(msg('input.csv-no-speaker-column', { speaker: require('speaker'), channel: require('channel'), listing }), headerLine);
  }
  return cols;
}

interface ParsedTime {
  seconds: number;
  /** A plain number read as seconds (not a clock, not --time-unit ms): checked against MAX_PLAIN_SECONDS. */
  plain: boolean;
  /** A date and time (a chat export's message time): `seconds` are then since the epoch, and this is it in ISO 8601. */
  wall?: string;
}

/** A date and time as chat platforms and Excel write them (date-time.ts): without a zone it is local time, only differences are used. */
function parseDateTime(value: string): ParsedTime | undefined {
  const t = readDateTime(value, { form: 'export', zone: 'optional' });
  return t === undefined ? undefined : { seconds: t.ms / 1000, plain: false, wall: t.iso };
}

function parseTime(value: string, unit: 's' | 'ms' | undefined): ParsedTime | undefined {
  if (/^(?:\d+(?:\.\d*)?|\.\d+)$/.test(value)) {
    const n = Number(value);
    return unit === 'ms' ? { seconds: n / 1000, plain: false } : { seconds: n, plain: unit === undefined };
  }
  const clock = parseClock(value);
  return clock === undefined ? parseDateTime(value) : { seconds: clock, plain: false };
}

function parseChannel(value: string): number | undefined {
  const m = /^(?:ch(?:annel)?[_\s]?)?(\d{1,3})$/i.exec(value);
  return m ? Number(m[1]) : undefined;
}

/** One utterance row, read; `plainMax` is its largest plain-number time. */
interface RowUtterance {
  line: number;
  u: SourceUtterance;
  plainMax: number;
  /** The row's start as a date and time (ISO 8601), when its times are dates and times. */
  wall?: string;
  /** Its times are dates and times (seconds since the epoch until the call's first is subtracted). */
  walls: boolean;
}

interface CallRows {
  id: string;
  line: number;
  rows: Row[];
}

/** A bad row of a call: an InputProblem with the row's line (a catalog message or English text). */
class RowProblem extends InputProblem {
  declare readonly line: number;
}

function readUtterance(row: Row, cols: Columns, unit: 's' | 'ms' | undefined): RowUtterance {
  const cell = (field: Field) => {
    const k = cols.index[field];
    return k === undefined ? '' : (row.cells[k] ?? '').trim();
  };
  const u: SourceUtterance = { text: cell('text') };
  const label = cell('speaker');
  if (label !== '') {
    const role = speakerFromLabel(label);
    if (role) u.role = role;
    else u.speaker = label;
  }
  const channel = cell('channel');
  if (channel !== '') {
    const n = parseChannel(channel);
    if (n === undefined) throw new RowProblem(msg('input.csv-channel', { column: column('channel', cols), value: JSON.stringify(channel) }), row.line);
    u.channel = n;
  }
  if (u.role === undefined && u.speaker === undefined && u.channel === undefined) {
    const [first, second] = (['speaker', 'channel'] as const).filter((f) => cols.index[f] !== undefined).map((f) => column(f, cols));
    const none = second
      ? msg('input.csv-no-speaker-two', { first: first as InputMessage, second })
      : msg('input.csv-no-speaker', { column: first as InputMessage });
    throw new RowProblem(none, row.line);
  }
  let plainMax = 0;
  let wall: string | undefined;
  let walls = 0;
  for (const field of ['start', 'end'] as const) {
    const value = cell(field);
    if (value === '') continue;
    const t = parseTime(value, unit);
    if (t === undefined) {
      const params = { column: column(field, cols), clock: CLOCK, value: JSON.stringify(value) };
      throw new RowProblem(unit === 'ms' ? msg('input.csv-time-ms', { ...params, flag: '--time-unit ms' }) : msg('input.csv-time', params), row.line);
    }
    u[field] = t.seconds;
    if (t.plain) plainMax = Math.max(plainMax, t.seconds);
    if (t.wall !== undefined) {
      walls++;
      if (field === 'start') wall = t.wall;
    }
  }
  // A date and time beside an offset cannot be set against it.
  if (walls === 1 && u.start !== undefined && u.end !== undefined) {
    throw new RowProblem(msg('input.csv-time-kinds', { start: column('start', cols), end: column('end', cols) }), row.line);
  }
  if (u.start === undefined && u.end !== undefined) {
    const start =
      cols.index.start === undefined
        ? msg('input.csv-no-start-column', { column: column('end', cols) })
        : msg('input.csv-start-empty', { column: column('start', cols) });
    throw new RowProblem(start, row.line);
  }
  if (u.start !== undefined && u.end !== undefined && u.end < u.start) {
    throw new RowProblem(msg('input.csv-end-before-start', { column: column('end', cols), end: cell('end'), start: cell('start') }), row.line);
  }
  return { line: row.line, u, plainMax, walls: walls > 0, ...(wall === undefined ? {} : { wall }) };
}

/**
 * Dates and times become seconds from the call's first (a chat's first message), which is the call's started_at
 * unless a started_at column gives one. Rows of one call give one kind of time: an offset cannot be set against a date.
 */
function fromWallClock(read: readonly RowUtterance[], cols: Columns): { startedAt?: string; problem?: RowProblem } {
  const first = read.find((r) => r.u.start !== undefined);
  if (!first?.walls) {
    const odd = read.find((r) => r.walls);
    return odd ? { problem: new RowProblem(msg('input.csv-time-kinds-rows', { column: column('start', cols) }), odd.line) } : {};
  }
  const origin = first.u.start as number;
  for (const r of read) {
    if (!r.walls && r.u.start !== undefined) return { problem: new RowProblem(msg('input.csv-time-kinds-rows', { column: column('start', cols) }), r.line) };
    if (r.u.start !== undefined) r.u.start -= origin;
    if (r.u.end !== undefined) r.u.end -= origin;
  }
  return first.wall === undefined ? {} : { startedAt: first.wall };
}

type CallValues = { hangupBy: HangupBy; ringSeconds?: number; startedAt?: string; agentId?: string; agentName?: string };

/** The per-call value of one field: parsed from every row that fills it, and the same on all of them. */
function callValue<T>(
  field: CallField,
  group: CallRows,
  cols: Columns,
  parse: (v: string, where: string | InputMessage, line: number) => T | undefined,
): T | undefined {
  const k = cols.index[field];
  if (k === undefined) return undefined;
  let found: { value: T; text: string; line: number } | undefined;
  for (const row of group.rows) {
    const text = (row.cells[k] ?? '').trim();
    if (text === '') continue;
    let value: T | undefined;
    try {
      value = parse(text, column(field, cols), row.line);
    } catch (err) {
      if (!(err instanceof InputProblem)) throw err;
      throw new RowProblem(err.said ?? err.message, row.line);
    }
    if (value === undefined) continue;
    if (found === undefined) found = { value, text, line: row.line };
    else if (found.value !== value) {
      throw new RowProblem(
        msg('input.csv-two-values', { column: column(field, cols), here: JSON.stringify(text), there: JSON.stringify(found.text), line: found.line }),
        row.line,
      );
    }
  }
  return found?.value;
}

function buildCall(group: CallRows, cols: Columns, ctx: ParseContext): SourceCall {
  const problems: RowProblem[] = [];
  const attempt = <T>(run: () => T): T | undefined => {
    try {
      return run();
    } catch (err) {
      if (!(err instanceof RowProblem)) throw err;
      problems.push(err);
      return undefined;
    }
  };
  const unit = ctx.options.timeUnit;
  const read = group.rows.flatMap((row) => attempt(() => readUtterance(row, cols, unit)) ?? []);
  // An explicit "unknown" on some rows does not conflict with the party other rows name.
  const hangup = (v: string, where: string | InputMessage, line: number) => {
    const h = parseHangupBy(v, where, line);
    return h === 'unknown' ? undefined : h;
  };
  const values: CallValues = { hangupBy: attempt(() => callValue('hangup_by', group, cols, hangup)) ?? 'unknown' };
  const ring = attempt(() => callValue('ring_seconds', group, cols, parseRingSeconds));
  if (ring !== undefined) values.ringSeconds = ring;
  const started = attempt(() => callValue('started_at', group, cols, parseStartedAt));
  if (started !== undefined) values.startedAt = started;
  const agentId = attempt(() => callValue('agent_id', group, cols, parseId));
  if (agentId !== undefined) values.agentId = agentId;
  const agentName = attempt(() => callValue('agent_name', group, cols, parseId));
  if (agentName !== undefined) values.agentName = agentName;

  if (problems.length === 0) {
    const timed = read.filter((r) => r.u.start !== undefined);
    if (timed.length > 0 && timed.length < read.length) {
      const odd = read.find((r) => r.u.start === undefined) as RowUtterance;
      problems.push(new RowProblem(msg('input.csv-times-on-some', { column: column('start', cols) }), odd.line));
    }
    const wall = fromWallClock(read, cols);
    if (wall.problem) problems.push(wall.problem);
    if (wall.startedAt !== undefined && values.startedAt === undefined) values.startedAt = wall.startedAt;
    const worst = read.reduce<RowUtterance | undefined>((w, r) => (r.plainMax > (w?.plainMax ?? MAX_PLAIN_SECONDS) ? r : w), undefined);
    if (worst) {
      problems.push(new RowProblem(msg('input.csv-plain-over-6h', { seconds: String(worst.plainMax), ms: '--time-unit ms', s: '--time-unit s' }), worst.line));
    }
  }
  if (problems.length > 0) throw new CallProblems(problems);

  // A row without an end ends where the call's next row starts.
  const utterances = read.map((r) => r.u);
  utterances.forEach((u, k) => {
    const next = utterances[k + 1];
    if (u.start !== undefined && u.end === undefined && next?.start !== undefined && next.start >= u.start) {
      u.end = next.start;
      u.endInferred = true;
    }
  });
  const agent: SourceCall['agent'] = {};
  if (values.agentId !== undefined) agent.id = values.agentId;
  if (values.agentName !== undefined) agent.name = values.agentName;
  const call: SourceCall = { id: group.id, source: ctx.source, line: group.line, format: NAME, agent, hangupBy: values.hangupBy, utterances };
  if (values.ringSeconds !== undefined) call.ringSeconds = values.ringSeconds;
  if (values.startedAt !== undefined) call.startedAt = values.startedAt;
  return call;
}

class CallProblems extends Error {
  constructor(readonly problems: RowProblem[]) {
    super(problems.map((p) => p.message).join('; '));
  }
}

/** Rows grouped into calls by call id, in order of first appearance; rows of one call need not be adjacent. */
function groupRows(rows: readonly Row[], cols: Columns, source: string): { groups: CallRows[]; orphans: InputError[] } {
  const idColumn = cols.index.call_id;
  const idOf = (row: Row) => (idColumn === undefined ? '' : (row.cells[idColumn] ?? '').trim());
  // A call id column left empty on every row is no call id column at all.
  const hasIds = rows.some((row) => idOf(row) !== '');
  const groups = new Map<string, CallRows>();
  const orphans: InputError[] = [];
  for (const row of rows) {
    const id = hasIds ? idOf(row) : fileStem(source);
    if (id === '') {
      orphans.push({
        source,
        line: row.line,
        ...reason(msg('input.csv-no-call-id', { column: column('call_id', cols) })),
      });
      continue;
    }
    let group = groups.get(id);
    if (!group) {
      group = { id, line: row.line, rows: [] };
      groups.set(id, group);
    }
    group.rows.push(row);
  }
  return { groups: [...groups.values()], orphans };
}

/**
 * One row per utterance, with a header row: CSV (comma) or TSV (tab). Rows are grouped into calls by
 * the call id column (the file stem without one). A bad row makes its call an error; other calls still
 * yield. A file whose layout cannot be read (no header, missing columns, broken quoting) is one error.
 */
export function* parseCsvExport(text: string, ctx: ParseContext): Generator<Parsed> {
  const { source } = ctx;
  let cols: Columns;
  let groups: CallRows[];
  let orphans: InputError[];
  try {
    const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
    const rows = readCsvRows(body, delimiterFor(source, body)).filter((r) => !isBlank(r.cells));
    const [header, ...data] = rows;
    if (!header) throw new InputProblem(msg('input.csv-empty'), 1);
    cols = mapColumns(header.cells, header.line, ctx.options.columns);
    const utteranceRows = data.filter((r) =>
      UTTERANCE_FIELDS.some((f) => cols.index[f] !== undefined && (r.cells[cols.index[f] as number] ?? '').trim() !== ''),
    );
    if (utteranceRows.length === 0) throw new InputProblem(msg('input.csv-no-rows'), header.line);
    ({ groups, orphans } = groupRows(utteranceRows, cols, source));
  } catch (err) {
    if (!(err instanceof InputProblem)) throw err;
    yield { error: { source, ...(err.line === undefined ? {} : { line: err.line }), ...errorReason(err) } };
    return;
  }

  // Orphan rows are reported where they stand among the calls (by line).
  let o = 0;
  for (const group of groups) {
    for (; o < orphans.length && (orphans[o]?.line ?? 0) < group.line; o++) yield { error: orphans[o] as InputError };
    try {
      yield { call: buildCall(group, cols, ctx) };
    } catch (err) {
      if (!(err instanceof CallProblems)) throw err;
      const problems = [...err.problems].sort((a, b) => a.line - b.line);
      for (const p of problems.slice(0, MAX_PROBLEMS_PER_CALL))
        yield { error: { source, line: p.line, ...reason(msg('input.in-call', { id: group.id, problem: reasonOf(p) })) } };
      if (problems.length > MAX_PROBLEMS_PER_CALL) {
        const more = msg('input.more-problems', { count: problems.length - MAX_PROBLEMS_PER_CALL });
        yield { error: { source, line: group.line, ...reason(msg('input.in-call', { id: group.id, problem: more })) } };
      }
    }
  }
  for (; o < orphans.length; o++) yield { error: orphans[o] as InputError };
}

const format: TextFormat = {
  kind: 'text',
  name: NAME,
  title:
    "CSV/TSV utterance exports: a header row, one row per utterance (call_id/通话ID, speaker/角色, start, end, text/内容), grouped into calls by call id; a chat export's message dates and times become seconds from its first message (--channel chat)",
  example: 'callqa score --columns speaker=说话人,text=识别结果 --time-unit ms export.csv',
  extensions: ['.csv', '.tsv'],
  parse: parseCsvExport,
};

export default format;
