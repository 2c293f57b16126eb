import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findResumable, RESUME_FILE } from '../../src/results/resume.js';
import { OutDir } from '../../src/run/out-dir.js';
import { tempDir } from '../helpers/cli.js';

describe('--resume when a killed run had this run’s process id', () => {
  it('moves the killed run’s staging directory aside instead of emptying it, and resumes from it', async () => {
    const dir = await tempDir();
    const out = join(dir, 'out');
    // What a run with this very pid left when it was killed: its staging directory, marker and partial results.
    const killed = join(dir, `.out.callqa-new-${process.pid}`);
    await mkdir(killed);
    await writeFile(join(killed, RESUME_FILE), JSON.stringify({ rubricSha256: 'abc' }));
    const line = `${JSON.stringify({ type: 'error', schema_version: 1, source: 'a.json', error: 'x' })}\n`;
    await writeFile(join(killed, `.results.jsonl.${process.pid}.partial`), line);

    const opened = await OutDir.open(out, true);
    try {
      expect(opened.interrupted).toHaveLength(1);
      const [aside] = opened.interrupted as [string];
      expect(aside).not.toBe(killed);
      expect(aside).toMatch(new RegExp(`\\.out\\.callqa-new-${process.pid}\\d{13}$`));
      expect((await readdir(aside)).sort()).toEqual([`.results.jsonl.${process.pid}.partial`, RESUME_FILE].sort());
      // This run's own staging directory is new and empty.
      expect(opened.staging).toBe(killed);
      expect(await readdir(opened.staging)).toEqual([]);
      const found = await findResumable(out, 'abc', opened.interrupted);
      expect(found).toMatchObject({ path: join(aside, `.results.jsonl.${process.pid}.partial`) });
      expect(await readFile(join(aside, `.results.jsonl.${process.pid}.partial`), 'utf8')).toBe(line);
    } finally {
      await opened.abandon();
    }
  });
});
