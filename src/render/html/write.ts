import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RunInfo, UtteranceRecord } from '../../results/codec.js';
import { type PageKey, type PageLimits, PageShortlist, stopCandidate, transcriptWeight } from '../../results/pages.js';
import type { PageCall } from '../../results/write.js';
import { num, str } from './records.js';
import { HtmlReport, type HtmlReportOptions } from './report.js';

// report.html from a saved report directory: its run.json and results.jsonl (streamed).

/** A report directory's run.json, checked for what the page needs. */
async function readRun(outDir: string): Promise<RunInfo> {
  const path = join(outDir, 'run.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(
      `${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): write the report directory with callqa score first`,
    );
  }
  let run: RunInfo;
  try {
    run = JSON.parse(text.replace(/^\uFEFF/, '')) as RunInfo;
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${(err as Error).message})`);
  }
  if (!run || typeof run !== 'object' || !run.layout || !Array.isArray(run.layout.ruleIds))
    throw new Error(`${path}: expected run information with layout.ruleIds`);
  return run;
}

/**
 * The shortlist of page candidates of a saved results.jsonl's calls: those that kept their transcript, and
 * the run's stop (run.json), which ends the walk where it ended the run's.
 */
export function savedPageShortlist(limits: PageLimits, run: Pick<RunInfo, 'pages'>): PageShortlist<PageCall> {
  const shortlist = new PageShortlist<PageCall>(limits);
  offerStop(shortlist, run);
  return shortlist;
}

/** A saved run's stop (run.json), offered to a shortlist: a merge's walk ends there as the run's did. */
export function offerStop(shortlist: PageShortlist<PageCall>, run: Pick<RunInfo, 'pages'>): void {
  if (run.pages?.stop) shortlist.offer(stopCandidate(run.pages.stop, { record: {}, transcript: [] }));
}

/** Offers a saved call record to a shortlist: a candidate when it kept its transcript. */
export function offerSaved(shortlist: PageShortlist<PageCall>, record: Record<string, unknown>): boolean {
  if (!Array.isArray(record.utterances)) return false;
  const seq = num(record.seq);
  const score = num(record.score);
  if (seq === undefined || score === undefined) return false;
  const key: PageKey = {
    critical: Array.isArray(record.criticalFailures) && record.criticalFailures.length > 0,
    passed: record.passed === true,
    score,
    source: str(record.source),
    seq,
  };
  const utterances = record.utterances as UtteranceRecord[];
  const weight = transcriptWeight(utterances.map((u) => ({ text: str(u?.text) })));
  return (
    shortlist.offerIf(key, weight, () => {
      const { utterances: _u, ...rest } = record;
      return { record: rest, transcript: utterances };
    }) !== undefined
  );
}

/**
 * Writes `report.html` into a report directory from its run.json and results.jsonl (streamed), under
 * a temporary name renamed into place at the end.
 */
export async function writeHtmlReport(outDir: string, options: HtmlReportOptions = {}): Promise<void> {
  const run = await readRun(outDir);
  const resultsPath = join(outDir, 'results.jsonl');
  const report = new HtmlReport(outDir, run, options);
  const shortlist = savedPageShortlist(report.limits, run);
  try {
    const input = createReadStream(resultsPath, { encoding: 'utf8' });
    const opened = new Promise<void>((resolve, reject) => {
      input.once('open', () => resolve());
      input.once('error', reject);
    });
    try {
      await opened;
    } catch (err) {
      throw new Error(`${resultsPath}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    let first = true;
    for await (const raw of lines) {
      const line = first ? raw.replace(/^\uFEFF/, '') : raw;
      first = false;
      if (line.trim() === '') continue;
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        report.addBadLine();
        continue;
      }
      report.add(record);
      if (record && typeof record === 'object' && (record as { type?: unknown }).type === 'call') offerSaved(shortlist, record as Record<string, unknown>);
    }
    report.choosePages(shortlist);
  } catch (err) {
    await report.discard();
    throw err;
  }
  await report.finish(run);
}
