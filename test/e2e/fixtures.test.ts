import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsv, runCli, tempDir } from '../helpers/cli.js';
import { DEFAULT_RULE_IDS } from '../helpers/rubric.js';

const RULES = DEFAULT_RULE_IDS;

type Outcomes = [string, string, string, string, string, string, string, string, string, string, string, string, string, string];

/** What each bundled call is built to show (fixtures/README.md): the outcome of every rule in RULES order, and the score. */
const EXPECTED: Record<string, [...Outcomes, number]> = {
  // call: outcomes in RULES order (greeting … privacy), then the score
  'C-1001': ['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 100],
  'C-1002': ['fail', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'n/a', 'pass', 'pass', 'pass', 'pass', 90],
  'C-1003': ['pass', 'pass', 'fail', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'n/a', 'pass', 'fail', 'pass', 'pass', 90],
  'C-1004': ['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'n/a', 'pass', 'pass', 'pass', 'pass', 100],
  'C-2001': ['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'n/a', 'pass', 'pass', 'pass', 'pass', 100],
  'C-2002': ['pass', 'fail', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'n/a', 'pass', 'pass', 'pass', 'fail', 0],
  'C-2003': ['pass', 'pass', 'pass', 'fail', 'fail', 'pass', 'pass', 'pass', 'pass', 'n/a', 'pass', 'pass', 'pass', 'pass', 85],
  'C-3001': ['pass', 'pass', 'fail', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'n/a', 'fail', 'pass', 'pass', 'pass', 90],
  'C-3002': ['pass', 'fail', 'pass', 'fail', 'fail', 'fail', 'pass', 'fail', 'fail', 'fail', 'pass', 'pass', 'fail', 'pass', 25],
  'C-3003': ['fail', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'n/a', 'n/a', 'fail', 'pass', 85],
  'C-3004': ['pass', 'pass', 'n/a', 'n/a', 'pass', 'pass', 'pass', 'pass', 'pass', 'n/a', 'n/a', 'n/a', 'n/a', 'pass', 100],
  'C-4001': ['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'n/a', 'pass', 'pass', 'pass', 'pass', 100],
  'C-4002': ['pass', 'fail', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'n/a', 'pass', 'pass', 'pass', 'pass', 90],
  'C-4003': ['pass', 'pass', 'pass', 'n/a', 'pass', 'pass', 'fail', 'pass', 'pass', 'n/a', 'pass', 'pass', 'pass', 'pass', 98],
  'C-5001': ['pass', 'pass', 'n/a', 'pass', 'n/a', 'n/a', 'pass', 'pass', 'n/a', 'n/a', 'pass', 'pass', 'pass', 'pass', 100],
};

/** Rules for which some call is built to be not applicable (n/a). */
const NOT_APPLICABLE = ['speech-rate', 'hangup-order', 'courtesy', 'confirm-understanding', 'empathy-on-complaint', 'dead-air', 'interruption', 'answer-speed'];

describe('the bundled fixtures', () => {
  let out: string;
  let code: number | null;

  beforeAll(async () => {
    out = join(await tempDir(), 'report');
    ({ code } = await runCli(['score', 'fixtures/calls', '--out', out, '-q']));
  });

  it('score cleanly: exit 0 and no errors.csv', async () => {
    expect(code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['agents.csv', 'calls.csv', 'findings.csv', 'report.html', 'results.jsonl', 'run.json']);
  });

  it('give every call the outcomes and score it was built for', async () => {
    const calls = await readCsv(join(out, 'calls.csv'));
    // The rule columns, then one llm:<criterion> column per LLM criterion (n/a without --llm).
    const columns = Object.keys(calls[0] ?? {});
    expect(columns.slice(columns.indexOf('greeting'), columns.indexOf('greeting') + RULES.length)).toEqual([...RULES]);
    expect(columns.filter((c) => c.startsWith('llm:'))).toHaveLength(5);
    expect(new Set(calls.map((c) => c.llm_status))).toEqual(new Set(['n/a']));
    const got = Object.fromEntries(calls.map((c) => [c.call_id, [...RULES.map((rule) => c[rule]), Number(c.score)]]));
    expect(got).toEqual(EXPECTED);
  });

  it('cover each rule passing and failing (and n/a where it can be), in both scripts and both formats', async () => {
    const calls = await readCsv(join(out, 'calls.csv'));
    for (const rule of RULES) {
      const outcomes = new Set(calls.map((c) => c[rule]));
      expect(outcomes, rule).toContain('pass');
      expect(outcomes, rule).toContain('fail');
      if (NOT_APPLICABLE.includes(rule)) expect(outcomes, rule).toContain('n/a');
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

  it('zero a call that fails a critical rule (一票否决): C-2002 reads out an ID number (its mobile read-back is masked, not judged)', async () => {
    const calls = await readCsv(join(out, 'calls.csv'));
    const c2002 = calls.find((c) => c.call_id === 'C-2002');
    expect(c2002).toMatchObject({ critical_failures: 'privacy', privacy: 'fail', score: '0', passed: 'false' });
    expect(calls.filter((c) => c.critical_failures !== '').map((c) => c.call_id)).toEqual(['C-2002']);
    const findings = await readCsv(join(out, 'findings.csv'));
    const privacy = findings.filter((f) => f.rule === 'privacy');
    expect(privacy.map((f) => [f.call_id, f.deduction])).toEqual([['C-2002', '10']]);
    expect(privacy[0]?.evidence).toContain('身份证号110108********2018已经记下了');
    expect(findings.find((f) => f.call_id === 'C-2002' && f.rule === 'banned-phrases')?.evidence).toContain('您说的139****4321是收件人的号码');
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
    // In the rubric's language (zh-phone: zh-CN); the quoted input as it is.
    expect(errors[0]?.error).toContain('未知的说话人标签“主管”');
    expect(errors[1]?.error).toContain('时间戳 [00:75.0-00:79.0] 无效');
    expect((await readCsv(join(broken, 'calls.csv'))).map((c) => c.call_id)).toEqual(['C-9301']);
  });
});
