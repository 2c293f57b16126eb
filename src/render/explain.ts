import type { ChalkInstance } from 'chalk';
import { type MessageKey, type Translator, translator } from '../i18n/format.js';
import { type Lang, savedLang } from '../i18n/lang.js';
import { findingsWriter, titleIn } from '../results/languages.js';
import { maskPersonalNumbers } from '../privacy/mask.js';
import type { Finding } from '../scoring/score-call.js';
import { clock, round } from '../util/format.js';
import type { CallRecord, RunInfo, UtteranceRecord } from '../results/codec.js';
import { IntervalIndex } from '../util/intervals.js';

/**
 * `callqa explain`: one call in the terminal, as a QA analyst reads it: every utterance with the
 * findings that concern it right under it, then how the score was reached, in `lang` (default: the
 * run's language). Rules are named by their titles. Text from the transcript is masked again and
 * stripped of control characters (an ESC in a transcript must not drive the terminal).
 */
export function renderExplain(saved: CallRecord, run: RunInfo, colour: ChalkInstance, lang: Lang = savedLang(run.rubric)): string {
  // In another language than the run's, the findings are written again from the messages they keep.
  const record = lang === savedLang(run.rubric) ? saved : { ...saved, findings: findingsWriter(run.rubric, lang).write(saved.findings) };
  const say = translator(lang);
  const title = titleIn(run.rubric, lang);
  const out: string[] = [];
  const agent = [record.agentName, record.agentId === '' ? '' : `(${record.agentId})`].filter((s) => s !== '').join(' ') || '—';
  out.push(colour.bold(`${terminalText(record.callId)}  ${terminalText(agent)}`));
  out.push(colour.dim(`${terminalText(record.source)}${record.line === undefined ? '' : `:${record.line}`}`));
  out.push(facts(record, run, colour, say).join(' · '), '');

  const placed = placeFindings(record);
  const utterances = record.utterances ?? [];
  utterances.forEach((u, i) => {
    out.push(utteranceLine(u, colour, say));
    for (const f of placed.byUtterance.get(i) ?? []) out.push(findingLine(f, colour, say, title, u.text));
  });
  if (record.utterances === undefined) {
    out.push(colour.dim(say('explain.not-kept', { report: 'report.html', flag: '--keep-transcripts', command: 'callqa explain' })));
  } else if (utterances.length === 0) out.push(colour.dim(say('explain.no-utterances')));
  if (placed.unplaced.length > 0) {
    out.push('', colour.dim(say(record.utterances === undefined ? 'explain.findings' : 'explain.whole-call')));
    for (const f of placed.unplaced) out.push(findingLine(f, colour, say, title));
  }

  out.push('', colour.bold(say('explain.breakdown')), ...breakdown(record, run, colour, say, title));
  for (const e of record.ruleErrors)
    out.push(colour.red(`  ${say('explain.rule-error', { rule: terminalText(title(e.rule)), error: terminalText(e.error) })}`));
  if (record.llm?.status === 'error' && record.llm.error) out.push(colour.red(`  ${say('explain.llm-error', { error: terminalText(record.llm.error) })}`));
  const unverified = (record.llm?.grades ?? []).filter((g) => g.unverified).map((g) => `llm:${terminalText(g.id)}`);
  if (unverified.length > 0) out.push(colour.yellow(`  ${say('explain.unverified', { criteria: unverified })}`));
  return `${out.join('\n')}\n`;
}

/** The line under the call's id: score and verdict, duration, who hung up first, where the roles came from, the model's grading. */
function facts(record: CallRecord, run: RunInfo, colour: ChalkInstance, say: Translator): string[] {
  const passScore = run.rubric.passScore;
  const verdict = record.passed ? colour.green(say('explain.passed')) : colour.red(say('explain.failed'));
  const score = colour.bold(String(round(record.score, 2)));
  const hangup = HANGUP[record.hangupBy];
  const list = [
    Number.isFinite(passScore) ? say('explain.score-mark', { score, verdict, passScore }) : say('explain.score', { score, verdict }),
    record.durationSeconds === undefined ? say('explain.untimed') : say('explain.duration', { time: clock(record.durationSeconds) }),
    say('explain.hangup', { who: hangup ? say(hangup) : terminalText(record.hangupBy) }),
    say('explain.roles', {
      source: ROLE_SOURCES.has(record.roleSource) ? say(`explain.role.${record.roleSource}` as MessageKey) : terminalText(record.roleSource),
    }),
  ];
  if (record.llm) {
    // The status's words (LlmStatus); one this version does not know, as it is.
    const status = LLM_STATUSES.has(record.llm.status) ? say(`explain.llm.${record.llm.status}` as MessageKey) : terminalText(record.llm.status);
    list.push(record.llm.model ? say('explain.llm-model', { status, model: terminalText(record.llm.model) }) : say('explain.llm', { status }));
  }
  return list;
}

/** How the roles were told apart (RoleSource), each with its words in the catalogs. */
const ROLE_SOURCES: ReadonlySet<string> = new Set(['given', 'flag', 'greeting', 'identification', 'customer-cue', 'direction', 'first-speaker']);

const LLM_STATUSES: ReadonlySet<string> = new Set(['ok', 'cached', 'error', 'skipped', 'n/a']);

const HANGUP: Record<string, MessageKey> = { customer: 'explain.customer', agent: 'explain.agent', unknown: 'explain.unknown' };

/** Masked again, and every control or bidirectional-override character made harmless. */
export function terminalText(text: string): string {
  return maskPersonalNumbers(text).replace(/[\p{Cc}\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, (c) =>
    c === '\n' || c === '\r' || c === '\t' ? ' ' : `\\u{${c.codePointAt(0)?.toString(16)}}`,
  );
}

function utteranceLine(u: UtteranceRecord, colour: ChalkInstance, say: Translator): string {
  const time = u.start === undefined ? '--:--' : clock(u.start);
  const who = u.speaker === 'agent' ? colour.cyan(say('explain.agent')) : colour.yellow(say('explain.customer'));
  return `${colour.dim(time)}  ${who}  ${terminalText(u.text)}`;
}

const minus = (x: number) => `−${round(x, 2)}`;

/** A finding under its utterance; its evidence too when that is more than the utterance itself. */
function findingLine(f: Finding, colour: ChalkInstance, say: Translator, title: (id: string) => string, utterance?: string): string {
  const same = utterance !== undefined && compact(f.evidence) === compact(utterance);
  const evidence = f.evidence.trim() === '' || same ? '' : colour.dim(`  「${terminalText(truncate(f.evidence, 60))}」`);
  const cost = f.status === 'review' ? colour.yellow(say('explain.review')) : colour.red(minus(f.deduction));
  return `  ${colour.red('↳')} ${colour.bold(terminalText(title(f.rule)))} ${cost}: ${terminalText(f.message)}${evidence}`;
}

const compact = (s: string) => s.replace(/\s+/g, '');

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}

/**
 * Which utterance a finding belongs under: the one whose [start, end] holds its time (the one that
 * starts there first, and among several the one holding its evidence), else the nearest earlier
 * one; an untimed finding under the first utterance holding its evidence; else at the end.
 */
export function placeFindings(record: CallRecord): { byUtterance: Map<number, Finding[]>; unplaced: Finding[] } {
  const byUtterance = new Map<number, Finding[]>();
  const unplaced: Finding[] = [];
  const us = record.utterances ?? [];
  // Built once per call, not per finding: the utterances by time, their text without spaces (as asked),
  // and the first utterance holding each evidence text.
  const byTime = new IntervalIndex(us);
  const firstTimed = us.findIndex((u) => u.start !== undefined);
  const texts: (string | undefined)[] = new Array(us.length);
  const textOf = (i: number) => (texts[i] ??= compact(us[i]?.text ?? ''));
  const partsOf = (f: Finding) =>
    f.evidence
      .split(' / ')
      .map(compact)
      .filter((part) => part !== '');
  const byEvidence = (parts: readonly string[], candidates: readonly number[]) =>
    parts.length === 0 ? undefined : candidates.find((i) => parts.some((part) => textOf(i).includes(part)));
  const firstHolding = new Map<string, number | undefined>();
  const inAll = (f: Finding) => {
    if (!firstHolding.has(f.evidence)) {
      const parts = partsOf(f);
      let found: number | undefined;
      if (parts.length > 0) for (let i = 0; i < us.length && found === undefined; i++) if (parts.some((part) => textOf(i).includes(part))) found = i;
      firstHolding.set(f.evidence, found);
    }
    return firstHolding.get(f.evidence);
  };
  for (const f of record.findings) {
    let place: number | undefined;
    if (f.at !== undefined) {
      const at = f.at;
      const starting = byTime.startingNear(at, 1e-6);
      if (starting.length > 0) place = byEvidence(partsOf(f), starting) ?? starting[0];
      else {
        const within = byTime.containing(at);
        place = within.length > 0 ? (byEvidence(partsOf(f), within) ?? within[0]) : byTime.latestStartBy(at);
      }
      if (place === undefined && firstTimed >= 0) place = inAll(f) ?? firstTimed;
    } else {
      place = inAll(f);
    }
    if (place === undefined) unplaced.push(f);
    else {
      const list = byUtterance.get(place);
      if (list) list.push(f);
      else byUtterance.set(place, [f]);
    }
  }
  return { byUtterance, unplaced };
}

/** Columns in a terminal: East Asian wide characters take two. */
function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\p{Script=Han}\u3000-\u303f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

const padDisplay = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - displayWidth(text)));

/** 100, what each rule and each LLM criterion took, then bonus, the floor at 0 or a critical failure, = score. */
function breakdown(record: CallRecord, run: RunInfo, colour: ChalkInstance, say: Translator, title: (id: string) => string): string[] {
  const total = new Map<string, { deduction: number; findings: number }>();
  for (const f of record.findings) {
    const t = total.get(f.rule) ?? { deduction: 0, findings: 0 };
    t.deduction += f.deduction;
    t.findings++;
    total.set(f.rule, t);
  }
  const order = [...run.layout.ruleIds, ...(run.layout.criteria ?? []).map((id) => `llm:${id}`)];
  const rules = [...total.keys()].sort((x, y) => rank(order, x) - rank(order, y) || (x < y ? -1 : x > y ? 1 : 0));
  const labels = rules.map((rule) => terminalText(title(rule)));
  const width = Math.max(16, ...labels.map(displayWidth));
  const row = (label: string, amount: string, note = '') => `  ${padDisplay(label, width)} ${amount}${note === '' ? '' : `  ${colour.dim(note)}`}`;
  const lines = [row(say('explain.full-marks'), '   100')];
  let lost = 0;
  rules.forEach((rule, i) => {
    const t = total.get(rule) as { deduction: number; findings: number };
    lost += t.deduction;
    const amount = minus(t.deduction).padStart(6);
    lines.push(
      row(
        labels[i] as string,
        t.deduction > 0 ? colour.red(amount) : colour.dim(amount),
        say(t.findings === 1 ? 'explain.findings-count.one' : 'explain.findings-count.other', { count: t.findings }),
      ),
    );
  });
  const score = record.score;
  if (record.criticalFailures.length > 0) {
    const failed = record.criticalFailures.map((rule) => terminalText(title(rule)));
    lines.push(row(say('explain.critical'), colour.red('→    0'), say('explain.critical-rules', { rules: failed })));
  } else {
    const expected = 100 - lost;
    const adjustment = round(score - expected, 2);
    if (adjustment !== 0 && score === 0 && expected < 0) lines.push(row(say('explain.floor'), colour.dim(`+${round(-expected, 2)}`.padStart(6))));
    else if (adjustment !== 0)
      lines.push(row(say(score === 100 ? 'explain.bonus-capped' : 'explain.bonus'), colour.green(signedAmount(adjustment).padStart(6))));
  }
  const passed = record.passed ? colour.green : colour.red;
  lines.push(row('=', passed(String(round(score, 2)).padStart(6))));
  return lines;
}

const signedAmount = (x: number) => (x > 0 ? `+${round(x, 2)}` : minus(-x));

function rank(order: readonly string[], id: string): number {
  const i = order.indexOf(id);
  return i === -1 ? order.length : i;
}
