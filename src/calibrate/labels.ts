import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { delimiterFor, isBlank, readCsvRows } from '../ingest/csv-rows.js';
import { decodeBytes } from '../ingest/encoding.js';
import { InputProblem, messageText } from '../ingest/errors.js';
import { type Translator, translator } from '../i18n/format.js';
import { type Lang, LANGS } from '../i18n/lang.js';
import { readRegularFile } from '../ingest/limits.js';

/**
 * A labels file for `callqa calibrate`: CSV (UTF-8 with or without BOM, GB18030/GBK or Big5 as Excel
 * saves them) or JSON Lines, with `call_id, rule, verdict` and an optional `note`; a row with an empty
 * rule and a `human_score` gives the call's human score. Other columns (a reason, the seed passage)
 * are the team's own and are left alone.
 */

export const VERDICTS = ['pass', 'fail', 'n/a'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface Label {
  callId: string;
  rule: string;
  verdict: Verdict;
  note: string;
  /** The labels file the row is in (one of a folder's files, when LABELS is a folder). */
  file: string;
  /** Line of the labels file (1-based) where the row begins. */
  line: number;
}

export interface HumanScore {
  callId: string;
  score: number;
  file: string;
  line: number;
}

export interface LabelSet {
  file: string;
  labels: Label[];
  /** By call id (user data: a Map). */
  humanScores: Map<string, HumanScore>;
}

/** Problems with a labels file: each already names the file and line. */
export class LabelsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

/** Larger labels files are refused (a gold set is thousands of rows, not millions). */
const MAX_LABELS_BYTES = 64 * 1024 * 1024;
/** Problems listed at most; the rest are counted. */
export const PROBLEMS_LISTED = 20;

/** One row as read, before checking: the fields by name (null prototype: the names are the file's). */
type Fields = Record<string, string | undefined>;

const REQUIRED = ['call_id', 'rule', 'verdict'];
const OPTIONAL = ['note', 'human_score'];

/** A problem's text in the language of `say` (an InputProblem's own message when it has one). */
function problemText(err: InputProblem, say: Translator): string {
  return err.said ? messageText(langOf(say), err.said) : err.message;
}

/** The language a translator writes (translator() gives one a language, shared). */
function langOf(say: Translator): Lang {
  return LANGS.find((l) => translator(l) === say) ?? 'en';
}

function isJsonLines(file: string, text: string): boolean {
  if (/\.(jsonl|ndjson)$/i.test(file)) return true;
  if (/\.(csv|tsv|txt)$/i.test(file)) return false;
  return text.trimStart().startsWith('{');
}

function csvFields(file: string, text: string, problems: string[], say: Translator): { line: number; fields: Fields }[] {
  let rows: ReturnType<typeof readCsvRows>;
  try {
    rows = readCsvRows(text, delimiterFor(file, text));
  } catch (err) {
    if (!(err instanceof InputProblem)) throw err;
    problems.push(`${file}:${err.line ?? 1}: ${problemText(err, say)}`);
    return [];
  }
  const content = rows.filter((r) => !isBlank(r.cells));
  const header = content.shift();
  if (!header) {
    problems.push(`${file}:1: ${say('calibrate.labels.empty', { columns: REQUIRED, optional: OPTIONAL })}`);
    return [];
  }
  const names = header.cells.map((c) => c.trim().toLowerCase());
  const missing = REQUIRED.filter((n) => !names.includes(n));
  if (missing.length > 0) {
    const got = names.map((n) => `"${n}"`);
    problems.push(`${file}:${header.line}: ${say('calibrate.labels.header', { missing, columns: REQUIRED, optional: OPTIONAL, got })}`);
    return [];
  }
  return content.map(({ line, cells }) => {
    const fields: Fields = Object.create(null);
    names.forEach((name, i) => {
      // The first column of a name wins; a later one of the same name is the team's own.
      if (fields[name] === undefined) fields[name] = cells[i] ?? '';
    });
    return { line, fields };
  });
}

function jsonText(value: unknown): string | undefined {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function jsonlFields(file: string, text: string, problems: string[], say: Translator): { line: number; fields: Fields }[] {
  const format = 'JSON';
  const out: { line: number; fields: Fields }[] = [];
  text.split(/\r\n|\n|\r/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      problems.push(`${file}:${line}: ${say('calibrate.labels.not-json', { format, error: (err as Error).message })}`);
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      const columns = REQUIRED;
      problems.push(
        `${file}:${line}: ${Array.isArray(value) ? say('calibrate.labels.not-object-array', { format, columns }) : say('calibrate.labels.not-object', { format, columns, got: JSON.stringify(value) })}`,
      );
      return;
    }
    const fields: Fields = Object.create(null);
    for (const key of ['call_id', 'rule', 'verdict', 'note', 'human_score']) {
      if (!Object.hasOwn(value, key)) continue;
      const text = jsonText((value as Record<string, unknown>)[key]);
      if (text === undefined) {
        problems.push(`${file}:${line}: ${say('calibrate.labels.not-text', { column: key, got: JSON.stringify((value as Record<string, unknown>)[key]) })}`);
        return;
      }
      fields[key] = text;
    }
    out.push({ line, fields });
  });
  return out;
}

/** Checks the rows and builds the set; duplicates and bad values are problems naming both lines. */
function labelSet(path: string, rows: { file: string; line: number; fields: Fields }[], problems: string[], say: Translator): LabelSet {
  const labels: Label[] = [];
  const humanScores = new Map<string, HumanScore>();
  const seen = new Map<string, Map<string, { file: string; line: number }>>();
  for (const { file, line, fields } of rows) {
    const where = `${file}:${line}`;
    const callId = (fields.call_id ?? '').trim();
    const rule = (fields.rule ?? '').trim();
    const verdictText = (fields.verdict ?? '').trim();
    const scoreText = (fields.human_score ?? '').trim();
    const note = (fields.note ?? '').trim();
    if (callId === '') {
      problems.push(`${where}: ${say('calibrate.labels.no-call-id', { column: 'call_id' })}`);
      continue;
    }
    if (rule === '') {
      if (scoreText === '') {
        problems.push(`${where}: ${say('calibrate.labels.no-score', { column: 'human_score' })}`);
        continue;
      }
      const score = Number(scoreText);
      if (!Number.isFinite(score)) {
        problems.push(`${where}: ${say('calibrate.labels.not-number', { column: 'human_score', got: scoreText })}`);
        continue;
      }
      if (verdictText !== '') {
        problems.push(`${where}: ${say('calibrate.labels.score-verdict', { column: 'human_score', got: verdictText })}`);
        continue;
      }
      const earlier = humanScores.get(callId);
      if (earlier) {
        problems.push(`${where}: ${say('calibrate.labels.score-twice', { id: callId, column: 'human_score', first: place(earlier, file, say) })}`);
        continue;
      }
      humanScores.set(callId, { callId, score, file, line });
      continue;
    }
    if (scoreText !== '') {
      problems.push(`${where}: ${say('calibrate.labels.score-with-rule', { column: 'human_score', rule })}`);
      continue;
    }
    const verdict = verdictText.toLowerCase();
    if (!(VERDICTS as readonly string[]).includes(verdict)) {
      problems.push(`${where}: ${say('calibrate.labels.bad-verdict', { column: 'verdict', pass: 'pass', fail: 'fail', na: 'n/a', got: verdictText })}`);
      continue;
    }
    let rules = seen.get(callId);
    if (!rules) {
      rules = new Map();
      seen.set(callId, rules);
    }
    const first = rules.get(rule);
    if (first !== undefined) {
      problems.push(`${where}: ${say('calibrate.labels.twice', { id: callId, rule, first: place(first, file, say) })}`);
      continue;
    }
    rules.set(rule, { file, line });
    labels.push({ callId, rule, verdict: verdict as Verdict, note, file, line });
  }
  return { file: path, labels, humanScores };
}

/** Where an earlier row is, said from a row of `file`: "line 3", or "other.csv:3" in another file of the folder. */
function place(row: { file: string; line: number }, file: string, say: Translator): string {
  return row.file === file ? say('calibrate.labels.line', { line: row.line }) : `${row.file}:${row.line}`;
}

/** Parses labels from the file's text (decoded); throws a LabelsError listing every problem. */
export function parseLabels(file: string, text: string, lang: Lang = 'en'): LabelSet {
  return parseLabelFiles(file, [{ file, text }], translator(lang));
}

/** One label set from several files (a folder's): a call and rule labelled in two files is a problem naming both. */
function parseLabelFiles(path: string, files: readonly { file: string; text: string }[], say: Translator): LabelSet {
  const problems: string[] = [];
  const rows = files.flatMap(({ file, text }) =>
    (isJsonLines(file, text) ? jsonlFields(file, text, problems, say) : csvFields(file, text, problems, say)).map((row) => ({ file, ...row })),
  );
  const set = labelSet(path, rows, problems, say);
  if (problems.length > 0) throw new LabelsError(problems);
  if (set.labels.length === 0 && set.humanScores.size === 0)
    throw new LabelsError([`${path}: ${say(files.length === 1 && files[0]?.file === path ? 'calibrate.labels.none-file' : 'calibrate.labels.none-folder')}`]);
  return set;
}

/** Label files in a folder: what `callqa calibrate` reads when LABELS is a folder (other files are ignored). */
const LABEL_FILE = /\.(csv|tsv|txt|jsonl|ndjson)$/i;

function readError(path: string, err: unknown, say: Translator): LabelsError {
  if (err instanceof InputProblem) return new LabelsError([`${path}:${err.line ?? 1}: ${problemText(err, say)}`]);
  const code = (err as NodeJS.ErrnoException).code;
  const text = code === 'ENOENT' ? say('calibrate.labels.no-such-file') : say('calibrate.labels.cannot-read', { error: code ?? (err as Error).message });
  return new LabelsError([`${path}: ${text}`]);
}

/** One labels file's text: a regular file within the size limit, decoded as Excel may have saved it. */
function readLabelText(path: string, say: Translator): string {
  try {
    const bytes = readRegularFile(path, MAX_LABELS_BYTES, (n) => say('calibrate.labels.too-large', { bytes: n, max: MAX_LABELS_BYTES / 1024 / 1024 }));
    return decodeBytes(bytes).text;
  } catch (err) {
    throw readError(path, err, say);
  }
}

/**
 * Reads and parses a labels file, or every label file (.csv, .tsv, .txt, .jsonl, .ndjson) of a folder
 * as one set (a gold set kept a file per rule); throws a LabelsError (a file cannot be read, or rows are wrong).
 */
export async function readLabels(path: string, lang: Lang = 'en'): Promise<LabelSet> {
  const say = translator(lang);
  let isFolder: boolean;
  try {
    isFolder = (await stat(path)).isDirectory();
  } catch (err) {
    throw readError(path, err, say);
  }
  if (!isFolder) return parseLabels(path, readLabelText(path, say), lang);
  let names: string[];
  try {
    names = (await readdir(path)).filter((n) => LABEL_FILE.test(n)).sort();
  } catch (err) {
    throw readError(path, err, say);
  }
  if (names.length === 0) throw new LabelsError([`${path}: ${say('calibrate.labels.no-files', { csv: '.csv', jsonl: '.jsonl' })}`]);
  const files = names.map((name) => {
    const file = join(path, name);
    return { file, text: readLabelText(file, say) };
  });
  return parseLabelFiles(path, files, say);
}
