import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small HTTP server on 127.0.0.1 that speaks enough of the Anthropic Messages API for the real
 * SDK to be pointed at it (`baseURL` / ANTHROPIC_BASE_URL): POST /v1/messages, and the Message
 * Batches endpoints (create, retrieve, a JSONL results URL). Tests script the replies.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

export interface MockReply {
  status?: number;
  headers?: Record<string, string>;
  /** JSON body, or a string sent as is (JSONL results). */
  body: unknown;
}

export type MockHandler = (req: RecordedRequest, server: MockServer) => MockReply | Promise<MockReply>;

export interface MockServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startMockAnthropic(handler: MockHandler): Promise<MockServer> {
  const requests: RecordedRequest[] = [];
  const server: MockServer = { url: '', requests, close: async () => {} };
  const http = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: raw ? JSON.parse(raw) : undefined };
    requests.push(recorded);
    let reply: MockReply;
    try {
      reply = await handler(recorded, server);
    } catch (err) {
      reply = { status: 500, body: { type: 'error', error: { type: 'api_error', message: (err as Error).message } } };
    }
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    res.writeHead(reply.status ?? 200, { 'content-type': typeof reply.body === 'string' ? 'application/x-jsonl' : 'application/json', ...reply.headers });
    res.end(text);
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  server.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  server.close = () =>
    new Promise((resolve) => {
      http.closeAllConnections();
      http.close(() => resolve());
    });
  return server;
}

export interface MessageReplyOptions {
  /** A text block (structured output puts the JSON here). */
  text?: string;
  /** A tool_use block's input (the tool-call fallback). */
  toolInput?: unknown;
  toolName?: string;
  stopReason?: 'end_turn' | 'tool_use' | 'max_tokens' | 'refusal';
  model?: string;
  usage?: Partial<{ input_tokens: number; output_tokens: number; cache_read_input_tokens: number; cache_creation_input_tokens: number }>;
}

/** A Messages API response body. */
export function messageBody(o: MessageReplyOptions): Record<string, unknown> {
  const content: unknown[] = [];
  if (o.text !== undefined) content.push({ type: 'text', text: o.text });
  if (o.toolInput !== undefined) content.push({ type: 'tool_use', id: 'toolu_01', name: o.toolName ?? 'record_grades', input: o.toolInput });
  return {
    id: `msg_${Math.random().toString(36).slice(2, 10)}`,
    type: 'message',
    role: 'assistant',
    model: o.model ?? 'claude-haiku-5-5',
    content,
    stop_reason: o.stopReason ?? (o.toolInput !== undefined ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    usage: { input_tokens: 1200, output_tokens: 150, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, ...o.usage },
  };
}

/** An API error body, as the SDK expects it (`invalid_request_error`, `rate_limit_error`, `overloaded_error`…). */
export function errorBody(type: string, message: string): Record<string, unknown> {
  return { type: 'error', error: { type, message } };
}

/**
 * The Message Batches endpoints over an in-memory store: `answer(params, customId)` gives each
 * request's result ({ type: 'succeeded', message } | { type: 'errored', error } | { type: 'expired' }).
 * Batches end after `pollsBeforeEnd` retrieves. Other paths go to `fallback`.
 */
export function batchBackend(answer: (params: any, customId: string) => Record<string, unknown>, fallback: MockHandler, pollsBeforeEnd = 1): MockHandler {
  const batches = new Map<string, { requests: { custom_id: string; params: any }[]; polls: number }>();
  let next = 1;
  return (req, server) => {
    const m = /^\/v1\/messages\/batches(?:\/([^/?]+))?(\/results)?/.exec(req.path);
    if (!m) return fallback(req, server);
    const [, id, results] = m;
    if (req.method === 'POST' && !id) {
      const batchId = `msgbatch_${next++}`;
      batches.set(batchId, { requests: req.body.requests, polls: 0 });
      return { body: batchObject(batchId, 'in_progress', null, req.body.requests.length) };
    }
    const batch = id ? batches.get(id) : undefined;
    if (!batch || !id) return { status: 404, body: errorBody('not_found_error', `no batch ${id}`) };
    if (results) {
      const lines = batch.requests.map((r) => JSON.stringify({ custom_id: r.custom_id, result: answer(r.params, r.custom_id) }));
      // Results arrive in any order: reverse them to prove nothing relies on it.
      return { body: `${lines.reverse().join('\n')}\n` };
    }
    batch.polls++;
    const ended = batch.polls > pollsBeforeEnd;
    return { body: batchObject(id, ended ? 'ended' : 'in_progress', ended ? `${server.url}/v1/messages/batches/${id}/results` : null, batch.requests.length) };
  };
}

function batchObject(id: string, status: 'in_progress' | 'ended', resultsUrl: string | null, n: number): Record<string, unknown> {
  return {
    id,
    type: 'message_batch',
    processing_status: status,
    request_counts: { processing: status === 'ended' ? 0 : n, succeeded: status === 'ended' ? n : 0, errored: 0, canceled: 0, expired: 0 },
    created_at: '2026-11-23T00:00:00Z',
    ended_at: status === 'ended' ? '2026-11-23T00:05:00Z' : null,
    expires_at: '2026-11-24T00:00:00Z',
    archived_at: null,
    cancel_initiated_at: null,
    results_url: resultsUrl,
  };
}
