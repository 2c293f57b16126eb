import type Anthropic from '@anthropic-ai/sdk';
import type { Message } from '@anthropic-ai/sdk/resources/messages/messages';
import { join } from 'node:path';
import type { PreparedCall } from '../model/call.js';
import { batchCustomId, runBatch } from './batch.js';
import { LlmCache } from './cache.js';
import { addUsage, estimateCost, estimateRequestTokens, formatCost, tokenUsageOf } from './cost.js';
import { combineSamples, describeError, gradeCall } from './grader.js';
import { createBudget, createLimiter } from './limiter.js';
import { GradeError, parseGrades } from './parse.js';
import { buildRequest, type GradingMode, maxTokensFor, PROMPT_VERSION } from './prompt.js';
import { renderTranscript } from './transcript.js';
import { type LlmConfig, type LlmOutcome, type TokenUsage, ZERO_USAGE } from './types.js';

export interface LlmRunOptions {
  samples: number;
  sendPii: boolean;
  concurrency: number;
  timeoutSeconds: number;
  /** A directory, or false for --no-llm-cache. */
  cache: string | false;
  batch: boolean;
  dryRun: boolean;
  maxCalls?: number;
  /** Batch polling interval (tests make it short). */
  pollIntervalMs?: number;
  onProgress?(message: string): void;
}

export interface LlmTotals {
  model: string;
  requests: number;
  cacheHits: number;
  graded: number;
  errors: number;
  skipped: number;
  usage: TokenUsage;
  batch: boolean;
  /** With --llm-dry-run: what a real run would grade and roughly cost. */
  dryRun?: { toGrade: number; cached: number; inputTokens: number; outputTokens: number; cost: string };
}

/**
 * What a dry run's estimated tokens would cost, as the summary prints it: the summed tokens of every
 * call to be graded, priced once (the long-prompt tier decided per request).
 */
export function dryRunCost(
  dry: Pick<NonNullable<LlmTotals['dryRun']>, 'toGrade' | 'inputTokens' | 'outputTokens'>,
  model: string,
  options: { batch: boolean; samples: number },
): string {
  return formatCost(
    estimateCost({ input: dry.inputTokens, output: dry.outputTokens, cacheRead: 0, cacheCreation: 0 }, model, {
      batch: options.batch,
      requests: Math.max(1, dry.toGrade * options.samples),
    }),
  );
}

/** The call as the grader sees it, and its cache key. */
interface Prepared {
  key: string;
}

/** A call waiting for the batch: its cache key and the place its outcome goes. */
interface Pending {
  key: string;
  call: PreparedCall;
  resolve(outcome: LlmOutcome): void;
}

function withoutMode(outcome: LlmOutcome & { mode?: GradingMode }): LlmOutcome {
  const { mode: _mode, ...rest } = outcome;
  return rest;
}

/**
 * Grades calls with the rubric's criteria: the cache first (a second identical run sends nothing),
 * then the API — at most `concurrency` requests in flight, an overall deadline per call, at most
 * `maxCalls` calls sent — or, with `batch`, the Message Batches API once every call is known.
 * Failures never sink the run: a call's outcome says `error` and why.
 */
export class LlmRunner {
  readonly totals: LlmTotals;
  private readonly cache: LlmCache;
  private readonly limiter;
  private readonly budget;
  private mode: GradingMode = 'structured';
  private readonly pending: Pending[] = [];
  /** With --llm-dry-run: gradings not yet estimated (each reads the cache first); flush waits for them before pricing. */
  private readonly estimating = new Set<Promise<LlmOutcome>>();

  private constructor(
    private readonly client: Anthropic | undefined,
    private readonly config: LlmConfig,
    private readonly options: LlmRunOptions,
  ) {
    this.cache = new LlmCache({ dir: options.cache === false ? '.callqa-cache' : options.cache, enabled: options.cache !== false });
    this.limiter = createLimiter(options.concurrency);
    this.budget = createBudget(options.maxCalls);
    this.totals = { model: config.model, requests: 0, cacheHits: 0, graded: 0, errors: 0, skipped: 0, usage: { ...ZERO_USAGE }, batch: options.batch };
    if (options.dryRun) this.totals.dryRun = { toGrade: 0, cached: 0, inputTokens: 0, outputTokens: 0, cost: '' };
  }

  /** The SDK is loaded only here: `callqa --help` and rule-only runs do not pay for it. */
  static async create(config: LlmConfig, options: LlmRunOptions, apiKey: string | undefined): Promise<LlmRunner> {
    if (options.dryRun) return new LlmRunner(undefined, config, options);
    const { default: AnthropicClient } = await import('@anthropic-ai/sdk');
    // baseURL: the SDK reads ANTHROPIC_BASE_URL itself.
    const client = new AnthropicClient({ apiKey: apiKey ?? null, maxRetries: 3, timeout: options.timeoutSeconds * 1000 });
    return new LlmRunner(client, config, options);
  }

  private prepare(call: PreparedCall): Prepared & { transcript: string } {
    const transcript = renderTranscript(call, { sendPii: this.options.sendPii });
    const key = this.cache.key({
      model: this.config.model,
      promptVersion: PROMPT_VERSION,
      criteria: this.config.criteria,
      transcript,
      // A Simplified Chinese reason was the only kind before languages: its keys stay as they were.
      extra: { samples: this.options.samples, ...(this.config.lang && this.config.lang !== 'zh-CN' ? { lang: this.config.lang } : {}) },
    });
    return { key, transcript };
  }

  private count(outcome: LlmOutcome): LlmOutcome {
    this.totals.requests += outcome.requests;
    if (outcome.usage) this.totals.usage = addUsage(this.totals.usage, outcome.usage);
    if (outcome.status === 'cached') this.totals.cacheHits++;
    if (outcome.status === 'ok' || outcome.status === 'cached') this.totals.graded++;
    if (outcome.status === 'error') this.totals.errors++;
    if (outcome.status === 'skipped') this.totals.skipped++;
    return outcome;
  }

  /** One call's grading. In batch mode the promise settles when `flush` has run the batch. */
  grade(call: PreparedCall): Promise<LlmOutcome> {
    const { key, transcript } = this.prepare(call);
    // Queued at once, in order, so that flush sees every call (the cache is read there).
    if (this.options.batch && !this.options.dryRun) return new Promise((resolve) => this.pending.push({ key, call, resolve: (o) => resolve(this.count(o)) }));
    const outcome = this.gradeNow(call, key, transcript);
    if (this.options.dryRun) {
      this.estimating.add(outcome);
      const settled = () => this.estimating.delete(outcome);
      outcome.then(settled, settled);
    }
    return outcome;
  }

  private async gradeNow(call: PreparedCall, key: string, transcript: string): Promise<LlmOutcome> {
    const cached = await this.cache.get(key);
    if (cached) return this.count({ ...cached, status: 'cached', requests: 0 });
    if (this.options.dryRun) return this.count(this.estimate(transcript));
    if (!this.budget.take()) return this.count(this.overBudget());
    return this.count(await this.cache.getOrCompute(key, () => this.gradeDirect(call)));
  }

  /** One call through the normal API, within the concurrency limit; the mode the model takes is remembered for the run. */
  private async gradeDirect(call: PreparedCall): Promise<LlmOutcome> {
    const outcome = await this.limiter.run(() =>
      gradeCall(this.client as Anthropic, call, this.config, {
        samples: this.options.samples,
        sendPii: this.options.sendPii,
        timeoutMs: this.options.timeoutSeconds * 1000,
        mode: this.mode,
        onModeChange: (mode) => {
          this.mode = mode;
        },
      }),
    );
    return withoutMode(outcome);
  }

  private overBudget(): LlmOutcome {
    return { status: 'skipped', model: this.config.model, error: '--llm-max-calls reached', requests: 0 };
  }

  private estimate(transcript: string): LlmOutcome {
    const dry = this.totals.dryRun as NonNullable<LlmTotals['dryRun']>;
    const params = buildRequest(this.config, transcript, 'structured');
    dry.toGrade++;
    dry.inputTokens += estimateRequestTokens(params) * this.options.samples;
    // The answer: a few hundred tokens a criterion is a generous ceiling; half the max_tokens budget is the estimate.
    dry.outputTokens += Math.round(maxTokensFor(this.config.criteria) / 2) * this.options.samples;
    return { status: 'skipped', model: this.config.model, error: 'dry run: nothing sent', requests: 0 };
  }

  /** Runs the batch of every call `grade` queued (batch mode); retries errored or expired ones once through the normal API. */
  async flush(): Promise<void> {
    if (this.totals.dryRun) {
      // Priced once every call's estimate is added up: a grading still reading the cache has not counted yet.
      while (this.estimating.size > 0) await Promise.allSettled([...this.estimating]);
      const dry = this.totals.dryRun;
      dry.cached = this.totals.cacheHits;
      dry.cost = dryRunCost(dry, this.config.model, { batch: this.options.batch, samples: this.options.samples });
    }
    if (this.pending.length === 0) return;
    const queued: Pending[] = [];
    const queuedKeys = new Set<string>();
    for (const p of this.pending.splice(0)) {
      const cached = await this.cache.get(p.key);
      if (cached) p.resolve({ ...cached, status: 'cached', requests: 0 });
      else if (queuedKeys.has(p.key) || this.budget.take()) {
        queued.push(p);
        queuedKeys.add(p.key);
      } else p.resolve(this.overBudget());
    }
    if (queued.length === 0) return;
    // One request per call and sample; calls with the same transcript share them.
    const byKey = new Map<string, Pending[]>();
    for (const p of queued) {
      const waiting = byKey.get(p.key);
      if (waiting) waiting.push(p);
      else byKey.set(p.key, [p]);
    }
    const items = [...byKey.entries()].flatMap(([key, [first]]) => {
      const params = buildRequest(this.config, renderTranscript((first as Pending).call, { sendPii: this.options.sendPii }), this.mode);
      return Array.from({ length: this.options.samples }, (_, i) => ({ customId: batchCustomId(`${key}:${i}`), params }));
    });
    let results: Map<string, { type: string; message?: Message; error?: string }>;
    try {
      results = await runBatch(this.client as Anthropic, items, {
        stateFile: join(this.options.cache === false ? '.callqa-cache' : this.options.cache, 'batch-state.json'),
        pollIntervalMs: this.options.pollIntervalMs ?? 30_000,
        onProgress: (c) => this.options.onProgress?.(`batch: ${c.succeeded + c.errored + c.expired + c.canceled}/${c.total} done`),
      });
    } catch (err) {
      const reason = `batch failed: ${describeError(err, this.client)}`;
      for (const p of queued) p.resolve({ status: 'error', model: this.config.model, error: reason, requests: 0 });
      return;
    }
    await Promise.all(
      [...byKey.entries()].map(async ([key, waiting]) => {
        const first = waiting[0] as Pending;
        let { outcome, retry } = this.fromBatch(key, first.call, results);
        // Errored or expired in the batch: once more, through the normal API.
        if (retry) {
          const retried = await this.gradeDirect(first.call);
          outcome = { ...retried, requests: retried.requests + outcome.requests };
        }
        if (outcome.status === 'ok') await this.cache.set(key, outcome);
        waiting.forEach((p, i) => {
          p.resolve(i === 0 ? outcome : { ...outcome, status: 'cached', requests: 0 });
        });
      }),
    );
  }

  private fromBatch(
    key: string,
    call: PreparedCall,
    results: Map<string, { type: string; message?: Message; error?: string }>,
  ): { outcome: LlmOutcome; retry: boolean } {
    const samples = [];
    let usage: TokenUsage = { ...ZERO_USAGE };
    for (let i = 0; i < this.options.samples; i++) {
      const r = results.get(batchCustomId(`${key}:${i}`));
      if (r?.type !== 'succeeded' || !r.message) {
        return {
          outcome: {
            status: 'error',
            model: this.config.model,
            error: `batch request ${r?.type ?? 'missing'}${r?.error ? `: ${r.error}` : ''}`,
            requests: i + 1,
            usage,
          },
          retry: true,
        };
      }
      usage = addUsage(usage, tokenUsageOf(r.message.usage));
      try {
        samples.push(parseGrades(r.message, this.config.criteria));
      } catch (err) {
        const reason = err instanceof GradeError ? err.message : describeError(err, this.client);
        return {
          outcome: { status: 'error', model: this.config.model, error: `the answer is not usable: ${reason}`, requests: this.options.samples, usage },
          retry: false,
        };
      }
    }
    return {
      outcome: { status: 'ok', model: this.config.model, grades: combineSamples(samples, call, this.config.criteria), usage, requests: this.options.samples },
      retry: false,
    };
  }
}
