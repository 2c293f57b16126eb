import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

/**
 * `--headers localized`: the CSV header rows in the run's language for Excel users. callqa report (which
 * reads results.jsonl) and --baseline (which reads agents.csv) take such a run as they take one with ids.
 */

const INPUTS = ['fixtures/calls', 'fixtures/broken'];
const text = (path: string) => readFile(path, 'utf8');
const firstLine = async (path: string) => (await text(path)).split('\r\n')[0]?.replace(/^\ufeff/, '');

describe('--headers localized (end to end)', () => {
  let dir: string;
  const ids = () => join(dir, 'ids');
  const localized = () => join(dir, 'localized');

  beforeAll(async () => {
    dir = await tempDir();
    for (const [out, extra] of [
      [ids(), []],
      [localized(), ['--headers', 'localized', '--xlsx']],
    ] as const) {
      const run = await runCli(['score', ...INPUTS, '--lang', 'zh-CN', '--out', out, '-q', ...extra]);
      expect(run.code, run.stderr).toBe(3);
    }
  }, 120_000);

  it("writes every CSV's header row in zh-CN and the same rows under it; ids stay the default", async () => {
    expect(await firstLine(join(localized(), 'errors.csv'))).toBe('来源,行号,错误');
    expect(await firstLine(join(localized(), 'findings.csv'))).toBe(
      '通话编号,坐席工号,坐席姓名,规则,时间点（秒）,时间点,扣分,问题描述,证据,状态,问题编号,复核结论,复核备注',
    );
    expect(await firstLine(join(ids(), 'findings.csv'))).toBe(
      'call_id,agent_id,agent_name,rule,at_seconds,at,deduction,message,evidence,status,finding_id,verdict,review_note',
    );
    expect(await firstLine(join(localized(), 'agents.csv'))).toMatch(/^坐席工号,坐席姓名,通话数,平均分,.*,问候语：未通过通话数,服务禁语：未通过通话数,/);
    for (const name of ['calls.csv', 'findings.csv', 'agents.csv', 'errors.csv']) {
      const body = async (root: string) => (await text(join(root, name))).split('\r\n').slice(1).join('\r\n');
      expect(await body(localized()), name).toBe(await body(ids()));
    }
    // The errors' reasons are in the run's language whatever the header row.
    expect(await text(join(ids(), 'errors.csv'))).toContain('JSON 格式错误：文本在某个值的中间结束（文件被截断？）');
  });

  it('callqa report and --baseline read a localized run as they read an ids run', async () => {
    const outs = { ids: join(dir, 'r-ids'), localized: join(dir, 'r-localized') };
    for (const [from, out] of [
      [ids(), outs.ids],
      [localized(), outs.localized],
    ] as const) {
      const run = await runCli(['report', from, '--out', out, '--baseline', from, '-q']);
      expect(run.code, run.stderr).toBe(3);
    }
    for (const name of ['calls.csv', 'findings.csv', 'agents.csv', 'errors.csv', 'results.jsonl']) {
      expect(await text(join(outs.localized, name)), name).toBe(await text(join(outs.ids, name)));
    }
    // Against itself as the baseline every agent's change is 0.
    const agents = (await text(join(outs.localized, 'agents.csv'))).split('\r\n').filter((l) => l !== '');
    const header = (agents[0] as string).replace(/^\ufeff/, '').split(',');
    const delta = header.indexOf('avg_score_delta');
    expect(delta).toBeGreaterThan(0);
    for (const row of agents.slice(1)) expect(row.split(',')[delta]).toBe('0');
  }, 120_000);

  it('callqa report --headers localized writes the header rows in the language asked for', async () => {
    const out = join(dir, 'r-tw');
    const run = await runCli(['report', ids(), '--out', out, '--headers', 'localized', '--lang', 'zh-TW', '-q']);
    expect(run.code, run.stderr).toBe(3);
    expect(await firstLine(join(out, 'errors.csv'))).toMatch(/,行號,錯誤$/);
    expect(await firstLine(join(out, 'agents.csv'))).toMatch(/^客服人員工號,客服人員姓名,通話數,.*,問候語：未通過通話數,/);
  }, 60_000);
});
