import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsv, runCli, tempDir } from '../helpers/cli.js';

// The bundled chats and social-media threads (fixtures/chat/README.md) under the two written-service rubrics: the
// outcomes and findings a QA reviewer reading each thread marks, no more.
type Row = Record<string, string>;

async function score(rubric: string, inputs: string[]): Promise<{ code: number | null; stderr: string; calls: Map<string, Row>; findings: Row[] }> {
  const out = join(await tempDir(), rubric);
  const run = await runCli(['score', ...inputs, '--rubric', rubric, '--out', out, '-q']);
  const calls = new Map((await readCsv(join(out, 'calls.csv'))).map((c) => [c.call_id as string, c]));
  return { code: run.code, stderr: run.stderr, calls, findings: await readCsv(join(out, 'findings.csv')) };
}

/** Each finding of a call as `rule: evidence` (deducting or awaiting review). */
function found(findings: Row[], call: string): string[] {
  return findings.filter((f) => f.call_id === call).map((f) => `${f.rule}: ${f.evidence}`);
}

describe('zh-chat on the bundled online chats', () => {
  let run: Awaited<ReturnType<typeof score>>;
  beforeAll(async () => {
    run = await score('zh-chat', [
      'fixtures/chat/ch01-order-delay-good.json',
      'fixtures/chat/ch02-invoice-slow-slang.json',
      'fixtures/chat/ch03-refund-silent-wait.json',
      'fixtures/chat/ch04-card-binding-privacy.json',
    ]);
  });

  it('says nothing on stderr: chats scored with the chat rubric', () => {
    expect(run.stderr).toBe('');
  });

  it('passes the chat a reviewer finds nothing in: quick reply, progress updates, apology, closing', () => {
    expect(run.calls.get('CH-0312-01')).toMatchObject({ score: '100', passed: 'true', findings: '0', channel: 'chat', agent_chars_per_minute: '' });
    expect(found(run.findings, 'CH-0312-01')).toEqual([]);
  });

  it('faults the slow first reply, the slang and the emoticons, and nothing else', () => {
    expect(run.calls.get('CH-0312-02')).toMatchObject({
      'first-response': 'fail',
      'written-style': 'fail',
      greeting: 'pass',
      'response-gaps': 'pass',
      closing: 'pass',
    });
    const rules = run.findings.filter((f) => f.call_id === 'CH-0312-02').map((f) => f.rule);
    expect(new Set(rules)).toEqual(new Set(['first-response', 'written-style']));
    const first = run.findings.find((f) => f.call_id === 'CH-0312-02' && f.rule === 'first-response');
    expect(first).toMatchObject({ at_seconds: '0', evidence: '在吗？我想开一张电子发票。' });
  });

  it('faults the silent wait after 请稍等, the flat 不知道 and 这不可能', () => {
    expect(run.calls.get('CH-0312-03')).toMatchObject({
      'first-response': 'pass',
      'response-gaps': 'fail',
      'banned-phrases': 'fail',
      'refusal-wording': 'fail',
      closing: 'pass',
    });
    const gap = run.findings.find((f) => f.call_id === 'CH-0312-03' && f.rule === 'response-gaps');
    expect(gap).toMatchObject({ at_seconds: '65', evidence: '您好，这里是星辰商城在线客服，我是陈静，很高兴为您服务。请您稍等，我查一下退款进度。' });
  });

  it('zeroes the chat where the agent typed a full bank card number, masked in the report', () => {
    expect(run.calls.get('CH-0312-04')).toMatchObject({ score: '0', passed: 'false', privacy: 'fail', critical_failures: 'privacy' });
    const privacy = run.findings.find((f) => f.call_id === 'CH-0312-04' && f.rule === 'privacy');
    expect(privacy?.evidence).not.toContain('6222021234567890128');
  });
});

describe('zh-social on the bundled social-media threads', () => {
  let run: Awaited<ReturnType<typeof score>>;
  beforeAll(async () => {
    run = await score('zh-social', [
      'fixtures/chat/so01-parcel-delay-good.json',
      'fixtures/chat/so02-quality-argue.json',
      'fixtures/chat/so03-phone-in-public.json',
    ]);
  });

  it('passes the public reply that apologises, moves details to a private message and gives a solution', () => {
    expect(run.calls.get('SO-0312-01')).toMatchObject({
      score: '100',
      passed: 'true',
      channel: 'social',
      'solution-on-complaint': 'pass',
      'public-privacy': 'pass',
    });
    expect(found(run.findings, 'SO-0312-01')).toEqual([]);
  });

  it('faults the late, argumentative reply to a negative review', () => {
    expect(run.calls.get('SO-0312-02')).toMatchObject({
      'first-response': 'fail',
      greeting: 'fail',
      'no-arguing': 'fail',
      'empathy-on-complaint': 'fail',
      'solution-on-complaint': 'fail',
      'response-gaps': 'pass',
      'public-privacy': 'pass',
    });
    expect(run.findings.filter((f) => f.call_id === 'SO-0312-02' && f.rule === 'no-arguing').map((f) => f.evidence)).toEqual([
      '您好，感谢您的反馈。您理解错了，我们的产品出厂都检测过，漏水一般是使用不当造成的。',
      '请您看清楚说明书，干烧是不在保修范围内的。',
    ]);
  });

  it('faults the phone number repeated in public and the thread never moved to private messages, masking it', () => {
    expect(run.calls.get('SO-0312-03')).toMatchObject({ 'public-privacy': 'fail', 'first-response': 'pass', greeting: 'pass', 'response-gaps': 'pass' });
    const privacy = run.findings.filter((f) => f.call_id === 'SO-0312-03' && f.rule === 'public-privacy');
    expect(privacy).toHaveLength(2);
    for (const f of privacy) expect(f.evidence).not.toContain('13912345678');
  });
});

describe('the written rubrics on a phone call, and the phone rubric on chats', () => {
  it('answers n/a for the written-service rules on a phone call, and says which rubric phone calls want', async () => {
    const run = await score('zh-chat', ['fixtures/calls/c1001-broadband-outage.json']);
    expect(run.calls.get('C-1001')).toMatchObject({ 'first-response': 'n/a', 'response-gaps': 'n/a', 'written-style': 'n/a' });
    expect(run.stderr).toBe(
      'callqa: 1 段对话（电话 1）按在线客服标准“中文在线客服标准”评分，其规则并不适用（电话没有回复时间，书面对话没有语速）；请改用各自渠道的标准：--rubric zh-phone\n',
    );
  });

  it('says so when social threads are scored with the chat rubric, in English with --lang en', async () => {
    const out = join(await tempDir(), 'mixed');
    const run = await runCli(['score', 'fixtures/chat', '--rubric', 'zh-chat', '--out', out, '-q', '--lang', 'en']);
    expect(run.stderr).toBe(
      'callqa: 3 conversations (social media 3) were scored with Chinese online chat service standard, a rubric for online chat: its rules do not fit them (a phone call has no reply times, a chat no speech rate); score them with their own rubric: --rubric zh-social\n',
    );
  });

  it('says so when chats are scored with the telephone rubric, which checks no reply times', async () => {
    const run = await score('zh-phone', ['fixtures/chat/ch01-order-delay-good.json', 'fixtures/calls/c1001-broadband-outage.json']);
    expect(run.stderr).toBe(
      'callqa: 1 段对话（在线客服 1）按电话标准“中文电话客服标准”评分，其规则并不适用（电话没有回复时间，书面对话没有语速）；请改用各自渠道的标准：--rubric zh-chat\n',
    );
  });

  it('a CSV chat export scores with --channel chat and --columns', async () => {
    const out = join(await tempDir(), 'csv');
    const columns = 'call_id=会话ID,agent_id=客服工号,agent_name=客服昵称,speaker=发送方,start=发送时间,text=消息内容';
    const run = await runCli([
      'score',
      'fixtures/formats/csv-export/chat-wechat-export.csv',
      '--channel',
      'chat',
      '--columns',
      columns,
      '--rubric',
      'zh-chat',
      '--out',
      out,
      '-q',
    ]);
    expect(run.code).toBe(0);
    const [call] = await readCsv(join(out, 'calls.csv'));
    expect(call).toMatchObject({
      call_id: 'WX-0312-5501',
      channel: 'chat',
      score: '100',
      'first-response': 'pass',
      'response-gaps': 'pass',
      agent_chars_per_minute: '',
    });
  });

  it('callqa formats says how written service is read and scored', async () => {
    const run = await runCli(['formats']);
    expect(run.stdout).toContain("a chat export's message dates and times become seconds from its first message (--channel chat)");
    expect(run.stdout).toContain('is scored with --rubric zh-chat or zh-social; speech rate, dead air, interruption, answer speed and hang-up order are n/a.');
  });

  it('a run of conversations only says conversations, not calls: the summary and report.html', async () => {
    const out = join(await tempDir(), 'words');
    const run = await runCli([
      'score',
      'fixtures/chat/ch01-order-delay-good.json',
      'fixtures/chat/ch03-refund-silent-wait.json',
      '--rubric',
      'zh-chat',
      '--out',
      out,
    ]);
    expect(run.stdout).toContain('共评分 2 段对话（来自 2 个输入文件）· 平均分 92.5 · 合格 2 段（100%，合格线 80）');
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<title>对话质检报告 — 中文在线客服标准</title>');
    expect(html).toContain('<h1>对话质检报告</h1>');
    const mixed = join(await tempDir(), 'mixed-words');
    const both = await runCli(['score', 'fixtures/chat/ch01-order-delay-good.json', 'fixtures/calls/c1001-broadband-outage.json', '--out', mixed]);
    expect(both.stdout).toContain('共评分 2 通通话');
    expect(await readFile(join(mixed, 'report.html'), 'utf8')).toContain('<h1>通话质检报告</h1>');
  });
});
