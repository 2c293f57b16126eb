import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkSameRubric, locateResults, mergeResults, openRuns, ResultsError, readResults, readRunInfo, type SavedRun } from '../../src/results/read.js';
import type { CallRecord, ErrorRecord, ResultRecord, RunInfo } from '../../src/results/codec.js';
import { compareRecords } from '../../src/results/order.js';

function call(source: string, seq: number, over: Partial<CallRecord> = {}): CallRecord {
  return {
    callId: `${source}#${seq}`,
    agentId: 'A1',
    agentName: '王芳',
    source,
    hangupBy: 'customer',
    roleSource: 'given',
    score: 90,
    passed: true,
    outcomes: { greeting: 'pass' },
    findings: [{ rule: 'greeting', at: 1.5, deduction: 10, message: '问候缺少工号', evidence: '您好' }],
    criticalFailures: [],
    ruleErrors: [],
    type: 'call',
    schema_version: 1,
    seq,
    utterances: [{ speaker: 'agent', text: '您好', start: 0, end: 1 }],
    ...over,
  };
}

function error(source: string, text: string, line?: number): ErrorRecord {
  return { type: 'error', schema_version: 1, source, ...(line === undefined ? {} : { line }), error: text };
}

function runInfo(over: Partial<RunInfo> = {}): RunInfo {
  return {
    schema_version: 1,
    callqaVersion: '0.1.0',
    rubric: { name: 'core', path: '/r/core.yaml', sha256: 'a'.repeat(64), passScore: 80, advice: { greeting: '先问候' } },
    layout: { ruleIds: ['greeting', 'closing'] },
    inputs: { files: 2, calls: 3, failed: 0, skipped: 0 },
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:00:01.000Z',
    command: ['score', 'in'],
    ...over,
  };
}

const jsonl = (records: readonly unknown[]) => records.map((r) => `${JSON.stringify(r)}\n`).join('');

async function collect(records: AsyncIterable<ResultRecord>): Promise<string[]> {
  const out: string[] = [];
  for await (const r of records) out.push(r.type === 'call' ? r.callId : `error ${r.source}: ${r.error}`);
  return out;
}

describe('reading saved results', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'callqa-results-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function file(name: string, text: string): Promise<string> {
    const path = join(dir, name);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, text);
    return path;
  }

  it('streams the records in file order, skipping blank lines and reading CRLF', async () => {
    const path = await file(
      'results.jsonl',
      `${JSON.stringify(call('a.json', 0))}\r\n\r\n${JSON.stringify(error('b.txt', 'bad', 3))}\r\n${JSON.stringify(call('c.json', 0))}`,
    );
    const records: ResultRecord[] = [];
    for await (const r of readResults(path)) records.push(r);
    expect(records.map((r) => r.type)).toEqual(['call', 'error', 'call']);
    expect(records[0]).toEqual(call('a.json', 0));
    expect(records[1]).toEqual({ type: 'error', schema_version: 1, source: 'b.txt', line: 3, error: 'bad' });
  });

  it('names the file and line of a line that is not JSON', async () => {
    const path = await file('results.jsonl', `${jsonl([call('a.json', 0), call('a.json', 1)])}{"type": "call", "sch\n`);
    await expect(collect(readResults(path))).rejects.toThrow(`${path}:3: not a JSON record`);
  });

  it('refuses a schema version it does not read', async () => {
    const path = await file('results.jsonl', jsonl([{ ...call('a.json', 0), schema_version: 3 }]));
    const failure = collect(readResults(path));
    await expect(failure).rejects.toBeInstanceOf(ResultsError);
    await expect(collect(readResults(path))).rejects.toThrow(`${path}:1: schema_version 3 is not one this callqa reads (it reads versions 1 and 2)`);
  });

  it('checks every field a report reads, by key path', async () => {
    const bad = { ...call('a.json', 0), seq: -1, passed: 'yes', findings: [{ rule: 'greeting', deduction: 'x', message: 'm', evidence: 'e' }] };
    const path = await file('results.jsonl', jsonl([call('a.json', 0), bad]));
    await expect(collect(readResults(path))).rejects.toThrow(
      `${path}:2: not a valid call record: seq: expected a whole number ≥ 0, got -1; passed: expected true or false, got "yes"; findings[0].deduction: expected a number, got "x"`,
    );
    const noType = await file('other.jsonl', jsonl([{ schema_version: 1, source: 'a' }]));
    await expect(collect(readResults(noType))).rejects.toThrow(`${noType}:1: type: expected "call" or "error", got nothing`);
    const badError = await file('errors.jsonl', jsonl([{ type: 'error', schema_version: 1, source: 'a', line: 0, error: 'x' }]));
    await expect(collect(readResults(badError))).rejects.toThrow('line: expected a whole number ≥ 1, got 0');
  });

  it('says when a results file cannot be read', async () => {
    const path = join(dir, 'missing.jsonl');
    await expect(collect(readResults(path))).rejects.toThrow(`${path}: cannot read: ENOENT`);
  });

  it('reads run.json and checks it', async () => {
    await file('run/run.json', `${JSON.stringify(runInfo(), null, 2)}\n`);
    expect(await readRunInfo(join(dir, 'run'))).toEqual(runInfo());
    await expect(readRunInfo(join(dir, 'nowhere'))).rejects.toThrow('no run.json beside the results');
    await file('v9/run.json', JSON.stringify(runInfo({ schema_version: 9 as 1 })));
    await expect(readRunInfo(join(dir, 'v9'))).rejects.toThrow(`${join(dir, 'v9', 'run.json')}: schema_version 9 is not one this callqa reads`);
    await file('bad/run.json', JSON.stringify({ ...runInfo(), layout: { ruleIds: 'greeting' } }));
    await expect(readRunInfo(join(dir, 'bad'))).rejects.toThrow('layout.ruleIds: expected an array of strings, got "greeting"');
    const llm = { model: 'claude-haiku-5-5', promptVersion: 'p1', criteria: [{ id: 'empathy', question: '是否安抚？', maxScore: 5, advice: '先安抚' }] };
    await file('llm/run.json', JSON.stringify(runInfo({ llm })));
    expect((await readRunInfo(join(dir, 'llm'))).llm).toEqual(llm);
    await file('llm-bad/run.json', JSON.stringify({ ...runInfo(), llm: { model: 'm', promptVersion: 'p', criteria: [{ id: 'empathy', question: 'q' }] } }));
    await expect(readRunInfo(join(dir, 'llm-bad'))).rejects.toThrow('llm.criteria[0].maxScore: expected a number, got nothing');
  });

  it('finds results.jsonl in a report directory, or takes the file named', async () => {
    const path = await file('rep/results.jsonl', jsonl([call('a.json', 0)]));
    expect(await locateResults(join(dir, 'rep'))).toEqual({ resultsPath: path, dir: join(dir, 'rep') });
    expect(await locateResults(path)).toEqual({ resultsPath: path, dir: join(dir, 'rep') });
    await mkdir(join(dir, 'empty'));
    await expect(locateResults(join(dir, 'empty'))).rejects.toThrow('a directory without results.jsonl');
    await expect(locateResults(join(dir, 'nope'))).rejects.toThrow('no such file or directory');
  });

  it('merges runs only when they share the rubric and its columns, saying which differ', async () => {
    const run = (name: string, info: RunInfo): SavedRun => ({ arg: name, dir: join(dir, name), resultsPath: join(dir, name, 'results.jsonl'), info });
    expect(() => checkSameRubric([run('b1', runInfo()), run('b2', runInfo({ rubric: { ...runInfo().rubric, path: '/elsewhere/core.yaml' } }))])).not.toThrow();
    const otherSha = runInfo({ rubric: { ...runInfo().rubric, name: 'team', sha256: 'b'.repeat(64) } });
    expect(() => checkSameRubric([run('b1', runInfo()), run('b2', runInfo()), run('b3', otherSha)])).toThrow(
      `the runs were scored with different rubrics and cannot be merged: ${join(dir, 'b1', 'run.json')} and ${join(dir, 'b3', 'run.json')} differ in rubric "core" (/r/core.yaml, sha256 aaaaaaaaaaaa…) against "team" (/r/core.yaml, sha256 bbbbbbbbbbbb…)`,
    );
    const otherColumns = runInfo({ layout: { ruleIds: ['greeting', 'privacy'], criteria: ['empathy'] } });
    expect(() => checkSameRubric([run('b1', runInfo()), run('b2', otherColumns)])).toThrow(
      'differ in rule columns greeting, closing against greeting, privacy; and in LLM criteria (none) against empathy',
    );
  });

  it('opens each run once', async () => {
    await file('b1/results.jsonl', jsonl([call('a.json', 0)]));
    await file('b1/run.json', JSON.stringify(runInfo()));
    const runs = await openRuns([join(dir, 'b1')]);
    expect(runs.map((r) => [r.resultsPath, r.info.rubric.name])).toEqual([[join(dir, 'b1', 'results.jsonl'), 'core']]);
    await expect(openRuns([join(dir, 'b1'), join(dir, 'b1', 'results.jsonl')])).rejects.toThrow(
      `${join(dir, 'b1', 'results.jsonl')}: the same results as ${join(dir, 'b1')}`,
    );
  });

  describe('mergeResults', () => {
    it('merges sorted files into one sorted stream, folder by folder as a directory walk goes', async () => {
      // A walk of in/ visits in/a/ (a folder) before in/a.json: plain string order would not.
      const all = [
        call('in/a/x.json', 0),
        call('in/a/x.json', 1),
        call('in/a/y.jsonl', 0),
        call('in/a.json', 0),
        call('in/b.txt', 0),
        call('in/c.jsonl', 0),
        call('in/c.jsonl', 1),
        call('in/c.jsonl', 2),
        call('in/d/e.json', 0),
      ];
      const b1 = await file('b1.jsonl', jsonl([all[0], all[1], all[5], all[6], all[7]]));
      const b2 = await file('b2.jsonl', jsonl([all[2], all[4]]));
      const b3 = await file('b3.jsonl', jsonl([all[3], all[8]]));
      const merged = await collect(mergeResults([b3, b1, b2]));
      expect(merged).toEqual(all.map((r) => r?.callId));
      expect([...all].sort(compareRecords)).toEqual(all);
    });

    it('puts each error where its source falls, keeping the errors of a file in their order', async () => {
      const b1 = await file(
        'b1.jsonl',
        jsonl([
          error('in/a.json', 'a failed'),
          call('in/c.jsonl', 0),
          error('in/c.jsonl', 'line 2 bad', 2),
          error('in/c.jsonl', 'line 3 bad', 3),
          call('in/c.jsonl', 1),
          error('in/e.txt', 'e failed'),
        ]),
      );
      const b2 = await file('b2.jsonl', jsonl([call('in/b.json', 0), call('in/d.json', 0), call('in/f.json', 0), error('in/g.json', 'g failed')]));
      expect(await collect(mergeResults([b1, b2]))).toEqual([
        'error in/a.json: a failed',
        'in/b.json#0',
        'in/c.jsonl#0',
        'error in/c.jsonl: line 2 bad',
        'error in/c.jsonl: line 3 bad',
        'in/c.jsonl#1',
        'in/d.json#0',
        'error in/e.txt: e failed',
        'in/f.json#0',
        'error in/g.json: g failed',
      ]);
    });

    it('keeps the merge sorted when an error names a source outside the order (a metadata file)', async () => {
      const b1 = await file('b1.jsonl', jsonl([error('z-records.csv', 'bad record', 4), call('in/a.json', 0), call('in/c.json', 0)]));
      const b2 = await file('b2.jsonl', jsonl([call('in/b.json', 0), call('in/d.json', 0)]));
      expect(await collect(mergeResults([b1, b2]))).toEqual(['error z-records.csv: bad record', 'in/a.json#0', 'in/b.json#0', 'in/c.json#0', 'in/d.json#0']);
    });

    it('refuses a file out of order, naming it and the line', async () => {
      const b1 = await file('b1.jsonl', jsonl([call('in/b.json', 0), call('in/a.json', 0)]));
      const b2 = await file('b2.jsonl', jsonl([call('in/c.json', 0)]));
      await expect(collect(mergeResults([b1, b2]))).rejects.toThrow(
        `${b1}:2: call "in/a.json#0" (in/a.json, #1 in its source) comes after call "in/b.json#0" (in/b.json, #1 in its source) at line 1`,
      );
      // Alone, a file is rendered as it is.
      expect(await collect(mergeResults([b1]))).toEqual(['in/b.json#0', 'in/a.json#0']);
    });

    it('refuses runs that scored the same source', async () => {
      const b1 = await file('b1.jsonl', jsonl([call('in/a.json', 0), call('in/b.json', 0)]));
      const b2 = await file('b2.jsonl', jsonl([call('in/b.json', 0)]));
      await expect(collect(mergeResults([b1, b2]))).rejects.toThrow(
        `1 call is in more than one results file, so it would count twice (the same shard given twice, or runs that scored the same source): ` +
          `call "in/b.json#0" of in/b.json (${b1}:2 and ${b2}:1); give each run once, or merge runs over different inputs`,
      );
      // The same place in a source under another call id: the source changed between the runs.
      const b3 = await file('b3.jsonl', jsonl([call('in/b.json', 0, { callId: 'X-9' })]));
      await expect(collect(mergeResults([b1, b3]))).rejects.toThrow(`${b3}:1: call "X-9" (in/b.json, #1 in its source) is also in ${b1}:2: the runs overlap`);
    });

    it('refuses the same source and call id in two files wherever they stand, naming every duplicate once all is read', async () => {
      // The same shard given twice, one copy scored when its source had a bad line more at its start (the calls' places differ).
      const shard = [call('in/a.json', 0, { callId: 'C-1' }), call('in/a.json', 1, { callId: 'C-2' }), call('in/b.json', 0, { callId: 'C-3' })];
      const b1 = await file('s0/results.jsonl', jsonl(shard));
      const b2 = await file(
        's0-again/results.jsonl',
        jsonl([error('in/a.json', 'line 1: not JSON', 1), ...shard.map((c) => ({ ...c, seq: c.source === 'in/a.json' ? c.seq + 1 : c.seq }))]),
      );
      const other = await file('s1/results.jsonl', jsonl([call('in/c.json', 0, { callId: 'C-1' })]));
      const err = await collect(mergeResults([b1, b2, other])).catch((e: Error) => e);
      expect(err).toBeInstanceOf(ResultsError);
      expect((err as Error).message).toBe(
        '3 calls are in more than one results file, so they would count twice (the same shard given twice, or runs that scored the same source): ' +
          `call "C-1" of in/a.json (${b1}:1 and ${b2}:2); call "C-2" of in/a.json (${b1}:2 and ${b2}:3); call "C-3" of in/b.json (${b1}:3 and ${b2}:4); ` +
          'give each run once, or merge runs over different inputs',
      );
      // The same call id in different sources is no overlap (listed by callqa report, not refused); nor is one file holding an id twice.
      const twice = await file('t/results.jsonl', jsonl([call('in/d.json', 0, { callId: 'C-1' }), call('in/d.json', 1, { callId: 'C-1' })]));
      expect(await collect(mergeResults([b1, other, twice]))).toEqual(['C-1', 'C-2', 'C-3', 'C-1', 'C-1', 'C-1']);
    });

    it('names at most ten duplicates and counts the rest', async () => {
      const shard = Array.from({ length: 13 }, (_, i) => call(`in/${String(i).padStart(2, '0')}.json`, 0));
      const b1 = await file('b1.jsonl', jsonl(shard));
      const b2 = await file('b2.jsonl', jsonl(shard));
      const err = await collect(mergeResults([b1, b2])).catch((e: Error) => e);
      expect(err).toBeInstanceOf(ResultsError);
      const message = (err as Error).message;
      expect(message.startsWith('13 calls are in more than one results file')).toBe(true);
      expect(message.match(/call "in\/\d\d\.json#0" of/g)).toHaveLength(10);
      expect(message).toContain(`call "in/09.json#0" of in/09.json (${b1}:10 and ${b2}:10); and 3 more; give each run once`);
    });

    it('reads as it goes: a bad line far ahead does not stop the records before it', async () => {
      const b1 = await file('b1.jsonl', `${jsonl([call('in/a.json', 0), call('in/c.json', 0)])}not json\n`);
      const b2 = await file('b2.jsonl', jsonl([call('in/b.json', 0)]));
      const seen: string[] = [];
      for await (const r of mergeResults([b1, b2])) {
        if (r.type === 'call') seen.push(r.callId);
        if (seen.length === 2) break;
      }
      expect(seen).toEqual(['in/a.json#0', 'in/b.json#0']);
      await expect(collect(mergeResults([b1, b2]))).rejects.toThrow(`${b1}:3: not a JSON record`);
    });

    it('merges many files', async () => {
      const paths: string[] = [];
      const expected: string[] = [];
      for (let f = 0; f < 40; f++) {
        const records = Array.from({ length: 25 }, (_, i) => call(`in/${String(i).padStart(3, '0')}/${String(f).padStart(3, '0')}.jsonl`, 0));
        paths.push(await file(`b${f}.jsonl`, jsonl(records)));
        expected.push(...records.map((r) => r.callId));
      }
      const merged = await collect(mergeResults(paths));
      expect(merged).toHaveLength(1000);
      expect(merged).toEqual([...expected].sort((a, b) => (a < b ? -1 : 1)));
    });
  });
});
