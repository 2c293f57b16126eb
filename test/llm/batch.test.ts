import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BatchItem, type BatchProgress, batchCustomId, defaultBatchStateFile, runBatch } from '../../src/llm/batch.js';
import { LlmCache } from '../../src/llm/cache.js';
import { batchBackend, errorBody, type MockHandler, type MockServer, messageBody, startMockAnthropic } from '../helpers/mock-anthropic.js';

const API_KEY = 'sk-test-batch-0123456789abcdef';

const cache = new LlmCache({ dir: '/unused' });
function item(n: number): BatchItem {
  const transcript = `坐席：您好，工单${n}\n客户：我要退款`;
  const key = cache.key({ model: 'claude-haiku-5-5', promptVersion: 'v1', criteria: [], transcript });
  const params: MessageCreateParamsNonStreaming = { model: 'claude-haiku-5-5', max_tokens: 1024, messages: [{ role: 'user', content: transcript }] };
  return { customId: batchCustomId(key), params };
}

/** The mock answers each request with the call number it read from the transcript. */
function answerWithCallNumber(params: { messages: { content: string }[] }): Record<string, unknown> {
  const content = params.messages[0]?.content ?? '';
  const n = /工单(\d+)/.exec(content)?.[1];
  return { type: 'succeeded', message: messageBody({ text: `{"call":${n}}` }) };
}

const noFallback: MockHandler = () => ({ status: 404, body: errorBody('not_found_error', 'not here') });

let dir: string;
let server: MockServer | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callqa-batch-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function start(handler: MockHandler): Promise<{ client: Anthropic; server: MockServer }> {
  server = await startMockAnthropic(handler);
  return { client: new Anthropic({ apiKey: API_KEY, baseURL: server.url, maxRetries: 0 }), server };
}

const creates = (s: MockServer) => s.requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages/batches');
const textOf = (r: unknown) => (r as { message: { content: { text: string }[] } }).message.content[0]?.text ?? '';

describe('batchCustomId', () => {
  it('uses a sha256 cache key as is and hashes anything else to a valid id', () => {
    const key = cache.key({ model: 'm', promptVersion: 'v1', criteria: [], transcript: 't' });
    expect(batchCustomId(key)).toBe(key);
    const id = batchCustomId('call/2026-11-23/录音 01.wav');
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(batchCustomId('call/2026-11-23/录音 01.wav')).toBe(id);
  });
});

describe('runBatch', () => {
  it('creates one batch, polls until it ends, returns every result by custom_id and removes the state file', async () => {
    const { client, server } = await start(batchBackend(answerWithCallNumber, noFallback, 2));
    const items = [1, 2, 3, 4].map(item);
    const stateFile = defaultBatchStateFile(dir);
    const progress: BatchProgress[] = [];
    const results = await runBatch(client, items, { stateFile, pollIntervalMs: 5, onProgress: (c) => progress.push(c) });

    expect(creates(server)).toHaveLength(1);
    const sent = creates(server)[0]?.body.requests;
    expect(sent.map((r: { custom_id: string }) => r.custom_id)).toEqual(items.map((i) => i.customId));
    expect(sent[0].params).toEqual(items[0]?.params);
    expect(sent[0].params).not.toHaveProperty('temperature');

    expect([...results.keys()].sort()).toEqual(items.map((i) => i.customId).sort());
    items.forEach((it, i) => {
      const r = results.get(it.customId);
      expect(r?.type).toBe('succeeded');
      expect(textOf(r)).toBe(`{"call":${i + 1}}`);
    });

    // create → in_progress; poll 1, 2 → in_progress; poll 3 → ended.
    expect(progress.map((p) => p.ended)).toEqual([0, 0, 0, 1]);
    expect(progress[0]).toMatchObject({ total: 4, batches: 1, processing: 4, succeeded: 0, resumed: false });
    expect(progress.at(-1)).toMatchObject({ processing: 0, succeeded: 4 });

    await expect(readFile(stateFile)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(server.requests.every((r) => r.headers.authorization === `Bearer ${API_KEY}`)).toBe(true);
  });

  it('matches results that arrive in reverse order to their own requests', async () => {
    // batchBackend sends the results reversed; each answer names its custom_id.
    const { client, server } = await start(
      batchBackend((_params, customId) => ({ type: 'succeeded', message: messageBody({ text: customId }) }), noFallback, 0),
    );
    const items = Array.from({ length: 7 }, (_, i) => item(i));
    const results = await runBatch(client, items, { stateFile: join(dir, 'state.json'), pollIntervalMs: 1 });
    const resultsRequest = server.requests.find((r) => r.path.endsWith('/results'));
    expect(resultsRequest).toBeDefined();
    for (const it of items) expect(textOf(results.get(it.customId))).toBe(it.customId);
  });

  it('reports an errored item with its error and the rest as succeeded', async () => {
    const bad = item(2).customId;
    const { client } = await start(
      batchBackend(
        (params, customId) =>
          customId === bad
            ? { type: 'errored', error: { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: too large' }, request_id: null } }
            : answerWithCallNumber(params),
        noFallback,
        0,
      ),
    );
    const items = [1, 2, 3].map(item);
    const results = await runBatch(client, items, { stateFile: join(dir, 'state.json'), pollIntervalMs: 1 });
    expect(results.get(bad)).toEqual({ type: 'errored', error: 'invalid_request_error: max_tokens: too large' });
    expect(results.get(item(1).customId)?.type).toBe('succeeded');
    expect(textOf(results.get(item(3).customId))).toBe('{"call":3}');
  });

  it('reports expired and canceled items, and an item with no result line as errored', async () => {
    const [a, b, c, d] = [1, 2, 3, 4].map(item) as [BatchItem, BatchItem, BatchItem, BatchItem];
    const backend = batchBackend(
      (params, customId) => (customId === b.customId ? { type: 'expired' } : customId === c.customId ? { type: 'canceled' } : answerWithCallNumber(params)),
      noFallback,
      0,
    );
    // Drop d's line from the results file.
    const handler: MockHandler = async (req, s) => {
      const reply = await backend(req, s);
      if (req.path.endsWith('/results') && typeof reply.body === 'string') {
        reply.body = reply.body
          .split('\n')
          .filter((l) => !l.includes(d.customId))
          .join('\n');
      }
      return reply;
    };
    const { client } = await start(handler);
    const results = await runBatch(client, [a, b, c, d], { stateFile: join(dir, 'state.json'), pollIntervalMs: 1 });
    expect(results.get(a.customId)?.type).toBe('succeeded');
    expect(results.get(b.customId)?.type).toBe('expired');
    expect(results.get(c.customId)?.type).toBe('canceled');
    expect(results.get(d.customId)).toEqual({ type: 'errored', error: 'the batch returned no result for this request' });
  });

  it('resumes the batch named in the state file after an interrupted run: no second create', async () => {
    const { client, server } = await start(batchBackend(answerWithCallNumber, noFallback, 3));
    const items = [1, 2, 3].map(item);
    const stateFile = defaultBatchStateFile(dir);

    // First run: interrupted (Ctrl-C) after the first progress report.
    const controller = new AbortController();
    await expect(
      runBatch(client, items, { stateFile, pollIntervalMs: 10_000, signal: controller.signal, onProgress: () => controller.abort() }),
    ).rejects.toThrow();
    expect(creates(server)).toHaveLength(1);
    const state = JSON.parse(await readFile(stateFile, 'utf8'));
    expect(state.batches).toEqual([{ id: 'msgbatch_1', customIds: items.map((i) => i.customId) }]);
    expect(JSON.stringify(state)).not.toContain(API_KEY);

    // Second run, items in another order: picks up msgbatch_1.
    const progress: BatchProgress[] = [];
    const results = await runBatch(client, [...items].reverse(), { stateFile, pollIntervalMs: 1, onProgress: (c) => progress.push(c) });
    expect(creates(server)).toHaveLength(1);
    // Resume retrieve (poll 1), then polls 2, 3 in progress and poll 4 ended.
    expect(progress.map((p) => [p.resumed, p.ended])).toEqual([
      [true, 0],
      [true, 0],
      [true, 0],
      [true, 1],
    ]);
    expect(textOf(results.get(items[1]?.customId ?? ''))).toBe('{"call":2}');
    await expect(readFile(stateFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('resumes a batch that ended while no run was waiting: no create, results fetched', async () => {
    const { client, server } = await start(batchBackend(answerWithCallNumber, noFallback, 0));
    const items = [5, 6].map(item);
    const stateFile = join(dir, 'state.json');
    const first = await runBatchCreateOnly(client, items, stateFile);
    expect(creates(server)).toHaveLength(1);
    const progress: BatchProgress[] = [];
    const results = await runBatch(client, items, { stateFile, pollIntervalMs: 60_000, onProgress: (c) => progress.push(c) });
    expect(creates(server)).toHaveLength(1);
    // One retrieve on resume found it ended: no wait, one progress report.
    expect(progress).toEqual([{ processing: 0, succeeded: 2, errored: 0, canceled: 0, expired: 0, total: 2, batches: 1, ended: 1, resumed: true }]);
    expect(server.requests.some((r) => r.path === `/v1/messages/batches/${first}/results`)).toBe(true);
    expect(textOf(results.get(items[0]?.customId ?? ''))).toBe('{"call":5}');
  });

  it('starts a new batch, with a warning naming the old one, when the state file is for other requests', async () => {
    const { client, server } = await start(batchBackend(answerWithCallNumber, noFallback, 0));
    const stateFile = join(dir, 'state.json');
    await runBatchCreateOnly(client, [item(1), item(2)], stateFile);
    const warnings: string[] = [];
    const results = await runBatch(client, [item(1), item(3)], { stateFile, pollIntervalMs: 1, onWarning: (m) => warnings.push(m) });
    expect(creates(server)).toHaveLength(2);
    expect(creates(server)[1]?.body.requests.map((r: { custom_id: string }) => r.custom_id)).toEqual([item(1).customId, item(3).customId]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('msgbatch_1');
    expect(textOf(results.get(item(3).customId))).toBe('{"call":3}');
  });

  it('creates again the requests of a recorded batch the API no longer knows', async () => {
    const { client, server } = await start(batchBackend(answerWithCallNumber, noFallback, 0));
    const items = [1, 2].map(item);
    const stateFile = join(dir, 'state.json');
    await runBatchCreateOnly(client, items, stateFile);
    const state = JSON.parse(await readFile(stateFile, 'utf8'));
    state.batches[0].id = 'msgbatch_gone';
    await writeFile(stateFile, JSON.stringify(state));
    const warnings: string[] = [];
    const results = await runBatch(client, items, { stateFile, pollIntervalMs: 1, onWarning: (m) => warnings.push(m) });
    expect(creates(server)).toHaveLength(2);
    expect(warnings[0]).toContain('msgbatch_gone');
    expect(results.get(items[0]?.customId ?? '')?.type).toBe('succeeded');
  });

  it('splits a run over the per-batch limit into several batches and resumes only the missing ones', async () => {
    let failSecondCreate = true;
    const backend = batchBackend(answerWithCallNumber, noFallback, 0);
    const handler: MockHandler = (req, s) => {
      if (req.method === 'POST' && req.path === '/v1/messages/batches' && creates(s).length === 2 && failSecondCreate) {
        failSecondCreate = false;
        return { status: 400, body: errorBody('invalid_request_error', 'simulated failure') };
      }
      return backend(req, s);
    };
    const { client, server } = await start(handler);
    const items = [1, 2, 3, 4, 5].map(item);
    const stateFile = join(dir, 'state.json');
    const options = { stateFile, pollIntervalMs: 1, maxRequestsPerBatch: 2 };
    await expect(runBatch(client, items, options)).rejects.toThrow(/simulated failure/);
    // The first batch was recorded before the second create failed.
    expect(JSON.parse(await readFile(stateFile, 'utf8')).batches).toEqual([{ id: 'msgbatch_1', customIds: [items[0]?.customId, items[1]?.customId] }]);

    const progress: BatchProgress[] = [];
    const results = await runBatch(client, items, { ...options, onProgress: (c) => progress.push(c) });
    const sizes = creates(server).map((r) => r.body.requests.length);
    expect(sizes).toEqual([2, 2, 2, 1]); // first run: 2, then the failed 2; second run: the missing 2 + 1
    expect(progress.at(-1)).toMatchObject({ batches: 3, ended: 3, succeeded: 5, total: 5 });
    for (const [i, it] of items.entries()) expect(textOf(results.get(it.customId))).toBe(`{"call":${i + 1}}`);
  });

  it('rejects invalid or duplicate custom_ids before sending anything', async () => {
    const { client, server } = await start(batchBackend(answerWithCallNumber, noFallback, 0));
    const stateFile = join(dir, 'state.json');
    const bad = { ...item(1), customId: 'call 1/录音' };
    await expect(runBatch(client, [bad], { stateFile, pollIntervalMs: 1 })).rejects.toThrow(/invalid batch custom_id/);
    await expect(runBatch(client, [{ ...item(1), customId: 'x'.repeat(65) }], { stateFile, pollIntervalMs: 1 })).rejects.toThrow(/invalid batch custom_id/);
    await expect(runBatch(client, [item(1), item(1)], { stateFile, pollIntervalMs: 1 })).rejects.toThrow(/duplicate batch custom_id/);
    expect(server.requests).toHaveLength(0);
    expect(await readdir(dir)).toEqual([]);
  });

  it('with no items sends nothing', async () => {
    const { client, server } = await start(batchBackend(answerWithCallNumber, noFallback, 0));
    expect((await runBatch(client, [], { stateFile: join(dir, 's.json'), pollIntervalMs: 1 })).size).toBe(0);
    expect(server.requests).toHaveLength(0);
  });

  it('throws API errors without the API key and leaves no state file when nothing was created', async () => {
    const { client } = await start(() => ({ status: 401, body: errorBody('authentication_error', 'invalid x-api-key') }));
    const stateFile = join(dir, 'state.json');
    const err = await runBatch(client, [item(1)], { stateFile, pollIntervalMs: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(String((err as Error).message)).toContain('invalid x-api-key');
    expect(String((err as Error).message)).not.toContain(API_KEY);
    expect(await readdir(dir)).toEqual([]);
  });
});

/** Creates the batch the way an interrupted run would have, leaving the state file behind. */
async function runBatchCreateOnly(client: Anthropic, items: BatchItem[], stateFile: string): Promise<string> {
  const controller = new AbortController();
  await runBatch(client, items, { stateFile, pollIntervalMs: 60_000, signal: controller.signal, onProgress: () => controller.abort() }).catch(() => {});
  return JSON.parse(await readFile(stateFile, 'utf8')).batches[0].id;
}
