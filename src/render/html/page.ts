import { readFileSync } from 'node:fs';
import type { RunInfo } from '../../results/codec.js';
import type { Totals } from './aggregates.js';
import { escapeHtml } from './escape.js';

// The page around the overview, the agents and the call pages: its head (with the stylesheet inline), top and footer.

let style: string | undefined;

/** style.css, next to this module (in dist/ too: the build copies it), read the first time a page is written. */
function stylesheet(): string {
  style ??= readFileSync(new URL('./style.css', import.meta.url), 'utf8');
  return style;
}

/** From the doctype to `<body>`: everything inline, the CSP allows nothing else. */
function head(title: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="zh-CN">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No script, no network: everything is inline; a stray tag in the data could not run or fetch.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="generator" content="callqa">',
    '<link rel="icon" href="data:,">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>\n${stylesheet()}</style>`,
    '</head>',
    '<body>',
  ].join('\n');
}

/** The page's head, title and table of contents. */
export function pageTop(run: RunInfo, totals: Totals, llmModels: readonly string[]): string {
  const title = `通话质检报告 Call QA report — ${run.rubric?.name ?? ''}`;
  return `${head(title)}<main id="top">\n<header class="top"><h1>通话质检报告 <span class="meta">Call QA report</span></h1><p class="meta">评分标准 Rubric: ${escapeHtml(
    run.rubric?.name ?? '',
  )} · ${escapeHtml(run.startedAt ?? '')} – ${escapeHtml(run.endedAt ?? '')} · callqa ${escapeHtml(run.callqaVersion ?? '')}${
    llmModels.length > 0 ? ` · LLM ${escapeHtml(llmModels.join(', '))}` : ''
  }${
    run.inputs
      ? ` · 输入 inputs: ${escapeHtml(run.inputs.files)} 文件 files, ${escapeHtml(run.inputs.failed)} 失败 failed, ${escapeHtml(run.inputs.skipped)} 跳过 skipped`
      : ''
  }</p><nav class="toc"><a href="#overview">总览 Overview</a><a href="#score-distribution">得分分布 Scores</a><a href="#rule-failures">规则 Rules</a><a href="#agents">坐席 Agents</a>${
    totals.errors > 0 ? '<a href="#errors">失败输入 Errors</a>' : ''
  }</nav></header>\n`;
}

/** The footer, the end of the page. */
export function pageFooter(run: RunInfo, maxPages: number, budget: number): string {
  return `<footer>callqa ${escapeHtml(run.callqaVersion ?? '')} · 个人号码已打码 personal numbers masked · 单个文件，无需联网 one self-contained file, no network · 通话页上限 call pages: ${maxPages}, ${Math.round(
    budget / 1024 / 1024,
  )} MB at most, the calls that need attention first</footer>\n</body>\n</html>\n`;
}
