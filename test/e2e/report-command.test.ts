import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mergeRunInfo, runReport } from '../../src/commands/report.js';
import type { Lang } from '../../src/i18n/lang.js';
import type { RunInfo } from '../../src/results/codec.js';
import { readCsv, runCli, tempDir } from '../helpers/cli.js';
import { sink } from '../helpers/streams.js';

/**
 * `callqa report` renders reports again from saved results and merges runs: the reports of runs over
 * parts of a corpus, merged, are byte for byte those of one run over all of it. Scoring goes through
 * the real executable (from the repository root, so sources are the same relative paths in every run).
 */

const CALLS = 'fixtures/calls';
const BROKEN = 'fixtures/broken';
const REPORTS = ['calls.csv', 'findings.csv', 'agents.csv', 'results.jsonl'];

async function report(files: string[], out: string, { bom = true, quiet = false, lang }: { bom?: boolean; quiet?: boolean; lang?: Lang } = {}) {
  const stdout = sink();
  const stderr = sink();
  const code = await runReport(files, { out, bom, quiet, ...(lang ? { lang } : {}) }, { stdout: stdout.stream, stderr: stderr.stream });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

async function score(inputs: string[], out: string, extra: string[] = []): Promise<number | null> {
  const run = await runCli(['score', ...inputs, '--out', out, '-q', ...extra]);
  return run.code;
}

const read = (path: string) => readFile(path);
const runJson = async (dir: string) => JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as RunInfo;

describe('callqa report (end to end)', () => {
  let dir: string;
  let files: string[];
  const A = () => join(dir, 'A');
  const B = (n: number) => join(dir, `B${n}`);

  beforeAll(async () => {
    process.env.NO_COLOR = '1';
    dir = await tempDir();
    files = (await readdir(CALLS)).sort().map((f) => `${CALLS}/${f}`);
    expect(files).toHaveLength(11);
    // Three interleaved parts, so the merge has to interleave them back.
    const part = (n: number) => files.filter((_, i) => i % 3 === n);
    const codes = await Promise.all([score([CALLS], A()), score(part(0), B(1)), score(part(1), B(2)), score(part(2), B(3))]);
    expect(codes).toEqual([0, 0, 0, 0]);
  }, 60_000);

  it('has the gates and the baseline of callqa score: agents.csv gains the change since the baseline, a broken gate exits 1', async () => {
    const out = join(dir, 'gated');
    const run = await runCli(['report', A(), '--out', out, '--baseline', A(), '--fail-under', '100', '--max-score-drop', '0', '-q']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--fail-under');
    const agents = await readCsv(join(out, 'agents.csv'));
    expect(agents.length).toBeGreaterThan(0);
    for (const row of agents) expect([row.avg_score_delta, row.pass_rate_delta]).toEqual(['0', '0']);
    expect((await runCli(['report', A(), '--out', join(dir, 'ungated'), '--fail-under', '0', '-q'])).code).toBe(0);
  }, 60_000);

  it('reads results of schema version 1 (every call with its transcript) and writes version 2, the transcripts of paged calls only', async () => {
    const kept = join(dir, 'v1-source');
    expect(await score([CALLS], kept, ['--keep-transcripts'])).toBe(0);
    const v1 = join(dir, 'v1');
    await mkdir(v1);
    const lines = (await readFile(join(kept, 'results.jsonl'), 'utf8')).trim().split('\n');
    await writeFile(join(v1, 'results.jsonl'), `${lines.map((l) => JSON.stringify({ ...JSON.parse(l), schema_version: 1 })).join('\n')}\n`);
    const { keepTranscripts: _k, pages: _p, ...info } = await runJson(kept);
    await writeFile(join(v1, 'run.json'), JSON.stringify({ ...info, schema_version: 1 }));
    const out = join(dir, 'from-v1');
    const { code } = await report([v1], out, { quiet: true });
    expect(code).toBe(0);
    const records = (await readFile(join(out, 'results.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.every((r) => r.schema_version === 2)).toBe(true);
    const run = await runJson(out);
    expect(records.filter((r) => Array.isArray(r.utterances))).toHaveLength(run.pages?.chosen ?? -1);
    for (const f of ['calls.csv', 'findings.csv', 'agents.csv']) expect(await read(join(out, f)), f).toEqual(await read(join(kept, f)));
  }, 60_000);

  it('merges three runs into the reports of one run over all their inputs, byte for byte', async () => {
    const C = join(dir, 'C');
    const run = await report([join(B(1), 'results.jsonl'), B(2), B(3)], C);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const name of REPORTS) expect((await read(join(C, name))).equals(await read(join(A(), name))), name).toBe(true);
    expect((await readdir(C)).sort()).toEqual(['agents.csv', 'calls.csv', 'findings.csv', 'report.html', 'results.jsonl', 'run.json']);
    const calls = await readCsv(join(C, 'calls.csv'));
    expect(calls.map((c) => c.call_id)).toEqual([
      'C-1001',
      'C-1002',
      'C-1003',
      'C-1004',
      'C-2001',
      'C-2002',
      'C-2003',
      'C-3001',
      'C-3002',
      'C-3003',
      'C-3004',
      'C-4001',
      'C-4002',
      'C-4003',
      'C-5001',
    ]);
    expect(run.stdout).toContain('共评分 15 通通话（来自 11 个输入文件）');
    expect(run.stdout).toContain(`报告目录：${C}`);
  });

  it('writes the merged run.json: inputs counted, earliest start, latest end, the same rubric', async () => {
    const C = join(dir, 'C-run');
    expect((await report([B(3), B(1), B(2)], C, { quiet: true })).code).toBe(0);
    const merged = await runJson(C);
    const parts = await Promise.all([1, 2, 3].map((n) => runJson(B(n))));
    const whole = await runJson(A());
    expect(merged.inputs).toEqual({ files: 11, calls: 15, failed: 0, skipped: 0 });
    expect(merged.inputs).toEqual(whole.inputs);
    expect(merged.rubric).toEqual(whole.rubric);
    expect(merged.layout).toEqual(whole.layout);
    expect(merged.schema_version).toBe(2);
    expect(merged.startedAt).toBe(parts.map((p) => p.startedAt).sort()[0]);
    expect(merged.endedAt).toBe(parts.map((p) => p.endedAt).sort()[2]);
    expect(merged.llm).toEqual(whole.llm);
    expect(Object.keys(merged)).toEqual(Object.keys(whole));
    // The order the runs are named in does not matter.
    for (const name of REPORTS) expect((await read(join(C, name))).equals(await read(join(A(), name))), name).toBe(true);
  });

  it('renders one run again into identical reports, also in place and without the BOM', async () => {
    const D = join(dir, 'D');
    const run = await report([A()], D, { quiet: true });
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
    for (const name of REPORTS) expect((await read(join(D, name))).equals(await read(join(A(), name))), name).toBe(true);

    const inPlace = join(dir, 'in-place');
    await cp(A(), inPlace, { recursive: true });
    expect((await report([inPlace], inPlace, { quiet: true })).code).toBe(0);
    for (const name of REPORTS) expect((await read(join(inPlace, name))).equals(await read(join(A(), name))), name).toBe(true);
    expect((await readdir(inPlace)).filter((f) => f.startsWith('.'))).toEqual([]);

    const noBom = join(dir, 'no-bom');
    expect((await report([A()], noBom, { bom: false, quiet: true })).code).toBe(0);
    const text = await readFile(join(noBom, 'calls.csv'), 'utf8');
    expect(text.startsWith('call_id,agent_id,')).toBe(true);
    expect(`\ufeff${text}`).toBe(await readFile(join(A(), 'calls.csv'), 'utf8'));
  });

  it('merges runs with unreadable inputs: errors where one run lists them, exit 3', async () => {
    const whole = join(dir, 'E');
    expect(await score([BROKEN, CALLS], whole)).toBe(3);
    const broken = (await readdir(BROKEN)).sort().map((f) => `${BROKEN}/${f}`);
    expect(broken).toEqual(['fixtures/broken/bad-lines.txt', 'fixtures/broken/half-good.jsonl', 'fixtures/broken/truncated.json']);
    const parts = [
      [broken[0] as string, ...files.slice(0, 2)],
      [broken[1] as string, ...files.slice(2, 6)],
      [broken[2] as string, ...files.slice(6)],
    ];
    const codes = await Promise.all(parts.map((p, i) => score(p, join(dir, `E${i + 1}`))));
    expect(codes).toEqual([3, 3, 3]);

    const merged = join(dir, 'E-merged');
    const run = await report([join(dir, 'E3'), join(dir, 'E1'), join(dir, 'E2')], merged);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(`callqa: 4 个输入文件有问题，已列在 ${merged}/errors.csv\n`);
    expect(run.stdout).toContain('4 个输入文件有问题：见 errors.csv');
    for (const name of [...REPORTS, 'errors.csv']) expect((await read(join(merged, name))).equals(await read(join(whole, name))), name).toBe(true);
    const errors = await readCsv(join(merged, 'errors.csv'));
    expect(errors.map((e) => [e.source, e.line])).toEqual([
      ['fixtures/broken/bad-lines.txt', '9'],
      ['fixtures/broken/bad-lines.txt', '10'],
      ['fixtures/broken/half-good.jsonl', '2'],
      ['fixtures/broken/truncated.json', '10'],
    ]);
    expect((await runJson(merged)).inputs).toEqual({ files: 14, calls: 16, failed: 4, skipped: 0 });
  });

  it('refuses runs of different rubrics, saying which differ, and writes nothing', async () => {
    const other = join(dir, 'core');
    expect(await score([files[0] as string], other, ['--rubric', 'test/data/core-rubric.yaml'])).toBe(0);
    const out = join(dir, 'mixed');
    // The first run is zh-CN (zh-phone's language): the refusal in English as asked.
    const run = await report([B(2), other], out, { lang: 'en' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `the runs were scored with different rubrics and cannot be merged: ${join(B(2), 'run.json')} and ${join(other, 'run.json')} differ in rubric`,
    );
    expect(run.stderr).toContain('rule columns greeting, banned-phrases, speech-rate');
    expect(run.stdout).toBe('');
    await expect(readdir(out)).rejects.toThrow('ENOENT');
  });

  it('refuses overlapping runs and missing files with exit 2, leaving earlier reports as they were', async () => {
    const out = join(dir, 'overlap');
    await cp(A(), out, { recursive: true });
    const before = await read(join(out, 'calls.csv'));
    // The runs are zh-CN (zh-phone's language): the refusal in English as asked.
    const overlap = await report([A(), B(2)], out, { lang: 'en' });
    expect(overlap.code).toBe(2);
    expect(overlap.stderr).toMatch(
      /^callqa: \d+ calls? (is|are) in more than one results file, so (it|they) would count twice \(the same shard given twice, or runs that scored the same source\): call "C-\d+" of fixtures\/calls\/\S+ \(.+results\.jsonl:\d+ and .+results\.jsonl:\d+\)/,
    );
    expect(overlap.stderr).toContain('no reports were written');
    expect((await read(join(out, 'calls.csv'))).equals(before)).toBe(true);
    expect((await readdir(out)).filter((f) => f.endsWith('.partial'))).toEqual([]);

    const missing = await report([join(dir, 'nowhere')], join(dir, 'missing-out'));
    expect(missing).toEqual({ code: 2, stdout: '', stderr: `callqa: ${join(dir, 'nowhere')}: no such file or directory\n` });
    const none = await report([], join(dir, 'none-out'));
    expect(none.code).toBe(2);
  });

  it('treats saved results as untrusted: no path from an agent id, formulas neutralised, numbers masked, no terminal escapes', async () => {
    const evil = join(dir, 'evil');
    await mkdir(evil);
    await cp(join(A(), 'run.json'), join(evil, 'run.json'));
    const [first] = (await readFile(join(A(), 'results.jsonl'), 'utf8')).split('\n');
    const record = JSON.parse(first as string);
    record.agentId = '../../x';
    record.agentName = '=HYPERLINK("http://evil")\u001b[31m';
    record.findings = [{ rule: 'privacy', at: 3, deduction: 100, message: '念出手机号 13812345678', evidence: '+号码是13812345678' }];
    record.utterances = [{ speaker: 'customer', text: '我的身份证号110105199001011234', start: 0, end: 2 }];
    await writeFile(join(evil, 'results.jsonl'), `${JSON.stringify(record)}\n`);

    const out = join(dir, 'evil-out');
    const before = (await readdir(dir)).sort();
    const run = await report([evil], out);
    expect(run.code).toBe(0);
    expect((await readdir(dir)).sort()).toEqual([...before, 'evil-out'].sort());
    expect((await readdir(out)).sort()).toEqual(['agents.csv', 'calls.csv', 'findings.csv', 'report.html', 'results.jsonl', 'run.json']);

    const [call] = await readCsv(join(out, 'calls.csv'));
    expect(call?.agent_id).toBe('../../x');
    expect(call?.agent_name).toBe('\'=HYPERLINK("http://evil")\u001b[31m');
    const [agent] = await readCsv(join(out, 'agents.csv'));
    expect(agent?.agent_name).toBe('\'=HYPERLINK("http://evil")\u001b[31m');
    const [finding] = await readCsv(join(out, 'findings.csv'));
    expect([finding?.message, finding?.evidence]).toEqual(['念出手机号 138****5678', "'+号码是138****5678"]);
    const saved = JSON.parse(await readFile(join(out, 'results.jsonl'), 'utf8'));
    expect(saved.utterances[0].text).toBe('我的身份证号110105********1234');
    expect(saved.findings[0].evidence).toBe('+号码是138****5678');
    expect(run.stdout).not.toContain('\u001b');
    expect(run.stdout).toContain('../../x =HYPERLINK("http://evil")\ufffd[31m');
  });
});

describe('mergeRunInfo', () => {
  const info = (over: Partial<RunInfo>): RunInfo => ({
    schema_version: 2,
    callqaVersion: '0.0.9',
    rubric: { name: 'core', path: 'core.yaml', sha256: 'a'.repeat(64), passScore: 80, advice: {} },
    layout: { ruleIds: ['greeting'], criteria: ['empathy'] },
    inputs: { files: 2, calls: 5, failed: 1, skipped: 3 },
    startedAt: '2026-01-02T00:00:00.000Z',
    endedAt: '2026-01-02T01:00:00.000Z',
    command: ['score', 'x'],
    ...over,
  });
  const llm = { model: 'claude-haiku-5-5', promptVersion: 'p1', criteria: [{ id: 'empathy', question: '是否安抚客户？', maxScore: 5 }] };

  it('sums the inputs, counts what was merged, spans the runs and keeps one llm', () => {
    const merged = mergeRunInfo(
      [
        info({ llm }),
        info({ llm, startedAt: '2026-01-01T23:00:00.000Z', endedAt: '2026-01-02T00:30:00.000Z' }),
        info({ llm, endedAt: '2026-01-02T02:00:00.000Z' }),
      ],
      { calls: 14, errors: 2 },
      ['report', 'a', 'b', 'c'],
    );
    expect(merged).toEqual({
      ...info({ llm }),
      callqaVersion: merged.callqaVersion,
      inputs: { files: 6, calls: 14, failed: 2, skipped: 9 },
      startedAt: '2026-01-01T23:00:00.000Z',
      endedAt: '2026-01-02T02:00:00.000Z',
      command: ['report', 'a', 'b', 'c'],
    });
    expect(Object.keys(merged)).toEqual(['schema_version', 'callqaVersion', 'rubric', 'llm', 'layout', 'inputs', 'startedAt', 'endedAt', 'command']);
    expect(merged.callqaVersion).not.toBe('0.0.9');
  });

  it('records no llm when the runs were graded differently', () => {
    expect(mergeRunInfo([info({ llm }), info({})], { calls: 1, errors: 0 }, []).llm).toBeUndefined();
    expect(mergeRunInfo([info({ llm }), info({ llm: { ...llm, model: 'other' } })], { calls: 1, errors: 0 }, []).llm).toBeUndefined();
  });
});
