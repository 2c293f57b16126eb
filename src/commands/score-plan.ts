import { translate } from '../i18n/format.js';
import { type Lang, localeLang } from '../i18n/lang.js';
import { InputProblem, type InputError, messageText } from '../ingest/errors.js';
import { ENCODINGS, encodingName } from '../ingest/encoding.js';
import { FORMAT_NAMES } from '../ingest/formats/index.js';
import { describeMissing, missingInputs } from '../ingest/missing-inputs.js';
import type { LlmRunner } from '../llm/run.js';
import type { ScoreContext, ScoringConfig } from '../pipeline/score-input.js';
import { scoringContext } from '../pipeline/score-input.js';
import { type Baseline, baselineRubricWarning, readBaseline } from '../results/baseline.js';
import { reportLayout, type ReportLayout } from '../render/tables.js';
import { loadRubric, RubricError, type Rubric } from '../rubric/load.js';
import { checkGateConfig, type GateConfig } from '../run/gates.js';
import { ReviewLedger } from '../run/reviews.js';
import { readReviews } from '../review/read.js';
import { EXIT } from './exit-codes.js';
import type { ScoreSettings } from './score.js';

/** What `callqa score` has settled before it opens its reports: every check that can stop it with exit 2 is behind it. */
export interface ScorePlan {
  opts: ScoreSettings;
  rubric: Rubric;
  layout: ReportLayout;
  gates: GateConfig;
  baseline?: Baseline;
  /** What scoring needs, set once: the same configuration makes this thread's context and every worker's. */
  config: ScoringConfig;
  context: ScoreContext;
  metadataErrors: InputError[];
  llm?: LlmRunner;
  /** --reviews: the verdicts read, and what becomes of them. */
  reviews?: ReviewLedger;
}

/** A rubric read, or what stopped it (reported by reportedRubric, in its turn). */
type LoadedRubric = { rubric: Rubric } | { error: unknown };

async function tryLoadRubric(rubricArg: string | undefined, lang: Lang | undefined): Promise<LoadedRubric> {
  try {
    return { rubric: await loadRubric(rubricArg, lang) };
  } catch (error) {
    return { error };
  }
}

/**
 * The rubric, or undefined after saying on stderr what is wrong with it: the heading in `--lang`, else the
 * locale's language (an invalid rubric has none); the problems as the schema words them, in English (they are
 * for the rubric's author, and name its YAML keys). Any other error is thrown as it came.
 */
function reportedRubric(loaded: LoadedRubric, stderr: NodeJS.WritableStream, lang: Lang | undefined): Rubric | undefined {
  if ('rubric' in loaded) return loaded.rubric;
  if (!(loaded.error instanceof RubricError)) throw loaded.error;
  const heading = translate(lang ?? localeLang(), 'command.rubric-invalid');
  stderr.write(`callqa: ${heading}\n${loaded.error.problems.map((p) => `  ${p}`).join('\n')}\n`);
  return undefined;
}

/** The rubric (`lang`: the run's `--lang`, else the rubric's language), or undefined after saying on stderr what is wrong with it. */
export async function loadRubricOrReport(rubricArg: string | undefined, stderr: NodeJS.WritableStream, lang?: Lang): Promise<Rubric | undefined> {
  return reportedRubric(await tryLoadRubric(rubricArg, lang), stderr, lang);
}

/** An input problem's text in `lang` (its message when it was given as one, else its English text as it is). */
function problemText(err: InputProblem, lang: Lang): string {
  return err.said ? messageText(lang, err.said) : err.message;
}

/** Flags whose valid values live in the ingest modules; a wrong one stops the run before any work (exit 2). */
export function checkIngestOptions<T extends Pick<ScoreSettings, 'inputFormat' | 'encoding'>>(
  opts: T,
  stderr: NodeJS.WritableStream,
  lang: Lang = 'en',
): T | undefined {
  if (opts.inputFormat !== undefined && !FORMAT_NAMES.includes(opts.inputFormat)) {
    const text = translate(lang, 'command.unknown-input-format', { flag: '--input-format', name: opts.inputFormat, formats: FORMAT_NAMES });
    stderr.write(`callqa: ${text}\n`);
    return undefined;
  }
  if (opts.encoding === undefined) return opts;
  const encoding = encodingName(opts.encoding);
  if (encoding === undefined) {
    const names = { gbk: 'gbk', gb2312: 'gb2312', gb18030: 'gb18030' };
    stderr.write(`callqa: ${translate(lang, 'command.unknown-encoding', { flag: '--encoding', name: opts.encoding, encodings: ENCODINGS, ...names })}\n`);
    return undefined;
  }
  return { ...opts, encoding };
}

/** The named keys of an object that are set. */
function pick<T extends object, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]])) as Pick<T, K>;
}

/** The gates asked for, checked against the rubric's rules (exit 2 on a mistake). */
export function gatesOf(
  opts: Partial<Pick<ScoreSettings, 'failUnder' | 'maxFailRate' | 'failOnCritical' | 'maxScoreDrop' | 'baseline'>>,
  ruleIds: readonly string[],
  stderr: NodeJS.WritableStream,
  lang?: Lang,
): GateConfig | undefined {
  const gates: GateConfig = {
    ...(opts.failUnder !== undefined ? { failUnder: opts.failUnder } : {}),
    ...(opts.maxFailRate?.length ? { maxFailRates: opts.maxFailRate } : {}),
    ...(opts.failOnCritical ? { failOnCritical: true } : {}),
    ...(opts.maxScoreDrop !== undefined ? { maxScoreDrop: opts.maxScoreDrop } : {}),
  };
  const problems = checkGateConfig(gates, { ruleIds, hasBaseline: opts.baseline !== undefined, lang });
  for (const p of problems) stderr.write(`callqa: ${p}\n`);
  return problems.length > 0 ? undefined : gates;
}

/** --baseline, read before scoring: a wrong one stops the run at once, and --baseline may be --out itself. */
export async function baselineOf(
  dir: string | undefined,
  rubric: Pick<Rubric, 'sha256' | 'name'> & { lang?: Lang | undefined },
  stderr: NodeJS.WritableStream,
): Promise<Baseline | undefined | 'bad'> {
  if (dir === undefined) return undefined;
  try {
    const baseline = await readBaseline(dir);
    const warning = await baselineRubricWarning(dir, rubric);
    if (warning !== undefined) stderr.write(`callqa: ${messageText(rubric.lang ?? 'en', warning)}\n`);
    return baseline;
  } catch (err) {
    if (!(err instanceof InputProblem)) throw err;
    stderr.write(`callqa: ${problemText(err, rubric.lang ?? 'en')}\n`);
    return 'bad';
  }
}

/**
 * --reviews FILE…: the verdicts, read before any work; undefined without the flag. What cannot be read stops the
 * command (a usage error, exit 2): each problem on stderr (its file, line and what was expected), then 'bad'.
 */
export async function reviewsOf(files: readonly string[] | undefined, stderr: NodeJS.WritableStream, lang: Lang): Promise<ReviewLedger | undefined | 'bad'> {
  if (!files || files.length === 0) return undefined;
  const { reviews, problems } = await readReviews(files, lang);
  for (const p of problems) stderr.write(`callqa: ${p}\n`);
  return problems.length > 0 ? 'bad' : new ReviewLedger(files, reviews);
}

/** The model's runner for --llm (its code, and the SDK's ~0.25 s of start-up, loaded only then); a number: the exit code. */
async function llmOf(opts: ScoreSettings, rubric: Rubric, stderr: NodeJS.WritableStream): Promise<LlmRunner | undefined | number> {
  if (!opts.llm) return undefined;
  if (!rubric.llm) {
    stderr.write(`callqa: ${translate(rubric.lang, 'calibrate.llm-no-section', { flag: '--llm', path: rubric.path })}\n`);
    return EXIT.usage;
  }
  const apiKey = process.env.ANTHROPIC_API_KEY;
  if (!opts.llmDryRun && !apiKey) {
    const params = { flag: '--llm', key: 'ANTHROPIC_API_KEY', base: 'ANTHROPIC_BASE_URL', dryRun: '--llm-dry-run' };
    stderr.write(`callqa: ${translate(rubric.lang, 'score.llm-no-key', params)}\n`);
    return EXIT.usage;
  }
  const config = opts.llmModel ? { ...rubric.llm, model: opts.llmModel } : rubric.llm;
  rubric.llm = config;
  const { LlmRunner } = await import('../llm/run.js');
  return LlmRunner.create(
    config,
    {
      samples: opts.llmSamples,
      sendPii: opts.llmSendPii,
      concurrency: opts.llmConcurrency,
      timeoutSeconds: opts.llmTimeout,
      cache: opts.llmCache,
      batch: opts.llmBatch,
      dryRun: opts.llmDryRun,
      ...(opts.llmMaxCalls !== undefined ? { maxCalls: opts.llmMaxCalls } : {}),
      ...(process.env.CALLQA_BATCH_POLL_MS ? { pollIntervalMs: Number(process.env.CALLQA_BATCH_POLL_MS) } : {}),
    },
    apiKey,
  );
}

/**
 * Everything `callqa score` checks and loads before it opens its reports, in the order a user's mistakes
 * are best reported: flags, missing inputs, the rubric, the gates, the baseline, the reviews, the call records,
 * the model. A number: the run stops with that exit code (the reason is on stderr).
 */
export async function planScore(inputs: readonly string[], settings: ScoreSettings, stderr: NodeJS.WritableStream): Promise<ScorePlan | number> {
  // The rubric is read first so that the flags' and the missing inputs' mistakes are told in its language (the
  // run's); what is wrong with it is told in its turn, after them, as before: the same mistake wins, the same exit code.
  const loaded = await tryLoadRubric(settings.rubric, settings.lang);
  const lang = 'rubric' in loaded ? loaded.rubric.lang : (settings.lang ?? localeLang());
  const opts = checkIngestOptions(settings, stderr, lang);
  if (!opts) return EXIT.usage;
  // A mistyped path stops the run before any work (exit 2, each missing path named), not a smaller report.
  const missing = await missingInputs(inputs);
  if (missing.length > 0) {
    stderr.write(describeMissing(missing, lang));
    return EXIT.usage;
  }
  const rubric = reportedRubric(loaded, stderr, opts.lang);
  if (!rubric) return EXIT.usage;
  // The report columns: hidden helper rules feed other rules and stay out of the reports.
  const layout = reportLayout(rubric, { baseline: opts.baseline !== undefined });
  const gates = gatesOf(opts, layout.ruleIds, stderr, rubric.lang);
  if (!gates) return EXIT.usage;
  const baseline = await baselineOf(opts.baseline, rubric, stderr);
  if (baseline === 'bad') return EXIT.usage;
  const reviews = await reviewsOf(opts.reviews, stderr, rubric.lang);
  if (reviews === 'bad') return EXIT.usage;
  const config: ScoringConfig = {
    rubricPath: rubric.path,
    lang: rubric.lang,
    ingest: pick(opts, ['inputFormat', 'encoding', 'columns', 'timeUnit', 'channel', 'maxRecordMb']),
    roles: pick(opts, ['agentSpeaker', 'agentChannel', 'agentName', 'direction']),
    ...(opts.metadata?.length ? { metadata: { files: opts.metadata, customerLeg: opts.customerLeg } } : {}),
    // The standing verdict of each finding only: what every worker needs, and no more.
    ...(reviews ? { reviews: [...reviews.verdicts.values()] } : {}),
  };
  let scoring: Awaited<ReturnType<typeof scoringContext>>;
  try {
    scoring = await scoringContext(config, rubric);
  } catch (err) {
    if (!(err instanceof InputProblem)) throw err;
    // A --metadata file that cannot be read at all.
    stderr.write(`callqa: ${problemText(err, rubric.lang)}\n`);
    return EXIT.usage;
  }
  const llm = await llmOf(opts, rubric, stderr);
  if (typeof llm === 'number') return llm;
  return {
    opts,
    rubric,
    layout,
    gates,
    ...(baseline ? { baseline } : {}),
    config,
    context: scoring.context,
    metadataErrors: scoring.metadataErrors,
    ...(llm ? { llm } : {}),
    ...(reviews ? { reviews } : {}),
  };
}
