import { isWrittenChannel, type PreparedCall, type PreparedUtterance } from '../model/call.js';
import type { Occurrence, PhraseMatcher } from '../match/phrases.js';
import { lastOf } from '../util/last-call.js';
import type { Translator } from '../i18n/format.js';
import type { RuleFinding, RuleResult } from './types.js';

/** The agent's utterances of a list of utterances, in order (the last list's, kept: see lastOf). */
const agentsOf = lastOf((utterances: readonly PreparedUtterance[]): readonly PreparedUtterance[] => {
  const list: PreparedUtterance[] = [];
  for (const u of utterances) if (u.speaker === 'agent') list.push(u);
  return list;
});

/** The agent's utterances, in order: worked out once per call (its list of utterances), however many rules ask. */
export function agentUtterances(call: PreparedCall): readonly PreparedUtterance[] {
  return agentsOf(call.utterances);
}

/** A transcript is timed when its utterances carry start times. */
export function isTimed(call: PreparedCall): boolean {
  for (const u of call.utterances) if (u.start !== undefined) return true;
  return false;
}

/** Written service (online chat, a social-media thread): messages, not speech. */
export function isWritten(call: Pick<PreparedCall, 'channel'>): boolean {
  return isWrittenChannel(call.channel);
}

const EVIDENCE_CONTEXT = 30;
/**
 * The longest quote of a whole utterance: a turn of speech is rarely a tenth of this, and a quote is for a
 * person to read in one cell (Excel holds 32,767 characters). An unsplit ASR dump or a hostile input of
 * millions of characters would otherwise be copied into every finding, results line and CSV row.
 */
export const EVIDENCE_MAX = 500;

/**
 * The original words of an utterance, verbatim; when a match is given and the utterance is long,
 * only the stretch around the match (with … where text was cut); without one, at most the first
 * EVIDENCE_MAX characters (with … after them).
 */
export function quote(u: PreparedUtterance, match?: Pick<Occurrence, 'start' | 'end'>): string {
  if (!match) return u.text.length <= EVIDENCE_MAX ? u.text.trim() : `${head(u.text, EVIDENCE_MAX).trim()}…`;
  if (u.text.length <= EVIDENCE_CONTEXT * 3) return u.text.trim();
  const map = u.norm.toOriginal;
  const from = map[match.start] ?? 0;
  const to = (map[Math.max(match.start, match.end - 1)] ?? from) + 1;
  const lo = Math.max(0, from - EVIDENCE_CONTEXT);
  const hi = Math.min(u.text.length, to + EVIDENCE_CONTEXT);
  return `${lo > 0 ? '…' : ''}${u.text.slice(lo, hi).trim()}${hi < u.text.length ? '…' : ''}`;
}

/**
 * Findings listed one by one for a rule in one call. Past this (a transcript repeating a banned word
 * thousands of times), a rule only counts them (RuleResult.unlisted) and the kernel makes the rest one
 * finding that says how many and carries their deductions: deductions still add up to the score, the
 * reports stay readable and a call's memory bounded.
 */
export const MAX_FINDINGS_LISTED = 200;

/** A rule's findings in one call: made up to MAX_FINDINGS_LISTED, counted past it. */
export class FindingList {
  readonly findings: RuleFinding[] = [];
  /** Findings past MAX_FINDINGS_LISTED: counted, never made. */
  unlisted = 0;

  /** Adds the finding `make` makes, or, once the list is full, only counts it (`make` is not called). */
  add(make: () => RuleFinding): void {
    if (this.findings.length < MAX_FINDINGS_LISTED) this.findings.push(make());
    else this.unlisted++;
  }

  get size(): number {
    return this.findings.length + this.unlisted;
  }

  /** fail with the findings when there are any, else pass; hits are the listed findings' times (the first are among them). */
  result(): RuleResult {
    const { findings, unlisted } = this;
    return { outcome: this.size > 0 ? 'fail' : 'pass', findings, hits: findingTimes(findings), ...(unlisted > 0 ? { unlisted } : {}) };
  }
}

/** The first `n` code units of a text, one fewer where the n-th would split a surrogate pair. */
function head(text: string, n: number): string {
  const last = text.charCodeAt(n - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? n - 1 : n);
}

/**
 * The times of the findings that have one: a rule's `hits`. A loop, not flatMap: this runs for
 * every rule of every call, and flatMap's array per element costs more than the rest of it.
 */
export function findingTimes(findings: readonly { at?: number }[]): number[] {
  const times: number[] = [];
  for (const f of findings) if (f.at !== undefined) times.push(f.at);
  return times;
}

/** The start times of the utterances that have one (`hits` of a rule that passes on them). */
export function startTimes(utterances: readonly PreparedUtterance[]): number[] {
  const times: number[] = [];
  for (const u of utterances) if (u.start !== undefined) times.push(u.start);
  return times;
}

/** A finding's time: the utterance's start, when the transcript has one. */
export function at(u: PreparedUtterance): { at?: number } {
  return u.start === undefined ? {} : { at: u.start };
}

/**
 * Customer wordings that end a call before any service conversation (seeds: the closing and the
 * restatement serve a customer's need; a caller who dialled the wrong number has none).
 */
export const DEFAULT_WRONG_NUMBER = ['打错了', '打错电话', '拨错了', '拨错电话', '打错号码', '拨错号码', '打错人了', '按错了'];

/** The first customer utterance saying they dialled the wrong number, if any. */
export function wrongNumber(call: PreparedCall, cues: PhraseMatcher): PreparedUtterance | undefined {
  if (cues.size === 0) return undefined;
  return call.utterances.find((u) => u.speaker === 'customer' && cues.test(u.norm.text));
}

/**
 * Several complete sentences of one finding as one message, joined the language's way (`a; b` / `a；b`); a
 * sentence said twice (a rubric's one message for all of a rule's) once.
 */
export function sentences(say: Translator, list: readonly string[]): string {
  return [...new Set(list)].reduce((first, second) => say('finding.sentences', { first, second }));
}
