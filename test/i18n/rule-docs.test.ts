import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ownOptions, renderRules, renderRulesMarkdown } from '../../src/commands/rules.js';
import { LANGS } from '../../src/i18n/lang.js';
import { RULE_DOCS, type RuleDocs } from '../../src/i18n/rule-docs/index.js';
import { RULES } from '../../src/rules/index.js';
import { commonOptionShape, optionsSchema } from '../../src/rules/types.js';
// @ts-expect-error: a plain .mjs script, no types
import { zhTwRuleDocs } from '../../scripts/zh-tw-catalog.mjs';

const COMMON = Object.keys(commonOptionShape);
const toTraditional = (createRequire(import.meta.url)('opencc-js/cn2t') as typeof import('opencc-js')).Converter({ from: 'cn', to: 'tw' });

/** Every text of a language's reference, with where it is. */
function texts(docs: RuleDocs): [string, string][] {
  const out: [string, string][] = Object.entries(docs.common).map(([key, text]) => [`common.${key}`, text]);
  for (const [id, doc] of Object.entries(docs.rules)) {
    out.push([`${id}.description`, doc.description], [`${id}.needs`, doc.needs]);
    if (doc.limits) out.push([`${id}.limits`, doc.limits]);
    for (const [key, text] of Object.entries(doc.options)) out.push([`${id}.${key}`, text]);
    for (const kind of ['pass', 'fail'] as const) for (const [i, name] of doc.examples[kind].entries()) out.push([`${id}.examples.${kind}.${i}`, name]);
  }
  return out;
}

/** What a rubric writes, which a Chinese text names as it is: option keys at any depth, enum values, the keys of defaults. */
function rubricNames(): Set<string> {
  const names = new Set<string>([...COMMON, ...RULES.keys(), ...LANGS, 'true', 'false']);
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'properties' || key === 'default') for (const name of Object.keys(value as object)) names.add(name);
        if (key === 'enum' || key === 'const') for (const v of [value].flat()) names.add(String(v));
        walk(value);
      }
    }
  };
  for (const rule of RULES.values()) walk(z.toJSONSchema(optionsSchema(rule), { io: 'input', unrepresentable: 'any' }));
  return names;
}

/**
 * A text's Latin words that are neither a rubric's names nor quoted: backticks (YAML, commands), “quoted” and
 * 「quoted」 transcript words, {parameters}, command-line flags, ids and keys joined by _ - . / : (n/a,
 * calls.csv, window.after) are left out; so are `id` (what a rubric calls a rule's key: 规则 id) and proper
 * names of methods and standards, kept as they are written.
 */
const PROPER = new Set(['id', 'UTC', 'Luhn', 'Jaro', 'Winkler']);
function englishWords(text: string, names: Set<string>): string[] {
  const bare = text
    .replace(/`[^`]*`/g, ' ')
    .replace(/“[^”]*”|「[^」]*」/g, ' ')
    .replace(/\{[A-Za-z_][A-Za-z0-9_]*\}/g, ' ')
    .replace(/(?<![\w-])--[a-z][a-z-]*/g, ' ')
    .replace(/-*[A-Za-z0-9<]+(?:[_./:-]+[A-Za-z0-9<>]+)+/g, (m) => (/[_./-]/.test(m) ? ' ' : m));
  return (bare.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !names.has(w) && !PROPER.has(w));
}

describe('the rules reference in Chinese (src/i18n/rule-docs)', () => {
  const zhCN = RULE_DOCS['zh-CN'];

  it('has a text for every common option, and no other', () => {
    expect(Object.keys(zhCN.common).sort()).toEqual([...COMMON].sort());
  });

  it('has every rule and type of RULES with its description, needs, limits and examples’ names, and no other', () => {
    expect(Object.keys(zhCN.rules).sort()).toEqual([...RULES.keys()].sort());
    for (const rule of RULES.values()) {
      const doc = zhCN.rules[rule.id];
      expect(doc?.description, rule.id).toMatch(/\p{Script=Han}/u);
      expect(doc?.needs, rule.id).toMatch(/\p{Script=Han}/u);
      expect(Boolean(doc?.limits), `${rule.id} has limits in English and Chinese alike`).toBe(Boolean(rule.limits));
      expect(doc?.examples.pass.length, `${rule.id}: a name for each passing example`).toBe(rule.examples.pass.length);
      expect(doc?.examples.fail.length, `${rule.id}: a name for each failing example`).toBe(rule.examples.fail.length);
    }
  });

  it('has a text for every own option `callqa rules` lists of each rule, and no stale one', () => {
    for (const rule of RULES.values()) {
      const own = ownOptions(rule)
        .map(([key]) => key)
        .filter((key) => !COMMON.includes(key));
      expect(Object.keys(zhCN.rules[rule.id]?.options ?? {}).sort(), rule.id).toEqual(own.sort());
    }
  });

  it('names the options and fields the English text names (within_seconds, started_at…)', () => {
    const snake = (text: string | undefined) => [...new Set(text?.match(/\b[a-z]+(?:_[a-z]+)+\b/g) ?? [])].sort();
    const differ: string[] = [];
    for (const rule of RULES.values()) {
      const doc = zhCN.rules[rule.id];
      const pairs: [string, string | undefined, string | undefined][] = [
        ['description', rule.description, doc?.description],
        ['needs', rule.needs, doc?.needs],
        ['limits', rule.limits, doc?.limits],
        ...ownOptions(rule)
          .filter(([key]) => !COMMON.includes(key))
          .map(([key, prop]): [string, string | undefined, string | undefined] => [key, prop.description, doc?.options[key]]),
      ];
      for (const [where, english, chinese] of pairs) if (snake(english).join() !== snake(chinese).join()) differ.push(`${rule.id}.${where}`);
    }
    expect(differ).toEqual([]);
  });

  it('zh-TW.ts is what scripts/zh-tw-catalog.mjs makes of zh-CN.ts (edit zh-CN.ts, then run it)', () => {
    const dir = new URL('../../src/i18n/rule-docs/', import.meta.url);
    expect(readFileSync(new URL('zh-TW.ts', dir), 'utf8')).toBe(zhTwRuleDocs(readFileSync(new URL('zh-CN.ts', dir), 'utf8')));
    expect(texts(RULE_DOCS['zh-TW']).map(([where]) => where)).toEqual(texts(zhCN).map(([where]) => where));
  });

  it('has no English word in zh-CN or zh-TW outside names, backticks and quotes, and no Simplified-only character in zh-TW', () => {
    const names = rubricNames();
    const english: string[] = [];
    const simplified = new Set<string>();
    for (const lang of ['zh-CN', 'zh-TW'] as const) {
      for (const [where, text] of texts(RULE_DOCS[lang])) {
        const words = englishWords(text, names);
        if (words.length > 0) english.push(`${lang} ${where}: ${words.join(' ')}`);
        if (lang === 'zh-TW') for (const ch of text) if (toTraditional(ch) !== ch) simplified.add(ch);
      }
    }
    expect(english).toEqual([]);
    expect([...simplified]).toEqual([]);
  });

  it('its English-word check finds English', () => {
    expect(englishWords('坐席须在 within_seconds 秒内说 hello（`hi`、“OK”、n/a、--metadata、规则 id）', rubricNames())).toEqual(['hello']);
  });
});

describe('`callqa rules --lang`', () => {
  it('prints the Chinese description, needs, limits and options of each rule (zh-CN)', () => {
    const text = renderRules('zh-CN');
    expect(text).toContain(
      'greeting  问候语\n  坐席以标准问候语开场：问候语（用“早上好”等时段问候时，须与 started_at 给出的当地时间相符）、单位名称、坐席姓名或工号、服务用语，顺序不限，须在通话开始后的前几秒内说出（外呼：在坐席开口的头几句话中）。\n',
    );
    expect(text).toContain('\n  需要：坐席的话语（否则为 n/a）\n');
    expect(text).toMatch(/\n {4}within_seconds {5}在此秒数内开始的坐席话语构成问候语（仅限语音；书面服务取第一条消息）\n {23}默认值：10\n/);
    expect(text).toMatch(/\n {4}deduction {10}扣分：每条问题扣一次（per: occurrence），或每通电话只扣一次（per: call）\n/);
    for (const rule of RULES.values()) expect(text, rule.id).not.toContain(rule.description);
  });

  it('prints Traditional text with Taiwan wording (zh-TW)', () => {
    const text = renderRules('zh-TW');
    expect(text).toContain('\n  需要：客服人員的話語（否則為 n/a）\n');
    expect(text).toMatch(/\n {4}within_seconds {5}在此秒數內開始的客服人員話語構成問候語（僅限語音；書面服務取第一條訊息）\n/);
  });

  it('keeps the rules’ own English texts in English', () => {
    const text = renderRules('en');
    for (const rule of RULES.values()) {
      expect(text, rule.id).toContain(`\n  ${rule.description}\n`);
      if (rule.limits) expect(text, rule.id).toContain(`\n  limits: ${rule.limits}\n`);
    }
  });
});

describe('`callqa rules --markdown --lang`', () => {
  it('writes the reference in Chinese: titles, labels, texts, examples’ names and their findings (zh-CN)', () => {
    const md = renderRulesMarkdown('zh-CN');
    expect(md).toMatch(/^# 质检规则说明\n\n<!-- 由 `callqa rules --markdown --lang zh-CN` 生成，请勿手改。 -->\n/);
    expect(md).toContain('\n| `deduction` | 扣分：每条问题扣一次（per: occurrence），或每通电话只扣一次（per: call） | 因规则而异 |\n');
    expect(md).toContain('\n## `greeting` 问候语（种子规则）\n\n坐席以标准问候语开场：');
    expect(md).toContain('\n- **需要：** 坐席的话语；否则为 `n/a`。\n');
    expect(md).toContain('\n- **默认扣分：** 5 分，每通电话最多扣 20 分。\n');
    expect(md).toContain('\n**不通过** — “我是客服”不是姓名\n');
    expect(md).toContain('\n- 0.5 秒：问候语缺少自报姓名或工号\n');
    expect(md).toContain('\n## `phrases` 话术（规则类型）\n');
  });

  it('writes Traditional text with Taiwan wording (zh-TW)', () => {
    const md = renderRulesMarkdown('zh-TW');
    expect(md).toContain('\n## `greeting` 問候語（種子規則）\n\n客服人員以標準問候語開場：');
    expect(md).toContain('\n- 12.0 秒：前 10 秒內客服人員未說話\n');
  });

  it('is docs/rules.md in English', () => {
    expect(renderRulesMarkdown('en')).toBe(readFileSync(new URL('../../docs/rules.md', import.meta.url), 'utf8'));
  });
});
