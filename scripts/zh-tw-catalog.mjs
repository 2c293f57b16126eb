#!/usr/bin/env node
// Writes src/i18n/catalogs/zh-TW.ts from zh-CN.ts: every message through OpenCC's Taiwan phrase conversion
// (cn → twp: Traditional characters and Taiwan wording, 信息 → 資訊, 默认 → 預設), quotation marks “” ‘’ as
// Taiwan writes them (「」『』), then WORDING (src/i18n/taiwan-wording.json) for what OpenCC leaves in mainland usage. Edit zh-CN.ts (and
// WORDING), never zh-TW.ts: test/i18n/catalogs.test.ts fails when zh-TW.ts is not what this script writes.
// The rules reference the same way: src/i18n/rule-docs/zh-TW.ts from its zh-CN.ts (test/i18n/rule-docs.test.ts).
//
//   node scripts/zh-tw-catalog.mjs          (rewrites both files)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as OpenCC from 'opencc-js/cn2t';

const CATALOGS = fileURLToPath(new URL('../src/i18n/catalogs/', import.meta.url));
const RULE_DOCS = fileURLToPath(new URL('../src/i18n/rule-docs/', import.meta.url));

/** Taiwan wording OpenCC's phrase table does not give, applied after it (whole phrases, in order); src/i18n/rubric-text.ts reads it too. */
export const WORDING = JSON.parse(readFileSync(new URL('../src/i18n/taiwan-wording.json', import.meta.url), 'utf8'));

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

/** One text in Traditional Chinese with Taiwan wording and quotation marks. */
function traditional(convert, zhCn) {
  let text = convert(zhCn);
  text = text.replaceAll('“', '「').replaceAll('”', '」').replaceAll('‘', '『').replaceAll('’', '』');
  for (const [from, to] of WORDING) text = text.replaceAll(from, to);
  return text;
}

/** A string literal as biome writes them: single quotes, or double when the text holds a single quote. */
const LITERAL = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g;

/**
 * A zh-TW module made from its zh-CN one: the lines after `export const zhCN` up to `};`, every string literal
 * converted (keys and ids are ASCII: unchanged; an entry biome wrapped onto two lines too), comments through
 * OpenCC, the layout kept line for line (so biome formats both alike, unless a conversion makes a line cross
 * its width: then reword the zh-CN text), under `head`.
 */
function zhTwModule(zhCn, head) {
  const convert = OpenCC.Converter({ from: 'cn', to: 'twp' });
  const out = [...head];
  const lines = zhCn.split('\n');
  for (const line of lines.slice(lines.findIndex((l) => l.startsWith('export const zhCN')) + 1)) {
    if (line.startsWith('};')) break;
    if (line.trimStart().startsWith('//')) out.push(convert(line));
    else out.push(line.replace(LITERAL, (lit) => literal(traditional(convert, literalText(lit)))));
  }
  out.push('};', '');
  return out.join('\n');
}

/** zh-TW.ts's text, made from zh-CN.ts's. */
export function zhTwCatalog(zhCn) {
  return zhTwModule(zhCn, [
    '// 繁體中文（臺灣）訊息：由 scripts/zh-tw-catalog.mjs 從 zh-CN.ts 產生，請勿手改。',
    "import type { Catalog } from './en.js';",
    '',
    'export const zhTW: Catalog = {',
  ]);
}

/** rule-docs/zh-TW.ts's text, made from its zh-CN.ts's. */
export function zhTwRuleDocs(zhCn) {
  return zhTwModule(zhCn, [
    '// 規則說明（繁體中文，臺灣）：由 scripts/zh-tw-catalog.mjs 從 zh-CN.ts 產生，請勿手改。',
    "import type { RuleDocs } from './types.js';",
    '',
    'export const zhTW: RuleDocs = {',
  ]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = zhTwCatalog(readFileSync(`${CATALOGS}zh-CN.ts`, 'utf8'));
  writeFileSync(`${CATALOGS}zh-TW.ts`, text);
  process.stdout.write(`wrote ${CATALOGS}zh-TW.ts\n`);
  writeFileSync(`${RULE_DOCS}zh-TW.ts`, zhTwRuleDocs(readFileSync(`${RULE_DOCS}zh-CN.ts`, 'utf8')));
  process.stdout.write(`wrote ${RULE_DOCS}zh-TW.ts\n`);
}
