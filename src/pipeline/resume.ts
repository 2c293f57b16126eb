import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readResults } from '../report/read-results.js';
import type { ResultRecord } from '../report/results.js';

/** Beside an unfinished run's partial results: which rubric produced them (a resumed run must use the same). */
export const RESUME_FILE = '.callqa-resume.json';
/** What an interrupted run leaves of its results for --resume (temporary CSVs are removed). */
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

/**
 * Saved results a run can resume from: the directory's results.jsonl (a finished run: every input
 * is done), or the partial results an interrupted run left (its last input may be incomplete, so it
 * is scored again). Only results made with the same rubric count.
 */
export async function findResumable(dir: string, rubricSha256: string): Promise<{ path: string; done: Set<string> } | { reason: string }> {
  let path: string | undefined;
  let complete = false;
  const finished = join(dir, 'results.jsonl');
  const runJson = join(dir, 'run.json');
  if (await exists(join(dir, RESUME_FILE))) {
    const marker = JSON.parse(await readFile(join(dir, RESUME_FILE), 'utf8')) as { rubricSha256?: string };
    if (marker.rubricSha256 !== rubricSha256) return { reason: 'the interrupted run used another rubric' };
    // An interrupted run's results; a crashed one's still carry its process id (never this run's).
    const names = (await readdir(dir)).filter(
      (n) => n === PARTIAL_RESULTS || (/^\.results\.jsonl\.\d+\.partial$/.test(n) && n !== `.results.jsonl.${process.pid}.partial`),
    );
    names.sort((a, b) => (a === PARTIAL_RESULTS ? -1 : b === PARTIAL_RESULTS ? 1 : 0));
    if (names[0]) path = join(dir, names[0]);
  } else if ((await exists(finished)) && (await exists(runJson))) {
    const run = JSON.parse(await readFile(runJson, 'utf8')) as { rubric?: { sha256?: string } };
    if (run.rubric?.sha256 !== rubricSha256) return { reason: 'the earlier run used another rubric' };
    path = finished;
    complete = true;
  }
  if (!path) return { reason: `nothing to resume in ${dir}` };
  const sources: string[] = [];
  for await (const record of readResults(path)) if (sources.at(-1) !== record.source) sources.push(record.source);
  // The last input of an interrupted run may have stopped half way: score it again.
  if (!complete) sources.pop();
  return { path, done: new Set(sources) };
}

/** Reads saved records input by input, in the order both runs share (compareRecords). */
export class ResumeReader {
  private readonly records: AsyncGenerator<ResultRecord>;
  private head: ResultRecord | undefined;
  private started = false;

  constructor(path: string) {
    this.records = readResults(path);
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
