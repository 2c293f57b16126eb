import { describe, expect, it } from 'vitest';
import { addUsage, estimateCost, estimateRequestTokens, estimateTokens, formatCost, PRICE_NOTE, priceFor, tokenUsageOf } from '../../src/llm/cost.js';
import type { TokenUsage } from '../../src/llm/types.js';

const usage = (input: number, output: number, cacheRead = 0, cacheCreation = 0): TokenUsage => ({ input, output, cacheRead, cacheCreation });
const M = 1_000_000;

describe('priceFor', () => {
  it.each([
    ['claude-haiku-5-5', 'claude-haiku-5-5', 'exact', 0.1, 0.5],
    ['claude-sonnet-5-5', 'claude-sonnet-5-5', 'exact', 2, 10],
    ['claude-opus-5-5', 'claude-opus-5-5', 'exact', 4, 20],
    ['claude-opus-4-5-20251101', 'claude-opus-4-5', 'exact', 5, 25],
    ['claude-haiku-4-5-20251001', 'claude-haiku-4-5', 'exact', 1, 5],
    ['claude-sonnet-4-20250514', 'claude-sonnet-4', 'exact', 3, 15],
    ['claude-opus-4', 'claude-opus-4', 'exact', 15, 75],
    ['claude-sonnet-5', 'claude-sonnet-5', 'exact', 2, 10],
    ['us.anthropic.claude-sonnet-5-5[1m]', 'claude-sonnet-5-5', 'exact', 2, 10],
    ['claude-fable-5-1', 'claude-fable-5-1', 'exact', 10, 50],
    ['claude-fable-5-2', 'fable (family fallback)', 'family', 10, 50],
    ['claude-haiku-6', 'haiku (family fallback)', 'family', 1, 5],
    ['claude-3-opus-20240229', 'opus (family fallback)', 'family', 15, 75],
    ['gpt-something', 'unknown model', 'unknown', 10, 50],
  ])('%s is priced as %s', (model, pricedAs, match, input, output) => {
    const r = priceFor(model);
    expect(r.pricedAs).toBe(pricedAs);
    expect(r.match).toBe(match);
    expect(r.price.input).toBe(input);
    expect(r.price.output).toBe(output);
  });

  it('an unknown family member gets the dearest cache-read rate of its family', () => {
    expect(priceFor('claude-mythos-5-2').price.cacheRead).toBe(1);
    expect(priceFor('claude-mythos-5-1').price.cacheRead).toBe(0.25);
  });
});

describe('estimateCost', () => {
  it('prices each kind of token', () => {
    // Sonnet 5.5: $2 in, $10 out, $0.10 cache read, $2.50 cache write.
    const c = estimateCost(usage(M, M, M, M), 'claude-sonnet-5-5');
    expect(c.usd).toBeCloseTo(2 + 10 + 0.1 + 2.5, 10);
    expect(c).toMatchObject({ kind: 'estimate', model: 'claude-sonnet-5-5', pricedAs: 'claude-sonnet-5-5', match: 'exact', batch: false, longPrompt: false });
  });

  it('a typical Haiku 5.5 call: 1200 in, 150 out', () => {
    expect(estimateCost(usage(1200, 150), 'claude-haiku-5-5').usd).toBeCloseTo((1200 * 0.1 + 150 * 0.5) / M, 15);
  });

  it('halves everything on the batch API', () => {
    const full = estimateCost(usage(50_000, 8_000, 20_000, 4_000), 'claude-opus-5-5');
    const batch = estimateCost(usage(50_000, 8_000, 20_000, 4_000), 'claude-opus-5-5', { batch: true });
    expect(full.usd).toBeCloseTo((50_000 * 4 + 8_000 * 20 + 20_000 * 0.2 + 4_000 * 5) / M, 12);
    expect(batch.usd).toBeCloseTo(full.usd / 2, 12);
    expect(batch.batch).toBe(true);
  });

  it('Haiku 5.5 prompts over 100,000 tokens (input + cache) pay the long-prompt rate on every token', () => {
    const short = estimateCost(usage(60_000, 1_000, 40_000, 0), 'claude-haiku-5-5');
    expect(short.longPrompt).toBe(false);
    expect(short.usd).toBeCloseTo((60_000 * 0.1 + 1_000 * 0.5 + 40_000 * 0.01) / M, 12);
    const long = estimateCost(usage(60_000, 1_000, 40_001, 0), 'claude-haiku-5-5');
    expect(long.longPrompt).toBe(true);
    expect(long.usd).toBeCloseTo((60_000 * 0.5 + 1_000 * 2.5 + 40_001 * 0.05) / M, 12);
  });

  it('decides the long-prompt tier per request when usage adds up several', () => {
    const two = estimateCost(usage(150_000, 2_000), 'claude-haiku-5-5', { requests: 2 });
    expect(two.longPrompt).toBe(false);
    expect(two.usd).toBeCloseTo((150_000 * 0.1 + 2_000 * 0.5) / M, 12);
  });

  it('prices an unknown model at the dearest rate and says so', () => {
    const c = estimateCost(usage(M, 0), 'my-local-model');
    expect(c.usd).toBe(10);
    expect(c.match).toBe('unknown');
    expect(formatCost(c)).toBe('≈ $10.00 (estimate, priced as unknown model)');
  });

  it('zero usage costs nothing', () => {
    expect(estimateCost(usage(0, 0), 'claude-haiku-5-5').usd).toBe(0);
  });

  it('formatCost always says estimate', () => {
    expect(formatCost(estimateCost(usage(1200, 150), 'claude-haiku-5-5'))).toBe('≈ $0.000195 (estimate)');
    expect(formatCost(estimateCost(usage(100_000, 10_000), 'claude-sonnet-5-5', { batch: true }))).toBe('≈ $0.1500 (estimate, batch price)');
    expect(PRICE_NOTE).toMatch(/estimate/);
  });
});

describe('token helpers', () => {
  it('addUsage adds field by field', () => {
    expect(addUsage(usage(1, 2, 3, 4), usage(10, 20, 30, 40))).toEqual(usage(11, 22, 33, 44));
  });

  it('tokenUsageOf reads the SDK usage (null as 0)', () => {
    expect(tokenUsageOf({ input_tokens: 1200, output_tokens: 150, cache_read_input_tokens: null, cache_creation_input_tokens: 30 })).toEqual(
      usage(1200, 150, 0, 30),
    );
  });
});

describe('estimateTokens', () => {
  it('counts one token per CJK character (conservative for Chinese)', () => {
    expect(estimateTokens('您好，请问有什么可以帮您？')).toBe(13);
    // Above the ~1 token per 1.5 characters rule of thumb.
    const text = '非常抱歉给您带来不便，我们马上为您处理退款。';
    expect(estimateTokens(text)).toBeGreaterThanOrEqual(Math.ceil(text.length / 1.5));
  });

  it('counts other text at one token per three characters, rounded up', () => {
    expect(estimateTokens('hello world!')).toBe(4);
    expect(estimateTokens('abcd')).toBe(2);
    expect(estimateTokens('')).toBe(0);
  });

  it('adds the two for mixed text', () => {
    // 6 CJK characters + "order 12345 " (12 others → 4).
    expect(estimateTokens('订单order 12345 已退款')).toBe(5 + 4);
  });

  it('estimateRequestTokens covers system, messages, tools and the output format', () => {
    const base = { messages: [{ role: 'user', content: '坐席：您好' }] };
    const withSystem = { ...base, system: 'You grade call-centre transcripts.' };
    expect(estimateRequestTokens(withSystem)).toBeGreaterThan(estimateRequestTokens(base));
    expect(estimateRequestTokens(base)).toBe(estimateTokens(JSON.stringify({ messages: base.messages })));
  });
});
