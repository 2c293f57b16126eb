import type { UtteranceRecord } from '../../results/codec.js';
import { clock } from '../../util/format.js';
import { escapeHtml, escText } from './escape.js';
import { clip, speakerLabel } from './format.js';
import type { CallView } from './records.js';
import type { Words } from './words.js';

// The charts, inline SVG (no script): the score histogram, horizontal bars, a call's timeline.

/** Calls per 10-point score bin, the pass score marked. */
export function histogramSvg(w: Words, bins: readonly number[], passScore: number): string {
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
    const tip = w.count(count, 'report.scores.bin.one', 'report.scores.bin', { range: label, count });
    parts.push(
      `<rect class="${cls}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(bw - 8).toFixed(1)}" height="${Math.max(h, count > 0 ? 1 : 0).toFixed(1)}"><title>${escapeHtml(tip)}</title></rect>`,
    );
    if (count > 0) parts.push(`<text class="value" x="${(x + (bw - 8) / 2).toFixed(1)}" y="${(y - 4).toFixed(1)}" text-anchor="middle">${count}</text>`);
    parts.push(`<text class="tick" x="${(left + i * bw + bw / 2).toFixed(1)}" y="${top + plotH + 16}" text-anchor="middle">${label}</text>`);
  });
  const px = left + (Math.min(100, Math.max(0, passScore)) / 100) * plotW;
  parts.push(
    `<line class="passline" x1="${px.toFixed(1)}" y1="${top - 6}" x2="${px.toFixed(1)}" y2="${top + plotH}"><title>${w.html('report.scores.pass-line', { score: escapeHtml(w.num(passScore)) })}</title></line>`,
  );
  parts.push(
    `<text class="tick" x="${(px - 4).toFixed(1)}" y="${top - 8}" text-anchor="end">${w.html('report.scores.pass-tick', { score: escapeHtml(w.num(passScore)) })}</text>`,
  );
  return `<svg class="chart histogram" viewBox="0 0 ${W} ${H}" role="img" aria-label="${w.html('report.scores.title')}">${parts.join('')}</svg>`;
}

/** A bar of a horizontal bar chart. */
export interface HBar {
  label: string;
  value: number;
  /** 0–1: the bar's length. */
  ratio: number;
  text: string;
  tip: string;
  cls: string;
}

/** One labelled horizontal bar per row, its value written after it. */
export function hbarSvg(bars: readonly HBar[], ariaLabel: string): string {
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
export function timelineSvg(w: Words, call: CallView): string {
  const timed = call.utterances.filter((u) => u.start !== undefined);
  if (timed.length === 0) return `<p class="note">${w.html('report.timeline.untimed')}</p>`;
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
  parts.push(
    `<text class="label" x="${left - 8}" y="${lanes.agent + laneH / 2}" text-anchor="end" dominant-baseline="middle">${escapeHtml(speakerLabel(w, 'agent'))}</text>`,
  );
  parts.push(
    `<text class="label" x="${left - 8}" y="${lanes.customer + laneH / 2}" text-anchor="end" dominant-baseline="middle">${escapeHtml(speakerLabel(w, 'customer'))}</text>`,
  );
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
    const width = Math.max(2, x(stop) - x0);
    const tip = w.say('report.timeline.utterance', { from: clock(u.start), to: clock(stop), speaker: speakerLabel(w, u.speaker), text: clip(u.text, 120) });
    parts.push(
      `<rect class="utt ${u.speaker === 'agent' ? 'agent' : 'customer'}" x="${x0.toFixed(1)}" y="${lanes[u.speaker === 'agent' ? 'agent' : 'customer']}" width="${width.toFixed(1)}" height="${laneH}"><title>${escText(tip)}</title></rect>`,
    );
  });
  for (const f of call.findings) {
    if (f.at === undefined) continue;
    const fx = x(f.at).toFixed(1);
    const tip = w.say('report.timeline.finding', { at: clock(f.at), rule: w.rule(f.rule), deduction: w.num(f.deduction, 2), message: clip(f.message, 120) });
    parts.push(
      `<g class="marker"><title>${escText(tip)}</title><line x1="${fx}" y1="10" x2="${fx}" y2="${lanes.customer + laneH + 2}"/><path d="M${fx} 12 l-5 -8 h10 z"/></g>`,
    );
  }
  return `<svg class="timeline" viewBox="0 0 ${W} ${H}" role="img" aria-label="${w.html('report.timeline.title')}">${parts.join('')}</svg>`;
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

/** Seconds between the timeline's ticks: about ten ticks whatever the call's length. */
function tickStep(end: number): number {
  for (const s of [5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600]) if (end / s <= 10) return s;
  return Math.ceil(end / 10 / 3600) * 3600;
}
