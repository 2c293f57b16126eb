import { copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fits, scoreInParallel } from '../../src/pipeline/pool.js';
import { BASE_LIMITS, PART_BYTES, startWorkersEarly, WorkerSet, workerJobs } from '../../src/pipeline/workers.js';
import { loadRubric } from '../../src/rubric/load.js';
import { ROOT, readCsv, runCli, tempDir } from '../helpers/cli.js';

const FIXTURE = join(ROOT, 'fixtures', 'calls', 'c1001-broadband-outage.json');

/** Resolves once every worker of the set has exited. */
const exited = (set: WorkerSet) => Promise.all(set.workers.map((w) => new Promise((resolve) => w.once('exit', resolve))));

describe('workers started before the run knows what it scores', () => {
  it('start for a folder, several paths or one big file, one for one job or one small file, and none for the model, standard input or a missing path', async () => {
    const dir = await tempDir();
    const big = join(dir, 'big.jsonl');
    await writeFile(big, Buffer.alloc(2 * PART_BYTES + 1, 0x20));
    // 65 small files are more than one batch (64 at most): as many workers as the jobs.
    const many = Array.from({ length: 65 }, () => FIXTURE);
    const started = [startWorkersEarly([dir], { jobs: 2 }), startWorkersEarly(many, { jobs: 3 }), startWorkersEarly([big], { jobs: 2 })];
    try {
      expect(started.map((s) => s?.workers.length)).toEqual([2, 3, 2]);
      expect(started.every((s) => s?.limits === BASE_LIMITS)).toBe(true);
    } finally {
      await Promise.all(started.map((s) => s?.close()));
    }
    // One job, or one small file: one worker (so that --input-timeout can stop it), not the main thread.
    // …and a few small files, one batch: a second worker would have nothing to do (here or in a folder), with
    // or without a time budget (several inputs are scored on a worker, each in a heap of its own).
    const small = join(dir, 'small');
    await mkdir(join(small, 'sub'), { recursive: true });
    await copyFile(FIXTURE, join(small, 'a.json'));
    await copyFile(FIXTURE, join(small, 'sub', 'b.json'));
    // A link to nothing beside them is small too (read alone, and quickly listed).
    await symlink(join(dir, 'nowhere.json'), join(small, 'dangling.json'));
    const one = [
      startWorkersEarly([dir], { jobs: 1 }),
      startWorkersEarly([FIXTURE], { jobs: 2 }),
      startWorkersEarly([FIXTURE, FIXTURE], { jobs: 3 }),
      startWorkersEarly([small], { jobs: 2 }),
      startWorkersEarly([small], { jobs: 2, inputTimeout: 0 }),
    ];
    try {
      expect(one.map((s) => s?.workers.length)).toEqual([1, 1, 1, 1, 1]);
    } finally {
      await Promise.all(one.map((s) => s?.close()));
    }
    expect(startWorkersEarly([dir], { jobs: 2, llm: true })).toBeUndefined();
    // With no time budget to enforce, one job or one small file is the main thread's, as it costs less.
    expect(startWorkersEarly([dir], { jobs: 1, inputTimeout: 0 })).toBeUndefined();
    expect(startWorkersEarly([FIXTURE], { jobs: 2, inputTimeout: 0 })).toBeUndefined();
    expect(workerJobs([dir], { jobs: 1, inputTimeout: 0 })).toBeUndefined();
    expect(workerJobs([dir], { jobs: 2, inputTimeout: 0 })).toBe(2);
    expect(startWorkersEarly(['-', dir], { jobs: 2 })).toBeUndefined();
    expect(startWorkersEarly([join(dir, 'missing.json')], { jobs: 2 })).toBeUndefined();
    // A folder holding only a link to itself is looked at once, and a tree of many empty folders is cut short.
    const loop = join(dir, 'loop');
    await mkdir(loop);
    await symlink('.', join(loop, 'again'));
    expect(startWorkersEarly([loop], { jobs: 2 })).toBeUndefined();
    const wide = join(dir, 'wide');
    for (let k = 0; k < 1001; k++) await mkdir(join(wide, `d${k}`), { recursive: true });
    const manyFolders = startWorkersEarly([wide], { jobs: 2 });
    try {
      expect(manyFolders?.workers.length).toBe(2);
    } finally {
      await manyFolders?.close();
    }
    // A path under a file is no input either (ENOTDIR, not ENOENT): the run refuses it, and says why.
    expect(startWorkersEarly([join(FIXTURE, 'x.json')], { jobs: 2 })).toBeUndefined();
    // What the run itself asks before it decides (with the inputs it found).
    expect([workerJobs([dir], { jobs: 3 }), workerJobs([dir], { jobs: 1 }), workerJobs([dir], { jobs: 2, llm: true }), workerJobs(['-'], { jobs: 2 })]).toEqual(
      [3, 1, undefined, undefined],
    );
  });

  it('are used when at least as many and as big as the run needs, and closed and replaced when not', () => {
    const set = { jobs: 2, limits: BASE_LIMITS } as WorkerSet;
    expect(fits(set, 2, BASE_LIMITS)).toBe(true);
    expect(fits(set, 3, BASE_LIMITS)).toBe(false);
    // More than the run wants: started already, so used all the same.
    expect(fits(set, 1, BASE_LIMITS)).toBe(true);
    expect(fits(set, 2, { ...BASE_LIMITS, maxOldGenerationSizeMb: BASE_LIMITS.maxOldGenerationSizeMb + 1 })).toBe(false);
    expect(fits(set, 2, { ...BASE_LIMITS, maxYoungGenerationSizeMb: BASE_LIMITS.maxYoungGenerationSizeMb + 8 })).toBe(false);
  });

  it('score the run when they fit; when they do not, they are closed and others score it, to the same calls', async () => {
    const rubric = await loadRubric(undefined);
    const init = { rubricPath: rubric.path, ingest: {}, roles: {} };
    const items = [FIXTURE, join(ROOT, 'fixtures', 'calls', 'c3001-refund-slow.txt')].map((path) => ({ kind: 'file' as const, path }));
    const callsOf = async (set: WorkerSet) => {
      const calls: string[] = [];
      for await (const chunk of scoreInParallel(items, init, 2, set)) for (const e of chunk.entries) if (e.call) calls.push(e.call.callId);
      return calls;
    };
    const fitting = new WorkerSet(2, BASE_LIMITS);
    let messages = 0;
    for (const w of fitting.workers) w.on('message', () => messages++);
    const done = exited(fitting);
    const calls = await callsOf(fitting);
    await done;
    expect(messages).toBeGreaterThan(0);
    expect(calls).toHaveLength(2);

    // Too small an old generation for what the run needs (BASE_LIMITS at the least): not used, closed at once.
    const small = new WorkerSet(2, { ...BASE_LIMITS, maxOldGenerationSizeMb: 64 });
    let smallMessages = 0;
    for (const w of small.workers) w.on('message', () => smallMessages++);
    const smallDone = exited(small);
    expect(await callsOf(small)).toEqual(calls);
    await smallDone;
    expect(smallMessages).toBe(0);
  }, 60_000);

  it('are closed when the run finds it has one small input after all, and the run ends as usual', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'in'));
    await copyFile(FIXTURE, join(dir, 'in', 'one.json'));
    const run = await runCli(['score', join(dir, 'in'), '--out', join(dir, 'out'), '--jobs', '2', '-q']);
    expect(run.code).toBe(0);
    expect(await readCsv(join(dir, 'out', 'calls.csv'))).toHaveLength(1);
  }, 60_000);
});

describe('big inputs, one at a time', () => {
  it('sends a big input (4 MB or more) only when no other is under way, to the worker that scored the last one (the inputs after it wait their turn)', async () => {
    const dir = await tempDir();
    const text = '您好，请问有什么可以帮您？'.repeat(40);
    const big = (id: string) =>
      `${JSON.stringify({
        call_id: id,
        agent: { id: 'A1' },
        segments: Array.from({ length: 3_000 }, (_, i) => ({ speaker: i % 2 ? 'customer' : 'agent', start: i * 10, end: i * 10 + 5, text })),
      })}\n`;
    const paths: string[] = [];
    for (const [name, body] of [
      ['a-big.jsonl', big('BIG-1')],
      ['b-big.jsonl', big('BIG-2')],
    ] as const) {
      await writeFile(join(dir, name), body);
      paths.push(join(dir, name));
    }
    for (const name of ['c.json', 'd.json', 'e.json']) {
      await copyFile(FIXTURE, join(dir, name));
      paths.push(join(dir, name));
    }
    const rubric = await loadRubric(undefined);
    const init = { rubricPath: rubric.path, ingest: {}, roles: {} };
    const events: string[] = [];
    const bigSlots: number[] = [];
    let bigUnderWay = 0;
    let most = 0;
    const calls: string[] = [];
    const items = paths.map((path) => ({ kind: 'file' as const, path }));
    const trace = (event: 'sent' | 'done', task: { id: number; slot: number; big: boolean }) => {
      events.push(`${event} ${task.id}${task.big ? ' big' : ''}`);
      if (!task.big) return;
      if (event === 'sent') {
        bigSlots.push(task.slot);
        most = Math.max(most, ++bigUnderWay);
      } else bigUnderWay--;
    };
    for await (const chunk of scoreInParallel(items, init, 2, undefined, { trace })) for (const e of chunk.entries) if (e.call) calls.push(e.call.callId);
    expect(calls).toEqual(['BIG-1', 'BIG-2', 'C-1001', 'C-1001', 'C-1001']);
    // The first big input goes out; the second waits until it is done, and goes to the same worker.
    expect(events.slice(0, 2)).toEqual(['sent 0 big', 'done 0 big']);
    expect(events).toContain('sent 1 big');
    expect(most).toBe(1);
    expect(bigSlots).toHaveLength(2);
    expect(bigSlots[1]).toBe(bigSlots[0]);
  }, 60_000);
});
