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

const presences = new WeakMap<PhraseMatcher, PhraseMatcher | null>();

/**
 * What a text must hold for a matcher to find anything in it, as one automaton of plain characters: its literal
 * phrases (normalised, found wherever they stand, no word check) and the literals one of which each /regex/ phrase
 * needs (LinearRegex.required). A text where `test` finds none of them holds no phrase of the matcher: one pass with
 * no regex and no word check, where the matcher makes two (its own and its regexes' gate). Undefined when some regex
 * needs no literal (nothing can be ruled out). Built once per matcher.
 */
export function presenceOf(matcher: PhraseMatcher): PhraseMatcher | undefined {
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
  return (a: PhraseMatcher, b: PhraseMatcher): PhraseMatcher | undefined => either(a, b).gate ?? undefined;
})();

function presence(phrases: readonly string[]): PhraseMatcher | null {
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
  return new PhraseMatcher([...literals], { normalised: true, words: false });
}
