import { mkdir, readFile, truncate, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { detectEncoding } from '../../src/ingest/encoding.js';
import { isFindingId } from '../../src/review/ids.js';
import { readReviews } from '../../src/review/read.js';
import { REVIEW_COLUMNS, type Review } from '../../src/review/verdict.js';
import '../helpers/cleanup.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { encodeLegacy } from '../helpers/legacy-encode.js';

/** When the analyst saved: a filled-in findings.csv or report.xlsx dates its verdicts by it. */
const SAVED = new Date('2026-12-05T09:30:00.000Z');

/** A cell as Excel writes it in a CSV: quoted only when it holds a comma, a quote or a line break. */
const excelCell = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
const excelCsv = (rows: readonly (readonly string[])[]) => `${rows.map((r) => r.map(excelCell).join(',')).join('\r\n')}\r\n`;

let dir: string;
/** findings.csv of `callqa score fixtures/calls --headers localized --xlsx` (zh-CN, the rubric's language), its rows. */
let header: string[];
let rows: string[][];

beforeAll(async () => {
  dir = await tempDir('callqa-review-read-');
  const run = await runCli(['score', 'fixtures/calls', '--out', join(dir, 'run'), '--headers', 'localized', '--xlsx']);
  expect(run.code).toBe(0);
  const all = parse((await readFile(join(dir, 'run', 'findings.csv'), 'utf8')).replace(/^\ufeff/, '')) as string[][];
  header = all[0] as string[];
  rows = all.slice(1);
}, 60_000);

/** The row of findings.csv for a call's rule (the first, if several), and its index among the data rows. */
function rowOf(callId: string, rule: string): { row: string[]; index: number } {
  const index = rows.findIndex((r) => r[0] === callId && r[3] === rule);
  expect(index).toBeGreaterThanOrEqual(0);
  return { row: rows[index] as string[], index };
}

/** A file written and dated as saved at SAVED. */
async function saved(name: string, bytes: Buffer | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  await utimes(path, SAVED, SAVED);
  return path;
}

const review = (r: Partial<Review> & Pick<Review, 'findingId' | 'verdict' | 'file' | 'line'>): Review => ({
  note: '',
  reviewer: '',
  at: SAVED.toISOString(),
  ...r,
});

describe('findings.csv as callqa writes it', () => {
  it('ends with finding_id, verdict and review_note, localized; each finding has its id, the verdict cells empty', () => {
    expect(header.slice(-3)).toEqual(['问题编号', '复核结论', '复核备注']);
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) {
      expect(isFindingId(r[10] as string)).toBe(true);
      expect(r.slice(11)).toEqual(['', '']);
    }
    expect(new Set(rows.map((r) => r[10])).size).toBe(rows.length);
    // The id is the call, rule, place and evidence's: the same in any later run (src/review/ids.ts).
    expect(rowOf('C-1002', 'greeting').row[10]).toBe('F-a53d4b296f0810b9');
  });

  it('gives the same call the same finding ids when it is scored again, with headers of ids', async () => {
    const again = await runCli(['score', 'fixtures/calls', '--out', join(dir, 'again')]);
    expect(again.code).toBe(0);
    const records = parse((await readFile(join(dir, 'again', 'findings.csv'), 'utf8')).replace(/^\ufeff/, ''), { columns: true }) as Record<string, string>[];
    expect(records.map((r) => r.finding_id)).toEqual(rows.map((r) => r[10]));
    expect(records.map((r) => [r.verdict, r.review_note])).toEqual(rows.map(() => ['', '']));
  }, 60_000);
});

describe('readReviews: a findings.csv filled in and saved by Excel', () => {
  it('reads GBK ("CSV (逗号分隔)" on Chinese Windows) with CRLF, a localized header, Chinese and English verdicts and a multi-line note', async () => {
    const greeting = rowOf('C-1002', 'greeting');
    const banned = rowOf('C-2002', 'banned-phrases');
    const rate = rowOf('C-1003', 'speech-rate');
    const filled = rows.map((r) => [...r]);
    (filled[greeting.index] as string[]).splice(11, 2, '确认', '自报工号缺失，属实');
    (filled[banned.index] as string[]).splice(11, 2, 'Rejected', '客户要求改地址，"不行"是转述规定\n不算禁语');
    (filled[rate.index] as string[]).splice(11, 2, ' 待定 ', '');
    const bytes = encodeLegacy(excelCsv([header, ...filled]), 'gbk');
    expect(detectEncoding(bytes)).toBe('gb18030');
    const file = await saved('findings-gbk.csv', bytes);
    const lineOf = (index: number) => index + 2 + (index > banned.index ? 1 : 0);
    const expected = [
      [greeting, 'confirmed', '自报工号缺失，属实'],
      [banned, 'rejected', '客户要求改地址，"不行"是转述规定\n不算禁语'],
      [rate, 'unsure', ''],
    ]
      .sort((a, b) => (a[0] as typeof greeting).index - (b[0] as typeof greeting).index)
      .map(([found, verdict, note]) => {
        const { row, index } = found as typeof greeting;
        return review({
          findingId: row[10] as string,
          verdict: verdict as Review['verdict'],
          note: note as string,
          file,
          line: lineOf(index),
          callId: row[0],
          rule: row[3],
          evidence: row[8],
        });
      });
    expect(await readReviews([file])).toEqual({ reviews: expected, problems: [] });
    expect(expected.map((r) => r.findingId)).toEqual(['F-a53d4b296f0810b9', rate.row[10], banned.row[10]]);
  });

  it('reads Big5 (Traditional Windows) with 確認 and 駁回 from a zh-TW report, Simplified text Excel could not save as `?`', async () => {
    const report = await runCli(['report', join(dir, 'run'), '--out', join(dir, 'tw'), '--lang', 'zh-TW', '--headers', 'localized', '--quiet']);
    expect(report.code).toBe(0);
    const [twHeader, ...twRows] = parse((await readFile(join(dir, 'tw', 'findings.csv'), 'utf8')).replace(/^\ufeff/, '')) as string[][];
    expect(twHeader?.slice(-3)).toEqual(['問題編號', '複核結論', '複核備註']);
    // callqa report writes the ids score wrote: they name the findings, not the run.
    expect(twRows.map((r) => r[10])).toEqual(rows.map((r) => r[10]));
    const first = twRows.findIndex((r) => (r[0] as string).startsWith('C-40'));
    const second = twRows.findIndex((r, i) => i > first && (r[0] as string).startsWith('C-40'));
    expect([first, second].every((i) => i >= 0)).toBe(true);
    const filled = twRows.map((r) => [...r]);
    (filled[first] as string[]).splice(11, 2, '確認', '');
    (filled[second] as string[]).splice(11, 2, '駁回', '語速正常，誤判');
    const bytes = encodeLegacy(excelCsv([twHeader as string[], ...filled]), 'big5', '?');
    expect(detectEncoding(bytes)).toBe('big5');
    const file = await saved('findings-big5.csv', bytes);
    const at = (i: number) => twRows[i] as string[];
    // The evidence as Excel saved it in code page 950 (a Simplified character it lacks: `?`).
    const saved950 = (i: number) => new TextDecoder('big5').decode(encodeLegacy(at(i)[8] as string, 'big5', '?'));
    expect(await readReviews([file])).toEqual({
      reviews: [
        review({
          findingId: at(first)[10] as string,
          verdict: 'confirmed',
          file,
          line: first + 2,
          callId: at(first)[0],
          rule: at(first)[3],
          evidence: saved950(first),
        }),
        review({
          findingId: at(second)[10] as string,
          verdict: 'rejected',
          note: '語速正常，誤判',
          file,
          line: second + 2,
          callId: at(second)[0],
          evidence: saved950(second),
          rule: at(second)[3],
        }),
      ],
      problems: [],
    });
  }, 60_000);

  it('reads "CSV UTF-8" (BOM) and UTF-8 without BOM, a header of ids, LF, and formula-neutralised cells', async () => {
    const ids = parse((await readFile(join(dir, 'again', 'findings.csv'), 'utf8')).replace(/^\ufeff/, '')) as string[][];
    const head = ids[0] as string[];
    expect(head.slice(-3)).toEqual(['finding_id', 'verdict', 'review_note']);
    const row = [...(ids[1] as string[])];
    row.splice(11, 2, 'confirmed', "'=这条没问题");
    row[0] = "'=C-1002";
    const text = excelCsv([head, row, ids[2] as string[]]);
    for (const [name, bytes] of [
      ['bom.csv', `\ufeff${text}`],
      ['plain.csv', text.replaceAll('\r\n', '\n')],
    ] as const) {
      const file = await saved(name, bytes);
      expect(await readReviews([file])).toEqual({
        reviews: [
          review({
            findingId: row[10] as string,
            verdict: 'confirmed',
            note: '=这条没问题',
            file,
            line: 2,
            callId: '=C-1002',
            rule: row[3] as string,
            evidence: row[8],
          }),
        ],
        problems: [],
      });
    }
  });
});

describe('readReviews: Excel\'s "Unicode Text"', () => {
  it('reads UTF-16LE with tabs', async () => {
    const { row } = rowOf('C-1002', 'greeting');
    const text = [header, [...row.slice(0, 11), '确认', '']].map((r) => r.map(excelCell).join('\t')).join('\r\n');
    const file = await saved('findings.txt', Buffer.from(`\ufeff${text}\r\n`, 'utf16le'));
    expect(await readReviews([file])).toEqual({
      reviews: [review({ findingId: 'F-a53d4b296f0810b9', verdict: 'confirmed', file, line: 2, callId: 'C-1002', rule: 'greeting', evidence: row[8] })],
      problems: [],
    });
  });
});

describe('readReviews: report.xlsx', () => {
  it('reads the verdicts typed into the findings sheet of the workbook --xlsx made, and saved again', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(dir, 'run', 'report.xlsx'));
    const sheet = workbook.getWorksheet('问题明细') as ExcelJS.Worksheet;
    const labels = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(labels.slice(-3)).toEqual(['问题编号', '复核结论', '复核备注']);
    const verdictColumn = labels.indexOf('复核结论') + 1;
    const idOf = (n: number) => sheet.getRow(n).getCell(verdictColumn - 1).value as string;
    expect(idOf(2)).toBe(rows[0]?.[10]);
    sheet.getRow(2).getCell(verdictColumn).value = '驳回';
    sheet.getRow(2).getCell(verdictColumn + 1).value = { richText: [{ text: '客户' }, { text: '先挂机', font: { bold: true } }] };
    sheet.getRow(4).getCell(verdictColumn).value = 'confirmed';
    // Saved beside the run.json of the run (its rules' titles name them back), and, copied, anywhere (the catalog's titles do).
    const file = join(dir, 'run', 'filled.xlsx');
    await workbook.xlsx.writeFile(file);
    await utimes(file, SAVED, SAVED);
    const copy = await saved('copied.xlsx', await readFile(file));
    // The sheet names the rules by title (问候语); the reviews by id, as findings.csv does.
    expect(sheet.getRow(2).getCell(4).value).toBe('问候语');
    expect([rows[0]?.[3], rows[2]?.[3]]).toEqual(['greeting', 'interruption']);
    for (const from of [file, copy]) {
      expect(await readReviews([from])).toEqual({
        reviews: [
          review({
            findingId: idOf(2),
            verdict: 'rejected',
            note: '客户先挂机',
            file: from,
            line: 2,
            callId: rows[0]?.[0] as string,
            rule: 'greeting',
            evidence: rows[0]?.[8],
          }),
          review({
            findingId: idOf(4),
            verdict: 'confirmed',
            file: from,
            line: 4,
            callId: rows[2]?.[0] as string,
            rule: 'interruption',
            evidence: rows[2]?.[8],
          }),
        ],
        problems: [],
      });
    }
  }, 30_000);

  it('says so of a workbook without a findings sheet, and of one it cannot read', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Sheet1').addRow(['call_id', 'verdict']);
    const file = join(dir, 'other.xlsx');
    await workbook.xlsx.writeFile(file);
    const broken = await saved('broken.xlsx', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(64, 1)]));
    const { reviews, problems } = await readReviews([file, broken]);
    expect(reviews).toEqual([]);
    expect(problems[0]).toBe(
      `${file}: no sheet has the columns finding_id, verdict; expected the findings sheet of report.xlsx as callqa score --xlsx writes it`,
    );
    expect(problems[1]).toMatch(
      new RegExp(
        `^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot read it as an Excel workbook \\(.+\\); expected reviews.csv, or findings.csv or report.xlsx with verdicts filled in$`,
      ),
    );
    expect(problems).toHaveLength(2);
  });
});

describe('a run given verdicts', () => {
  it('writes them in findings.csv (ids) and report.xlsx (words), and both read back as the same verdicts', async () => {
    const greeting = rowOf('C-1002', 'greeting').row;
    const banned = rowOf('C-2002', 'banned-phrases').row;
    const filled = rows.map((r) => (r === greeting ? [...r.slice(0, 11), '确认', '属实'] : r === banned ? [...r.slice(0, 11), '驳回', '转述规定'] : r));
    const file = await saved('verdicts.csv', `\ufeff${excelCsv([header, ...filled])}`);
    const out = join(dir, 'reviewed');
    const report = await runCli(['report', join(dir, 'run'), '--out', out, '--reviews', file, '--xlsx', '--quiet']);
    expect(report.code, report.stderr).toBe(0);
    const written = parse((await readFile(join(out, 'findings.csv'), 'utf8')).replace(/^\ufeff/, ''), { columns: true }) as Record<string, string>[];
    const cells = (id: string | undefined) => written.filter((r) => r.finding_id === id).map((r) => [r.verdict, r.review_note]);
    expect(cells(greeting[10])).toEqual([['confirmed', '属实']]);
    expect(cells(banned[10])).toEqual([['rejected', '转述规定']]);
    expect(written.filter((r) => r.verdict !== '')).toHaveLength(2);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(out, 'report.xlsx'));
    const sheet = workbook.getWorksheet('问题明细') as ExcelJS.Worksheet;
    const words = sheet.getSheetValues().flatMap((r) => (Array.isArray(r) && (r[12] === '确认' || r[12] === '驳回') ? [[r[11], r[12], r[13]]] : []));
    expect(words).toEqual(
      [
        [greeting[10], '确认', '属实'],
        [banned[10], '驳回', '转述规定'],
      ].sort((a, b) => written.findIndex((r) => r.finding_id === a[0]) - written.findIndex((r) => r.finding_id === b[0])),
    );
    const { reviews, problems } = await readReviews([join(out, 'findings.csv'), join(out, 'report.xlsx')]);
    expect(problems).toEqual([]);
    const said = (from: string) => reviews.filter((r) => r.file === from).map((r) => [r.findingId, r.verdict, r.note]);
    const expected = [
      [greeting[10], 'confirmed', '属实'],
      [banned[10], 'rejected', '转述规定'],
    ].sort((a, b) => written.findIndex((r) => r.finding_id === a[0]) - written.findIndex((r) => r.finding_id === b[0]));
    expect(said(join(out, 'findings.csv'))).toEqual(expected);
    expect(said(join(out, 'report.xlsx'))).toEqual(expected);
  }, 60_000);
});

describe('readReviews: reviews.csv', () => {
  it('takes each row its reviewer and time; a time Excel rewrote on saving is read as local time', async () => {
    const id = 'F-0123456789abcdef';
    const file = await saved(
      'reviews.csv',
      [
        REVIEW_COLUMNS.join(','),
        `${id},C-1,A1,greeting,00:01,'=您好,rejected,申诉成立,li.na,2026-12-04T08:00:00+08:00`,
        `${id},C-1,A1,greeting,00:01,'=您好,确认,,wang,2026/12/4 9:05`,
        `${id},C-1,A1,greeting,00:01,'=您好,unsure,,zhao,`,
        '',
      ].join('\r\n'),
    );
    const local = new Date(2026, 11, 4, 9, 5).toISOString();
    const base = { findingId: id, file, callId: 'C-1', rule: 'greeting', evidence: '=您好' };
    expect(await readReviews([file])).toEqual({
      reviews: [
        review({ ...base, verdict: 'rejected', note: '申诉成立', reviewer: 'li.na', at: '2026-12-04T08:00:00+08:00', line: 2 }),
        review({ ...base, verdict: 'confirmed', reviewer: 'wang', at: local, line: 3 }),
        review({ ...base, verdict: 'unsure', reviewer: 'zhao', line: 4 }),
      ],
      problems: [],
    });
  });
});

describe('readReviews: problems', () => {
  it('names the file, the line and what was expected; reads on past a bad row', async () => {
    const id = 'F-0123456789abcdef';
    const bad = await saved(
      'bad.csv',
      [
        'finding_id,verdict,review_note,reviewed_at',
        `${id},ok,,`,
        'F-123,rejected,,',
        `${id},confirmed,,yesterday`,
        `${id},confirmed,,2026-02-30`,
        ',,,',
        `${id},rejected,好,`,
      ].join('\r\n'),
    );
    const noColumns = await saved('no-columns.csv', 'call_id,状态\r\nC-1,确认\r\n');
    const empty = await saved('empty.csv', '');
    const unclosed = await saved('unclosed.csv', `finding_id,verdict\r\n${id},rejected\r\n${id},"confirmed\r\n`);
    const notText = await saved('not-text.csv', Buffer.from([0x66, 0x69, 0x6e, 0x0a, 0xff, 0xfe, 0x80, 0x0a]));
    const missing = join(dir, 'nope.csv');
    const big = join(dir, 'big.csv');
    await writeFile(big, '');
    await truncate(big, 200 * 1024 * 1024 + 1);
    await mkdir(join(dir, 'a-directory'), { recursive: true });
    const { reviews, problems } = await readReviews([bad, noColumns, empty, unclosed, notText, missing, big, join(dir, 'a-directory')]);
    expect(reviews).toEqual([
      review({ findingId: id, verdict: 'rejected', note: '好', file: bad, line: 7 }),
      review({ findingId: id, verdict: 'rejected', file: unclosed, line: 2 }),
    ]);
    const expected = 'expected reviews.csv, or findings.csv or report.xlsx with verdicts filled in';
    expect(problems).toEqual([
      `${bad}:2: verdict: expected one of confirmed, confirm, 确认, 確認, rejected, reject, 驳回, 駁回, unsure, 待定, got "ok"`,
      `${bad}:3: finding_id: expected an id such as F-0123456789abcdef, got "F-123"`,
      `${bad}:4: reviewed_at: expected a date and time such as 2026-12-05T09:30:00Z, got "yesterday"`,
      `${bad}:5: reviewed_at: expected a date and time such as 2026-12-05T09:30:00Z, got "2026-02-30"`,
      `${noColumns}:1: expected a header row with the columns finding_id, verdict, but it has no finding_id, verdict`,
      `${empty}:1: expected a header row with the columns finding_id, verdict, but it has no finding_id, verdict`,
      `${unclosed}:3: a quoted cell opened on this line is never closed (a quote inside a cell must be doubled: "")`,
      `${notText}:2: cannot decode it: not valid UTF-8: byte 0xff at byte offset 4 (save the file as UTF-8)`,
      `${missing}: cannot read it (ENOENT); ${expected}`,
      `${big}: 201 MB, more than the 200 MB a reviews file may have; ${expected}`,
      `${join(dir, 'a-directory')}: a directory; ${expected}`,
    ]);
  });

  it('says them in the language asked for', async () => {
    const file = await saved('zh.csv', '问题编号,复核结论\r\nF-0123456789abcdef,通过\r\n');
    const noId = await saved('zh-no-id.csv', '通话编号,复核结论\r\n');
    expect((await readReviews([file, noId], 'zh-CN')).problems).toEqual([
      `${file}:2：verdict：应为 confirmed、confirm、确认、確認、rejected、reject、驳回、駁回、unsure、待定 之一，实际为 "通过"`,
      `${noId}:1：表头应包含 finding_id、verdict 列，但缺少 finding_id`,
    ]);
  });
});
