import { translate, type Translator, translator } from '../i18n/format.js';
import { DEFAULT_LANG, type Lang, localeLang } from '../i18n/lang.js';
import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import chalk, { Chalk, type ChalkInstance } from 'chalk';
import { discoverInputs, newTally, readsAsJsonl } from '../ingest/index.js';
import { messageText } from '../ingest/errors.js';
import { notRegularFileMessage } from '../ingest/limits.js';
import { rubricRoleOptions, type ScoreContext, scoreInput } from '../pipeline/score-input.js';
import { renderExplain, terminalText } from '../render/explain.js';
import { isResultsFile, RESULTS_FILE, ResultsError, readResults, readRunInfo } from '../results/read.js';
import { type CallRecord, callRecord, RESULTS_SCHEMA_VERSION, type RunInfo, rubricInfo } from '../results/codec.js';
import { sourceNumbering } from '../results/order.js';
import type { Rubric } from '../rubric/load.js';
import type { RoleOptions } from '../normalise/roles.js';
import type { Direction } from '../normalise/role-cues.js';
import { VERSION } from '../version.js';
import { EXIT } from './exit-codes.js';
import { loadRubricOrReport } from './score-plan.js';
import type { Streams } from './score.js';

export interface ExplainOptions {
  /** The language of what is written for people (default: the rubric's language, else en). */
  lang?: Lang;
  /** The call to show, by call id: needed when the file holds several. */
  call?: string;
  /** For a transcript: the rubric to score it with (a file or a shipped name; default zh-phone). */
  rubric?: string;
  /** For a transcript: --direction, the call's direction where the transcript does not say (it informs roles). */
  direction?: Direction;
}

/** How many call ids a "which call?" message lists. */
const IDS_LISTED = 30;

/** Colour on a terminal (chalk decides how much), never when NO_COLOR is set or output is piped. */
function colours(stdout: NodeJS.WritableStream): ChalkInstance {
  const tty = (stdout as { isTTY?: boolean }).isTTY === true;
  if (process.env.NO_COLOR || !tty) return new Chalk({ level: 0 });
  return chalk.level > 0 ? chalk : new Chalk({ level: 1 });
}

/** Picks the call to show from a stream of calls, keeping only it (and a few ids to list): memory stays flat. */
class Picker {
  readonly ids: string[] = [];
  count = 0;
  first: CallRecord | undefined;
  readonly matches: CallRecord[] = [];

  constructor(private readonly wanted: string | undefined) {}

  add(record: CallRecord): void {
    this.count++;
    if (this.ids.length < IDS_LISTED) this.ids.push(record.callId);
    if (this.count === 1 && this.wanted === undefined) this.first = record;
    if (this.wanted !== undefined && record.callId === this.wanted) this.matches.push(record);
  }

  /** The calls to show, or an error message (exit 2) in `say`'s language. */
  pick(file: string, say: Translator): { records: CallRecord[] } | { problem: string } {
    if (this.count === 0) return { problem: say('explain.no-calls', { file }) };
    const more = this.count > this.ids.length ? `\n  ${say('explain.more-calls', { count: this.count - this.ids.length })}` : '';
    const listed = `${this.ids.map((id) => `  ${terminalText(id)}`).join('\n')}${more}`;
    if (this.wanted === undefined) {
      if (this.count === 1 && this.first) return { records: [this.first] };
      return { problem: `${say('explain.which-call', { file, count: this.count, flag: '--call ID' })}\n${listed}` };
    }
    if (this.matches.length === 0) return { problem: `${say('explain.no-such-call', { id: terminalText(this.wanted), file })}\n${listed}` };
    return { records: this.matches };
  }
}

function runInfoFor(rubric: Rubric, file: string): RunInfo {
  const now = new Date().toISOString();
  return {
    schema_version: RESULTS_SCHEMA_VERSION,
    callqaVersion: VERSION,
    rubric: rubricInfo(rubric),
    layout: { ruleIds: rubric.rules.filter((r) => !r.options.hidden).map((r) => r.id) },
    inputs: { files: 1, calls: 0, failed: 0, skipped: 0 },
    startedAt: now,
    endedAt: now,
    command: ['explain', file],
  };
}

/** Results without their run.json (copied alone): the rule order from the record, no pass mark. */
function runInfoFromRecord(record: CallRecord): RunInfo {
  return {
    schema_version: RESULTS_SCHEMA_VERSION,
    callqaVersion: VERSION,
    rubric: { name: '', path: '', sha256: '', passScore: Number.NaN, advice: {} },
    layout: { ruleIds: Object.keys(record.outcomes) },
    inputs: { files: 0, calls: 0, failed: 0, skipped: 0 },
    startedAt: '',
    endedAt: '',
    command: [],
  };
}

function show(records: readonly CallRecord[], run: RunInfo | undefined, io: Streams, lang: Lang): number {
  const colour = colours(io.stdout);
  if (records.length > 1) {
    const sources = records.map((r) => terminalText(r.source));
    io.stderr.write(`callqa: ${translate(lang, 'explain.same-id', { count: records.length, sources })}\n`);
  }
  io.stdout.write(records.map((r) => renderExplain(r, run ?? runInfoFromRecord(r), colour, lang)).join('\n'));
  return EXIT.ok;
}

async function explainResults(path: string, opts: ExplainOptions, io: Streams): Promise<number> {
  let run: RunInfo | undefined;
  let problem: Error | undefined;
  try {
    run = await readRunInfo(dirname(path));
  } catch (err) {
    problem = err as Error;
  }
  // The run's language, unless --lang asks for another: what run.json says, else English.
  const lang = opts.lang ?? run?.rubric.lang ?? DEFAULT_LANG;
  const say = translator(lang);
  const text = (err: Error) => (err instanceof ResultsError ? messageText(lang, err.said) : err.message);
  if (problem !== undefined) io.stderr.write(`callqa: ${say('explain.no-run-info', { error: text(problem) })}\n`);
  const picker = new Picker(opts.call);
  try {
    for await (const r of readResults(path)) if (r.type === 'call') picker.add(r);
  } catch (err) {
    io.stderr.write(`callqa: ${text(err as Error)}\n`);
    return EXIT.usage;
  }
  const picked = picker.pick(path, say);
  if ('problem' in picked) {
    io.stderr.write(`callqa: ${picked.problem}\n`);
    return EXIT.usage;
  }
  return show(picked.records, run, io, lang);
}

async function explainTranscript(file: string, opts: ExplainOptions, io: Streams): Promise<number> {
  const rubric = await loadRubricOrReport(opts.rubric, io.stderr, opts.lang);
  if (!rubric) return EXIT.usage;
  const roles: RoleOptions = rubricRoleOptions(rubric);
  if (opts.direction !== undefined) roles.direction = opts.direction;
  const picker = new Picker(opts.call);
  let problems = 0;
  const problem = (source: string, line: number | undefined, error: string) => {
    problems++;
    io.stderr.write(`callqa: ${terminalText(source)}${line === undefined ? '' : `:${line}`}: ${terminalText(error)}\n`);
  };
  const tally = newTally();
  // Scored as callqa score scores it (an input that cannot be read, or a call without roles, is a problem of its own).
  const ctx: ScoreContext = { rubric, roles, ingest: { lang: rubric.lang } };
  const placeInSource = sourceNumbering();
  for await (const item of discoverInputs([file], tally)) {
    for await (const scored of scoreInput(item, ctx, tally)) {
      if (scored.error) {
        problem(scored.error.source, scored.error.line, scored.error.error);
        continue;
      }
      picker.add(callRecord(scored.result, scored.prepared, placeInSource(scored.result.source)));
    }
  }
  if (picker.count === 0 && problems > 0) return EXIT.usage;
  const picked = picker.pick(file, translator(rubric.lang));
  if ('problem' in picked) {
    io.stderr.write(`callqa: ${picked.problem}\n`);
    return EXIT.usage;
  }
  return show(picked.records, runInfoFor(rubric, file), io, rubric.lang);
}

/**
 * `callqa explain FILE [--call ID] [--rubric R]`: one call, utterance by utterance with its findings,
 * then its score. FILE is a results.jsonl, a report directory holding one, or a transcript in any
 * format callqa reads (scored here with the rubric; --rubric is ignored for results). Exit 0 shown,
 * 2 when the file cannot be read, holds no call, or holds several and --call is missing or unknown.
 */
export async function runExplain(file: string, opts: ExplainOptions, io: Streams): Promise<number> {
  if (file === '-') return explainTranscript(file, opts, io);
  // Before the file says which run (or rubric) it belongs to: --lang, else the locale's language.
  const lang = opts.lang ?? localeLang();
  const say = translator(lang);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const text = code === 'ENOENT' ? say('explain.not-found', { file }) : say('explain.cannot-read', { file, code: code ?? (err as Error).message });
    io.stderr.write(`callqa: ${text}\n`);
    return EXIT.usage;
  }
  if (info.isDirectory()) {
    const results = join(file, RESULTS_FILE);
    const exists = await stat(results).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!exists) {
      io.stderr.write(`callqa: ${say('explain.no-results', { file, results: RESULTS_FILE })}\n`);
      return EXIT.usage;
    }
    return explainResults(results, opts, io);
  }
  // A FIFO or a device is never opened (a FIFO's open waits for a writer): the same line as callqa score's.
  if (!info.isFile()) {
    io.stderr.write(`callqa: ${say('command.path-problem', { path: terminalText(file), problem: messageText(lang, notRegularFileMessage(info)) })}\n`);
    return EXIT.usage;
  }
  return readsAsJsonl(file, {}) && (await isResultsFile(file)) ? explainResults(file, opts, io) : explainTranscript(file, opts, io);
}
