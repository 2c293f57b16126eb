import { maskErrorMessage } from '../../privacy/mask.js';
import type { RunInfo } from '../../results/codec.js';
import { compareRecords } from '../../results/order.js';
import { type AgentStats, agentKey, averageScore } from '../../scoring/agents.js';
import { clock } from '../../util/format.js';
import type { AgentExtra, Evidence, Totals } from './aggregates.js';
import { escapeHtml, escText } from './escape.js';
import { agentLabel, clip, fmt, percent } from './format.js';
import { TOP_FAILURES } from './limits.js';
import { type HBar, hbarSvg, histogramSvg } from './svg.js';

// The overview (figures, charts, the agents ranked, the inputs that failed) and a section per agent.

/** What the overview shows besides the run's figures. */
export interface OverviewInput {
  run: RunInfo;
  totals: Totals;
  /** Ranked, best first. */
  agents: AgentStats[];
  extras: Map<string, AgentExtra>;
  passScore: number;
  maxPages: number;
  budget: number;
}

/** The overview, the ranking of the agents and the inputs that failed: one line per element. */
export function overview(o: OverviewInput): string {
  return [...overviewSection(o), ...rankingSection(o), ...errorsSection(o.totals)].join('\n');
}

function overviewSection(o: OverviewInput): string[] {
  const { totals } = o;
  const p: string[] = ['<section id="overview">', '<h2>总览 Overview</h2>', ...cards(o), ...charts(o)];
  const note = pagesNote(o);
  if (note !== undefined) p.push(note);
  if (totals.badLines > 0) p.push(`<p class="note bad">results.jsonl: ${totals.badLines} 行无法读取 (unreadable lines skipped)</p>`);
  p.push('</section>');
  return p;
}

/** Calls, average, pass rate, agents, failed inputs. */
function cards({ totals, agents, passScore }: OverviewInput): string[] {
  const avg = totals.calls === 0 ? 0 : totals.scoreSum / totals.calls;
  const p: string[] = [];
  p.push('<div class="cards">');
  p.push(`<div class="card">通话 Calls<b>${totals.calls}</b></div>`);
  p.push(`<div class="card">平均分 Average<b>${totals.calls === 0 ? '–' : escapeHtml(fmt(avg, 1))}</b></div>`);
  p.push(
    `<div class="card">合格率 Pass rate<b>${percent(totals.passed, totals.calls)}</b><span class="meta">合格线 ≥ ${escapeHtml(fmt(passScore))}</span></div>`,
  );
  p.push(`<div class="card">坐席 Agents<b>${agents.length}</b></div>`);
  if (totals.errors > 0) p.push(`<div class="card">读取失败 Failed inputs<b class="bad"><a href="#errors">${totals.errors}</a></b></div>`);
  p.push('</div>');
  return p;
}

/** The score histogram, the rules' failure rates, the model's criteria (when the rubric has some). */
function charts({ run, totals, passScore }: OverviewInput): string[] {
  const p: string[] = [];
  p.push('<div class="charts">');
  p.push(
    `<figure id="score-distribution"><figcaption>得分分布 Score distribution (10 分一档 10-point bins)</figcaption>${histogramSvg(totals.bins, passScore)}</figure>`,
  );
  p.push(ruleFailuresFigure(run.layout?.ruleIds ?? [], totals));
  const criteria = run.layout?.criteria ?? [];
  if (criteria.length > 0) p.push(criteriaFigure(criteria, totals));
  p.push('</div>');
  return p;
}

function ruleFailuresFigure(ruleIds: readonly string[], totals: Totals): string {
  const ruleBars: HBar[] = ruleIds.map((id) => {
    const t = totals.rules.get(id) ?? { pass: 0, fail: 0, na: 0, error: 0, review: 0 };
    const ratio = totals.calls === 0 ? 0 : t.fail / totals.calls;
    return {
      label: id,
      value: t.fail,
      ratio,
      text: `${percent(t.fail, totals.calls)} (${t.fail})`,
      tip: `${id}: 未通过 fail ${t.fail} / 通过 pass ${t.pass} / 不适用 n/a ${t.na}${t.error > 0 ? ` / 出错 error ${t.error}` : ''}${t.review > 0 ? ` / 待复核 review ${t.review}` : ''} — ${totals.calls} 通 calls`,
      cls: 'hbar fail',
    };
  });
  return `<figure id="rule-failures"><figcaption>规则未通过率 Rule failure rates (占全部通话 share of all calls)</figcaption>${
    ruleBars.length > 0 ? hbarSvg(ruleBars, '规则未通过率 rule failure rates') : '<p class="note">无规则 no rules</p>'
  }</figure>`;
}

/** The model's mean score per criterion, against the highest score given. */
function criteriaFigure(criteria: readonly string[], totals: Totals): string {
  const graded = criteria.map((id) => totals.criteria.get(id)).filter((c) => c && c.n > 0);
  if (graded.length === 0) {
    return '<figure id="llm-criteria"><figcaption>模型评分均值 LLM criteria means</figcaption><p class="note">本次未进行模型评分 (not graded in this run: score with --llm)</p></figure>';
  }
  const scale = Math.max(1, ...criteria.map((id) => totals.criteria.get(id)?.max ?? 0));
  const bars: HBar[] = criteria.map((id) => {
    const c = totals.criteria.get(id);
    const mean = c && c.n > 0 ? c.sum / c.n : 0;
    return {
      label: id,
      value: mean,
      ratio: mean / scale,
      text: c && c.n > 0 ? fmt(mean, 2) : '–',
      tip: c && c.n > 0 ? `${id}: 均值 mean ${fmt(mean, 2)} (${c.n} 通 calls graded)` : `${id}: 未评分 not graded`,
      cls: 'hbar llm',
    };
  });
  return `<figure id="llm-criteria"><figcaption>模型评分均值 LLM criteria means (满格 = 最高得分 full bar = highest score given, ${escapeHtml(fmt(scale, 2))})</figcaption>${hbarSvg(
    bars,
    '模型评分均值 LLM criteria means',
  )}</figure>`;
}

/** Why some calls have no page, when some have none. */
function pagesNote({ totals, maxPages, budget }: OverviewInput): string | undefined {
  const unpaged = totals.calls - totals.pages;
  if (unpaged <= 0) return undefined;
  const why =
    totals.pagesCutBy === 'size'
      ? `通话页总大小上限 ${Math.round(budget / 1024 / 1024)} MB (call pages are capped at ${Math.round(budget / 1024 / 1024)} MB in all)`
      : totals.pagesCutBy === 'count'
        ? `最多 ${maxPages} 个通话页 (at most ${maxPages} call pages)`
        : `转写过长或未保存 (transcripts too long for a page, or not kept)`;
  return `<p class="note" id="pages-note">${totals.pages} 通有单独页面，按需要关注的程度选出：先一票否决，再按得分从低到高的未通过通话，再其余；其余 ${unpaged} 通只列在坐席表中，没有页面 — ${why}。全部通话见 calls.csv / findings.csv. ${totals.pages} of ${totals.calls} calls have a page, those that need attention first (critical failures, then failed calls from the lowest score, then the rest); the others are listed without one.</p>`;
}

/** The agents by average score, each linked to its section. */
function rankingSection({ agents, extras, passScore }: OverviewInput): string[] {
  const p: string[] = [];
  p.push('<section id="agents"><h2>坐席排名 Agents by average score</h2>');
  if (agents.length === 0) p.push('<p class="note">无通话 no calls</p>');
  else {
    p.push(
      '<table class="ranking"><thead><tr><th class="num">#</th><th>坐席 Agent</th><th class="num">通话 Calls</th><th class="num">平均 Avg</th><th class="num">最低 Min</th><th class="num">最高 Max</th><th class="num">合格率 Pass rate</th><th class="num">发现 Findings</th><th>最常见问题 Top failure</th></tr></thead><tbody>',
    );
    agents.forEach((a, i) => {
      const x = extras.get(agentKey(a.agentId, a.agentName)) as AgentExtra;
      const top = topFailures(x)[0];
      p.push(
        `<tr><td class="num">${i + 1}</td><td><a href="#${x.anchor}">${escapeHtml(agentLabel(a.agentId, a.agentName))}</a></td><td class="num">${a.calls}</td><td class="num score ${
          averageScore(a) >= passScore ? 'pass' : 'fail'
        }">${escapeHtml(fmt(averageScore(a), 1))}</td><td class="num">${escapeHtml(fmt(a.minScore, 1))}</td><td class="num">${escapeHtml(fmt(a.maxScore, 1))}</td><td class="num">${percent(
          a.passed,
          a.calls,
        )}</td><td class="num">${a.findings}</td><td>${top ? `${escapeHtml(top[0])} (${top[1]})` : '–'}</td></tr>`,
      );
    });
    p.push('</tbody></table>');
  }
  p.push('</section>');
  return p;
}

/** The inputs that failed, the first MAX_ERRORS_LISTED of them (none: no section). */
function errorsSection(totals: Totals): string[] {
  if (totals.errors === 0) return [];
  const p: string[] = [];
  p.push(`<section id="errors"><h2>读取失败的输入 Inputs that failed (${totals.errors})</h2>`);
  p.push('<table><thead><tr><th>来源 Source</th><th class="num">行 Line</th><th>错误 Error</th></tr></thead><tbody>');
  for (const e of totals.errorList) {
    p.push(`<tr><td><code>${escapeHtml(e.source)}</code></td><td class="num">${e.line ?? ''}</td><td>${escapeHtml(maskErrorMessage(e.error))}</td></tr>`);
  }
  p.push('</tbody></table>');
  if (totals.errors > totals.errorList.length)
    p.push(`<p class="note">仅列出前 ${totals.errorList.length} 条 (first ${totals.errorList.length} shown; all in errors.csv)</p>`);
  p.push('</section>');
  return p;
}

/** `call_id mm:ss "quote"`, the call id linked to its page when it has one. */
function evidenceLine(e: Evidence): string {
  const id = e.anchor ? `<a href="#${e.anchor}">${escapeHtml(e.callId)}</a>` : escapeHtml(e.callId);
  const at = e.at === undefined ? '' : ` <span class="t">${clock(e.at)}</span>`;
  return `<li class="evidence"><code>${id}${at}</code> <span class="quote">&quot;${escText(clip(e.quote, 80))}&quot;</span></li>`;
}

/** The agent's most frequent failures (rule, calls), most first, ties by rule id. */
function topFailures(x: AgentExtra): [string, number][] {
  return [...x.fails.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, TOP_FAILURES);
}

/** An agent's section: its figures, most frequent failures with evidence, and its calls listed (those with a page, and the lowest-scoring others). */
export function agentSection(a: AgentStats, x: AgentExtra, rank: number, run: RunInfo, passScore: number, unpagedRows: number): string {
  const advice = run.rubric?.advice ?? {};
  const p: string[] = [];
  p.push(`<section class="agent" id="${x.anchor}">`);
  p.push(`<h2><span class="rank">#${rank}</span> ${escapeHtml(agentLabel(a.agentId, a.agentName))}</h2>`);
  p.push(
    `<p class="meta">${a.calls} 通 calls · 平均 avg <span class="score ${averageScore(a) >= passScore ? 'pass' : 'fail'}">${escapeHtml(fmt(averageScore(a), 1))}</span> · 最低 min ${escapeHtml(
      fmt(a.minScore, 1),
    )} · 最高 max ${escapeHtml(fmt(a.maxScore, 1))} · 合格率 pass rate ${percent(a.passed, a.calls)} · 发现 findings ${a.findings}${
      a.cpmCalls > 0 ? ` · 语速 ${escapeHtml(fmt(a.cpmSum / a.cpmCalls, 0))} 字/分钟 chars/min` : ''
    }</p>`,
  );
  const top = topFailures(x);
  p.push('<h3>最常见问题 Most frequent failures</h3>');
  if (top.length === 0) p.push('<p class="note">无 none</p>');
  else {
    p.push('<ol class="failures">');
    for (const [rule, count] of top) {
      const tip = advice[rule];
      p.push(
        `<li><strong>${escapeHtml(rule)}</strong> — ${count} / ${a.calls} 通 calls (${percent(count, a.calls)})${tip ? `<div class="advice">建议 Advice: ${escText(tip)}</div>` : ''}`,
      );
      const ev = x.evidence.get(rule) ?? [];
      if (ev.length > 0) p.push(`<ul class="evidence-list">${ev.map(evidenceLine).join('')}</ul>`);
      p.push('</li>');
    }
    p.push('</ol>');
  }
  const paged = new Set(x.paged.map((r) => r.key));
  const lowest = x.lowest.filter((r) => !paged.has(r.key)).slice(0, unpagedRows);
  const rows = [...x.paged, ...lowest].sort((r, s) => compareRecords(r, s));
  p.push('<h3>通话 Calls</h3>');
  p.push(
    '<table class="calls-table"><thead><tr><th>通话 Call</th><th class="num">得分 Score</th><th>结果 Result</th><th class="num">发现 Findings</th><th class="num">时长 Duration</th><th>未通过规则 Failed rules</th></tr></thead><tbody>',
  );
  for (const r of rows) {
    const id = r.anchor ? `<a href="#${r.anchor}">${escapeHtml(r.callId)}</a>` : `${escapeHtml(r.callId)} <span class="note">(无页面 no page)</span>`;
    p.push(
      `<tr><td>${id}</td><td class="num score ${r.passed ? 'pass' : 'fail'}">${escapeHtml(fmt(r.score, 2))}</td><td>${r.passed ? '通过 pass' : '未通过 fail'}${
        r.critical.length > 0 ? ' <span class="chip fail">一票否决 critical</span>' : ''
      }</td><td class="num">${r.findings}</td><td class="num">${r.duration === undefined ? '–' : clock(r.duration)}</td><td>${r.failed
        .map((f) => `<span class="chip fail">${escapeHtml(f)}</span>`)
        .join(' ')}</td></tr>`,
    );
  }
  p.push('</tbody></table>');
  const notListed = a.calls - rows.length;
  if (notListed > 0) {
    p.push(
      `<p class="note">另有 ${notListed} 通未列出 (${notListed} more calls not listed: shown are the calls with a page and the lowest-scoring others; all in calls.csv)</p>`,
    );
  }
  p.push('</section>');
  return p.join('\n');
}
