import { createRequire } from 'node:module';
import { z } from 'zod';
import type { PreparedUtterance } from '../model/call.js';
import { isRegexPhrase, type Occurrence, PhraseMatcher, withoutExceptions } from '../match/phrases.js';
import { normaliseText } from '../normalise/text.js';
import { PinyinMatcher } from '../match/pinyin.js';
import { at, FindingList, quote } from './helpers.js';
import { phrase } from './phrase-options.js';
import type { MessageKey, Translator } from '../i18n/format.js';
import type { RuleFinding } from './types.js';
import { defineRule } from './types.js';
import { type SpeakerFilter, selectUtterances, speakerSchema, type Window, windowDependencies, windowSchema } from './window.js';

type Distance = typeof import('natural/lib/natural/distance/index.js');
let distance: Distance | undefined;

/**
 * Jaro–Winkler similarity (1 = identical) from `natural`'s distance module, loaded by path on first
 * use: the package's main entry takes ~0.4 s and prints to stdout; this module alone ~10 ms, paid
 * only by rubrics that ask for `similarity`.
 */
function jaroWinkler(a: string, b: string): number {
  distance ??= createRequire(import.meta.url)('natural/lib/natural/distance/index.js') as Distance;
  return distance.JaroWinklerDistance(a, b);
}

/** The phrase list, each phrase once (寬帶 and 宽带 are one phrase once normalised). */
interface PhraseSet {
  matcher: PhraseMatcher;
  /** The phrases as written, duplicates after normalisation dropped. */
  phrases: string[];
  /** Literal phrases with their normalised text, for fuzzy matching. */
  literals: { phrase: string; text: string }[];
  /** The literal phrases of 3 or more Han characters, for `pinyin` (compiled on first use). */
  bySound: PinyinMatcher;
}

function phraseSet(list: string[]): PhraseSet {
  const seen = new Set<string>();
  const phrases: string[] = [];
  const literals: PhraseSet['literals'] = [];
  for (const p of list) {
    const regex = isRegexPhrase(p);
    const key = regex ? `/${p}` : normaliseText(p).text;
    if (seen.has(key)) continue;
    seen.add(key);
    phrases.push(p);
    if (!regex) literals.push({ phrase: p, text: key });
  }
  return { matcher: new PhraseMatcher(phrases), phrases, literals, bySound: new PinyinMatcher(phrases) };
}

const matchSchema = z
  .union(
    [z.enum(['any', 'all', 'none']), z.strictObject({ at_least: z.number().refine((n) => Number.isInteger(n) && n >= 1, 'expected a whole number ≥ 1') })],
    {
      error: 'expected any, all, none or { at_least: N }',
    },
  )
  .default('any')
  .describe('which phrases must occur: any (one or more), all (every one), none, or { at_least: N } different phrases');

type Match = z.output<typeof matchSchema>;

/** One occurrence in one utterance; `fuzzy` when found by similarity (the text heard and the score). */
interface Found {
  u: PreparedUtterance;
  occ: Occurrence;
  fuzzy?: { text: string; score: number };
  /** Found by sound (pinyin): the text heard. */
  heard?: string;
}

/**
 * The best stretch of `text` for a literal phrase of length L: windows of L and L + 1 characters,
 * and L − 1 for phrases of 4 or more (a 2–3 character phrase cut by one is mostly its prefix,
 * which Jaro–Winkler rates high whatever follows). Ties go to the window of length L, then the
 * earliest.
 */
function bestWindow(literal: string, text: string): { start: number; end: number; score: number } | undefined {
  const n = literal.length;
  const lengths = n >= 4 ? [n, n - 1, n + 1] : [n, n + 1];
  let best: { start: number; end: number; score: number } | undefined;
  for (const len of lengths) {
    for (let start = 0; start + len <= text.length; start++) {
      const score = jaroWinkler(literal, text.slice(start, start + len));
      if (!best || score > best.score) best = { start, end: start + len, score };
    }
  }
  if (!best && text.length > 0) best = { start: 0, end: text.length, score: jaroWinkler(literal, text) };
  return best;
}

/** Every counted occurrence in an utterance (overlapping ones too), exclusions removed. */
function occurrences(u: PreparedUtterance, phrases: PhraseSet, exclude: PhraseMatcher, similarity: number | undefined, pinyin: boolean): Found[] {
  const text = u.norm.text;
  const exact = phrases.matcher.findAll(text);
  const found: Found[] = exact.map((occ) => ({ u, occ }));
  if (pinyin && phrases.bySound.size > 0) {
    const present = new Set(exact.map((o) => o.phrase));
    for (const occ of phrases.bySound.findAll(text)) if (!present.has(occ.phrase)) found.push({ u, occ, heard: text.slice(occ.start, occ.end) });
  }
  if (similarity !== undefined) {
    const present = new Set(exact.map((o) => o.phrase));
    for (const { phrase: p, text: literal } of phrases.literals) {
      if (present.has(p)) continue;
      const best = bestWindow(literal, text);
      if (best && best.score >= similarity) {
        found.push({ u, occ: { start: best.start, end: best.end, phrase: p }, fuzzy: { text: text.slice(best.start, best.end), score: best.score } });
      }
    }
  }
  if (exclude.size === 0) return found;
  const kept = new Set(
    withoutExceptions(
      found.map((f) => f.occ),
      exclude.findAll(text),
    ),
  );
  return found.filter((f) => kept.has(f.occ));
}

/** Occurrences that do not overlap, leftmost first and longest at a tie (as PhraseMatcher.find). */
function nonOverlapping(found: Found[]): Found[] {
  const sorted = [...found].sort((a, b) => a.occ.start - b.occ.start || b.occ.end - a.occ.end);
  const kept: Found[] = [];
  let reach = -1;
  for (const f of sorted) {
    if (f.occ.start < reach) continue;
    kept.push(f);
    reach = f.occ.end;
  }
  return kept;
}

function holds(match: Match, said: ReadonlySet<string>, phrases: readonly string[]): boolean {
  if (match === 'any') return said.size > 0;
  if (match === 'none') return said.size === 0;
  if (match === 'all') return phrases.every((p) => said.has(p));
  return said.size >= match.at_least;
}

/** What a finding says, for each speaker the rule reads: one catalog entry a sentence (the speaker is its subject in Chinese). */
const SAID: Record<SpeakerFilter, Record<'none' | 'notSaid' | 'tooFew' | 'tooFewNone' | 'said' | 'occurrence' | 'similar' | 'sound', MessageKey>> = {
  agent: {
    none: 'phrases.none-said.agent',
    notSaid: 'phrases.not-said.agent',
    tooFew: 'phrases.too-few.agent',
    tooFewNone: 'phrases.too-few-none.agent',
    said: 'phrases.said.agent',
    occurrence: 'phrases.occurrence.agent',
    similar: 'phrases.similar.agent',
    sound: 'phrases.sound.agent',
  },
  customer: {
    none: 'phrases.none-said.customer',
    notSaid: 'phrases.not-said.customer',
    tooFew: 'phrases.too-few.customer',
    tooFewNone: 'phrases.too-few-none.customer',
    said: 'phrases.said.customer',
    occurrence: 'phrases.occurrence.customer',
    similar: 'phrases.similar.customer',
    sound: 'phrases.sound.customer',
  },
  any: {
    none: 'phrases.none-said.any',
    notSaid: 'phrases.not-said.any',
    tooFew: 'phrases.too-few.any',
    tooFewNone: 'phrases.too-few-none.any',
    said: 'phrases.said.any',
    occurrence: 'phrases.occurrence.any',
    similar: 'phrases.similar.any',
    sound: 'phrases.sound.any',
  },
};

/** Every message the rule may write (a rubric's own `message` may use the parameters they all give). */
const MESSAGES: MessageKey[] = Object.values(SAID).flatMap((keys) => Object.values(keys));

/** Where the rule looked, as the window of its sentences (nothing for the whole call). */
function where(say: Translator, window: Window): string {
  if (!window) return '';
  if (window.first_seconds !== undefined) return say('phrases.window.first-seconds', { seconds: window.first_seconds });
  if (window.last_seconds !== undefined) return say('phrases.window.last-seconds', { seconds: window.last_seconds });
  if (window.first_turns !== undefined)
    return window.first_turns === 1 ? say('phrases.window.first-turn', { turns: 1 }) : say('phrases.window.first-turns', { turns: window.first_turns });
  if (window.last_turns !== undefined)
    return window.last_turns === 1 ? say('phrases.window.last-turn', { turns: 1 }) : say('phrases.window.last-turns', { turns: window.last_turns });
  return say('phrases.window.after', { rule: window.after as string });
}

const LISTED_MAX = 6;

/**
 * Phrases for a message: the first few, quoted, and how many more. A list (the message joins it the
 * language's way: "a", "b" / “a”、“b”), or past LISTED_MAX one text that says how many were left out.
 */
function listed(say: Translator, phrases: readonly string[]): string | string[] {
  const shown = phrases.slice(0, LISTED_MAX).map((phrase) => say('phrases.quoted', { phrase }));
  return phrases.length <= LISTED_MAX ? shown : say('phrases.more', { phrases: shown, count: phrases.length - LISTED_MAX });
}

function occurrenceMessage(say: Translator, f: Found, speaker: SpeakerFilter): string {
  const keys = SAID[speaker];
  const phrase = f.occ.phrase;
  if (f.fuzzy) return say(keys.similar, { heard: f.fuzzy.text, phrase, score: f.fuzzy.score.toFixed(2) });
  if (f.heard !== undefined) return say(keys.sound, { heard: f.heard, phrase });
  return say(keys.occurrence, { phrase });
}

/** Why the phrases the rule wanted are not there. */
function missingMessage(say: Translator, match: Match, said: ReadonlySet<string>, phrases: readonly string[], speaker: SpeakerFilter, window: Window): string {
  const keys = SAID[speaker];
  const inWindow = where(say, window);
  const unsaid = phrases.filter((p) => !said.has(p));
  if (match === 'all') return say(keys.notSaid, { window: inWindow, phrases: listed(say, unsaid) });
  if (typeof match === 'object') {
    const saidList = phrases.filter((p) => said.has(p));
    const params = { count: saidList.length, min: match.at_least, window: inWindow, phrases: listed(say, unsaid) };
    return saidList.length > 0 ? say(keys.tooFew, { ...params, said: listed(say, saidList) }) : say(keys.tooFewNone, params);
  }
  return say(keys.none, { phrases: listed(say, phrases), window: inWindow });
}

export default defineRule({
  id: 'phrases',
  messages: MESSAGES,
  kind: 'type',
  description:
    'Phrases one speaker must (expect: present) or must not (expect: absent) say, optionally in a window of the call. present: one finding when the match condition (any, all, none, at_least N) does not hold; absent: one finding per occurrence. Occurrences inside an `exclude` phrase do not count.',
  needs: "the speaker's utterances inside the window (timed windows need a timed transcript; `after` needs the other rule to have hit)",
  defaultDeduction: 5,
  options: {
    phrases: z
      .array(phrase)
      .min(1)
      .describe('the phrases (literal, or /regex/ on normalised text: Simplified, lower case, no spaces between Han characters) (required)')
      .transform(phraseSet),
    match: matchSchema,
    exclude: z
      .array(phrase)
      .default([])
      .describe('phrases inside which an occurrence does not count (不需要升级 is not an upsell)')
      .transform((list) => new PhraseMatcher(list)),
    speaker: speakerSchema.default('agent').describe('whose words: agent, customer or any'),
    window: windowSchema,
    similarity: z
      .number()
      .gt(0)
      .max(1)
      .optional()
      .describe(
        'also accept a literal phrase heard approximately: the best Jaro–Winkler score of the phrase against a stretch of the utterance of its length (±1) reaches this (0.85 accepts one wrong or missing character in four); /regex/ phrases match exactly',
      ),
    pinyin: z
      .boolean()
      .default(false)
      .describe(
        'also accept a literal phrase of 3 or more Han characters heard as homophones (ASR: 干些您的来电 for 感谢您的来电): same toneless pinyin, with zh/z, ch/c, sh/s, n/l, -ng/-n and 您/你 alike; shorter phrases match exactly (too many homophones)',
      ),
    expect: z
      .enum(['present', 'absent'])
      .default('present')
      .describe('present: the match condition must hold; absent: it must not, and each occurrence is a finding'),
  },
  dependsOn: (options) => windowDependencies(options.window),
  check(call, options, context) {
    const { phrases, match, exclude, speaker, window, similarity, pinyin, expect } = options;
    const utterances = selectUtterances(call, speaker, window, context);
    if (!utterances || utterances.length === 0) return { outcome: 'n/a', findings: [] };
    const byUtterance = utterances.map((u) => occurrences(u, phrases, exclude, similarity, pinyin));
    const found = byUtterance.flat();
    const said = new Set(found.map((f) => f.occ.phrase));
    const hits = [...new Set(byUtterance.flatMap((list, i) => (list.length > 0 ? (utterances[i]?.start ?? []) : [])))].sort((a, b) => a - b);
    const condition = holds(match, said, phrases.phrases);
    const first = utterances[0] as PreparedUtterance;
    const missing = (): RuleFinding => ({
      ...at(first),
      message: missingMessage(context.say, match, said, phrases.phrases, speaker, window),
      evidence: quote(first),
    });

    if (expect === 'present') {
      if (condition) return { outcome: 'pass', findings: [], hits };
      if (match !== 'none') return { outcome: 'fail', findings: [missing()], hits };
      // match: none, and something was said: one finding, at the first occurrence.
      const [firstFound] = nonOverlapping(byUtterance.find((list) => list.length > 0) ?? []);
      const f = firstFound as Found;
      const saidList = phrases.phrases.filter((p) => said.has(p));
      return {
        outcome: 'fail',
        findings: [
          {
            ...at(f.u),
            message: context.say(SAID[speaker].said, { phrases: listed(context.say, saidList), window: where(context.say, window) }),
            evidence: quote(f.u, f.occ),
          },
        ],
        hits,
      };
    }

    if (!condition) return { outcome: 'pass', findings: [], hits };
    if (match === 'none') return { outcome: 'fail', findings: [missing()], hits };
    const findings = new FindingList();
    for (const list of byUtterance) {
      for (const f of nonOverlapping(list))
        findings.add(() => ({ ...at(f.u), message: occurrenceMessage(context.say, f, speaker), evidence: quote(f.u, f.occ) }));
    }
    return { ...findings.result(), outcome: 'fail', hits };
  },
  examples: {
    pass: [
      {
        name: 'the agent offers the upgrade in the first minute',
        turns: [
          '[00:00-00:05] 坐席：您好，这里是星辰通信，很高兴为您服务。',
          '[00:05-00:09] 客户：我家网速太慢了。',
          '[00:10-00:18] 坐席：您可以办理宽带升级，提速500M只要加十元。',
        ],
        options: { phrases: ['宽带升级', '/提速\\d+m/'], window: { first_seconds: 60 } },
      },
      {
        name: 'absent: the agent never pushes the customer to hang up',
        turns: ['客户：那我再考虑一下。', '坐席：好的，您考虑好了随时联系我们。'],
        options: { phrases: ['你还有事吗', '没别的事我挂了'], expect: 'absent' },
      },
    ],
    fail: [
      {
        name: 'no upgrade offered: "您不需要升级" is excluded',
        turns: ['[00:00-00:05] 坐席：您好，这里是星辰通信。', '[00:05-00:09] 客户：我的网速太慢了。', '[00:10-00:14] 坐席：您不需要升级，我帮您重启一下端口。'],
        options: { phrases: ['宽带升级', '升级', '/提速\\d+m/'], exclude: ['不需要升级'], window: { first_seconds: 60 } },
      },
      {
        name: 'all: the agent gives the case number but not the follow-up time',
        turns: ['坐席：已经为您登记，工单号是A123。', '客户：好的。'],
        options: { phrases: ['工单号', '小时内'], match: 'all' },
      },
    ],
  },
});
