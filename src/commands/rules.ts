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

function exampleBlock(rule: RuleDefinition, example: RuleExample, expected: 'passes' | 'fails'): string[] {
  const result = runExample(rule, example);
  const lines = [`**${expected === 'passes' ? 'Passes' : 'Fails'}** — ${example.name}`, ''];
  if (example.options) lines.push(`Options: \`${JSON.stringify(example.options)}\``, '');
  const call = [
    ...(example.call?.hangup_by ? [`# hangup_by: ${example.call.hangup_by}`] : []),
    ...(example.call?.ring_seconds !== undefined ? [`# ring_seconds: ${example.call.ring_seconds}`] : []),
    ...(example.others
      ? [
          `# other rules: ${Object.entries(example.others)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}`,
        ]
      : []),
  ];
  lines.push('```text', ...call, ...example.turns, '```');
  if (result.findings.length > 0) {
    lines.push('', ...result.findings.map((f) => `- ${f.at === undefined ? '' : `${f.at.toFixed(1)} s: `}${f.message}`));
  }
  lines.push('');
  return lines;
}

/** docs/rules.md: the reference, with each rule's examples run to show the real messages. */
export function renderRulesMarkdown(): string {
  const out: string[] = [
    '# Rules',
    '',
    '<!-- Made by `callqa rules --markdown > docs/rules.md`; a test keeps it current. Do not edit by hand. -->',
    '',
    'Seed rules enforce a passage of the service standard (`../shared/seeds`) and take their id as their name in a',
    'rubric; every option has a default drawn from the seeds, so `closing: { deduction: 5 }` is a complete entry.',
    'Rule types are building blocks: use them under ids you choose, as often as you like, with `type:`.',
    '',
    'Every rule answers `pass`, `fail` or `n/a` (it lacks what it needs), and also takes these options:',
    '',
    '| option | meaning | default |',
    '|---|---|---|',
  ];
  for (const [key, schema] of Object.entries(commonOptionShape)) {
    const def = (z.toJSONSchema(schema as z.ZodType, { io: 'input', unrepresentable: 'any' }) as JsonSchemaProperty).default;
    out.push(`| \`${key}\` | ${(schema as z.ZodType).description ?? ''} | ${key === 'deduction' ? 'per rule' : describeDefault(def)} |`);
  }
  out.push('');
  for (const rule of ordered()) {
    out.push(`## \`${rule.id}\` (${rule.kind === 'seed' ? 'seed rule' : 'rule type'})`, '', rule.description, '');
    if (rule.source) out.push(`- **Enforces:** ${rule.source}`);
    out.push(`- **Needs:** ${rule.needs}; otherwise \`n/a\`.`);
    if (rule.limits) out.push(`- **Limits:** ${rule.limits} Measured: [docs/accuracy.md](accuracy.md#${rule.id}).`);
    out.push(
      `- **Default deduction:** ${rule.defaultDeduction}${rule.defaultMaxDeduction === undefined ? '' : `, at most ${rule.defaultMaxDeduction} a call`}.`,
      '',
    );
    out.push('| option | meaning | default |', '|---|---|---|');
    for (const [key, prop] of ownOptions(rule)) {
      if (key === 'deduction' || key === 'max_deduction') continue;
      out.push(`| \`${key}\` | ${(prop.description ?? '').replace(/\|/g, '\\|')} | ${describeDefault(prop.default, 200).replace(/\|/g, '\\|')} |`);
    }
    out.push('');
    for (const example of rule.examples.pass) out.push(...exampleBlock(rule, example, 'passes'));
    for (const example of rule.examples.fail) out.push(...exampleBlock(rule, example, 'fails'));
  }
  return `${out.join('\n')}\n`;
}
