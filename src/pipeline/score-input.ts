import type { Lang } from '../i18n/lang.js';
import type { PagePolicy } from '../results/pages.js';
import { type InputError, InputProblem, localizeError, msg, reason, reasonOf } from '../ingest/errors.js';
import type { IngestOptions } from '../ingest/format.js';
import { type InputItem, type InputTally, readInput } from '../ingest/index.js';
import { MetadataIndex } from '../metadata/join.js';
import { loadMetadataFile } from '../metadata/load.js';
import type { PreparedCall } from '../model/call.js';
import { prepareOwnCall } from '../normalise/call.js';
import { type RoleOptions, resolveRoles, roleCuesOf } from '../normalise/roles.js';
import { loadRubric, type Rubric } from '../rubric/load.js';
import { greetingMatchersOf } from '../rules/greeting.js';
import { applyVerdicts } from '../review/apply.js';
import type { Review } from '../review/verdict.js';
import { type CallResult, scoreCall } from '../scoring/score-call.js';

/** What scoring needs besides the input: the same in the main thread and in every worker. */
export interface ScoreContext {
  rubric: Rubric;
  roles: RoleOptions;
  ingest: IngestOptions;
  metadata?: MetadataIndex;
  /** The verdicts that stand, by finding id (--reviews): each call is reviewed right after its rules (review/apply.ts). */
  reviews?: ReadonlyMap<string, Review>;
}

/** One call scored by the rules, or why a part of the input could not be; `metadata` says how the call-record join went. */
export type Scored =
  | { error: InputError; result?: undefined }
  | { result: CallResult; prepared: PreparedCall; metadata: 'none' | 'matched' | 'missing'; matchedId?: string; error?: undefined };

/**
 * CALLQA_DEBUG_STOP_AFTER=read or =rules: every call stops after that stage (its input read and parsed;
 * its rules run) and is neither counted nor written, nor is an input's error. How the benchmark tells
 * what the stages after it cost (bench/run.mjs); a debugging aid, off by default. Read once, in each thread.
 */
export const DEBUG_STOP_AFTER: 'read' | 'rules' | undefined = ((v) => (v === 'read' || v === 'rules' ? v : undefined))(process.env.CALLQA_DEBUG_STOP_AFTER);

/**
 * The part of a run's configuration that scoring needs: set once from the command's options (scoringConfig in
 * commands/score.ts), sent as it is to every worker, and made into the same ScoreContext in every thread
 * (scoringContext).
 */
export interface ScoringConfig {
  /** The rubric file, resolved: each thread loads and compiles it once. */
  rubricPath: string;
  /** The language findings are written in (`--lang`, else the rubric's). */
  lang?: Lang;
  ingest: IngestOptions;
  roles: Omit<RoleOptions, 'greetingElements' | 'cues'>;
  metadata?: { files: string[]; customerLeg: 'inbound' | 'outbound' };
  /** Which transcripts a worker writes into its calls' lines: every call's, or its page candidates' (results/pages.ts). */
  pages?: PagePolicy;
  /** The verdicts that stand (--reviews: standingVerdicts), one a finding: plain data, sent to every worker. */
  reviews?: Review[];
}

/**
 * The ScoreContext of a scoring configuration, and the call records' errors (each listed once, by the main
 * thread; a worker drops them). `rubric`: the rubric already loaded from config.rubricPath (the main thread's,
 * which it has checked); each worker loads its own. Throws InputProblem when a call-record file cannot be read.
 */
export async function scoringContext(config: ScoringConfig, rubric?: Rubric): Promise<{ context: ScoreContext; metadataErrors: InputError[] }> {
  const loaded = rubric ?? (await loadRubric(config.rubricPath, config.lang));
  const context: ScoreContext = {
    rubric: loaded,
    roles: { ...config.roles, ...rubricRoleOptions(loaded) },
    ingest: config.lang ? { ...config.ingest, lang: config.lang } : config.ingest,
  };
  if (config.reviews) context.reviews = new Map(config.reviews.map((r) => [r.findingId, r]));
  const metadataErrors: InputError[] = [];
  if (config.metadata) {
    const index = new MetadataIndex();
    // A contact record delivered again, in one file or another: the index keeps the later update on top.
    for (const file of config.metadata.files) {
      for (const item of await loadMetadataFile(file, { customerLeg: config.metadata.customerLeg, ...(config.lang ? { lang: config.lang } : {}) })) {
        if ('error' in item) metadataErrors.push(item);
        else index.add(item);
      }
    }
    context.metadata = index;
  }
  return { context, metadataErrors };
}

/** What role inference takes from the rubric (its greeting elements, its role cues): the same in every command and thread. */
export function rubricRoleOptions(rubric: Rubric): RoleOptions {
  return { greetingElements: greetingMatchersOf(rubric), cues: roleCuesOf(rubric) };
}

/** ingest → metadata join → roles → normalise → check → score → verdicts (--reviews), for every call of one input. */
export async function* scoreInput(item: InputItem, ctx: ScoreContext, tally: InputTally): AsyncGenerator<Scored> {
  for await (const parsed of readInput(item, ctx.ingest, tally)) {
    if (DEBUG_STOP_AFTER === 'read' || (DEBUG_STOP_AFTER && parsed.error)) continue;
    if (parsed.error) {
      yield { error: parsed.error };
      continue;
    }
    const source = parsed.call;
    let metadata: 'none' | 'matched' | 'missing' = 'none';
    let matchedId: string | undefined;
    if (ctx.metadata) {
      matchedId = ctx.metadata.apply(source);
      metadata = matchedId === undefined ? 'missing' : 'matched';
    }
    let prepared: PreparedCall;
    try {
      // resolveRoles builds a new call (new utterances): nobody else holds it.
      prepared = prepareOwnCall(resolveRoles(source, ctx.roles));
    } catch (err) {
      if (!(err instanceof InputProblem)) throw err;
      if (DEBUG_STOP_AFTER) continue;
      const error: InputError = {
        source: source.source,
        ...(source.line ? { line: source.line } : {}),
        ...reason(msg('input.in-call', { id: source.id, problem: reasonOf(err) })),
      };
      yield { error: localizeError(error, ctx.ingest.lang ?? 'en') };
      continue;
    }
    // Reviewed here, before anything renders the call (a worker writes its CSV rows and results line next).
    const scored = scoreCall(prepared, ctx.rubric);
    const result = ctx.reviews ? applyVerdicts(scored, ctx.reviews, ctx.rubric.passScore) : scored;
    if (DEBUG_STOP_AFTER === 'rules') continue;
    yield { result, prepared, metadata, ...(matchedId === undefined ? {} : { matchedId }) };
  }
}
