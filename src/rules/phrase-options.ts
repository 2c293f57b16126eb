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
