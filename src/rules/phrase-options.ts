import { z } from 'zod';
import { compileRegexPhrase, isRegexPhrase, PhraseMatcher } from '../match/phrases.js';
import { normaliseText } from '../normalise/text.js';

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

const combined = new WeakMap<PhraseMatcher, WeakMap<PhraseMatcher, PhraseMatcher>>();

/** One matcher over a list and its extension, built once per rubric (the options objects live as long as it). */
export function withExtra(base: PhraseMatcher, extra: PhraseMatcher | undefined): PhraseMatcher {
  if (!extra || extra.size === 0) return base;
  let byExtra = combined.get(base);
  if (!byExtra) {
    byExtra = new WeakMap();
    combined.set(base, byExtra);
  }
  let matcher = byExtra.get(extra);
  if (!matcher) {
    matcher = new PhraseMatcher([...base.phrases, ...extra.phrases]);
    byExtra.set(extra, matcher);
  }
  return matcher;
}
