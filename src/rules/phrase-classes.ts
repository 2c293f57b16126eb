import { z } from 'zod';
import { compileRegexPhrase, isRegexPhrase, type Occurrence, PhraseMatcher } from '../match/phrases.js';
import { normaliseText } from '../normalise/text.js';
import { memoPair } from '../util/memo.js';
import { phrase } from './phrase-options.js';

/**
 * Phrases kept in named classes (a complaint's escalation, repeat_contact, frustration…; an apology or an
 * acknowledgement): one matcher over them all, compiled once per rubric, and the class each phrase is in,
 * for messages that say what kind of thing was found.
 */
export class PhraseClasses {
  readonly classes: Readonly<Record<string, readonly string[]>>;
  readonly matcher: PhraseMatcher;
  private readonly classOfPhrase = new Map<string, string>();

  /** `words: false` matches short phrases wherever their characters stand (see PhraseMatcher). */
  constructor(
    classes: Readonly<Record<string, readonly string[]>>,
    private readonly options: { words?: boolean } = {},
  ) {
    this.classes = classes;
    const all: string[] = [];
    for (const [name, phrases] of Object.entries(classes)) {
      for (const p of phrases) {
        // A phrase listed in two classes belongs to the first.
        if (this.classOfPhrase.has(p)) continue;
        this.classOfPhrase.set(p, name);
        all.push(p);
      }
    }
    this.matcher = new PhraseMatcher(all, options);
  }

  /** The class of the phrase an occurrence is of (`extra` for phrases added by extra_… options). */
  classOf(occ: Occurrence): string {
    return this.classOfPhrase.get(occ.phrase) ?? 'extra';
  }

  get size(): number {
    return this.matcher.size;
  }

  private readonly extended = new WeakMap<PhraseMatcher, PhraseClasses>();

  /** These classes and an `extra` class of phrases a rubric adds (built once per pair of option values). */
  withExtra(extra: PhraseMatcher | undefined): PhraseClasses {
    if (!extra || extra.size === 0) return this;
    let found = this.extended.get(extra);
    if (!found) {
      found = new PhraseClasses({ ...this.classes, extra: [...(this.classes.extra ?? []), ...extra.phrases] }, this.options);
      this.extended.set(extra, found);
    }
    return found;
  }
}

/**
 * An option holding phrases in named classes: `{ escalation: [投诉, …], frustration: […] }`, or a plain
 * list (one class, `phrases`) as the option used to be. Compiled once when the rubric loads.
 */
export function phraseClasses(defaults: Readonly<Record<string, readonly string[]>>, description: string, options: { words?: boolean } = {}) {
  const copy = () => Object.fromEntries(Object.entries(defaults).map(([k, v]) => [k, [...v]]));
  return z
    .union([z.array(phrase), z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'a class name in lower case (escalation, repeat_contact…)'), z.array(phrase))])
    .default(copy)
    .describe(description)
    .transform((value) => new PhraseClasses(Array.isArray(value) ? { phrases: value } : value, options));
}

/** What a presence gate answers: whether a text may hold a phrase (false: it holds none). */
export interface Presence {
  test(text: string): boolean;
}

const presences = new WeakMap<PhraseMatcher, Presence | null>();

/**
 * What a text must hold for a matcher to find anything in it, as one automaton of plain characters: its literal
 * phrases (normalised, found wherever they stand, no word check) and the literals one of which each /regex/ phrase
 * needs (LinearRegex.required). A text where `test` finds none of them holds no phrase of the matcher: one pass with
 * no regex and no word check, where the matcher makes two (its own and its regexes' gate). Undefined when some regex
 * needs no literal (nothing can be ruled out). Built once per matcher.
 */
export function presenceOf(matcher: PhraseMatcher): Presence | undefined {
  let found = presences.get(matcher);
  if (found === undefined) {
    found = presence(matcher.phrases);
    presences.set(matcher, found);
  }
  return found ?? undefined;
}

/** presenceOf both matchers in one automaton: a text it passes over holds no phrase of either. Built once per pair. */
export const presenceOfEither = (() => {
  const either = memoPair((a: PhraseMatcher, b: PhraseMatcher) => ({ gate: presence([...a.phrases, ...b.phrases]) }));
  return (a: PhraseMatcher, b: PhraseMatcher): Presence | undefined => either(a, b).gate ?? undefined;
})();

function presence(phrases: readonly string[]): Presence | null {
  const literals = new Set<string>();
  for (const phrase of phrases) {
    if (!isRegexPhrase(phrase)) {
      literals.add(normaliseText(phrase).text);
      continue;
    }
    const required = compileRegexPhrase(phrase).required;
    if (required === undefined) return null;
    for (const literal of required) literals.add(literal);
  }
  return new LiteralPresence(new PhraseMatcher([...literals], { normalised: true, words: false }));
}

/**
 * A literal matcher's test as a gate, looked at first through two small bit tables (8 KB each, where the automaton
 * reads a 128 KB one): the code units one-unit literals are, and the pairs (hashed) longer literals begin with. A text
 * none of whose units or neighbouring pairs is marked holds none of the literals; one that has a mark is read by the
 * automaton (a hashed pair may be marked by another). The automaton answers with findAll, which on a text without
 * the literals makes nothing, where PhraseMatcher.test makes a closure for its (here empty) list of regexes.
 */
class LiteralPresence implements Presence {
  private readonly singles = new Uint32Array(0x800);
  private readonly pairs = new Uint32Array(0x800);

  constructor(private readonly matcher: PhraseMatcher) {
    for (const literal of matcher.phrases) {
      const a = literal.charCodeAt(0);
      if (literal.length === 1) this.singles[a >>> 5] = (this.singles[a >>> 5] as number) | (1 << (a & 31));
      else {
        const bit = pairBit(a, literal.charCodeAt(1));
        this.pairs[bit >>> 5] = (this.pairs[bit >>> 5] as number) | (1 << (bit & 31));
      }
    }
  }

  test(text: string): boolean {
    const singles = this.singles;
    const pairs = this.pairs;
    const n = text.length;
    if (n === 0) return false;
    let a = text.charCodeAt(0);
    for (let i = 0; ; ) {
      if (((singles[a >>> 5] as number) & (1 << (a & 31))) !== 0) return this.matcher.findAll(text).length > 0;
      if (++i >= n) return false;
      const b = text.charCodeAt(i);
      const bit = pairBit(a, b);
      if (((pairs[bit >>> 5] as number) & (1 << (bit & 31))) !== 0) return this.matcher.findAll(text).length > 0;
      a = b;
    }
  }
}

/** The bit of a pair of neighbouring code units in LiteralPresence's table of pairs. */
function pairBit(a: number, b: number): number {
  return (Math.imul(a, 0x9e3779b1) ^ b) & 0xffff;
}
