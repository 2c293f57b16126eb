import type { Lang } from '../lang.js';
import type { RuleDocs } from './types.js';
import { zhCN } from './zh-CN.js';
import { zhTW } from './zh-TW.js';

export type { RuleDoc, RuleDocs } from './types.js';

/**
 * The rules reference outside English: each rule's description, needs, limits and option help. English has
 * none here: its texts are the rules' own (src/rules/*.ts and their zod `.describe()`), written once.
 */
export const RULE_DOCS: Readonly<Record<Exclude<Lang, 'en'>, RuleDocs>> = { 'zh-CN': zhCN, 'zh-TW': zhTW };

/** The language's rule reference, or undefined for English (the rules' own texts). */
export function ruleDocs(lang: Lang): RuleDocs | undefined {
  return lang === 'en' ? undefined : RULE_DOCS[lang];
}
