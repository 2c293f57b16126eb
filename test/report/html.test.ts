import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';
import { agentAnchor, anchorToken, callAnchor, escapeHtml, MAX_CALL_PAGES, writeHtmlReport } from '../../src/render/html/index.js';
import type { CallRecord, ErrorRecord, RunInfo } from '../../src/results/codec.js';

const RULES = ['greeting', 'banned-phrases', 'privacy'];

function runInfo(over: Partial<RunInfo> = {}): RunInfo {
  return {
    schema_version: 1,
    callqaVersion: '0.1.0',
    rubric: {
      name: '测试标准 <script>x</script>',
      path: '/r.yaml',
      sha256: 'abc',
      passScore: 80,
      advice: { 'banned-phrases': '不要说"不知道"<b>，改说"我帮您确认一下"' },
    },
    layout: { ruleIds: RULES, criteria: ['empathy'] },
    inputs: { files: 3, calls: 5, failed: 1, skipped: 0 },
    startedAt: '2026-11-01T00:00:00Z',
    endedAt: '2026-11-01T00:01:00Z',
    command: ['score', 'x'],
    ...over,
  };
}

let seq = 0;
function call(over: Partial<CallRecord> & Pick<CallRecord, 'callId' | 'agentId' | 'agentName' | 'score'>): CallRecord {
  const outcomes = Object.fromEntries(RULES.map((r) => [r, 'pass' as const]));
  return {
    source: 'calls/a.json',
    hangupBy: 'customer',
    roleSource: 'given',
    passed: over.score >= 80,
    outcomes,
    findings: [],
    criticalFailures: [],
    ruleErrors: [],
    durationSeconds: 20,
    type: 'call',
    schema_version: 1,
    seq: seq++,
    utterances: [
      { speaker: 'agent', start: 0, end: 5, text: '您好，这里是星辰通信，很高兴为您服务。' },
      { speaker: 'customer', start: 5.5, end: 9, text: '我的宽带断了。' },
      { speaker: 'agent', start: 10, end: 20, text: '好的，请您稍等。' },
    ],
    ...over,
  };
}

async function reportDir(records: (CallRecord | ErrorRecord | string)[], run: RunInfo = runInfo()): Promise<string> {
  const dir = await tempDir('callqa-html-');
  await writeFile(join(dir, 'run.json'), JSON.stringify(run));
  await writeFile(join(dir, 'results.jsonl'), `${records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n')}\n`);
  return dir;
}

async function render(
  records: (CallRecord | ErrorRecord | string)[],
  run?: RunInfo,
  options?: Parameters<typeof writeHtmlReport>[1],
): Promise<{ dir: string; html: string }> {
  const dir = await reportDir(records, run);
  await writeHtmlReport(dir, options);
  return { dir, html: await readFile(join(dir, 'report.html'), 'utf8') };
}

const count = (html: string, re: RegExp) => (html.match(new RegExp(re.source, 'g')) ?? []).length;
const ids = (html: string) => [...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1] as string);
const fragmentLinks = (html: string) => [...html.matchAll(/\shref="#([^"]*)"/g)].map((m) => m[1] as string);
/** The visible text of an HTML fragment: tags dropped, entities decoded. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

const HOSTILE = '<script>alert("x")</script>';

/** A small run with hostile text, a path-like agent id, a duplicate call id, an untimed call, LLM grades and an error. */
function sampleRecords(): (CallRecord | ErrorRecord | string)[] {
  return [
    call({
      callId: 'C-1',
      agentId: 'A1',
      agentName: '王芳',
      score: 95,
      findings: [{ rule: 'greeting', at: 0, deduction: 5, message: 'greeting lacks 自报姓名工号', evidence: '您好，这里是星辰通信，很高兴为您服务。' }],
      outcomes: { greeting: 'fail', 'banned-phrases': 'pass', privacy: 'pass' },
      utterances: [
        { speaker: 'agent', start: 0, end: 5, text: '您好，这里是星辰通信，很高兴为您服务。' },
        { speaker: 'customer', start: 5.5, end: 9, text: `${HOSTILE} 我的号码是13812345678` },
        { speaker: 'agent', start: 10, end: 20, text: '好的，请您稍等。\u0007' },
      ],
    }),
    call({
      callId: 'C"2<x>',
      agentId: '../x',
      agentName: '<img src=x onerror=alert(1)>',
      score: 40,
      passed: false,
      outcomes: { greeting: 'pass', 'banned-phrases': 'fail', privacy: 'n/a' },
      findings: [
        { rule: 'banned-phrases', at: 12, deduction: 5, message: 'banned phrase "不知道"', evidence: '=HYPERLINK("https://evil.example") 不知道' },
        { rule: 'banned-phrases', at: 16, deduction: 5, message: 'banned phrase "不行"', evidence: '不行' },
        { rule: 'llm:empathy', at: 16, deduction: 10, message: '1/5: 没有安抚', evidence: '不行' },
      ],
      utterances: [
        { speaker: 'agent', start: 0, end: 10, text: '喂' },
        { speaker: 'agent', start: 12, end: 15, text: '=HYPERLINK("https://evil.example") 不知道' },
        { speaker: 'agent', start: 16, end: 18, text: '这个真的不行，没办法' },
      ],
      llm: {
        status: 'ok',
        model: 'm',
        requests: 1,
        grades: [{ id: 'empathy', score: 1, evidence: ['不行'], reason: '没有安抚 <i>', unverified: false, deduction: 10 }],
      },
    }),
    call({ callId: 'C-1', agentId: 'A1', agentName: '王芳', score: 85, source: 'calls/b.json' }),
    call({
      callId: 'U-1',
      agentId: '',
      agentName: '林雅婷',
      score: 100,
      durationSeconds: undefined,
      utterances: [
        { speaker: 'agent', text: '您好，很高兴为您服务' },
        { speaker: 'customer', text: '谢谢' },
      ],
    }),
    'this line is not JSON',
    { type: 'error', schema_version: 1, source: 'calls/bad.txt', line: 3, error: `bad timestamp ${HOSTILE} 13912345678` },
  ];
}

describe('anchors', () => {
  it('turns any id into a token safe in an id, a fragment and a selector, one token per id', () => {
    expect(anchorToken('C-1001_a')).toBe('C-1001_a');
    expect(anchorToken('../x')).toBe('.2e.2e.2fx');
    expect(anchorToken('王')).toBe('.e7.8e.8b');
    expect(anchorToken('a"<b> c')).toBe('a.22.3cb.3e.20c');
    expect(anchorToken('a.2e')).not.toBe(anchorToken('a.'));
    expect(callAnchor('C 1')).toBe('call-C.201');
    expect(agentAnchor('../x', 'n')).toBe('agent-id-.2e.2e.2fx');
    expect(agentAnchor('', '林')).toBe('agent-name-.e6.9e.97');
    expect(agentAnchor('name-x', '')).not.toBe(agentAnchor('', 'x'));
  });

  it('escapes the five HTML specials and control characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>\u0000`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;\uFFFD');
  });
});

describe('writeHtmlReport', () => {
  it('writes one self-contained page: overview, a section per agent, a page per call', async () => {
    const { dir, html } = await render(sampleRecords());
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(await readdir(dir)).toEqual(expect.arrayContaining(['report.html', 'run.json', 'results.jsonl']));
    expect((await readdir(dir)).filter((f) => f.includes('partial'))).toEqual([]);

    // Three agents (A1, ../x, and 林雅婷 known by name only), four call pages (C-1 twice).
    expect(count(html, /<section class="agent"/)).toBe(3);
    expect(count(html, /<section class="call-page"/)).toBe(4);
    expect(ids(html)).toEqual(expect.arrayContaining(['overview', 'agents', 'errors', 'call-C-1', 'call-C-1..2', 'call-C.222.3cx.3e', 'call-U-1']));
    expect(ids(html)).toEqual(expect.arrayContaining(['agent-id-A1', 'agent-id-.2e.2e.2fx', 'agent-name-.e6.9e.97.e9.9b.85.e5.a9.b7']));

    // Charts: 10 histogram bins holding the 4 calls, one bar per rule, one per LLM criterion.
    expect(count(html, /<rect class="bar (?:pass|fail)"/)).toBe(10);
    expect(html).toContain('<title>90–100 points: 2 calls</title>');
    expect(html).toContain('<title>80–89 points: 1 call</title>');
    expect(html).toContain('<title>40–49 points: 1 call</title>');
    expect(count(html, /<rect class="hbar fail"/)).toBe(3);
    expect(count(html, /<rect class="hbar llm"/)).toBe(1);
    expect(textOf(html)).toContain('25% (1)'); // greeting failed 1 of 4 calls

    // The ranking: by average score, best first; links go to the agents' sections.
    const ranking = /<table class="ranking">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
    expect([...ranking.matchAll(/href="#([^"]+)"/g)].map((m) => m[1])).toEqual([
      'agent-name-.e6.9e.97.e9.9b.85.e5.a9.b7',
      'agent-id-A1',
      'agent-id-.2e.2e.2fx',
    ]);

    // The failed input, and the line of results.jsonl that could not be read.
    expect(textOf(html)).toContain('calls/bad.txt');
    expect(textOf(html)).toContain('results.jsonl: 1 unreadable line skipped');
  });

  it('escapes everything from the data and masks personal numbers again', async () => {
    const { html } = await render(sampleRecords());
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain('<b>，');
    expect(html).toContain('&lt;b&gt;，');
    expect(html).not.toContain('<i>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('13812345678');
    expect(html).not.toContain('13912345678');
    expect(html).toContain('138****5678');
    expect(html).toContain('139****5678');
    expect(html).not.toContain('\u0007');
    // A policy that forbids script and network, for anything escaping missed.
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it('links only inside the page: every fragment resolves, ids are unique, no external URL', async () => {
    const { html } = await render(sampleRecords());
    const all = ids(html);
    expect(new Set(all).size).toBe(all.length);
    const links = fragmentLinks(html);
    expect(links.length).toBeGreaterThan(10);
    for (const link of links) expect(all).toContain(link);
    const attrs = [...html.matchAll(/\s(?:src|href|xlink:href|action)\s*=\s*"([^"]*)"/gi)].map((m) => m[1] as string);
    expect(attrs.filter((a) => !a.startsWith('#') && a !== 'data:,')).toEqual([]);
    expect(html).not.toMatch(/(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/url\(|@import|<link rel="stylesheet"|<iframe|<object|<embed/i);
    // The hostile evidence is text, not a link.
    expect(html).toContain('=HYPERLINK(&quot;https://evil.example&quot;)');
    // No path leaves the report directory: the ../x agent is a fragment only.
    expect(html).not.toMatch(/href="(?!#|data:)/);
  });

  it('shows each agent its most frequent failures with evidence lines, and its calls linked to their pages', async () => {
    const { html } = await render(sampleRecords());
    const section = /<section class="agent" id="agent-id-\.2e\.2e\.2fx">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
    const text = textOf(section);
    expect(text).toContain('Banned phrases — 1 / 1 calls (100%)');
    expect(text).toContain('Advice: 不要说"不知道"<b>，改说"我帮您确认一下"');
    expect(text).toContain('C"2<x> 00:12 "=HYPERLINK("https://evil.example") 不知道"');
    expect(text).toContain('C"2<x> 00:16 "不行"');
    expect(text).toContain('LLM: empathy — 1 / 1 calls (100%)');
    expect(section).toContain('<a href="#call-C.222.3cx.3e">C&quot;2&lt;x&gt;</a>');

    const wang = /<section class="agent" id="agent-id-A1">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
    // Two calls share the id C-1: the page drawn first (the lower score, 85, in calls/b.json) takes the plain anchor;
    // the agent's evidence line and rows link each call to its own page.
    expect([...wang.matchAll(/<a href="#(call-[^"]+)"/g)].map((m) => m[1])).toEqual(['call-C-1..2', 'call-C-1..2', 'call-C-1']);
    expect(textOf(wang)).toContain('C-1 00:00 "您好，这里是星辰通信，很高兴为您服务。"');
  });

  it('renders a call page: two-lane timeline with finding markers, transcript with the findings inline', async () => {
    const { html } = await render(sampleRecords());
    const page = /<section class="call-page" id="call-C\.222\.3cx\.3e"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(page).toContain('href="#agent-id-.2e.2e.2fx"');
    expect(count(page, /<rect class="utt agent"/)).toBe(3);
    expect(count(page, /<rect class="utt customer"/)).toBe(0);
    expect(count(page, /<g class="marker">/)).toBe(3);
    expect(page).toContain('<title>00:12 Banned phrases −5: banned phrase &quot;不知道&quot;</title>');
    const items = [...page.matchAll(/<li class="utt [^"]*">[\s\S]*?<\/span><\/li>|<li class="utt [^"]*">[\s\S]*?<\/ul><\/li>/g)].map((m) => m[0]);
    expect(items).toHaveLength(3);
    expect(items[0]).not.toContain('has-finding');
    expect(textOf(items[1] ?? '')).toContain('Banned phrases −5 banned phrase "不知道"');
    expect(textOf(items[2] ?? '')).toContain('LLM: empathy −10');
    expect(items[2]).toContain('<mark>不行</mark>');
    expect(textOf(page)).toContain('没有安抚 <i>'); // the LLM grades table, escaped

    const untimed = /<section class="call-page" id="call-U-1"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(untimed).not.toContain('<svg');
    expect(untimed).toContain('untimed transcript: no timeline');
    expect(count(untimed, /<li class="utt /)).toBe(2);
  });

  it('caps the call pages and lists the rest without a page, saying so', async () => {
    const records = Array.from({ length: 30 }, (_, i) =>
      call({ callId: `K-${String(i).padStart(2, '0')}`, agentId: `A${i % 3}`, agentName: `坐席${i % 3}`, score: 100 - i }),
    );
    const { html } = await render(records, runInfo(), { maxCallPages: 10 });
    expect(count(html, /<section class="call-page"/)).toBe(10);
    // The calls that need attention get the pages: the nine failed ones (K-21…K-29, below the pass mark of 80)
    // from the lowest score, then the lowest-scoring passed one (K-20); in that order.
    const paged = [...html.matchAll(/<section class="call-page" id="call-(K-\d+)"/g)].map((m) => m[1]);
    expect(paged).toEqual(['K-29', 'K-28', 'K-27', 'K-26', 'K-25', 'K-24', 'K-23', 'K-22', 'K-21', 'K-20']);
    expect(ids(html)).not.toContain('call-K-19');
    expect(textOf(html)).toContain('10 of 30 calls have a page');
    expect(textOf(html)).toContain(`at most 10 call pages`);
    // Every call is still listed in its agent's table (at most 10 a agent past the cap), those without a link.
    expect(count(html, /\(no page\)/g)).toBe(20);
    for (const link of fragmentLinks(html)) expect(ids(html)).toContain(link);

    const small = await render(records, runInfo(), { callPagesBudgetBytes: 40_000 });
    const pages = count(small.html, /<section class="call-page"/);
    expect(pages).toBeGreaterThan(0);
    expect(pages).toBeLessThan(30);
    expect(textOf(small.html)).toContain(`${pages} of 30 calls have a page`);
    expect(textOf(small.html)).toContain('call pages are capped at');
  });

  it('keeps a large run to a few MB: pages capped, agents list their lowest-scoring calls', async () => {
    const n = 3000;
    const records = Array.from({ length: n }, (_, i) =>
      call({
        callId: `L-${i}`,
        agentId: `A${i % 50}`,
        agentName: `坐席${i % 50}`,
        score: (i * 37) % 101,
        findings: [{ rule: 'greeting', at: 0, deduction: 5, message: 'greeting lacks 自报姓名工号', evidence: '您好' }],
        outcomes: { greeting: 'fail', 'banned-phrases': 'pass', privacy: 'pass' },
      }),
    );
    const { dir, html } = await render(records);
    const size = (await stat(join(dir, 'report.html'))).size;
    expect(size).toBeLessThan(8 * 1024 * 1024);
    expect(count(html, /<section class="call-page"/)).toBe(Math.min(n, MAX_CALL_PAGES));
    expect(count(html, /<section class="agent"/)).toBe(50);
    // The pages: the 1,000 calls that need attention most, failed calls (below 80) from the lowest score first.
    const paged = new Set([...html.matchAll(/<section class="call-page" id="call-(L-\d+)"/g)].map((m) => m[1]));
    const score = (i: number) => (i * 37) % 101;
    const byAttention = Array.from({ length: n }, (_, i) => i).sort((x, y) => Number(score(x) >= 80) - Number(score(y) >= 80) || score(x) - score(y) || x - y);
    expect([...paged].sort()).toEqual(
      byAttention
        .slice(0, MAX_CALL_PAGES)
        .map((i) => `L-${i}`)
        .sort(),
    );
    // Agent A0 (60 calls) lists its calls with a page, and its ten lowest-scoring calls, with or without one.
    const a0 = /<section class="agent" id="agent-id-A0">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
    const mine = Array.from({ length: n }, (_, i) => i).filter((i) => i % 50 === 0);
    const lowest = [...mine].sort((x, y) => score(x) - score(y) || x - y).slice(0, 10);
    const listed = new Set([...mine.filter((i) => paged.has(`L-${i}`)), ...lowest]);
    expect(count(a0, /<tr><td>/)).toBe(listed.size);
    expect(textOf(a0)).toContain(`${60 - listed.size} more calls not listed`);
    const unpagedScores = [...a0.matchAll(/<tr><td>L-\d+ <span class="note">\(no page\)<\/span><\/td><td class="num score \w+">(\d+)</g)].map((m) =>
      Number(m[1]),
    );
    expect(unpagedScores.sort((x, y) => x - y)).toEqual(
      lowest
        .filter((i) => !paged.has(`L-${i}`))
        .map(score)
        .sort((x, y) => x - y),
    );
    expect(textOf(a0)).toContain('Greeting — 60 / 60 calls (100%)');
    expect(count(a0, /<li class="evidence">/)).toBe(3);
  });

  it('fails clearly without run.json or results.jsonl, leaving no partial file', async () => {
    const empty = await tempDir('callqa-html-');
    await expect(writeHtmlReport(empty)).rejects.toThrow(/run\.json: cannot read \(ENOENT\)/);
    await writeFile(join(empty, 'run.json'), JSON.stringify(runInfo()));
    await expect(writeHtmlReport(empty)).rejects.toThrow(/results\.jsonl: cannot read \(ENOENT\)/);
    expect(await readdir(empty)).toEqual(['run.json']);
    await writeFile(join(empty, 'run.json'), '{"layout":{}}');
    await expect(writeHtmlReport(empty)).rejects.toThrow(/expected run information with layout\.ruleIds/);
  });

  it('renders an empty run, and a run without LLM criteria', async () => {
    const { html } = await render([], runInfo({ layout: { ruleIds: RULES } }));
    expect(count(html, /<section class="agent"/)).toBe(0);
    expect(count(html, /<rect class="bar (?:pass|fail)"/)).toBe(10);
    expect(html).not.toContain('id="llm-criteria"');
    const graded = await render([call({ callId: 'X', agentId: 'A', agentName: 'a', score: 90 })]);
    expect(graded.html).toContain('not graded in this run');
  });
});

describe('report.html in one language', () => {
  const zhTitles = { greeting: '问候语', 'banned-phrases': '服务禁语', privacy: '隐私保护' };
  const inLang = (lang: 'zh-CN' | 'zh-TW' | 'en', titles?: Record<string, string>) =>
    runInfo({ rubric: { ...runInfo().rubric, lang, ...(titles ? { titles } : {}) } });
  const headings = (html: string) => [...html.matchAll(/<h[23]>([\s\S]*?)<\/h[23]>/g)].map((m) => textOf(m[1] as string));

  it('writes zh-CN labels, rule titles and numbers, and no English label', async () => {
    const { html } = await render(sampleRecords(), inLang('zh-CN', zhTitles));
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<title>通话质检报告 — 测试标准 &lt;script&gt;x&lt;/script&gt;</title>');
    expect(html).toContain('<h1>通话质检报告</h1>');
    expect(html).toContain(
      '<nav class="toc"><a href="#overview">总览</a><a href="#score-distribution">得分分布</a><a href="#rule-failures">规则</a><a href="#agents">坐席</a><a href="#errors">失败输入</a></nav>',
    );
    expect(html).toContain('输入文件 3 个，失败 1 个，跳过 0 个');
    expect(html).toContain('<div class="card">合格率<b>75%</b><span class="meta">合格线 ≥ 80</span></div>');
    expect(html).toContain('<title>90–100 分：2 通</title>');
    expect(html).toContain('<title>服务禁语：未通过 1、通过 3、不适用 0（共 4 通）</title>');
    expect(html).toContain(
      '<tr><th class="num">#</th><th>坐席</th><th class="num">通话数</th><th class="num">平均分</th><th class="num">最低分</th><th class="num">最高分</th><th class="num">合格率</th><th class="num">问题数</th><th>最常见问题</th></tr>',
    );
    const text = textOf(html);
    expect(text).toContain('服务禁语 — 1 / 1 通（100%）建议：不要说"不知道"<b>，改说"我帮您确认一下"');
    expect(text).toContain('模型评分：empathy — 1 / 1 通（100%）');
    expect(text).toContain('1 通通话 · 平均 40 · 最低 40 · 最高 40 · 合格率 0% · 问题 3 条');
    expect(text).toContain('results.jsonl：1 行无法读取，已跳过');
    expect(text).toContain('挂机方客户');
    expect(text).toContain('未通过规则：服务禁语');
    expect(html).toContain('<strong>服务禁语</strong> <span class="ded">−5</span>');
    expect(html).toContain('<title>00:12 服务禁语 −5：banned phrase &quot;不知道&quot;</title>');
    expect(html).toContain('<p class="note">转写没有时间信息，无时间轴</p>');
    expect(headings(html)).toEqual(expect.arrayContaining(['总览', '坐席排名（按平均分）', '读取失败的输入（1）', '最常见问题', '转写文本', '模型评分']));
    // One language: none of the English labels.
    for (const en of ['Overview', 'Agents by average score', 'Transcript', 'Call QA report', 'Calls', 'Advice', 'Pass rate', 'Score'])
      expect(text).not.toContain(en);
  });

  it('writes zh-TW with Taiwan wording, titles from the catalog when run.json has none in the language', async () => {
    const { html } = await render(sampleRecords(), inLang('zh-CN', zhTitles), { lang: 'zh-TW' });
    expect(html).toContain('<html lang="zh-TW">');
    expect(html).toContain('<h1>通話品管報告</h1>');
    expect(html).toContain('<a href="#agents">客服人員</a>');
    const text = textOf(html);
    expect(text).toContain('服務禁語 — 1 / 1 通（100%）');
    expect(text).toContain('客服人員排名（按平均分）');
    expect(text).toContain('results.jsonl：1 行無法讀取，已跳過');
    expect(text).not.toContain('服务禁语');
  });

  it('writes English for a run in English, and for runs before languages', async () => {
    const { html } = await render(sampleRecords(), inLang('en'));
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<h1>Call QA report</h1>');
    expect(html).toContain('<div class="card">Pass rate<b>75%</b><span class="meta">pass score ≥ 80</span></div>');
    expect(html).toContain('<title>Banned phrases: failed 1, passed 3, n/a 0 (calls: 4)</title>');
    expect(textOf(html)).toContain('calls 1 · avg 40 · min 40 · max 40 · pass rate 0% · findings 3');
    expect(textOf(html)).not.toMatch(/总览|坐席排名|通话质检报告|建议/);
    expect((await render(sampleRecords())).html).toContain('<html lang="en">');
  });
});

describe('the channel in report.html', () => {
  const inLang = (lang: 'zh-CN' | 'zh-TW' | 'en') => runInfo({ rubric: { ...runInfo().rubric, lang } });
  const mixed = () => [
    call({ callId: 'C-1', agentId: 'A1', agentName: '王芳', score: 90 }),
    call({ callId: 'CHAT-7', agentId: 'A1', agentName: '王芳', score: 60, channel: 'chat' }),
    call({ callId: 'CHAT-8', agentId: 'A2', agentName: '李娜', score: 85, channel: 'chat' }),
    call({ callId: 'SOC-3', agentId: 'A2', agentName: '李娜', score: 70, channel: 'social' }),
  ];
  /** Each call's row in the agents' tables: its id and its channel cell. */
  const rowChannels = (html: string) =>
    Object.fromEntries([...html.matchAll(/<tr><td><a href="#[^"]*">([^<]*)<\/a><\/td><td>([^<]*)<\/td>/g)].map((m) => [m[1], m[2]]));
  /** Each call page's channel fact. */
  const pageChannels = (html: string, label: string) =>
    Object.fromEntries(
      [
        ...html.matchAll(
          new RegExp(`<section class="call-page"[^>]*>[\\s\\S]*?<span class="id">([^<]*)</span>[\\s\\S]*?<dt>${label}</dt><dd>([^<]*)</dd>`, 'g'),
        ),
      ].map((m) => [m[1], m[2]]),
    );

  it.each([
    ['zh-CN', '渠道分布', '电话 1 · 在线客服 2 · 社交媒体 1', '渠道', '服务渠道', ['电话', '在线客服', '社交媒体']],
    ['zh-TW', '渠道分佈', '電話 1 · 線上客服 2 · 社交媒體 1', '渠道', '服務渠道', ['電話', '線上客服', '社交媒體']],
    ['en', 'By channel', 'phone 1 · online chat 2 · social media 1', 'Channel', 'Channel', ['phone', 'online chat', 'social media']],
  ] as const)(
    '%s: the overview counts each channel, the agents’ tables and the call pages name it',
    async (lang, card, counts, column, fact, [voice, chat, social]) => {
      const { html } = await render(mixed(), inLang(lang));
      expect(html).toContain(`<div class="card">${card}<b class="channels">${counts}</b></div>`);
      expect(count(html, new RegExp(`<thead><tr><th>[^<]*</th><th>${column}</th>`))).toBe(2);
      expect(rowChannels(html)).toEqual({ 'C-1': voice, 'CHAT-7': chat, 'CHAT-8': chat, 'SOC-3': social });
      expect(pageChannels(html, fact)).toEqual({ 'C-1': voice, 'CHAT-7': chat, 'CHAT-8': chat, 'SOC-3': social });
    },
  );

  it('a run of phone calls only: no channel count and no channel column, the call pages still say phone', async () => {
    const calls = mixed().map(({ channel: _, ...r }) => r);
    const { html } = await render(calls, inLang('zh-CN'));
    expect(html).not.toContain('渠道分布');
    expect(html).not.toContain('<th>渠道</th>');
    expect(html).toContain('<thead><tr><th>通话</th><th class="num">');
    expect(pageChannels(html, '服务渠道')).toEqual({ 'C-1': '电话', 'CHAT-7': '电话', 'CHAT-8': '电话', 'SOC-3': '电话' });
  });

  it('reads an unknown channel in results.jsonl as a phone call', async () => {
    const { html } = await render([{ ...call({ callId: 'X-1', agentId: 'A1', agentName: '王芳', score: 90 }), channel: 'fax' as 'chat' }], inLang('en'));
    expect(pageChannels(html, 'Channel')).toEqual({ 'X-1': 'phone' });
    expect(html).not.toContain('By channel');
  });
});
