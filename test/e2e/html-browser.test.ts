import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeHtmlReport } from '../../src/render/html/index.js';
import { type BrowserSession, browserAvailability, launchBrowser } from '../helpers/browser.js';
import { ROOT, runCli, tempDir } from '../helpers/cli.js';

/**
 * report.html of the bundled fixtures in real headless Chromium (Debian's /usr/bin/chromium, driven
 * by playwright-core). Without Chromium this suite is skipped with a line saying how to install it,
 * unless CALLQA_REQUIRE_BROWSER=1 (CI sets it, after .ci/install-debian): then it fails.
 */
const browser = browserAvailability();
if (browser.skip) console.warn(browser.skip);

describe.skipIf(browser.skip !== undefined)(`report.html in Chromium${browser.skip ? ' (skipped: no Chromium)' : ''}`, () => {
  let session: BrowserSession;
  let url: string;
  /** report.html of the same calls scored with the rubric's language (zh-CN), --lang zh-TW and --lang en. */
  const urls = new Map<string, string>();

  beforeAll(async () => {
    const out = await tempDir();
    const run = await runCli(['score', 'fixtures/calls', '--out', out, '-q']);
    expect(run.code, run.stderr).toBe(0);
    await writeHtmlReport(out);
    url = pathToFileURL(join(out, 'report.html')).href;
    urls.set('zh-CN', url);
    for (const lang of ['zh-TW', 'en']) {
      const dir = await tempDir();
      const scored = await runCli(['score', 'fixtures/calls', '--out', dir, '-q', '--lang', lang]);
      expect(scored.code, scored.stderr).toBe(0);
      urls.set(lang, pathToFileURL(join(dir, 'report.html')).href);
    }
    session = await launchBrowser({ viewport: { width: 1280, height: 900 } });
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  it('shows the charts, the ranking and every agent, clicks through agent → call, with no console error', async () => {
    const { page } = session;
    await page.goto(url, { waitUntil: 'load' });
    expect(await page.title()).toContain('通话质检报告');

    // Charts: the histogram's 10 bins (15 calls in all) and one failure-rate bar per rule of the default rubric.
    const bins = page.locator('svg.histogram rect.bar');
    expect(await bins.count()).toBe(10);
    const tips = await page.locator('svg.histogram rect.bar > title').allTextContents();
    expect(tips.reduce((n, t) => n + Number(/分：(\d+) 通$/.exec(t)?.[1] ?? Number.NaN), 0)).toBe(15);
    expect(await page.locator('#rule-failures svg rect.hbar').count()).toBe(14);
    const box = await page.locator('svg.histogram').boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(300);
    expect(await page.locator('svg.histogram rect.bar.pass').first().isVisible()).toBe(true);

    // The ranking: 7 agents, best average first (陳志豪 98), 孙浩 (65) and 赵磊 (50) last.
    const ranking = page.locator('table.ranking tbody tr');
    expect(await ranking.count()).toBe(7);
    expect(await ranking.first().locator('td').nth(1).textContent()).toBe('陳志豪 (B2002)');
    expect(await ranking.last().locator('td').nth(1).textContent()).toBe('赵磊 (K3001)');
    expect(await page.locator('section.agent').count()).toBe(7);
    expect(await page.locator('section.agent').first().isVisible()).toBe(true);

    // Call pages are hidden until one is the target.
    expect(await page.locator('section.call-page').count()).toBe(15);
    expect(await page.locator('section.call-page:visible').count()).toBe(0);

    // Agent → call: 孙浩's section, then his worst call.
    await page.locator('table.ranking a', { hasText: '孙浩' }).click();
    expect(new URL(page.url()).hash).toBe('#agent-id-S4001');
    const agent = page.locator('#agent-id-S4001');
    await expect.poll(() => agent.isVisible()).toBe(true);
    // Every failure of his is in one call: ranked by rule id, answer-speed (接听速度: C-3002 rang 12 s) comes first.
    expect(await agent.locator('ol.failures > li').first().textContent()).toMatch(/^接听速度 — 1 \/ 2 通（50%）/);
    expect(await agent.locator('ol.failures > li', { hasText: '服务禁语' }).locator('li.evidence').first().textContent()).toMatch(
      /^C-3002 00:21 "先生您别着急/,
    );
    await agent.locator('table.calls-table a', { hasText: 'C-3002' }).click();
    expect(new URL(page.url()).hash).toBe('#call-C-3002');

    const call = page.locator('#call-C-3002');
    await expect.poll(() => call.isVisible()).toBe(true);
    expect(await page.locator('section.call-page:visible').count()).toBe(1);
    expect(await page.locator('main').isVisible()).toBe(false);
    expect(await call.locator('h2').textContent()).toContain('C-3002');
    expect(await call.locator('ol.transcript > li').count()).toBe(13);
    expect(await call.locator('svg.timeline rect.utt.agent').count()).toBeGreaterThan(0);
    expect(await call.locator('svg.timeline rect.utt.customer').count()).toBeGreaterThan(0);
    expect(await call.locator('svg.timeline g.marker').count()).toBe(14);
    expect(await call.locator('li.has-finding').first().textContent()).toContain('礼貌用语');

    await mkdir(join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'test-results', 'report-call.png'), fullPage: true });

    // Back to the agent: the call page hides again.
    await call.locator('nav.crumbs a', { hasText: '孙浩' }).click();
    await expect.poll(() => call.isVisible()).toBe(false);
    expect(await page.locator('main').isVisible()).toBe(true);

    await page.goto(url, { waitUntil: 'load' });
    await page.screenshot({ path: join(ROOT, 'test-results', 'report.png') });

    // Printable: the navigation is left out on paper, the charts are kept.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav.toc').isVisible()).toBe(false);
    expect(await page.locator('svg.histogram').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });

    expect(session.errors).toEqual([]);
    expect(session.network).toEqual([]);
  }, 60_000);

  it.each([
    ['zh-CN', '通话质检报告', '总览', '坐席排名（按平均分）', '服务禁语', '坐席'],
    ['zh-TW', '通話品管報告', '總覽', '客服人員排名（按平均分）', '服務禁語', '客服人員'],
    ['en', 'Call QA report', 'Overview', 'Agents by average score', 'Banned phrases', 'Agent'],
  ])('renders the report in %s only: lang attribute, title, headings, rule titles, the timeline lanes', async (lang, title, overview, agents, rule, lane) => {
    const { page } = session;
    await page.goto(urls.get(lang) as string, { waitUntil: 'load' });
    expect(await page.locator('html').getAttribute('lang')).toBe(lang);
    expect(await page.title()).toContain(title);
    expect(await page.locator('h1').textContent()).toBe(title);
    expect(await page.locator('#overview h2').textContent()).toBe(overview);
    expect(await page.locator('#agents h2').textContent()).toBe(agents);
    expect(await page.locator('#rule-failures svg text.label').allTextContents()).toContain(rule);
    expect(await page.locator('#rule-failures svg').getAttribute('aria-label')).toBe(
      { 'zh-CN': '规则未通过率', 'zh-TW': '規則未通過率', en: 'Rule failure rates' }[lang],
    );
    // A call page in the same language: its lanes and the failed rules by title (the id kept in data-rule).
    await page.locator('table.ranking a').last().click();
    await page.locator('section.agent:visible table.calls-table a').first().click();
    const call = page.locator('section.call-page:visible');
    await expect.poll(() => call.count()).toBe(1);
    expect((await call.locator('svg.timeline text.label').allTextContents())[0]).toBe(lane);
    expect(await call.locator('p.rules .chip').first().getAttribute('data-rule')).toMatch(/^[a-z-]+$/);
    expect(session.errors).toEqual([]);
  });
});
