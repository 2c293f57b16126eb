import { z } from 'zod';
import type { PreparedCall, PreparedUtterance } from '../model/call.js';
import { compileRegexPhrase, isRegexPhrase, type Occurrence, PhraseMatcher } from '../match/phrases.js';
import { agentUtterances, at, FindingList, findingTimes, MAX_FINDINGS_LISTED, quote } from './helpers.js';
import type { Reading, RefusalContext } from './refusal-context.js';
import type { Translator } from '../i18n/format.js';
import type { RuleFinding, RuleResult } from './types.js';
import { normaliseText } from '../normalise/text.js';
import { memoPair } from '../util/memo.js';

/** A phrase as the rubric writes it: literal text, or /regex/ applied to normalised text. */
export const phrase = z.string().superRefine((value, ctx) => {
  if (isRegexPhrase(value)) {
    try {
      compileRegexPhrase(value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  } else if (normaliseText(value).text === '') {
    ctx.addIssue({ code: 'custom', message: 'expected a phrase, got empty text' });
  }
});

/** A list of phrases, compiled once when the rubric loads. */
export function phraseList(defaults: readonly string[], description: string) {
  return z
    .array(phrase)
    .default([...defaults])
    .describe(description)
    .transform((list) => new PhraseMatcher(list));
}

/** Phrases added to a seed rule's defaults (`extra_phrases`), where `phrases` would replace them. */
export function extraPhraseList(description: string) {
  return z
    .array(phrase)
    .default([])
    .describe(description)
    .transform((list) => new PhraseMatcher(list));
}

const combined = memoPair((base: PhraseMatcher, extra: PhraseMatcher) => new PhraseMatcher([...base.phrases, ...extra.phrases]));

/** One matcher over a list and its extension, built once per rubric (the options objects live as long as it). */
export function withExtra(base: PhraseMatcher, extra: PhraseMatcher | undefined): PhraseMatcher {
  return !extra || extra.size === 0 ? base : combined(base, extra);
}

/** A matcher whose phrases begin with more different characters than this is not worth a look for each. */
const MAX_FIRST_CHARACTERS = 4;

/**
 * By matcher: the first code units of its phrases (as written and normalised), when they are few and all
 * phrases are literal; null otherwise (a /regex/ may match anything). Built once per matcher.
 */
const firstUnitsOf = new WeakMap<PhraseMatcher, string[] | null>();

export function firstUnits(matcher: PhraseMatcher): string[] | null {
  let units = firstUnitsOf.get(matcher);
  if (units === undefined) {
    const set = new Set<string>();
    for (const p of matcher.phrases) {
      if (isRegexPhrase(p)) {
        set.clear();
        break;
      }
      for (const form of [p, normaliseText(p).text]) if (form.length > 0) set.add(form[0] as string);
    }
    units = set.size > 0 && set.size <= MAX_FIRST_CHARACTERS ? [...set] : null;
    firstUnitsOf.set(matcher, units);
  }
  return units;
}

/**
 * Whether a text may hold a phrase of the matcher: false proves it holds none (no phrase's first character
 * is in it). A native search for a character or two, where the matcher would read the text a character at
 * a time in JavaScript: 不知道/不行/不清楚 all begin with 不, which few turns hold.
 */
export function mayHoldPhrase(text: string, units: readonly string[] | null): boolean {
  if (units === null) return true;
  for (const unit of units) if (text.includes(unit)) return true;
  return false;
}

/** Options of a rule that forbids phrases in agent speech: a list and its exceptions, each extendable, and how context reads a match. */
export interface ForbiddenPhraseOptions {
  phrases: PhraseMatcher;
  exceptions: PhraseMatcher;
  extra_phrases?: PhraseMatcher;
  extra_exceptions?: PhraseMatcher;
  /** Without it every occurrence counts. */
  context?: RefusalContext;
}

/** One occurrence the rule counts, and how its context read it (`unsure`: a person should look). */
export interface Counted {
  occ: Occurrence;
  u: PreparedUtterance;
  reading: Reading;
}

/**
 * Every occurrence of a forbidden phrase in agent speech, exceptions removed, read in its clause (a
 * question, conditional, hedge, echo or description is not a refusal), turned into findings by
 * `describe`: the message of a certain finding, or given `doubt` (why the context could not decide,
 * written by `say` in the run's language) of one for review: one sentence, not a sentence and a note
 * glued on. `redeemed` may excuse an occurrence its utterance makes polite (a reason and an
 * alternative). n/a without agent speech; fail with one finding per occurrence read as a refusal; else
 * review with one finding per occurrence the context could not decide; else pass.
 */
export function forbiddenPhrases(
  call: PreparedCall,
  options: ForbiddenPhraseOptions,
  say: Translator,
  describe: (occ: Occurrence, u: PreparedUtterance, doubt?: string) => string,
  redeemed?: (occ: Occurrence, u: PreparedUtterance) => boolean,
): RuleResult {
  const phrases = withExtra(options.phrases, options.extra_phrases);
  const exceptions = withExtra(options.exceptions, options.extra_exceptions);
  if (agentUtterances(call).length === 0) return { outcome: 'n/a', findings: [] };
  const findings = new FindingList();
  const unsure: RuleFinding[] = [];
  const units = firstUnits(phrases);
  let customer = '';
  for (const u of call.utterances) {
    if (u.speaker !== 'agent') {
      if (u.speaker === 'customer') customer = u.norm.text;
      continue;
    }
    if (!mayHoldPhrase(u.norm.text, units)) continue;
    for (const occ of phrases.findExcept(u.norm.text, exceptions)) {
      const reading: Reading = options.context ? options.context.read(u.norm.text, occ, customer) : { kind: 'refusal' };
      if (reading.kind === 'not') continue;
      if (redeemed?.(occ, u)) continue;
      if (reading.kind === 'refusal') findings.add(() => ({ ...at(u), message: describe(occ, u), evidence: quote(u, occ) }));
      else if (unsure.length < MAX_FINDINGS_LISTED) {
        const doubt = say(reading.doubt.key, reading.doubt.params);
        unsure.push({ ...at(u), message: describe(occ, u, doubt), evidence: quote(u, occ) });
      }
    }
  }
  if (findings.size > 0 || unsure.length === 0) return findings.result();
  return { outcome: 'review', findings: unsure, hits: findingTimes(unsure) };
}
