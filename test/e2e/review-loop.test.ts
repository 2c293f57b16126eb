import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { readCsv, runCli, tempDir } from '../helpers/cli.js';
import { encodeLegacy } from '../helpers/legacy-encode.js';

/**
 * Issue 19 end to end, as README's "The review loop, step by step" shows it: score; an analyst fills verdicts into
 * findings.csv in Excel and saves it as "CSV (逗号分隔)" on Chinese Windows (GBK, CRLF); report --reviews
 * re-renders; the next night's score --reviews carries the verdicts over (a stale one named, never applied
 * elsewhere); calibrate --reviews says how each rule fared.
 */
describe('the review loop, from a clean clone', () => {
  it('score → verdicts in Excel (GBK) → report --reviews → the next night → calibrate --reviews', async () => {
    const dir = await tempDir();
    const night1 = join(dir, 'night1');
    expect((await runCli(['score', 'fixtures/calls', '--out', night1, '-q'])).code).toBe(0);

    // The analyst's Excel: findings.csv with the header row of the run's language, verdicts typed in Chinese.
    const text = (await readFile(join(night1, 'findings.csv'), 'utf8')).replace(/^\ufeff/, '');
    const rows = parse(text) as string[][];
    const header = rows[0] as string[];
    const at = (name: string) => header.indexOf(name);
    const body = rows.slice(1);
    const pick = (call: string, rule: string) => body.find((r) => r[at('call_id')] === call && r[at('rule')] === rule) as string[];
    const privacy = pick('C-2002', 'privacy');
    const greeting = pick('C-1002', 'greeting');
    const banned = pick('C-4002', 'banned-phrases');
    privacy[at('verdict')] = '驳回';
    privacy[at('review_note')] = '只读了尾号，\n不算泄露';
    greeting[at('verdict')] = '确认';
    banned[at('verdict')] = '待定';
    const gbk = join(dir, 'findings-excel.csv');
    await writeFile(gbk, encodeLegacy(stringify([header, ...body], { record_delimiter: '\r\n', quoted_match: /[\r\n]/ }), 'gbk'));

    // Re-rendered with the verdicts: C-2002's critical privacy finding overturned, the call no longer 0.
    const night1Reviewed = join(dir, 'night1-reviewed');
    const report = await runCli(['report', night1, '--out', night1Reviewed, '--reviews', gbk, '-q']);
    expect([report.code, report.stderr]).toEqual([0, '']);
    const before = new Map((await readCsv(join(night1, 'calls.csv'))).map((c) => [c.call_id, c]));
    const after = new Map((await readCsv(join(night1Reviewed, 'calls.csv'))).map((c) => [c.call_id, c]));
    expect([before.get('C-2002')?.score, after.get('C-2002')?.score, after.get('C-2002')?.critical_failures]).toEqual(['0', '95', '']);
    expect(after.get('C-1002')?.score).toBe(before.get('C-1002')?.score);
    const reviewed = await readCsv(join(night1Reviewed, 'findings.csv'));
    const row = (call: string, rule: string) => reviewed.find((r) => r.call_id === call && r.rule === rule);
    expect([row('C-2002', 'privacy')?.deduction, row('C-2002', 'privacy')?.verdict, row('C-2002', 'privacy')?.review_note]).toEqual([
      '0',
      'rejected',
      '只读了尾号，\n不算泄露',
    ]);
    expect([row('C-1002', 'greeting')?.verdict, row('C-4002', 'banned-phrases')?.verdict]).toEqual(['confirmed', 'unsure']);

    // The next night: the same calls and one more verdict on a finding no longer there (stale: named, applied to nothing).
    const appeals = join(dir, 'appeals.csv');
    await writeFile(
      appeals,
      '\ufefffinding_id,call_id,agent_id,rule,at,evidence,verdict,review_note,reviewer,reviewed_at\r\n' +
        'F-00000000000000ff,C-9999,A9,greeting,,,rejected,,王主管,2026-12-06T09:00:00+08:00\r\n',
    );
    const night2 = join(dir, 'night2');
    const scored = await runCli(['score', 'fixtures/calls', '--out', night2, '--reviews', gbk, '--reviews', appeals, '-q']);
    expect(scored.code).toBe(0);
    expect(scored.stderr).toContain('F-00000000000000ff');
    expect((await readCsv(join(night2, 'calls.csv'))).find((c) => c.call_id === 'C-2002')?.score).toBe('95');
    const run = JSON.parse(await readFile(join(night2, 'run.json'), 'utf8'));
    expect(run.reviews.stale.map((s: { finding_id: string }) => s.finding_id)).toEqual(['F-00000000000000ff']);
    expect(await readFile(join(night2, 'findings.csv'), 'utf8')).toBe(await readFile(join(night1Reviewed, 'findings.csv'), 'utf8'));

    // How each rule fared in the analysts' eyes (the GBK file names its rules itself).
    const calib = join(dir, 'calib');
    const cal = await runCli(['calibrate', '--reviews', gbk, '--out', calib, '--lang', 'en']);
    expect(cal.code).toBe(0);
    expect((await readCsv(join(calib, 'review-calibration.csv'))).map((r) => [r.rule, r.reviewed, r.confirmed, r.rejected, r.unsure, r.precision])).toEqual([
      ['privacy', '1', '0', '1', '0', '0'],
      ['banned-phrases', '1', '0', '0', '1', ''],
      ['greeting', '1', '1', '0', '0', '1'],
    ]);
  }, 120_000);
});
