import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findingIds } from '../../src/review/ids.js';
import { readCsv, runCli, tempDir } from '../helpers/cli.js';

/** Issue 19, point 4: calibrate from the team's own verdicts. */
describe('callqa calibrate --reviews', () => {
  let dir: string;
  let run: string;
  /** The run's findings with their ids, in results order. */
  let findings: { id: string; callId: string; rule: string; evidence: string }[];

  beforeAll(async () => {
    dir = await tempDir();
    run = join(dir, 'run');
    expect((await runCli(['score', 'fixtures/calls', '--out', run, '-q'])).code).toBe(0);
    findings = [];
    for (const line of (await readFile(join(run, 'results.jsonl'), 'utf8')).split('\n')) {
      if (!line.startsWith('{"callId"')) continue;
      const r = JSON.parse(line) as { callId: string; findings: { rule: string; at?: number; evidence: string }[] };
      for (const [i, id] of findingIds(r.callId, r.findings).entries())
        findings.push({ id, callId: r.callId, ...(r.findings[i] as { rule: string; evidence: string }) });
    }
  }, 120_000);

  /** reviews.csv rows as `callqa review` writes them (rule left empty where `rule` is false: the run must name it). */
  const reviewsCsv = (rows: { id: string; verdict: string; reviewer: string; at: string; rule?: string }[]) =>
    `\ufefffinding_id,call_id,agent_id,rule,at,evidence,verdict,review_note,reviewer,reviewed_at\r\n${rows
      .map((r) => [r.id, '', '', r.rule ?? '', '', '', r.verdict, '', r.reviewer, r.at].join(','))
      .join('\r\n')}\r\n`;

  it('gives each rule’s precision in the team’s eyes, the reviewers’ κ, and the most overturned evidence first', async () => {
    const byRule = (rule: string) => findings.filter((f) => f.rule === rule);
    const hangup = byRule('hangup-order');
    const confirm = byRule('closing');
    expect(hangup.length).toBeGreaterThanOrEqual(1);
    expect(confirm.length).toBeGreaterThanOrEqual(2);
    const file = join(dir, 'reviews.csv');
    await writeFile(
      file,
      reviewsCsv([
        { id: hangup[0]?.id as string, verdict: 'confirmed', reviewer: '张三', at: '2026-12-01T09:00:00+08:00' },
        { id: confirm[0]?.id as string, verdict: '驳回', reviewer: '张三', at: '2026-12-01T09:01:00+08:00' },
        { id: confirm[1]?.id as string, verdict: 'rejected', reviewer: '张三', at: '2026-12-01T09:02:00+08:00' },
        // A second reviewer on the first two: one agrees, one does not.
        { id: hangup[0]?.id as string, verdict: 'confirmed', reviewer: '李四', at: '2026-12-02T09:00:00+08:00' },
        { id: confirm[0]?.id as string, verdict: '确认', reviewer: '李四', at: '2026-12-02T09:01:00+08:00' },
      ]),
    );
    const out = join(dir, 'cal');
    const cal = await runCli(['calibrate', '--reviews', file, '--results', run, '--out', out, '--min-precision', '0.6']);
    // closing: 李四's later 确认 wins on the first, 驳回 stays on the second: 1 of 2 decided confirmed.
    expect(cal.code).toBe(1);
    const rows = await readCsv(join(out, 'review-calibration.csv'));
    expect(rows.map((r) => [r.rule, r.reviewed, r.confirmed, r.rejected, r.unsure, r.precision, r.pairs, r.kappa, r.overturned_count])).toEqual([
      // One pair that disagrees: κ 0; one that agrees on the only class: κ undefined (chance explains it).
      ['closing', '2', '1', '1', '0', '0.5', '1', '0', '1'],
      ['hangup-order', '1', '1', '0', '0', '1', '1', '', ''],
    ]);
    expect(rows[0]?.overturned_evidence).toBe(confirm[1]?.evidence);
    // The run is in Chinese: so are the table and the gate.
    expect(cal.stdout.split('\n')[0]).toMatch(/^规则\s+已复核\s+确认\s+驳回\s+待定\s+精确率\s+双人复核\s+κ 系数$/);
    expect(cal.stdout).toContain('结束语（closing）');
    expect(cal.stderr).toContain('结束语（closing）：精确率 0.500 低于 --min-precision 0.6');
    const md = await readFile(join(out, 'review-calibration.md'), 'utf8');
    expect(md).toContain('# 复核校准：质检团队眼中的规则');
  }, 60_000);

  it('without --results, verdicts that name no rule are left out and said so; a wrong combination is a usage error', async () => {
    const file = join(dir, 'norule.csv');
    const f = findings[0] as (typeof findings)[0];
    await writeFile(
      file,
      reviewsCsv([
        { id: f.id, verdict: 'rejected', reviewer: 'a', at: '2026-12-01T09:00:00Z', rule: f.rule },
        { id: 'F-00000000000000ff', verdict: 'rejected', reviewer: 'a', at: '2026-12-01T09:00:00Z' },
      ]),
    );
    const cal = await runCli(['calibrate', '--reviews', file, '--out', join(dir, 'cal2'), '--lang', 'en']);
    expect(cal.code).toBe(0);
    expect(cal.stderr).toBe(
      `callqa: note: 1 verdicts name no rule (their file gives none) and are left out; add --results with the report directory they came from\n  ${file}:3 F-00000000000000ff\n`,
    );
    expect((await readCsv(join(dir, 'cal2', 'review-calibration.csv'))).map((r) => [r.rule, r.rejected, r.precision])).toEqual([[f.rule, '1', '0']]);
    const both = await runCli(['calibrate', 'fixtures/labels/calls-labels.csv', '--reviews', file, '--lang', 'en']);
    expect([both.code, both.stderr]).toEqual([2, 'callqa: --reviews takes reviews files in place of a labels file and inputs; give one or the other\n']);
    const none = await runCli(['calibrate', '--lang', 'zh-CN']);
    expect([none.code, none.stderr]).toEqual([2, 'callqa: 请指定标注文件（LABELS）或复核文件（--reviews FILE）\n']);
  }, 60_000);
});
