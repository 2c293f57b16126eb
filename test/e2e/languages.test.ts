import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsv, runCli, tempDir } from '../helpers/cli.js';

/**
 * Issue 18: a run in Chinese has no English sentence in any human-facing text, and a zh-TW run no
 * Simplified-only character in the text callqa writes itself. Quoted evidence (the transcript's own words,
 * the rubric's phrases, quoted in “” 「」 or "") and ids, paths, units and numbers aside.
 */

/** Two English words or more in a row: a sentence, or a piece of one. */
const ENGLISH = /\b[A-Za-z]{2,}(?:[ ,'’-]+[A-Za-z]{2,})+\b/g;

/** Text callqa wrote itself: quotations taken out (evidence, phrases, file names and paths). */
function ownWords(text: string): string {
  return text
    .replace(/“[^”]*”|「[^」]*」|"[^"\n]*"|『[^』]*』/g, ' ')
    .replace(/\S*[/\\]\S*/g, ' ')
    .replace(/\b[\w.-]+\.(?:json|jsonl|txt|csv|md|html|xlsx)\b/g, ' ');
}

function englishIn(texts: readonly string[]): string[] {
  return texts.flatMap((t) => Array.from(ownWords(t).matchAll(ENGLISH), (m) => `${m[0]}  ⟵  ${t.slice(0, 120)}`));
}

const toTraditional = (createRequire(import.meta.url)('opencc-js/cn2t') as typeof import('opencc-js')).Converter({ from: 'cn', to: 'tw' });

function simplifiedIn(texts: readonly string[]): string[] {
  const found = new Set<string>();
  for (const t of texts) for (const ch of ownWords(t)) if (/\p{Script=Han}/u.test(ch) && toTraditional(ch) !== ch) found.add(`${ch} ⟵ ${t.slice(0, 80)}`);
  return [...found];
}

/** The human-facing texts of a report directory and the run's terminal output, the agents' names (data, as given) taken out. */
async function humanTexts(out: string, terminal: string): Promise<string[]> {
  const names = [...new Set((await readCsv(join(out, 'calls.csv'))).map((row) => row.agent_name ?? ''))].filter((n) => n !== '');
  const texts = [terminal];
  for (const row of await readCsv(join(out, 'findings.csv'))) texts.push(row.message ?? '');
  for (const row of await readCsv(join(out, 'errors.csv'))) texts.push(row.error ?? row.reason ?? '');
  for (const f of await readdir(join(out, 'coaching'))) {
    // Evidence lines quote the transcript: the pack's own words are the rest of each line.
    texts.push(...(await readFile(join(out, 'coaching', f), 'utf8')).split('\n'));
  }
  return texts.map((t) => names.reduce((text, name) => text.replaceAll(name, ' '), t)).filter((t) => t.trim() !== '');
}

describe.each(['zh-CN', 'zh-TW'] as const)('a %s run over the fixtures (and one broken input)', (lang) => {
  let out: string;
  let terminal: string;
  beforeAll(async () => {
    const dir = await tempDir();
    const broken = join(dir, 'in');
    await mkdir(broken);
    await writeFile(join(broken, 'broken.json'), '{"call_id": "X-1", "segments": [');
    out = join(dir, 'report');
    const run = await runCli(['score', 'fixtures/calls', broken, '--out', out, '--coaching', '--lang', lang]);
    expect(run.code).toBe(3);
    terminal = `${run.stdout}\n${run.stderr}`;
  }, 120_000);

  it('has no English sentence in its findings, errors, coaching packs or summary', async () => {
    expect(englishIn(await humanTexts(out, terminal))).toEqual([]);
  });

  it.runIf(lang === 'zh-TW')('has no Simplified-only character in the text callqa writes itself', async () => {
    expect(simplifiedIn(await humanTexts(out, terminal))).toEqual([]);
  });
});

describe('callqa report --lang over a zh-CN run', () => {
  it('writes the reports’ own words and titles in the language asked for, says the findings keep theirs, and refuses to merge two languages', async () => {
    const dir = await tempDir();
    const zh = join(dir, 'zh');
    const en = join(dir, 'en');
    expect((await runCli(['score', 'fixtures/calls/c1002-1004-xingchen-account.json', '--out', zh, '-q'])).code).toBe(0);
    const report = await runCli(['report', zh, '--out', join(dir, 'again'), '--lang', 'en', '-q']);
    expect(report.code).toBe(0);
    expect(report.stderr).toBe('callqa: note: the findings keep the language they were scored in (zh-CN); score again with --lang to have them in this one\n');
    const html = await readFile(join(dir, 'again', 'report.html'), 'utf8');
    expect(html).toContain('<html lang="en"');
    expect(html).toContain('Greeting');
    const run = JSON.parse(await readFile(join(dir, 'again', 'run.json'), 'utf8'));
    expect(run.rubric.lang).toBe('en');
    expect(run.rubric.titles.greeting).toBe('Greeting');
    expect((await runCli(['score', 'fixtures/calls/c1001-broadband-outage.json', '--out', en, '--lang', 'en', '-q'])).code).toBe(0);
    const merge = await runCli(['report', zh, en, '--out', join(dir, 'merged'), '-q']);
    expect(merge.code).toBe(2);
    expect(merge.stderr).toContain('the language of their findings, zh-CN against en');
  }, 60_000);
});
