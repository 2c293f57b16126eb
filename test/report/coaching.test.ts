import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScore } from '../../src/commands/score.js';
import { agentKey, readBaseline } from '../../src/results/baseline.js';
import { escapeMarkdown, writeCoachingPacks } from '../../src/render/coaching.js';
import type { CallRecord, RunInfo } from '../../src/results/codec.js';
import type { Lang } from '../../src/i18n/lang.js';
import { sink } from '../helpers/streams.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function scoreFixtures(out: string, lang?: Lang): Promise<void> {
  const stdout = sink();
  const stderr = sink();
  const opts = { out, bom: true, quiet: true, ...(lang ? { lang } : {}) };
  const code = await runScore([join(ROOT, 'fixtures/calls')], opts, { stdout: stdout.stream, stderr: stderr.stream });
  expect(code, stderr.text()).toBe(0);
}

async function readRecords(dir: string): Promise<CallRecord[]> {
  const text = await readFile(join(dir, 'results.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as CallRecord);
}

async function writeResults(dir: string, records: readonly unknown[], run: RunInfo): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'results.jsonl'), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  await writeFile(join(dir, 'run.json'), JSON.stringify(run));
}

let tmp: string;
let report: string;
let records: CallRecord[];
let run: RunInfo;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'callqa-coaching-'));
  report = join(tmp, 'report');
  await scoreFixtures(report);
  records = await readRecords(report);
  run = JSON.parse(await readFile(join(report, 'run.json'), 'utf8')) as RunInfo;
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const pack = (dir: string, name: string) => readFile(join(dir, 'coaching', `${name}.md`), 'utf8');

/** The message of a call's n-th finding of a rule, as the run wrote it (the rules' own tests hold its wording). */
function message(callId: string, rule: string, n = 0): string {
  const r = records.find((x) => x.callId === callId) as CallRecord;
  return r.findings.filter((f) => f.rule === rule)[n]?.message as string;
}

describe('writeCoachingPacks on fixtures/calls', () => {
  let packs: number;
  beforeAll(async () => {
    await mkdir(join(report, 'coaching'), { recursive: true });
    await writeFile(join(report, 'coaching', 'STALE.md'), 'from an earlier run');
    packs = await writeCoachingPacks(report, {});
  });

  it('writes one pack per agent, and nothing else', async () => {
    expect(packs).toBe(7);
    expect((await readdir(join(report, 'coaching'))).sort()).toEqual(['A1001.md', 'A1002.md', 'B2001.md', 'B2002.md', 'K3001.md', 'K3002.md', 'S4001.md']);
    expect((await readdir(report)).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it("gives calls, average, rank and pass rate; the three most frequent failures with advice and evidence; the agent's strengths", async () => {
    const text = await pack(report, 'S4001');
    expect(text).toContain('# 辅导报告：孙浩（S4001）');
    expect(text).toContain('- 通话数：2');
    expect(text).toContain('- 平均分：57.5（第 6 名，共 7 名坐席）');
    expect(text).toContain('- 合格率：50%（1/2）');
    expect(text).not.toContain('与基线相比');
    // Every failure here is one call; banned-phrases leads on its six findings, then empathy-on-complaint's two (two
    // complaints unanswered), then the 10-point deduction of hangup-order.
    const headings = [...text.matchAll(/^### (.*)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(['1. 服务禁语', '2. 投诉安抚', '3. 挂机顺序']);
    expect(text).toContain('- 未通过：1 通（共 2 通），问题 6 处，扣分 20');
    expect(text).toContain(
      [
        '- 证据：',
        `  - C-3002 00:21 “先生您别着急，这个情况我不知道之前是谁处理的。” — ${message('C-3002', 'banned-phrases', 0)}`,
        `  - C-3002 00:35 “系统里只有工单号，具体进展我这边看不到，真不知道。” — ${message('C-3002', 'banned-phrases', 1)}`,
        `  - C-3002 00:49 “补发不行，要先把整机寄回来检测。” — ${message('C-3002', 'banned-phrases', 2)}`,
        '',
      ].join('\n'),
    );
    expect(text).toContain(`- 改进建议：${escapeMarkdown(run.rubric.advice['empathy-on-complaint'] as string)}`);
    expect(text).toContain('  - C-3002 01:19 “你这什么态度！叫你们主管来！” — ');
    expect(text).toContain('  - C-3002 01:23 “主管现在不在，我不知道他什么时候回来，您明天再打吧。” — 坐席先于客户挂机\n');
    // No advice for banned-phrases in the rubric: said so, not left blank.
    expect(text).toContain(
      `### 1. 服务禁语\n\n- 未通过：1 通（共 2 通），问题 6 处，扣分 20\n- 改进建议：${escapeMarkdown(run.rubric.advice['banned-phrases'] as string)}`,
    );
    const strengths = text.slice(text.indexOf('## 做得好的'));
    expect(strengths.match(/^- (.*)$/gm)).toEqual(['- 问候语', '- 口语化用词', '- 抢话', '- 隐私保护']);
    // Every word in Chinese: no rule id, no English label (the findings' own messages aside).
    const ours = text.replace(/“[^”]*” — .*$/gm, '');
    expect(ours).not.toMatch(/banned-phrases|hangup-order|empathy-on-complaint|greeting|privacy/);
    expect(ours.match(/[A-Za-z]{2,}/g)).toEqual(null);
  });

  it('lists a failure across calls with evidence from each, and leaves failed rules out of the strengths', async () => {
    const text = await pack(report, 'A1001');
    expect(text).toContain('- 平均分：91.67（第 5 名，共 7 名坐席）');
    expect(text).toContain('### 1. 问候语\n\n- 未通过：2 通（共 3 通），问题 2 处，扣分 20');
    expect(text).toContain('  - C-1002 00:00 “您好，这里是星辰通信，很高兴为您服务。” — 问候语缺少自报姓名或工号');
    expect(text).toContain('  - C-3003 00:12 “您好，这里是星辰通信，我是王芳，很高兴为您服务，抱歉让您久等了。” — 前 10 秒内坐席未说话');
    expect(text).toContain('### 2. 接听速度');
    expect(text).toContain('- 改进建议：电话铃响后应在第三声前接听；接听前准备好服务所需的工具和信息，调整呼吸和语气，做好记录准备。');
    expect(text).toContain(
      `  - C-3003 00:00 “您好，这里是星辰通信，我是王芳，很高兴为您服务，抱歉让您久等了。” — ${escapeMarkdown(message('C-3003', 'answer-speed'), 'inline')}`,
    );
    expect(text).not.toContain('\\(');
    const strengths = text.slice(text.indexOf('## 做得好的'));
    expect(strengths).toContain('- 隐私保护');
    expect(strengths).not.toContain('- 问候语');
    expect(strengths).not.toContain('- 接听速度');
  });

  it('masks personal numbers in evidence and gives the advice of a critical rule', async () => {
    const text = await pack(report, 'K3001');
    expect(text).toContain('### 1. 隐私保护');
    expect(text).toContain('C-2002 00:41 “您说的139\\*\\*\\*\\*4321是收件人的号码');
    expect(text).toContain('C-2002 01:13 “好的，身份证号110108\\*\\*\\*\\*\\*\\*\\*\\*2018已经记下了');
    expect(text).not.toMatch(/1390*\d{7}/);
    expect(text).toContain('不要完整念出号码');
  });

  it('ranks ties alike and says when an agent failed nothing', async () => {
    const text = await pack(report, 'B2001');
    // B2001 (C-4001 100, C-4002 90) is behind B2002 (98) and A1002 (96.67).
    expect(text).toContain('- 平均分：95（第 3 名，共 7 名坐席）');
    const best = await pack(report, 'B2002');
    expect(best).toContain('（第 1 名，共 7 名坐席）');
    // Two agents with the same average share a rank.
    const tied = join(tmp, 'tied');
    const hundred = records.filter((r) => r.score === 100 && (r.agentId === 'A1001' || r.agentId === 'B2001'));
    expect(hundred.map((r) => r.agentId).sort()).toEqual(['A1001', 'B2001']);
    await writeResults(tied, hundred, run);
    await writeCoachingPacks(tied);
    expect(await pack(tied, 'A1001')).toContain('- 平均分：100（第 1 名，共 2 名坐席）');
    expect(await pack(tied, 'B2001')).toContain('- 平均分：100（第 1 名，共 2 名坐席）');
    const dir = join(tmp, 'clean');
    await writeResults(dir, [records[0]], run);
    await writeCoachingPacks(dir);
    const clean = await pack(dir, 'A1001');
    expect(clean).toContain('这些通话没有未通过的规则。');
    expect(clean).toContain('- 平均分：100（本次只有这一名坐席）');
  });
});

describe('baseline', () => {
  it('gives the change since the baseline, and says when an agent is new', async () => {
    const dir = join(tmp, 'baseline');
    await writeResults(dir, records, run);
    const baseline = new Map([[agentKey('A1001', '王芳'), { avgScore: 80, passRate: 0.5 }]]);
    await writeCoachingPacks(dir, { baseline });
    expect(await pack(dir, 'A1001')).toContain('- 与基线相比：平均分 +11.67（基线 80），合格率 +50 个百分点（基线 50%）');
    expect(await pack(dir, 'S4001')).toContain('- 与基线相比：基线中没有该坐席的通话');
  });

  it("takes callqa's baseline of an earlier report (its agents.csv), with agents known only by name", async () => {
    const dir = join(tmp, 'same');
    const named = records.map((r) => (r.agentId === 'B2002' ? { ...r, agentId: '' } : r));
    await writeResults(dir, named, run);
    await writeCoachingPacks(dir, { baseline: await readBaseline(report) });
    expect(await pack(dir, 'S4001')).toContain('- 与基线相比：平均分 ±0（基线 57.5），合格率 ±0 个百分点（基线 50%）');
    expect(await pack(dir, 'A1001')).toContain('- 与基线相比：平均分 ±0（基线 91.67），合格率 ±0 个百分点（基线 100%）');
    // 陳志豪 has no id now: a different agent from B2002 of the baseline.
    expect(await pack(dir, '陳志豪')).toContain('# 辅导报告：陳志豪（无工号）');
    expect(await pack(dir, '陳志豪')).toContain('- 与基线相比：基线中没有该坐席的通话');
  });
});

describe("in the run's language", () => {
  /** The paragraph of one failure: its heading to the blank line before the next heading. */
  const paragraph = (text: string, heading: string) => {
    const start = text.indexOf(`### ${heading}`);
    return text.slice(start, text.indexOf('\n\n#', start) + 1);
  };

  it("writes a whole pack in zh-CN, zh-TW or en: headings, sentences, rule titles, evidence quoted the language's way", async () => {
    await writeCoachingPacks(report);
    expect(paragraph(await pack(report, 'S4001'), '3.')).toBe(
      [
        '### 3. 挂机顺序',
        '',
        '- 未通过：1 通（共 2 通），问题 1 处，扣分 10',
        '- 改进建议：结束前致谢并询问"还有什么可以帮助您的吗？"，然后等待客户先挂断电话。',
        '- 证据：',
        '  - C-3002 01:23 “主管现在不在，我不知道他什么时候回来，您明天再打吧。” — 坐席先于客户挂机',
        '',
      ].join('\n'),
    );
    const tw = join(tmp, 'zh-TW');
    await scoreFixtures(tw, 'zh-TW');
    await writeCoachingPacks(tw);
    const twText = await pack(tw, 'S4001');
    // The rubric's advice converted by OpenCC's Taiwan phrases (挂断 → 結束通話); the transcript's words as spoken.
    expect(paragraph(twText, '3.')).toBe(
      [
        '### 3. 掛機順序',
        '',
        '- 未通過：1 通（共 2 通），問題 1 處，扣分 10',
        '- 改進建議：結束前致謝並詢問"還有什麼可以幫助您的嗎？"，然後等待客戶先掛斷電話。',
        '- 證據：',
        '  - C-3002 01:23 「主管现在不在，我不知道他什么时候回来，您明天再打吧。」 — 客服人員先於客戶掛機',
        '',
      ].join('\n'),
    );
    // The agent's name as the data gives it (a name is not ours to convert); the rubric's name converted as its advice is.
    expect(twText.split('\n').slice(0, 10).join('\n')).toBe(
      [
        '# 輔導報告：孙浩（S4001）',
        '',
        '評分標準：中文電話客服標準（合格線 80 分）',
        '',
        '## 概況',
        '',
        '- 通話數：2',
        '- 通話日期：2026年11月4日',
        '- 平均分：57.5（第 6 名，共 7 名客服人員）',
        '- 合格率：50%（1/2）',
      ].join('\n'),
    );
    expect(twText).toContain('\n## 做得好的（適用時從未失分）\n\n- 問候語\n- 口語化用詞\n- 搶話\n- 隱私保護\n');

    const en = join(tmp, 'en');
    await scoreFixtures(en, 'en');
    await writeCoachingPacks(en, { baseline: new Map([[agentKey('S4001', '孙浩'), { avgScore: 60, passRate: 0.5 }]]) });
    const enText = await pack(en, 'S4001');
    // The zh-phone rubric gives its advice in Chinese only: the pack quotes it as the rubric wrote it.
    expect(paragraph(enText, '3.')).toBe(
      [
        '### 3. Hang-up order',
        '',
        '- Calls failed: 1 of 2; findings: 1; points deducted: 10',
        '- How to improve: Before ending, thank the customer and ask "Is there anything else I can help you with?", then wait for the customer to hang up first.',
        '- Evidence:',
        '  - C-3002 01:23 "主管现在不在，我不知道他什么时候回来，您明天再打吧。" — the agent hung up before the customer',
        '',
      ].join('\n'),
    );
    expect(enText.split('\n').slice(0, 11).join('\n')).toBe(
      [
        '# Coaching pack: 孙浩 (S4001)',
        '',
        'Rubric: Chinese telephone service standard (pass mark: 80 points)',
        '',
        '## Overview',
        '',
        '- Calls: 2',
        '- Call date: November 4, 2026',
        '- Average score: 57.5 (rank 6 of 7 agents)',
        '- Pass rate: 50% (1 of 2)',
        '- Since the baseline: average score −2.5 (was 60), pass rate ±0 percentage points (was 50%)',
      ].join('\n'),
    );
    expect([...enText.matchAll(/^#{2,3} (.*)$/gm)].map((m) => m[1])).toEqual([
      'Overview',
      'Most frequent problems',
      '1. Banned phrases',
      '2. Empathy on a complaint',
      '3. Hang-up order',
      'Strengths (never lost points where the rule applied)',
    ]);
    expect(await pack(en, 'A1002')).toContain('- Since the baseline: the baseline has no calls of this agent\n');
  });

  it("gives the days of the agent's calls as the calls' own timestamps date them, and how many give none", async () => {
    const a1001 = records.filter((r) => r.agentId === 'A1001');
    expect(a1001.map((r) => r.startedAt)).toEqual(['2026-11-02T09:12:05+08:00', '2026-11-02T10:41:37+08:00', '2026-11-05T15:02:33+08:00']);
    expect(await pack(report, 'A1001')).toContain('- 通话数：3\n- 通话日期：2026年11月2日至2026年11月5日\n- 平均分：');
    const dir = join(tmp, 'dates');
    // 23:30 at +08:00 is 15:30 UTC: the day stays the call's own; a date that is no date counts as none.
    const dated = [
      { ...a1001[0], startedAt: '2026-11-02T23:30:00+08:00' },
      { ...a1001[1], startedAt: '2026-13-45T10:00:00Z' },
      { ...a1001[2], startedAt: undefined },
    ];
    await writeResults(dir, dated, { ...run, rubric: { ...run.rubric, lang: 'en' } });
    await writeCoachingPacks(dir);
    expect(await pack(dir, 'A1001')).toContain('- Calls: 3\n- Call date: November 2, 2026\n- Calls without a date: 2\n- Average score:');
    await writeResults(dir, dated, run);
    await writeCoachingPacks(dir);
    expect(await pack(dir, 'A1001')).toContain('- 通话数：3\n- 通话日期：2026年11月2日\n- 未记录日期的通话：2 通\n- 平均分：');
  });

  it("reads a run from before languages (no lang, no titles in run.json) as English, rules by their types' titles", async () => {
    const dir = join(tmp, 'before-languages');
    const { lang: _lang, titles: _titles, ...rubric } = run.rubric;
    await writeResults(dir, records, { ...run, rubric });
    await writeCoachingPacks(dir);
    const text = await pack(dir, 'S4001');
    expect(text.split('\n')[0]).toBe('# Coaching pack: 孙浩 (S4001)');
    expect(text).toContain('### 1. Banned phrases\n');
    expect(text).toContain('\n## Strengths (never lost points where the rule applied)\n\n- Greeting\n');
  });
});

describe('untrusted agent ids', () => {
  it('keeps every pack inside coaching/, whatever the id', async () => {
    const dir = join(tmp, 'nasty', 'report');
    const ids = ['../../x', '../x', '/etc/passwd', 'CON', '..', ''];
    const nasty = records.slice(0, ids.length).map((r, i) => ({ ...r, agentId: ids[i], agentName: ids[i] === '' ? '' : `name${i}` }));
    await writeResults(dir, nasty, run);
    expect(await writeCoachingPacks(dir)).toBe(ids.length);
    const files = await readdir(join(dir, 'coaching'));
    expect(files).toHaveLength(ids.length);
    expect(files.every((f) => /^[^/\\]+\.md$/.test(f))).toBe(true);
    expect((await readdir(join(tmp, 'nasty'))).sort()).toEqual(['report']);
    expect((await readdir(dir)).sort()).toEqual(['coaching', 'results.jsonl', 'run.json']);
    const packFor = async (id: string) => {
      for (const f of files) {
        const text = await readFile(join(dir, 'coaching', f), 'utf8');
        if (text.split('\n')[0]?.includes(id)) return { f, text };
      }
      return undefined;
    };
    const up = await packFor('（../../x）');
    expect(up?.f).toMatch(/^_x~[0-9a-f]{12}\.md$/);
    expect(up?.text.split('\n')[0]).toBe('# 辅导报告：name0（../../x）');
    expect((await packFor('（CON）'))?.f).toMatch(/^CON~[0-9a-f]{12}\.md$/);
  });

  it('names agents without an id by name, and keeps them apart from an id of the same text', async () => {
    const dir = join(tmp, 'names');
    const a = { ...records[0], agentId: '王芳', agentName: '王芳' };
    const b = { ...records[1], agentId: '', agentName: '王芳' };
    const c = { ...records[2], agentId: '', agentName: '李娜' };
    const d = { ...records[3], agentId: '', agentName: '' };
    await writeResults(dir, [a, b, c, d], run);
    expect(await writeCoachingPacks(dir)).toBe(4);
    const files = (await readdir(join(dir, 'coaching'))).sort();
    expect(files).toHaveLength(4);
    expect(files).toContain('王芳.md');
    expect(files).toContain('李娜.md');
    expect(files.filter((f) => /^name_王芳~[0-9a-f]{12}\.md$/.test(f))).toHaveLength(1);
    expect(files).toContain('unknown-agent.md');
    expect(await pack(dir, 'unknown-agent')).toContain('# 辅导报告：（未知坐席）');
    expect(await pack(dir, '李娜')).toContain('# 辅导报告：李娜（无工号）');
  });

  it('escapes Markdown and HTML in names and quotes, and drops control characters', async () => {
    const dir = join(tmp, 'markdown');
    const r = records.find((x) => x.callId === 'C-1002') as CallRecord;
    const evil = {
      ...r,
      agentName: '<script>alert(1)</script>',
      findings: r.findings.map((f) => ({ ...f, evidence: '[点我](http://evil.example) **粗体** `代码` | 表格 \u001b[31m 13812345678' })),
    };
    await writeResults(dir, [evil], run);
    await writeCoachingPacks(dir);
    const text = await pack(dir, 'A1001');
    expect(text).toContain('# 辅导报告：\\<script>alert(1)\\</script>（A1001）');
    expect(text).toContain('“\\[点我\\](http:\\/\\/evil.example) \\*\\*粗体\\*\\* \\`代码\\` | 表格  \\[31m 138\\*\\*\\*\\*5678”');
    expect(text).not.toContain('\u001b');
  });
});

describe('LLM criteria', () => {
  it('counts deducting criteria as failures, with the advice run.json has and the model reasons', async () => {
    const dir = join(tmp, 'llm');
    const base = records.find((x) => x.callId === 'C-1001') as CallRecord;
    const graded = (callId: string, empathy: number, reason: string): CallRecord => ({
      ...base,
      callId,
      score: 100 - empathy,
      findings: [{ rule: 'llm:empathy', at: 21.5, deduction: empathy, message: `2/5: ${reason}`, evidence: '非常抱歉给您带来不便' }],
      llm: {
        status: 'ok',
        model: 'claude-haiku-5-5',
        requests: 1,
        grades: [
          { id: 'empathy', score: 2, evidence: ['非常抱歉给您带来不便'], reason, unverified: false, deduction: empathy },
          { id: 'proper-promises', score: 5, evidence: [], reason: '承诺得当', unverified: false, deduction: 0 },
          { id: 'first-contact-resolution', score: 1, evidence: [], reason: '没有核实', unverified: true, deduction: 0 },
        ],
      },
    });
    const criteria = [
      { id: 'empathy', question: '坐席是否先确认客户的感受？', maxScore: 5 },
      { id: 'first-contact-resolution', question: '问题是否当场解决？', maxScore: 5 },
    ];
    const withAdvice: RunInfo = {
      ...run,
      rubric: { ...run.rubric, advice: { ...run.rubric.advice, 'llm:empathy': '先确认客户的感受。' } },
      llm: { model: 'claude-haiku-5-5', promptVersion: '1', criteria },
      layout: { ...run.layout, criteria: criteria.map((c) => c.id) },
    };
    await writeResults(dir, [graded('L-1', 6, '道歉流于形式，客户号码 13812345678'), graded('L-2', 6, '没有安抚')], withAdvice);
    await writeCoachingPacks(dir);
    const text = await pack(dir, 'A1001');
    // A criterion by its question; one run.json does not name, by a sentence around its id.
    expect(text).toContain('### 1. 坐席是否先确认客户的感受？\n\n- 未通过：2 通（共 2 通），问题 2 处，扣分 12\n- 改进建议：先确认客户的感受。');
    expect(text).toContain('  - L-1 00:21 “非常抱歉给您带来不便” — 2/5: 道歉流于形式，客户号码 138\\*\\*\\*\\*5678');
    expect(text).toContain(
      '## 模型评语\n\n### 坐席是否先确认客户的感受？\n\n- L-1（2 分）：道歉流于形式，客户号码 138\\*\\*\\*\\*5678\n- L-2（2 分）：没有安抚\n',
    );
    const strengths = text.slice(text.indexOf('## 做得好的'), text.indexOf('## 模型评语'));
    expect(strengths).toContain('- 模型评分项 proper-promises');
    // Unverified: neither a failure nor a strength.
    expect(text).not.toContain('问题是否当场解决');
    // zh-TW: the rubric's question converted as its advice is (toTaiwan: OpenCC's Taiwan phrases, which keep 坐席).
    const tw = join(tmp, 'llm-tw');
    await writeResults(tw, [graded('L-1', 6, '没有安抚')], { ...withAdvice, rubric: { ...withAdvice.rubric, lang: 'zh-TW' } });
    await writeCoachingPacks(tw);
    const twText = await pack(tw, 'A1001');
    expect(twText).toContain('### 1. 客服人員是否先確認客戶的感受？\n');
    expect(twText).toContain('## 模型評語\n\n### 客服人員是否先確認客戶的感受？\n\n- L-1（2 分）：没有安抚\n');
  });
});

describe('hidden rules', () => {
  it('leaves out rules that are not columns of the report (hidden helpers)', async () => {
    const dir = join(tmp, 'hidden');
    const base = records.find((x) => x.callId === 'C-1001') as CallRecord;
    await writeResults(dir, [{ ...base, outcomes: { ...base.outcomes, 'is-complaint': 'pass', 'has-hold': 'fail' } }], run);
    await writeCoachingPacks(dir);
    const text = await pack(dir, 'A1001');
    expect(text).not.toContain('is-complaint');
    expect(text).not.toContain('has-hold');
    expect(text).toContain('这些通话没有未通过的规则。');
  });
});

describe('memory stays bounded', () => {
  it('keeps at most three evidence lines per rule, preferring different calls', async () => {
    const dir = join(tmp, 'many');
    const base = records.find((x) => x.callId === 'C-3002') as CallRecord;
    const many = Array.from({ length: 50 }, (_, i) => ({ ...base, callId: `M-${i}`, seq: i }));
    await writeResults(dir, many, run);
    await writeCoachingPacks(dir);
    const text = await pack(dir, 'S4001');
    const section = text.slice(text.indexOf('### 1. 服务禁语'), text.indexOf('### 2.'));
    expect(section).toContain('- 未通过：50 通（共 50 通），问题 300 处，扣分 1000');
    expect(section.match(/^ {2}- M-\d+ /gm)).toEqual(['  - M-0 ', '  - M-1 ', '  - M-2 ']);
  });
});

describe('escapeMarkdown: only what Markdown reads', () => {
  it.each([
    // CommonMark takes a backslash only before ASCII punctuation: none before digits, Han or full-width text.
    ['等待 25.6 s（超过 15 s）', '等待 25.6 s（超过 15 s）'],
    ['25.6 s', '25.6 s'],
    ['(longer than 15 s)', '(longer than 15 s)'],
    ['工单#123 与 A&B', '工单#123 与 A&B'],
    ['|表格| a=b {x} ^y !z', '|表格| a=b {x} ^y !z'],
    // Block markers where the text starts a block (a list item's text).
    ['# 标题', '\\# 标题'],
    ['> 引用', '\\> 引用'],
    ['- 列表', '\\- 列表'],
    ['+ 列表', '\\+ 列表'],
    ['---', '\\---'],
    ['1. 第一', '1\\. 第一'],
    ['12) 第二', '12\\) 第二'],
    ['2026.', '2026\\.'],
    ['    缩进成代码', '缩进成代码'],
    // Inline markup anywhere.
    ['[点我](javascript:alert(1))', '\\[点我\\](javascript:alert(1))'],
    ['![图](x.png)', '!\\[图\\](x.png)'],
    ['<script>alert(1)</script><img src=x onerror=y>', '\\<script>alert(1)\\</script>\\<img src=x onerror=y>'],
    ['`代码` **粗体** _斜体_ ~~删除~~ $x$', '\\`代码\\` \\*\\*粗体\\*\\* \\_斜体\\_ \\~\\~删除\\~\\~ \\$x\\$'],
    ['139****4321', '139\\*\\*\\*\\*4321'],
    ['C:\\temp\\', 'C:\\\\temp\\\\'],
    ['&amp; &#60; &#x3c;', '\\&amp; \\&#60; \\&#x3c;'],
    ['见 https://evil.example 或 www.evil.example 或 a@b.example', '见 https:\\/\\/evil.example 或 www\\.evil.example 或 a\\@b.example'],
    ['结尾 #', '结尾 \\#'],
  ])('%j → %j', (text, escaped) => {
    expect(escapeMarkdown(text)).toBe(escaped);
  });

  it('keeps transcript lines harmless in a pack: block markers, links, HTML and code stay text', async () => {
    const dir = join(tmp, 'injection');
    const r = records.find((x) => x.callId === 'C-1002') as CallRecord;
    const rules = ['greeting', 'banned-phrases', 'privacy'];
    const lines = ['# 我是标题', '- 列表项', '1. 有序', '> 引用', '```js', '[点我](javascript:alert(1))', '<img src=x onerror=alert(1)>'];
    const hostile = {
      ...r,
      callId: '1. C-1002',
      agentName: '# 王芳',
      outcomes: Object.fromEntries(rules.map((rule) => [rule, 'fail'])),
      findings: lines.map((evidence, i) => ({ rule: rules[i % 3] as string, at: i, deduction: 1, message: `等待 25.6 s（超过 15 s）(#${i})`, evidence })),
    };
    await writeResults(dir, [hostile], run);
    await writeCoachingPacks(dir);
    const text = await pack(dir, 'A1001');
    expect(text.split('\n')[0]).toBe('# 辅导报告：# 王芳（A1001）');
    expect(text.split('\n').filter((l) => l.startsWith('  - '))).toEqual([
      '  - 1\\. C-1002 00:00 “# 我是标题” — 等待 25.6 s（超过 15 s）(#0)',
      '  - 1\\. C-1002 00:03 “> 引用” — 等待 25.6 s（超过 15 s）(#3)',
      '  - 1\\. C-1002 00:06 “\\<img src=x onerror=alert(1)>” — 等待 25.6 s（超过 15 s）(#6)',
      '  - 1\\. C-1002 00:01 “- 列表项” — 等待 25.6 s（超过 15 s）(#1)',
      '  - 1\\. C-1002 00:04 “\\`\\`\\`js” — 等待 25.6 s（超过 15 s）(#4)',
      '  - 1\\. C-1002 00:02 “1. 有序” — 等待 25.6 s（超过 15 s）(#2)',
      '  - 1\\. C-1002 00:05 “\\[点我\\](javascript:alert(1))” — 等待 25.6 s（超过 15 s）(#5)',
    ]);
  });

  it('escapes block markers only where the text starts a block', () => {
    expect(escapeMarkdown('# 1. x', 'inline')).toBe('# 1. x');
    expect(escapeMarkdown('# 1. x')).toBe('\\# 1. x');
    expect(escapeMarkdown('  1. x', 'block')).toBe('1\\. x');
  });
});
