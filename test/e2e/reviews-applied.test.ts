import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findingIds } from '../../src/review/ids.js';
import { REVIEW_COLUMNS } from '../../src/review/verdict.js';
import { readCsv, ROOT, runCli, tempDir } from '../helpers/cli.js';

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
  return [id, callId, call.agentId, rule, f.at ?? '', verdict, note, '李华', at].join(',');
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
      'F-0123456789abcdef,C-9999,A9,greeting,,confirmed,,李华,2026-12-01T10:00:00Z',
    ].join('\n'),
  );
  // The appeal, decided the next day by a second reviewer: C-1003's speech rate stands after all.
  appeal = join(dir, 'appeal.csv');
  await writeFile(appeal, `${header}\n${row(saved, 'C-1003', 'speech-rate', 'confirmed', '2026-12-02T09:00:00+08:00', '申诉不成立').replace('李华', '王主管')}\n`);
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
    expect(run.reviews.history.map((h: Record<string, unknown>) => [h.file === first ? 'first' : 'appeal', h.line, h.call_id, h.verdict, h.standing ?? false])).toEqual([
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
    expect(html).toContain('<span class="verdict confirmed">已确认 ✓</span> <span class="review-note">“申诉不成立”</span> <span class="reviewer">—— 复核人：王主管</span>');
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
    await writeFile(bad, `${REVIEW_COLUMNS.join(',')}\nF-0123456789abcdef,C-1,A1,greeting,,maybe,,李华,2026-12-01T10:00:00Z\nF-12,C-1,A1,greeting,,rejected,,李华,2026-12-01T10:00:00Z\n`);
    const out = join(dir, 'never');
    const report = await runCli(['report', base, '--out', out, '-q', '--reviews', bad]);
    expect(report.code).toBe(2);
    expect(report.stderr).toBe(
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
