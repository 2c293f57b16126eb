import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { maskErrorMessage, maskPersonalNumbers } from '../../src/privacy/mask.js';
import { ReportDir } from '../../src/run/report-dir.js';
import { errorRow } from '../../src/render/tables.js';

describe('maskPersonalNumbers', () => {
  it.each([
    ['a mobile number', '13812345678', '138****5678'],
    ['a mobile number in a sentence', '我的手机是13812345678，谢谢', '我的手机是138****5678，谢谢'],
    ['an 18-digit ID ending in X', '11010519491231002X', '110105********002X'],
    ['an 18-digit ID ending in lower-case x', '身份证11010519491231002x', '身份证110105********002x'],
    ['an 18-digit all-digit ID', '440301199001011234', '440301********1234'],
    ['a 15-digit old ID', '110105491231002', '110105*****1002'],
    ['a 19-digit bank card', '6222021234567890123', '622202*********0123'],
    ['a 16-digit bank card', '卡号6222021234567890', '卡号622202******7890'],
    ['a mobile written with spaces', '138 1234 5678', '138 **** 5678'],
    ['a mobile written with hyphens', '138-1234-5678', '138-****-5678'],
    ['a bank card in groups of four', '6222 0212 3456 7890 123', '6222 02** **** ***0 123'],
    ['full-width digits', '１３８１２３４５６７８', '１３８****５６７８'],
    ['a mobile in Chinese numerals', '一三八一二三四五六七八', '一三八****五六七八'],
    ['Chinese numerals with 幺 and spaces', '幺三八 一二三四 五六七八', '幺三八 **** 五六七八'],
    ['Chinese numerals with 零 and 两', '一三九零零两两五五六六', '一三九****五五六六'],
    ['a 7-digit number keeps the last two', '工号1234567', '工号*****67'],
    ['an 8-digit landline', '电话 87654321', '电话 ******21'],
    ['two numbers in one text', '手机13812345678，身份证11010519491231002X', '手机138****5678，身份证110105********002X'],
  ])('masks %s', (_name, input, want) => {
    expect(maskPersonalNumbers(input)).toBe(want);
  });

  it.each([
    ['an order amount', '订单金额299元'],
    ['a year', '2026年3月1日'],
    ['an amount and a year with a word between', '订单 299 元 2026 年'],
    ['a six-digit code', '验证码是 123456'],
    ['a short run of Chinese numerals', '三五个人一二三'],
    ['a decimal amount', '退款 1299.50 元'],
    ['a time', '10:30 再联系'],
    ['a date with hyphens', '2026-03-01 到期'],
    ['short figures joined by spaces', '订单 299 2026'],
    ['plain text', '您好，很高兴为您服务'],
    ['empty text', ''],
  ])('leaves %s unchanged', (_name, input) => {
    expect(maskPersonalNumbers(input)).toBe(input);
  });

  it('keeps the length of the text', () => {
    const input = '请核对：手机 138 1234 5678，卡号 6222021234567890123，身份证 11010519491231002X。';
    const masked = maskPersonalNumbers(input);
    expect(masked.length).toBe(input.length);
    expect(masked).toBe('请核对：手机 138 **** 5678，卡号 622202*********0123，身份证 110105********002X。');
  });

  it('leaves no run of seven or more visible digits behind', () => {
    const input = '13812345678，11010519491231002X，6222021234567890123，一三八一二三四五六七八';
    expect(maskPersonalNumbers(input)).not.toMatch(/[0-9一二三四五六七八九零](?:[ -]?[0-9一二三四五六七八九零]){6,}/);
  });

  it('is idempotent', () => {
    const once = maskPersonalNumbers('13812345678 和 6222021234567890123');
    expect(maskPersonalNumbers(once)).toBe(once);
  });

  it.each([
    ['two numbers side by side are masked one by one', '13812345678 6222021234567890123', '138****5678 622202*********0123'],
    ['an area code and a landline', '电话：010-88886666', '电话：010-******66'],
    ['a spoken mobile in groups of Chinese numerals', '一三八 一二三四 五六七八', '一三八 **** 五六七八'],
  ])('%s', (_name, input, output) => {
    expect(maskPersonalNumbers(input)).toBe(output);
  });
});

describe('maskErrorMessage', () => {
  it('keeps the byte offset a decoding error names (the place in the file), whatever its size', () => {
    const utf8 = 'not valid UTF-8: byte 0xff at byte offset 12345670 (save the file as UTF-8)';
    expect(maskPersonalNumbers(utf8)).not.toContain('12345670');
    expect(maskErrorMessage(utf8)).toBe(utf8);
    const gb = "not valid GB18030: byte 0xc4 at byte offset 13912345678 (say the file's encoding with --encoding)";
    expect(maskErrorMessage(gb)).toBe(gb);
  });

  it('is applied once, by the report directory, to both errors.csv and results.jsonl', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'callqa-mask-'));
    try {
      const report = await ReportDir.open(dir, { ruleIds: [] }, { bom: false });
      const utf8 = 'not valid UTF-8: byte 0xff at byte offset 12345670 (call 13912345678)';
      const record = await report.addError({ source: 'day.jsonl', line: 2345, error: utf8 });
      await report.commit([]);
      const masked = `not valid UTF-8: byte 0xff at byte offset 12345670 (call ${maskPersonalNumbers('13912345678')})`;
      expect(record).toEqual({ type: 'error', schema_version: 2, source: 'day.jsonl', line: 2345, error: masked });
      expect(await readFile(join(dir, 'errors.csv'), 'utf8')).toBe(`source,line,error\r\nday.jsonl,2345,${masked}\r\n`);
      expect(JSON.parse(await readFile(join(dir, 'results.jsonl'), 'utf8'))).toEqual(record);
      // The row is written from the masked error as it is.
      expect(errorRow({ source: 'day.jsonl', line: 2345, error: masked })).toEqual(['day.jsonl', 2345, masked]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('masks personal numbers everywhere else in an error, also after an offset and where input text imitates one', () => {
    expect(maskErrorMessage('not valid UTF-8: byte 0xff at byte offset 1234567 (call 13912345678)')).toBe(
      `not valid UTF-8: byte 0xff at byte offset 1234567 (call ${maskPersonalNumbers('13912345678')})`,
    );
    const quoted = 'segments[0].speaker: unknown speaker "byte offset 13912345678"';
    expect(maskErrorMessage(quoted)).toBe(maskPersonalNumbers(quoted));
    expect(maskErrorMessage(quoted)).not.toContain('13912345678');
  });
});
