import type { RubricTexts } from '../i18n/rubric-text.js';
import type { Rubric } from './load.js';

/** The rubric's own words and its rules' types: what its texts are in any language (run.json keeps them). */
export function rubricTexts(rubric: Rubric): RubricTexts {
  const rules: RubricTexts['rules'] = Object.create(null);
  for (const { id, definition, options } of rubric.rules) {
    rules[id] = {
      type: definition.id,
      ...(options.title !== undefined ? { title: options.title } : {}),
      ...(options.advice !== undefined ? { advice: options.advice } : {}),
      ...(options.message !== undefined ? { message: options.message, keys: [...(definition.messages ?? [])] } : {}),
    };
  }
  const criteria: NonNullable<RubricTexts['criteria']> = Object.create(null);
  for (const c of rubric.llm?.criteria ?? []) criteria[c.id] = c.advice !== undefined ? { advice: c.advice } : {};
  return {
    ...(rubric.language ? { language: rubric.language } : {}),
    name: rubric.names,
    rules,
    ...(rubric.llm ? { criteria } : {}),
  };
}
