import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runReport } from '../../src/commands/report.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { sink } from '../helpers/streams.js';

/**
 * Issue 18: the last English a reader met. Saved results that cannot be read or merged, `callqa report`'s own
 * words, and commander's errors are said in `--lang`, else the run's language (report), else the locale's.
 */

const ONE = 'fixtures/calls/c1001-broadband-outage.json';
const OTHER = 'fixtures/calls/c3002-complaint-banned.txt';
const HELP_ZH_CN = '（用法见 callqa --help）\n';

describe('callqa report: saved results it cannot use, in the language', () => {
  let dir: string;
  let zh: string;
  beforeAll(async () => {
    dir = await tempDir();
    zh = join(dir, 'zh');
    expect((await runCli(['score', ONE, '--out', zh, '-q'])).code).toBe(0);
  }, 60_000);

  it('names the bad line of a results.jsonl (zh-CN; zh-TW) and says no report was written', async () => {
    const bad = join(dir, 'bad');
    await mkdir(bad);
    const lines = (await readFile(join(zh, 'results.jsonl'), 'utf8')).split('\n').filter((l) => l !== '');
    await writeFile(join(bad, 'results.jsonl'), `${[lines[0], '[1, 2]', ...lines.slice(1)].join('\n')}\n`);
    await copyFile(join(zh, 'run.json'), join(bad, 'run.json'));
    const path = join(bad, 'results.jsonl');
    const cn = await runCli(['report', bad, '--out', join(dir, 'bad-out'), '--lang', 'zh-CN']);
    expect(cn).toEqual({ code: 2, stdout: '', stderr: `callqa: ${path}:2：应为一个对象（通话记录或错误记录），实际为数组\n未写入任何报告\n` });
    // Without --lang: the run's own language (zh-phone's, zh-CN), whatever the locale.
    expect((await runCli(['report', bad, '--out', join(dir, 'bad-out')])).stderr).toBe(cn.stderr);
    const tw = await runCli(['report', bad, '--out', join(dir, 'bad-out'), '--lang', 'zh-TW']);
    expect(tw.stderr).toBe(`callqa: ${path}:2：應為一個物件（通話記錄或錯誤記錄），實際為陣列\n未寫入任何報告\n`);
    const en = await runCli(['report', bad, '--out', join(dir, 'bad-out'), '--lang', 'en']);
    expect(en.stderr).toBe(`callqa: ${path}:2: expected a JSON object (a call or error record), got an array\nno reports were written\n`);
    // explain and calibrate --results say it the same way, in the run's language.
    const explained = await runCli(['explain', bad, '--call', 'C-1001']);
    expect(explained).toEqual({ code: 2, stdout: '', stderr: `callqa: ${path}:2：应为一个对象（通话记录或错误记录），实际为数组\n` });
    const calibrated = await runCli(['calibrate', 'fixtures/labels/calls-labels.csv', '--results', bad, '--out', join(dir, 'cal'), '--lang', 'zh-TW']);
    expect(calibrated.code).toBe(2);
    expect(calibrated.stderr).toBe(tw.stderr.replace('未寫入任何報告\n', ''));
  }, 60_000);

  it('asks for the run.json beside the results', async () => {
    const alone = join(dir, 'alone');
    await mkdir(alone);
    await copyFile(join(zh, 'results.jsonl'), join(alone, 'results.jsonl'));
    const run = await runCli(['report', alone, '--out', join(dir, 'alone-out'), '--lang', 'zh-CN']);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: `callqa: ${join(alone, 'run.json')}：结果旁没有 run.json：callqa report 需要 callqa score 与结果一同写入的 run.json（其中记录了评分标准和各列）\n`,
    });
    // No run read and no --lang: the locale's language.
    const tw = await runCli(['report', alone, '--out', join(dir, 'alone-out')], { env: { LANG: 'zh_TW.UTF-8' } });
    expect(tw.stderr).toBe(
      `callqa: ${join(alone, 'run.json')}：結果旁沒有 run.json：callqa report 需要 callqa score 與結果一同寫入的 run.json（其中記錄了評分標準和各列）\n`,
    );
  });

  it('says why two runs cannot be merged', async () => {
    const core = join(dir, 'core');
    expect((await runCli(['score', OTHER, '--out', core, '-q', '--rubric', 'test/data/core-rubric.yaml'])).code).toBe(0);
    const a = JSON.parse(await readFile(join(zh, 'run.json'), 'utf8'));
    const b = JSON.parse(await readFile(join(core, 'run.json'), 'utf8'));
    const run = await runCli(['report', zh, core, '--out', join(dir, 'mixed'), '--lang', 'zh-CN']);
    expect(run.code).toBe(2);
    const rubric = (r: typeof a) => `${JSON.stringify(r.rubric.name)}（${r.rubric.path}，sha256 ${r.rubric.sha256.slice(0, 12)}…）`;
    expect(run.stderr).toBe(
      `callqa: 这些运行使用了不同的评分标准，无法合并：${join(zh, 'run.json')} 与 ${join(core, 'run.json')} 不同：` +
        `评分标准 ${rubric(a)}与 ${rubric(b)}；以及规则列 ${a.layout.ruleIds.join('、')} 与 ${b.layout.ruleIds.join('、')}；` +
        `以及大模型评分项 ${a.layout.criteria.join('、')} 与 （无）；请用同一评分标准重新评分\n`,
    );
    // Without --lang: the first run's language (zh-CN), not the locale's.
    expect((await runCli(['report', zh, core, '--out', join(dir, 'mixed')])).stderr).toBe(run.stderr);
  }, 60_000);

  it('notes runs of different callqa versions in the run’s language', async () => {
    const other = join(dir, 'other');
    expect((await runCli(['score', OTHER, '--out', other, '-q'])).code).toBe(0);
    const older = join(dir, 'older');
    await mkdir(older);
    await copyFile(join(other, 'results.jsonl'), join(older, 'results.jsonl'));
    const info = JSON.parse(await readFile(join(other, 'run.json'), 'utf8'));
    await writeFile(join(older, 'run.json'), JSON.stringify({ ...info, callqaVersion: '0.0.1' }));
    const run = await runCli(['report', zh, older, '--out', join(dir, 'versions'), '-q']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`callqa: 注意：这些运行由不同版本的本工具评分（${info.callqaVersion}、0.0.1）：评分方法可能不同\n`);
  }, 60_000);

  it('asks for a results file when given none (in --lang)', async () => {
    const stderr = sink();
    const code = await runReport([], { out: join(dir, 'none'), bom: true, quiet: true, lang: 'zh-CN' }, { stdout: sink().stream, stderr: stderr.stream });
    expect(code).toBe(2);
    expect(stderr.text()).toBe('callqa report：请至少指定一个 results.jsonl 或报告目录\n');
  });
});

describe("commander's errors: --lang on the command line, else the locale's language", () => {
  it('callqa report with no argument under LC_ALL=zh_CN.UTF-8', async () => {
    const run = await runCli(['report'], { env: { LC_ALL: 'zh_CN.UTF-8' } });
    expect(run).toEqual({ code: 2, stdout: '', stderr: `错误：缺少必需的参数 results\n${HELP_ZH_CN}` });
  });

  it('an unknown option with --lang zh-CN, and under LANG=zh_TW.UTF-8; English as before in the C locale', async () => {
    const cn = await runCli(['score', ONE, '--bogus', '--lang', 'zh-CN']);
    expect(cn).toEqual({ code: 2, stdout: '', stderr: `错误：未知选项 --bogus\n${HELP_ZH_CN}` });
    const tw = await runCli(['score', ONE, '--bogus'], { env: { LANG: 'zh_TW.UTF-8' } });
    expect(tw).toEqual({ code: 2, stdout: '', stderr: '錯誤：未知選項 --bogus\n（用法見 callqa --help）\n' });
    const hint = await runCli(['score', ONE, '--quite', '--lang=zh-CN']);
    expect(hint.stderr).toBe(`错误：未知选项 --quite\n（是否想输入 --quiet？）\n${HELP_ZH_CN}`);
    const en = await runCli(['score', ONE, '--bogus']);
    expect(en).toEqual({ code: 2, stdout: '', stderr: "error: unknown option '--bogus'\n(run callqa --help for usage)\n" });
    // --lang itself wrong: the locale's language.
    const wrong = await runCli(['score', ONE, '--lang', 'fr'], { env: { LC_ALL: 'zh_CN.UTF-8' } });
    expect(wrong.stderr).toBe(`错误：选项 --lang <lang> 的取值“fr”无效。可选值为 zh-CN、zh-TW、en。\n${HELP_ZH_CN}`);
  });

  it('an invalid --fail-under and --max-fail-rate: our reasons in the language', async () => {
    const cn = await runCli(['report', 'x', '--fail-under', '120', '--lang', 'zh-CN']);
    expect(cn).toEqual({
      code: 2,
      stdout: '',
      stderr: `错误：选项 --fail-under <score> 的取值“120”无效。应为 0 到 100 之间的分数，实际为“120”\n${HELP_ZH_CN}`,
    });
    const rate = await runCli(['score', ONE, '--max-fail-rate', 'greeting=7', '--lang', 'zh-CN']);
    expect(rate.stderr).toBe(
      `错误：选项 --max-fail-rate <rule=rate> 的取值“greeting=7”无效。greeting：应为 0 到 1 之间的比例或百分比，实际为“7”（是否想输入 7%？）\n${HELP_ZH_CN}`,
    );
    const en = await runCli(['report', 'x', '--fail-under', '120']);
    expect(en.stderr).toBe(
      `error: option '--fail-under <score>' argument '120' is invalid. expected a score from 0 to 100, got "120"\n(run callqa --help for usage)\n`,
    );
  });

  it('too many arguments, and a missing option value', async () => {
    const many = await runCli(['explain', 'a', 'b', '--lang', 'zh-TW']);
    expect(many.stderr).toBe('錯誤：explain 的引數過多：應為 1 個，實際為 2 個。\n（用法見 callqa --help）\n');
    const missing = await runCli(['score', ONE, '--lang', 'zh-CN', '--jobs']);
    expect(missing.stderr).toBe(`错误：选项 --jobs <n> 缺少取值\n${HELP_ZH_CN}`);
  });
});
