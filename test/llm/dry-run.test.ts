import { describe, expect, it } from 'vitest';
import { estimateRequestTokens } from '../../src/llm/cost.js';
import { buildRequest } from '../../src/llm/prompt.js';
import { dryRunCost, LlmRunner } from '../../src/llm/run.js';
import { renderTranscript } from '../../src/llm/transcript.js';
import type { LlmConfig } from '../../src/llm/types.js';
import type { Call } from '../../src/model/call.js';
import { prepareCall } from '../../src/normalise/call.js';

const CONFIG: LlmConfig = {
  model: 'claude-haiku-5-5',
  criteria: [
    { id: 'empathy', question: '客户抱怨时，坐席是否表达了理解和歉意？', max_score: 5, deduction: 10 },
    { id: 'solution', question: '坐席是否给出了明确的解决方案和时限？', max_score: 3, deduction: 6 },
  ],
};

function call(n: number) {
  const c: Call = {
    id: `D-${n}`,
    source: 'd.json',
    agent: {},
    hangupBy: 'customer',
    roleSource: 'given',
    utterances: [
      { speaker: 'agent', start: 0, end: 8, text: '您好，这里是星辰通信，我是王芳，很高兴为您服务。' },
      { speaker: 'customer', start: 8.5, end: 12, text: `我的宽带又断了，第${n}次了。` },
    ],
  };
  return prepareCall(c);
}

describe('dryRunCost: the summed estimate, priced once', () => {
  // Haiku 5.5: $0.10 per million input tokens, $0.50 per million output tokens (batch: half).
  it.each([
    ['claude-haiku-5-5', 60_000, 20_480, false, '≈ $0.0162 (estimate)'],
    ['claude-haiku-5-5', 2_000_000, 400_000, false, '≈ $0.4000 (estimate)'],
    ['claude-haiku-5-5', 2_000_000, 400_000, true, '≈ $0.2000 (estimate, batch price)'],
    // Sonnet 5.5: $2 in, $10 out → 0.12 + 0.2048.
    ['claude-sonnet-5-5', 60_000, 20_480, false, '≈ $0.3248 (estimate)'],
    ['claude-opus-4', 1_000_000, 100_000, false, '≈ $22.50 (estimate)'],
  ])('%s, %i in and %i out over 20 calls (batch %s): %s', (model, input, output, batch, expected) => {
    expect(dryRunCost({ toGrade: 20, inputTokens: input, outputTokens: output }, model, { batch, samples: 1 })).toBe(expected);
  });
});

describe('LlmRunner --llm-dry-run', () => {
  it.each([1, 20])('prices the estimates of all %i calls, not those counted before flush', async (n) => {
    const runner = await LlmRunner.create(
      CONFIG,
      { samples: 1, sendPii: false, concurrency: 4, timeoutSeconds: 5, cache: false, batch: false, dryRun: true },
      undefined,
    );
    const calls = Array.from({ length: n }, (_, i) => call(i + 1));
    // As callqa score does: gradings in flight, then flush, then the outcomes.
    const outcomes = calls.map((c) => runner.grade(c));
    await runner.flush();
    expect((await Promise.all(outcomes)).map((o) => o.status)).toEqual(calls.map(() => 'skipped'));
    const perCall = calls.map((c) => estimateRequestTokens(buildRequest(CONFIG, renderTranscript(c, { sendPii: false }), 'structured')));
    const input = perCall.reduce((a, b) => a + b, 0);
    // Two criteria: max_tokens 2048, half of it the estimate of each answer.
    const output = 1024 * n;
    const dry = runner.totals.dryRun;
    expect(dry).toMatchObject({ toGrade: n, cached: 0, inputTokens: input, outputTokens: output });
    const usd = (input * 0.1 + output * 0.5) / 1_000_000;
    expect(usd).toBeGreaterThan(0);
    expect(dry?.cost).toBe(`≈ $${usd.toFixed(usd >= 0.01 ? 4 : 6)} (estimate)`);
    expect(dry?.cost).not.toBe('≈ $0.000000 (estimate)');
  });
});
