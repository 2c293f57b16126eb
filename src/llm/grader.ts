import type Anthropic from '@anthropic-ai/sdk';
import { AnthropicError, APIConnectionError, APIError } from '@anthropic-ai/sdk';
import type { Message, MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import type { PreparedCall } from '../model/call.js';
import { verifyQuotes } from './evidence.js';
import { GradeError, parseGrades, type RawGrade } from './parse.js';
import { buildRequest, type GradingMode } from './prompt.js';
import { renderTranscript } from './transcript.js';
import type { CriterionGrade, LlmConfig, LlmCriterion, LlmOutcome, TokenUsage } from './types.js';

export interface GradeCallOptions {
  /** Answers to ask for (sequentially, so later ones read the prompt cache); the median score wins. */
  samples: number;
  /** Send personal numbers unmasked (default: masked). */
  sendPii: boolean;
  /** Deadline for the whole call — every sample and every SDK retry — in milliseconds. */
  timeoutMs: number;
  /** How to ask for the answer's shape; 'structured' unless the run already learnt otherwise. */
  mode?: GradingMode;
  /** Called once when the API says structured output is unsupported and the grader switches to the tool. */
  onModeChange?(mode: GradingMode): void;
}

/** The call's outcome, plus the mode to use for the rest of the run. */
export interface GradeCallResult extends LlmOutcome {
  mode: GradingMode;
}

/**
 * A 400 invalid_request_error saying the model/endpoint does not support structured output (then the
 * tool is used instead). A 400 about our schema ("output_format.schema: … property 'minimum' is not
 * supported") is a bug to report, not a reason to switch.
 */
const FORMAT_UNSUPPORTED = [
  /(?:output_config|output_format|structured[ _-]?outputs?|json_schema)[\s\S]{0,160}?(?:not supported|unsupported|not available|does not support|not enabled)/i,
  /(?:not supported|unsupported|does not support|not available|not enabled)[\s\S]{0,160}?(?:output_config|output_format|structured[ _-]?outputs?|json_schema)/i,
];
const SCHEMA_PROBLEM = /(?:format\.)?schema\s*[:.]|property '|for '\w+' type/i;

export function isOutputFormatUnsupported(err: unknown): boolean {
  if (!(err instanceof APIError) || err.status !== 400) return false;
  if (err.type !== null && err.type !== 'invalid_request_error') return false;
  const message = err.apiMessage ?? err.message;
  return FORMAT_UNSUPPORTED.some((re) => re.test(message)) && !SCHEMA_PROBLEM.test(message);
}

const REDACTED = '[redacted]';
const KEY_SHAPED = /\bsk-ant-[A-Za-z0-9_-]{8,}/g;
const MAX_ERROR_LENGTH = 500;

/** Removes the client's credentials (and anything shaped like an Anthropic key) from a message. */
export function redactSecrets(text: string, client?: Pick<Anthropic, 'apiKey' | 'authToken'>): string {
  let out = text;
  for (const secret of [client?.apiKey, client?.authToken]) {
    if (typeof secret === 'string' && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out.replace(KEY_SHAPED, REDACTED);
}

/**
 * Why a request failed, for `LlmOutcome.error`: the SDK's HTTP status, error type and the API's
 * message; the deadline; or the reason the answer was unusable. Never contains the API key.
 */
export function describeError(err: unknown, client?: Pick<Anthropic, 'apiKey' | 'authToken'>): string {
  let text: string;
  if (err instanceof GradeError) text = err.message;
  else if (err instanceof APIConnectionError) text = `connection error: ${err.message}`;
  else if (err instanceof APIError) text = `API error ${err.status ?? '(no status)'} ${err.type ?? 'unknown_error'}: ${err.apiMessage ?? err.message}`;
  else if (err instanceof AnthropicError) text = `SDK error: ${err.message}`;
  else if (err instanceof Error) text = `${err.name}: ${err.message}`;
  else text = String(err);
  const clean = redactSecrets(text, client);
  return clean.length > MAX_ERROR_LENGTH ? `${clean.slice(0, MAX_ERROR_LENGTH - 1)}…` : clean;
}

function addUsage(total: TokenUsage, message: Message): void {
  const u = message.usage;
  total.input += u.input_tokens ?? 0;
  total.output += u.output_tokens ?? 0;
  total.cacheRead += u.cache_read_input_tokens ?? 0;
  total.cacheCreation += u.cache_creation_input_tokens ?? 0;
}

/** The median of the scores (the mean of the middle two when there is an even number). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

/** What a call loses for one criterion: deduction × (max − score) / max. */
export function deductionFor(criterion: LlmCriterion, score: number): number {
  return (criterion.deduction * (criterion.max_score - score)) / criterion.max_score;
}

/**
 * The grades from one or more parsed answers (each in the criteria's order, as `parseGrades` gives
 * them): per criterion the median score, with evidence and reason from the sample whose score is
 * closest to the median (ties: the one with more verified quotes, then the earliest). Quotes not
 * found in the call are dropped; a score below max_score with no verified quote is `unverified`
 * and deducts nothing (flagged for a human instead).
 */
export function combineSamples(samples: readonly (readonly RawGrade[])[], call: PreparedCall, criteria: readonly LlmCriterion[]): CriterionGrade[] {
  if (samples.length === 0) throw new RangeError('no samples to combine');
  return criteria.map((criterion, k) => {
    const answers = samples.map((s) => {
      const g = s[k];
      if (!g || g.id !== criterion.id) throw new RangeError(`sample grades are not in the criteria's order at "${criterion.id}"`);
      return g;
    });
    const score = median(answers.map((a) => a.score));
    let best = 0;
    let bestDistance = Number.POSITIVE_INFINITY;
    let bestVerified: string[] = [];
    answers.forEach((a, i) => {
      const distance = Math.abs(a.score - score);
      if (distance > bestDistance) return;
      const verified = verifyQuotes(a.evidence, call).verified;
      if (distance < bestDistance || verified.length > bestVerified.length) {
        best = i;
        bestDistance = distance;
        bestVerified = verified;
      }
    });
    const chosen = answers[best] as RawGrade;
    const unverified = score < criterion.max_score && bestVerified.length === 0;
    return {
      id: criterion.id,
      score,
      evidence: bestVerified,
      reason: chosen.reason,
      unverified,
      deduction: unverified ? 0 : deductionFor(criterion, score),
    };
  });
}

/** How long after the deadline the SDK's own request timer may fire: it must never beat the deadline's signal. */
const DEADLINE_MARGIN_MS = 1000;

/**
 * Grades one call through the Messages API. Sends `samples` requests one after another (the rubric
 * prefix is cached after the first), each checked by `parseGrades`; in 'structured' mode a 400 saying
 * structured output is unsupported switches to the `record_grades` tool for this and later requests
 * (`onModeChange`, and `mode` in the result, let the caller keep it for the run). The SDK retries
 * 429/529/5xx itself; the whole call has one deadline (`timeoutMs`, an AbortSignal).
 *
 * Never throws for a failed request or a bad answer: any failure of any sample makes the outcome
 * status 'error' with a reason (no API key in it), never a pass. `requests` counts
 * `messages.create` calls (the SDK's own retries are not seen here); `usage` sums every answer
 * received, including one that was then rejected.
 */
export async function gradeCall(client: Anthropic, call: PreparedCall, config: LlmConfig, options: GradeCallOptions): Promise<GradeCallResult> {
  let mode: GradingMode = options.mode ?? 'structured';
  const samples = Math.max(1, Math.floor(options.samples));
  const usage: TokenUsage = { input: 0, output: 0, cacheRead: 0, cacheCreation: 0 };
  let requests = 0;
  // AbortSignal.timeout takes a positive integer that one timer can hold.
  const timeoutMs = Number.isFinite(options.timeoutMs) ? Math.min(Math.max(1, Math.floor(options.timeoutMs)), 2 ** 31 - 1) : 2 ** 31 - 1;
  const deadline = Date.now() + timeoutMs;
  const signal = AbortSignal.timeout(timeoutMs);
  const transcript = renderTranscript(call, { sendPii: options.sendPii });
  const params = new Map<GradingMode, MessageCreateParamsNonStreaming>();
  const paramsFor = (m: GradingMode): MessageCreateParamsNonStreaming => {
    let p = params.get(m);
    if (!p) {
      p = buildRequest(config, transcript, m);
      params.set(m, p);
    }
    return p;
  };
  const send = (m: GradingMode): Promise<Message> => {
    requests++;
    // The signal is the deadline; the SDK's own timer is only a backstop a little after it, so that the
    // two never race (under load the SDK's timer could fire first and the call would read as a network error).
    return client.messages.create(paramsFor(m), { signal, timeout: Math.max(1, deadline - Date.now()) + DEADLINE_MARGIN_MS });
  };

  const answers: RawGrade[][] = [];
  try {
    for (let i = 0; i < samples; i++) {
      let message: Message;
      try {
        message = await send(mode);
      } catch (err) {
        if (mode !== 'structured' || !isOutputFormatUnsupported(err) || signal.aborted) throw err;
        mode = 'tool';
        options.onModeChange?.(mode);
        message = await send(mode);
      }
      addUsage(usage, message);
      answers.push(parseGrades(message, config.criteria));
    }
    return { status: 'ok', model: config.model, grades: combineSamples(answers, call, config.criteria), usage, requests, mode };
  } catch (err) {
    const late = signal.aborted || Date.now() >= deadline;
    const error = late && !(err instanceof GradeError) ? `deadline of ${timeoutMs} ms exceeded` : describeError(err, client);
    return { status: 'error', model: config.model, error, usage, requests, mode };
  }
}
