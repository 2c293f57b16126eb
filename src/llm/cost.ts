import type { TokenUsage } from './types.js';

/**
 * ESTIMATE ONLY. List prices in US dollars per million tokens, as published on Anthropic's model
 * and pricing pages (checked October 2026; Sonnet 5.5 cache reads after the 2026-10-07 cut). They
 * change: what the account is billed is the truth. Cache writes are priced at the 5-minute rate.
 */
export const PRICE_NOTE =
  'Cost is an estimate from list prices (USD per million tokens, checked October 2026) and the token counts the API reported; the invoice is what counts.';

export interface ModelPrice {
  /** $ per million uncached input tokens. */
  input: number;
  /** $ per million output tokens. */
  output: number;
  /** $ per million tokens read from the prompt cache. */
  cacheRead: number;
  /** $ per million tokens written to the prompt cache (5-minute TTL). */
  cacheWrite: number;
}

export interface PriceEntry {
  /** Model id without date or platform decorations: `claude-haiku-5-5`. */
  id: string;
  family: Family;
  price: ModelPrice;
  /** Prompts (input + cache read + cache write) above `thresholdTokens` pay `price` for every token of that request, output included. */
  longPrompt?: { thresholdTokens: number; price: ModelPrice };
}

export type Family = 'haiku' | 'sonnet' | 'opus' | 'fable' | 'mythos';

const p = (input: number, output: number, cacheWrite: number, cacheRead: number): ModelPrice => ({ input, output, cacheRead, cacheWrite });

const FABLE_5_1 = p(10, 50, 12.5, 0.25);
const FABLE_5 = p(10, 50, 12.5, 1);
const OPUS_4_5 = p(5, 25, 6.25, 0.5);
const OPUS_4 = p(15, 75, 18.75, 1.5);
const SONNET_4 = p(3, 15, 3.75, 0.3);

export const PRICE_TABLE: readonly PriceEntry[] = [
  { id: 'claude-haiku-5-5', family: 'haiku', price: p(0.1, 0.5, 0.125, 0.01), longPrompt: { thresholdTokens: 100_000, price: p(0.5, 2.5, 0.625, 0.05) } },
  { id: 'claude-haiku-4-5', family: 'haiku', price: p(1, 5, 1.25, 0.1) },
  { id: 'claude-sonnet-5-5', family: 'sonnet', price: p(2, 10, 2.5, 0.1) },
  { id: 'claude-sonnet-5', family: 'sonnet', price: p(2, 10, 2.5, 0.2) },
  { id: 'claude-sonnet-4-6', family: 'sonnet', price: SONNET_4 },
  { id: 'claude-sonnet-4-5', family: 'sonnet', price: SONNET_4 },
  { id: 'claude-sonnet-4', family: 'sonnet', price: SONNET_4 },
  { id: 'claude-opus-5-5', family: 'opus', price: p(4, 20, 5, 0.2) },
  { id: 'claude-opus-5', family: 'opus', price: OPUS_4_5 },
  { id: 'claude-opus-4-8', family: 'opus', price: OPUS_4_5 },
  { id: 'claude-opus-4-7', family: 'opus', price: OPUS_4_5 },
  { id: 'claude-opus-4-6', family: 'opus', price: OPUS_4_5 },
  { id: 'claude-opus-4-5', family: 'opus', price: OPUS_4_5 },
  { id: 'claude-opus-4-1', family: 'opus', price: OPUS_4 },
  { id: 'claude-opus-4', family: 'opus', price: OPUS_4 },
  { id: 'claude-fable-5-1', family: 'fable', price: FABLE_5_1 },
  { id: 'claude-fable-5', family: 'fable', price: FABLE_5 },
  { id: 'claude-mythos-5-1', family: 'mythos', price: FABLE_5_1 },
  { id: 'claude-mythos-5', family: 'mythos', price: FABLE_5 },
];

/** The dearest price in the table: what an unrecognised model is charged (an estimate should not undercount). */
const UNKNOWN_PRICE: ModelPrice = FABLE_5;

export interface ResolvedPrice {
  /** The table row used (`claude-opus-4-5`), the family (`opus (family fallback)`) or `unknown model`. */
  pricedAs: string;
  /** exact: the model is in the table; family: priced as the dearest row of its family; unknown: dearest row of all. */
  match: 'exact' | 'family' | 'unknown';
  price: ModelPrice;
  longPrompt?: PriceEntry['longPrompt'];
}

const MODEL_ID = /claude-(haiku|sonnet|opus|fable|mythos)-(\d+(?:-\d{1,2})?)(?!\d)/;
const FAMILY = /(haiku|sonnet|opus|fable|mythos)/;

/**
 * Finds the price for a model id. Dates (`-20251001`), context suffixes (`[1m]`) and platform
 * prefixes (`anthropic.`, `us.anthropic.`) are ignored. A model of a known family that is not in the
 * table is priced as the dearest row of that family; anything else as the dearest row of all.
 */
export function priceFor(model: string): ResolvedPrice {
  const id = model.toLowerCase();
  const m = MODEL_ID.exec(id);
  if (m) {
    const entry = PRICE_TABLE.find((e) => e.id === `claude-${m[1]}-${m[2]}`);
    if (entry) {
      const out: ResolvedPrice = { pricedAs: entry.id, match: 'exact', price: entry.price };
      if (entry.longPrompt) out.longPrompt = entry.longPrompt;
      return out;
    }
  }
  const family = (m?.[1] ?? FAMILY.exec(id)?.[1]) as Family | undefined;
  if (family) {
    const rows = PRICE_TABLE.filter((e) => e.family === family);
    const dearest = rows.reduce((a, b) => (dearer(b.price, a) ? b.price : a), rows[0]?.price ?? UNKNOWN_PRICE);
    return { pricedAs: `${family} (family fallback)`, match: 'family', price: dearest };
  }
  return { pricedAs: 'unknown model', match: 'unknown', price: UNKNOWN_PRICE };
}

function dearer(a: ModelPrice, b: ModelPrice): boolean {
  return a.input + a.output + a.cacheRead + a.cacheWrite > b.input + b.output + b.cacheRead + b.cacheWrite;
}

export interface CostOptions {
  /** Message Batches API: half price on every token. */
  batch?: boolean;
  /**
   * How many requests `usage` adds up (default 1). Only used to decide a long-prompt tier: the
   * average prompt per request is compared with the threshold (an estimate when requests differ).
   */
  requests?: number;
}

export interface CostEstimate {
  /** Always 'estimate': never show the number without saying so. */
  kind: 'estimate';
  usd: number;
  model: string;
  pricedAs: string;
  match: ResolvedPrice['match'];
  batch: boolean;
  longPrompt: boolean;
}

/** What `usage` cost on `model` at list price (see PRICE_NOTE: an estimate). */
export function estimateCost(usage: TokenUsage, model: string, options: CostOptions = {}): CostEstimate {
  const resolved = priceFor(model);
  const requests = Math.max(1, options.requests ?? 1);
  const promptPerRequest = (usage.input + usage.cacheRead + usage.cacheCreation) / requests;
  const long = resolved.longPrompt !== undefined && promptPerRequest > resolved.longPrompt.thresholdTokens;
  const price = long && resolved.longPrompt ? resolved.longPrompt.price : resolved.price;
  const perMillion = usage.input * price.input + usage.output * price.output + usage.cacheRead * price.cacheRead + usage.cacheCreation * price.cacheWrite;
  const factor = options.batch ? 0.5 : 1;
  return {
    kind: 'estimate',
    usd: (perMillion / 1_000_000) * factor,
    model,
    pricedAs: resolved.pricedAs,
    match: resolved.match,
    batch: options.batch === true,
    longPrompt: long,
  };
}

/** `≈ $0.0123 (estimate)`, with the reason when the model was not in the table. */
export function formatCost(cost: CostEstimate): string {
  const digits = cost.usd >= 1 ? 2 : cost.usd >= 0.01 ? 4 : 6;
  const notes = ['estimate'];
  if (cost.batch) notes.push('batch price');
  if (cost.match !== 'exact') notes.push(`priced as ${cost.pricedAs}`);
  return `≈ $${cost.usd.toFixed(digits)} (${notes.join(', ')})`;
}

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return { input: a.input + b.input, output: a.output + b.output, cacheRead: a.cacheRead + b.cacheRead, cacheCreation: a.cacheCreation + b.cacheCreation };
}

/** The SDK's `message.usage` as a TokenUsage (null counts are 0). */
export function tokenUsageOf(usage: {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}): TokenUsage {
  return {
    input: usage.input_tokens,
    output: usage.output_tokens,
    cacheRead: usage.cache_read_input_tokens ?? 0,
    cacheCreation: usage.cache_creation_input_tokens ?? 0,
  };
}

// CJK ideographs (+ extension A, compatibility), kana, Hangul, CJK punctuation and full-width forms.
const CJK = /[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/gu;

/**
 * A rough, deliberately high token count for budgeting before a request is sent (the API's usage
 * is the real count). Heuristic:
 * - each CJK character (Han, kana, Hangul, CJK and full-width punctuation) counts as 1 token. Chinese
 *   is often quoted at ~1 token per 1.5 characters, and the tokenizer of Claude 4.7 and later models
 *   counts ~30% more (≈ 0.87 per character), so 1 per character errs on the high side;
 * - everything else (Latin, digits, spaces, JSON punctuation) counts as 1 token per 3 characters
 *   (English is ~4 characters per token on older tokenizers; 3 leaves room for the newer one).
 * Characters outside the Basic Multilingual Plane count as "everything else".
 */
export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  const cjk = text.match(CJK)?.length ?? 0;
  const other = [...text].length - cjk;
  return cjk + Math.ceil(other / 3);
}

/** estimateTokens over what a Messages request sends as input (system, messages, tools, output format). */
export function estimateRequestTokens(params: {
  system?: unknown;
  messages: unknown;
  tools?: unknown;
  tool_choice?: unknown;
  output_config?: unknown;
}): number {
  const { system, messages, tools, tool_choice, output_config } = params;
  return estimateTokens(JSON.stringify({ system, messages, tools, tool_choice, output_config }));
}
