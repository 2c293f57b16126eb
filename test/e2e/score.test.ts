import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsv, runCli, tempDir } from '../helpers/cli.js';

/** The four core rules: these tests are about the report contract, not the default rubric's rule list. */
const CORE = 'test/data/core-rubric.yaml';

const GOOD = {
  call_id: 'C-1',
  agent: { id: 'A1', name: '王芳' },
  hangup_by: 'customer',
  segments: [
    { speaker: 'agent', start: 0, end: 8, text: '您好，这里是星辰通信，我是王芳，很高兴为您服务' },
    { speaker: 'customer', start: 8.5, end: 12, text: '我的手机号是13812345678，网断了' },
    { speaker: 'agent', start: 12.5, end: 20.5, text: '好的，马上为您查询，请您稍等' },
  ],
};

const BAD_AGENT = {
  call_id: 'C-2',
  agent: { id: 'B2', name: '李雷' },
  hangup_by: 'agent',
  segments: [
    { speaker: '坐席', start: 1, end: 4, text: '喂，说吧' },
    { speaker: '客户', start: 4, end: 8, text: '宽带又断了' },
    { speaker: '坐席', start: 8, end: 20, text: '=HYPERLINK("x") 不知道，您的号码13812345678我查不到，不行' },
  ],
};

const TEXT_CALL = `# call_id: T-9
# agent_id: A1
# agent_name: 王芳
# hangup_by: customer
[00:00.0-00:08.0] 客服：您好，這裡是星辰通信，我是王芳，很高興為您服務
[00:08.5-00:12.0] 客戶：我想查一下帳單
[00:12.5-00:20.5] 客服：好的，馬上為您查詢，請您稍等
`;

describe('callqa score (end to end)', () => {
  let dir: string;
  let inputs: string;
  let out: string;
  let run: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    dir = await tempDir();
    inputs = join(dir, 'in');
    out = join(dir, 'report');
    await mkdir(join(inputs, 'sub'), { recursive: true });
    await writeFile(join(inputs, 'a.json'), JSON.stringify(GOOD));
    await writeFile(join(inputs, 'sub', 'b.jsonl'), `${JSON.stringify(BAD_AGENT)}\n{"call_id": "C-3", "segments": [{"speaker": "boss", "text": "x"}]}\n`);
    await writeFile(join(inputs, 'sub', 't.txt'), TEXT_CALL);
    await writeFile(join(inputs, 'notes.md'), '# not a transcript');
    run = await runCli(['score', '--rubric', CORE, inputs, '--out', out]);
  });

  it('exits 3 when an input could not be read, after scoring all the others', () => {
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('1 input problem(s) listed in');
  });

  it('writes calls.csv with the contract columns, in input order', async () => {
    const calls = await readCsv(join(out, 'calls.csv'));
    expect(Object.keys(calls[0] ?? {})).toEqual([
      'call_id',
      'agent_id',
      'agent_name',
      'source',
      'duration_seconds',
      'agent_chars_per_minute',
      'hangup_by',
      'score',
      'passed',
      'findings',
      'role_source',
      'queue',
      'direction',
      'critical_failures',
      'channel',
      'greeting',
      'banned-phrases',
      'speech-rate',
      'hangup-order',
    ]);
    expect(calls.map((c) => c.call_id)).toEqual(['C-1', 'C-2', 'T-9']);
    expect(calls[0]).toMatchObject({
      agent_id: 'A1',
      agent_name: '王芳',
      source: join(inputs, 'a.json'),
      duration_seconds: '20.5',
      agent_chars_per_minute: '120',
      hangup_by: 'customer',
      score: '100',
      passed: 'true',
      findings: '0',
      greeting: 'pass',
      'banned-phrases': 'pass',
      'speech-rate': 'pass',
      'hangup-order': 'pass',
    });
    expect(calls[1]).toMatchObject({ agent_id: 'B2', hangup_by: 'agent', passed: 'false', greeting: 'fail', 'banned-phrases': 'fail', 'hangup-order': 'fail' });
    // The Traditional transcript gives the same row as its Simplified twin.
    expect({ ...calls[2], call_id: 'C-1', source: '' }).toEqual({ ...calls[0], source: '' });
  });

  it('writes findings that add up to each score, with times, masked evidence and neutralised formulas', async () => {
    const calls = await readCsv(join(out, 'calls.csv'));
    const findings = await readCsv(join(out, 'findings.csv'));
    expect(Object.keys(findings[0] ?? {})).toEqual([
      'call_id',
      'agent_id',
      'agent_name',
      'rule',
      'at_seconds',
      'at',
      'deduction',
      'message',
      'evidence',
      'status',
      'finding_id',
      'verdict',
      'review_note',
    ]);
    for (const c of calls) {
      const lost = findings.filter((f) => f.call_id === c.call_id).reduce((s, f) => s + Number(f.deduction), 0);
      expect(Number(c.score)).toBe(100 - lost);
      expect(findings.filter((f) => f.call_id === c.call_id)).toHaveLength(Number(c.findings));
    }
    const banned = findings.filter((f) => f.call_id === 'C-2' && f.rule === 'banned-phrases');
    expect(banned.map((f) => f.message)).toEqual(['banned phrase "不知道"', 'banned phrase "不行"']);
    expect(banned[0]).toMatchObject({ at_seconds: '8', at: '00:08', deduction: '5' });
    expect(banned[0]?.evidence).toBe('\'=HYPERLINK("x") 不知道，您的号码138****5678我查不到，不行');
    // Each its own id (the same utterance, two phrases: told apart by their rule, place and order), no verdict yet.
    expect(banned.map((f) => [f.finding_id, f.verdict, f.review_note])).toEqual([
      ['F-2ae47e430987b6da', '', ''],
      ['F-67fb41f50a395882', '', ''],
    ]);
    const greeting = findings.find((f) => f.call_id === 'C-2' && f.rule === 'greeting');
    expect(greeting).toMatchObject({
      at: '00:01',
      message: 'greeting lacks a greeting word, the organisation’s name, the agent’s name or number, an offer of service',
      evidence: '喂，说吧 / =HYPERLINK("x") 不知道，您的号码138****5678我查不到，不行',
    });
  });

  it('writes agents.csv with per-agent figures and per-rule failure counts', async () => {
    const agents = await readCsv(join(out, 'agents.csv'));
    expect(Object.keys(agents[0] ?? {})).toEqual([
      'agent_id',
      'agent_name',
      'calls',
      'avg_score',
      'min_score',
      'max_score',
      'pass_rate',
      'avg_chars_per_minute',
      'findings',
      'greeting_fail',
      'banned-phrases_fail',
      'speech-rate_fail',
      'hangup-order_fail',
    ]);
    expect(agents.map((a) => a.agent_id)).toEqual(['A1', 'B2']);
    expect(agents[0]).toMatchObject({
      agent_name: '王芳',
      calls: '2',
      avg_score: '100',
      min_score: '100',
      max_score: '100',
      pass_rate: '1',
      avg_chars_per_minute: '120',
      findings: '0',
      greeting_fail: '0',
    });
    expect(agents[1]).toMatchObject({ calls: '1', pass_rate: '0', greeting_fail: '1', 'banned-phrases_fail': '1', 'hangup-order_fail': '1' });
  });

  it('lists the bad call in errors.csv with file, line and what was expected', async () => {
    const errors = await readCsv(join(out, 'errors.csv'));
    expect(errors).toEqual([
      {
        source: join(inputs, 'sub', 'b.jsonl'),
        line: '2',
        error: expect.stringMatching(/^segments\[0\]\.speaker: unknown speaker "boss"; expected agent, 坐席/),
      },
    ]);
  });

  it('prints a summary with agents best first, counting skipped files', () => {
    expect(run.stdout).toContain('3 calls scored from 3 inputs');
    expect(run.stdout).toContain('1 entry skipped (.md ×1)');
    expect(run.stdout.indexOf('A1 王芳')).toBeLessThan(run.stdout.indexOf('B2 李雷'));
    expect(run.stdout).not.toMatch(/\u001b\[/);
  });

  it('leaves no temporary files', async () => {
    expect((await readdir(out)).sort()).toEqual(['agents.csv', 'calls.csv', 'errors.csv', 'findings.csv', 'report.html', 'results.jsonl', 'run.json']);
  });
});

describe('callqa score: options and exit codes', () => {
  it('exits 0 on a clean run, removes a stale errors.csv, and --no-bom / --quiet work', async () => {
    const dir = await tempDir();
    const out = join(dir, 'r');
    await mkdir(out);
    await writeFile(join(out, 'errors.csv'), 'stale');
    await writeFile(join(dir, 'a.json'), JSON.stringify(GOOD));
    const run = await runCli(['score', '--rubric', CORE, join(dir, 'a.json'), '--out', out, '--no-bom', '--quiet']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect((await readdir(out)).sort()).toEqual(['agents.csv', 'calls.csv', 'findings.csv', 'report.html', 'results.jsonl', 'run.json']);
    expect(await readCsv(join(out, 'calls.csv'), { bom: false })).toHaveLength(1);
  });

  it('--fail-under exits 1 and names the calls below the mark', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'calls.json'), JSON.stringify([GOOD, BAD_AGENT]));
    const run = await runCli(['score', '--rubric', CORE, dir, '--out', join(dir, 'r'), '--fail-under', '90', '-q']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/quality gate failed \(--fail-under\): 1 call scored below 90: C-2 \(\d+\)/);
    const pass = await runCli(['score', '--rubric', CORE, join(dir, 'calls.json'), '--out', join(dir, 'r2'), '--fail-under', '0', '-q']);
    expect(pass.code).toBe(0);
  });

  it('reads JSON and JSONL from standard input', async () => {
    const dir = await tempDir();
    const json = await runCli(['score', '--rubric', CORE, '-', '--out', join(dir, 'a'), '-q'], { stdin: JSON.stringify(GOOD, null, 2) });
    expect(json.code).toBe(0);
    expect((await readCsv(join(dir, 'a', 'calls.csv'))).map((c) => [c.call_id, c.source])).toEqual([['C-1', '<stdin>']]);
    const jsonl = await runCli(['score', '--rubric', CORE, '-', '--out', join(dir, 'b'), '-q'], {
      stdin: `${JSON.stringify(GOOD)}\n${JSON.stringify(BAD_AGENT)}\n`,
    });
    expect(jsonl.code).toBe(0);
    expect((await readCsv(join(dir, 'b', 'calls.csv'))).map((c) => c.call_id)).toEqual(['C-1', 'C-2']);
  });

  it('lists a named file of unknown type in errors.csv (exit 3)', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.json'), JSON.stringify(GOOD));
    await writeFile(join(dir, 'notes.docx'), 'x');
    const run = await runCli(['score', '--rubric', CORE, join(dir, 'a.json'), join(dir, 'notes.docx'), '--out', join(dir, 'r'), '-q']);
    expect(run.code).toBe(3);
    const errors = await readCsv(join(dir, 'r', 'errors.csv'));
    expect(errors.map((e) => [e.source, e.error])).toEqual([
      [
        join(dir, 'notes.docx'),
        'unknown file type ".docx"; expected one of .json, .jsonc, .jsonl, .ndjson, .txt, .vtt, .srt, .csv, .tsv (or say which with --input-format)',
      ],
    ]);
  });

  it('exits 2 on a bad rubric, naming file, line and key path, and writes nothing', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'r.yaml'), 'name: x\nrules:\n  speech-rate:\n    min: fast\n');
    await writeFile(join(dir, 'a.json'), JSON.stringify(GOOD));
    const run = await runCli(['score', '--rubric', CORE, join(dir, 'a.json'), '--rubric', join(dir, 'r.yaml'), '--out', join(dir, 'out')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${join(dir, 'r.yaml')}:4: rules.speech-rate.min: expected a number, got "fast"`);
    await expect(readdir(join(dir, 'out'))).rejects.toThrow();
  });

  it('exits 2 when there is nothing to score, and on a usage error', async () => {
    const dir = await tempDir();
    const empty = await runCli(['score', '--rubric', CORE, dir, '--out', join(dir, 'r')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no transcripts found');
    // No report directory made, and nothing left beside it (staging directory, lock).
    await expect(readdir(join(dir, 'r'))).rejects.toThrow(/ENOENT/);
    expect((await readdir(dir)).filter((n) => n.startsWith('.r.'))).toEqual([]);
    const usage = await runCli(['score', '--rubric', CORE, dir, '--fail-under', 'lots']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('expected a score from 0 to 100, got "lots"');
    expect((await runCli(['score'])).code).toBe(2);
    expect((await runCli(['nonsense'])).code).toBe(2);
  });
});

describe('callqa score: colour', () => {
  it('colours the summary only when asked (FORCE_COLOR) and never with NO_COLOR', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.json'), JSON.stringify(GOOD));
    const coloured = await runCli(['score', '--rubric', CORE, join(dir, 'a.json'), '--out', join(dir, 'r1')], { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
    expect(coloured.stdout).toMatch(/\u001b\[32m100\.0/);
    const plain = await runCli(['score', '--rubric', CORE, join(dir, 'a.json'), '--out', join(dir, 'r2')], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(plain.stdout).toContain('average 100.0');
    expect(plain.stdout).not.toMatch(/\u001b\[/);
  });
});

describe('callqa rubric check / rules / --help', () => {
  it('rubric check exits 0 on the default rubric and 2 on a bad one', async () => {
    const ok = await runCli(['rubric', 'check', 'rubrics/zh-phone.yaml']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^rubrics\/zh-phone.yaml：有效 —“中文电话客服标准”，\d+ 条规则（问候语（greeting）、/);
    const dir = await tempDir();
    await writeFile(join(dir, 'bad.yaml'), 'name: x\nrules:\n  greeting:\n    within_seconds: -3\n');
    const bad = await runCli(['rubric', 'check', join(dir, 'bad.yaml')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('rules.greeting.within_seconds: expected a number > 0, got -3');
  });

  it("rubric test runs the default rubric's tests (every rule has some), and exits 1 naming a failing test with expected vs got", async () => {
    const ok = await runCli(['rubric', 'test']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/zh-phone\.yaml：\d+ 个测试\n {2}通过 {4}/);
    expect(ok.stdout).toMatch(/^tests: \d+ passed, 0 failed$/m);
    const dir = await tempDir();
    const file = join(dir, 'team.yaml');
    await writeFile(
      file,
      'name: team\nrules:\n  banned-phrases: { extra_phrases: [没办法] }\ntests:\n  - name: 没办法 is banned here\n    turns: ["坐席：这个没办法"]\n    expect: { banned-phrases: pass }\n',
    );
    const failing = await runCli(['rubric', 'test', file]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('  FAIL  没办法 is banned here\n        banned-phrases: expected pass, got fail (banned phrase "没办法")');
    const check = await runCli(['rubric', 'check', file]);
    expect(check.code).toBe(1);
  });

  it('marks calls failing a critical rule in critical_failures, with score 0', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'r.yaml'), 'name: t\nrules:\n  privacy: { critical: true }\n  hangup-order: {}\n');
    await writeFile(join(dir, 'c.txt'), '# hangup_by: customer\n坐席：您的身份证号是440301199001011234对吧？\n客户：对。\n');
    const run = await runCli(['score', '--rubric', CORE, join(dir, 'c.txt'), '--rubric', join(dir, 'r.yaml'), '--out', join(dir, 'out'), '-q']);
    expect(run.code).toBe(0);
    const [row] = await readCsv(join(dir, 'out', 'calls.csv'));
    expect(row).toMatchObject({ score: '0', passed: 'false', critical_failures: 'privacy', privacy: 'fail', 'hangup-order': 'pass' });
    const [finding] = await readCsv(join(dir, 'out', 'findings.csv'));
    expect(finding).toMatchObject({ rule: 'privacy', message: 'agent read out a full ID card number' });
    expect(finding?.evidence).not.toContain('440301199001011234');
  });

  it('rules lists every rule with its options, defaults and seed passage', async () => {
    const run = await runCli(['rules']);
    expect(run.code).toBe(0);
    for (const id of ['greeting', 'banned-phrases', 'speech-rate', 'hangup-order']) expect(run.stdout).toMatch(new RegExp(`^${id}$`, 'm'));
    expect(run.stdout).toMatch(/min\s+slowest acceptable rate, characters a minute\n\s+default: 120/);
    expect(run.stdout).toContain('source: seeds/000');
  });

  it('--help exits 0 and lists the commands', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/score .*\n.*rubric.*\n.*rules/s);
  });
});
