import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeFileName } from '../../src/util/safe-name.js';

const HASHED = /^[^~]+~[0-9a-f]{12}$/u;

describe('safeFileName', () => {
  it.each(['A1001', 'K-3001', 'S4001_B', '王芳', '陳志豪', '林雅婷', 'ユウキ', '김민준', '7'])('keeps %j as it is', (id) => {
    expect(safeFileName(id)).toBe(id);
  });

  it.each([
    ['../x', '_x'],
    ['../../x', '_x'],
    ['/etc/passwd', '_etc_passwd'],
    ['a/b', 'a_b'],
    ['a\\b', 'a_b'],
    ['..', '_'],
    ['.', '_'],
    ['', '_'],
    ['\u0000', '_'],
    ['A1001\u0000.md', 'A1001_md'],
    ['CON', 'CON'],
    ['con', 'con'],
    ['NUL', 'NUL'],
    ['COM1', 'COM1'],
    ['LPT9', 'LPT9'],
    ['CON.txt', 'CON_txt'],
    ['a1001', 'a1001'],
    ['wang.fang', 'wang_fang'],
    ['王 芳', '王_芳'],
    ['艾力·买买提', '艾力_买买提'],
    ['-rf', '_rf'],
    ['_x', '_x'],
    ['A1001 ', 'A1001_'],
    ['A1001.', 'A1001_'],
    ['x~y', 'x_y'],
    ['\u202eexe.txt', '_exe_txt'],
    ['Ａ１００１', 'Ａ１００１'],
  ])('changes %j into %j plus a hash', (id, readable) => {
    const name = safeFileName(id);
    expect(name).toMatch(HASHED);
    expect(name.slice(0, name.indexOf('~'))).toBe(readable);
  });

  it('never yields a path: no separator, no dot, no control character, no leading dash', () => {
    const nasty = ['../x', '/etc/passwd', 'C:\\Windows\\x', 'a/../../b', '..\\..\\x', '\u0000', '\n', 'a:b', 'a*b?c"d<e>f|g', '~root', '.bashrc', '-', ' '];
    for (const id of nasty) {
      const name = safeFileName(id);
      expect(name, id).not.toMatch(/[/\\.:*?"<>|\p{Cc}]/u);
      expect(name.startsWith('-'), id).toBe(false);
      expect(name.startsWith('~'), id).toBe(false);
      expect(resolve('/reports/coaching', `${name}.md`)).toBe(`/reports/coaching/${name}.md`);
    }
  });

  it('keeps Chinese readable when it has to change the name', () => {
    expect(safeFileName('王芳/组长')).toMatch(/^王芳_组长~[0-9a-f]{12}$/);
  });

  it('bounds long ids to 96 bytes plus the hash, without splitting a character', () => {
    const long = '王'.repeat(300);
    const name = safeFileName(long);
    expect(name).toMatch(/^王{32}~[0-9a-f]{12}$/);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(96 + 13);
    expect(safeFileName('A'.repeat(96))).toBe('A'.repeat(96));
    expect(safeFileName('A'.repeat(97))).toMatch(/^A{96}~[0-9a-f]{12}$/);
    expect(safeFileName(`${'😀'.repeat(100)}王`)).toMatch(/^_王~[0-9a-f]{12}$/u);
  });

  it('maps different ids to different names, also case-insensitively', () => {
    const ids = [
      'A1001',
      'a1001',
      'A1001~',
      '../x',
      '..\\x',
      './x',
      '_x',
      '',
      '.',
      '..',
      'CON',
      'con',
      'Con',
      'wang.fang',
      'wang_fang',
      'Wang.Fang',
      '王 芳',
      '王_芳',
      '王　芳',
      'é',
      'e\u0301',
      'É',
      '\ud800',
      '\udc00',
      '한',
      '\u1112\u1161\u11ab',
      '豈',
      '\uf900',
      'A'.repeat(200),
      `${'A'.repeat(200)}B`,
    ];
    const names = ids.map(safeFileName);
    expect(new Set(names).size).toBe(ids.length);
    expect(new Set(names.map((n) => n.toLowerCase().normalize('NFC'))).size).toBe(ids.length);
  });

  it('gives the same name for the same id every time', () => {
    expect(safeFileName('../x')).toBe(safeFileName('../x'));
    // 12 hex digits of the SHA-256 of the id's UTF-16LE units.
    expect(safeFileName('a1001')).toBe('a1001~4a235007f44b');
  });

  describe('on a real file system', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'callqa-safe-name-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('writes every nasty id to its own file inside the folder', async () => {
      const ids = ['../x', '../../x', '/etc/passwd', 'a/b', '..', '.', '', '\u0000', 'CON', 'nul', 'A1001', 'a1001', '王芳', '王芳/'];
      for (const id of ids) {
        const path = join(dir, `${safeFileName(id)}.md`);
        expect(dirname(path)).toBe(dir);
        await writeFile(path, id);
      }
      expect((await readdir(dir)).length).toBe(ids.length);
    });
  });
});
