import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderRules, renderRulesMarkdown } from '../../src/commands/rules.js';
import { RULES } from '../../src/rules/index.js';

describe('the rules reference', () => {
  it('docs/rules.md is what `callqa rules --markdown` prints (run `npm run docs` after changing a rule)', async () => {
    const committed = await readFile(new URL('../../docs/rules.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderRulesMarkdown());
  });

  it('documents every rule and type with its options, and a passing and a failing example', () => {
    const md = renderRulesMarkdown();
    for (const rule of RULES.values()) {
      const section = md.split(`## \`${rule.id}\``)[1]?.split('\n## ')[0] ?? '';
      expect(section, rule.id).toContain(rule.kind === 'seed' ? '(seed rule)' : '(rule type)');
      expect(section, rule.id).toContain('**Passes**');
      expect(section, rule.id).toContain('**Fails**');
      if (rule.kind === 'seed') expect(section, rule.id).toMatch(/\*\*Enforces:\*\* seeds\/00[0-3]/);
    }
  });

  it('states every seed rule’s limits, linked to its section of docs/accuracy.md', async () => {
    const md = renderRulesMarkdown();
    const accuracy = await readFile(new URL('../../docs/accuracy.md', import.meta.url), 'utf8');
    for (const rule of RULES.values()) {
      if (rule.kind !== 'seed') continue;
      const section = md.split(`## \`${rule.id}\``)[1]?.split('\n## ')[0] ?? '';
      expect(section, rule.id).toContain(`- **Limits:** ${rule.limits} Measured: [docs/accuracy.md](accuracy.md#${rule.id}).`);
      expect(accuracy, rule.id).toContain(`\n### ${rule.id}\n`);
    }
  });

  it('`callqa rules` lists every rule and type with its options and defaults', () => {
    const text = renderRules();
    for (const rule of RULES.values()) expect(text).toMatch(new RegExp(`^${rule.id}( |$)`, 'm'));
    expect(text).toMatch(/^phrases {2}\(rule type: use as {2}my-id: \{ type: phrases, … \}\)$/m);
    expect(text).toMatch(/max_seconds\s+.*\n\s+default: 10/);
  });

  it('`callqa rules --lang zh-CN` gives each rule its title and translates the labels and texts (the seed citation stays as the seeds say it)', () => {
    const text = renderRules('zh-CN');
    expect(text).toMatch(/^greeting {2}问候语\n/m);
    expect(text).toMatch(/^phrases {2}话术 {2}（规则类型，用法：my-id: \{ type: phrases, … \}）$/m);
    expect(text).toMatch(/max_seconds\s+.*\n\s+默认值：10/);
    expect(text).toContain('\n每条规则还可设置：per（按次或按通）、critical（一票否决）、bonus（加分）、source、description、advice。\n');
    expect(renderRules('zh-TW')).toMatch(/^greeting {2}問候語\n {2}.*\n {2}依據：seeds\/000/m);
  });
});
