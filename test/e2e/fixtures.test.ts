import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsv, runCli, tempDir } from '../helpers/cli.js';

/** What each bundled call is built to show (fixtures/README.md): outcomes greeting/banned/rate/hangup, and score. */
const EXPECTED: Record<string, [string, string, string, string, number]> = {
  'C-1001': ['pass', 'pass', 'pass', 'pass', 100],
  'C-1002': ['fail', 'pass', 'pass', 'pass', 90],
  'C-1003': ['pass', 'pass', 'fail', 'pass', 95],
  'C-1004': ['pass', 'pass', 'pass', 'pass', 100],
  'C-2001': ['pass', 'pass', 'pass', 'pass', 100],
  'C-2002': ['pass', 'fail', 'pass', 'pass', 95],
  'C-2003': ['pass', 'pass', 'pass', 'fail', 90],
  'C-3001': ['pass', 'pass', 'fail', 'pass', 95],
  'C-3002': ['pass', 'fail', 'pass', 'fail', 70],
  'C-3003': ['fail', 'pass', 'pass', 'pass', 90],
  'C-3004': ['pass', 'pass', 'n/a', 'n/a', 100],
  'C-4001': ['pass', 'pass', 'pass', 'pass', 100],
  'C-4002': ['pass', 'fail', 'pass', 'pass', 90],
  'C-4003': ['pass', 'pass', 'pass', 'n/a', 100],
  'C-5001': ['pass', 'pass', 'n/a', 'pass', 100],
};

describe('the bundled fixtures', () => {
  let out: string;
  let code: number | null;

  beforeAll(async () => {
    out = join(await tempDir(), 'report');
    ({ code } = await runCli(['score', 'fixtures/calls', '--out', out, '-q']));
  });

  it('score cleanly: exit 0 and no errors.csv', async () => {
    expect(code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['agents.csv', 'calls.csv', 'findings.csv']);
  });

  it('give every call the outcomes and score it was built for', async () => {
    const calls = await readCsv(join(out, 'calls.csv'));
    const got = Object.fromEntries(calls.map((c) => [c.call_id, [c.greeting, c['banned-phrases'], c['speech-rate'], c['hangup-order'], Number(c.score)]]));
    expect(got).toEqual(EXPECTED);
  });

  it('cover each rule passing and failing, in both scripts and both formats', async () => {
    const calls = await readCsv(join(out, 'calls.csv'));
    for (const rule of ['greeting', 'banned-phrases', 'speech-rate', 'hangup-order']) {
      expect(new Set(calls.map((c) => c[rule]))).toContain('pass');
      expect(new Set(calls.map((c) => c[rule]))).toContain('fail');
    }
    expect(new Set(calls.map((c) => (c.source ?? '').replace(/.*\./, '')))).toEqual(new Set(['json', 'jsonl', 'txt']));
  });

  it('mask personal numbers and neutralise formulas in findings', async () => {
    const findings = await readCsv(join(out, 'findings.csv'));
    const evidence = findings.map((f) => f.evidence).join('\n');
    expect(evidence).not.toMatch(/\d{7,}/);
    expect(evidence).toContain('139****4321');
    expect(findings.find((f) => f.call_id === 'C-2003')?.evidence?.startsWith("'+86")).toBe(true);
  });

  it('keep the broken inputs apart, each listed with its line (exit 3)', async () => {
    const broken = join(await tempDir(), 'broken');
    const run = await runCli(['score', 'fixtures/broken', '--out', broken, '-q']);
    expect(run.code).toBe(3);
    const errors = await readCsv(join(broken, 'errors.csv'));
    expect(errors.map((e) => [e.source, e.line])).toEqual([
      ['fixtures/broken/bad-lines.txt', '9'],
      ['fixtures/broken/bad-lines.txt', '10'],
      ['fixtures/broken/half-good.jsonl', '2'],
      ['fixtures/broken/truncated.json', '10'],
    ]);
    expect(errors[0]?.error).toContain('unknown speaker label "主管"');
    expect(errors[1]?.error).toContain('invalid timestamp [00:75.0-00:79.0]');
    expect((await readCsv(join(broken, 'calls.csv'))).map((c) => c.call_id)).toEqual(['C-9301']);
  });
});
