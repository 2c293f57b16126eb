import { z } from 'zod';
import { RULES } from '../rules/index.js';
import { optionsSchema } from '../rules/types.js';

interface JsonSchemaProperty {
  type?: string;
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
}

function describeDefault(value: unknown): string {
  if (value === undefined) return '—';
  const text = JSON.stringify(value);
  return text.length > 90 ? `${text.slice(0, 87)}...` : text;
}

/** `callqa rules`: every rule with what it checks, its seed citation, options and defaults. */
export function renderRules(): string {
  const out: string[] = [];
  for (const rule of RULES.values()) {
    out.push(`${rule.id}`);
    out.push(`  ${rule.description}`);
    out.push(`  source: ${rule.source}`);
    out.push(`  needs:  ${rule.needs} (otherwise n/a)`);
    const schema = z.toJSONSchema(optionsSchema(rule), { io: 'input', unrepresentable: 'any' }) as {
      properties?: Record<string, JsonSchemaProperty>;
    };
    out.push('  options:');
    for (const [key, prop] of Object.entries(schema.properties ?? {})) {
      out.push(`    ${key.padEnd(18)} ${prop.description ?? ''}`);
      out.push(`    ${''.padEnd(18)} default: ${describeDefault(prop.default)}`);
    }
    out.push('');
  }
  return out.join('\n');
}
