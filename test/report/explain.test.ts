import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Chalk } from 'chalk';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { runExplain } from '../../src/commands/explain.js';
import { runScore } from '../../src/commands/score.js';
import { placeFindings, renderExplain } from '../../src/render/explain.js';
import type { CallRecord, RunInfo } from '../../src/results/codec.js';
import { sink } from '../helpers/streams.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const plain = new Chalk({ level: 0 });

async function explain(file: string, opts: { call?: string; rubric?: string } = {}) {
  const stdout = sink();
  const stderr = sink();
  const code = await runExplain(file, opts, { stdout: stdout.stream, stderr: stderr.stream });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

let tmp: string;
let report: string;
let records: CallRecord[];
let run: RunInfo;
const call = (id: string) => records.find((r) => r.callId === id) as CallRecord;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'callqa-explain-'));
  report = join(tmp, 'report');
  const err = sink();
  const code = await runScore(['fixtures/calls'], { out: report, bom: true, quiet: true }, { stdout: sink().stream, stderr: err.stream });
  expect(code, err.text()).toBe(0);
  records = (await readFile(join(report, 'results.jsonl'), 'utf8'))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as CallRecord);
  run = JSON.parse(await readFile(join(report, 'run.json'), 'utf8')) as RunInfo;
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A small timed call to place findings in. */
function synthetic(overrides: Partial<CallRecord>): CallRecord {
  return {
    ...call('C-1001'),
    callId: 'T-1',
    findings: [],
    criticalFailures: [],
    ruleErrors: [],
    utterances: [
      { speaker: 'agent', start: 0, end: 5, text: '您好，这里是星辰通信。' },
      { speaker: 'customer', start: 6, end: 9, text: '我的宽带断了。' },
      { speaker: 'agent', start: 20, end: 25, text: '好的，我帮您查一下。' },
    ],
    ...overrides,
  };
}

describe('renderExplain', () => {
  it('shows the findings of a call whose transcript the results did not keep, and says why and how to see it', () => {
    const { utterances: _u, ...rest } = synthetic({
      findings: [{ rule: 'banned-phrases', at: 20, deduction: 5, message: 'banned phrase "不知道"', evidence: '不知道' }],
    });
    const text = renderExplain(rest as CallRecord, run, new Chalk({ level: 0 }));
    expect(text).toContain(
      '（结果中未保存转写：只有在 report.html 中有页面的通话才保存转写；评分时加 --keep-transcripts 保存全部，或对转写文件运行 callqa explain）',
    );
    expect(text).toContain('\n发现：\n  ↳ 服务禁语 −5: banned phrase "不知道"');
    expect(text).not.toContain('（没有话语）');
    const english = renderExplain(rest as CallRecord, run, plain, 'en');
    expect(english).toContain('(transcript not kept: results keep it only for calls with a page in report.html; score with --keep-transcripts');
    expect(english).toContain('\nfindings:\n  ↳ Banned phrases −5: banned phrase "不知道"');
    expect(renderExplain(rest as CallRecord, run, plain, 'zh-TW')).toContain('\n發現：\n  ↳ 服務禁語 −5');
  });

  it('shows each utterance with its findings under it, then the score breakdown', () => {
    const text = renderExplain(call('C-3002'), run, plain);
    expect(
      text.startsWith(
        'C-3002  孙浩 (S4001)\nfixtures/calls/c3002-complaint-banned.txt:1\n25 分 不合格（合格线 80） · 时长 01:33 · 先挂机 坐席 · 角色：转写中已标明\n\n',
      ),
    ).toBe(true);
    expect(text).toContain(
      [
        '00:00  坐席  您好，这里是优选商城客服，我是孙浩，工号4001，很高兴为您服务。',
        '  ↳ 礼貌用语 −5: 坐席未使用礼貌用语（请、谢谢、不客气、对不起…）；标准要求至少使用 2 次',
        '  ↳ 接听速度 −5: 电话响铃 12 秒后坐席才接听（超过 10 秒；应在第三声铃响前接听）',
        '00:12  客户  我要投诉！我买的电饭煲少发了一个内胆，找了你们三次都没人管！',
        '  ↳ 确认客户需求 −5: 坐席未复述客户需求加以确认；应复述确认，如“您是说……，对吗？”',
        '  ↳ 投诉安抚 −10: 客户投诉未获回应：坐席随后 2 次回复中没有致歉或共情；化解情绪第一步是“确认感受”：先承认客户的情绪和感受，如“非常抱歉，我理解这种情况令您感到失望”',
        '00:21  坐席  先生您别着急，这个情况我不知道之前是谁处理的。',
        '  ↳ 服务禁语 −5: 使用了服务禁语“不知道”',
        '00:30  客户  你们自己的记录你都不知道？',
        '00:35  坐席  系统里只有工单号，具体进展我这边看不到，真不知道。',
      ].join('\n'),
    );
    // A finding whose evidence spans utterances shows it; the fifth "不行" was past the cap.
    expect(text).toContain(
      '  ↳ 结束语 −5: 结束语缺少致谢道别（如“感谢…”）、询问其他需求（如“还有什么可以帮…”）  「这是规定，我也没办法，单独补配件不行。 / 退款也不行',
    );
    expect(text).toContain('01:11  坐席  退款也不行，已经超过七天无理由退货期了。\n  ↳ 服务禁语 −0: 使用了服务禁语“不行”\n01:19');
    expect(text.slice(text.indexOf('得分'))).toBe(
      [
        '得分',
        '  满分                100',
        '  服务禁语            −20  6 处',
        '  挂机顺序            −10  1 处',
        '  结束语               −5  1 处',
        '  礼貌用语             −5  1 处',
        '  拒绝用语             −5  1 处',
        '  确认客户需求         −5  1 处',
        '  投诉安抚            −20  2 处',
        '  接听速度             −5  1 处',
        '  =                    25',
        '',
      ].join('\n'),
    );
  });

  it('shows 一票否决 and the masked number for a critical failure', () => {
    const text = renderExplain(call('C-2002'), run, plain);
    expect(text).toContain(
      '00:41  坐席  您说的139****4321是收件人的号码，按规定改地址需要收件人本人来电，您这边直接改不行。\n  ↳ 服务禁语 −5: 使用了服务禁语“不行”\n01:01',
    );
    expect(text).toContain(
      '01:13  坐席  好的，身份证号110108********2018已经记下了，请收件人用这个号码拨打我们的热线，我们会尽快处理。请问还有什么可以帮您的吗？\n  ↳ 隐私保护 −10: 坐席完整报出了身份证号码\n',
    );
    expect(text).toMatch(/ {2}一票否决\s+→ {4}0 {2}隐私保护 未通过\n {2}=\s+0\n$/);
  });

  it('shows an untimed call with --:-- and no timed figures', () => {
    const text = renderExplain(call('C-3004'), run, plain);
    expect(text).toContain('100 分 合格（合格线 80） · 无时间戳');
    expect(text).toContain('--:--  坐席  您好，欢迎致电云帆快递，我是周婷，有什么可以帮您？\n--:--  客户');
    expect(text).toContain('对，运单号是YF202****0888。');
  });

  it('places a timed finding in the utterance holding its time, else under the nearest earlier one', () => {
    const record = synthetic({
      findings: [
        { rule: 'a', at: 7.5, deduction: 1, message: 'inside the customer turn', evidence: '' },
        { rule: 'b', at: 14, deduction: 1, message: 'in the gap', evidence: '' },
        { rule: 'c', at: 20, deduction: 1, message: 'at a start', evidence: '好的，我帮您查一下。' },
        { rule: 'd', deduction: 1, message: 'untimed, by evidence', evidence: '我的宽带断了' },
        { rule: 'e', deduction: 1, message: 'nowhere', evidence: '不存在的话' },
        { rule: 'f', at: 0, deduction: 1, message: 'ring time', evidence: '您好，这里是星辰通信。' },
      ],
    });
    const placed = placeFindings(record);
    expect([...placed.byUtterance.entries()].map(([i, fs]) => [i, fs.map((f) => f.rule)])).toEqual([
      [1, ['a', 'b', 'd']],
      [2, ['c']],
      [0, ['f']],
    ]);
    expect(placed.unplaced.map((f) => f.rule)).toEqual(['e']);
    const text = renderExplain(record, run, plain);
    expect(text).toContain('00:20  坐席  好的，我帮您查一下。\n  ↳ c −1: at a start\n\n整通通话：\n  ↳ e −1: nowhere  「不存在的话」\n\n得分');
  });

  it('places findings of an untimed call by their evidence, else at the end', () => {
    const record = synthetic({
      utterances: [
        { speaker: 'agent', text: '您好。' },
        { speaker: 'customer', text: '我的 宽带 断了。' },
        { speaker: 'agent', text: '好的。' },
      ],
      findings: [
        { rule: 'closing', deduction: 5, message: 'closing lacks…', evidence: '宽带断了 / 好的。' },
        { rule: 'courtesy', deduction: 5, message: 'no polite words', evidence: '' },
      ],
    });
    const text = renderExplain(record, run, plain);
    expect(text).toContain(
      '--:--  客户  我的 宽带 断了。\n  ↳ 结束语 −5: closing lacks…  「宽带断了 / 好的。」\n--:--  坐席  好的。\n\n整通通话：\n  ↳ 礼貌用语 −5: no polite words\n',
    );
  });

  it('shows LLM deductions, a bonus capped at 100, and the floor at 0', () => {
    const bonus = synthetic({ score: 100, findings: [{ rule: 'llm:empathy', at: 0, deduction: 4, message: '3/5: 安抚不足', evidence: '' }] });
    const text = renderExplain(bonus, run, plain);
    expect(text).toContain('  llm:empathy          −4  1 处\n  加分（封顶 100）     +4\n  =                   100\n');
    const floor = synthetic({
      score: 0,
      passed: false,
      findings: Array.from({ length: 12 }, () => ({ rule: 'banned-phrases', at: 0, deduction: 10, message: 'x', evidence: '' })),
    });
    expect(renderExplain(floor, run, plain)).toContain('  服务禁语           −120  12 处\n  不低于 0            +20\n  =                     0\n');
    const plus = synthetic({ score: 97, findings: [{ rule: 'greeting', at: 0, deduction: 5, message: 'x', evidence: '' }] });
    expect(renderExplain(plus, run, plain)).toContain('  问候语               −5  1 处\n  加分                 +2\n  =                    97\n');
  });

  it('says how the roles were found and what became of the model grading, in words of the language', () => {
    const record = synthetic({ roleSource: 'greeting', llm: { status: 'cached', model: 'claude-x', requests: 0 } as CallRecord['llm'] });
    expect(renderExplain(record, run, plain).split('\n')[2]).toBe(
      '100 分 合格（合格线 80） · 时长 02:45 · 先挂机 客户 · 角色：据问候语判断 · 大模型评分 取自缓存 claude-x',
    );
    expect(renderExplain(record, run, plain, 'zh-TW').split('\n')[2]).toBe(
      '100 分 合格（合格線 80） · 時長 02:45 · 先掛機 客戶 · 角色：據問候語判斷 · 大模型評分 取自快取 claude-x',
    );
    expect(renderExplain(record, run, plain, 'en').split('\n')[2]).toBe(
      '100 points, passed (pass mark 80) · duration 02:45 · hung up first: customer · roles: from the greeting · LLM cached claude-x',
    );
  });

  it('never lets transcript text drive the terminal', () => {
    const record = synthetic({
      utterances: [{ speaker: 'customer', start: 0, end: 3, text: '你好\u001b[2J\u001b]0;pwned\u0007\u202e反转 13812345678' }],
    });
    const text = renderExplain(record, run, plain);
    expect(text).not.toMatch(/[\u001b\u0007\u202e]/);
    expect(text).toContain('00:00  客户  你好\\u{1b}[2J\\u{1b}]0;pwned\\u{7}\\u{202e}反转 138****5678');
  });

  it('colours on a terminal and not otherwise', () => {
    const coloured = renderExplain(call('C-3002'), run, new Chalk({ level: 1 }));
    expect(coloured).toContain('\u001b[');
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(renderExplain(call('C-3002'), run, plain));
  });
});

describe('runExplain', () => {
  it('asks which call when a report holds several, listing the ids (exit 2)', async () => {
    const r = await explain(report);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('中有 15 通通话：请用 --call ID 指定一通：\n  C-1001\n  C-1002\n');
    expect(r.stderr).toContain('  C-5001\n');
  });

  it('shows a call of a report directory or of its results.jsonl', async () => {
    const r = await explain(report, { call: 'C-3003' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(renderExplain(call('C-3003'), run, plain));
    const again = await explain(join(report, 'results.jsonl'), { call: 'C-3003' });
    expect(again.stdout).toBe(r.stdout);
  });

  it('lists the ids for an unknown call (exit 2)', async () => {
    const r = await explain(report, { call: 'C-9999' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/results\.jsonl 中没有通话“C-9999”；其中的通话：\n/);
    expect(r.stderr).toContain('  C-4003\n');
  });

  it('scores and shows a transcript file with the rubric', async () => {
    const r = await explain(join(ROOT, 'fixtures/calls/c3003-repair-late-greeting.txt'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('C-3003  王芳 (A1001)');
    expect(r.stdout).toContain('85 分 合格（合格线 80）');
    expect(r.stdout).toContain('00:12  坐席  您好，这里是星辰通信，我是王芳，很高兴为您服务，抱歉让您久等了。\n  ↳ 问候语 −10: 前 10 秒内坐席未说话\n');
    expect(r.stdout).toMatch(/ {2}=\s+85\n$/);
  });

  it('treats a JSONL of transcripts as transcripts, and asks which call', async () => {
    const path = 'fixtures/calls/c2001-2003-yunfan-parcels.jsonl';
    const r = await explain(path);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('中有 3 通通话：请用 --call ID 指定一通：\n  C-2001\n  C-2002\n  C-2003\n');
    const one = await explain(path, { call: 'C-2002', rubric: 'zh-phone' });
    expect(one.code).toBe(0);
    // The same view as the report's record of that call.
    expect(one.stdout).toBe(renderExplain(call('C-2002'), run, plain));
  });

  it('fails clearly on a missing file, a folder without results, a bad rubric, and an unreadable transcript', async () => {
    // Before the file says its run's language: the locale's (English here, wherever the test runs).
    vi.stubEnv('LC_ALL', 'C.UTF-8');
    onTestFinished(() => {
      vi.unstubAllEnvs();
    });
    expect((await explain(join(tmp, 'nope.jsonl'))).stderr).toContain('no such file or directory');
    const empty = join(tmp, 'empty');
    await mkdir(empty);
    const r = await explain(empty);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('holds no results.jsonl');
    const rubric = await explain(join(ROOT, 'fixtures/calls/c3001-refund-slow.txt'), { rubric: join(tmp, 'missing.yaml') });
    expect(rubric.code).toBe(2);
    const broken = await explain(join(ROOT, 'fixtures/broken/bad-lines.txt'));
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/bad-lines\.txt:\d+: /);
  });

  it('names the line of a results file that is not valid (exit 2)', async () => {
    const dir = join(tmp, 'corrupt');
    await mkdir(dir);
    const lines = (await readFile(join(report, 'results.jsonl'), 'utf8')).split('\n');
    lines[2] = '{"type":"call","schema_version":1,"callId":5}';
    await writeFile(join(dir, 'results.jsonl'), lines.join('\n'));
    await copyFile(join(report, 'run.json'), join(dir, 'run.json'));
    const r = await explain(dir, { call: 'C-1001' });
    expect(r.code).toBe(2);
    // In the run's language (zh-phone's: zh-CN); the schema's own words for each problem as they are.
    expect(r.stderr).toContain('results.jsonl:3：通话记录无效：callId: expected a string, got 5；agentId: expected a string, got nothing；');
    expect(r.stderr).toMatch(/；……另有 \d+ 处\n$/);
  });

  it('shows results without their run.json, saying the pass mark is unknown', async () => {
    const alone = join(tmp, 'alone');
    await mkdir(alone);
    await copyFile(join(report, 'results.jsonl'), join(alone, 'results.jsonl'));
    const r = await explain(join(alone, 'results.jsonl'), { call: 'C-1002' });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('no run.json beside the results');
    expect(r.stderr).toContain("showing the call without the rubric's pass mark");
    // Without run.json the run's language is unknown: English, rules by their catalog titles.
    expect(r.stdout).toContain('90 points, passed · duration');
    expect(r.stdout).toMatch(/ {2}Greeting\s+−10 {2}1 finding\n/);
  });
});
