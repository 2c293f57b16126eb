import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
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
  return (
    text
      .replace(/“[^”]*”|「[^」]*」|"[^"\n]*"|『[^』]*』/g, ' ')
      .replace(/\S*[/\\]\S*/g, ' ')
      // Commands, flags and their placeholders, as typed (callqa formats, --results FILE, INPUT…).
      .replace(/\bcallqa (?:score|report|explain|calibrate|formats|rules|rubric)\b/g, ' ')
      .replace(/--[\w-]+(?: [A-Z]+\b)?|\b[A-Z]+…/g, ' ')
      .replace(/\b[\w.-]+\.(?:json|jsonl|txt|csv|md|html|xlsx)\b/g, ' ')
  );
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
    const run = await runCli(['score', 'fixtures/calls', broken, '--out', out, '--coaching', '--xlsx', '--lang', lang]);
    expect(run.code).toBe(3);
    terminal = `${run.stdout}\n${run.stderr}`;
  }, 120_000);

  it('has no English sentence in its findings, errors, coaching packs or summary', async () => {
    expect(englishIn(await humanTexts(out, terminal))).toEqual([]);
  });

  it.runIf(lang === 'zh-TW')('has no Simplified-only character in the text callqa writes itself', async () => {
    expect(simplifiedIn(await humanTexts(out, terminal))).toEqual([]);
  });

  it('writes report.xlsx’s outcome, hung-up-by and roles cells in its words (the CSVs keep the ids)', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(out, 'report.xlsx'));
    const calls = workbook.worksheets[0] as ExcelJS.Worksheet;
    const values = (name: string) => {
      const column = (calls.getRow(1).values as unknown[]).indexOf(name);
      return new Set(calls.getColumn(column).values.slice(2));
    };
    const words = lang === 'zh-CN' ? ['通过', '未通过', '不适用', '坐席', '客户'] : ['通過', '未通過', '不適用', '客服人員', '客戶'];
    const [pass, fail, na, agent, customer] = words;
    const greeting = lang === 'zh-CN' ? '问候语' : '問候語';
    expect([...values(greeting)].every((v) => [pass, fail, na].includes(v as string))).toBe(true);
    expect(values(greeting).has(pass)).toBe(true);
    expect([...values(lang === 'zh-CN' ? '挂机方' : '掛機方')].every((v) => [agent, customer, '未知', null].includes(v as string | null))).toBe(true);
    // The rows under the header (whose labels name the model's criteria by id).
    const rows = calls.getSheetValues().slice(2);
    const cells = rows.flatMap((row) => (Array.isArray(row) ? row.filter((v): v is string => typeof v === 'string') : []));
    expect(englishIn(cells.filter((c) => !/^C-\d|^fixtures\//.test(c)))).toEqual([]);
    expect((await readCsv(join(out, 'calls.csv'))).map((row) => row.greeting).every((v) => ['pass', 'fail', 'n/a'].includes(v ?? ''))).toBe(true);
  });

  it('says what stops a command on stderr without an English sentence (flags, missing inputs, metadata, --out, --baseline, calibrate, explain)', async () => {
    const dir = await tempDir();
    const dat = join(dir, 'records.dat');
    await writeFile(dat, '<x/>');
    const empty = join(dir, 'empty');
    await mkdir(empty);
    const runs = [
      ['score', 'fixtures/calls', '--encoding', 'latin-9'],
      ['score', join(dir, 'nope.json'), join(dir, 'records.dat', 'x.json')],
      ['score', empty, '--out', join(dir, 'o1')],
      ['score', 'fixtures/calls/c1001-broadband-outage.json', '--metadata', dat, '--out', join(dir, 'o2')],
      ['score', 'fixtures/calls/c1001-broadband-outage.json', '--llm', '--out', join(dir, 'o3')],
      ['calibrate', 'fixtures/labels/calls-labels.csv'],
      ['calibrate', 'fixtures/labels/calls-labels.csv', join(dir, 'nope.json')],
      ['explain', join(dir, 'nope.jsonl')],
      ['score', 'fixtures/calls/c1001-broadband-outage.json', '--out', dat],
      ['score', 'fixtures/calls/c1001-broadband-outage.json', '--baseline', empty, '--out', join(dir, 'o4')],
      ['report', join(dir, 'nope'), '--out', join(dir, 'o5')],
      ['report', empty, '--out', join(dir, 'o6')],
    ];
    const stderr: string[] = [];
    for (const args of runs) {
      const run = await runCli([...args, '--lang', lang], { env: { ANTHROPIC_API_KEY: '' } });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(/^callqa: \S/);
      stderr.push(...run.stderr.split('\n'));
    }
    expect(englishIn(stderr)).toEqual([]);
    if (lang === 'zh-TW') expect(simplifiedIn(stderr)).toEqual([]);
  }, 60_000);

  it("says commander's refusals (unknown option or command, bad values, missing arguments) without an English sentence", async () => {
    const runs = [
      ['score', 'fixtures/calls', '--bogus'],
      ['scroe', 'fixtures/calls'],
      ['score', 'fixtures/calls', '--fail-under', 'x'],
      ['score', 'fixtures/calls', '--max-fail-rate', 'greeting=7'],
      ['score', 'fixtures/calls', '--direction', 'sideways'],
      ['score', 'fixtures/calls', '--jobs', '0'],
      ['report'],
      ['explain', 'a.json', 'b.json'],
      ['calibrate', 'labels.csv', '--min-agreement', '2'],
    ];
    const stderr: string[] = [];
    for (const args of runs) {
      const run = await runCli([...args, '--lang', lang]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(/^錯誤：|^错误：/);
      stderr.push(...run.stderr.split('\n'));
    }
    expect(englishIn(stderr)).toEqual([]);
    if (lang === 'zh-TW') expect(simplifiedIn(stderr)).toEqual([]);
  }, 60_000);
});

describe('callqa report --lang over a zh-CN run', () => {
  const one = 'fixtures/calls/c1002-1004-xingchen-account.json';
  const other = 'fixtures/calls/c3002-complaint-banned.txt';
  /** findings.csv's rows as call, rule, message: what a reviewer reads. */
  const messages = async (dir: string) => (await readCsv(join(dir, 'findings.csv'))).map((r) => `${r.call_id} ${r.rule} ${r.message}`).sort();
  let dir: string;
  let zh: string;
  beforeAll(async () => {
    dir = await tempDir();
    zh = join(dir, 'zh');
    expect((await runCli(['score', one, '--out', zh, '-q'])).code).toBe(0);
  }, 60_000);

  it.each(['en', 'zh-TW'] as const)(
    'writes every finding, title and word in %s as a run scored in it would',
    async (lang) => {
      const again = join(dir, `again-${lang}`);
      const direct = join(dir, `direct-${lang}`);
      const report = await runCli(['report', zh, '--out', again, '--lang', lang, '-q']);
      expect(report.code).toBe(0);
      expect(report.stderr).toBe('');
      expect((await runCli(['score', one, '--out', direct, '--lang', lang, '-q'])).code).toBe(0);
      const written = await messages(again);
      expect(written.length).toBeGreaterThanOrEqual(3);
      expect(written).toEqual(await messages(direct));
      const run = JSON.parse(await readFile(join(again, 'run.json'), 'utf8'));
      const scored = JSON.parse(await readFile(join(direct, 'run.json'), 'utf8'));
      expect(run.rubric.lang).toBe(lang);
      expect(run.rubric.titles).toEqual(scored.rubric.titles);
      expect(run.rubric.advice).toEqual(scored.rubric.advice);
      expect(run.rubric.name).toBe(scored.rubric.name);
      const html = await readFile(join(again, 'report.html'), 'utf8');
      expect(html).toContain(`<html lang="${lang}"`);
      expect(html).toContain(lang === 'en' ? 'Greeting' : '問候語');
    },
    60_000,
  );

  it('merges runs scored in two languages into one language: the first run’s, or --lang', async () => {
    const en = join(dir, 'en');
    expect((await runCli(['score', other, '--out', en, '--lang', 'en', '-q'])).code).toBe(0);
    const merged = join(dir, 'merged');
    const merge = await runCli(['report', zh, en, '--out', merged, '-q']);
    expect(merge.code).toBe(0);
    expect(merge.stderr).toBe('');
    const direct = join(dir, 'both-zh');
    expect((await runCli(['score', one, other, '--out', direct, '-q'])).code).toBe(0);
    expect(await messages(merged)).toEqual(await messages(direct));
    expect((await messages(merged)).some((m) => m.startsWith('C-3002 '))).toBe(true);
  }, 60_000);

  it('keeps, and counts, the findings of a run saved before findings were kept as messages', async () => {
    const old = join(dir, 'old');
    await mkdir(old);
    const lines = (await readFile(join(zh, 'results.jsonl'), 'utf8')).split('\n').filter((l) => l !== '');
    const stripped = lines.map((l) => {
      const r = JSON.parse(l);
      if (r.findings) r.findings = r.findings.map(({ said: _said, ...f }: { said?: unknown }) => f);
      return JSON.stringify(r);
    });
    await writeFile(join(old, 'results.jsonl'), `${stripped.join('\n')}\n`);
    const run = JSON.parse(await readFile(join(zh, 'run.json'), 'utf8'));
    delete run.rubric.texts;
    await writeFile(join(old, 'run.json'), JSON.stringify(run));
    const count = (await readCsv(join(zh, 'findings.csv'))).length;
    const report = await runCli(['report', old, '--out', join(dir, 'old-en'), '--lang', 'en', '-q']);
    expect(report.code).toBe(0);
    expect(report.stderr).toBe(
      `callqa: note: ${count} findings keep the language they were scored in: their run is from before callqa kept findings as messages; score it again to have them in this language\n`,
    );
    expect(await messages(join(dir, 'old-en'))).toEqual(await messages(zh));
    const html = await readFile(join(dir, 'old-en', 'report.html'), 'utf8');
    expect(html).toContain('Greeting');
  }, 60_000);

  it('explain --lang writes the findings of a zh-CN run in English', async () => {
    const call = (await readCsv(join(zh, 'findings.csv'))).find((r) => r.rule === 'greeting');
    expect(call).toBeDefined();
    const direct = join(dir, 'explain-en');
    expect((await runCli(['score', one, '--out', direct, '--lang', 'en', '-q'])).code).toBe(0);
    const english = (await readCsv(join(direct, 'findings.csv'))).find((r) => r.rule === 'greeting' && r.call_id === call?.call_id);
    const explained = await runCli(['explain', zh, '--call', call?.call_id as string, '--lang', 'en']);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toContain(english?.message as string);
    expect(explained.stdout).not.toContain(call?.message as string);
  }, 60_000);
});
