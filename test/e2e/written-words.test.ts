import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/catalogs/en.js';
import { CATALOGS, placeholders } from '../../src/i18n/format.js';
import { LANGS } from '../../src/i18n/lang.js';
import { inScope, WRITTEN, writtenKey, writtenOnly } from '../../src/i18n/written.js';
import { translator } from '../../src/i18n/format.js';
import { type RunResult, runCli, tempDir } from '../helpers/cli.js';

// Chats and social threads are conversations (段对话), not calls (通话): wherever a scope that is written service only
// is counted — the summary, a coaching pack, report.html, report.xlsx — it says so; a mixed or voice scope keeps calls.

interface Run {
  out: string;
  run: RunResult;
  html: string;
  pack: (agent: string) => Promise<string>;
  headers: Map<string, unknown[]>;
}

async function score(name: string, args: string[]): Promise<Run> {
  const out = join(await tempDir(), name);
  const run = await runCli(['score', ...args, '--out', out, '--coaching', '--xlsx']);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(join(out, 'report.xlsx'));
  const headers = new Map(workbook.worksheets.map((ws) => [ws.name, (ws.getRow(1).values as unknown[]).slice(1)]));
  return {
    out,
    run,
    html: await readFile(join(out, 'report.html'), 'utf8'),
    pack: (agent) => readFile(join(out, 'coaching', `${agent}.md`), 'utf8'),
    headers,
  };
}

const SOCIAL = ['fixtures/chat/so01-parcel-delay-good.json', 'fixtures/chat/so02-quality-argue.json', 'fixtures/chat/so03-phone-in-public.json'];
const MIXED = ['fixtures/chat/ch01-order-delay-good.json', 'fixtures/calls/c1001-broadband-outage.json'];

describe('a run of social threads only (zh-social) counts conversations', () => {
  let w: Run;
  beforeAll(async () => {
    w = await score('social', [...SOCIAL, '--rubric', 'zh-social']);
  });

  it('in the summary: the first line and the agent lines say 段对话 / 段', () => {
    expect(w.run.code).toBe(0);
    expect(w.run.stdout).toContain('共评分 3 段对话（来自 3 个输入文件）· 平均分 75.0 · 合格 2 段（67%，合格线 80）');
    expect(w.run.stdout).toContain('  1. A-1310 王芳   90.0  2 段，合格率 100%');
    expect(w.run.stdout).toContain('  2. A-1312 孙磊   45.0  1 段，合格率 0%');
    expect(w.run.stdout).not.toMatch(/通话|\d 通/);
  });

  it('in a coaching pack: 对话数, 对话日期, failures counted in 段', async () => {
    const pack = await w.pack('A-1312');
    expect(pack).toContain('- 对话数：1\n- 对话日期：2026年3月12日\n');
    expect(pack).toContain('- 未通过：1 段（共 1 段），问题 2 处，扣分 20');
    expect(pack).not.toContain('通话');
    expect(await w.pack('A-1310')).toContain('- 对话数：2\n');
  });

  it('in report.html: title, cards, score bins, rule captions and tips, agents’ tables, call pages', () => {
    const { html } = w;
    expect(html).toContain('<h1>对话质检报告</h1>');
    expect(html).toContain('<div class="card">对话<b>3</b></div>');
    expect(html).toContain('<title>40–49 分：1 段</title>');
    expect(html).toContain('<figcaption>规则未通过率（占全部对话）</figcaption>');
    expect(html).toContain('<title>首次响应：未通过 1、通过 2、不适用 0（共 3 段）</title>');
    expect(html).toContain('<th class="num">对话数</th>');
    expect(html).toContain('<p class="meta">2 段对话 · ');
    expect(html).toContain('<strong data-rule="public-privacy">公开平台隐私保护</strong> — 1 / 2 段（50%）');
    expect(html).toContain('<h3>对话</h3>');
    expect(html).toContain('<h2>对话 <span class="id">SO-0312-02</span></h2>');
    expect(html).toContain('优先收录需要关注的对话</footer>');
    // Rule findings keep their own words (通话 is in none of these threads' findings either).
    expect(html).not.toMatch(/通话|\d 通[^过]/);
  });

  it('in report.xlsx: the calls sheet and its id column, the agents’ counts and failed-conversation columns', () => {
    expect([...w.headers.keys()]).toEqual(['对话明细', '坐席汇总', '问题明细']);
    expect(w.headers.get('对话明细')?.[0]).toBe('对话编号');
    expect(w.headers.get('坐席汇总')?.slice(2, 3)).toEqual(['对话数']);
    expect(w.headers.get('坐席汇总')).toContain('首次响应：未通过对话数');
    expect(w.headers.get('问题明细')?.[0]).toBe('对话编号');
  });

  it('in English too: conversations', async () => {
    const out = join(await tempDir(), 'social-en');
    const run = await runCli(['score', ...SOCIAL, '--rubric', 'zh-social', '--lang', 'en', '--out', out, '--coaching']);
    expect(run.stdout).toContain('3 conversations scored from 3 inputs');
    expect(run.stdout).toContain('1 conversation, 0% passed');
    const pack = await readFile(join(out, 'coaching', 'A-1312.md'), 'utf8');
    expect(pack).toContain('- Conversations: 1\n- Conversation date: March 12, 2026\n');
    expect(pack).toContain('- Conversations failed: 1 of 1; findings: 2; points deducted: 20');
  });
});

describe('a mixed run (a chat and a phone call) keeps calls for the run, conversations for a chat-only agent', () => {
  let m: Run;
  beforeAll(async () => {
    m = await score('mixed', MIXED);
  });

  it('the summary says 通 / 通话 for the run and the phone agent, 段 for the chat-only agent', () => {
    expect(m.run.stdout).toContain('共评分 2 通通话（来自 2 个输入文件）');
    expect(m.run.stdout).toContain('  1. A1001 王芳   100.0  1 通，合格率 100%');
    expect(m.run.stdout).toContain('  2. A-1207 刘洋   95.0  1 段，合格率 100%');
  });

  it('the phone agent’s pack says 通话; the chat-only agent’s pack says 对话', async () => {
    const phone = await m.pack('A1001');
    expect(phone).toContain('- 通话数：1\n- 通话日期：2026年11月2日\n');
    expect(phone).not.toContain('对话');
    const chat = await m.pack('A-1207');
    expect(chat).toContain('- 对话数：1\n- 对话日期：2026年3月12日\n');
    expect(chat).not.toContain('通话');
  });

  it('report.html counts calls, but the chat agent’s section and the chat’s page say conversations', () => {
    const { html } = m;
    expect(html).toContain('<h1>通话质检报告</h1>');
    expect(html).toContain('<div class="card">通话<b>2</b></div>');
    expect(html).toContain('<figcaption>规则未通过率（占全部通话）</figcaption>');
    expect(html).toContain('<th class="num">通话数</th>');
    expect(html).toContain('<title>90–100 分：2 通</title>');
    expect(html).toContain('<p class="meta">1 通通话 · ');
    expect(html).toContain('<p class="meta">1 段对话 · ');
    expect(html).toContain('<h2>通话 <span class="id">C-1001</span></h2>');
    expect(html).toContain('<h2>对话 <span class="id">CH-0312-01</span></h2>');
  });

  it('report.xlsx says calls', () => {
    expect([...m.headers.keys()]).toEqual(['通话明细', '坐席汇总', '问题明细']);
    expect(m.headers.get('通话明细')?.[0]).toBe('通话编号');
    expect(m.headers.get('坐席汇总')?.slice(2, 3)).toEqual(['通话数']);
  });
});

describe('the written variants of the catalogs', () => {
  const variants = Object.keys(en).filter((k) => k.endsWith(WRITTEN));

  it('each is a variant of a key the catalogs have, with the same {parameters} in every language', () => {
    expect(variants.length).toBeGreaterThan(40);
    for (const key of variants) {
      const base = key.slice(0, -WRITTEN.length) as keyof typeof en;
      expect(Object.hasOwn(en, base), key).toBe(true);
      for (const lang of LANGS) expect(placeholders(CATALOGS[lang][key as keyof typeof en]), `${lang} ${key}`).toEqual(placeholders(en[base]));
    }
  });

  it('says conversations, never calls, in zh-CN', () => {
    const calls = variants.filter((k) => /通话|\d 通|} 通/.test(CATALOGS['zh-CN'][k as keyof typeof en]));
    expect(calls).toEqual([]);
  });

  it('a written scope takes the variant where there is one, the plain message elsewhere', () => {
    const say = inScope(translator('zh-CN'), true);
    expect(say('summary.agent.other', { calls: 2, percent: 100 })).toBe('2 段，合格率 100%');
    expect(say('report.card.average')).toBe('平均分');
    expect(inScope(translator('zh-CN'), false)('summary.agent.other', { calls: 2, percent: 100 })).toBe('2 通，合格率 100%');
    expect(writtenKey('report.card.calls')).toBe('report.card.calls.written');
    expect(writtenKey('report.card.average')).toBe('report.card.average');
  });

  it('a scope is written only when it has conversations and none is a phone call', () => {
    expect(writtenOnly(new Map([['chat', 2]]))).toBe(true);
    expect(writtenOnly(Object.entries({ chat: 1, social: 3, voice: 0 }) as [never, number][])).toBe(true);
    expect(
      writtenOnly(
        new Map([
          ['chat', 2],
          ['voice', 1],
        ]),
      ),
    ).toBe(false);
    expect(writtenOnly([[undefined, 1]])).toBe(false);
    expect(writtenOnly([])).toBe(false);
  });
});
