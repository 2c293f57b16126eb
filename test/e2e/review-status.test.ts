import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsv, runCli, tempDir } from '../helpers/cli.js';

/** A rubric whose banned-phrases rule is on trial: it asks for review instead of deducting. */
const RUBRIC = `name: trial
pass_score: 80
rules:
  banned-phrases:
    review: true
  hangup-order: {}
`;

const CALL = `# call_id: R-1
# agent_id: A1
# hangup_by: customer
[00:00.0-00:06.0] 坐席：您好，这里是星辰通信，很高兴为您服务。
[00:06.5-00:09.0] 客户：我想改套餐。
[00:09.5-00:14.0] 坐席：这个不行，我也不知道。
`;

describe('findings awaiting review (precision first)', () => {
  it('calls.csv says review, findings.csv lists them with deduction 0 and status review, and callqa report reads them back', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'trial.yaml'), RUBRIC);
    await writeFile(join(dir, 'r1.txt'), CALL);
    const out = join(dir, 'out');
    const run = await runCli(['score', join(dir, 'r1.txt'), '--rubric', join(dir, 'trial.yaml'), '--out', out, '-q', '--coaching']);
    expect(run.code, run.stderr).toBe(0);
    const [call] = await readCsv(join(out, 'calls.csv'));
    expect([call?.score, call?.['banned-phrases'], call?.['hangup-order']]).toEqual(['100', 'review', 'pass']);
    const findings = await readCsv(join(out, 'findings.csv'));
    expect(findings.map((f) => [f.rule, f.deduction, f.message, f.status])).toEqual([
      ['banned-phrases', '0', 'banned phrase "不行"', 'review'],
      ['banned-phrases', '0', 'banned phrase "不知道"', 'review'],
    ]);
    // Not coached: a finding awaiting review is not a failure yet.
    expect(await readFile(join(out, 'coaching', 'A1.md'), 'utf8')).not.toContain('不知道');
    expect(await readFile(join(out, 'report.html'), 'utf8')).toContain('<span class="ded review">review</span>');

    const again = await runCli(['report', out, '--out', join(dir, 'again'), '-q']);
    expect(again.code, again.stderr).toBe(0);
    expect(await readFile(join(dir, 'again', 'findings.csv'), 'utf8')).toBe(await readFile(join(out, 'findings.csv'), 'utf8'));
  }, 30_000);
});
