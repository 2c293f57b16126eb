import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MetadataIndex } from '../../src/metadata/join.js';
import { scoreToChunks } from '../../src/pipeline/chunks.js';
import { PART_BYTES } from '../../src/pipeline/workers.js';
import type { WorkerChunk } from '../../src/pipeline/protocol.js';
import { reportLayout } from '../../src/render/tables.js';
import { loadRubric } from '../../src/rubric/load.js';
import { greetingMatchersOf } from '../../src/rules/greeting.js';
import { ROOT, readCsv, runCli, tempDir } from '../helpers/cli.js';

// These runs are about resilience, not language: their reasons are asserted in English (--lang en); test/ingest/messages.test.ts holds the reasons in Chinese.
describe('a worker that fails unexpectedly', () => {
  it('says which input was under way, after the chunks of the inputs before it', async () => {
    const rubric = await loadRubric(undefined);
    const calls = join(ROOT, 'fixtures', 'calls');
    const first = join(calls, 'c1001-broadband-outage.json');
    const second = join(calls, 'c3001-refund-slow.txt');
    let seen = 0;
    // A bug somewhere past reading (here: the call-record join) on the second input's call.
    const metadata = {
      apply: () => {
        if (++seen === 2) throw new Error('boom');
        return undefined;
      },
    } as unknown as MetadataIndex;
    const ctx = { rubric, roles: { greetingElements: greetingMatchersOf(rubric) }, ingest: {}, metadata };
    const chunks: WorkerChunk[] = [];
    await scoreToChunks(
      7,
      [
        { kind: 'file', path: first },
        { kind: 'file', path: second },
      ],
      ctx,
      reportLayout(rubric),
      { count: 0 },
      (chunk) => chunks.push(chunk),
    );
    expect(chunks).toHaveLength(1);
    const [chunk] = chunks as [WorkerChunk];
    expect(chunk.done).toBe(true);
    expect(chunk.entries.map((e) => e.call?.source)).toEqual([first]);
    expect(chunk.failure?.startsWith(`${second}: Error: boom`)).toBe(true);
  });
});

/** The fixtures, and one JSON Lines file of 250 calls (three chunks of results: chunks.ts). */
async function corpus(): Promise<{ dir: string; inputs: string }> {
  const dir = await tempDir();
  const inputs = join(dir, 'in');
  await mkdir(inputs);
  const fixtures = join(ROOT, 'fixtures', 'calls');
  for (const name of await readdir(fixtures)) await copyFile(join(fixtures, name), join(inputs, name));
  const [line] = (await readFile(join(fixtures, 'c2001-2003-yunfan-parcels.jsonl'), 'utf8')).split('\n');
  const call = JSON.parse(line as string) as { call_id: string };
  const lines = Array.from({ length: 250 }, (_, i) => JSON.stringify({ ...call, call_id: `M-${i}` }));
  await writeFile(join(inputs, 'many.jsonl'), `${lines.join('\n')}\n`);
  return { dir, inputs };
}

/** A report's files, for comparing runs (errors.csv: '' when there is none). */
async function reportFiles(out: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of ['calls.csv', 'findings.csv', 'agents.csv', 'results.jsonl', 'errors.csv'])
    files[name] = await readFile(join(out, name), 'utf8').catch(() => '');
  return files;
}

/** calls.csv rows, less the calls of `source`. */
const callIds = (rows: Record<string, string>[], without?: string) => rows.filter((r) => r.source !== without).map((r) => r.call_id);

describe('a retry of an input a worker died on', () => {
  it('leaves out the entries written already, and numbers the rest as the first attempt did', async () => {
    const { inputs } = await corpus();
    const rubric = await loadRubric(undefined);
    const ctx = { rubric, roles: { greetingElements: greetingMatchersOf(rubric) }, ingest: {} };
    const chunks: WorkerChunk[] = [];
    const path = join(inputs, 'many.jsonl');
    await scoreToChunks(3, [{ kind: 'file', path }], ctx, reportLayout(rubric), { count: 0 }, (chunk) => chunks.push(chunk), { skip: 120 });
    const calls = chunks.flatMap((c) => c.entries.map((e) => e.call));
    expect(calls).toHaveLength(130);
    expect([calls[0]?.callId, calls[0]?.seq, calls[129]?.callId, calls[129]?.seq]).toEqual(['M-120', 120, 'M-249', 249]);
    // Where a retry of this one would take up: the input's 250 entries, the skipped ones counted.
    expect(chunks.map((c) => [c.item, c.itemEntries, c.done])).toEqual([
      [0, 220, false],
      [0, 250, true],
    ]);
  });
});

describe('a worker that dies, or takes too long on one input, never costs the batch', () => {
  let dir: string;
  let inputs: string;
  let base: Record<string, string>;
  let baseRows: Record<string, string>[];
  let victim: string;

  beforeAll(async () => {
    ({ dir, inputs } = await corpus());
    victim = join(inputs, 'c3002-complaint-banned.txt');
    const run = await runCli(['score', '--lang', 'en', inputs, '--out', join(dir, 'base'), '-q', '--jobs', '2']);
    expect(run.code).toBe(0);
    base = await reportFiles(join(dir, 'base'));
    baseRows = await readCsv(join(dir, 'base', 'calls.csv'));
    expect(baseRows).toHaveLength(265);
    expect(baseRows.filter((r) => r.source === victim)).toHaveLength(1);
  }, 120_000);

  for (const jobs of ['1', '2']) {
    it(`--jobs ${jobs}: a worker that exits on one input is replaced; the input is tried once more, then listed (exit 3), and every other input is scored`, async () => {
      const out = join(dir, `die${jobs}`);
      const run = await runCli(['score', '--lang', 'en', inputs, '--out', out, '-q', '--jobs', jobs], { env: { CALLQA_DEBUG_WORKER: 'die:c3002' } });
      expect(run.code).toBe(3);
      expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(await readCsv(join(out, 'errors.csv'))).toEqual([
        { source: victim, line: '', error: 'the worker scoring this input died (exit code 70, out of memory?) twice; not scored' },
      ]);
      expect(callIds(await readCsv(join(out, 'calls.csv')))).toEqual(callIds(baseRows, victim));
      // The other calls' results are those of a run where nothing died, byte for byte.
      const results = (await readFile(join(out, 'results.jsonl'), 'utf8')).split('\n');
      // …and the input is listed there too, where its calls would have been.
      expect(results.filter((l) => l.includes('"type":"error"')).map((l) => JSON.parse(l).source)).toEqual([victim]);
      expect(results.filter((l) => !l.includes('"type":"error"'))).toEqual(
        base['results.jsonl']?.split('\n').filter((l) => !l.includes(`"source":${JSON.stringify(victim)}`)),
      );
      expect(JSON.parse(await readFile(join(out, 'run.json'), 'utf8')).inputs).toMatchObject({ files: 12, failed: 1 });
    }, 60_000);
  }

  it('a bug on one input (an exception, caught in the worker): the input is listed with the error, the inputs after it in its batch are scored apart', async () => {
    const out = join(dir, 'throw');
    const run = await runCli(['score', '--lang', 'en', inputs, '--out', out, '-q', '--jobs', '2'], { env: { CALLQA_DEBUG_WORKER: 'throw:c3002' } });
    expect(run.code).toBe(3);
    expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(await readCsv(join(out, 'errors.csv'))).toEqual([
      { source: victim, line: '', error: 'callqa failed on this input (Error: CALLQA_DEBUG_WORKER: a bug; please report it); not scored' },
    ]);
    expect(callIds(await readCsv(join(out, 'calls.csv')))).toEqual(callIds(baseRows, victim));
    expect(JSON.parse(await readFile(join(out, 'run.json'), 'utf8')).inputs).toMatchObject({ files: 12, failed: 1 });
  }, 60_000);

  it('workers that keep dying with no input under way: after a few, every input left is listed, and the run still ends with its report (exit 3)', async () => {
    const out = join(dir, 'boot');
    const run = await runCli(['score', '--lang', 'en', inputs, '--out', out, '-q', '--jobs', '2'], { env: { CALLQA_DEBUG_WORKER: 'boot:any' } });
    expect(run.code).toBe(3);
    expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
    const errors = await readCsv(join(out, 'errors.csv'));
    expect(errors.map((e) => e.source)).toEqual(baseRows.map((r) => r.source).filter((p, i, all) => all.indexOf(p) === i));
    expect(new Set(errors.map((e) => e.error))).toEqual(
      new Set(['not scored: the scoring workers keep dying with no input under way (exit code 70, out of memory?)']),
    );
    expect(JSON.parse(await readFile(join(out, 'run.json'), 'utf8')).inputs).toMatchObject({ files: 12, calls: 0, failed: 12 });
  }, 60_000);

  it('a worker that runs out of memory on one input: the same, with "out of memory" as the reason', async () => {
    const out = join(dir, 'oom');
    const run = await runCli(['score', '--lang', 'en', inputs, '--out', out, '-q', '--jobs', '2', '--input-timeout', '0'], {
      env: { CALLQA_DEBUG_WORKER: 'oom:c3002' },
    });
    expect(run.code).toBe(3);
    expect(await readCsv(join(out, 'errors.csv'))).toEqual([
      { source: victim, line: '', error: 'the worker scoring this input died (out of memory) twice; not scored' },
    ]);
    expect(callIds(await readCsv(join(out, 'calls.csv')))).toEqual(callIds(baseRows, victim));
  }, 120_000);

  it('a worker that dies once, half-way through a file whose first calls are written: the retry takes up after them, and the report is the same bytes as a run where nothing died', async () => {
    const out = join(dir, 'once');
    const mark = join(dir, 'died-once');
    const run = await runCli(['score', '--lang', 'en', inputs, '--out', out, '-q', '--jobs', '2'], {
      env: { CALLQA_DEBUG_WORKER: 'once:many.jsonl@150', CALLQA_DEBUG_WORKER_MARK: mark },
    });
    // It did die (the mark is made just before), and nobody would know from the report.
    expect((await stat(mark)).isFile()).toBe(true);
    expect(run.code).toBe(0);
    expect(await reportFiles(out)).toEqual(base);
  }, 60_000);

  for (const jobs of ['1', '2']) {
    it(`--jobs ${jobs} --input-timeout 1: a worker stuck on one input is stopped and replaced; the input is listed, the rest scored, in bounded time`, async () => {
      const out = join(dir, `hang${jobs}`);
      const began = Date.now();
      const run = await runCli(['score', '--lang', 'en', inputs, '--out', out, '-q', '--jobs', jobs, '--input-timeout', '1'], {
        env: { CALLQA_DEBUG_WORKER: 'hang:c3002' },
      });
      expect(Date.now() - began).toBeLessThan(30_000);
      expect(run.code).toBe(3);
      expect(await readCsv(join(out, 'errors.csv'))).toEqual([{ source: victim, line: '', error: 'took longer than 1 s (--input-timeout); not scored' }]);
      expect(callIds(await readCsv(join(out, 'calls.csv')))).toEqual(callIds(baseRows, victim));
      expect(await readFile(join(out, 'findings.csv'), 'utf8')).toBe(
        base['findings.csv']
          ?.split('\n')
          .filter((l) => !l.startsWith('C-3002,'))
          .join('\n'),
      );
    }, 60_000);
  }

  it('standard input (scored in the main thread): the budget is checked per call, and an input over it is listed', async () => {
    const out = join(dir, 'stdin');
    const run = await runCli(['score', '--lang', 'en', '-', '--out', out, '-q', '--input-timeout', '0.000001'], {
      stdin: await readFile(join(inputs, 'many.jsonl'), 'utf8'),
    });
    expect(run.code).toBe(3);
    const errors = await readCsv(join(out, 'errors.csv'));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.source).toBe('<stdin>');
    expect(errors[0]?.error).toBe('took longer than 0.000001 s (--input-timeout); not scored');
    // Its first call took longer than a microsecond: nothing of it is scored (and no calls.csv rows).
    expect(await readCsv(join(out, 'calls.csv'))).toEqual([]);
  }, 60_000);

  it('--input-timeout 0 --jobs 1 scores in the main thread, as before, to the same bytes as the workers', async () => {
    const out = join(dir, 'inline');
    // The hook is read only in the workers: a run that used one would lose c3002.
    const run = await runCli(['score', '--lang', 'en', inputs, '--out', out, '-q', '--jobs', '1', '--input-timeout', '0'], {
      env: { CALLQA_DEBUG_WORKER: 'die:c3002' },
    });
    expect(run.code).toBe(0);
    expect(await reportFiles(out)).toEqual(base);
  }, 60_000);

  it('--input-timeout must be a number ≥ 0 (exit 2)', async () => {
    const run = await runCli(['score', '--lang', 'en', inputs, '--out', join(dir, 'bad'), '-q', '--input-timeout', '-1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('expected a number ≥ 0, got "-1"');
  });
});

describe('a worker that dies on a part of a big JSON Lines file (read in parts, chunks.ts)', () => {
  it('is replaced, the part is scored again after the calls written, and the report is the same bytes, numbering included', async () => {
    const dir = await tempDir();
    const inputs = join(dir, 'in');
    await mkdir(inputs);
    const [line] = (await readFile(join(ROOT, 'fixtures', 'calls', 'c2001-2003-yunfan-parcels.jsonl'), 'utf8')).split('\n');
    const call = JSON.parse(line as string) as { call_id: string };
    const lines = Array.from({ length: Math.ceil((2.2 * PART_BYTES) / (line as string).length) }, (_, i) => JSON.stringify({ ...call, call_id: `B-${i}` }));
    await writeFile(join(inputs, 'big.jsonl'), `${lines.join('\n')}\n`);
    expect((await stat(join(inputs, 'big.jsonl'))).size).toBeGreaterThan(2 * PART_BYTES);
    expect((await runCli(['score', '--lang', 'en', inputs, '--out', join(dir, 'base'), '-q', '--jobs', '2'])).code).toBe(0);
    const mark = join(dir, 'died-once');
    const run = await runCli(['score', '--lang', 'en', inputs, '--out', join(dir, 'once'), '-q', '--jobs', '2'], {
      env: { CALLQA_DEBUG_WORKER: 'once:big.jsonl@250', CALLQA_DEBUG_WORKER_MARK: mark },
    });
    expect((await stat(mark)).isFile()).toBe(true);
    expect(run.code).toBe(0);
    expect(await reportFiles(join(dir, 'once'))).toEqual(await reportFiles(join(dir, 'base')));
    expect(JSON.parse(await readFile(join(dir, 'once', 'run.json'), 'utf8')).inputs).toMatchObject({ files: 1, calls: lines.length, failed: 0 });
  }, 120_000);
});
