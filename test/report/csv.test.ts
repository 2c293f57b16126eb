import type { WriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CsvFile, cellText, neutralise, TextFile } from '../../src/render/csv.js';
import { clock } from '../../src/util/format.js';

describe('neutralise', () => {
  it.each([
    ['=SUM(A1:A3)', "'=SUM(A1:A3)"],
    ['+86 138', "'+86 138"],
    ['-cmd', "'-cmd"],
    ['@IMPORT', "'@IMPORT"],
    ['\t=1', "'\t=1"],
    ['＝HYPERLINK("x")', '\'＝HYPERLINK("x")'],
    ['-5', '-5'],
    ['+3.5', '+3.5'],
    ['您好=', '您好='],
    ['', ''],
  ])('%j → %j', (input, output) => expect(neutralise(input)).toBe(output));

  it('formats cells', () => {
    expect([cellText(undefined), cellText(null), cellText(true), cellText(false), cellText(12.5), cellText(Number.NaN)]).toEqual([
      '',
      '',
      'true',
      'false',
      '12.5',
      '',
    ]);
  });
});

describe('clock', () => {
  it.each([
    [0, '00:00'],
    [9.9, '00:09'],
    [65.2, '01:05'],
    [4503, '75:03'],
  ])('%d s → %s', (s, text) => expect(clock(s)).toBe(text));
});

describe('CsvFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'callqa-csv-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes RFC 4180 with a BOM, CRLF rows and quotes where needed, and appears only on commit', async () => {
    const file = new CsvFile(dir, 'x.csv', ['a', 'b'], { bom: true });
    await file.write(['多行\n文本', '引号"和,逗号']);
    await file.write([1, '=1+1']);
    await file.close();
    expect(await readdir(dir)).toEqual([`.x.csv.${process.pid}.partial`]);
    await file.commit();
    expect(await readdir(dir)).toEqual(['x.csv']);
    const bytes = await readFile(join(dir, 'x.csv'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text).toBe('a,b\r\n"多行\n文本","引号""和,逗号"\r\n1,\'=1+1\r\n');
    expect(parse(text)).toEqual([
      ['a', 'b'],
      ['多行\n文本', '引号"和,逗号'],
      ['1', "'=1+1"],
    ]);
  });

  it('writes no BOM when asked', async () => {
    const file = new CsvFile(dir, 'y.csv', ['a'], { bom: false });
    await file.close();
    await file.commit();
    expect(await readFile(join(dir, 'y.csv'), 'utf8')).toBe('a\r\n');
  });

  it('a file whose writes fail (a full disk) fails the run instead of waiting for it forever', async () => {
    const file = new TextFile(dir, 'full.txt');
    await file.writeText('x'); // opened
    // More than the stream takes at once: the next flush waits for it to drain, and the disk fails meanwhile.
    const writing = file.writeText('x'.repeat(100_000));
    (file as unknown as { stream: WriteStream }).stream.destroy(new Error('ENOSPC: no space left on device'));
    await writing;
    await expect(file.writeText('more')).rejects.toThrow(/ENOSPC/);
    await expect(file.close()).rejects.toThrow(/ENOSPC/);
    await file.discard();
    expect(await readdir(dir)).toEqual([]);
  });

  it('discard leaves nothing behind, even before the file has finished opening', async () => {
    // A stream still opening creates its file after the discard's rm unless discard waits for it to close.
    for (let k = 0; k < 20; k++) await new CsvFile(dir, `early-${k}.csv`, ['a'], { bom: true }).discard();
    expect(await readdir(dir)).toEqual([]);
  });

  it('discard leaves nothing behind', async () => {
    const file = new CsvFile(dir, 'z.csv', ['a'], { bom: true });
    await file.write(['x']);
    await file.discard();
    expect(await readdir(dir)).toEqual([]);
  });
});
