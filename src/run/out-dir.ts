import { rmSync, readFileSync } from 'node:fs';
import { chmod, copyFile, link, lstat, mkdir, readdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { type Message, messageText } from '../i18n/message.js';
import { PARTIAL_RESULTS, RESUME_FILE } from '../results/resume.js';
import { RESULTS_FILE, RUN_FILE } from '../results/read.js';

/**
 * The report directory (`--out`) of one run, never mixed and never stale:
 *
 * - the run writes into a staging directory beside `--out` (same filesystem), `.NAME.callqa-new-PID`;
 * - when every report is written it is renamed `.NAME.callqa-ready-PID` (complete), then the old
 *   `--out` becomes `.NAME.callqa-old-PID`, the ready directory becomes `--out`, and the old one is
 *   removed. A reader sees the old directory, then for the instant between two renames none, then the
 *   new one; never files of two runs side by side, and never files of an earlier run the new one did
 *   not write (an old `coaching/` or `report.xlsx`);
 * - SIGINT and SIGTERM during the renames wait for them to end; a run killed outright (SIGKILL) leaves
 *   its directories, and the next run into the same `--out` puts things right before it starts: a
 *   ready directory becomes `--out` (the complete new report), else an old one goes back to `--out`,
 *   and unfinished staging directories are removed (or, with `--resume`, read first);
 * - `.NAME.callqa-lock` beside `--out` holds the process id of the run writing it: a second run refuses
 *   (exit 2), and a lock whose process is no longer alive is taken over.
 *
 * Because the whole directory is replaced, callqa refuses a `--out` holding anything it does not write
 * itself (a user's own files would be lost), and the current directory or one above it.
 */

/**
 * callqa review's file in a report directory (DIR/reviews.csv): an analyst's work, not a run's. A run into the
 * directory keeps it: it is linked (or copied) from the old directory into the new one as the new one is put in
 * place, so `callqa report DIR --out DIR --reviews DIR/reviews.csv` and a nightly run into DIR lose no verdict.
 */
export const REVIEWS_KEPT = 'reviews.csv';

/** Files and folders callqa score and callqa report write into a report directory, by name. */
export const REPORT_NAMES: ReadonlySet<string> = new Set([
  'calls.csv',
  'findings.csv',
  'agents.csv',
  'errors.csv',
  'unmatched.csv',
  RESULTS_FILE,
  RUN_FILE,
  'report.html',
  'report.xlsx',
  'coaching',
  // What older versions left inside the directory: --resume markers and temporary files.
  RESUME_FILE,
  PARTIAL_RESULTS,
  // callqa review's verdicts on the directory's findings: never written by a run, carried into the new directory.
  REVIEWS_KEPT,
]);

/**
 * What kind of directory a command replaces: the names it writes, and who writes them (in the refusal).
 * Each command owns its own kind: callqa calibrate pointed at a score report refuses it rather than
 * replacing it (and the results it may be reading) with its three files.
 */
export interface OutKind {
  names: ReadonlySet<string>;
  writer: string;
  /** Names among `names` a run does not write but keeps: carried from the old directory into the new. */
  kept?: readonly string[];
}

export const REPORT_DIR: OutKind = { names: REPORT_NAMES, writer: 'callqa', kept: [REVIEWS_KEPT] };
export const CALIBRATION_DIR: OutKind = {
  names: new Set(['calibration.csv', 'disagreements.csv', 'calibration.md', 'review-calibration.csv', 'review-calibration.md']),
  writer: 'callqa calibrate',
};

/** Temporary files and folders (`.calls.csv.123.partial`, `.coaching.123.old`) of a run that stopped. */
const TEMPORARY = /^\.[^/\\]+\.\d+\.(partial|old)$/;

/** A reason `--out` cannot be used: said on stderr, exit 2, nothing written. */
export class OutDirProblem extends Error {
  /** The problem as a message, to be said in the run's language (`message`: its English text). */
  constructor(readonly said: Message) {
    super(messageText('en', said));
  }
}

interface LockHolder {
  pid: number;
  host: string;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseLock(text: string): LockHolder | undefined {
  try {
    const held = JSON.parse(text) as Partial<LockHolder>;
    if (typeof held.pid === 'number' && Number.isSafeInteger(held.pid) && held.pid > 0 && typeof held.host === 'string')
      return { pid: held.pid, host: held.host };
  } catch {
    // An empty or cut lock: its writer died while writing it.
  }
  return undefined;
}

/** Whether the run that wrote a lock may still be going: its process alive (this machine's), or another machine's. */
function lockAlive(held: LockHolder | undefined): boolean {
  if (!held) return false;
  if (held.host !== hostname()) return true;
  // A process with this run's id is not the lock's writer (ids come round again, in containers often).
  return held.pid !== process.pid && pidAlive(held.pid);
}

/** Where a run's directories sit beside `out`: `.NAME.callqa-KIND-PID`. */
function siblingName(out: string, kind: 'new' | 'ready' | 'old' | 'lock', id: number | string = process.pid): string {
  return join(dirname(out), kind === 'lock' ? `.${basename(out)}.callqa-lock` : `.${basename(out)}.callqa-${kind}-${id}`);
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/** How long CALLQA_DEBUG_PAUSE_AT holds a run at its step (tests deliver signals there). */
const DEBUG_PAUSE_MS = Number(process.env.CALLQA_DEBUG_PAUSE_MS ?? 2000);

/** Test hook: CALLQA_DEBUG_PAUSE_AT=start|staged|swap|swapped stops the run there for a while, saying so on stderr. */
export async function debugPause(step: 'start' | 'staged' | 'swap' | 'swapped'): Promise<void> {
  if (process.env.CALLQA_DEBUG_PAUSE_AT !== step) return;
  process.stderr.write(`callqa: debug: paused at ${step}\n`);
  await new Promise((r) => setTimeout(r, DEBUG_PAUSE_MS));
}

/**
 * The files a run keeps (OutKind.kept) from the old `out` into its staging directory: hard-linked, so that
 * what is appended to the old one until the swap (callqa review saving a verdict) is in the new one too; copied
 * where a link cannot be made. A run that wrote one itself keeps its own.
 */
async function carryOver(out: string, staging: string, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const from = join(out, name);
    const to = join(staging, name);
    const file = await lstat(from).catch(() => undefined);
    if (!file?.isFile() || (await exists(to))) continue;
    await link(from, to).catch(() => copyFile(from, to));
  }
}

/** What is in `dir` that a command of this kind does not write (relative names). */
async function foreignEntries(dir: string, kind: OutKind): Promise<string[]> {
  const foreign: string[] = [];
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (TEMPORARY.test(entry.name)) continue;
    if (!kind.names.has(entry.name)) {
      foreign.push(entry.isDirectory() ? `${entry.name}/` : entry.name);
      continue;
    }
    if (entry.name === 'coaching') {
      if (!entry.isDirectory()) foreign.push(entry.name);
      else
        for (const pack of (await readdir(join(dir, 'coaching'), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1)))
          if (!(pack.isFile() && pack.name.endsWith('.md'))) foreign.push(`coaching/${pack.name}`);
    } else if (entry.isDirectory()) foreign.push(`${entry.name}/`);
  }
  return foreign;
}

/** The directories a run into `out` left beside it, by kind, newest first. */
async function leftovers(out: string): Promise<Record<'new' | 'ready' | 'old', string[]>> {
  const found: Record<'new' | 'ready' | 'old', { path: string; mtime: number }[]> = { new: [], ready: [], old: [] };
  const prefix = `.${basename(out)}.callqa-`;
  for (const name of await readdir(dirname(out))) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(new|ready|old)-(\d+)$/.exec(name.slice(prefix.length));
    if (!m) continue;
    const path = join(dirname(out), name);
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory()) found[m[1] as 'new' | 'ready' | 'old'].push({ path, mtime: info.mtimeMs });
  }
  const newest = (list: { path: string; mtime: number }[]) => list.sort((a, b) => b.mtime - a.mtime).map((d) => d.path);
  return { new: newest(found.new), ready: newest(found.ready), old: newest(found.old) };
}

/**
 * Puts right what runs killed into `out` left (the caller holds the lock, so they are all dead): a
 * complete new report (ready) becomes `out` if the kill came between the renames; an old report goes
 * back to `out` if there is no other; the rest is removed. Unfinished staging directories are kept
 * when `keepStaging` (--resume reads them) and returned. Exported for tests.
 */
export async function recoverOut(out: string, keepStaging = false): Promise<string[]> {
  const left = await leftovers(out);
  const [ready, ...olderReady] = left.ready;
  if (ready) {
    if (await exists(out)) {
      const aside = siblingName(out, 'old');
      await rename(out, aside);
      left.old.push(aside);
    }
    await rename(ready, out);
  }
  if (!(await exists(out)) && left.old[0]) {
    await rename(left.old[0], out);
    left.old.shift();
  }
  await Promise.all([...olderReady, ...left.old, ...(keepStaging ? [] : left.new)].map((d) => rm(d, { recursive: true, force: true })));
  return keepStaging ? left.new : [];
}

/**
 * Interrupted runs' staging directories kept for --resume, none of them where this run's goes: a killed
 * run with this run's process id (ids come round again, in containers often) left the very directory this
 * run is about to empty and make again; it is moved aside (to a name no process id has) and read from there.
 */
async function keptApart(out: string, kept: readonly string[]): Promise<string[]> {
  const own = siblingName(out, 'new');
  if (!kept.includes(own)) return [...kept];
  const aside = siblingName(out, 'new', `${process.pid}${Date.now()}`);
  await rename(own, aside);
  return kept.map((d) => (d === own ? aside : d));
}

/** A run's hold on its report directory: the lock, the staging directory it writes, and the swap at the end. */
export class OutDir {
  /** Where this run writes its reports until `publish`. */
  readonly staging: string;
  private readonly lock: string;
  private publishing: Promise<void> | undefined;
  private closed = false;

  private constructor(
    /** `--out` as an absolute path (a link to a directory followed). */
    readonly out: string,
    /** Staging directories of interrupted runs kept for --resume, removed when this run ends. */
    readonly interrupted: readonly string[],
    private readonly lockText: string,
    private readonly kept: readonly string[] = [],
  ) {
    this.staging = siblingName(out, 'new');
    this.lock = siblingName(out, 'lock');
  }

  /**
   * Takes `out` for a run: checks it, takes its lock, puts right what killed runs left, and makes the
   * staging directory. `keepInterrupted`: --resume reads interrupted runs' staging directories.
   */
  static async open(given: string, keepInterrupted = false, kind: OutKind = REPORT_DIR): Promise<OutDir> {
    const out = await resolveOut(given);
    await mkdir(dirname(out), { recursive: true });
    const lock = siblingName(out, 'lock');
    const lockText = `${JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString() })}\n`;
    await takeLock(lock, lockText, given);
    let dir: OutDir | undefined;
    try {
      const kept = await keptApart(out, await recoverOut(out, keepInterrupted));
      dir = new OutDir(out, kept, lockText, kind.kept);
      await checkContents(out, given, kind);
      await rm(dir.staging, { recursive: true, force: true });
      await mkdir(dir.staging);
      const old = await stat(out).catch(() => undefined);
      if (old) await chmod(dir.staging, old.mode & 0o7777);
      return dir;
    } catch (err) {
      if (dir) await rm(dir.staging, { recursive: true, force: true }).catch(() => {});
      await rm(lock, { force: true }).catch(() => {});
      throw err;
    }
  }

  /**
   * Puts the staging directory in place of `out` (see the module comment), then lets go of the lock.
   * `before`: last touches to the staging directory (removing --resume's marker), counted as publishing.
   */
  publish(before?: () => Promise<void>): Promise<void> {
    this.publishing ??= (async () => {
      await before?.();
      const ready = siblingName(this.out, 'ready');
      const old = siblingName(this.out, 'old');
      await carryOver(this.out, this.staging, this.kept);
      await rename(this.staging, ready);
      const hadOld = await rename(this.out, old).then(
        () => true,
        (err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT') return false;
          throw err;
        },
      );
      await debugPause('swap');
      await rename(ready, this.out);
      await debugPause('swapped');
      if (hadOld) await rm(old, { recursive: true, force: true });
      await Promise.all(this.interrupted.map((d) => rm(d, { recursive: true, force: true })));
      this.releaseLock();
    })();
    return this.publishing;
  }

  /** Whether `publish` has begun: a signal then waits for it instead of abandoning the run. */
  get isPublishing(): Promise<void> | undefined {
    return this.publishing;
  }

  /**
   * Ends a run that will not publish: `out` stays as it was. `keep`: names in the staging directory an
   * interrupted run leaves for --resume (the rest goes); without, the staging directory goes.
   */
  async abandon(keep?: ReadonlySet<string>): Promise<void> {
    if (this.publishing) return;
    if (keep) {
      const names = await readdir(this.staging).catch(() => [] as string[]);
      await Promise.all(names.filter((n) => !keep.has(n)).map((n) => rm(join(this.staging, n), { recursive: true, force: true })));
    } else {
      // Interrupted runs' results read for --resume stay for another try.
      await rm(this.staging, { recursive: true, force: true });
    }
    this.releaseLock();
  }

  /** Removes the lock if it is still this run's (synchronous: signal handlers call it just before exit). */
  releaseLock(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      if (readFileSync(this.lock, 'utf8') === this.lockText) rmSync(this.lock, { force: true });
    } catch {
      // Gone already.
    }
  }
}

/** `--out` as an absolute path: a link to a directory is followed (the link stays, its directory is replaced). */
async function resolveOut(given: string): Promise<string> {
  const absolute = resolve(given);
  const info = await lstat(absolute).catch(() => undefined);
  // A new directory: beside its parent's real path, so that two spellings of it share one lock.
  if (!info) return join(await realpath(dirname(absolute)).catch(() => dirname(absolute)), basename(absolute));
  let out = absolute;
  if (info.isSymbolicLink()) {
    try {
      out = await realpath(absolute);
    } catch {
      throw new OutDirProblem({ key: 'outdir.dangling-link', params: { flag: '--out', dir: given } });
    }
  }
  const target = await stat(out);
  if (!target.isDirectory()) throw new OutDirProblem({ key: 'outdir.not-dir', params: { flag: '--out', dir: given } });
  const cwd = await realpath(process.cwd()).catch(() => process.cwd());
  const real = await realpath(out);
  if (cwd === real || cwd.startsWith(real.endsWith(sep) ? real : `${real}${sep}`)) {
    throw new OutDirProblem({ key: 'outdir.holds-cwd', params: { flag: '--out', dir: given } });
  }
  if (real === dirname(real) || (await stat(dirname(real))).dev !== target.dev) {
    throw new OutDirProblem({ key: 'outdir.mount-point', params: { flag: '--out', dir: given } });
  }
  return out;
}

/** Refuses a `--out` holding files a command of this kind did not write: replacing the directory would lose them. */
async function checkContents(out: string, given: string, kind: OutKind): Promise<void> {
  if (!(await exists(out))) return;
  const foreign = await foreignEntries(out, kind);
  if (foreign.length === 0) return;
  const files = foreign.slice(0, 5);
  throw new OutDirProblem(
    foreign.length > 5
      ? { key: 'outdir.foreign-more', params: { flag: '--out', dir: given, writer: kind.writer, files, more: foreign.length - 5 } }
      : { key: 'outdir.foreign', params: { flag: '--out', dir: given, writer: kind.writer, files } },
  );
}

/**
 * Creates the lock (`wx`: only one run succeeds). A lock whose run is dead is moved aside and taken
 * over; if what was moved turns out to be a live run's new lock (two runs taking over at once), it is
 * put back and this run refuses.
 */
async function takeLock(lock: string, text: string, given: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await writeFile(lock, text, { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const heldText = await readFile(lock, 'utf8').catch(() => undefined);
    if (heldText === undefined) continue;
    const held = parseLock(heldText);
    if (lockAlive(held)) throw busy(lock, given, held as LockHolder);
    const aside = `${lock}.stale-${process.pid}`;
    try {
      await rename(lock, aside);
    } catch {
      continue;
    }
    const moved = await readFile(aside, 'utf8').catch(() => '');
    if (moved !== heldText) {
      await link(aside, lock).catch(() => {});
      await rm(aside, { force: true });
      const now = parseLock(moved);
      if (now && lockAlive(now)) throw busy(lock, given, now);
      continue;
    }
    await rm(aside, { force: true });
  }
  throw new OutDirProblem({ key: 'outdir.lock-contended', params: { lock, flag: '--out', dir: given } });
}

function busy(lock: string, given: string, held: LockHolder): OutDirProblem {
  const here = held.host === hostname();
  return new OutDirProblem({ key: here ? 'outdir.busy' : 'outdir.busy-elsewhere', params: { pid: String(held.pid), host: held.host, dir: given, lock } });
}
