import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { maskErrorMessage, maskPersonalNumbers } from '../privacy/mask.js';
import { AgentAggregator, type AgentStats, agentKey, averageScore } from '../scoring/agents.js';
import type { CallResult, Finding } from '../scoring/score-call.js';
import { clock, round } from '../util/format.js';
import { TextFile } from './csv.js';
import type { RunInfo, UtteranceRecord } from '../results/codec.js';
import { compareRecords } from '../results/order.js';
import type { PageCall } from '../results/write.js';
import { type PageChoice, type PageKey, type PageLimits, PageShortlist, stopCandidate, transcriptWeight } from '../results/pages.js';

/**
 * report.html: one self-contained page (inline CSS and SVG, no script, no network) rendered from a
 * report directory's run.json and results.jsonl. An overview (score histogram, rule failure rates,
 * LLM criterion means, agents ranked by average score), a section per agent (its calls, its most
 * frequent failures with evidence lines), and a page per call (timeline and transcript with the
 * findings inline) shown one at a time by CSS `:target`.
 *
 * Memory stays flat: results.jsonl is streamed line by line, and only per-agent aggregates and bounded
 * samples are kept. Call pages go to the calls that need attention (results/pages.ts): a bounded shortlist
 * of candidates is kept as calls stream past, and the pages are drawn from it at the end, capped
 * (MAX_CALL_PAGES calls, CALL_PAGES_BUDGET_BYTES in all, none for a transcript over MAX_CALL_PAGE_BYTES);
 * the other calls are counted and listed without a page, and the page says so.
 */

/** At most this many calls get a page of their own: those that need attention first (results/pages.ts). */
export const MAX_CALL_PAGES = 1000;
/** …and the call pages together take at most this many bytes (so a 100,000-call run stays a few MB). */
export const CALL_PAGES_BUDGET_BYTES = 4 * 1024 * 1024;
/** A call whose transcript is longer than this (UTF-16 code units of its texts) gets no page (a runaway transcript). */
export const MAX_CALL_PAGE_BYTES = 512 * 1024;
/** Per agent, besides the calls that have a page, the lowest-scoring calls listed without one. */
export const LOWEST_CALLS_PER_AGENT = 10;
/** All agents' lists of calls without a page together hold about this many rows (fewer per agent when there are many agents). */
const AGENT_ROWS_BUDGET = 5_000;
/** Evidence lines kept per agent and failing rule. */
export const EVIDENCE_PER_RULE = 3;
/** Failures shown per agent, most frequent first. */
export const TOP_FAILURES = 5;
/** Inputs that failed, listed by name (all are in errors.csv). */
export const MAX_ERRORS_LISTED = 50;

export interface HtmlReportOptions {
  /** Overrides MAX_CALL_PAGES (tests). */
  maxCallPages?: number;
  /** Overrides CALL_PAGES_BUDGET_BYTES (tests). */
  callPagesBudgetBytes?: number;
  /**
   * Per-agent aggregates the caller keeps of the same calls (callqa score's, which agents.csv is
   * written from): the page ranks agents from them instead of adding every call a second time.
   */
  agents?: AgentAggregator;
}

// ---------------------------------------------------------------------------------------------
// Escaping

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
// C0 controls (but tab and line breaks), DEL and the C1 controls are not text: shown as U+FFFD.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Text for HTML content or a double-quoted attribute: entities for & < > " ', control characters replaced. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(CONTROL, '\uFFFD')
    .replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

/** Text that came from a transcript: personal numbers masked (again: derived text is masked too), then escaped. */
function escText(value: string): string {
  return escapeHtml(maskPersonalNumbers(value));
}

const SAFE_ID_CHAR = /[A-Za-z0-9_-]/;

/**
 * Any string as a fragment-safe token: ASCII letters, digits, `_` and `-` stay, every other UTF-8
 * byte becomes `.hh`. Injective (a literal `.` is encoded too), so two ids never share a token, and
 * the result needs no further escaping in an id, a `href="#…"` or a CSS selector.
 */
export function anchorToken(value: string): string {
  let out = '';
  for (const ch of value) {
    if (SAFE_ID_CHAR.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of Buffer.from(ch, 'utf8')) out += `.${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** The element id of a call's page: `call-<token>` (a second call with the same id gets `..2`, and so on). */
export function callAnchor(callId: string): string {
  return `call-${anchorToken(callId)}`;
}

/** The element id of an agent's section: by agent id, or by name for agents known only by name. */
export function agentAnchor(agentId: string, agentName: string): string {
  return agentId !== '' ? `agent-id-${anchorToken(agentId)}` : `agent-name-${anchorToken(agentName)}`;
}

// ---------------------------------------------------------------------------------------------
// Records, read defensively (results may come from another machine or a merge)

type Outcome = string;

interface CallView {
  callId: string;
  agentId: string;
  agentName: string;
  source: string;
  score: number;
  passed: boolean;
  durationSeconds?: number;
  agentCharsPerMinute?: number;
  hangupBy: string;
  roleSource: string;
  startedAt?: string;
  ringSeconds?: number;
  outcomes: Record<string, Outcome>;
  findings: Finding[];
  criticalFailures: string[];
  llm?: CallResult['llm'];
  utterances: UtteranceRecord[];
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function readUtterances(list: unknown): UtteranceRecord[] {
  const utterances: UtteranceRecord[] = [];
  for (const u of Array.isArray(list) ? list : []) {
    if (!u || typeof u !== 'object') continue;
    const o = u as Record<string, unknown>;
    const utt: UtteranceRecord = { speaker: o.speaker === 'agent' ? 'agent' : 'customer', text: str(o.text) };
    const start = num(o.start);
    const end = num(o.end);
    if (start !== undefined) utt.start = start;
    if (end !== undefined) utt.end = end;
    utterances.push(utt);
  }
  return utterances;
}

/** A record read defensively; its utterances only when `withUtterances` (a page is drawn from it). */
function readCall(r: Record<string, unknown>, withUtterances = false): CallView | undefined {
  const score = num(r.score);
  if (score === undefined || (typeof r.callId !== 'string' && typeof r.callId !== 'number')) return undefined;
  const outcomes: Record<string, Outcome> = {};
  if (r.outcomes && typeof r.outcomes === 'object') {
    for (const [k, v] of Object.entries(r.outcomes as Record<string, unknown>)) if (typeof v === 'string') outcomes[k] = v;
  }
  const findings: Finding[] = [];
  for (const f of Array.isArray(r.findings) ? r.findings : []) {
    if (!f || typeof f !== 'object') continue;
    const o = f as Record<string, unknown>;
    const finding: Finding = { rule: str(o.rule), deduction: num(o.deduction) ?? 0, message: str(o.message), evidence: str(o.evidence) };
    const at = num(o.at);
    if (at !== undefined) finding.at = at;
    if (o.status === 'review') finding.status = 'review';
    findings.push(finding);
  }
  const view: CallView = {
    callId: str(r.callId),
    agentId: str(r.agentId),
    agentName: str(r.agentName),
    source: str(r.source),
    score,
    passed: r.passed === true,
    hangupBy: str(r.hangupBy) || 'unknown',
    roleSource: str(r.roleSource),
    outcomes,
    findings,
    criticalFailures: Array.isArray(r.criticalFailures) ? r.criticalFailures.map(str) : [],
    utterances: withUtterances ? readUtterances(r.utterances) : [],
  };
  const duration = num(r.durationSeconds);
  if (duration !== undefined) view.durationSeconds = duration;
  const cpm = num(r.agentCharsPerMinute);
  if (cpm !== undefined) view.agentCharsPerMinute = cpm;
  if (typeof r.startedAt === 'string') view.startedAt = r.startedAt;
  const ring = num(r.ringSeconds);
  if (ring !== undefined) view.ringSeconds = ring;
  if (r.llm && typeof r.llm === 'object') view.llm = r.llm as CallResult['llm'];
  return view;
}

/** What AgentAggregator reads of a call. */
function asResult(call: CallView): CallResult {
  const result: CallResult = {
    callId: call.callId,
    agentId: call.agentId,
    agentName: call.agentName,
    source: call.source,
    hangupBy: 'unknown',
    roleSource: 'given',
    score: call.score,
    passed: call.passed,
    outcomes: call.outcomes as CallResult['outcomes'],
    findings: call.findings,
    criticalFailures: call.criticalFailures,
    ruleErrors: [],
  };
  if (call.agentCharsPerMinute !== undefined) result.agentCharsPerMinute = call.agentCharsPerMinute;
  if (call.llm) result.llm = call.llm;
  return result;
}

/** The model's grades, when the call was graded (scores that are numbers only). */
function gradesOf(call: CallView): { id: string; score: number; reason: string; evidence: string[]; unverified: boolean; deduction: number }[] {
  const llm = call.llm;
  if (!llm || (llm.status !== 'ok' && llm.status !== 'cached') || !Array.isArray(llm.grades)) return [];
  return llm.grades.flatMap((g) => {
    const score = num(g?.score);
    if (!g || score === undefined) return [];
    return [
      {
        id: str(g.id),
        score,
        reason: str(g.reason),
        evidence: Array.isArray(g.evidence) ? g.evidence.map(str) : [],
        unverified: g.unverified === true,
        deduction: num(g.deduction) ?? 0,
      },
    ];
  });
}

// ---------------------------------------------------------------------------------------------
// Aggregates and bounded samples

interface CallRow {
  /** Place in the report order (0-based). */
  index: number;
  /** The call: pageKey(source, seq). */
  key: string;
  source: string;
  seq: number;
  callId: string;
  anchor?: string;
  score: number;
  passed: boolean;
  findings: number;
  duration?: number;
  failed: string[];
  critical: string[];
}

interface Evidence {
  callId: string;
  /** The call (pageKey): its page's anchor is known once the pages are chosen. */
  key: string;
  anchor?: string;
  at?: number;
  quote: string;
}

interface AgentExtra {
  anchor: string;
  /** Calls that have a page (bounded by the page cap). */
  paged: CallRow[];
  /** The lowest-scoring calls, at most LOWEST_CALLS_PER_AGENT, highest score last (those with a page too). */
  lowest: CallRow[];
  /** Rule id or `llm:<id>` → calls that failed it. */
  fails: Map<string, number>;
  evidence: Map<string, Evidence[]>;
}

interface RuleTally {
  pass: number;
  fail: number;
  na: number;
  error: number;
  review: number;
}

function keepLowest(list: CallRow[], row: CallRow, cap: number): void {
  if (cap <= 0) return;
  const worse = (a: CallRow, b: CallRow) => a.score - b.score || a.index - b.index;
  if (list.length >= cap) {
    const last = list[list.length - 1] as CallRow;
    if (worse(row, last) >= 0) return;
    list.pop();
  }
  let i = list.length;
  while (i > 0 && worse(row, list[i - 1] as CallRow) < 0) i--;
  list.splice(i, 0, row);
}

// ---------------------------------------------------------------------------------------------
// Formatting

function fmt(value: number, digits = 1): string {
  return String(round(value, digits));
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${fmt((100 * part) / whole, 1)}%`;
}

function speakerLabel(speaker: string): string {
  return speaker === 'agent' ? '坐席' : '客户';
}

function agentLabel(agentId: string, agentName: string): string {
  if (agentName && agentId) return `${agentName} (${agentId})`;
  return agentName || agentId || '(未知坐席 unknown agent)';
}

function clip(text: string, max: number): string {
  // Counted up to max characters, not split whole: evidence may be an utterance of megabytes.
  if (text.length <= max) return text;
  let units = 0;
  let count = 0;
  for (const ch of text) {
    if (count === max) return `${text.slice(0, units)}…`;
    units += ch.length;
    count++;
  }
  return text;
}

/** `call_id mm:ss "quote"`, the call id linked to its page when it has one. */
function evidenceLine(e: Evidence): string {
  const id = e.anchor ? `<a href="#${e.anchor}">${escapeHtml(e.callId)}</a>` : escapeHtml(e.callId);
  const at = e.at === undefined ? '' : ` <span class="t">${clock(e.at)}</span>`;
  return `<li class="evidence"><code>${id}${at}</code> <span class="quote">&quot;${escText(clip(e.quote, 80))}&quot;</span></li>`;
}

// ---------------------------------------------------------------------------------------------
// Charts (inline SVG)

function histogramSvg(bins: readonly number[], passScore: number): string {
  const W = 600;
  const H = 230;
  const left = 44;
  const right = 12;
  const top = 18;
  const bottom = 34;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const max = Math.max(1, ...bins);
  const bw = plotW / bins.length;
  const parts: string[] = [];
  parts.push(`<line class="axis" x1="${left}" y1="${top + plotH}" x2="${W - right}" y2="${top + plotH}"/>`);
  parts.push(`<line class="axis" x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}"/>`);
  parts.push(`<text class="tick" x="${left - 6}" y="${top + plotH}" text-anchor="end" dominant-baseline="middle">0</text>`);
  parts.push(`<text class="tick" x="${left - 6}" y="${top + 4}" text-anchor="end" dominant-baseline="middle">${max}</text>`);
  bins.forEach((count, i) => {
    const lo = i * 10;
    const label = i === bins.length - 1 ? `${lo}–100` : `${lo}–${lo + 9}`;
    const h = (count / max) * plotH;
    const x = left + i * bw + 4;
    const y = top + plotH - h;
    const cls = lo + 10 <= passScore ? 'bar fail' : 'bar pass';
    const tip = `${label} 分: ${count} 通 (${count} calls)`;
    parts.push(
      `<rect class="${cls}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(bw - 8).toFixed(1)}" height="${Math.max(h, count > 0 ? 1 : 0).toFixed(1)}"><title>${escapeHtml(tip)}</title></rect>`,
    );
    if (count > 0) parts.push(`<text class="value" x="${(x + (bw - 8) / 2).toFixed(1)}" y="${(y - 4).toFixed(1)}" text-anchor="middle">${count}</text>`);
    parts.push(`<text class="tick" x="${(left + i * bw + bw / 2).toFixed(1)}" y="${top + plotH + 16}" text-anchor="middle">${label}</text>`);
  });
  const px = left + (Math.min(100, Math.max(0, passScore)) / 100) * plotW;
  parts.push(
    `<line class="passline" x1="${px.toFixed(1)}" y1="${top - 6}" x2="${px.toFixed(1)}" y2="${top + plotH}"><title>合格线 pass score ${escapeHtml(fmt(passScore))}</title></line>`,
  );
  parts.push(`<text class="tick" x="${(px - 4).toFixed(1)}" y="${top - 8}" text-anchor="end">合格 ${escapeHtml(fmt(passScore))}</text>`);
  return `<svg class="chart histogram" viewBox="0 0 ${W} ${H}" role="img" aria-label="得分分布 score distribution">${parts.join('')}</svg>`;
}

interface HBar {
  label: string;
  value: number;
  /** 0–1: the bar's length. */
  ratio: number;
  text: string;
  tip: string;
  cls: string;
}

function hbarSvg(bars: readonly HBar[], ariaLabel: string): string {
  const W = 600;
  const labelW = 190;
  const valueW = 96;
  const row = 24;
  const top = 6;
  const plotW = W - labelW - valueW;
  const H = top * 2 + bars.length * row;
  const parts: string[] = [];
  bars.forEach((b, i) => {
    const y = top + i * row;
    const w = Math.max(0, Math.min(1, b.ratio)) * plotW;
    parts.push(`<text class="label" x="${labelW - 8}" y="${y + row / 2}" text-anchor="end" dominant-baseline="middle">${escapeHtml(clip(b.label, 26))}</text>`);
    parts.push(`<rect class="track" x="${labelW}" y="${y + 4}" width="${plotW}" height="${row - 8}"/>`);
    parts.push(
      `<rect class="${b.cls}" x="${labelW}" y="${y + 4}" width="${Math.max(w, b.value > 0 ? 1 : 0).toFixed(1)}" height="${row - 8}"><title>${escapeHtml(b.tip)}</title></rect>`,
    );
    parts.push(`<text class="value" x="${labelW + plotW + 6}" y="${y + row / 2}" dominant-baseline="middle">${escapeHtml(b.text)}</text>`);
  });
  return `<svg class="chart hbars" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(ariaLabel)}">${parts.join('')}</svg>`;
}

/** The call's utterances as bars on two lanes (agent, customer), findings marked at their times. */
function timelineSvg(call: CallView): string {
  const timed = call.utterances.filter((u) => u.start !== undefined);
  if (timed.length === 0) return '<p class="note">未计时的转写，无时间轴 (untimed transcript: no timeline)</p>';
  const ends = utteranceEnds(call.utterances);
  let end = 0;
  for (const e of ends) if (e !== undefined) end = Math.max(end, e);
  for (const f of call.findings) if (f.at !== undefined) end = Math.max(end, f.at);
  if (call.durationSeconds !== undefined) end = Math.max(end, call.durationSeconds);
  if (end <= 0) end = 1;
  const W = 1000;
  const left = 64;
  const right = 12;
  const plotW = W - left - right;
  const lanes = { agent: 22, customer: 54 };
  const laneH = 22;
  const H = 104;
  const x = (t: number) => left + (Math.max(0, t) / end) * plotW;
  const parts: string[] = [];
  parts.push(`<text class="label" x="${left - 8}" y="${lanes.agent + laneH / 2}" text-anchor="end" dominant-baseline="middle">坐席</text>`);
  parts.push(`<text class="label" x="${left - 8}" y="${lanes.customer + laneH / 2}" text-anchor="end" dominant-baseline="middle">客户</text>`);
  parts.push(`<rect class="track" x="${left}" y="${lanes.agent}" width="${plotW}" height="${laneH}"/>`);
  parts.push(`<rect class="track" x="${left}" y="${lanes.customer}" width="${plotW}" height="${laneH}"/>`);
  const step = tickStep(end);
  for (let t = 0; t <= end + 1e-9; t += step) {
    parts.push(`<line class="grid" x1="${x(t).toFixed(1)}" y1="${lanes.agent - 4}" x2="${x(t).toFixed(1)}" y2="${lanes.customer + laneH + 4}"/>`);
    parts.push(`<text class="tick" x="${x(t).toFixed(1)}" y="${H - 6}" text-anchor="middle">${clock(t)}</text>`);
  }
  call.utterances.forEach((u, i) => {
    if (u.start === undefined) return;
    const stop = ends[i] ?? u.start;
    const x0 = x(u.start);
    const w = Math.max(2, x(stop) - x0);
    const tip = `${clock(u.start)}–${clock(stop)} ${speakerLabel(u.speaker)}：${clip(u.text, 120)}`;
    parts.push(
      `<rect class="utt ${u.speaker === 'agent' ? 'agent' : 'customer'}" x="${x0.toFixed(1)}" y="${lanes[u.speaker === 'agent' ? 'agent' : 'customer']}" width="${w.toFixed(1)}" height="${laneH}"><title>${escText(tip)}</title></rect>`,
    );
  });
  for (const f of call.findings) {
    if (f.at === undefined) continue;
    const fx = x(f.at).toFixed(1);
    const tip = `${clock(f.at)} ${f.rule} −${fmt(f.deduction, 2)}: ${clip(f.message, 120)}`;
    parts.push(
      `<g class="marker"><title>${escText(tip)}</title><line x1="${fx}" y1="10" x2="${fx}" y2="${lanes.customer + laneH + 2}"/><path d="M${fx} 12 l-5 -8 h10 z"/></g>`,
    );
  }
  return `<svg class="timeline" viewBox="0 0 ${W} ${H}" role="img" aria-label="通话时间轴 call timeline">${parts.join('')}</svg>`;
}

/** Where each utterance ends: its end, else (start-only sources) where the next one starts, else a second on. */
function utteranceEnds(utterances: readonly UtteranceRecord[]): (number | undefined)[] {
  const ends: (number | undefined)[] = new Array(utterances.length);
  let nextStart: number | undefined;
  for (let i = utterances.length - 1; i >= 0; i--) {
    const u = utterances[i] as UtteranceRecord;
    if (u.start === undefined) continue;
    if (u.end !== undefined) ends[i] = Math.max(u.end, u.start);
    else ends[i] = nextStart !== undefined && nextStart > u.start ? nextStart : u.start + 1;
    nextStart = u.start;
  }
  return ends;
}

function tickStep(end: number): number {
  for (const s of [5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600]) if (end / s <= 10) return s;
  return Math.ceil(end / 10 / 3600) * 3600;
}

// ---------------------------------------------------------------------------------------------
// Call page

function highlight(text: string, evidence: readonly string[]): string {
  const masked = maskPersonalNumbers(text);
  // Many findings often quote the same words: each is looked for once (a search per finding in a long utterance was quadratic).
  const tried = new Set<string>();
  for (const e of evidence) {
    if (tried.has(e)) continue;
    tried.add(e);
    const quote = maskPersonalNumbers(e);
    if (quote.length < 2 || quote.length >= masked.length) continue;
    const at = masked.indexOf(quote);
    if (at < 0) continue;
    return `${escapeHtml(masked.slice(0, at))}<mark>${escapeHtml(quote)}</mark>${escapeHtml(masked.slice(at + quote.length))}`;
  }
  return escapeHtml(masked);
}

/** A finding as a list item; its quote is left out when it is the whole utterance it sits under. */
function findingItem(f: Finding, advice: Record<string, string>, utterance?: string): string {
  const tip = advice[f.rule] ? ` title="${escText(advice[f.rule] as string)}"` : '';
  const at = f.at === undefined ? '' : `<span class="t">${clock(f.at)}</span> `;
  const cost = f.status === 'review' ? '<span class="ded review">待复核 review</span>' : `<span class="ded">−${escapeHtml(fmt(f.deduction, 2))}</span>`;
  return `<li class="finding"${tip}>${at}<strong>${escapeHtml(f.rule)}</strong> ${cost} ${escText(f.message)}${
    f.evidence && f.evidence !== utterance ? ` <q>${escText(clip(f.evidence, 200))}</q>` : ''
  }</li>`;
}

/**
 * Which utterance each finding belongs to: the one starting at its time, else the last one (in the
 * list) started before it. Work per call is linear (an index of start times built once, a binary
 * search per finding): a scan of the utterances per finding made 40,000 findings take seconds.
 */
export function placeFindings(call: Pick<CallView, 'findings' | 'utterances'>): { byUtterance: Map<number, Finding[]>; loose: Finding[] } {
  const byUtterance = new Map<number, Finding[]>();
  const loose: Finding[] = [];
  const us = call.utterances;
  /** The first utterance starting at each time (NaN starts at none). */
  const startingAt = new Map<number, number>();
  /** The earliest start among utterances i and after (untimed: +Infinity): the last i with start ≤ t is the last with after[i] ≤ t. */
  const after = new Float64Array(us.length + 1).fill(Number.POSITIVE_INFINITY);
  for (let i = us.length - 1; i >= 0; i--) {
    const start = us[i]?.start;
    after[i] = start === undefined || Number.isNaN(start) ? (after[i + 1] as number) : Math.min(start, after[i + 1] as number);
  }
  us.forEach((u, i) => {
    if (u.start !== undefined && !Number.isNaN(u.start) && !startingAt.has(u.start)) startingAt.set(u.start, i);
  });
  for (const f of call.findings) {
    let index = -1;
    if (f.at !== undefined) {
      index = startingAt.get(f.at) ?? -1;
      if (index < 0) {
        // after[] grows with i: the last i with after[i] ≤ at.
        let lo = 0;
        let hi = us.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if ((after[mid] as number) <= f.at) lo = mid + 1;
          else hi = mid;
        }
        index = lo - 1;
      }
    }
    if (index < 0) loose.push(f);
    else {
      const list = byUtterance.get(index);
      if (list) list.push(f);
      else byUtterance.set(index, [f]);
    }
  }
  return { byUtterance, loose };
}

function renderCallPage(call: CallView, anchor: string, agentHref: string, run: Pick<RunInfo, 'rubric'>): string {
  const advice = run.rubric?.advice ?? {};
  const { byUtterance, loose } = placeFindings(call);
  const failed = Object.entries(call.outcomes)
    .filter(([, o]) => o === 'fail' || o === 'error')
    .map(([id, o]) => `<span class="chip ${o === 'error' ? 'error' : 'fail'}">${escapeHtml(id)}${o === 'error' ? ' (error)' : ''}</span>`);
  const facts: [string, string][] = [
    [
      '得分 Score',
      `<span class="score ${call.passed ? 'pass' : 'fail'}">${escapeHtml(fmt(call.score, 2))}</span> ${call.passed ? '通过 passed' : '未通过 failed'}`,
    ],
    ['坐席 Agent', `<a href="#${agentHref}">${escapeHtml(agentLabel(call.agentId, call.agentName))}</a>`],
    ['来源 Source', `<code>${escapeHtml(call.source)}</code>`],
    ['时长 Duration', call.durationSeconds === undefined ? '–' : clock(call.durationSeconds)],
    ['挂机方 Hung up by', escapeHtml(call.hangupBy)],
  ];
  if (call.startedAt) facts.push(['开始 Started', escapeHtml(call.startedAt)]);
  if (call.ringSeconds !== undefined) facts.push(['振铃 Ring', `${escapeHtml(fmt(call.ringSeconds))} s`]);
  if (call.roleSource) facts.push(['角色来源 Roles from', escapeHtml(call.roleSource)]);
  if (call.llm?.status && call.llm.status !== 'n/a') facts.push(['LLM', escapeHtml(call.llm.status)]);
  const parts: string[] = [];
  parts.push(`<section class="call-page" id="${anchor}" aria-label="${escapeHtml(`通话 ${call.callId}`)}">`);
  parts.push(
    `<nav class="crumbs"><a href="#overview">总览 Overview</a> › <a href="#${agentHref}">${escapeHtml(agentLabel(call.agentId, call.agentName))}</a> › ${escapeHtml(call.callId)}</nav>`,
  );
  parts.push(`<h2>通话 Call <span class="id">${escapeHtml(call.callId)}</span></h2>`);
  parts.push(`<dl class="facts">${facts.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join('')}</dl>`);
  if (call.criticalFailures.length > 0) {
    parts.push(`<p class="critical">一票否决 Critical: ${call.criticalFailures.map((c) => `<span class="chip fail">${escapeHtml(c)}</span>`).join(' ')}</p>`);
  }
  parts.push(`<p class="rules">未通过规则 Failed rules: ${failed.length > 0 ? failed.join(' ') : '无 none'}</p>`);
  parts.push(timelineSvg(call));
  if (loose.length > 0) {
    parts.push(`<h3>无时间的发现 Findings without a time</h3><ul class="findings">${loose.map((f) => findingItem(f, advice)).join('')}</ul>`);
  }
  parts.push('<h3>转写 Transcript</h3><ol class="transcript">');
  call.utterances.forEach((u, i) => {
    const here = byUtterance.get(i) ?? [];
    const cls = `utt ${u.speaker === 'agent' ? 'agent' : 'customer'}${here.length > 0 ? ' has-finding' : ''}`;
    const time = u.start === undefined ? '' : `<span class="t">${clock(u.start)}</span>`;
    parts.push(
      `<li class="${cls}">${time}<span class="who">${speakerLabel(u.speaker)}</span><span class="text">${highlight(
        u.text,
        here.map((f) => f.evidence),
      )}</span>${here.length > 0 ? `<ul class="findings">${here.map((f) => findingItem(f, advice, u.text)).join('')}</ul>` : ''}</li>`,
    );
  });
  parts.push('</ol>');
  const grades = gradesOf(call);
  if (grades.length > 0) {
    parts.push(
      '<h3>模型评分 LLM grades</h3><table><thead><tr><th>准则 Criterion</th><th>得分 Score</th><th>扣分 Deduction</th><th>理由 Reason</th><th>证据 Evidence</th></tr></thead><tbody>',
    );
    for (const g of grades) {
      parts.push(
        `<tr><td>${escapeHtml(g.id)}${g.unverified ? ' <span class="chip error">unverified</span>' : ''}</td><td class="num">${escapeHtml(fmt(g.score, 2))}</td><td class="num">${escapeHtml(
          fmt(g.deduction, 2),
        )}</td><td>${escText(g.reason)}</td><td>${g.evidence.map((e) => `<q>${escText(clip(e, 200))}</q>`).join(' ')}</td></tr>`,
      );
    }
    parts.push('</tbody></table>');
  }
  parts.push('</section>\n');
  return parts.join('');
}

// ---------------------------------------------------------------------------------------------
// Page

const STYLE = `
:root{--pass:#2e7d32;--fail:#c62828;--warn:#ef6c00;--agent:#1565c0;--customer:#8e24aa;--ink:#1f2328;--muted:#59636e;--line:#d0d7de;--bg:#fff;--soft:#f6f8fa;color-scheme:light}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.6 -apple-system,BlinkMacSystemFont,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",system-ui,sans-serif}
main,.calls,footer{max-width:1100px;margin:0 auto;padding:0 20px}
header.top{padding:18px 0 6px;border-bottom:1px solid var(--line)}
h1{font-size:24px;margin:0 0 4px}h2{font-size:20px;margin:28px 0 10px}h3{font-size:16px;margin:18px 0 8px}
nav.toc a,nav.crumbs a{margin-right:12px}
a{color:#0b57d0}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Noto Sans Mono CJK SC",monospace;font-size:.92em}
.meta,.note{color:var(--muted);font-size:13px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:14px 0}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:140px;background:var(--soft)}
.card b{display:block;font-size:22px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:16px;align-items:start}
figure{margin:0;border:1px solid var(--line);border-radius:8px;padding:10px}
figcaption{font-weight:600;margin-bottom:6px}
svg{display:block;width:100%;height:auto}
svg text{font-size:12px;fill:var(--ink)}svg .tick{fill:var(--muted);font-size:11px}
.axis{stroke:var(--muted)}.grid{stroke:var(--line);stroke-dasharray:2 3}
.bar.pass,.hbar.pass{fill:var(--pass)}.bar.fail,.hbar.fail{fill:var(--fail)}.hbar.llm{fill:var(--agent)}
.track{fill:var(--soft)}
.passline{stroke:var(--warn);stroke-width:2;stroke-dasharray:5 3}
.utt.agent{fill:var(--agent)}.utt.customer{fill:var(--customer)}
.marker line{stroke:var(--fail);stroke-width:2}.marker path{fill:var(--fail)}
table{border-collapse:collapse;width:100%;margin:8px 0 14px;font-size:14px}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.score.pass,.ok{color:var(--pass);font-weight:600}.score.fail,.bad{color:var(--fail);font-weight:600}
.chip{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;background:var(--soft);border:1px solid var(--line);margin:1px 2px}
.chip.fail{border-color:var(--fail);color:var(--fail)}.chip.error{border-color:var(--warn);color:var(--warn)}
section.agent{border-top:2px solid var(--line);margin-top:26px}
.failures>li{margin-bottom:8px}.advice{color:var(--muted);font-size:13px}
ul.evidence-list{margin:4px 0;padding-left:18px}
q{quotes:"\\201C" "\\201D"}
.t{color:var(--muted);font-variant-numeric:tabular-nums;margin-right:6px}
.call-page{display:none;padding-bottom:40px}
.call-page:target{display:block}
body:has(.call-page:target) main{display:none}
.facts{display:flex;flex-wrap:wrap;gap:6px 22px;margin:8px 0}.facts div{display:flex;gap:6px}.facts dt{color:var(--muted)}.facts dd{margin:0}
.critical{color:var(--fail);font-weight:600}
ol.transcript{list-style:none;padding:0;margin:0}
.transcript>li{padding:6px 10px;border-left:4px solid transparent;border-bottom:1px solid var(--soft)}
.transcript>li.agent .who{color:var(--agent)}.transcript>li.customer .who{color:var(--customer)}
.transcript>li.has-finding{border-left-color:var(--fail);background:#fff5f5}
.who{font-weight:600;margin-right:8px}
mark{background:#ffe08a}
ul.findings{margin:4px 0 2px;padding-left:20px;font-size:13px}
.finding{color:var(--fail)}.finding q{color:var(--ink)}.ded{font-variant-numeric:tabular-nums}
footer{color:var(--muted);font-size:12px;padding:24px 20px 40px}
@media print{
 body{font-size:11pt}
 nav.toc,nav.crumbs{display:none}
 a{color:inherit;text-decoration:none}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 section.agent{break-before:page}
 figure,tr,.transcript>li,.failures>li{break-inside:avoid}
 .charts{display:block}figure{margin-bottom:12px}
}
`;

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
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
  ].join('\n');
}

interface Totals {
  calls: number;
  scoreSum: number;
  passed: number;
  bins: number[];
  rules: Map<string, RuleTally>;
  criteria: Map<string, { sum: number; n: number; max: number }>;
  errors: number;
  errorList: { source: string; line?: number; error: string }[];
  badLines: number;
  pages: number;
  pagesCutBy: 'count' | 'size' | undefined;
}

function overview(
  run: RunInfo,
  totals: Totals,
  agents: AgentStats[],
  extras: Map<string, AgentExtra>,
  passScore: number,
  maxPages: number,
  budget: number,
): string {
  const ruleIds = run.layout?.ruleIds ?? [];
  const criteria = run.layout?.criteria ?? [];
  const p: string[] = [];
  const avg = totals.calls === 0 ? 0 : totals.scoreSum / totals.calls;
  p.push('<section id="overview">');
  p.push('<h2>总览 Overview</h2>');
  p.push('<div class="cards">');
  p.push(`<div class="card">通话 Calls<b>${totals.calls}</b></div>`);
  p.push(`<div class="card">平均分 Average<b>${totals.calls === 0 ? '–' : escapeHtml(fmt(avg, 1))}</b></div>`);
  p.push(
    `<div class="card">合格率 Pass rate<b>${percent(totals.passed, totals.calls)}</b><span class="meta">合格线 ≥ ${escapeHtml(fmt(passScore))}</span></div>`,
  );
  p.push(`<div class="card">坐席 Agents<b>${agents.length}</b></div>`);
  if (totals.errors > 0) p.push(`<div class="card">读取失败 Failed inputs<b class="bad"><a href="#errors">${totals.errors}</a></b></div>`);
  p.push('</div>');
  p.push('<div class="charts">');
  p.push(
    `<figure id="score-distribution"><figcaption>得分分布 Score distribution (10 分一档 10-point bins)</figcaption>${histogramSvg(totals.bins, passScore)}</figure>`,
  );
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
  p.push(
    `<figure id="rule-failures"><figcaption>规则未通过率 Rule failure rates (占全部通话 share of all calls)</figcaption>${
      ruleBars.length > 0 ? hbarSvg(ruleBars, '规则未通过率 rule failure rates') : '<p class="note">无规则 no rules</p>'
    }</figure>`,
  );
  if (criteria.length > 0) {
    const graded = criteria.map((id) => totals.criteria.get(id)).filter((c) => c && c.n > 0);
    if (graded.length === 0) {
      p.push(
        '<figure id="llm-criteria"><figcaption>模型评分均值 LLM criteria means</figcaption><p class="note">本次未进行模型评分 (not graded in this run: score with --llm)</p></figure>',
      );
    } else {
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
      p.push(
        `<figure id="llm-criteria"><figcaption>模型评分均值 LLM criteria means (满格 = 最高得分 full bar = highest score given, ${escapeHtml(fmt(scale, 2))})</figcaption>${hbarSvg(
          bars,
          '模型评分均值 LLM criteria means',
        )}</figure>`,
      );
    }
  }
  p.push('</div>');
  // Pages note.
  const unpaged = totals.calls - totals.pages;
  if (unpaged > 0) {
    const why =
      totals.pagesCutBy === 'size'
        ? `通话页总大小上限 ${Math.round(budget / 1024 / 1024)} MB (call pages are capped at ${Math.round(budget / 1024 / 1024)} MB in all)`
        : totals.pagesCutBy === 'count'
          ? `最多 ${maxPages} 个通话页 (at most ${maxPages} call pages)`
          : `转写过长或未保存 (transcripts too long for a page, or not kept)`;
    p.push(
      `<p class="note" id="pages-note">${totals.pages} 通有单独页面，按需要关注的程度选出：先一票否决，再按得分从低到高的未通过通话，再其余；其余 ${unpaged} 通只列在坐席表中，没有页面 — ${why}。全部通话见 calls.csv / findings.csv. ${totals.pages} of ${totals.calls} calls have a page, those that need attention first (critical failures, then failed calls from the lowest score, then the rest); the others are listed without one.</p>`,
    );
  }
  if (totals.badLines > 0) p.push(`<p class="note bad">results.jsonl: ${totals.badLines} 行无法读取 (unreadable lines skipped)</p>`);
  p.push('</section>');

  // Ranking.
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

  if (totals.errors > 0) {
    p.push(`<section id="errors"><h2>读取失败的输入 Inputs that failed (${totals.errors})</h2>`);
    p.push('<table><thead><tr><th>来源 Source</th><th class="num">行 Line</th><th>错误 Error</th></tr></thead><tbody>');
    for (const e of totals.errorList) {
      p.push(`<tr><td><code>${escapeHtml(e.source)}</code></td><td class="num">${e.line ?? ''}</td><td>${escapeHtml(maskErrorMessage(e.error))}</td></tr>`);
    }
    p.push('</tbody></table>');
    if (totals.errors > totals.errorList.length)
      p.push(`<p class="note">仅列出前 ${totals.errorList.length} 条 (first ${totals.errorList.length} shown; all in errors.csv)</p>`);
    p.push('</section>');
  }
  return p.join('\n');
}

function topFailures(x: AgentExtra): [string, number][] {
  return [...x.fails.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, TOP_FAILURES);
}

function agentSection(a: AgentStats, x: AgentExtra, rank: number, run: RunInfo, passScore: number, unpagedRows: number): string {
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

// ---------------------------------------------------------------------------------------------
// Entry point

async function readRun(outDir: string): Promise<RunInfo> {
  const path = join(outDir, 'run.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(
      `${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): write the report directory with callqa score first`,
    );
  }
  let run: RunInfo;
  try {
    run = JSON.parse(text.replace(/^\uFEFF/, '')) as RunInfo;
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${(err as Error).message})`);
  }
  if (!run || typeof run !== 'object' || !run.layout || !Array.isArray(run.layout.ruleIds))
    throw new Error(`${path}: expected run information with layout.ruleIds`);
  return run;
}

/** What the page needs of a run before its calls: the rubric (advice, pass score) and the columns. */
export type HtmlRunStart = Pick<RunInfo, 'rubric' | 'layout'>;

/** A call's key among pages: its source and place in it. */
export function pageKey(source: string, seq: number): string {
  return `${source}\u0000${seq}`;
}

const utf8 = new TextDecoder();

/** A candidate's transcript, read from its line's JSON (`,"utterances":[…]`) or as given. */
function transcriptOf(call: PageCall): UtteranceRecord[] {
  if (!(call.transcript instanceof Uint8Array)) return readUtterances(call.transcript);
  const text = utf8.decode(call.transcript);
  return readUtterances(JSON.parse(text.slice(text.indexOf('[')) || '[]'));
}

/**
 * report.html built as records arrive: `add` each record of results.jsonl in report order (an error,
 * or a call, with or without its utterances: the overview and the agents read only the rest); then
 * `choosePages` draws the call pages from the run's shortlist of candidates (results/pages.ts), and
 * `finish` writes the page with the run's information. `callqa score` feeds it as it scores;
 * `writeHtmlReport` feeds it a saved results.jsonl; the page is the same.
 */
export class HtmlReport {
  private readonly maxPages: number;
  private readonly budget: number;
  private readonly passScore: number;
  private readonly ruleIds: string[];
  private readonly totals: Totals;
  private readonly aggregator: AgentAggregator;
  /** Whether `add` counts calls into the aggregates (not when the caller keeps them). */
  private readonly aggregates: boolean;
  private readonly extras = new Map<string, AgentExtra>();
  private readonly usedAnchors = new Set<string>();
  /** Each paged call's anchor, by pageKey. */
  private readonly anchors = new Map<string, string>();
  /** The models that graded (or, in a dry run, would have graded) calls: none without --llm, whatever run.json's rubric has. */
  private readonly llmModels = new Set<string>();
  /** The call pages, written as they are chosen and copied into report.html at the end (never put in place itself). */
  private readonly pages: TextFile;

  constructor(
    private readonly outDir: string,
    private readonly run: HtmlRunStart,
    options: HtmlReportOptions = {},
  ) {
    this.aggregator = options.agents ?? new AgentAggregator();
    this.aggregates = options.agents === undefined;
    this.maxPages = options.maxCallPages ?? MAX_CALL_PAGES;
    this.budget = options.callPagesBudgetBytes ?? CALL_PAGES_BUDGET_BYTES;
    this.passScore = num(run.rubric?.passScore) ?? 80;
    this.ruleIds = run.layout.ruleIds.map(String);
    this.totals = {
      calls: 0,
      scoreSum: 0,
      passed: 0,
      bins: Array.from({ length: 10 }, () => 0),
      rules: new Map(this.ruleIds.map((id) => [id, { pass: 0, fail: 0, na: 0, error: 0, review: 0 }])),
      criteria: new Map(),
      errors: 0,
      errorList: [],
      badLines: 0,
      pages: 0,
      pagesCutBy: undefined,
    };
    this.pages = new TextFile(outDir, 'report.html.calls');
  }

  /** The limits of the call pages: what a run's shortlist of candidates keeps (results/pages.ts). */
  get limits(): PageLimits {
    return { maxPages: this.maxPages, budget: this.budget, maxPageText: MAX_CALL_PAGE_BYTES };
  }

  /** A line of results.jsonl that is not a record. */
  addBadLine(): void {
    this.totals.badLines++;
  }

  /** One record of results.jsonl, parsed (or the same record as an object): its utterances are not read. */
  add(record: unknown): void {
    const { totals } = this;
    if (!record || typeof record !== 'object') {
      totals.badLines++;
      return;
    }
    const r = record as Record<string, unknown>;
    if (r.type === 'error') {
      totals.errors++;
      if (totals.errorList.length < MAX_ERRORS_LISTED) {
        const e: Totals['errorList'][number] = { source: str(r.source), error: str(r.error) };
        const l = num(r.line);
        if (l !== undefined) e.line = l;
        totals.errorList.push(e);
      }
      return;
    }
    const call = readCall(r);
    if (!call) {
      totals.badLines++;
      return;
    }
    this.count(call);
    this.addToAgent(call, totals.calls++, num(r.seq) ?? 0);
  }

  /** The run's figures: scores, rule outcomes, the model's criteria. */
  private count(call: CallView): void {
    const { totals } = this;
    totals.scoreSum += call.score;
    if (call.passed) totals.passed++;
    const bin = Math.min(9, Math.max(0, Math.floor(call.score / 10)));
    totals.bins[bin] = (totals.bins[bin] ?? 0) + 1;
    for (const id of this.ruleIds) {
      const t = totals.rules.get(id) as RuleTally;
      const o = call.outcomes[id];
      if (o === 'pass') t.pass++;
      else if (o === 'fail') t.fail++;
      else if (o === 'error') t.error++;
      else if (o === 'review') t.review++;
      else t.na++;
    }
    for (const g of gradesOf(call)) {
      const c = totals.criteria.get(g.id) ?? { sum: 0, n: 0, max: 0 };
      c.sum += g.score;
      c.n++;
      c.max = Math.max(c.max, g.score);
      totals.criteria.set(g.id, c);
    }
    const model = call.llm?.status !== undefined && call.llm.status !== 'n/a' ? call.llm.model : undefined;
    if (typeof model === 'string' && model !== '' && this.llmModels.size < 3) this.llmModels.add(model);
  }

  /** The call's agent: its anchor (the first time), aggregates, failures, evidence, its lowest calls. */
  private agentOf(call: CallView): AgentExtra {
    const key = agentKey(call.agentId, call.agentName);
    let x = this.extras.get(key);
    if (!x) {
      // Distinct agents have distinct tokens; only text no UTF-8 can hold (lone surrogates) could meet.
      let anchor = agentAnchor(call.agentId, call.agentName);
      for (let n = 2; this.usedAnchors.has(anchor); n++) anchor = `${agentAnchor(call.agentId, call.agentName)}..${n}`;
      this.usedAnchors.add(anchor);
      x = { anchor, paged: [], lowest: [], fails: new Map(), evidence: new Map() };
      this.extras.set(key, x);
    }
    return x;
  }

  private addToAgent(call: CallView, index: number, seq: number): void {
    if (this.aggregates) this.aggregator.add(asResult(call));
    const x = this.agentOf(call);
    const row = callRow(call, index, seq, this.ruleIds);
    const { key } = row;
    const failing = new Set(row.failed);
    for (const f of call.findings) if (f.rule.startsWith('llm:') && f.deduction > 0) failing.add(f.rule);
    for (const rule of failing) x.fails.set(rule, (x.fails.get(rule) ?? 0) + 1);
    for (const f of call.findings) {
      if (!failing.has(f.rule)) continue;
      const list = x.evidence.get(f.rule) ?? [];
      if (list.length >= EVIDENCE_PER_RULE) continue;
      const e: Evidence = { callId: call.callId, key, quote: maskPersonalNumbers(clip(f.evidence || f.message, 200)) };
      if (f.at !== undefined) e.at = f.at;
      list.push(e);
      x.evidence.set(f.rule, list);
    }
    keepLowest(x.lowest, row, LOWEST_CALLS_PER_AGENT);
  }

  /**
   * Draws the call pages from the run's shortlist (results/pages.ts), in attention order, while they fit;
   * each page's anchor is its call id's, numbered when an earlier page took it. Returns how they were chosen
   * (run.json's `pages`) and the candidates chosen (their transcripts stay in results.jsonl).
   */
  choosePages<T extends PageCall>(shortlist: PageShortlist<T>): { choice: PageChoice; chosen: T[] } {
    const chosen: T[] = [];
    const writes: string[] = [];
    let drawn: { call: CallView; html: string; anchor: string } | undefined;
    const choice = shortlist.choose(
      (c) => {
        const call = readCall({ ...c.value.record, utterances: transcriptOf(c.value) }, true) as CallView;
        let anchor = callAnchor(call.callId);
        for (let n = 2; this.usedAnchors.has(anchor); n++) anchor = `${callAnchor(call.callId)}..${n}`;
        drawn = { call, html: renderCallPage(call, anchor, this.agentOf(call).anchor, this.run), anchor };
        return Buffer.byteLength(drawn.html);
      },
      (c) => {
        const { call, html, anchor } = drawn as NonNullable<typeof drawn>;
        writes.push(html);
        this.usedAnchors.add(anchor);
        const row = callRow(call, -1, c.key.seq, this.ruleIds);
        this.anchors.set(row.key, anchor);
        row.anchor = anchor;
        this.agentOf(call).paged.push(row);
        chosen.push(c.value);
      },
    );
    this.totals.pages = choice.chosen;
    this.totals.pagesCutBy = choice.cutBy;
    this.pendingPages = writes;
    return { choice, chosen };
  }

  /** Pages chosen, to be written into the pages' file by finish. */
  private pendingPages: string[] = [];

  /** Links each paged call's rows and evidence to its page; rows in report order. */
  private linkPages(): void {
    for (const x of this.extras.values()) {
      for (const r of x.lowest) {
        const anchor = this.anchors.get(r.key);
        if (anchor !== undefined) r.anchor = anchor;
      }
      for (const list of x.evidence.values()) {
        for (const e of list) {
          const anchor = this.anchors.get(e.key);
          if (anchor !== undefined) e.anchor = anchor;
        }
      }
    }
  }

  /** Writes report.html (under a temporary name, renamed into place) from what was added and the pages chosen. */
  async finish(run: RunInfo): Promise<void> {
    const { totals, extras, maxPages, budget, passScore, outDir } = this;
    let out: TextFile | undefined;
    try {
      for (const html of this.pendingPages.splice(0)) await this.pages.writeText(html);
      await this.pages.close();
      this.linkPages();
      // Agents ranked by average score (best first); ties keep the agents' stable order.
      const agents = this.aggregator.list();
      const order = new Map(agents.map((a, i) => [a, i]));
      agents.sort((a, b) => averageScore(b) - averageScore(a) || (order.get(a) ?? 0) - (order.get(b) ?? 0));
      const unpagedRows = Math.max(3, Math.min(LOWEST_CALLS_PER_AGENT, Math.floor(AGENT_ROWS_BUDGET / Math.max(1, agents.length))));

      out = new TextFile(outDir, 'report.html');
      await out.writeText(pageTop(run, totals, [...this.llmModels]));
      await out.writeText(overview(run, totals, agents, extras, passScore, maxPages, budget));
      for (const [i, a] of agents.entries()) {
        await out.writeText(agentSection(a, extras.get(agentKey(a.agentId, a.agentName)) as AgentExtra, i + 1, run, passScore, unpagedRows));
      }
      await out.writeText('\n</main>\n<div class="calls">\n');
      await out.copyFrom(this.pages.tempPath);
      await out.writeText('</div>\n');
      await out.writeText(pageFooter(run, maxPages, budget));
      await out.close();
      await out.commit();
    } catch (err) {
      await out?.discard();
      throw err;
    } finally {
      await this.pages.discard();
    }
  }

  /** Leaves no temporary files (a run that failed). */
  async discard(): Promise<void> {
    await this.pages.discard();
  }
}

/** A call's row in its agent's table. */
function callRow(call: CallView, index: number, seq: number, ruleIds: readonly string[]): CallRow {
  const row: CallRow = {
    index,
    key: pageKey(call.source, seq),
    source: call.source,
    seq,
    callId: call.callId,
    score: call.score,
    passed: call.passed,
    findings: call.findings.length,
    failed: ruleIds.filter((id) => call.outcomes[id] === 'fail'),
    critical: call.criticalFailures,
  };
  if (call.durationSeconds !== undefined) row.duration = call.durationSeconds;
  return row;
}

/** The page's head, title and table of contents. */
function pageTop(run: RunInfo, totals: Totals, llmModels: readonly string[]): string {
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

function pageFooter(run: RunInfo, maxPages: number, budget: number): string {
  return `<footer>callqa ${escapeHtml(run.callqaVersion ?? '')} · 个人号码已打码 personal numbers masked · 单个文件，无需联网 one self-contained file, no network · 通话页上限 call pages: ${maxPages}, ${Math.round(
    budget / 1024 / 1024,
  )} MB at most, the calls that need attention first</footer>\n</body>\n</html>\n`;
}

/**
 * The shortlist of page candidates of a saved results.jsonl's calls: those that kept their transcript, and
 * the run's stop (run.json), which ends the walk where it ended the run's.
 */
export function savedPageShortlist(limits: PageLimits, run: Pick<RunInfo, 'pages'>): PageShortlist<PageCall> {
  const shortlist = new PageShortlist<PageCall>(limits);
  offerStop(shortlist, run);
  return shortlist;
}

/** A saved run's stop (run.json), offered to a shortlist: a merge's walk ends there as the run's did. */
export function offerStop(shortlist: PageShortlist<PageCall>, run: Pick<RunInfo, 'pages'>): void {
  if (run.pages?.stop) shortlist.offer(stopCandidate(run.pages.stop, { record: {}, transcript: [] }));
}

/** Offers a saved call record to a shortlist: a candidate when it kept its transcript. */
export function offerSaved(shortlist: PageShortlist<PageCall>, record: Record<string, unknown>): boolean {
  if (!Array.isArray(record.utterances)) return false;
  const seq = num(record.seq);
  const score = num(record.score);
  if (seq === undefined || score === undefined) return false;
  const key: PageKey = {
    critical: Array.isArray(record.criticalFailures) && record.criticalFailures.length > 0,
    passed: record.passed === true,
    score,
    source: str(record.source),
    seq,
  };
  const utterances = record.utterances as UtteranceRecord[];
  const weight = transcriptWeight(utterances.map((u) => ({ text: str(u?.text) })));
  if (!shortlist.wants(key) || !shortlist.pageable(weight)) return false;
  const { utterances: _u, ...rest } = record;
  return shortlist.offer({ key, weight, value: { record: rest, transcript: utterances } });
}

/**
 * Writes `report.html` into a report directory from its run.json and results.jsonl (streamed), under
 * a temporary name renamed into place at the end.
 */
export async function writeHtmlReport(outDir: string, options: HtmlReportOptions = {}): Promise<void> {
  const run = await readRun(outDir);
  const resultsPath = join(outDir, 'results.jsonl');
  const report = new HtmlReport(outDir, run, options);
  const shortlist = savedPageShortlist(report.limits, run);
  try {
    const input = createReadStream(resultsPath, { encoding: 'utf8' });
    const opened = new Promise<void>((resolve, reject) => {
      input.once('open', () => resolve());
      input.once('error', reject);
    });
    try {
      await opened;
    } catch (err) {
      throw new Error(`${resultsPath}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    let first = true;
    for await (const raw of lines) {
      const line = first ? raw.replace(/^\uFEFF/, '') : raw;
      first = false;
      if (line.trim() === '') continue;
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        report.addBadLine();
        continue;
      }
      report.add(record);
      if (record && typeof record === 'object' && (record as { type?: unknown }).type === 'call') offerSaved(shortlist, record as Record<string, unknown>);
    }
    report.choosePages(shortlist);
  } catch (err) {
    await report.discard();
    throw err;
  }
  await report.finish(run);
}
