import type { z } from 'zod';
import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { MessageKey } from '../i18n/catalogs/en.js';
import { type Message, type MessageParam, messageText } from '../i18n/message.js';
import { type CallRecord, type ErrorRecord, READABLE_SCHEMA_VERSIONS, type ResultRecord, type RunInfo } from './codec.js';
import { callRecordSchema, callRecordSchemaV1, describeValue, errorRecordSchema, problemsOf, runInfoSchema } from './schema.js';
import { compareRecords } from './order.js';

/**
 * Reading saved results back (docs/results.md): results.jsonl streamed line by line, run.json, and
 * the k-way merge of several runs' results into the order of one run over all their inputs.
 * Results are untrusted input: every record is checked before a report renders it.
 */

/**
 * A results file or run.json that cannot be used; the message names the file (and line). `said` is the
 * message, to be written in the command's language where it is printed (`message`: its English text).
 */
export class ResultsError extends Error {
  constructor(readonly said: Message) {
    super(messageText('en', said));
  }
}

/** A message of the saved-results section of the catalogs. */
function msg(key: MessageKey, params?: Readonly<Record<string, MessageParam>>): Message {
  return params ? { key, params } : { key };
}

export const RESULTS_FILE = 'results.jsonl';
export const RUN_FILE = 'run.json';

/** One run's saved results: its results.jsonl, the directory holding it, and its run.json. */
export interface SavedRun {
  /** The argument as the user gave it. */
  arg: string;
  resultsPath: string;
  dir: string;
  info: RunInfo;
}

/** A record and its 1-based line in the file. */
export interface LocatedRecord {
  record: ResultRecord;
  line: number;
}

// ---------------------------------------------------------------------------------------------
// Checking records

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A value as describeValue writes it, its words (nothing, an array, an object) as messages. */
function describe(value: Json): MessageParam {
  if (value === undefined) return msg('results.value.nothing');
  if (Array.isArray(value)) return msg('results.value.array');
  if (typeof value === 'object' && value !== null) return msg('results.value.object');
  return describeValue(value);
}

/** Several messages (or texts) one after another, each joined to the next by `key` (`{a}; {b}`). */
function chain(items: readonly MessageParam[], key: MessageKey = 'results.join'): MessageParam {
  return items.slice(1).reduce<MessageParam>((a, b) => msg(key, { a, b }), items[0] ?? '');
}

function unsupportedVersion(where: string, version: Json): ResultsError {
  const versions = READABLE_SCHEMA_VERSIONS.map(String);
  return new ResultsError(
    msg('results.unsupported-version', {
      where,
      field: 'schema_version',
      version: describe(version),
      earlier: versions.slice(0, -1),
      last: versions.at(-1) ?? '',
    }),
  );
}

/** Parses and checks one line of a results.jsonl; throws a ResultsError naming the file and line. */
export function parseResultLine(text: string, path: string, line: number): ResultRecord {
  const where = `${path}:${line}`;
  let value: Json;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ResultsError(msg('results.not-json-record', { where, error: (err as Error).message }));
  }
  if (!isObject(value)) throw new ResultsError(msg('results.not-object', { where, value: describe(value) }));
  if (!readable(value.schema_version)) throw unsupportedVersion(where, value.schema_version);
  let schema: z.ZodType;
  if (value.type === 'call') schema = value.schema_version === 1 ? callRecordSchemaV1 : callRecordSchema;
  else if (value.type === 'error') schema = errorRecordSchema;
  else throw new ResultsError(msg('results.bad-type', { where, field: 'type', call: 'call', error: 'error', value: describe(value.type) }));
  const problems = problemsOf(schema, value);
  if (problems.length > 0) {
    // The schema's own words for each problem (zod's, as the rubric's problems are): quoted as they are.
    const shown = chain(problems.slice(0, 5));
    const more = problems.length - 5;
    const key =
      value.type === 'call'
        ? more > 0
          ? 'results.invalid-call-more'
          : 'results.invalid-call'
        : more > 0
          ? 'results.invalid-error-more'
          : 'results.invalid-error';
    throw new ResultsError(msg(key, { where, problems: shown, more }));
  }
  return value as unknown as ResultRecord;
}

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * Streams a results.jsonl with each record's line; blank lines are skipped. Memory: one line.
 * `end`: read the bytes before it only (a killed run's partial results, up to their last whole line).
 */
export async function* readLocatedResults(path: string, end?: number): AsyncGenerator<LocatedRecord> {
  if (end === 0) return;
  const stream = createReadStream(path, { encoding: 'utf8', ...(end === undefined ? {} : { end: end - 1 }) });
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      if (text.trim() === '') continue;
      yield { record: parseResultLine(line === 1 ? text.replace(/^\ufeff/, '') : text, path, line), line };
    }
  } catch (err) {
    if (err instanceof ResultsError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ResultsError(msg('results.cannot-read', { path, reason: code ?? (err as Error).message }));
  } finally {
    lines.close();
    stream.destroy();
  }
}

/** Streams the records of a results.jsonl, checked; a bad line throws a ResultsError naming file and line. */
export async function* readResults(path: string, end?: number): AsyncGenerator<ResultRecord> {
  for await (const { record } of readLocatedResults(path, end)) yield record;
}

function checkRunInfo(value: Json, where: string): RunInfo {
  if (!isObject(value)) throw new ResultsError(msg('results.run-not-object', { where, value: describe(value) }));
  if (!readable(value.schema_version)) throw unsupportedVersion(where, value.schema_version);
  const problems = problemsOf(runInfoSchema, value);
  if (problems.length > 0) throw new ResultsError(msg('results.invalid-run', { where, file: RUN_FILE, problems: chain(problems.slice(0, 5)) }));
  return value as unknown as RunInfo;
}

/** A schema version the readers take. */
function readable(version: Json): boolean {
  return typeof version === 'number' && READABLE_SCHEMA_VERSIONS.includes(version);
}

/** Reads and checks the run.json of a report directory. */
export async function readRunInfo(dir: string): Promise<RunInfo> {
  const path = join(dir, RUN_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ResultsError(msg('results.no-run-info', { path, file: RUN_FILE, report: 'callqa report', score: 'callqa score' }));
    }
    throw new ResultsError(msg('results.cannot-read', { path, reason: code ?? (err as Error).message }));
  }
  let value: Json;
  try {
    value = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (err) {
    throw new ResultsError(msg('results.run-not-json', { path, error: (err as Error).message }));
  }
  return checkRunInfo(value, path);
}

/** A results.jsonl, or a report directory holding one: the file and its directory (where run.json is). */
export async function locateResults(arg: string): Promise<{ resultsPath: string; dir: string }> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(arg);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ResultsError(
      code === 'ENOENT' ? msg('command.no-such-path', { path: arg }) : msg('results.cannot-read', { path: arg, reason: code ?? (err as Error).message }),
    );
  }
  if (!info.isDirectory()) return { resultsPath: arg, dir: dirname(arg) };
  const resultsPath = join(arg, RESULTS_FILE);
  try {
    await stat(resultsPath);
  } catch {
    throw new ResultsError(msg('results.no-results-in-dir', { dir: arg, file: RESULTS_FILE, command: 'callqa score' }));
  }
  return { resultsPath, dir: arg };
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function listText(list: readonly string[] | undefined): MessageParam {
  return list === undefined ? msg('results.list.none') : list.length === 0 ? msg('results.list.empty') : list;
}

/**
 * Runs merge only when they share the rubric: the same rubric file (sha256) and the same report
 * columns (rule ids, LLM criterion ids). Throws a ResultsError saying which runs differ, and how.
 */
export function checkSameRubric(runs: readonly Pick<SavedRun, 'resultsPath' | 'dir' | 'info'>[]): void {
  const first = runs[0];
  if (!first) return;
  const a = first.info;
  const name = (r: Pick<SavedRun, 'dir'>) => join(r.dir, RUN_FILE);
  for (const run of runs.slice(1)) {
    const b = run.info;
    const differences: Message[] = [];
    if (a.rubric.sha256 !== b.rubric.sha256) {
      const [aSha, bSha] = [a.rubric.sha256.slice(0, 12), b.rubric.sha256.slice(0, 12)];
      const names = { a: JSON.stringify(a.rubric.name), b: JSON.stringify(b.rubric.name) };
      differences.push(msg('results.differ.rubric', { ...names, aPath: a.rubric.path, bPath: b.rubric.path, hash: 'sha256', aSha, bSha }));
    }
    if (!sameList(a.layout.ruleIds, b.layout.ruleIds))
      differences.push(msg('results.differ.rules', { a: listText(a.layout.ruleIds), b: listText(b.layout.ruleIds) }));
    if (!sameList(a.layout.criteria, b.layout.criteria))
      differences.push(msg('results.differ.criteria', { a: listText(a.layout.criteria), b: listText(b.layout.criteria) }));
    if (differences.length > 0) {
      throw new ResultsError(msg('results.rubrics-differ', { first: name(first), other: name(run), differences: chain(differences, 'results.differ.and-in') }));
    }
  }
}

/**
 * Resolves each argument (a results.jsonl or a report directory), reads its run.json, refuses the
 * same results twice, and checks that all share the rubric. Throws a ResultsError otherwise.
 */
export async function openRuns(args: readonly string[]): Promise<SavedRun[]> {
  const runs: SavedRun[] = [];
  const seen = new Map<string, string>();
  for (const arg of args) {
    const { resultsPath, dir } = await locateResults(arg);
    const real = await realpath(resultsPath).catch(() => resultsPath);
    const earlier = seen.get(real);
    if (earlier !== undefined) throw new ResultsError(msg('results.same-results', { arg, earlier }));
    seen.set(real, arg);
    runs.push({ arg, resultsPath, dir, info: await readRunInfo(dir) });
  }
  checkSameRubric(runs);
  return runs;
}

// ---------------------------------------------------------------------------------------------
// Merging

/** Where a record sorts: a call's (source, seq); an error's place between calls (fractional seq). */
interface Key {
  source: string;
  seq: number;
}

interface Cursor {
  index: number;
  path: string;
  records: AsyncGenerator<LocatedRecord>;
  /** The record to emit next, and where it sorts (undefined before the first read). */
  head?: LocatedRecord;
  key?: Key;
  /** The last call read from this file, for order checks and for placing the errors after it. */
  lastCall?: { key: Key; line: number; callId: string };
  /** A second reader of the same file, ahead of `records`, that finds the next call after a run of errors. */
  scout?: AsyncGenerator<LocatedRecord>;
  /** The next call after the current error run: found (with its line), none till the end (null), or not looked for. */
  nextCall?: { key: Key; line: number } | null;
}

/** Sorts after every source (a cursor without a record yet; never compared in practice). */
const END: Key = { source: '\uffff', seq: Number.POSITIVE_INFINITY };

function keyOf(record: CallRecord): Key {
  return { source: record.source, seq: record.seq };
}

function describeCall(key: Key, callId: string): Message {
  return msg('results.call', { id: JSON.stringify(callId), source: key.source, n: key.seq + 1 });
}

/** The next call record after `line` in the cursor's file, read by the scout (each line is read at most twice). */
async function nextCallAfter(cursor: Cursor, line: number): Promise<{ key: Key; line: number } | null> {
  if (cursor.nextCall === null || (cursor.nextCall !== undefined && cursor.nextCall.line > line)) return cursor.nextCall;
  cursor.scout ??= readLocatedResults(cursor.path);
  for (;;) {
    const next = await cursor.scout.next();
    if (next.done) {
      cursor.nextCall = null;
      return null;
    }
    const { record, line: at } = next.value;
    if (at > line && record.type === 'call') {
      cursor.nextCall = { key: keyOf(record), line: at };
      return cursor.nextCall;
    }
  }
}

/**
 * Where an error record goes among the merged calls. In one run an error is written where its
 * source is reached: before the calls of its source, or after the call of that source it follows.
 * That place is kept, within the bounds of its own file's order (after the call before it, before
 * the call after it), so errors keep their relative order and the merge stays sorted.
 */
async function errorKey(cursor: Cursor, error: ErrorRecord, line: number): Promise<Key> {
  const last = cursor.lastCall?.key;
  let key: Key = { source: error.source, seq: last && last.source === error.source ? last.seq + 0.5 : -0.5 };
  if (last && compareRecords(key, last) < 0) key = { source: last.source, seq: last.seq + 0.5 };
  const next = await nextCallAfter(cursor, line);
  if (next && compareRecords(key, next.key) > 0) key = { source: next.key.source, seq: next.key.seq - 0.5 };
  return key;
}

/** Reads the cursor's next record and works out its key; false at the end of the file. */
async function advance(cursor: Cursor, checkOrder: boolean): Promise<boolean> {
  const next = await cursor.records.next();
  if (next.done) return false;
  const { record, line } = next.value;
  cursor.head = next.value;
  if (record.type === 'error') {
    cursor.key = await errorKey(cursor, record, line);
    return true;
  }
  const key = keyOf(record);
  const last = cursor.lastCall;
  if (checkOrder && last && compareRecords(key, last.key) <= 0) {
    const same = compareRecords(key, last.key) === 0;
    throw new ResultsError(
      msg(same ? 'results.repeats-place' : 'results.comes-after', {
        where: `${cursor.path}:${line}`,
        call: describeCall(key, record.callId),
        last: describeCall(last.key, last.callId),
        line: last.line,
        command: 'callqa score',
      }),
    );
  }
  cursor.key = key;
  cursor.lastCall = { key, line, callId: record.callId };
  return true;
}

/** A binary min-heap of cursors by key, then by file (the order the files were given). */
class CursorHeap {
  private readonly items: Cursor[] = [];

  get size(): number {
    return this.items.length;
  }

  private less(a: Cursor, b: Cursor): boolean {
    return (compareRecords(a.key ?? END, b.key ?? END) || a.index - b.index) < 0;
  }

  push(c: Cursor): void {
    const items = this.items;
    items.push(c);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as Cursor;
      if (!this.less(c, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = c;
  }

  pop(): Cursor | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= items.length) break;
      const r = l + 1;
      const child = r < items.length && this.less(items[r] as Cursor, items[l] as Cursor) ? r : l;
      if (!this.less(items[child] as Cursor, last)) break;
      items[i] = items[child] as Cursor;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

/** How many duplicate calls the refusal names (the count covers them all). */
const DUPLICATES_NAMED = 10;

/**
 * Finds calls that two files both hold: the same source and call id (the same shard given twice, or
 * runs that overlap). The merge meets a source's calls one after another, so memory holds the call ids
 * of one source only. `add` says whether the call is such a duplicate; `check` throws a ResultsError
 * naming the duplicates (at most DUPLICATES_NAMED, and how many in all) when there were any.
 */
class OverlapCheck {
  private source: string | undefined;
  /** The calls of the current source: call id → the file and line that first held it. */
  private readonly ids = new Map<string, { path: string; line: number }>();
  private readonly named: Message[] = [];
  private count = 0;

  add(record: CallRecord, path: string, line: number): boolean {
    if (record.source !== this.source) {
      this.source = record.source;
      this.ids.clear();
    }
    const first = this.ids.get(record.callId);
    if (first === undefined) {
      this.ids.set(record.callId, { path, line });
      return false;
    }
    // One file may hold a call id twice in a source (its run scored both calls); two files may not.
    if (first.path === path) return false;
    this.count++;
    if (this.named.length < DUPLICATES_NAMED) {
      this.named.push(
        msg('results.duplicate', { id: JSON.stringify(record.callId), source: record.source, first: `${first.path}:${first.line}`, second: `${path}:${line}` }),
      );
    }
    return true;
  }

  check(): void {
    if (this.count === 0) return;
    const more = this.count - this.named.length;
    const key = this.count === 1 ? 'results.duplicates.one' : more > 0 ? 'results.duplicates.other-more' : 'results.duplicates.other';
    throw new ResultsError(msg(key, { count: this.count, calls: chain(this.named), more }));
  }
}

/**
 * Merges several results.jsonl files, each in `compareRecords` order (as callqa score writes them),
 * into one stream in that order: the records of one run over all their inputs. Memory: one record
 * (and at most one look-ahead reader) per file. Error records keep their relative order, each placed
 * where its source falls among the calls. A call out of order, or the same call in two files
 * (overlapping runs: the same source and call id, or the same place in a source), throws a ResultsError
 * naming the files and lines (the duplicates all named, once every file is read). One file is passed through
 * as it is. The rubric check is `checkSameRubric` / `openRuns`.
 */
export async function* mergeResults(paths: string[]): AsyncGenerator<ResultRecord> {
  if (paths.length === 1) {
    yield* readResults(paths[0] as string);
    return;
  }
  const heap = new CursorHeap();
  const open: Cursor[] = [];
  try {
    for (const [index, path] of paths.entries()) {
      const cursor: Cursor = { index, path, records: readLocatedResults(path) };
      open.push(cursor);
      if (await advance(cursor, true)) heap.push(cursor);
    }
    let lastEmitted: { key: Key; path: string; line: number; callId: string } | undefined;
    const overlap = new OverlapCheck();
    for (;;) {
      const cursor = heap.pop();
      if (!cursor?.head || !cursor.key) break;
      const { record, line } = cursor.head;
      const key = cursor.key;
      if (record.type === 'call') {
        // The same source and call id from two files (the same shard given twice): named, all of them, at the end.
        const duplicate = overlap.add(record, cursor.path, line);
        if (!duplicate && lastEmitted && compareRecords(key, lastEmitted.key) === 0) {
          const where = `${cursor.path}:${line}`;
          throw new ResultsError(msg('results.overlap', { where, call: describeCall(key, record.callId), other: `${lastEmitted.path}:${lastEmitted.line}` }));
        }
        lastEmitted = { key, path: cursor.path, line, callId: record.callId };
      }
      yield record;
      if (await advance(cursor, true)) heap.push(cursor);
      else {
        await cursor.records.return(undefined);
        await cursor.scout?.return(undefined);
        cursor.scout = undefined;
      }
    }
    overlap.check();
  } finally {
    for (const cursor of open) {
      await cursor.records.return(undefined);
      await cursor.scout?.return(undefined);
    }
  }
}

/** Whether a parsed line is a record of saved results (of a version the readers take), not a transcript in callqa-jsonl. */
export function isResultRecord(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const r = value as { type?: unknown; schema_version?: unknown };
  return (r.type === 'call' || r.type === 'error') && readable(r.schema_version as Json);
}

/** True when the first record of a JSON Lines file is a callqa result (isResultRecord). */
export async function isResultsFile(path: string): Promise<boolean> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const raw of lines) {
      const line = raw.replace(/^\ufeff/, '').trim();
      if (line === '') continue;
      try {
        return isResultRecord(JSON.parse(line));
      } catch {
        return false;
      }
    }
    return false;
  } finally {
    lines.close();
  }
}
