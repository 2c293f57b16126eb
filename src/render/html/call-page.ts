import { en, type MessageKey } from '../../i18n/catalogs/en.js';
import { maskPersonalNumbers } from '../../privacy/mask.js';
import type { RunInfo, UtteranceRecord } from '../../results/codec.js';
import type { Finding } from '../../scoring/score-call.js';
import { clock } from '../../util/format.js';
import { escapeHtml, escText } from './escape.js';
import { agentLabel, clip, speakerLabel } from './format.js';
import { type CallView, gradesOf } from './records.js';
import { timelineSvg } from './svg.js';
import type { Words } from './words.js';

// A call's page: its facts, timeline and transcript with the findings inline, shown by CSS `:target`.

/** An utterance's text, masked and escaped, the first finding quote it holds marked. */
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
function findingItem(w: Words, f: Finding, advice: Record<string, string>, utterance?: string): string {
  const tip = advice[f.rule] ? ` title="${escText(advice[f.rule] as string)}"` : '';
  const at = f.at === undefined ? '' : `<span class="t">${clock(f.at)}</span> `;
  const overturned = f.review?.verdict === 'rejected';
  // An overturned finding shows what it would have cost, struck through: it deducts nothing now.
  const cost =
    f.status === 'review'
      ? `<span class="ded review">${w.html('report.review')}</span>`
      : overturned
        ? `<span class="ded"><s>−${escapeHtml(w.num(f.review?.deduction ?? 0, 2))}</s></span>`
        : `<span class="ded">−${escapeHtml(w.num(f.deduction, 2))}</span>`;
  const cls = f.review ? ` verdict-${f.review.verdict}` : '';
  return `<li class="finding${cls}"${tip} data-rule="${escapeHtml(f.rule)}">${at}<strong>${escapeHtml(w.rule(f.rule))}</strong> ${cost} ${escText(f.message)}${
    f.evidence && f.evidence !== utterance ? ` <q>${escText(clip(f.evidence, 200))}</q>` : ''
  }${reviewMark(w, f)}</li>`;
}

/** A finding's review state (confirmed ✓, overturned, unsure), with the note and the reviewer when given; empty when none. */
export function reviewMark(w: Words, f: Finding): string {
  const review = f.review;
  if (!review) return '';
  const state =
    review.verdict === 'confirmed' ? 'report.verdict.confirmed' : review.verdict === 'rejected' ? 'report.verdict.overturned' : 'report.verdict.unsure';
  const note = review.note.trim() === '' ? '' : ` <span class="review-note">${w.html('report.verdict.note', { note: escText(clip(review.note, 300)) })}</span>`;
  const who = review.reviewer.trim() === '' ? '' : ` <span class="reviewer">${w.html('report.verdict.by', { reviewer: escText(review.reviewer) })}</span>`;
  return ` <span class="verdict ${review.verdict}">${w.html(state)}</span>${note}${who}`;
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

/** The call's page: a section whose id is its anchor, linked to its agent's section. */
export function renderCallPage(w: Words, call: CallView, anchor: string, agentHref: string, run: Pick<RunInfo, 'rubric'>): string {
  const advice = run.rubric?.advice ?? {};
  const { byUtterance, loose } = placeFindings(call);
  const chip = (id: string, cls: string, text: string) => `<span class="chip ${cls}" data-rule="${escapeHtml(id)}">${escapeHtml(text)}</span>`;
  const failed = Object.entries(call.outcomes)
    .filter(([, o]) => o === 'fail' || o === 'error')
    .map(([id, o]) => (o === 'error' ? chip(id, 'error', w.say('report.call.rule-error', { rule: w.rule(id) })) : chip(id, 'fail', w.rule(id))));
  const parts: string[] = [];
  parts.push(`<section class="call-page" id="${anchor}" aria-label="${w.html('report.call.aria', { id: escapeHtml(call.callId) })}">`);
  parts.push(
    `<nav class="crumbs"><a href="#overview">${w.html('report.toc.overview')}</a> › <a href="#${agentHref}">${escapeHtml(agentLabel(w, call.agentId, call.agentName))}</a> › ${escapeHtml(call.callId)}</nav>`,
  );
  parts.push(`<h2>${w.html('report.call')} <span class="id">${escapeHtml(call.callId)}</span></h2>`);
  parts.push(
    `<dl class="facts">${callFacts(w, call, agentHref)
      .map(([k, v]) => `<div><dt>${w.html(k)}</dt><dd>${v}</dd></div>`)
      .join('')}</dl>`,
  );
  if (call.criticalFailures.length > 0) {
    parts.push(`<p class="critical">${w.html('report.call.critical', { rules: call.criticalFailures.map((c) => chip(c, 'fail', w.rule(c))).join(' ') })}</p>`);
  }
  parts.push(`<p class="rules">${w.html('report.call.failed-rules', { rules: failed.length > 0 ? failed.join(' ') : w.html('report.none') })}</p>`);
  parts.push(timelineSvg(w, call));
  if (loose.length > 0) {
    parts.push(`<h3>${w.html('report.call.loose')}</h3><ul class="findings">${loose.map((f) => findingItem(w, f, advice)).join('')}</ul>`);
  }
  parts.push(`<h3>${w.html('report.call.transcript')}</h3><ol class="transcript">`);
  call.utterances.forEach((u, i) => {
    parts.push(utteranceItem(w, u, byUtterance.get(i) ?? [], advice));
  });
  parts.push('</ol>');
  parts.push(gradesTable(w, call));
  parts.push('</section>\n');
  return parts.join('');
}

/** The call's facts as label and HTML pairs: score, agent, source, duration, and what else the record holds. */
function callFacts(w: Words, call: CallView, agentHref: string): [MessageKey, string][] {
  const facts: [MessageKey, string][] = [
    [
      'report.fact.score',
      `<span class="score ${call.passed ? 'pass' : 'fail'}">${escapeHtml(w.num(call.score, 2))}</span> ${w.html(call.passed ? 'report.call.passed' : 'report.call.failed')}`,
    ],
    ['report.fact.agent', `<a href="#${agentHref}">${escapeHtml(agentLabel(w, call.agentId, call.agentName))}</a>`],
    // Always, phone calls too: a page is drawn before the run's other calls are known, and a supervisor opening
    // one wants to know at once whether it was a call or a written conversation.
    ['report.fact.channel', escapeHtml(w.say(`report.channel.${call.channel}`))],
    ['report.fact.source', `<code>${escapeHtml(call.source)}</code>`],
    ['report.fact.duration', call.durationSeconds === undefined ? '–' : clock(call.durationSeconds)],
    ['report.fact.hangup', escapeHtml(valueWord(w, 'report.party.', call.hangupBy))],
  ];
  if (call.startedAt) facts.push(['report.fact.started', escapeHtml(w.wallTime(call.startedAt))]);
  if (call.ringSeconds !== undefined) facts.push(['report.fact.ring', w.html('report.seconds', { seconds: escapeHtml(w.num(call.ringSeconds)) })]);
  if (call.roleSource) facts.push(['report.fact.roles', escapeHtml(valueWord(w, 'report.roles.', call.roleSource))]);
  if (call.llm?.status && call.llm.status !== 'n/a') facts.push(['report.fact.llm', escapeHtml(valueWord(w, 'report.llm.', call.llm.status))]);
  return facts;
}

/** A record's value (who hung up, where the roles came from, the model's status) in words, or as it is when the catalog has none. */
function valueWord(w: Words, prefix: string, value: string): string {
  const key = `${prefix}${value}`;
  return Object.hasOwn(en, key) ? w.say(key as MessageKey) : value;
}

/** An utterance of the transcript, its findings' quotes marked and the findings listed under it. */
function utteranceItem(w: Words, u: UtteranceRecord, here: readonly Finding[], advice: Record<string, string>): string {
  const cls = `utt ${u.speaker === 'agent' ? 'agent' : 'customer'}${here.length > 0 ? ' has-finding' : ''}`;
  const time = u.start === undefined ? '' : `<span class="t">${clock(u.start)}</span>`;
  return `<li class="${cls}">${time}<span class="who">${escapeHtml(speakerLabel(w, u.speaker))}</span><span class="text">${highlight(
    u.text,
    here.map((f) => f.evidence),
  )}</span>${here.length > 0 ? `<ul class="findings">${here.map((f) => findingItem(w, f, advice, u.text)).join('')}</ul>` : ''}</li>`;
}

/** The model's grades of the call as a table (empty when it was not graded). */
function gradesTable(w: Words, call: CallView): string {
  const grades = gradesOf(call);
  if (grades.length === 0) return '';
  const parts: string[] = [];
  const th = (['report.col.criterion', 'report.col.score', 'report.col.deduction', 'report.col.reason', 'report.col.evidence'] as const).map(
    (k) => `<th>${w.html(k)}</th>`,
  );
  parts.push(`<h3>${w.html('report.call.grades')}</h3><table><thead><tr>${th.join('')}</tr></thead><tbody>`);
  for (const g of grades) {
    parts.push(
      `<tr><td>${escapeHtml(g.id)}${g.unverified ? ` <span class="chip error">${w.html('report.call.unverified')}</span>` : ''}</td><td class="num">${escapeHtml(w.num(g.score, 2))}</td><td class="num">${escapeHtml(
        w.num(g.deduction, 2),
      )}</td><td>${escText(g.reason)}</td><td>${g.evidence.map((e) => `<q>${escText(clip(e, 200))}</q>`).join(' ')}</td></tr>`,
    );
  }
  parts.push('</tbody></table>');
  return parts.join('');
}
