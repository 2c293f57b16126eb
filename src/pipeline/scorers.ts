import type { Lang } from '../i18n/lang.js';
import type { InputItem, InputTally } from '../ingest/index.js';
import { applyLlm } from '../llm/apply.js';
import type { LlmRunner } from '../llm/run.js';
import type { PreparedCall } from '../model/call.js';
import { callRecord, type CallSummary, inputErrorOf, renumberLines } from '../results/codec.js';
import { sourceNumbering } from '../results/order.js';
import type { Rubric } from '../rubric/load.js';
import type { RunSinks } from '../run/sinks.js';
import type { CallResult } from '../scoring/score-call.js';
import { errorSummary, failedOn, timedOut } from './not-scored.js';
import { scoreInParallel } from './pool.js';
import type { ScoreContext, Scored, ScoringConfig } from './score-input.js';
import { scoreInput } from './score-input.js';
import { itemPath } from './source.js';
import type { ResumeReader } from '../results/resume.js';
import { applyVerdicts } from '../review/apply.js';
import type { ReviewLedger } from '../run/reviews.js';
import type { WorkerSet } from './workers.js';

/** How the call-record join went for a call: counted once, in the main thread. */
export type NoteMetadata = (call: CallSummary, how: 'none' | 'matched' | 'missing', matchedId?: string) => Promise<void>;

/**
 * Scores inputs on `jobs` worker threads; their chunks go to the sinks in input order. Workers render the
 * reports' text; here it is counted and written. A big file's parts were numbered from 0 by their
 * workers: their calls' places in the file are counted here (renumberLines).
 */
export async function scoreOnWorkers(
  items: readonly InputItem[],
  run: { config: ScoringConfig; jobs: number; started?: WorkerSet; inputTimeout: number; tally: InputTally; reviews?: ReviewLedger },
  sinks: RunSinks,
  noteMetadata: NoteMetadata,
): Promise<void> {
  const placeInSource = sourceNumbering();
  for await (const chunk of scoreInParallel(items, run.config, run.jobs, run.started, {
    inputTimeout: run.inputTimeout,
    ...(run.config.lang ? { lang: run.config.lang } : {}),
  })) {
    // The workers reviewed their calls (scoreInput): here the verdicts they used are counted.
    if (run.reviews) for (const entry of chunk.entries) if (entry.call) run.reviews.see(entry.call);
    await sinks.chunk(chunk, renumberLines(chunk.entries, chunk.results, placeInSource), noteMetadata);
    if (chunk.done) {
      if (!chunk.partial) sinks.totals.files += chunk.inputs;
      run.tally.repaired += chunk.repaired;
    }
  }
}

/**
 * Scores inputs in this thread (the model's grading, standard input, a run with no time budget that
 * workers would not speed up). With --llm the model grades calls concurrently while the reports keep the
 * input order: batch mode holds every call until the batch has ended; otherwise only a small window is
 * in flight.
 */
export async function scoreHere(
  items: readonly InputItem[],
  run: {
    context: ScoreContext;
    rubric: Rubric;
    llm?: LlmRunner;
    llmBatch: boolean;
    window: number;
    inputTimeout: number;
    tally: InputTally;
    reviews?: ReviewLedger;
  },
  sinks: RunSinks,
  noteMetadata: NoteMetadata,
): Promise<void> {
  const placeInSource = sourceNumbering();
  const { reviews } = run;
  const finish = (graded: CallResult, prepared: PreparedCall) => {
    // scoreInput reviewed the rules' findings; the model's came after: reviewed again (the same verdicts change nothing twice).
    const result = reviews && graded.llm ? applyVerdicts(graded, reviews.verdicts, run.rubric.passScore) : graded;
    reviews?.see(result);
    return sinks.record(callRecord(result, prepared, placeInSource(result.source)), true);
  };
  const inFlight: Promise<[CallResult, PreparedCall]>[] = [];
  const { llm, rubric } = run;
  for (const item of items) {
    sinks.totals.files++;
    for await (const scored of guarded(item, scoreInput(item, run.context, run.tally), run.inputTimeout, run.context.ingest.lang)) {
      if (scored.error) {
        await sinks.error(scored.error);
        continue;
      }
      const { result, prepared } = scored;
      await noteMetadata(result as CallSummary, scored.metadata);
      if (!llm || !rubric.llm) {
        await finish(result, prepared);
        continue;
      }
      const config = rubric.llm;
      inFlight.push(llm.grade(prepared).then((outcome) => [applyLlm(result, outcome, config, rubric.passScore, prepared), prepared]));
      if (!run.llmBatch) {
        while (inFlight.length >= run.window) await finish(...(await (inFlight.shift() as Promise<[CallResult, PreparedCall]>)));
      }
    }
  }
  if (llm) {
    const all = Promise.all(inFlight.splice(0));
    await llm.flush();
    for (const [result, prepared] of await all) await finish(result, prepared);
    sinks.totals.llm = llm.totals;
  }
}

/**
 * An input's calls as scoreInput gives them, scored in this thread. A bug on the input (an exception, not
 * a problem of the input's own) ends the input with a line in errors.csv, as on a worker (pool.ts), not
 * the run. --input-timeout (`timeout` seconds; 0: none) is checked between calls, on the time spent
 * reading and scoring (not the model's grading, which --llm-timeout bounds); on standard input, per call,
 * since a stream may take its time to arrive. A call that never ends cannot be stopped in this thread (README).
 */
async function* guarded(item: InputItem, scored: AsyncGenerator<Scored>, timeout: number, lang: Lang | undefined): AsyncGenerator<Scored> {
  let entries = 0;
  let spent = 0;
  try {
    for (;;) {
      let step: IteratorResult<Scored>;
      const began = performance.now();
      try {
        step = await scored.next();
      } catch (err) {
        yield { error: { source: itemPath(item), error: failedOn(errorSummary(err), entries, lang) } };
        return;
      }
      if (step.done) return;
      spent = (item.kind === 'stdin' ? 0 : spent) + performance.now() - began;
      if (timeout > 0 && spent > timeout * 1000) {
        yield { error: { source: itemPath(item), error: timedOut(timeout, entries, lang) } };
        return;
      }
      entries++;
      yield step.value;
    }
  } finally {
    await scored.return(undefined);
  }
}

/**
 * --resume: the inputs an interrupted run finished, taken from its results (not scored again), fed to the
 * sinks as they were (reviewed with --reviews). Inputs are written in order, so a finished stretch is a prefix of
 * the list; returns how many inputs it took. A record read back comes after its rules' errors' own records.
 */
export async function replayResumed(
  items: readonly InputItem[],
  reader: ResumeReader,
  done: ReadonlySet<string>,
  sinks: RunSinks,
  reviews?: ReviewLedger,
): Promise<number> {
  let taken = 0;
  while (taken < items.length && done.has(itemPath(items[taken] as InputItem))) {
    sinks.totals.files++;
    for await (const read of reader.take(itemPath(items[taken] as InputItem))) {
      const record = reviews && read.type === 'call' ? applyVerdicts(read, reviews.verdicts, sinks.setup.rubric.passScore) : read;
      if (record.type === 'call') {
        reviews?.see(record);
        await sinks.record(record, false);
        continue;
      }
      await sinks.error(inputErrorOf(record));
    }
    taken++;
  }
  return taken;
}
