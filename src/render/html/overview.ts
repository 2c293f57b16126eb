import type { MessageKey } from '../../i18n/catalogs/en.js';
import { maskErrorMessage } from '../../privacy/mask.js';
import type { RunInfo } from '../../results/codec.js';
import { compareRecords } from '../../results/order.js';
import { type AgentStats, agentKey, averageScore } from '../../scoring/agents.js';
import { clock } from '../../util/format.js';
import type { Channel } from '../../model/call.js';
import { type AgentExtra, type CallRow, type Evidence, hasWritten, type Totals } from './aggregates.js';
import { escapeHtml, escText } from './escape.js';
import { agentLabel, clip } from './format.js';
import { TOP_FAILURES } from './limits.js';
import { type HBar, hbarSvg, histogramSvg } from './svg.js';
import type { Words } from './words.js';

// The overview (figures, charts, the agents ranked, the inputs that failed) and a section per agent.

/** What the overview shows besides the run's figures. */
export interface OverviewInput {
  w: Words;
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
  return [...overviewSection(o), ...rankingSection(o), ...errorsSection(o.w, o.totals)].join('\n');
}

function overviewSection(o: OverviewInput): string[] {
  const { totals, w } = o;
  const p: string[] = ['<section id="overview">', `<h2>${w.html('report.toc.overview')}</h2>`, ...cards(o), ...charts(o), ...reviewsTable(w, totals)];
  const note = pagesNote(o);
  if (note !== undefined) p.push(note);
  if (totals.badLines > 0) {
    const text = w.count(totals.badLines, 'report.bad-lines.one', 'report.bad-lines', { file: 'results.jsonl', count: totals.badLines });
    p.push(`<p class="note bad">${escapeHtml(text)}</p>`);
  }
  p.push('</section>');
  return p;
}

/** Calls, average, pass rate, agents, failed inputs. */
function cards({ w, totals, agents, passScore }: OverviewInput): string[] {
  const avg = totals.calls === 0 ? 0 : totals.scoreSum / totals.calls;
  const int = (n: number) => escapeHtml(w.num(n, 0));
  const p: string[] = [];
  p.push('<div class="cards">');
  p.push(`<div class="card">${w.html('report.card.calls')}<b>${int(totals.calls)}</b></div>`);
  p.push(`<div class="card">${w.html('report.card.average')}<b>${totals.calls === 0 ? '–' : escapeHtml(w.num(avg, 1))}</b></div>`);
  p.push(
    `<div class="card">${w.html('report.card.pass-rate')}<b>${escapeHtml(w.percent(totals.passed, totals.calls))}</b><span class="meta">${w.html(
      'report.card.pass-score',
      {
        score: escapeHtml(w.num(passScore)),
      },
    )}</span></div>`,
  );
  p.push(`<div class="card">${w.html('report.card.agents')}<b>${int(agents.length)}</b></div>`);
  if (hasWritten(totals)) p.push(channelsCard(w, totals));
  if (totals.errors > 0) p.push(`<div class="card">${w.html('report.card.failed-inputs')}<b class="bad"><a href="#errors">${int(totals.errors)}</a></b></div>`);
  p.push('</div>');
  return p;
}

const CHANNELS: readonly Channel[] = ['voice', 'chat', 'social'];

/** How many of the run's calls were phone calls, online chats and social-media threads (those it has). */
function channelsCard(w: Words, totals: Totals): string {
  const counts = CHANNELS.filter((c) => (totals.channels.get(c) ?? 0) > 0).map((c) =>
    w.html('report.card.channel-count', { channel: escapeHtml(w.say(`report.channel.${c}`)), count: escapeHtml(w.num(totals.channels.get(c) ?? 0, 0)) }),
  );
  return `<div class="card">${w.html('report.card.channels')}<b class="channels">${counts.join(' · ')}</b></div>`;
}

/** Per rule, how many of its findings analysts confirmed, overturned and left undecided (--reviews); nothing without verdicts. */
function reviewsTable(w: Words, totals: Totals): string[] {
  if (totals.reviews.size === 0) return [];
  const int = (n: number) => escapeHtml(w.num(n, 0));
  const head = (['report.verdicts.rule', 'report.verdicts.confirmed', 'report.verdicts.overturned', 'report.verdicts.unsure'] as const)
    .map((k) => `<th>${w.html(k)}</th>`)
    .join('');
  const rows = [...totals.reviews].map(
    ([rule, t]) =>
      `<tr data-rule="${escapeHtml(rule)}"><td>${escapeHtml(w.rule(rule))}</td><td class="num">${int(t.confirmed)}</td><td class="num">${int(t.overturned)}</td><td class="num">${int(t.unsure)}</td></tr>`,
  );
  return [
    `<figure id="reviews"><figcaption>${w.html('report.verdicts.caption')}</figcaption><table><thead><tr>${head}</tr></thead><tbody>`,
    ...rows,
    '</tbody></table></figure>',
  ];
}

/** The score histogram, the rules' failure rates, the model's criteria (when the rubric has some). */
function charts({ w, run, totals, passScore }: OverviewInput): string[] {
  const p: string[] = [];
  p.push('<div class="charts">');
  p.push(`<figure id="score-distribution"><figcaption>${w.html('report.scores.caption')}</figcaption>${histogramSvg(w, totals.bins, passScore)}</figure>`);
  p.push(ruleFailuresFigure(w, run.layout?.ruleIds ?? [], totals));
  const criteria = run.layout?.criteria ?? [];
  if (criteria.length > 0) p.push(criteriaFigure(w, criteria, totals));
  p.push('</div>');
  return p;
}

function ruleFailuresFigure(w: Words, ruleIds: readonly string[], totals: Totals): string {
  const ruleBars: HBar[] = ruleIds.map((id) => {
    const t = totals.rules.get(id) ?? { pass: 0, fail: 0, na: 0, error: 0, review: 0 };
    const ratio = totals.calls === 0 ? 0 : t.fail / totals.calls;
    const counts = [w.say('report.rules.fail', { count: t.fail }), w.say('report.rules.pass', { count: t.pass }), w.say('report.rules.na', { count: t.na })];
    if (t.error > 0) counts.push(w.say('report.rules.error', { count: t.error }));
    if (t.review > 0) counts.push(w.say('report.rules.review', { count: t.review }));
    return {
      label: w.rule(id),
      value: t.fail,
      ratio,
      text: `${w.percent(t.fail, totals.calls)} (${w.num(t.fail, 0)})`,
      tip: w.say('report.rules.tip', { rule: w.rule(id), counts, calls: totals.calls }),
      cls: 'hbar fail',
    };
  });
  return `<figure id="rule-failures"><figcaption>${w.html('report.rules.caption')}</figcaption>${
    ruleBars.length > 0 ? hbarSvg(ruleBars, w.say('report.rules.title')) : `<p class="note">${w.html('report.rules.none')}</p>`
  }</figure>`;
}

/** The model's mean score per criterion, against the highest score given. */
function criteriaFigure(w: Words, criteria: readonly string[], totals: Totals): string {
  const graded = criteria.map((id) => totals.criteria.get(id)).filter((c) => c && c.n > 0);
  if (graded.length === 0) {
    return `<figure id="llm-criteria"><figcaption>${w.html('report.criteria.title')}</figcaption><p class="note">${w.html('report.criteria.not-graded', {
      flag: '--llm',
    })}</p></figure>`;
  }
  const scale = Math.max(1, ...criteria.map((id) => totals.criteria.get(id)?.max ?? 0));
  const bars: HBar[] = criteria.map((id) => {
    const c = totals.criteria.get(id);
    const mean = c && c.n > 0 ? c.sum / c.n : 0;
    return {
      label: id,
      value: mean,
      ratio: mean / scale,
      text: c && c.n > 0 ? w.num(mean, 2) : '–',
      tip:
        c && c.n > 0
          ? w.say('report.criteria.tip', { criterion: id, mean: w.num(mean, 2), count: w.num(c.n, 0) })
          : w.say('report.criteria.tip-none', { criterion: id }),
      cls: 'hbar llm',
    };
  });
  return `<figure id="llm-criteria"><figcaption>${w.html('report.criteria.caption', { max: escapeHtml(w.num(scale, 2)) })}</figcaption>${hbarSvg(
    bars,
    w.say('report.criteria.title'),
  )}</figure>`;
}

/** Why some calls have no page, when some have none. */
function pagesNote({ w, totals, maxPages, budget }: OverviewInput): string | undefined {
  const unpaged = totals.calls - totals.pages;
  if (unpaged <= 0) return undefined;
  const params = {
    paged: w.num(totals.pages, 0),
    calls: w.num(totals.calls, 0),
    unpaged: w.num(unpaged, 0),
    files: ['calls.csv', 'findings.csv'],
    max: w.num(maxPages, 0),
    size: w.megabytes(budget),
  };
  const key = totals.pagesCutBy === 'size' ? 'report.pages.size' : totals.pagesCutBy === 'count' ? 'report.pages.count' : 'report.pages.other';
  return `<p class="note" id="pages-note">${escapeHtml(w.say(key, params))}</p>`;
}

/** The agents by average score, each linked to its section. */
function rankingSection({ w, agents, extras, passScore }: OverviewInput): string[] {
  const p: string[] = [];
  p.push(`<section id="agents"><h2>${w.html('report.agents.heading')}</h2>`);
  if (agents.length === 0) p.push(`<p class="note">${w.html('report.agents.none')}</p>`);
  else {
    p.push(`<table class="ranking"><thead><tr><th class="num">#</th>${headerCells(w, RANKING_COLUMNS)}</tr></thead><tbody>`);
    const cell = (text: string) => `<td class="num">${escapeHtml(text)}</td>`;
    agents.forEach((a, i) => {
      const x = extras.get(agentKey(a.agentId, a.agentName)) as AgentExtra;
      const top = topFailures(x)[0];
      p.push(
        `<tr><td class="num">${i + 1}</td><td><a href="#${x.anchor}">${escapeHtml(agentLabel(w, a.agentId, a.agentName))}</a></td>${cell(w.num(a.calls, 0))}<td class="num score ${
          averageScore(a) >= passScore ? 'pass' : 'fail'
        }">${escapeHtml(w.num(averageScore(a), 1))}</td>${cell(w.num(a.minScore, 1))}${cell(w.num(a.maxScore, 1))}${cell(w.percent(a.passed, a.calls))}${cell(
          w.num(a.findings, 0),
        )}<td>${top ? escapeHtml(w.say('report.top-failure', { rule: w.rule(top[0]), count: top[1] })) : '–'}</td></tr>`,
      );
    });
    p.push('</tbody></table>');
  }
  p.push('</section>');
  return p;
}

/** The inputs that failed, the first MAX_ERRORS_LISTED of them (none: no section). */
function errorsSection(w: Words, totals: Totals): string[] {
  if (totals.errors === 0) return [];
  const p: string[] = [];
  p.push(`<section id="errors"><h2>${w.html('report.errors.heading', { count: escapeHtml(w.num(totals.errors, 0)) })}</h2>`);
  p.push(`<table><thead><tr>${headerCells(w, ERROR_COLUMNS)}</tr></thead><tbody>`);
  for (const e of totals.errorList) {
    p.push(`<tr><td><code>${escapeHtml(e.source)}</code></td><td class="num">${e.line ?? ''}</td><td>${escapeHtml(maskErrorMessage(e.error))}</td></tr>`);
  }
  p.push('</tbody></table>');
  if (totals.errors > totals.errorList.length)
    p.push(`<p class="note">${escapeHtml(w.say('report.errors.first', { count: totals.errorList.length, file: 'errors.csv' }))}</p>`);
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

/** An agent's figures under its name: calls, average, lowest, highest, pass rate, findings, speech rate. */
function agentFigures(w: Words, a: AgentStats, passScore: number): string {
  const avg = averageScore(a);
  const items = [
    w.html('report.agent.calls', { count: escapeHtml(w.num(a.calls, 0)) }),
    w.html('report.agent.avg', { score: `<span class="score ${avg >= passScore ? 'pass' : 'fail'}">${escapeHtml(w.num(avg, 1))}</span>` }),
    w.html('report.agent.min', { score: escapeHtml(w.num(a.minScore, 1)) }),
    w.html('report.agent.max', { score: escapeHtml(w.num(a.maxScore, 1)) }),
    w.html('report.agent.pass-rate', { rate: escapeHtml(w.percent(a.passed, a.calls)) }),
    w.html('report.agent.findings', { count: escapeHtml(w.num(a.findings, 0)) }),
  ];
  if (a.cpmCalls > 0) items.push(w.html('report.agent.speech-rate', { rate: escapeHtml(w.num(a.cpmSum / a.cpmCalls, 0)) }));
  return `<p class="meta">${items.join(' · ')}</p>`;
}

/** The agent's most frequent failures, each with the advice for it and evidence lines. */
function failuresList(w: Words, a: AgentStats, x: AgentExtra, advice: Record<string, string>): string[] {
  const top = topFailures(x);
  const p: string[] = [`<h3>${w.html('report.agent.failures')}</h3>`];
  if (top.length === 0) {
    p.push(`<p class="note">${w.html('report.none')}</p>`);
    return p;
  }
  p.push('<ol class="failures">');
  for (const [rule, count] of top) {
    const tip = advice[rule];
    const line = w.html('report.agent.failure', {
      rule: `<strong data-rule="${escapeHtml(rule)}">${escapeHtml(w.rule(rule))}</strong>`,
      count: escapeHtml(w.num(count, 0)),
      calls: escapeHtml(w.num(a.calls, 0)),
      share: escapeHtml(w.percent(count, a.calls)),
    });
    p.push(`<li>${line}${tip ? `<div class="advice">${w.html('report.advice', { advice: escText(tip) })}</div>` : ''}`);
    const ev = x.evidence.get(rule) ?? [];
    if (ev.length > 0) p.push(`<ul class="evidence-list">${ev.map(evidenceLine).join('')}</ul>`);
    p.push('</li>');
  }
  p.push('</ol>');
  return p;
}

/** Header cells of a table: the label's key, and whether the column holds numbers. */
type HeaderCell = readonly [MessageKey, boolean];
const RANKING_COLUMNS: readonly HeaderCell[] = [
  ['report.col.agent', false],
  ['report.col.calls', true],
  ['report.col.avg', true],
  ['report.col.min', true],
  ['report.col.max', true],
  ['report.col.pass-rate', true],
  ['report.col.findings', true],
  ['report.col.top-failure', false],
];
const ERROR_COLUMNS: readonly HeaderCell[] = [
  ['report.col.source', false],
  ['report.col.line', true],
  ['report.col.error', false],
];
const CALL_COLUMNS: readonly HeaderCell[] = [
  ['report.col.call', false],
  ['report.col.channel', false],
  ['report.col.score', true],
  ['report.col.result', false],
  ['report.col.findings', true],
  ['report.col.duration', true],
  ['report.col.failed-rules', false],
];

function headerCells(w: Words, columns: readonly HeaderCell[]): string {
  return columns.map(([key, num]) => `<th${num ? ' class="num"' : ''}>${w.html(key)}</th>`).join('');
}

/** A row of an agent's table of calls, linked to the call's page when it has one; its channel when the table has the column. */
function callTableRow(w: Words, r: CallRow, written: boolean): string {
  const id = r.anchor ? `<a href="#${r.anchor}">${escapeHtml(r.callId)}</a>` : `${escapeHtml(r.callId)} <span class="note">${w.html('report.no-page')}</span>`;
  const critical = r.critical.length > 0 ? ` <span class="chip fail">${w.html('report.critical')}</span>` : '';
  const failed = r.failed.map((f) => `<span class="chip fail" data-rule="${escapeHtml(f)}">${escapeHtml(w.rule(f))}</span>`).join(' ');
  const channel = written ? `<td>${escapeHtml(w.say(`report.channel.${r.channel}`))}</td>` : '';
  return `<tr><td>${id}</td>${channel}<td class="num score ${r.passed ? 'pass' : 'fail'}">${escapeHtml(w.num(r.score, 2))}</td><td>${w.html(
    r.passed ? 'report.pass' : 'report.fail',
  )}${critical}</td><td class="num">${escapeHtml(w.num(r.findings, 0))}</td><td class="num">${r.duration === undefined ? '–' : clock(r.duration)}</td><td>${failed}</td></tr>`;
}

/**
 * An agent's section: its figures, most frequent failures with evidence, and its calls listed (those with a page,
 * and the lowest-scoring others). `written`: the run has written conversations, and the calls' table a channel
 * column, phone calls named too (a blank would read as unknown); a run of phone calls only has none, as before.
 */
export function agentSection(
  w: Words,
  a: AgentStats,
  x: AgentExtra,
  rank: number,
  { run, passScore, unpagedRows, written }: { run: RunInfo; passScore: number; unpagedRows: number; written: boolean },
): string {
  const p: string[] = [];
  p.push(`<section class="agent" id="${x.anchor}">`);
  p.push(`<h2><span class="rank">#${rank}</span> ${escapeHtml(agentLabel(w, a.agentId, a.agentName))}</h2>`);
  p.push(agentFigures(w, a, passScore));
  p.push(...failuresList(w, a, x, run.rubric?.advice ?? {}));
  const paged = new Set(x.paged.map((r) => r.key));
  const lowest = x.lowest.filter((r) => !paged.has(r.key)).slice(0, unpagedRows);
  const rows = [...x.paged, ...lowest].sort((r, s) => compareRecords(r, s));
  p.push(`<h3>${w.html('report.agent.calls-heading')}</h3>`);
  const columns = written ? CALL_COLUMNS : CALL_COLUMNS.filter(([key]) => key !== 'report.col.channel');
  p.push(`<table class="calls-table"><thead><tr>${headerCells(w, columns)}</tr></thead><tbody>`);
  for (const r of rows) p.push(callTableRow(w, r, written));
  p.push('</tbody></table>');
  const notListed = a.calls - rows.length;
  if (notListed > 0) {
    const text = w.count(notListed, 'report.agent.not-listed.one', 'report.agent.not-listed', { count: notListed, file: 'calls.csv' });
    p.push(`<p class="note">${escapeHtml(text)}</p>`);
  }
  p.push('</section>');
  return p.join('\n');
}
