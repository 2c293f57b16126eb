import { spawn } from 'node:child_process';
import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callRecordSchema, problemsOf, runInfoSchema } from '../../src/results/schema.js';
import { findingIds } from '../../src/review/ids.js';
import { REVIEW_COLUMNS } from '../../src/review/verdict.js';
import { BIN, readCsv, ROOT, runCli, tempDir } from '../helpers/cli.js';
import { type MockServer, messageBody, startMockAnthropic } from '../helpers/mock-anthropic.js';

/** A saved call record, as much of it as the tests read. */
interface Saved {
  type: string;
  callId: string;
  agentId: string;
  score: number;
  passed: boolean;
  criticalFailures: string[];
  findings: { rule: string; at?: number; evidence: string; deduction: number; review?: Record<string, unknown> }[];
}

async function records(dir: string): Promise<Saved[]> {
  const text = await readFile(join(dir, 'results.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Saved)
    .filter((r) => r.type === 'call');
}

/** A reviews.csv row (callqa review's columns) judging the finding of `rule` in call `callId`. */
function row(saved: Saved[], callId: string, rule: string, verdict: string, at: string, note = ''): string {
  const call = saved.find((r) => r.callId === callId) as Saved;
  const k = call.findings.findIndex((f) => f.rule === rule);
  const id = findingIds(callId, call.findings)[k] as string;
  const f = call.findings[k] as Saved['findings'][number];
  return [id, callId, call.agentId, rule, f.at ?? '', '', verdict, note, '李华', at].join(',');
}

const FIXTURES = join(ROOT, 'fixtures', 'calls');
let dir: string;
let base: string;
let first: string;
let appeal: string;
let reviewed: string;
let reviewedRun: Awaited<ReturnType<typeof runCli>>;

beforeAll(async () => {
  dir = await tempDir();
  base = join(dir, 'base');
  const scored = await runCli(['score', FIXTURES, '--out', base, '-q']);
  expect(scored.code, scored.stderr).toBe(0);
  const saved = await records(base);
  const header = REVIEW_COLUMNS.join(',');
  // The first review: C-2002's privacy finding (critical: the call is 0) and C-1003's speech rate overturned, C-2003's
  // hang-up confirmed, C-3001's dead air left undecided, and a verdict on a finding no run has (stale).
  first = join(dir, 'first.csv');
  await writeFile(
    first,
    [
      header,
      row(saved, 'C-2002', 'privacy', '驳回', '2026-12-01T10:00:00Z', '只报了尾号'),
      row(saved, 'C-1003', 'speech-rate', 'rejected', '2026-12-01T10:00:00Z'),
      row(saved, 'C-2003', 'hangup-order', '确认', '2026-12-01T10:00:00Z'),
      row(saved, 'C-3001', 'dead-air', '待定', '2026-12-01T10:00:00Z'),
      'F-0123456789abcdef,C-9999,A9,greeting,,,confirmed,,李华,2026-12-01T10:00:00Z',
    ].join('\n'),
  );
  // The appeal, decided the next day by a second reviewer: C-1003's speech rate stands after all.
  appeal = join(dir, 'appeal.csv');
  await writeFile(
    appeal,
    `${header}\n${row(saved, 'C-1003', 'speech-rate', 'confirmed', '2026-12-02T09:00:00+08:00', '申诉不成立').replace('李华', '王主管')}\n`,
  );
  reviewed = join(dir, 'reviewed');
  reviewedRun = await runCli(['report', base, '--out', reviewed, '-q', '--coaching', '--reviews', first, '--reviews', appeal]);
}, 60_000);

describe('report --reviews', () => {
  it('a rejected finding deducts nothing, a rejected critical one un-zeroes its call; a later confirmation restores the deduction', async () => {
    expect(reviewedRun.code, reviewedRun.stderr).toBe(0);
    const calls = new Map((await readCsv(join(reviewed, 'calls.csv'))).map((c) => [c.call_id, c]));
    const before = new Map((await readCsv(join(base, 'calls.csv'))).map((c) => [c.call_id, c]));
    const c2002 = calls.get('C-2002');
    expect([before.get('C-2002')?.score, before.get('C-2002')?.critical_failures]).toEqual(['0', 'privacy']);
    // It lost 5 (banned phrase) and 10 (privacy, critical): with privacy overturned, 100 − 5.
    expect([c2002?.score, c2002?.passed, c2002?.critical_failures, c2002?.privacy, c2002?.['banned-phrases']]).toEqual(['95', 'true', '', 'pass', 'fail']);
    // The overturned finding is no finding of the agent's: one fewer counted in calls.csv (and agents.csv).
    expect(Number(c2002?.findings)).toBe(Number(before.get('C-2002')?.findings) - 1);
    // Appealed: rejected first, confirmed later: the deduction stands as scored.
    expect([calls.get('C-1003')?.score, calls.get('C-1003')?.['speech-rate']]).toEqual(['90', 'fail']);
    // Confirmed and unsure: marked, no figure changed.
    expect([calls.get('C-2003')?.score, calls.get('C-3001')?.score]).toEqual([before.get('C-2003')?.score, before.get('C-3001')?.score]);

    const saved = await records(reviewed);
    const privacy = saved.find((r) => r.callId === 'C-2002')?.findings.find((f) => f.rule === 'privacy');
    expect(privacy?.deduction).toBe(0);
    expect(privacy?.review).toEqual({
      verdict: 'rejected',
      note: '只报了尾号',
      reviewer: '李华',
      at: '2026-12-01T10:00:00Z',
      deduction: 10,
      ruleFailed: true,
      critical: true,
    });
    const speed = saved.find((r) => r.callId === 'C-1003')?.findings.find((f) => f.rule === 'speech-rate');
    expect([speed?.deduction, speed?.review?.verdict, speed?.review?.reviewer]).toEqual([5, 'confirmed', '王主管']);

    // Agent aggregates follow: 赵磊's two calls, 0 and 100 before, 95 and 100 now.
    const agents = new Map((await readCsv(join(reviewed, 'agents.csv'))).map((a) => [a.agent_id, a]));
    expect([agents.get('K3001')?.avg_score, agents.get('K3001')?.min_score, agents.get('K3001')?.pass_rate]).toEqual(['97.5', '95', '1']);
  });

  it('run.json keeps every verdict of both files, what was applied, and the stale verdict; stderr lists it', async () => {
    const run = JSON.parse(await readFile(join(reviewed, 'run.json'), 'utf8'));
    expect(run.reviews.files).toEqual([first, appeal]);
    expect(run.reviews.applied).toEqual({ confirmed: 2, rejected: 1, unsure: 1 });
    expect(run.reviews.stale).toEqual([{ finding_id: 'F-0123456789abcdef', file: first, line: 6, call_id: 'C-9999', rule: 'greeting' }]);
    expect(
      run.reviews.history.map((h: Record<string, unknown>) => [h.file === first ? 'first' : 'appeal', h.line, h.call_id, h.verdict, h.standing ?? false]),
    ).toEqual([
      ['first', 2, 'C-2002', 'rejected', true],
      ['first', 3, 'C-1003', 'rejected', false],
      ['first', 4, 'C-2003', 'confirmed', true],
      ['first', 5, 'C-3001', 'unsure', true],
      ['first', 6, 'C-9999', 'confirmed', true],
      ['appeal', 2, 'C-1003', 'confirmed', true],
    ]);
    expect(reviewedRun.stderr).toBe(
      `callqa: 注意：有 1 条复核结论所指的质检项不在本次的任何通话中，未予采用（见 run.json 的 reviews.stale）：\n  ${first}:6: F-0123456789abcdef （通话 C-9999，规则 greeting）\n`,
    );
  });

  it('report.html shows each finding’s review state and, per rule, how many were confirmed and overturned', async () => {
    const html = await readFile(join(reviewed, 'report.html'), 'utf8');
    expect(html).toContain(
      '<span class="ded"><s>−10</s></span> 坐席完整报出了身份证号码 <span class="verdict rejected">已驳回</span> <span class="review-note">“只报了尾号”</span> <span class="reviewer">—— 复核人：李华</span></li>',
    );
    expect(html).toContain(
      '<span class="verdict confirmed">已确认 ✓</span> <span class="review-note">“申诉不成立”</span> <span class="reviewer">—— 复核人：王主管</span>',
    );
    expect(html).toContain('<span class="verdict unsure">待定</span>');
    const table = html.slice(html.indexOf('<figure id="reviews">'), html.indexOf('</figure>', html.indexOf('<figure id="reviews">')));
    expect(table).toContain('<th>规则</th><th>确认</th><th>驳回</th><th>待定</th>');
    expect(table).toContain('<tr data-rule="privacy"><td>隐私保护</td><td class="num">0</td><td class="num">1</td><td class="num">0</td></tr>');
    expect(table).toContain('<tr data-rule="speech-rate"><td>语速</td><td class="num">1</td><td class="num">0</td><td class="num">0</td></tr>');
    expect(table).toContain('<tr data-rule="hangup-order"><td>挂机顺序</td><td class="num">1</td><td class="num">0</td><td class="num">0</td></tr>');
    expect(table).toContain('<tr data-rule="dead-air"><td>静默时长</td><td class="num">0</td><td class="num">0</td><td class="num">1</td></tr>');
    // Without verdicts, no such table.
    expect(await readFile(join(base, 'report.html'), 'utf8')).not.toContain('<figure id="reviews">');
  });

  it('with --lang en the findings are written again, then reviewed: the same verdicts, the marks and the note in English', async () => {
    const out = join(dir, 'english');
    const run = await runCli(['report', base, '--out', out, '-q', '--lang', 'en', '--reviews', first]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe(
      `callqa: note: 1 verdict names a finding no call of this run has: it was not applied (run.json lists it in reviews.stale):\n  ${first}:6: F-0123456789abcdef (call C-9999, rule greeting)\n`,
    );
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(
      /<strong>Privacy<\/strong> <span class="ded"><s>−10<\/s><\/span> [^<]+ <span class="verdict rejected">overturned<\/span> <span class="review-note">“只报了尾号”<\/span> <span class="reviewer">— 李华<\/span>/,
    );
    expect(html).toContain('<span class="verdict confirmed">confirmed ✓</span>');
    const calls = new Map((await readCsv(join(out, 'calls.csv'))).map((c) => [c.call_id, c.score]));
    expect([calls.get('C-2002'), calls.get('C-1003')]).toEqual(['95', '95']);
    // Every record and run.json as the schema has them.
    const run_ = JSON.parse(await readFile(join(out, 'run.json'), 'utf8'));
    expect(problemsOf(runInfoSchema, run_)).toEqual([]);
    for (const r of await records(out)) expect(problemsOf(callRecordSchema, r)).toEqual([]);
  });

  it('the coaching pack leaves the overturned finding out, and does not count it', async () => {
    const unreviewed = join(dir, 'coached');
    const plain = await runCli(['report', base, '--out', unreviewed, '-q', '--coaching']);
    expect(plain.code, plain.stderr).toBe(0);
    const failures = (pack: string) => pack.slice(pack.indexOf('## 最常见的问题'), pack.indexOf('## 做得好的'));
    const before = await readFile(join(unreviewed, 'coaching', 'K3001.md'), 'utf8');
    expect(failures(before)).toContain('### 1. 隐私保护');
    expect(before).toContain('坐席完整报出了身份证号码');
    const pack = await readFile(join(reviewed, 'coaching', 'K3001.md'), 'utf8');
    expect(failures(pack)).not.toContain('隐私保护');
    expect(pack).not.toContain('坐席完整报出了身份证号码');
    expect(failures(pack)).toContain('### 1. 服务禁语\n\n- 未通过：1 通（共 2 通），问题 1 处，扣分 5');
    // Overturned, the rule was never failed: the agent's figures say so.
    expect(pack).toContain('- 平均分：97.5（第 2 名，共 7 名坐席）\n- 合格率：100%（2/2）');
  });

  it('gates are recomputed: --fail-under 20 fails on the scores as scored and passes once the critical finding is overturned', async () => {
    const gated = await runCli(['report', base, '--out', join(dir, 'gate-before'), '-q', '--fail-under', '20']);
    expect(gated.code).toBe(1);
    const passes = await runCli(['report', base, '--out', join(dir, 'gate-after'), '-q', '--fail-under', '20', '--reviews', first]);
    expect(passes.code, passes.stderr).toBe(0);
  });

  it('is idempotent: the reviewed directory reviewed again with the same files gives the same results', async () => {
    const again = join(dir, 'again');
    const run = await runCli(['report', reviewed, '--out', again, '-q', '--reviews', first, '--reviews', appeal]);
    expect(run.code, run.stderr).toBe(0);
    expect(await readFile(join(again, 'results.jsonl'), 'utf8')).toBe(await readFile(join(reviewed, 'results.jsonl'), 'utf8'));
    expect(await readFile(join(again, 'calls.csv'), 'utf8')).toBe(await readFile(join(reviewed, 'calls.csv'), 'utf8'));
  });

  it('a reviews file that cannot be read stops the command before any work: exit 2, each problem on stderr', async () => {
    const bad = join(dir, 'bad.csv');
    await writeFile(
      bad,
      `${REVIEW_COLUMNS.join(',')}\nF-0123456789abcdef,C-1,A1,greeting,,,maybe,,李华,2026-12-01T10:00:00Z\nF-12,C-1,A1,greeting,,,rejected,,李华,2026-12-01T10:00:00Z\n`,
    );
    const out = join(dir, 'never');
    const report = await runCli(['report', base, '--out', out, '-q', '--reviews', bad]);
    expect(report.code).toBe(2);
    // In the run's language (zh-CN); in English with --lang en.
    expect(report.stderr).toBe(
      `callqa: ${bad}:2：verdict：应为 confirmed、confirm、确认、確認、rejected、reject、驳回、駁回、unsure、待定 之一，实际为 "maybe"\ncallqa: ${bad}:3：finding_id：应为形如 F-0123456789abcdef 的编号，实际为 "F-12"\n`,
    );
    const english = await runCli(['report', base, '--out', out, '-q', '--reviews', bad, '--lang', 'en']);
    expect(english.stderr).toBe(
      `callqa: ${bad}:2: verdict: expected one of confirmed, confirm, 确认, 確認, rejected, reject, 驳回, 駁回, unsure, 待定, got "maybe"\ncallqa: ${bad}:3: finding_id: expected an id such as F-0123456789abcdef, got "F-12"\n`,
    );
    await expect(stat(out)).rejects.toThrow();
    const score = await runCli(['score', FIXTURES, '--out', out, '-q', '--reviews', bad]);
    expect(score.code).toBe(2);
    expect(score.stderr).toBe(report.stderr);
    await expect(stat(out)).rejects.toThrow();
  });
});

describe('score --reviews', () => {
  it('scored on workers (--jobs 2), every output is the report --reviews of the same run', async () => {
    const out = join(dir, 'scored');
    const run = await runCli(['score', FIXTURES, '--out', out, '-q', '--jobs', '2', '--coaching', '--reviews', first, '--reviews', appeal]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe(reviewedRun.stderr);
    for (const file of ['results.jsonl', 'calls.csv', 'findings.csv', 'agents.csv', 'coaching/K3001.md']) {
      expect(await readFile(join(out, file), 'utf8'), file).toBe(await readFile(join(reviewed, file), 'utf8'));
    }
    const [scored, rendered] = [JSON.parse(await readFile(join(out, 'run.json'), 'utf8')), JSON.parse(await readFile(join(reviewed, 'run.json'), 'utf8'))];
    expect(scored.reviews).toEqual(rendered.reviews);
  }, 60_000);
});

describe('verdicts with a rubric that gives a bonus and has a critical rule with two findings', () => {
  it('a critical rule leaves the call zeroed while one of its findings stands; the bonus is saved, or inferred for an older record', async () => {
    const out = join(dir, 'custom');
    const rubric = join(ROOT, 'rubrics', 'custom-example.yaml');
    const scored = await runCli(['score', FIXTURES, '--rubric', rubric, '--out', out, '-q']);
    expect(scored.code, scored.stderr).toBe(0);
    const saved = await records(out);
    const c2002 = saved.find((r) => r.callId === 'C-2002') as Saved & { bonus?: number };
    // 100 − 5 − 10 − 10 − 5 − 3 + 2, zeroed by the critical privacy rule: two findings of it.
    expect([c2002.score, c2002.bonus, c2002.findings.filter((f) => f.rule === 'privacy').length]).toEqual([0, 2, 2]);
    const ids = findingIds('C-2002', c2002.findings);
    const privacy = c2002.findings.flatMap((f, k) => (f.rule === 'privacy' ? [ids[k] as string] : []));
    const c1002 = saved.find((r) => r.callId === 'C-1002') as Saved;
    const header = REVIEW_COLUMNS.join(',');
    const one = join(dir, 'one-privacy.csv');
    await writeFile(one, `${header}\n${privacy[0]},C-2002,K3001,privacy,,,rejected,,李华,2026-12-01T10:00:00Z\n`);
    const both = join(dir, 'both-privacy.csv');
    await writeFile(
      both,
      [
        header,
        `${privacy[0]},C-2002,K3001,privacy,,,rejected,,李华,2026-12-01T10:00:00Z`,
        `${privacy[1]},C-2002,K3001,privacy,,,rejected,,李华,2026-12-01T10:00:00Z`,
        row(saved, 'C-1002', 'greeting', 'rejected', '2026-12-01T10:00:00Z'),
      ].join('\n'),
    );
    const scores = async (reportDir: string) =>
      new Map((await readCsv(join(reportDir, 'calls.csv'))).map((c) => [c.call_id, [c.score, c.passed, c.critical_failures]]));

    const oneOut = join(dir, 'custom-one');
    expect((await runCli(['report', out, '--out', oneOut, '-q', '--reviews', one])).code).toBe(0);
    expect((await scores(oneOut)).get('C-2002')).toEqual(['0', 'false', 'privacy']);

    const bothOut = join(dir, 'custom-both');
    expect((await runCli(['report', out, '--out', bothOut, '-q', '--reviews', both])).code).toBe(0);
    const after = await scores(bothOut);
    // 100 − 5 − 5 − 3 + 2; and C-1002, 79 as scored, loses 10 less: 89, now above the pass mark of 80.
    expect(after.get('C-2002')).toEqual(['89', 'true', '']);
    expect([c1002.score, after.get('C-1002')]).toEqual([79, ['89', 'true', '']]);

    // The same run as an older callqa saved it, without `bonus`: inferred from the scores, the same reports.
    const older = join(dir, 'custom-older');
    await mkdir(older);
    const lines = (await readFile(join(out, 'results.jsonl'), 'utf8')).split('\n').map((l) => l.replace(/,"bonus":2(?=[,}])/, ''));
    expect(lines.join('\n')).not.toContain('"bonus"');
    await writeFile(join(older, 'results.jsonl'), lines.join('\n'));
    await copyFile(join(out, 'run.json'), join(older, 'run.json'));
    const olderOut = join(dir, 'custom-older-reviewed');
    const fromOlder = await runCli(['report', older, '--out', olderOut, '-q', '--reviews', both]);
    expect(fromOlder.code, fromOlder.stderr).toBe(0);
    const inferred = await scores(olderOut);
    // C-1002 (79: not clamped) tells its bonus; C-2002 (0) tells none: 100 − 5 − 5 − 3 = 87.
    expect([inferred.get('C-1002'), inferred.get('C-2002')]).toEqual([
      ['89', 'true', ''],
      ['87', 'true', ''],
    ]);
  }, 60_000);
});

describe('score --llm --reviews (scored in this thread, the model graded after the rules)', () => {
  let server: MockServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it("a rejected finding of the model's deducts nothing, and the run equals report --reviews of the run scored without them", async () => {
    const llmDir = await tempDir();
    const quote = '您好，这里是星辰通信，我是王芳，很高兴为您服务。';
    const call = {
      call_id: 'L-1',
      agent: { id: 'A1', name: '王芳' },
      hangup_by: 'customer',
      segments: [
        { speaker: 'agent', start: 0, end: 8, text: quote },
        { speaker: 'customer', start: 8.5, end: 12, text: '我的宽带又断了。' },
        { speaker: 'agent', start: 12.5, end: 20.5, text: '好的，我马上为您查询，请您稍等。' },
      ],
    };
    await writeFile(join(llmDir, 'calls.json'), JSON.stringify([call]));
    const criteria = ['empathy', 'first-contact-resolution', 'proper-promises', 'polite-refusal', 'information-completeness'].map((id) => ({
      id,
      score: id === 'empathy' ? 2 : 5,
      evidence: id === 'empathy' ? [quote] : [],
      reason: id === 'empathy' ? '没有确认客户的感受' : '符合要求',
    }));
    server = await startMockAnthropic(() => ({ body: messageBody({ text: JSON.stringify({ criteria }), usage: { input_tokens: 10, output_tokens: 10 } }) }));
    const env = { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: server.url };
    // No cache: both runs grade alike (a cached grading says so in its status).
    const score = (out: string, ...extra: string[]) =>
      runCli(['score', join(llmDir, 'calls.json'), '--out', join(llmDir, out), '-q', '--llm', '--no-llm-cache', ...extra], { env });
    const plain = await score('plain');
    expect(plain.code, plain.stderr).toBe(0);
    const [scored] = await records(join(llmDir, 'plain'));
    const k = scored?.findings.findIndex((f) => f.rule === 'llm:empathy') as number;
    expect(scored?.findings[k]?.deduction).toBe(6);
    const reviews = join(llmDir, 'reviews.csv');
    const id = findingIds('L-1', scored?.findings ?? [])[k];
    await writeFile(reviews, `${REVIEW_COLUMNS.join(',')}\n${id},L-1,A1,llm:empathy,0,,rejected,语气没问题,李华,2026-12-01T10:00:00Z\n`);
    const reviewed = await score('reviewed', '--reviews', reviews);
    expect(reviewed.code, reviewed.stderr).toBe(0);
    const [after] = await records(join(llmDir, 'reviewed'));
    expect(after?.score).toBe((scored?.score as number) + 6);
    const rendered = await runCli(['report', join(llmDir, 'plain'), '--out', join(llmDir, 'rendered'), '-q', '--reviews', reviews]);
    expect(rendered.code, rendered.stderr).toBe(0);
    for (const file of ['results.jsonl', 'calls.csv', 'findings.csv']) {
      expect(await readFile(join(llmDir, 'rendered', file), 'utf8'), file).toBe(await readFile(join(llmDir, 'reviewed', file), 'utf8'));
    }
    const run = JSON.parse(await readFile(join(llmDir, 'reviewed', 'run.json'), 'utf8'));
    expect([run.reviews.applied, run.reviews.stale]).toEqual([{ confirmed: 0, rejected: 1, unsure: 0 }, []]);
  }, 60_000);
});

describe('score --resume --reviews', () => {
  it('the inputs an interrupted run finished are taken back and reviewed as if scored now', async () => {
    const out = join(dir, 'interrupted');
    // Stopped once every report is staged, before it is put in place: --resume takes every input back from it.
    const child = spawn(process.execPath, [BIN, 'score', FIXTURES, '--out', out, '-q'], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', CALLQA_DEBUG_PAUSE_AT: 'staged', CALLQA_DEBUG_PAUSE_MS: '5000' },
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        if (stderr.includes('callqa: debug: paused at staged')) resolve();
      });
      void exited.then(() => reject(new Error(`exited before pausing: ${stderr}`)));
    });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const resumed = await runCli(['score', FIXTURES, '--out', out, '--resume', '--reviews', first, '--reviews', appeal]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/沿用上次中断的结果（--resume）/);
    for (const file of ['results.jsonl', 'calls.csv', 'findings.csv', 'agents.csv']) {
      expect(await readFile(join(out, file), 'utf8'), file).toBe(await readFile(join(reviewed, file), 'utf8'));
    }
    expect(JSON.parse(await readFile(join(out, 'run.json'), 'utf8')).reviews.applied).toEqual({ confirmed: 2, rejected: 1, unsure: 1 });
  }, 60_000);
});

describe('reviews.csv in the report directory (callqa review writes it there)', () => {
  it('re-rendering in place and scoring again into the directory keep it, and apply it', async () => {
    const out = join(dir, 'in-place');
    expect((await runCli(['score', FIXTURES, '--out', out, '-q'])).code).toBe(0);
    const verdicts = await readFile(first, 'utf8');
    await writeFile(join(out, 'reviews.csv'), verdicts);
    const rendered = await runCli(['report', out, '--out', out, '-q', '--reviews', join(out, 'reviews.csv')]);
    expect(rendered.code, rendered.stderr).toBe(0);
    expect(await readFile(join(out, 'reviews.csv'), 'utf8')).toBe(verdicts);
    const score = async () => new Map((await readCsv(join(out, 'calls.csv'))).map((c) => [c.call_id, c.score])).get('C-2002');
    expect(await score()).toBe('95');
    // The next night, into the same directory: the verdicts carried over, the file kept.
    const again = await runCli(['score', FIXTURES, '--out', out, '-q', '--reviews', join(out, 'reviews.csv')]);
    expect(again.code, again.stderr).toBe(0);
    expect(await readFile(join(out, 'reviews.csv'), 'utf8')).toBe(verdicts);
    expect(await score()).toBe('95');
    // Without --reviews the run scores afresh; the analyst's file stays all the same.
    expect((await runCli(['score', FIXTURES, '--out', out, '-q'])).code).toBe(0);
    expect([await score(), await readFile(join(out, 'reviews.csv'), 'utf8')]).toEqual(['0', verdicts]);
  }, 60_000);
});
