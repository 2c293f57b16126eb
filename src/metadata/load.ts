import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { type CsvRow, delimiterFor, isBlank, readCsvRows } from '../ingest/csv-rows.js';
import { decodeBytes } from '../ingest/encoding.js';
import type { InputError } from '../ingest/errors.js';
import { readRegularFile } from '../ingest/limits.js';
import { errorReason, InputProblem, localizeError, msg, reason, reasonOf } from '../ingest/errors.js';
import { isRecord } from '../ingest/format.js';
import { parseJsonDocument } from '../ingest/json-document.js';
import { factsFromAsterisk, isAsteriskHeader, isMasterCsvRow, masterRow } from './asterisk.js';
import { ctrUpdatedAt, factsFromCtr, isContactTraceRecord } from './ctr.js';
import { jsonDocuments } from './json-stream.js';
import { factsFromFreeswitch, isFreeswitchCdr } from './freeswitch.js';
import { freeswitchXmlToJson } from './freeswitch-xml.js';
import { canonicalKeys, factsFromPlain } from './plain.js';
import { type CallFacts, definedFacts, type MetadataOptions, type MetadataRecord } from './record.js';

/** Recognises one JSON object as a CTR, a FreeSWITCH CDR, or a plain record. */
function recordFromObject(value: unknown, source: string, line: number | undefined, options: MetadataOptions): MetadataRecord {
  if (!isRecord(value)) throw new InputProblem(msg('metadata.not-object'), line);
  const ctr = isContactTraceRecord(value);
  const { ids, facts } = ctr ? factsFromCtr(value) : isFreeswitchCdr(value) ? factsFromFreeswitch(value, options) : factsFromPlain(value, line);
  if (ids.length === 0) {
    throw new InputProblem(
      msg('metadata.no-call-id', { ctr: 'ContactId (Amazon Connect CTR)', cdr: 'variables.uuid (FreeSWITCH CDR)', field: 'call_id' }),
      line,
    );
  }
  const record: MetadataRecord = { ids, facts: definedFacts(facts), source, ...(line === undefined ? {} : { line }) };
  // A contact record delivered again is merged where records meet, in the index (MetadataIndex.add), whatever file it came in.
  const updatedAt = ctr ? ctrUpdatedAt(value) : undefined;
  if (updatedAt !== undefined) record.updatedAt = updatedAt;
  return record;
}

function* jsonRecords(text: string, source: string, options: MetadataOptions, lines: boolean): Generator<MetadataRecord | InputError> {
  const attempt = (doc: unknown, line: number | undefined): MetadataRecord | InputError => {
    try {
      return recordFromObject(doc, source, line, options);
    } catch (err) {
      if (!(err instanceof InputProblem)) throw err;
      return { source, ...(err.line === undefined ? {} : { line: err.line }), ...errorReason(err) };
    }
  };
  if (lines) {
    const rows = text.split('\n');
    for (let k = 0; k < rows.length; k++) {
      const row = (rows[k] as string).trim();
      if (row === '') continue;
      try {
        yield attempt(parseJsonDocument(row).doc, k + 1);
      } catch (err) {
        if (!(err instanceof InputProblem)) throw err;
        yield { source, line: k + 1, ...errorReason(err) };
      }
    }
    return;
  }
  let doc: unknown;
  try {
    ({ doc } = parseJsonDocument(text));
  } catch (err) {
    // Not one document: the contact record stream's layouts (documents run together, `}{`, or one a line in a
    // .json file) are read document by document, a bad one costing only itself; a file that is none of these
    // stops the run as before, with the first reading's reason.
    const stream = err instanceof InputProblem ? [...jsonDocuments(text)] : [];
    if (stream.filter((item) => 'doc' in item).length < 2) throw err;
    for (const item of stream) yield 'doc' in item ? attempt(item.doc, item.line) : { source, line: item.line, ...reason(item.problem) };
    return;
  }
  if (Array.isArray(doc)) for (const item of doc) yield attempt(item, undefined);
  else yield attempt(doc, 1);
}

/** One FreeSWITCH XML CDR file (mod_xml_cdr writes one a leg): a record, or an error naming its line. */
function xmlRecord(text: string, source: string, options: MetadataOptions): MetadataRecord | InputError {
  try {
    const { cdr, line } = freeswitchXmlToJson(text);
    return recordFromObject(cdr, source, line, options);
  } catch (err) {
    if (!(err instanceof InputProblem)) throw err;
    return { source, ...(err.line === undefined ? {} : { line: err.line }), ...errorReason(err) };
  }
}

/** Asterisk CDR rows, headerless (cdr_csv's Master.csv) or under a header of Asterisk's field names. */
function* asteriskRecords(rows: CsvRow[], names: string[] | undefined, source: string): Generator<MetadataRecord | InputError> {
  const folded = names?.map((n) => n.trim().toLowerCase());
  for (const row of rows) {
    try {
      const cells = folded ? new Map(folded.map((name, i) => [name, row.cells[i] ?? ''])) : masterRow(row);
      const { ids, facts } = factsFromAsterisk(cells, row.line);
      if (ids.length === 0) throw new InputProblem(msg('metadata.asterisk-no-id', { uniqueid: 'uniqueid', linkedid: 'linkedid' }), row.line);
      yield { ids, facts: definedFacts(facts), source, line: row.line };
    } catch (err) {
      if (!(err instanceof InputProblem)) throw err;
      yield { source, line: row.line, ...errorReason(err) };
    }
  }
}

function* csvRecords(text: string, source: string): Generator<MetadataRecord | InputError> {
  const all = readCsvRows(text, delimiterFor(source, text)).filter((r) => !isBlank(r.cells));
  const [header, ...rows] = all;
  if (!header) return;
  // cdr_csv writes no header: a first row shaped like a CDR (dates, integer seconds) is one.
  if (isMasterCsvRow(header.cells)) return yield* asteriskRecords(all, undefined, source);
  const names = header.cells.map((c) => c.trim());
  if (isAsteriskHeader(names)) return yield* asteriskRecords(rows, names, source);
  if (!canonicalKeys(names).has('call_id')) {
    const expected = ['call_id', '通话ID', '录音编号', 'ContactId', 'uuid'];
    throw new InputProblem(msg('metadata.no-id-column', { names: expected, header: names }), header.line);
  }
  for (const { cells, line } of rows) {
    try {
      const record = Object.fromEntries(names.map((name, i) => [name, cells[i] ?? '']));
      const { ids, facts } = factsFromPlain(record, line);
      if (ids.length === 0) throw new InputProblem(msg('metadata.empty-call-id'), line);
      yield { ids, facts: definedFacts(facts), source, line };
    } catch (err) {
      if (!(err instanceof InputProblem)) throw err;
      yield { source, line, ...errorReason(err) };
    }
  }
}

/**
 * A call-record file is read whole and indexed: 64 MB holds some 300,000 CDR rows, a month of a large
 * centre; past it, split the export (several --metadata files are joined alike).
 */
const MAX_METADATA_BYTES = 64_000_000;
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

/** What a --metadata file (not a folder) may be: its extension says how it is read. */
const EXTENSIONS = ['.csv', '.tsv', '.json', '.jsonl', '.xml'];

function readMetadataBytes(path: string): Buffer {
  try {
    return readRegularFile(path, MAX_METADATA_BYTES, (size) => msg('metadata.too-large', { size: mb(size), limit: mb(MAX_METADATA_BYTES) }));
  } catch (err) {
    if (err instanceof InputProblem) throw new InputProblem(msg('metadata.cannot-read', { path, reason: reasonOf(err) }));
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? msg('metadata.no-such-file') : (code ?? (err as Error).message);
    throw new InputProblem(msg('metadata.cannot-read', { path, reason }));
  }
}

/**
 * Call records from --metadata files (CSV/TSV, JSON, JSONL, FreeSWITCH XML), keyed by call id; a folder
 * is read file by file (see metadataFolder). A file that cannot be read at all throws InputProblem with a
 * message (the run stops: exit 2; its caller prints it in the run's language); a bad record is an
 * InputError (its reason in options.lang).
 */
export async function loadMetadataFile(path: string, options: MetadataOptions): Promise<(MetadataRecord | InputError)[]> {
  if (isFolder(path)) return metadataFolder(path, options);
  const bytes = readMetadataBytes(path);
  const ext = extname(path).toLowerCase();
  const localized = (items: Iterable<MetadataRecord | InputError>) =>
    Array.from(items, (item) => ('error' in item ? localizeError(item, options.lang ?? 'en') : item));
  try {
    const { text } = decodeBytes(bytes);
    if (ext === '.csv' || ext === '.tsv') return localized(csvRecords(text, path));
    if (ext === '.jsonl' || ext === '.ndjson') return localized(jsonRecords(text, path, options, true));
    if (ext === '.json') return localized(jsonRecords(text, path, options, false));
    if (ext === '.xml') return localized([xmlRecord(text, path, options)]);
  } catch (err) {
    // A JSON file that does not parse at all: where, and why.
    const where = `${path}${err instanceof InputProblem && err.line ? `:${err.line}` : ''}`;
    if (err instanceof InputProblem) throw new InputProblem(msg('command.path-problem', { path: where, problem: reasonOf(err) }));
    throw err;
  }
  const expected = { path, extensions: EXTENSIONS.slice(0, -1), last: EXTENSIONS.at(-1) as string };
  throw new InputProblem(ext ? msg('metadata.unknown-type', { ...expected, ext }) : msg('metadata.unknown-type-none', expected));
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * A folder of CDRs, as mod_xml_cdr (one `.cdr.xml` a leg) and mod_json_cdr (one `.cdr.json`) write them:
 * every .xml and .json file directly in it, in name order; other files (rotated logs, notes) are not call
 * records and are passed over. Each file keeps the per-file size limit; a file that cannot be read or
 * parsed becomes an error row naming it, so one bad CDR does not stop a night's run.
 */
async function metadataFolder(dir: string, options: MetadataOptions): Promise<(MetadataRecord | InputError)[]> {
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && ['.xml', '.json'].includes(extname(e.name).toLowerCase()))
    .map((e) => e.name)
    .sort();
  const out: (MetadataRecord | InputError)[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      out.push(...(await loadMetadataFile(path, options)));
    } catch (err) {
      if (!(err instanceof InputProblem)) throw err;
      out.push(localizeError({ source: path, ...(err.line === undefined ? {} : { line: err.line }), ...errorReason(err) }, options.lang ?? 'en'));
    }
  }
  return out;
}

export type { CallFacts };
