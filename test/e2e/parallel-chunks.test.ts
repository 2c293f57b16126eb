import { spawn } from 'node:child_process';
import { appendFile, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
// The benchmark's own generator: realistic calls, 1,000 a JSONL file, every rule broken somewhere.
import { generate } from '../../bench/generate.mjs';
import { jsonlParts } from '../../src/ingest/parts.js';
import { PART_BYTES, scoreInParallel } from '../../src/pipeline/pool.js';
import type { WorkerChunk } from '../../src/pipeline/protocol.js';
import { loadRubric } from '../../src/rubric/load.js';
import { BIN, ROOT, runCli, tempDir } from '../helpers/cli.js';

const FILES = ['calls.csv', 'findings.csv', 'agents.csv', 'errors.csv', 'results.jsonl'];

/** Lines in a file, the last one counted whether or not a newline ends it. */
async function lineCount(path: string): Promise<number> {
  const text = await readFile(path, 'utf8');
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

function count(text: string, pattern: RegExp): number {
  return [...text.matchAll(pattern)].length;
}

/** report.html less what differs between two runs by design: the times and the command line. */
async function page(dir: string): Promise<string> {
  return (await readFile(join(dir, 'report.html'), 'utf8')).replace(/<time datetime="[^"]*">[^<]*<\/time>/g, 'T');
}

describe('workers stream big inputs in chunks, and the reports are the same bytes whatever --jobs is', () => {
  let dir: string;
  let corpus: string;
  let single: string;

  beforeAll(async () => {
    dir = await tempDir();
    corpus = join(dir, 'corpus');
    generate({ calls: 1800, out: corpus, seed: 7 });
    // Broken lines in the middle of a big JSONL file: their errors fall between chunks of calls.
    const jsonl = join(corpus, 'jsonl');
    const [first] = (await readdir(jsonl)).sort();
    const lines = (await readFile(join(jsonl, first as string), 'utf8')).split('\n');
    lines.splice(150, 0, '{"call_id": "broken-1", "segments": [');
    lines.splice(420, 0, '{"call_id": "broken-2", "agent": {"id": "A1"}, "segments": [{"speaker": "nobody", "text": "喂"}]}');
    await writeFile(join(jsonl, first as string), lines.join('\n'));
    await appendFile(join(jsonl, first as string), '\nnot json at all\n');
    single = join(dir, 'jobs1');
    expect((await runCli(['score', corpus, '--out', single, '--jobs', '1', '-q'])).code).toBe(3);
  }, 120_000);

  it('has inputs far bigger than a chunk, and their errors in errors.csv', async () => {
    const calls = (await readFile(join(single, 'calls.csv'), 'utf8')).trim().split('\r\n').length - 1;
    expect(calls).toBe(1800);
    const errors = await readFile(join(single, 'errors.csv'), 'utf8');
    expect(errors).toContain('part-00001.jsonl,151,JSON 格式错误：文本在某个值的中间结束');
    expect(errors).toContain('part-00001.jsonl,421,"segments[0].speaker：未知的说话人 ""nobody""');
    expect(errors.trim().split('\r\n')).toHaveLength(4);
  });

  for (const jobs of ['2', '3']) {
    it(`--jobs ${jobs} writes the same bytes as --jobs 1, report.html included`, async () => {
      const out = join(dir, `jobs${jobs}`);
      expect((await runCli(['score', corpus, '--out', out, '--jobs', jobs, '-q'])).code).toBe(3);
      for (const f of FILES) expect(await readFile(join(out, f), 'utf8'), f).toBe(await readFile(join(single, f), 'utf8'));
      expect((await page(out)).replace(/--out [^ <]+|"[^"]*jobs\d[^"]*"/g, '')).toBe((await page(single)).replace(/--out [^ <]+|"[^"]*jobs\d[^"]*"/g, ''));
    }, 120_000);
  }

  it('spreads one big JSON Lines file over the workers in parts, numbering its calls as one reader would', async () => {
    const path = join(corpus, 'jsonl', 'part-00001.jsonl');
    const parts = jsonlParts(path, PART_BYTES);
    expect(parts?.length).toBeGreaterThanOrEqual(3);
    const rubric = await loadRubric(undefined);
    const chunks: WorkerChunk[] = [];
    /** What each chunk's first call holds where its worker says the seq is (read before the buffers go back to the worker). */
    const atSeq = new Map<WorkerChunk, string>();
    for await (const chunk of scoreInParallel([{ kind: 'file', path }], { rubricPath: rubric.path, ingest: {}, roles: {} }, 2)) {
      chunks.push(chunk);
      const [first] = chunk.entries.flatMap((e) => (e.call ? [e] : []));
      if (first?.seqAt !== undefined) atSeq.set(chunk, Buffer.from(chunk.results.subarray(first.seqAt - 6, first.seqAt + 2)).toString());
    }
    // One task a part, in order; only the last part's end is the end of the file.
    const ids = [...new Set(chunks.map((c) => c.id))];
    expect(ids).toEqual(parts?.map((_, k) => k));
    expect(chunks.filter((c) => c.done).map((c) => c.partial)).toEqual(parts?.map((p) => !p.last));
    // Each part's worker numbers its calls from 0 and says where the number is, for the main thread to put right.
    for (const id of ids.slice(1)) {
      const calls = chunks.filter((c) => c.id === id).flatMap((c) => c.entries.flatMap((e) => (e.call ? [e] : [])));
      expect(calls[0]?.call.seq).toBe(0);
      expect(calls.every((e) => typeof e.seqAt === 'number')).toBe(true);
      expect(atSeq.get(chunks.find((c) => c.id === id) as WorkerChunk)).toBe('"seq":0,');
    }
    // The first part starts the file's numbering: nothing there to put right.
    const first = chunks.filter((c) => c.id === 0).flatMap((c) => c.entries.flatMap((e) => (e.call ? [e] : [])));
    expect(first.length).toBeGreaterThan(0);
    expect(first.every((e) => e.seqAt === undefined)).toBe(true);
    // Errors keep the lines of the whole file (151 and 421 are in its first part, the last line in its last).
    const errors = chunks.flatMap((c) => c.entries.flatMap((e) => (e.error ? [e.error.line] : [])));
    expect(errors).toEqual([151, 421, await lineCount(path)]);
    expect(await lineCount(path)).toBeGreaterThan(parts?.at(-1)?.line ?? Number.POSITIVE_INFINITY);
  }, 120_000);

  it('gives the workers small files several at a time, in order, each counted once', async () => {
    const folder = join(corpus, 'json');
    const files: string[] = [];
    for (const sub of (await readdir(folder)).sort()) for (const f of (await readdir(join(folder, sub))).sort()) files.push(join(folder, sub, f));
    expect(files.length).toBeGreaterThan(70);
    const rubric = await loadRubric(undefined);
    const items = files.map((path) => ({ kind: 'file' as const, path }));
    const chunks: WorkerChunk[] = [];
    for await (const chunk of scoreInParallel(items, { rubricPath: rubric.path, ingest: {}, roles: {} }, 2)) chunks.push(chunk);
    const done = chunks.filter((c) => c.done);
    // Far fewer tasks than files (at most 64 files and 512 KB a task), every file in exactly one, none partial.
    expect(done.length).toBeLessThan(files.length / 10);
    expect(done.length).toBeGreaterThanOrEqual(Math.ceil(files.length / 64));
    expect(done.reduce((n, c) => n + c.inputs, 0)).toBe(files.length);
    expect(done.every((c) => !c.partial)).toBe(true);
    // The calls come in file order, each numbered 0 in its own file.
    const calls = chunks.flatMap((c) => c.entries.flatMap((e) => (e.call ? [e.call] : [])));
    expect(calls.map((c) => c.source)).toEqual(files);
    expect(calls.every((c) => c.seq === 0)).toBe(true);
  }, 120_000);

  it('one big JSON Lines file alone: --jobs 3 writes the same bytes as --jobs 1', async () => {
    const path = join(corpus, 'jsonl', 'part-00001.jsonl');
    const one = join(dir, 'file-jobs1');
    const three = join(dir, 'file-jobs3');
    expect((await runCli(['score', path, '--out', one, '--jobs', '1', '-q'])).code).toBe(3);
    expect((await runCli(['score', path, '--out', three, '--jobs', '3', '-q'])).code).toBe(3);
    for (const f of FILES) expect(await readFile(join(three, f), 'utf8'), f).toBe(await readFile(join(one, f), 'utf8'));
    expect((await page(three)).replace(/file-jobs\d/g, '')).toBe((await page(one)).replace(/file-jobs\d/g, ''));
    const seqs = (await readFile(join(three, 'results.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .flatMap((l) => (l.includes('"type":"call"') ? [(JSON.parse(l) as { seq: number }).seq] : []));
    expect(seqs).toEqual(seqs.map((_, k) => k));
    expect(JSON.parse(await readFile(join(three, 'run.json'), 'utf8')).inputs.files).toBe(1);
  }, 120_000);

  it('pages go to the calls that need attention, and only those calls keep their transcript in results.jsonl', async () => {
    const run = JSON.parse(await readFile(join(single, 'run.json'), 'utf8'));
    const lines = (await readFile(join(single, 'results.jsonl'), 'utf8')).trim().split('\n');
    const calls = lines.map((l) => JSON.parse(l)).filter((r) => r.type === 'call');
    const withTranscript = calls.filter((c) => Array.isArray(c.utterances));
    // 1,800 calls: the 4 MB budget ends the choice well before 1,000 pages.
    expect(run.pages.cutBy).toBe('size');
    expect(withTranscript.length).toBe(run.pages.chosen);
    expect(count(await page(single), /<section class="call-page"/g)).toBe(run.pages.chosen);
    // Every paged call needs attention at least as much as the first call left without a page.
    const group = (critical: boolean, passed: boolean) => (critical ? 0 : passed ? 2 : 1);
    const stop = run.pages.stop;
    for (const c of withTranscript) {
      expect(group(c.criticalFailures.length > 0, c.passed) * 1000 + c.score).toBeLessThanOrEqual(group(stop.critical, stop.passed) * 1000 + stop.score);
    }
    expect(calls.every((c) => c.schema_version === 2)).toBe(true);
  });

  it('three shards merged by callqa report pick the same call pages, byte for byte, as one run over every input', async () => {
    const shards = [0, 1, 2].map((k) => join(dir, `shard${k}`));
    for (const [k, out] of shards.entries()) expect((await runCli(['score', corpus, '--out', out, '--shard', `${k}/3`, '-q'])).code).toBeLessThanOrEqual(3);
    const merged = join(dir, 'merged');
    expect((await runCli(['report', ...shards, '--out', merged, '-q'])).code).toBe(3);
    for (const f of FILES) expect(await readFile(join(merged, f), 'utf8'), f).toBe(await readFile(join(single, f), 'utf8'));
    const calls = (html: string) => html.slice(html.indexOf('<div class="calls">'));
    expect(calls(await page(merged))).toBe(calls(await page(single)));
    expect(JSON.parse(await readFile(join(merged, 'run.json'), 'utf8')).pages).toEqual(JSON.parse(await readFile(join(single, 'run.json'), 'utf8')).pages);
  }, 120_000);

  it("--keep-transcripts keeps every call's transcript and changes nothing else", async () => {
    const out = join(dir, 'kept');
    expect((await runCli(['score', corpus, '--out', out, '--keep-transcripts', '-q'])).code).toBe(3);
    const kept = (await readFile(join(out, 'results.jsonl'), 'utf8')).trim().split('\n');
    const plain = (await readFile(join(single, 'results.jsonl'), 'utf8')).trim().split('\n');
    expect(kept).toHaveLength(plain.length);
    kept.forEach((line, k) => {
      const record = JSON.parse(line);
      if (record.type !== 'call') {
        expect(line).toBe(plain[k]);
        return;
      }
      expect(Array.isArray(record.utterances)).toBe(true);
      // The same line once the transcript is taken out of it (it is the last key).
      expect(line.replace(/,"utterances":\[.*\]\}$/, '}')).toBe((plain[k] as string).replace(/,"utterances":\[.*\]\}$/, '}'));
    });
    for (const f of ['calls.csv', 'findings.csv', 'agents.csv']) expect(await readFile(join(out, f), 'utf8'), f).toBe(await readFile(join(single, f), 'utf8'));
    expect((await page(out)).replace(/--out [^ <]+|"[^"]*(kept|jobs1)[^"]*"/g, '')).toBe(
      (await page(single)).replace(/--out [^ <]+|"[^"]*(kept|jobs1)[^"]*"/g, ''),
    );
    expect(JSON.parse(await readFile(join(out, 'run.json'), 'utf8')).keepTranscripts).toBe(true);
  }, 120_000);

  it("a run killed with SIGKILL in the middle of a write and resumed gives the reports of an uninterrupted run, report.html's pages included", async () => {
    const out = join(dir, 'killed');
    const child = spawn(process.execPath, [BIN, 'score', corpus, '--out', out, '--jobs', '2', '-q'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const staging = async () => (await readdir(dir)).find((n) => n.startsWith('.killed.callqa-new-'));
    let torn: string | undefined;
    for (let waited = 0; waited < 60_000; waited += 20) {
      const name = await staging();
      const names = name ? await readdir(join(dir, name)).catch(() => [] as string[]) : [];
      const partial = names.find((n) => /^\.results\.jsonl\.\d+\.partial$/.test(n));
      if (name && partial && (await stat(join(dir, name, partial))).size > 2_000_000) {
        torn = join(dir, name, partial);
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await exited;
    // A kill in the middle of a write leaves half a record at the end: make that so, whenever the kill came.
    expect(torn).toBeDefined();
    await truncate(torn as string, (await stat(torn as string)).size - 137);
    const resumed = await runCli(['score', corpus, '--out', out, '--jobs', '2', '--resume']);
    expect(resumed.code).toBe(3);
    expect(resumed.stdout).toMatch(/[1-9]\d* 个输入文件沿用上次中断的结果（--resume）/);
    for (const f of FILES) expect(await readFile(join(out, f), 'utf8'), f).toBe(await readFile(join(single, f), 'utf8'));
    const calls = (html: string) => html.slice(html.indexOf('<div class="calls">'));
    expect(calls(await page(out))).toBe(calls(await page(single)));
  }, 120_000);

  it('a run stopped by SIGTERM leaves --out as it was and only what --resume needs beside it; resuming gives the same reports', async () => {
    const out = join(dir, 'stopped');
    const child = spawn(process.execPath, [BIN, 'score', corpus, '--out', out, '--jobs', '2', '-q'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // The run writes into a staging directory beside --out: stop it once its first results are on disk there.
    const staging = async () => (await readdir(dir)).find((n) => n.startsWith('.stopped.callqa-new-'));
    for (let waited = 0; waited < 60_000; waited += 20) {
      const name = await staging();
      const names = name ? await readdir(join(dir, name)).catch(() => [] as string[]) : [];
      const partial = names.find((n) => /^\.results\.jsonl\.\d+\.partial$/.test(n));
      if (name && partial && (await stat(join(dir, name, partial))).size > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    await expect(stat(out)).rejects.toThrow(/ENOENT/);
    const left = await staging();
    expect((await readdir(join(dir, left as string))).sort()).toEqual(['.callqa-resume.json', '.results.jsonl.partial']);
    expect((await runCli(['score', corpus, '--out', out, '--jobs', '2', '--resume', '-q'])).code).toBe(3);
    for (const f of FILES) expect(await readFile(join(out, f), 'utf8'), f).toBe(await readFile(join(single, f), 'utf8'));
    expect((await readdir(out)).filter((n) => n.startsWith('.'))).toEqual([]);
    expect((await readdir(dir)).filter((n) => n.startsWith('.stopped.'))).toEqual([]);
  }, 120_000);
});
