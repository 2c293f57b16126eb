#!/usr/bin/env node
// Writes src/i18n/catalogs/zh-TW.ts from zh-CN.ts: every message through OpenCC's Taiwan phrase conversion
// (cn → twp: Traditional characters and Taiwan wording, 信息 → 資訊, 默认 → 預設), quotation marks “” ‘’ as
// Taiwan writes them (「」『』), then WORDING (src/i18n/taiwan-wording.json) for what OpenCC leaves in mainland usage. Edit zh-CN.ts (and
// WORDING), never zh-TW.ts: test/i18n/catalogs.test.ts fails when zh-TW.ts is not what this script writes.
//
//   node scripts/zh-tw-catalog.mjs          (rewrites the file)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as OpenCC from 'opencc-js/cn2t';

const CATALOGS = fileURLToPath(new URL('../src/i18n/catalogs/', import.meta.url));

/** Taiwan wording OpenCC's phrase table does not give, applied after it (whole phrases, in order); src/i18n/rubric-text.ts reads it too. */
export const WORDING = JSON.parse(readFileSync(new URL('../src/i18n/taiwan-wording.json', import.meta.url), 'utf8'));

/** One entry: `  'key': 'text',` (quoted as biome formats it: single quotes unless the text holds one). */
const LINE = /^(\s*)(['"][^'"]+['"]):\s*((['"]).*\4),\s*$/;

/** The text of a one-line string literal as biome writes them. */
function literalText(literal) {
  const body = literal.slice(1, -1);
  if (literal[0] === '"') return JSON.parse(literal);
  return JSON.parse(`"${body.replace(/\\'/g, "'").replace(/"/g, '\\"')}"`);
}

/** A string literal as biome writes it. */
function literal(text) {
  const json = JSON.stringify(text);
  if (text.includes("'") && !text.includes('"')) return json;
  return `'${json.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

/** zh-TW.ts's text, made from zh-CN.ts's. */
export function zhTwCatalog(zhCn) {
  const convert = OpenCC.Converter({ from: 'cn', to: 'twp' });
  const out = [
    '// 繁體中文（臺灣）訊息：由 scripts/zh-tw-catalog.mjs 從 zh-CN.ts 產生，請勿手改。',
    "import type { Catalog } from './en.js';",
    '',
    'export const zhTW: Catalog = {',
  ];
  let inside = false;
  for (const line of zhCn.split('\n')) {
    if (line.startsWith('export const zhCN')) {
      inside = true;
      continue;
    }
    if (!inside) continue;
    if (line.startsWith('};')) break;
    const m = LINE.exec(line);
    if (!m) {
      // Comments and blank lines, as they are (converted: a comment is Chinese too).
      out.push(convert(line));
      continue;
    }
    let text = convert(literalText(m[3]));
    text = text.replaceAll('“', '「').replaceAll('”', '」').replaceAll('‘', '『').replaceAll('’', '』');
    for (const [from, to] of WORDING) text = text.replaceAll(from, to);
    out.push(`${m[1]}${m[2]}: ${literal(text)},`);
  }
  out.push('};', '');
  return out.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = zhTwCatalog(readFileSync(`${CATALOGS}zh-CN.ts`, 'utf8'));
  writeFileSync(`${CATALOGS}zh-TW.ts`, text);
  process.stdout.write(`wrote ${CATALOGS}zh-TW.ts\n`);
}
