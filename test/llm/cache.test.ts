import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson, LlmCache } from '../../src/llm/cache.js';
import type { LlmCriterion, LlmOutcome } from '../../src/llm/types.js';

const criteria: LlmCriterion[] = [
  { id: 'empathy', question: '坐席是否安抚了客户情绪？', max_score: 5, deduction: 10, guide: { '0': '没有安抚', '5': '充分安抚' } },
  { id: 'solution', question: '是否给出了解决方案？', max_score: 3, deduction: 6 },
];
const parts = { model: 'claude-haiku-5-5', promptVersion: 'v1', criteria, transcript: '坐席：您好，请问有什么可以帮您？\n客户：我的快递丢了。' };

function ok(score = 4): LlmOutcome {
  return {
    status: 'ok',
    model: 'claude-haiku-5-5',
    grades: [{ id: 'empathy', score, evidence: ['非常抱歉给您带来不便'], reason: '有道歉', unverified: false, deduction: 2 }],
    usage: { input: 1200, output: 150, cacheRead: 0, cacheCreation: 0 },
    requests: 1,
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callqa-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(relative(root, join(e.parentPath, e.name)));
  }
  return out.sort();
}

describe('LlmCache.key', () => {
  const cache = new LlmCache({ dir: '/nonexistent' });

  it('is the sha256 hex of the canonical JSON, independent of property order', () => {
    const k = cache.key(parts);
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    const reordered = {
      transcript: parts.transcript,
      criteria: criteria.map((c) => Object.fromEntries(Object.entries(c).reverse()) as unknown as LlmCriterion),
      promptVersion: 'v1',
      model: 'claude-haiku-5-5',
    };
    expect(cache.key(reordered)).toBe(k);
  });

  it.each([
    ['the model', { ...parts, model: 'claude-sonnet-5-5' }],
    ['the prompt version', { ...parts, promptVersion: 'v2' }],
    ['the transcript', { ...parts, transcript: `${parts.transcript}。` }],
    ['a criterion question', { ...parts, criteria: [{ ...criteria[0], question: '坐席是否安抚了客户？' } as LlmCriterion, criteria[1] as LlmCriterion] }],
    ['the criteria order', { ...parts, criteria: [...criteria].reverse() }],
    ['a guide anchor', { ...parts, criteria: [{ ...criteria[0], guide: { '0': '没有安抚' } } as LlmCriterion, criteria[1] as LlmCriterion] }],
    ['extra', { ...parts, extra: { mode: 'tool' } }],
  ])('changes with %s', (_name, changed) => {
    expect(cache.key(changed)).not.toBe(cache.key(parts));
  });

  it('canonicalJson sorts keys at every level and drops undefined properties', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"e":2,"f":1}]},"b":1}');
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/finite/);
  });

  it('pathFor fans out by the first two byte pairs and rejects anything but a key', () => {
    const k = cache.key(parts);
    expect(cache.pathFor(k)).toBe(join('/nonexistent', k.slice(0, 2), k.slice(2, 4), `${k}.json`));
    expect(() => cache.pathFor('../../etc/passwd')).toThrow(/not a cache key/);
  });
});

describe('LlmCache get / set', () => {
  it('misses, then hits with status cached, requests 0 and no usage', async () => {
    const cache = new LlmCache({ dir });
    const k = cache.key(parts);
    expect(await cache.get(k)).toBeUndefined();
    expect(await cache.set(k, ok())).toBe(true);
    const hit = await cache.get(k);
    expect(hit).toEqual({ status: 'cached', model: 'claude-haiku-5-5', grades: ok().grades, requests: 0 });
    // Another instance over the same directory (the next run) sees it too.
    expect((await new LlmCache({ dir }).get(k))?.grades?.[0]?.score).toBe(4);
  });

  it('writes one JSON file per key in a two-level fan-out and leaves no temporary file', async () => {
    const cache = new LlmCache({ dir });
    const k1 = cache.key(parts);
    const k2 = cache.key({ ...parts, promptVersion: 'v2' });
    await cache.set(k1, ok(4));
    await cache.set(k2, ok(2));
    expect(await listFiles(dir)).toEqual([join(k1.slice(0, 2), k1.slice(2, 4), `${k1}.json`), join(k2.slice(0, 2), k2.slice(2, 4), `${k2}.json`)].sort());
    const stored = JSON.parse(await readFile(cache.pathFor(k1), 'utf8'));
    expect(stored.key).toBe(k1);
    expect(stored.outcome.status).toBe('ok');
    expect(stored.outcome.usage).toEqual({ input: 1200, output: 150, cacheRead: 0, cacheCreation: 0 });
  });

  it.each(['error', 'skipped', 'n/a'] as const)('never stores an outcome with status %s', async (status) => {
    const cache = new LlmCache({ dir });
    const k = cache.key(parts);
    // Even with grades attached (a partial answer), only status ok is stored.
    const outcome: LlmOutcome = { status, grades: ok().grades, error: 'rate_limit_error: too many requests', requests: 3 };
    expect(await cache.set(k, outcome)).toBe(false);
    expect(await listFiles(dir)).toEqual([]);
    expect(await cache.get(k)).toBeUndefined();
  });

  it('stores a cached outcome again as ok', async () => {
    const cache = new LlmCache({ dir });
    const k = cache.key(parts);
    expect(await cache.set(k, { ...ok(), status: 'cached', requests: 0 })).toBe(true);
    expect(JSON.parse(await readFile(cache.pathFor(k), 'utf8')).outcome.status).toBe('ok');
  });

  it.each([
    ['bad JSON', '{"format":1,"key":'],
    ['an empty file', ''],
    ['a wrong shape', JSON.stringify({ format: 1, key: 'KEY', outcome: { status: 'ok', grades: [{ id: 'empathy', score: 'high' }], requests: 1 } })],
    ['an error outcome', JSON.stringify({ format: 1, key: 'KEY', outcome: { status: 'error', error: 'x', requests: 1 } })],
    ['another key', JSON.stringify({ format: 1, key: 'f'.repeat(64), outcome: ok() })],
    ['another format', JSON.stringify({ format: 99, key: 'KEY', outcome: ok() })],
  ])('treats a corrupt file (%s) as a miss and replaces it', async (_name, content) => {
    const warnings: string[] = [];
    const cache = new LlmCache({ dir, onWarning: (m) => warnings.push(m) });
    const k = cache.key(parts);
    const path = cache.pathFor(k);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content.replaceAll('KEY', k));
    expect(await cache.get(k)).toBeUndefined();
    expect(warnings).toEqual([`ignoring corrupt cache file ${path}`]);
    let computed = 0;
    const out = await cache.getOrCompute(k, async () => {
      computed++;
      return ok(3);
    });
    expect(computed).toBe(1);
    expect(out.status).toBe('ok');
    expect((await cache.get(k))?.grades?.[0]?.score).toBe(3);
  });
});

describe('LlmCache.getOrCompute', () => {
  it('computes on a miss, stores it, and serves the next call from disk', async () => {
    const cache = new LlmCache({ dir });
    const k = cache.key(parts);
    let computed = 0;
    const compute = async () => {
      computed++;
      return ok();
    };
    const first = await cache.getOrCompute(k, compute);
    expect(first).toEqual(ok());
    const second = await cache.getOrCompute(k, compute);
    expect(computed).toBe(1);
    expect(second.status).toBe('cached');
    expect(second.requests).toBe(0);
    expect(second.usage).toBeUndefined();
  });

  it('computes once for concurrent callers of one key; the others get a cached copy', async () => {
    const cache = new LlmCache({ dir });
    const k = cache.key(parts);
    let computed = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const compute = async () => {
      computed++;
      await gate;
      return ok();
    };
    const all = Promise.all(Array.from({ length: 8 }, () => cache.getOrCompute(k, compute)));
    await new Promise((r) => setTimeout(r, 20));
    release();
    const outs = await all;
    expect(computed).toBe(1);
    expect(outs.map((o) => o.status)).toEqual(['ok', ...Array(7).fill('cached')]);
    expect(outs.reduce((n, o) => n + o.requests, 0)).toBe(1);
    // Each caller has its own copy.
    expect(outs[1]).not.toBe(outs[2]);
  });

  it('computes different keys independently', async () => {
    const cache = new LlmCache({ dir });
    const keys = ['v1', 'v2', 'v3'].map((promptVersion) => cache.key({ ...parts, promptVersion }));
    const seen: string[] = [];
    await Promise.all(
      keys.map((k) =>
        cache.getOrCompute(k, async () => {
          seen.push(k);
          return ok();
        }),
      ),
    );
    expect(seen.sort()).toEqual([...keys].sort());
  });

  it('does not cache an error outcome: the next call computes again', async () => {
    const cache = new LlmCache({ dir });
    const k = cache.key(parts);
    let computed = 0;
    const failing = async (): Promise<LlmOutcome> => {
      computed++;
      return { status: 'error', error: 'overloaded_error: Overloaded', requests: 3 };
    };
    const [a, b] = await Promise.all([cache.getOrCompute(k, failing), cache.getOrCompute(k, failing)]);
    expect(computed).toBe(1);
    expect(a).toEqual({ status: 'error', error: 'overloaded_error: Overloaded', requests: 3 });
    expect(b).toEqual({ status: 'error', error: 'overloaded_error: Overloaded', requests: 0 });
    expect(await listFiles(dir)).toEqual([]);
    const again = await cache.getOrCompute(k, async () => {
      computed++;
      return ok();
    });
    expect(computed).toBe(2);
    expect(again.status).toBe('ok');
  });

  it('passes a thrown error to every waiter, caches nothing, and lets the key be computed again', async () => {
    const cache = new LlmCache({ dir });
    const k = cache.key(parts);
    const boom = async (): Promise<LlmOutcome> => {
      await new Promise((r) => setTimeout(r, 5));
      throw new Error('socket hang up');
    };
    const results = await Promise.allSettled([cache.getOrCompute(k, boom), cache.getOrCompute(k, boom)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await listFiles(dir)).toEqual([]);
    expect((await cache.getOrCompute(k, async () => ok())).status).toBe('ok');
  });
});

describe('a disabled cache (--no-llm-cache)', () => {
  it('never reads or writes', async () => {
    const enabled = new LlmCache({ dir });
    const k = enabled.key(parts);
    await enabled.set(k, ok(5));
    const before = await listFiles(dir);

    const disabled = new LlmCache({ dir, enabled: false });
    expect(disabled.enabled).toBe(false);
    expect(await disabled.get(k)).toBeUndefined();
    expect(await disabled.set(disabled.key({ ...parts, promptVersion: 'v9' }), ok())).toBe(false);
    let computed = 0;
    const out = await disabled.getOrCompute(k, async () => {
      computed++;
      return ok(1);
    });
    expect(computed).toBe(1);
    expect(out.grades?.[0]?.score).toBe(1);
    expect(await listFiles(dir)).toEqual(before);
    expect((await enabled.get(k))?.grades?.[0]?.score).toBe(5);
  });

  it('does not create its directory', async () => {
    const sub = join(dir, 'never');
    const disabled = new LlmCache({ dir: sub, enabled: false });
    const k = disabled.key(parts);
    await disabled.getOrCompute(k, async () => ok());
    expect(await readdir(dir)).toEqual([]);
  });
});
