import { open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readResults } from './read.js';
import type { ResultRecord, RunInfo } from './codec.js';

/** Beside an unfinished run's partial results: which rubric produced them (a resumed run must use the same). */
export const RESUME_FILE = '.callqa-resume.json';
/** What an interrupted run leaves of its results for --resume, in its staging directory beside --out (temporary CSVs are removed). */
export const PARTIAL_RESULTS = '.results.jsonl.partial';

export async function markRunStarted(dir: string, rubricSha256: string): Promise<void> {
  await writeFile(join(dir, RESUME_FILE), `${JSON.stringify({ rubricSha256 })}\n`);
}

export async function markRunFinished(dir: string): Promise<void> {
  await Promise.all([rm(join(dir, RESUME_FILE), { force: true }), rm(join(dir, PARTIAL_RESULTS), { force: true })]);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** The partial results an interrupted run left in `dir` (its staging directory, or --out itself for older versions), if made with this rubric. */
async function partialIn(dir: string, rubricSha256: string): Promise<{ path: string; size: number } | 'other rubric' | undefined> {
  const marker = await readFile(join(dir, RESUME_FILE), 'utf8').catch(() => undefined);
  if (marker === undefined) return undefined;
  let sha: unknown;
  try {
    sha = (JSON.parse(marker) as { rubricSha256?: unknown }).rubricSha256;
  } catch {
    return undefined;
  }
  if (sha !== rubricSha256) return 'other rubric';
  // An interrupted run's results; a crashed one's still carry its process id (which may be this run's own:
  // ids come round again, and this run writes into its own staging directory, never one read here).
  const names = (await readdir(dir)).filter((n) => n === PARTIAL_RESULTS || /^\.results\.jsonl\.\d+\.partial$/.test(n));
  names.sort((a, b) => (a === PARTIAL_RESULTS ? -1 : b === PARTIAL_RESULTS ? 1 : 0));
  if (!names[0]) return undefined;
  const path = join(dir, names[0]);
  return { path, size: (await stat(path)).size };
}

/** How far back from a file's end wholeLinesEnd looks at a time. */
const TAIL_BLOCK = 64 * 1024;

/**
 * The length of a file up to the end of its last whole line. A run killed outright (SIGKILL, a power cut)
 * may have written half a record, or half a character, at the end of its partial results: that tail is
 * not read, and the input it belonged to is scored again as the last one is.
 */
export async function wholeLinesEnd(path: string): Promise<number> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(TAIL_BLOCK);
    for (let end = (await file.stat()).size; end > 0; ) {
      const start = Math.max(0, end - TAIL_BLOCK);
      const { bytesRead } = await file.read(buffer, 0, end - start, start);
      const at = buffer.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (at >= 0) return start + at + 1;
      end = start;
    }
    return 0;
  } finally {
    await file.close();
  }
}

/** Why --resume scores every input: the earlier (or the interrupted) run used another rubric, or there is nothing to resume. */
export type ResumeRefusal = 'other-rubric' | 'interrupted-other-rubric' | 'nothing';

/**
 * Saved results a run can resume from: the partial results an interrupted run left (in its staging
 * directory beside --out, `interrupted`, or in --out itself as older versions left them; of several,
 * the one that got furthest), whose last input may be incomplete and is scored again; else --out's
 * results.jsonl (a finished run: every input is done). Only results made with the same rubric count.
 */
export async function findResumable(
  dir: string,
  rubricSha256: string,
  interrupted: readonly string[] = [],
): Promise<{ path: string; end?: number; done: Set<string>; run?: Pick<RunInfo, 'pages'> } | { refused: ResumeRefusal }> {
  let path: string | undefined;
  let complete = false;
  let otherRubric = false;
  let finishedRun: Pick<RunInfo, 'pages'> | undefined;
  let best = -1;
  for (const candidate of [...interrupted, dir]) {
    const found = await partialIn(candidate, rubricSha256);
    if (found === 'other rubric') otherRubric = true;
    else if (found && found.size > best) {
      path = found.path;
      best = found.size;
    }
  }
  const finished = join(dir, 'results.jsonl');
  const runJson = join(dir, 'run.json');
  if (!path && (await exists(finished)) && (await exists(runJson))) {
    const run = JSON.parse(await readFile(runJson, 'utf8')) as { rubric?: { sha256?: string }; pages?: RunInfo['pages'] };
    if (run.rubric?.sha256 !== rubricSha256) return { refused: otherRubric ? 'interrupted-other-rubric' : 'other-rubric' };
    path = finished;
    complete = true;
    // Its pages' stop: the calls after it kept no transcript, and the resumed run's choice stops there too.
    finishedRun = { ...(run.pages ? { pages: run.pages } : {}) };
  }
  if (!path && otherRubric) return { refused: 'interrupted-other-rubric' };
  if (!path) return { refused: 'nothing' };
  // A finished run's results are read whole; an interrupted run's up to their last whole line.
  const end = complete ? undefined : await wholeLinesEnd(path);
  const sources: string[] = [];
  for await (const record of readResults(path, end)) if (sources.at(-1) !== record.source) sources.push(record.source);
  // The last input of an interrupted run may have stopped half way: score it again.
  if (!complete) sources.pop();
  return { path, ...(end === undefined ? {} : { end }), done: new Set(sources), ...(finishedRun ? { run: finishedRun } : {}) };
}

/** Reads saved records input by input, in the order both runs share (compareRecords). */
export class ResumeReader {
  private readonly records: AsyncGenerator<ResultRecord>;
  private head: ResultRecord | undefined;
  private started = false;

  /** `end`: where the saved results' whole lines end (wholeLinesEnd). */
  constructor(path: string, end?: number) {
    this.records = readResults(path, end);
  }

  private async peek(): Promise<ResultRecord | undefined> {
    if (!this.started) {
      this.started = true;
      this.head = (await this.records.next()).value ?? undefined;
    }
    return this.head;
  }

  private async advance(): Promise<ResultRecord | undefined> {
    this.head = (await this.records.next()).value ?? undefined;
    return this.head;
  }

  /**
   * Every saved record of `source`. Records before it belong to inputs this run does not take from
   * the saved results (the last, incomplete input; call-record errors), and are passed over.
   */
  async *take(source: string): AsyncGenerator<ResultRecord> {
    let r = await this.peek();
    while (r !== undefined && r.source !== source) r = await this.advance();
    while (r !== undefined && r.source === source) {
      yield r;
      r = await this.advance();
    }
  }
}
