import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readCsv, runCli, tempDir } from '../helpers/cli.js';
import { type MockServer, messageBody, startMockAnthropic } from '../helpers/mock-anthropic.js';

/** `callqa calibrate` through the real executable (bin/callqa.js over dist/: `npm run build` first). */

const LABELS = 'fixtures/labels/calls-labels.csv';

describe('callqa calibrate', () => {
  it('compares the shipped example labels with the bundled calls, from a clean clone', async () => {
    const out = join(await tempDir(), 'cal');
    const run = await runCli(['calibrate', LABELS, 'fixtures/calls', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['calibration.csv', 'calibration.md', 'disagreements.csv']);
    const table = await readCsv(join(out, 'calibration.csv'));
    // One row a visible rule of zh-phone (14); the pooled figures, (all), in calibration.md.
    expect(table.map((r) => r.rule)).toHaveLength(14);
    expect(table.map((r) => r.rule)).not.toContain('(all)');
    // 28 rows in the file, 6 of them human scores: 22 labels.
    expect(table.reduce((n, r) => n + Number(r.labelled), 0)).toBe(22);
    // zh-phone writes in zh-CN: the pooled row is 全部规则.
    expect(await readFile(join(out, 'calibration.md'), 'utf8')).toMatch(/^\| 全部规则 \| 22 \| /m);
    const greeting = table.find((r) => r.rule === 'greeting');
    expect(greeting).toMatchObject({ labelled: '7' });
    const disagreements = await readCsv(join(out, 'disagreements.csv'));
    // Every disagreement row is a label callqa did not give, with the label file's note.
    for (const d of disagreements) expect(d.label).not.toBe(d.got);
    expect(run.stdout).toMatch(/^规则 +标注数 +一致率 +精确率 +召回率 +F1 值 +κ 系数\n问候语（greeting） +7 /);
    expect(run.stdout).toMatch(/\n人工评分：6 通通话；斯皮尔曼 ρ -?\d\.\d{3}；平均绝对误差 \d+\.\d 分\n$/);
    expect(await readFile(join(out, 'calibration.md'), 'utf8')).toMatch(/^# 质检校准：与人工标注的一致性\n/);
  });

  it('reads saved results (a report directory or its results.jsonl) and writes CSV without BOM on --no-bom', async () => {
    const dir = await tempDir();
    const report = join(dir, 'report');
    expect((await runCli(['score', 'fixtures/calls/c1002-1004-xingchen-account.json', '--out', report, '-q'])).code).toBe(0);
    const labels = join(dir, 'labels.csv');
    await writeFile(labels, 'call_id,rule,verdict,note\nC-1003,interruption,pass,客户已说完\nC-1002,greeting,fail,\n');
    const fromDir = await runCli(['calibrate', labels, '--results', report, '--out', join(dir, 'a'), '--no-bom']);
    expect(fromDir.code).toBe(0);
    const fromFile = await runCli(['calibrate', labels, '--results', join(report, 'results.jsonl'), '--out', join(dir, 'b')]);
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout).toBe(fromDir.stdout);
    // The saved run's language (zh-CN, run.json), unless --lang asks for another.
    expect(fromDir.stdout).toMatch(/^规则 +标注数 /);
    expect(await readFile(join(dir, 'a', 'calibration.md'), 'utf8')).toContain(`（评分标准“中文电话客服标准”，`);
    const english = await runCli(['calibrate', labels, '--results', report, '--out', join(dir, 'en'), '--lang', 'en']);
    expect(english.stdout).toMatch(/^rule +labelled +agreement +precision +recall +f1 +kappa\ngreeting +1 /);
    expect(await readFile(join(dir, 'en', 'calibration.md'), 'utf8')).toContain(`; outcomes: ${join(report, 'results.jsonl')} (rubric `);
    expect(await readCsv(join(dir, 'a', 'disagreements.csv'), { bom: false })).toEqual([
      {
        call_id: 'C-1003',
        rule: 'interruption',
        label: 'pass',
        got: 'fail',
        at: '00:36',
        evidence: '那建议您改成五十九元的轻享套餐，包含三十G流量和三百分钟通话，下个月一日生效。',
        message: '坐席在客户尚未说完时抢话（重叠 2.1 秒）',
        note: '客户已说完',
      },
    ]);
    expect(await readCsv(join(dir, 'b', 'disagreements.csv'), { bom: true })).toHaveLength(1);
  });

  it('refuses an --out that is a score report (exit 2), leaving the report and the results it reads as they were', async () => {
    const dir = await tempDir();
    const report = join(dir, 'rep');
    expect((await runCli(['score', 'fixtures/calls', '--out', report, '-q'])).code).toBe(0);
    const before = (await readdir(report)).sort();
    const results = await readFile(join(report, 'results.jsonl'), 'utf8');
    const run = await runCli(['calibrate', LABELS, '--results', report, '--out', report]);
    expect(run.code).toBe(2);
    // In the saved run's language (zh-CN).
    expect(run.stderr).toBe(
      `callqa: --out ${report} 中有不是 callqa calibrate 写入的文件（agents.csv、calls.csv、findings.csv、report.html、results.jsonl，另有 1 个）：本工具会整体替换报告目录，请指定一个新的或空的目录，或由 callqa calibrate 写入的目录\n`,
    );
    const english = await runCli(['calibrate', LABELS, '--results', report, '--out', report, '--lang', 'en']);
    expect(english.stderr).toContain(
      `--out ${report} holds files callqa calibrate did not write (agents.csv, calls.csv, findings.csv, report.html, results.jsonl, and 1 more)`,
    );
    expect((await readdir(report)).sort()).toEqual(before);
    expect(await readFile(join(report, 'results.jsonl'), 'utf8')).toBe(results);
  }, 60_000);

  it('exits 1 under --min-agreement, 2 for an unknown rule or a bad flag, and leaves --out as it was', async () => {
    const dir = await tempDir();
    const labels = join(dir, 'labels.csv');
    await writeFile(labels, 'call_id,rule,verdict\nC-1003,interruption,pass\nC-1002,greeting,fail\n');
    const out = join(dir, 'out');
    const gate = await runCli(['calibrate', labels, 'fixtures/calls/c1002-1004-xingchen-account.json', '--out', out, '--min-agreement', '95%', '--lang', 'en']);
    expect(gate.code).toBe(1);
    expect(gate.stderr).toBe('callqa: calibration gate failed for 1 rule figure:\n  interruption: agreement 0.000 is under --min-agreement 0.95\n');
    const before = await readFile(join(out, 'calibration.csv'), 'utf8');

    await writeFile(labels, 'call_id,rule,verdict\nC-1003,interruption,pass\nC-1002,greting,fail\n');
    const unknown = await runCli(['calibrate', labels, 'fixtures/calls/c1002-1004-xingchen-account.json', '--out', out, '--lang', 'en']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(new RegExp(`^callqa: ${labels.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: unknown rule "greting"; the rules are greeting, `));
    expect(await readFile(join(out, 'calibration.csv'), 'utf8')).toBe(before);

    expect((await runCli(['calibrate', labels, 'fixtures/calls', '--min-precision', '1.5'])).code).toBe(2);
    // A directory holding a user's own files is never replaced.
    const mine = join(dir, 'mine');
    await mkdir(mine);
    await writeFile(join(mine, 'notes.txt'), 'mine');
    await writeFile(labels, 'call_id,rule,verdict\nC-1002,greeting,fail\n');
    const refused = await runCli(['calibrate', labels, 'fixtures/calls/c1002-1004-xingchen-account.json', '--out', mine]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('中有不是 callqa calibrate 写入的文件（notes.txt）');
    expect(await readdir(mine)).toEqual(['notes.txt']);
  });
});

describe('callqa calibrate with the model (llm:<id> rules; a local Messages API)', () => {
  let server: MockServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const CRITERIA = ['empathy', 'first-contact-resolution', 'proper-promises', 'polite-refusal', 'information-completeness'];

  /** Grades empathy 2/5 quoting the agent's first line (a verified quote: the criterion deducts), the rest 5/5. */
  function answer(body: { messages: { content: string }[] }): Record<string, unknown> {
    const transcript = /<transcript>\n([\s\S]*)\n<\/transcript>/.exec(body.messages[0]?.content ?? '')?.[1] ?? '';
    const agentLine = transcript.split('\n').find((l) => l.includes('坐席：')) ?? '';
    const quote = agentLine.replace(/^(\[[^\]]+\] )?坐席：/, '');
    const criteria = CRITERIA.map((id) => ({
      id,
      score: id === 'empathy' ? 2 : 5,
      evidence: id === 'empathy' ? [quote] : [],
      reason: id === 'empathy' ? '没有确认客户的感受' : '符合要求',
    }));
    return messageBody({ text: JSON.stringify({ criteria }), usage: { input_tokens: 1500, output_tokens: 200 } });
  }

  it('grades only the labelled calls with --llm, and reads LLM outcomes from --results', async () => {
    server = await startMockAnthropic((req) => ({ body: answer(req.body) }));
    const dir = await tempDir();
    const env = { ANTHROPIC_API_KEY: 'sk-ant-test-calibrate', ANTHROPIC_BASE_URL: server.url };
    const labels = join(dir, 'labels.csv');
    // empathy deducts on every call (the grader above): C-1002 agrees, C-1003 does not.
    await writeFile(labels, 'call_id,rule,verdict,note\nC-1002,llm:empathy,fail,\nC-1003,llm:empathy,pass,有安抚\nC-1003,llm:polite-refusal,pass,\n');
    const input = 'fixtures/calls/c1002-1004-xingchen-account.json';
    const run = await runCli(['calibrate', labels, input, '--llm', '--no-llm-cache', '--out', join(dir, 'a')], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // Two labelled calls of three: C-1004 is not sent.
    expect(server.requests.filter((r) => r.path.startsWith('/v1/messages'))).toHaveLength(2);
    const table = await readCsv(join(dir, 'a', 'calibration.csv'));
    // llm:empathy: (fail, fail), (pass, fail): agreement 0.5, precision 1/2, recall 1/1, F1 2/3 ≈ 0.6667;
    // labels fail ½, pass ½; callqa fail 1: pₑ = ½·1 = ½, κ = (½ − ½) / ½ = 0.
    expect(table.find((r) => r.rule === 'llm:empathy')).toEqual({
      rule: 'llm:empathy',
      labelled: '2',
      agreement: '0.5',
      precision: '0.5',
      recall: '1',
      f1: '0.6667',
      kappa: '0',
      tp: '1',
      fp: '1',
      fn: '0',
      tn: '0',
    });
    expect(table.find((r) => r.rule === 'llm:polite-refusal')).toMatchObject({ labelled: '1', agreement: '1' });
    const dis = await readCsv(join(dir, 'a', 'disagreements.csv'));
    expect(dis).toHaveLength(1);
    expect(dis[0]).toMatchObject({ call_id: 'C-1003', rule: 'llm:empathy', label: 'pass', got: 'fail', note: '有安抚' });
    expect(dis[0]?.message).toBe('2/5: 没有确认客户的感受');

    // The same from a report scored with --llm; and a report scored without it holds no grading (exit 2).
    const graded = join(dir, 'graded');
    expect((await runCli(['score', input, '--llm', '--no-llm-cache', '--out', graded, '-q'], { env })).code).toBe(0);
    const saved = await runCli(['calibrate', labels, '--results', graded, '--out', join(dir, 'b')]);
    expect(saved.code).toBe(0);
    expect(await readFile(join(dir, 'b', 'calibration.csv'), 'utf8')).toBe(await readFile(join(dir, 'a', 'calibration.csv'), 'utf8'));
    const plain = join(dir, 'plain');
    expect((await runCli(['score', input, '--out', plain, '-q'])).code).toBe(0);
    const ungraded = await runCli(['calibrate', labels, '--results', plain, '--out', join(dir, 'c')]);
    expect(ungraded.code).toBe(2);
    expect(ungraded.stderr).toContain(`${labels}:2: 规则 llm:empathy：这些结果中没有模型评分（评分时未加 --llm）\n`);
  });
});
