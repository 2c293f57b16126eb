import type { CsvRow } from '../ingest/csv-rows.js';
import { InputProblem, msg } from '../ingest/errors.js';
import type { CallFacts } from './record.js';

/**
 * Asterisk CDR columns. cdr_csv's Master.csv has no header: the 16 fields below, then `uniqueid` when
 * cdr.conf [csv] loguniqueid=yes, `userfield` when loguserfield=yes (both yes in the sample cdr.conf),
 * then `peeraccount`, `linkedid`, `sequence` when newcdrcolumns=yes (Asterisk docs: CDR Storage
 * Backends, cdr_csv; cdr.conf.sample). cdr_adaptive_odbc and database exports name the same fields in a
 * header (`calldate` for start in the cdr table of cdr_mysql/cdr_odbc).
 */
const BASE = [
  'accountcode',
  'src',
  'dst',
  'dcontext',
  'clid',
  'channel',
  'dstchannel',
  'lastapp',
  'lastdata',
  'start',
  'answer',
  'end',
  'duration',
  'billsec',
  'disposition',
  'amaflags',
] as const;
const NEW_COLUMNS = ['peeraccount', 'linkedid', 'sequence'];

/** The column names of a headerless row by its length; undefined for a length cdr_csv never writes. */
function masterColumns(length: number): string[] | undefined {
  const tail: Record<number, string[]> = {
    16: [],
    17: ['uniqueid'],
    18: ['uniqueid', 'userfield'],
    19: NEW_COLUMNS,
    20: ['uniqueid', ...NEW_COLUMNS],
    21: ['uniqueid', 'userfield', ...NEW_COLUMNS],
  };
  const extra = tail[length];
  return extra === undefined ? undefined : [...BASE, ...extra];
}

/** Dispositions of an attempt nobody answered (Asterisk's CDR disposition values besides ANSWERED). */
const UNANSWERED = new Set(['NO ANSWER', 'BUSY', 'FAILED', 'CONGESTION']);

const DATE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;
const INT = /^\d+$/;

/** A Master.csv row by its shape: 16–21 fields, a start date, an end date, integer duration and billsec. */
export function isMasterCsvRow(cells: readonly string[]): boolean {
  return cells.length >= 16 && DATE.test(cells[9] ?? '') && DATE.test(cells[11] ?? '') && INT.test(cells[12] ?? '') && INT.test(cells[13] ?? '');
}

/** A header naming Asterisk's own fields (any export of the cdr table). */
export function isAsteriskHeader(names: readonly string[]): boolean {
  const folded = new Set(names.map((n) => n.trim().toLowerCase()));
  return folded.has('uniqueid') && folded.has('billsec') && (folded.has('dstchannel') || folded.has('disposition'));
}

/**
 * The endpoint a channel name belongs to: `SIP/8001-0000abcd` → 8001, `PJSIP/agent-8001-00000012` →
 * agent-8001, `Local/8001@agents-00000a1b;1` → 8001. Asterisk names a channel technology/resource-suffix,
 * the suffix being the last `-` part (a hex sequence); the resource is the endpoint the agent logs in as.
 */
export function endpointOf(channel: string): string | undefined {
  const slash = channel.indexOf('/');
  if (slash === -1) return undefined;
  let resource = channel.slice(slash + 1);
  const dash = resource.lastIndexOf('-');
  if (dash > 0 && /^[0-9a-f]+(;\d)?$/i.test(resource.slice(dash + 1))) resource = resource.slice(0, dash);
  const at = resource.indexOf('@');
  if (at > 0) resource = resource.slice(0, at);
  return resource === '' ? undefined : resource;
}

function seconds(value: string | undefined, field: string, line: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (!INT.test(value.trim())) throw new InputProblem(msg('metadata.asterisk-field', { field, expected: '0, 1, 2…', value: JSON.stringify(value) }), line);
  return Number(value.trim());
}

/**
 * One Asterisk CDR row → ids and facts. Ids: uniqueid, then linkedid (the id the whole call shares,
 * what recordings are often named by). Ring time = duration − billsec, but only when the row was not
 * left unanswered: on a NO ANSWER/BUSY/FAILED/CONGESTION row billsec is 0 and duration is the whole
 * attempt, not a wait before an answer, and answer speed must not fault an agent for a call nobody took.
 * The agent is the endpoint of dstchannel, but only on an ANSWERED row: an unanswered row names an agent
 * who was rung and never took the call, and must not overwrite the one who did (rows sharing a linkedid
 * merge). An unanswered row still joins by its ids.
 * Who hung up: a `hangupsource` column (CHANNEL(hangupsource) saved by the dialplan) holds a channel
 * name: dstchannel's → the agent, another → the customer; absent or empty → unknown.
 */
export function factsFromAsterisk(row: ReadonlyMap<string, string>, line: number): { ids: string[]; facts: CallFacts } {
  const get = (name: string) => {
    const v = row.get(name)?.trim();
    return v === '' ? undefined : v;
  };
  const duration = seconds(get('duration'), 'duration', line);
  const billsec = seconds(get('billsec'), 'billsec', line);
  const disposition = get('disposition')?.toUpperCase();
  const facts: CallFacts = { hangupBy: 'unknown' };
  const unanswered = disposition !== undefined && UNANSWERED.has(disposition);
  if (!unanswered && duration !== undefined && billsec !== undefined && duration >= billsec) facts.ringSeconds = duration - billsec;
  const start = get('start') ?? get('calldate');
  if (start && DATE.test(start)) facts.startedAt = start.replace(' ', 'T');
  const dstchannel = get('dstchannel');
  const answered = disposition === undefined || disposition === 'ANSWERED';
  const agent = dstchannel && answered ? endpointOf(dstchannel) : undefined;
  if (agent) facts.agentId = agent;
  const source = get('hangupsource');
  if (source) facts.hangupBy = dstchannel !== undefined && source === dstchannel ? 'agent' : 'customer';
  const ids = [get('uniqueid'), get('linkedid')].filter((id): id is string => id !== undefined);
  return { ids: [...new Set(ids)], facts };
}

/** The cells of a headerless Master.csv row by name; throws InputProblem on a length cdr_csv never writes. */
export function masterRow(row: CsvRow): Map<string, string> {
  const names = masterColumns(row.cells.length);
  if (!names) {
    throw new InputProblem(msg('metadata.asterisk-fields', { count: row.cells.length, expected: '16–21', file: 'Master.csv' }), row.line);
  }
  return new Map(names.map((name, i) => [name, row.cells[i] ?? '']));
}
