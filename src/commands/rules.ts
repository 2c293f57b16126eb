import { z } from 'zod';
import { ruleTitle, translator } from '../i18n/format.js';
import { DEFAULT_LANG, type Lang } from '../i18n/lang.js';
import { ruleDocs } from '../i18n/rule-docs/index.js';
import { runExample } from '../rules/examples.js';
import { RULES } from '../rules/index.js';
import type { RuleDefinition, RuleExample } from '../rules/types.js';
import { commonOptionShape, optionsSchema } from '../rules/types.js';

interface JsonSchemaProperty {
  description?: string;
  default?: unknown;
}

function describeDefault(value: unknown, max = 90): string {
  if (value === undefined) return '—';
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

const COMMON = new Set(Object.keys(commonOptionShape));

/** The rule's own options (common ones are documented once), with their defaults. */
export function ownOptions(rule: RuleDefinition): [string, JsonSchemaProperty][] {
  const schema = z.toJSONSchema(optionsSchema(rule), { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, JsonSchemaProperty> };
  return Object.entries(schema.properties ?? {}).filter(([key]) => !COMMON.has(key) || key === 'deduction' || key === 'max_deduction');
}

function ordered(): RuleDefinition[] {
  const all = [...RULES.values()];
  return [...all.filter((r) => r.kind === 'seed'), ...all.filter((r) => r.kind === 'type')];
}

/** A rule's reference texts in one language. */
interface RuleText {
  description: string;
  needs: string;
  limits: string | undefined;
  /** An option's help: `english` is the zod `.describe()` text the rule gives it. */
  option: (key: string, english: string | undefined) => string;
}

/** The rule's texts in `lang`: src/i18n/rule-docs outside English (the English where one is missing), else the rule's own. */
function ruleText(rule: RuleDefinition, lang: Lang): RuleText {
  const docs = ruleDocs(lang);
  const doc = docs?.rules[rule.id];
  return {
    description: doc?.description ?? rule.description,
    needs: doc?.needs ?? rule.needs,
    limits: rule.limits && (doc?.limits ?? rule.limits),
    option: (key, english) => (COMMON.has(key) ? docs?.common[key] : doc?.options[key]) ?? english ?? '',
  };
}

/**
 * `callqa rules`: every seed rule and rule type with what it checks, its seed citation, options and
 * defaults, in the reader's language: in Chinese each id has its title beside it, and the descriptions,
 * needs, limits and options' help come from src/i18n/rule-docs. Ids, option keys, defaults and the seed
 * citation (it quotes the seeds) stay as written.
 */
export function renderRules(lang: Lang = DEFAULT_LANG): string {
  const say = translator(lang);
  const out: string[] = [];
  for (const rule of ordered()) {
    const text = ruleText(rule, lang);
    const title = lang === 'en' ? '' : `  ${ruleTitle(rule.id, lang)}`;
    out.push(`${rule.id}${title}${rule.kind === 'type' ? `  ${say('rules.type-usage', { usage: `my-id: { type: ${rule.id}, … }` })}` : ''}`);
    out.push(`  ${text.description}`);
    if (rule.source) out.push(`  ${say('rules.source', { source: rule.source })}`);
    out.push(`  ${say('rules.needs', { needs: text.needs, na: 'n/a' })}`);
    if (text.limits) out.push(`  ${say('rules.limits', { limits: text.limits })}`);
    out.push(`  ${say('rules.options')}`);
    for (const [key, prop] of ownOptions(rule)) {
      out.push(`    ${key.padEnd(18)} ${text.option(key, prop.description)}`);
      out.push(`    ${''.padEnd(18)} ${say('rules.default', { value: describeDefault(prop.default) })}`);
    }
    out.push('');
  }
  out.push(say('rules.common', { per: 'per', critical: 'critical', bonus: 'bonus', rest: ['source', 'description', 'advice'] }));
  out.push(say('rules.examples', { doc: 'docs/rules.md', command: 'callqa rules --markdown' }));
  return `${out.join('\n')}\n`;
}

/** The rule with its findings' messages in `lang`: runExample checks with the English context. */
function speaking(rule: RuleDefinition, lang: Lang): RuleDefinition {
  if (lang === 'en') return rule;
  const say = translator(lang);
  return { ...rule, check: (call, options, context) => rule.check(call, options, { ...context, say }) };
}

/** One documented example: its name, options and conversation, and the findings the rule gives it (in `lang`). */
function exampleBlock(rule: RuleDefinition, lang: Lang, example: RuleExample, name: string, expected: 'passes' | 'fails'): string[] {
  const say = translator(lang);
  const result = runExample(speaking(rule, lang), example);
  const lines = [`**${say(expected === 'passes' ? 'rules.md.passes' : 'rules.md.fails')}** — ${name}`, ''];
  if (example.options) lines.push(say('rules.md.example-options', { options: `\`${JSON.stringify(example.options)}\`` }), '');
  const call = [
    ...(example.call?.hangup_by ? [`# hangup_by: ${example.call.hangup_by}`] : []),
    ...(example.call?.ring_seconds !== undefined ? [`# ring_seconds: ${example.call.ring_seconds}`] : []),
    ...(example.call?.channel ? [`# channel: ${example.call.channel}`] : []),
    ...(example.others ? [`# ${say('rules.md.other-rules', { outcomes: Object.entries(example.others).map(([k, v]) => `${k} ${v}`) })}`] : []),
  ];
  lines.push('```text', ...call, ...example.turns, '```');
  if (result.findings.length > 0) {
    lines.push(
      '',
      ...result.findings.map((f) => `- ${f.at === undefined ? f.message : say('rules.md.finding-at', { at: f.at.toFixed(1), message: f.message })}`),
    );
  }
  lines.push('');
  return lines;
}

/** The reference's opening: what seed rules and types are, and the options every rule takes. */
function markdownHead(lang: Lang): string[] {
  const say = translator(lang);
  const docs = ruleDocs(lang);
  const out: string[] = [
    `# ${say('rules.md.title')}`,
    '',
    `<!-- ${say('rules.md.made-by', { command: lang === 'en' ? '`callqa rules --markdown > docs/rules.md`' : `\`callqa rules --markdown --lang ${lang}\`` })} -->`,
    '',
    say('rules.md.seeds', { seeds: '`../shared/seeds`', example: '`closing: { deduction: 5 }`', type: '`type:`' }),
    '',
    say('rules.md.outcomes', { pass: '`pass`', fail: '`fail`', na: '`n/a`' }),
    '',
    `| ${say('rules.md.col.option')} | ${say('rules.md.col.meaning')} | ${say('rules.md.col.default')} |`,
    '|---|---|---|',
  ];
  for (const [key, schema] of Object.entries(commonOptionShape)) {
    const def = (z.toJSONSchema(schema as z.ZodType, { io: 'input', unrepresentable: 'any' }) as JsonSchemaProperty).default;
    const meaning = docs?.common[key] ?? (schema as z.ZodType).description ?? '';
    out.push(`| \`${key}\` | ${meaning} | ${key === 'deduction' ? say('rules.md.per-rule') : describeDefault(def)} |`);
  }
  out.push('');
  return out;
}

/** One rule's section of the reference: what it checks, its citation, needs, limits, deduction, options and examples. */
function markdownRule(rule: RuleDefinition, lang: Lang): string[] {
  const say = translator(lang);
  const text = ruleText(rule, lang);
  const doc = ruleDocs(lang)?.rules[rule.id];
  const id = lang === 'en' ? `\`${rule.id}\`` : `\`${rule.id}\` ${ruleTitle(rule.id, lang)}`;
  const out = [`## ${say(rule.kind === 'seed' ? 'rules.md.seed-rule' : 'rules.md.rule-type', { id })}`, '', text.description, ''];
  if (rule.source) out.push(`- **${say('rules.md.enforces')}** ${rule.source}`);
  out.push(`- **${say('rules.md.needs')}** ${say('rules.md.needs-text', { needs: text.needs, na: '`n/a`' })}`);
  if (text.limits) {
    const link = `[docs/accuracy.md](accuracy.md#${rule.id})`;
    out.push(`- **${say('rules.md.limits')}** ${say('rules.md.limits-text', { limits: text.limits, link })}`);
  }
  const deduction =
    rule.defaultMaxDeduction === undefined
      ? say('rules.md.deduction-value', { deduction: rule.defaultDeduction })
      : say('rules.md.deduction-max', { deduction: rule.defaultDeduction, max: rule.defaultMaxDeduction });
  out.push(`- **${say('rules.md.deduction')}** ${deduction}`, '');
  out.push(`| ${say('rules.md.col.option')} | ${say('rules.md.col.meaning')} | ${say('rules.md.col.default')} |`, '|---|---|---|');
  for (const [key, prop] of ownOptions(rule)) {
    if (key === 'deduction' || key === 'max_deduction') continue;
    out.push(`| \`${key}\` | ${text.option(key, prop.description).replace(/\|/g, '\\|')} | ${describeDefault(prop.default, 200).replace(/\|/g, '\\|')} |`);
  }
  out.push('');
  for (const [i, example] of rule.examples.pass.entries()) out.push(...exampleBlock(rule, lang, example, doc?.examples.pass[i] ?? example.name, 'passes'));
  for (const [i, example] of rule.examples.fail.entries()) out.push(...exampleBlock(rule, lang, example, doc?.examples.fail[i] ?? example.name, 'fails'));
  return out;
}

/**
 * The reference as Markdown, each rule's examples run to show the real messages: docs/rules.md in English
 * (a test keeps it current); in Chinese, the same page with the rules' titles, texts and findings translated.
 */
export function renderRulesMarkdown(lang: Lang = DEFAULT_LANG): string {
  const out = markdownHead(lang);
  for (const rule of ordered()) out.push(...markdownRule(rule, lang));
  return `${out.join('\n')}\n`;
}
