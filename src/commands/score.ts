import { type MessageKey, translate } from '../i18n/format.js';
import type { Lang } from '../i18n/lang.js';
import { rubricText } from '../i18n/rubric-text.js';
import type { HeaderStyle } from '../render/tables.js';
import { newTally } from '../ingest/index.js';
import type { IngestOptions } from '../ingest/format.js';
import type { MetadataOptions } from '../metadata/record.js';
import type { RoleOptions } from '../normalise/roles.js';
import type { Channel } from '../model/call.js';
import type { Rubric } from '../rubric/load.js';
import { workerLoad } from '../pipeline/pool.js';
import { DEBUG_STOP_AFTER } from '../pipeline/score-input.js';
import { type NoteMetadata, replayResumed, scoreHere, scoreOnWorkers } from '../pipeline/scorers.js';
import { listInputs } from '../pipeline/source.js';
import { type WorkerSet, workerJobs } from '../pipeline/workers.js';
import { PROMPT_VERSION } from '../llm/prompt.js';
import { RESULTS_SCHEMA_VERSION, type RunInfo, rubricInfo } from '../results/codec.js';
import { findResumable, markRunStarted, type ResumeRefusal, ResumeReader } from '../results/resume.js';
import type { FailRateLimit } from '../run/gates.js';
import { RunSinks } from '../run/sinks.js';
import { keepHeapsNearLive } from '../util/heap.js';
import { watchMemory } from '../util/memory-debug.js';
import { exitOnSignal } from '../util/signals.js';
import { VERSION } from '../version.js';
import { EXIT } from './exit-codes.js';
import { runOutcome } from './output/outcome.js';
import type { RunTotals } from './output/summary.js';
import { planScore, type ScorePlan } from './score-plan.js';
import { SCORE_DEFAULTS } from './score-defaults.js';

export { loadRubricOrReport } from './score-plan.js';
export { shardOf } from '../pipeline/source.js';

export interface ScoreOptions extends IngestOptions, Omit<RoleOptions, 'greetingElements' | 'cues'> {
  rubric?: string;
  /** The language of everything written for people (default: the rubric's `language`, else en). */
  lang?: Lang;
  out: string;
  bom: boolean;
  /** `--headers`: CSV header rows as ids (default) or in the run's language. */
  headers?: HeaderStyle;
  failUnder?: number;
  quiet: boolean;
  metadata?: string[];
  customerLeg?: MetadataOptions['customerLeg'];
  llm?: boolean;
  llmModel?: string;
  llmSamples?: number;
  llmSendPii?: boolean;
  llmConcurrency?: number;
  llmTimeout?: number;
  /** A directory, or false for --no-llm-cache. */
  llmCache?: string | false;
  llmBatch?: boolean;
  llmDryRun?: boolean;
  llmMaxCalls?: number;
  /** Worker threads that score inputs (default: the number of cores). */
  jobs?: number;
  /** Seconds one input may take to score before it is listed in errors.csv and the run goes on (0: no limit). */
  inputTimeout?: number;
  /** Score only the inputs in shard `index` of `count` (by a stable hash of the path). */
  shard?: { index: number; count: number };
  resume?: boolean;
  coaching?: boolean;
  xlsx?: boolean;
  baseline?: string;
  maxFailRate?: FailRateLimit[];
  failOnCritical?: boolean;
  maxScoreDrop?: number;
  /** Keep every call's transcript in results.jsonl, not only those of calls with a page (schema 2). */
  keepTranscripts?: boolean;
  /** Reviews files (--reviews, repeatable): analysts' verdicts applied to the findings they name (review/apply.ts). */
  reviews?: string[];
}

/** ScoreOptions with every default filled in (SCORE_DEFAULTS). */
export type ScoreSettings = ScoreOptions & { [K in keyof typeof SCORE_DEFAULTS]: NonNullable<ScoreOptions[K]> };

/** The options as given, each one left out (or undefined) set to its default. */
function withDefaults(given: ScoreOptions): ScoreSettings {
  const opts: Record<string, unknown> = { ...given };
  for (const [key, value] of Object.entries(SCORE_DEFAULTS)) if (opts[key] === undefined) opts[key] = value;
  return opts as unknown as ScoreSettings;
}

export interface Streams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/**
 * `callqa score`: source → scorer → sinks. The inputs are listed in the stable order; --resume takes
 * those an interrupted run finished from its results; the rest are scored on worker threads, or here
 * (the model's grading, standard input); the sinks (run/sinks.ts) write every report.
 * `started`: worker threads the command line started early (startWorkersEarly); closed when the run
 * ends, whether it used them or not.
 */
export async function runScore(inputs: readonly string[], given: ScoreOptions, io: Streams, started?: WorkerSet): Promise<number> {
  try {
    return await score(inputs, given, io, started);
  } finally {
    await started?.close();
  }
}

async function score(inputs: readonly string[], given: ScoreOptions, io: Streams, started: WorkerSet | undefined): Promise<number> {
  watchMemory();
  keepHeapsNearLive();
  const plan = await planScore(inputs, withDefaults(given), io.stderr);
  if (typeof plan === 'number') return plan;
  const { opts, rubric } = plan;
  const startedAt = new Date().toISOString();
  const tally = newTally();
  let unhook = () => {};
  const sinks = await RunSinks.open(
    {
      out: opts.out,
      layout: plan.layout,
      rubric: rubricInfo(rubric),
      bom: opts.bom,
      ...(opts.headers ? { headers: opts.headers } : {}),
      quiet: opts.quiet,
      keepTranscripts: opts.keepTranscripts ?? false,
      gates: plan.gates,
      resume: opts.resume,
      totals: {
        skippedExtensions: tally.skippedExtensions,
        ...(plan.context.metadata ? { metadata: { records: plan.context.metadata.size, unmatchedRecords: 0, callsWithout: 0 } } : {}),
      },
    },
    io.stderr,
    (interrupt) => {
      unhook = exitOnSignal(interrupt);
    },
  );
  if (!sinks) return EXIT.usage;
  // The workers score with the page limits the sinks keep candidates by; started early, they load the rubric now.
  plan.config.pages = { keepTranscripts: opts.keepTranscripts ?? false, limits: sinks.keeper.policy.limits };
  started?.init(plan.config);
  try {
    await scoreInputs(inputs, plan, sinks, tally, started, io.stderr);
    const { totals } = sinks;
    totals.skipped = tally.skipped;
    totals.repaired = tally.repaired;
    if (totals.calls === 0 && totals.inputErrors === 0) {
      await sinks.discard();
      return nothingScored(inputs, io.stderr, rubric.lang);
    }
    for (const record of plan.context.metadata?.unmatched() ?? []) {
      if (totals.metadata) totals.metadata.unmatchedRecords++;
      await sinks.report.addUnmatched({ kind: 'metadata-without-call', callId: record.ids[0] ?? '', source: record.source, line: record.line });
    }
    const run = runInfo(plan, sinks, tally.skippedExtensions, startedAt);
    await sinks.finish({ run, ...(plan.baseline ? { baseline: plan.baseline } : {}), coaching: opts.coaching, xlsx: opts.xlsx });
    io.stderr.write(plan.reviews?.describeStale(rubric.lang) ?? '');
    io.stderr.write(channelMismatch(rubric, totals));
  } catch (err) {
    await sinks.discard();
    throw err;
  } finally {
    sinks.close();
    unhook();
  }
  return runOutcome(sinks, { out: opts.out, quiet: opts.quiet, baseline: plan.baseline, llmErrors: sinks.totals.llm?.errors ?? 0 }, io);
}

/** The source and the scorer: inputs listed, resumed ones taken back, the rest scored on workers or here. */
async function scoreInputs(
  inputs: readonly string[],
  plan: ScorePlan,
  sinks: RunSinks,
  tally: ReturnType<typeof newTally>,
  started: WorkerSet | undefined,
  stderr: NodeJS.WritableStream,
): Promise<void> {
  const { opts, rubric, context } = plan;
  let resume: { reader: ResumeReader; done: Set<string> } | undefined;
  if (opts.resume) {
    const found = await findResumable(sinks.opened.outDir.out, rubric.sha256, sinks.opened.outDir.interrupted);
    if ('refused' in found) stderr.write(`callqa: ${resumeRefused(found.refused, sinks.opened.outDir.out, rubric.lang)}\n`);
    else {
      resume = { reader: new ResumeReader(found.path, found.end), done: found.done };
      if (found.run) sinks.pageStop(found.run);
    }
  }
  await markRunStarted(sinks.report.dir, rubric.sha256);
  for (const error of plan.metadataErrors) await sinks.error(error);
  const items = await listInputs(inputs, tally, opts);
  sinks.setTotal(items.length);
  if (resume) {
    const taken = await replayResumed(items, resume.reader, resume.done, sinks, plan.reviews);
    sinks.totals.resumed = taken;
    items.splice(0, taken);
  }
  const noteMetadata = metadataNoter(plan, sinks);
  // Every input is scored on a worker where the run may use them, even with --jobs 1 or one input: a worker
  // stuck on an input can be stopped (--input-timeout), the main thread could not. With no budget
  // (--input-timeout 0), one input or one job is scored here, as it costs less.
  const { inputTimeout } = opts;
  // Several inputs go to workers (each in a heap of its own), but more than one worker only where they make
  // more than one task: a few small files are one batch, and a second worker would only cost its start.
  const allowed = workerJobs(inputs, { ...opts, inputTimeout });
  const load = allowed !== undefined ? await workerLoad(items, opts) : { several: false, tasks: false };
  if (allowed !== undefined && items.length > 0 && (load.several || inputTimeout > 0)) {
    const jobs = load.tasks ? allowed : 1;
    const reviews = plan.reviews ? { reviews: plan.reviews } : {};
    await scoreOnWorkers(items, { config: plan.config, jobs, ...(started ? { started } : {}), inputTimeout, tally, ...reviews }, sinks, noteMetadata);
    return;
  }
  await started?.close();
  const window = Math.max(1, opts.llmConcurrency) * 4;
  await scoreHere(
    items,
    {
      context,
      rubric,
      ...(plan.llm ? { llm: plan.llm } : {}),
      llmBatch: opts.llmBatch,
      window,
      inputTimeout,
      tally,
      ...(plan.reviews ? { reviews: plan.reviews } : {}),
    },
    sinks,
    noteMetadata,
  );
}

/** How the call-record join went, counted once, in the main thread. */
function metadataNoter(plan: ScorePlan, sinks: RunSinks): NoteMetadata {
  const metadata = plan.context.metadata;
  return async (call, how, matchedId) => {
    if (how === 'matched' && matchedId !== undefined) metadata?.markUsed(matchedId);
    if (how === 'missing' && sinks.totals.metadata) {
      sinks.totals.metadata.callsWithout++;
      await sinks.report.addUnmatched({ kind: 'call-without-metadata', callId: call.callId, source: call.source, line: call.line });
    }
  };
}

/** The shipped rubric for each kind of conversation: what the note on a mismatch suggests. */
const RUBRIC_FOR: Readonly<Record<Channel, string>> = { voice: 'zh-phone', chat: 'zh-chat', social: 'zh-social' };
const CHANNELS: readonly Channel[] = ['voice', 'chat', 'social'];

/**
 * Said when some of a run's conversations are not of the kind its rubric is written for: chats under a telephone
 * rubric (no reply times were checked), phone calls under a written-service one (its own rules were n/a), a social
 * thread under the chat rubric. The rubric's `channel:` says its kind; without one, a rubric with written-service
 * rules is for chat and social, else for phone calls. The calls are scored all the same.
 */
export function channelMismatch(rubric: Rubric, totals: Pick<RunTotals, 'channels'>): string {
  const written = rubric.rules.some((r) => r.definition.written && !r.options.hidden);
  const fits: readonly Channel[] = rubric.channel ? [rubric.channel] : written ? ['chat', 'social'] : ['voice'];
  const others = CHANNELS.filter((c) => !fits.includes(c) && (totals.channels?.[c] ?? 0) > 0);
  if (others.length === 0) return '';
  const say = (key: MessageKey, params?: Record<string, unknown>) => translate(rubric.lang, key, params as never);
  const kind = (c: Channel) => say(`report.channel.${c}` as MessageKey);
  const count = others.reduce((n, c) => n + (totals.channels?.[c] ?? 0), 0);
  const params = {
    count,
    kinds: others.map((c) => say('score.channel-count', { channel: kind(c), count: totals.channels?.[c] ?? 0 })),
    rubric: rubric.displayName,
    channel: fits.map(kind),
    rubrics: others.map((c) => `--rubric ${RUBRIC_FOR[c]}`),
  };
  return `callqa: ${say('score.channel-mismatch', params)}\n`;
}

/** Why --resume scores every input, in `lang`. */
function resumeRefused(refused: ResumeRefusal, out: string, lang: Lang): string {
  const flag = '--resume';
  if (refused === 'other-rubric') return translate(lang, 'score.resume.other-rubric', { flag });
  if (refused === 'interrupted-other-rubric') return translate(lang, 'score.resume.interrupted-other-rubric', { flag });
  return translate(lang, 'score.resume.nothing', { flag, dir: out });
}

/** No call and no error: nothing was written (exit 2), unless a debugging stop made it so. */
function nothingScored(inputs: readonly string[], stderr: NodeJS.WritableStream, lang: Lang): number {
  if (DEBUG_STOP_AFTER) {
    stderr.write(
      `callqa: CALLQA_DEBUG_STOP_AFTER=${DEBUG_STOP_AFTER}: every call stopped after ${DEBUG_STOP_AFTER === 'read' ? 'it was read' : 'its rules'}; nothing written\n`,
    );
    return EXIT.ok;
  }
  stderr.write(`callqa: ${translate(lang, 'score.no-transcripts', { inputs, command: 'callqa formats' })}\n`);
  return EXIT.usage;
}

/** run.json: what produced the results. */
function runInfo(plan: ScorePlan, sinks: RunSinks, skippedKinds: Map<string, number>, startedAt: string): RunInfo {
  const { rubric } = plan;
  const { totals } = sinks;
  return {
    schema_version: RESULTS_SCHEMA_VERSION,
    callqaVersion: VERSION,
    rubric: rubricInfo(rubric),
    ...(rubric.llm
      ? {
          llm: {
            model: rubric.llm.model,
            promptVersion: PROMPT_VERSION,
            criteria: rubric.llm.criteria.map((c) => {
              const advice = rubricText(c.advice, rubric.lang, rubric.language);
              return { id: c.id, question: c.question, maxScore: c.max_score, ...(advice ? { advice } : {}) };
            }),
          },
        }
      : {}),
    layout: plan.layout,
    inputs: {
      files: totals.files,
      calls: totals.calls,
      failed: totals.inputErrors,
      skipped: totals.skipped,
      ...(totals.skipped > 0 ? { skippedKinds: Object.fromEntries(skippedKinds) } : {}),
    },
    startedAt,
    endedAt: new Date().toISOString(),
    command: process.argv.slice(2),
    ...sinks.duplicates.runInfo(),
    ...(plan.reviews ? { reviews: plan.reviews.runInfo() } : {}),
  };
}
