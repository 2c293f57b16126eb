import { stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import chalk, { Chalk } from 'chalk';
import { translator } from '../i18n/format.js';
import { type Lang, localeLang, savedLang } from '../i18n/lang.js';
import { messageText } from '../i18n/message.js';
import { terminalText } from '../render/explain.js';
import { runIn } from '../results/languages.js';
import { locateResults, readResults, readRunInfo, ResultsError } from '../results/read.js';
import { readReviews } from '../review/read.js';
import { appendReview, foreignHeader, isoWithOffset, REVIEWS_FILE, type ReviewRow } from '../review/store.js';
import { type ReviewItem, ReviewItems } from '../review/tui-items.js';
import { parseKeys } from '../review/tui-keys.js';
import { colourPainter, PLAIN, type Painter, render } from '../review/tui-render.js';
import { initialState, reduce, type State, type Step } from '../review/tui-state.js';
import { REVIEW_COLUMNS, type Review } from '../review/verdict.js';
import { EXIT } from './exit-codes.js';
import type { Streams } from './score.js';

export interface ReviewOptions {
  /** Who judges: reviews.csv's `reviewer` (default: the login name). */
  reviewer?: string;
  /** The language of the screen (default: the saved run's). */
  lang?: Lang;
}

/** The terminal the reviewer runs in: its input in raw mode, its screen. */
export interface Terminal {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

/** What a session starts from: the run's findings in review order, and the verdicts reviews.csv holds. */
interface Loaded {
  dir: string;
  lang: Lang;
  heading: string;
  items: ReviewItem[];
  reviews: Review[];
  problems: string[];
}

/** DIR's run.json, its results' findings and the verdicts already saved; a message (exit 2) when they cannot be read. */
async function load(arg: string, opts: ReviewOptions): Promise<Loaded | { error: string }> {
  try {
    const { resultsPath, dir } = await locateResults(arg);
    const run = await readRunInfo(dir);
    const lang = opts.lang ?? savedLang(run.rubric);
    const items = new ReviewItems(run, lang);
    for await (const record of readResults(resultsPath)) if (record.type === 'call') items.add(record);
    const file = join(dir, REVIEWS_FILE);
    const exists = await stat(file).then(
      (s) => s.isFile(),
      () => false,
    );
    const { reviews, problems } = exists ? await readReviews([file], lang) : { reviews: [], problems: [] };
    return { dir, lang, heading: runIn(run, lang).rubric.name, items: items.list(), reviews, problems };
  } catch (err) {
    // Saved results that cannot be read are the user's to mend (said in their language); anything else is a bug.
    if (!(err instanceof ResultsError)) throw err;
    return { error: messageText(opts.lang ?? localeLang(), err.said) };
  }
}

/** The login name, when the system has one. */
function loginName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? '';
  }
}

/** Colour unless NO_COLOR is set (chalk decides how much; a terminal chalk thinks has none gets the basic 16). */
function painter(): Painter {
  if (process.env.NO_COLOR) return PLAIN;
  return colourPainter(chalk.level > 0 ? chalk : new Chalk({ level: 1 }));
}

/**
 * `callqa review DIR [--reviewer NAME] [--lang L]`: a report directory's findings judged one by one in the
 * terminal, each verdict appended to DIR/reviews.csv at once. Exit 0 when the reviewer quits (or there is
 * nothing to review), 2 when DIR cannot be read or standard input or output is not a terminal.
 */
export async function runReview(arg: string, opts: ReviewOptions, io: Streams, terminal: Terminal = process): Promise<number> {
  const loaded = await load(arg, opts);
  if ('error' in loaded) {
    io.stderr.write(`callqa: ${terminalText(loaded.error)}\n`);
    return EXIT.usage;
  }
  const say = translator(loaded.lang);
  if (loaded.items.length === 0) {
    io.stdout.write(`${say('review-tui.no-findings', { dir: terminalText(arg) })}\n`);
    return EXIT.ok;
  }
  // One that cannot be read is among load's problems already, and saving to it will say so.
  const foreign = await foreignHeader(loaded.dir).catch(() => undefined);
  if (foreign !== undefined) {
    const file = terminalText(join(loaded.dir, REVIEWS_FILE));
    io.stderr.write(`callqa: ${say('review-tui.foreign-header', { file, header: REVIEW_COLUMNS.join(','), got: JSON.stringify(terminalText(foreign)) })}\n`);
    return EXIT.usage;
  }
  if (!terminal.stdin.isTTY || !terminal.stdout.isTTY) {
    io.stderr.write(`callqa: ${say('review-tui.not-tty', { command: 'callqa review' })}\n`);
    return EXIT.usage;
  }
  const reviewer = opts.reviewer?.trim() || loginName();
  const start = initialState(loaded.items, loaded.reviews, { reviewer, lang: loaded.lang, heading: loaded.heading });
  const end = await new Session(terminal, loaded.dir, start, painter()).run();
  const file = join(loaded.dir, REVIEWS_FILE);
  const judged = end.items.filter((i) => end.judged.has(i.id)).length;
  io.stdout.write(`${say('review-tui.done', { judged, total: end.items.length, file: terminalText(file) })}\n`);
  if (loaded.problems.length > 0) {
    io.stderr.write(`callqa: ${say('review-tui.unreadable', { file: terminalText(file), count: loaded.problems.length })}\n`);
    for (const p of loaded.problems) io.stderr.write(`  ${terminalText(p)}\n`);
  }
  return EXIT.ok;
}

/** Signals that end a session as `q` does, the terminal restored (raw mode turns Ctrl-C into a key, but kill still sends them). */
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * One session in the terminal: the alternate screen with the cursor hidden and bracketed paste on, the input in raw mode, the
 * whole screen drawn again after every piece of input and on resize; each verdict appended to reviews.csv
 * before the next key is taken. Whatever ends it (q, Ctrl-C, a signal, the input closing), the terminal
 * is given back as it was.
 */
class Session {
  private state: State;
  private readonly decoder = new StringDecoder('utf8');
  private queue: Promise<void> = Promise.resolve();
  private finish: ((failure?: unknown) => void) | undefined;
  private readonly onData = (chunk: Buffer | string) => {
    // A bug here must not leave the terminal in raw mode on the alternate screen: it is given back, then the error reported.
    this.queue = this.queue.then(() => this.take(chunk)).catch((err: unknown) => this.stop(err));
  };
  private readonly onEnd = () => this.stop();
  // The terminal gone (a closed pane: EIO): the session ends; every verdict given is on disk already.
  private readonly onError = () => this.stop();
  // A resized pane may keep rows of the old screen: cleared first.
  private readonly draw = () => this.paint(true);

  constructor(
    private readonly terminal: Terminal,
    private readonly dir: string,
    start: State,
    private readonly painter: Painter,
  ) {
    this.state = start;
  }

  run(): Promise<State> {
    const { stdin, stdout } = this.terminal;
    return new Promise<State>((resolve, reject) => {
      this.finish = (failure) => (failure === undefined ? resolve(this.state) : reject(failure));
      stdout.write('\x1b[?1049h\x1b[?25l\x1b[?2004h\x1b[2J');
      stdin.setRawMode(true);
      stdin.on('data', this.onData);
      stdin.on('end', this.onEnd);
      stdout.on('resize', this.draw);
      stdout.on('error', this.onError);
      for (const s of SIGNALS) process.on(s, this.onEnd);
      stdin.resume();
      this.paint();
    });
  }

  /** The terminal given back: raw mode off, the cursor shown, the screen the session started on. */
  private stop(failure?: unknown): void {
    if (!this.finish) return;
    const { stdin, stdout } = this.terminal;
    stdin.off('data', this.onData);
    stdin.off('end', this.onEnd);
    stdout.off('resize', this.draw);
    // The error listener stays: the lines below may fail on a terminal that is gone, and must not throw.
    for (const s of SIGNALS) process.off(s, this.onEnd);
    if (stdin.isTTY) stdin.setRawMode(false);
    stdin.pause();
    stdout.write('\x1b[?2004l\x1b[?25h\x1b[?1049l');
    const finish = this.finish;
    this.finish = undefined;
    finish(failure);
  }

  /** A piece of input: its keys one after the other (a verdict saved before the next), then the screen once. */
  private async take(chunk: Buffer | string): Promise<void> {
    if (!this.finish) return;
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    for (const key of parseKeys(text)) {
      const step = reduce(this.state, key, isoWithOffset(new Date()));
      this.state = await this.saved(step);
      if (this.state.quit) return this.stop();
    }
    this.paint();
  }

  /** The step's state once its verdict is on disk; when it cannot be saved, the state before it, saying so. */
  private async saved(step: Step): Promise<State> {
    if (!step.save) return step.state;
    const { item, judgement } = step.save;
    const row: ReviewRow = {
      findingId: item.id,
      callId: item.call.callId,
      agentId: item.call.agentId,
      rule: item.finding.rule,
      evidence: item.finding.evidence,
      verdict: judgement.verdict,
      note: judgement.note,
      reviewer: judgement.reviewer,
      reviewedAt: judgement.at,
    };
    if (item.finding.at !== undefined) row.at = item.finding.at;
    try {
      await appendReview(this.dir, row);
      return step.state;
    } catch (err) {
      const error = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      const file = join(this.dir, REVIEWS_FILE);
      return { ...this.state, mode: 'browse', input: '', status: [{ key: 'review-tui.save-failed', params: { file, error } }] };
    }
  }

  private paint(clear = false): void {
    const { stdout } = this.terminal;
    if (clear) stdout.write('\x1b[2J');
    const lines = render(this.state, stdout.columns || 80, stdout.rows || 24, this.painter);
    // Each row erased and written in place: no scrolling, no wrap, however the pane was resized.
    stdout.write(lines.map((line, i) => `\x1b[${i + 1};1H\x1b[2K${line}`).join(''));
  }
}
