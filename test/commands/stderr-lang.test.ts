import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCalibrate } from '../../src/commands/calibrate.js';
import { runExplain } from '../../src/commands/explain.js';
import { runRubricCheck } from '../../src/commands/rubric.js';
import { runScore, type ScoreOptions } from '../../src/commands/score.js';
import { EXIT } from '../../src/commands/exit-codes.js';
import { sink } from '../helpers/streams.js';
import { tempDir } from '../helpers/temp.js';

/**
 * Issue 18: what the commands print on stderr when they stop (or go on differently) comes in the run's language:
 * --lang, else the rubric's once it is read (zh-phone: zh-CN), else the locale's (LC_ALL, LC_MESSAGES, LANG).
 */

const CALL = 'fixtures/calls/c1001-broadband-outage.json';

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
  // English before the rubric unless a test sets a locale.
  vi.stubEnv('LC_ALL', '');
  vi.stubEnv('LC_MESSAGES', '');
  vi.stubEnv('LANG', 'C.UTF-8');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

async function score(inputs: string[], options: Partial<ScoreOptions> = {}): Promise<{ code: number; stderr: string }> {
  const err = sink();
  const code = await runScore(inputs, { out: join(dir, 'out'), bom: true, quiet: true, jobs: 1, ...options }, { stdout: sink().stream, stderr: err.stream });
  return { code, stderr: err.text() };
}

describe('callqa score', () => {
  it('names missing inputs in the rubric’s language (zh-phone: zh-CN), read before they are checked', async () => {
    const nope = join(dir, 'nope.json');
    expect(await score([nope])).toEqual({
      code: EXIT.usage,
      stderr: `callqa: ${nope}：文件或目录不存在\ncallqa: 有 1 个输入路径不存在；未进行评分，也未生成报告\n`,
    });
    const file = join(dir, 'file.json');
    await writeFile(file, '{}');
    const under = join(file, 'x.json');
    expect(await score([nope, under], { lang: 'zh-TW' })).toEqual({
      code: EXIT.usage,
      stderr: `callqa: ${nope}：檔案或目錄不存在\ncallqa: ${under}：不是目錄\ncallqa: 有 2 個輸入路徑不存在；未進行評分，也未生成報告\n`,
    });
  });

  it('tells a wrong flag first, as before, in the locale’s language when the rubric is not valid too', async () => {
    vi.stubEnv('LANG', 'zh_TW.UTF-8');
    const bad = await score([CALL], { encoding: 'latin-9', rubric: join(dir, 'none.yaml') });
    expect(bad).toEqual({
      code: EXIT.usage,
      stderr: 'callqa: 未知的 --encoding「latin-9」；應為以下之一：utf-8、utf-16le、utf-16be、gb18030、big5（gbk 和 gb2312 按 gb18030 讀取）\n',
    });
    // The rubric's problems stay as the schema words them (for its author); the heading is the locale's.
    const rubric = await score([CALL], { rubric: join(dir, 'none.yaml') });
    expect(rubric).toEqual({ code: EXIT.usage, stderr: `callqa: 評分標準無效：\n  ${join(dir, 'none.yaml')}: cannot read rubric: no such file\n` });
    // A valid rubric's language wins over the locale's.
    expect((await score([CALL], { inputFormat: 'docx' })).stderr).toMatch(/^callqa: 未知的 --input-format“docx”；应为以下之一：callqa-json、/);
  });

  it('says that nothing was found, and why --resume scores everything, in zh-CN', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    expect(await score([empty])).toEqual({ code: EXIT.usage, stderr: `callqa: 在 ${empty} 中没有找到转写文件（可读取的格式见 callqa formats）\n` });
    const resumed = await score([CALL], { resume: true });
    expect(resumed.code).toBe(EXIT.ok);
    expect(resumed.stderr).toBe(`callqa: --resume：${join(dir, 'out')} 中没有可接续的结果；所有输入重新评分\n`);
    const other = await score([CALL], { resume: true, rubric: 'test/data/core-rubric.yaml', lang: 'zh-CN' });
    expect(other.stderr).toBe('callqa: --resume：上次运行使用的是另一份评分标准；所有输入重新评分\n');
  });

  it('asks for the API key with --llm in zh-CN, and the same English as before with --lang en', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', '');
    expect(await score([CALL], { llm: true })).toEqual({
      code: EXIT.usage,
      stderr: 'callqa: --llm 需要接口密钥：请设置 ANTHROPIC_API_KEY（通过代理访问时另设 ANTHROPIC_BASE_URL），或先用 --llm-dry-run 试算\n',
    });
    expect((await score([CALL], { llm: true, lang: 'en' })).stderr).toBe(
      'callqa: --llm needs an API key: set ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL to use a proxy), or try --llm-dry-run\n',
    );
    const noSection = await score([CALL], { llm: true, rubric: 'test/data/core-rubric.yaml', lang: 'zh-CN' });
    expect(noSection.stderr).toBe('callqa: --llm：评分标准 test/data/core-rubric.yaml 没有模型评分部分（供模型评分的标准）\n');
  });

  it('prints a --metadata file that cannot be read in the run’s language', async () => {
    const dat = join(dir, 'records.dat');
    await writeFile(dat, '<x/>');
    expect(await score([CALL], { metadata: [dat] })).toEqual({
      code: EXIT.usage,
      stderr: `callqa: ${dat}：无法识别的通话元数据文件类型“.dat”；应为 .csv、.tsv、.json、.jsonl 或 .xml\n`,
    });
  });
});

describe('callqa explain, calibrate and rubric check before the rubric says the language', () => {
  it('explain: the locale’s language, unless --lang', async () => {
    vi.stubEnv('LANG', 'zh_CN.UTF-8');
    const err = sink();
    const nope = join(dir, 'nope.jsonl');
    expect(await runExplain(nope, {}, { stdout: sink().stream, stderr: err.stream })).toBe(EXIT.usage);
    const en = sink();
    expect(await runExplain(nope, { lang: 'en' }, { stdout: sink().stream, stderr: en.stream })).toBe(EXIT.usage);
    expect([err.text(), en.text()]).toEqual([`callqa: ${nope}：文件或目录不存在\n`, `callqa: ${nope}: no such file or directory\n`]);
  });

  it('calibrate: what is wrong with the command line, in --lang or the locale’s language; missing inputs in the rubric’s', async () => {
    const labels = join(dir, 'labels.csv');
    await writeFile(labels, 'call_id,rule,verdict\nC1001,greeting,pass\n');
    const run = async (inputs: string[], opts: Record<string, unknown>) => {
      const err = sink();
      const code = await runCalibrate(labels, inputs, { out: join(dir, 'cal'), bom: true, ...opts }, { stdout: sink().stream, stderr: err.stream });
      return { code, stderr: err.text() };
    };
    expect(await run([], { lang: 'zh-CN' })).toEqual({
      code: EXIT.usage,
      stderr: 'callqa: calibrate 需要待评分的转写文件（INPUT…）或已保存的结果（--results FILE）\n',
    });
    vi.stubEnv('LC_MESSAGES', 'zh_HK.UTF-8');
    expect(await run([CALL], { results: dir })).toEqual({
      code: EXIT.usage,
      stderr: 'callqa: calibrate 只能將標註與轉寫檔案（INPUT…）或已儲存的結果（--results FILE）之一比對，二者不能同時給出\n',
    });
    expect((await run([], { results: dir, rubric: 'zh-phone', lang: 'en' })).stderr).toBe(
      'callqa: --results holds outcomes already scored: --rubric applies only to INPUT…\n',
    );
    const nope = join(dir, 'nope.json');
    expect((await run([nope], {})).stderr).toBe(`callqa: ${nope}：文件或目录不存在\ncallqa: 有 1 个输入路径不存在；未进行评分，也未生成报告\n`);
  });

  it('rubric check: the heading of an invalid rubric in the locale’s language', async () => {
    vi.stubEnv('LANG', 'zh_CN.UTF-8');
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'name: x\n');
    const err = sink();
    expect(await runRubricCheck(bad, { stdout: sink().stream, stderr: err.stream })).toBe(EXIT.usage);
    expect(err.text()).toMatch(/^callqa: 评分标准无效：\n {2}\S/);
  });
});
