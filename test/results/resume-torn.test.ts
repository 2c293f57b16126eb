import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findResumable, RESUME_FILE, ResumeReader, wholeLinesEnd } from '../../src/results/resume.js';
import { tempDir } from '../helpers/cli.js';

const record = (source: string, error: string) => `${JSON.stringify({ type: 'error', schema_version: 1, source, error })}\n`;

/** A killed run's staging directory with its marker and partial results. */
async function killedRun(text: string | Buffer): Promise<{ out: string; staging: string; partial: string }> {
  const dir = await tempDir();
  const staging = join(dir, '.out.callqa-new-4242');
  await mkdir(staging);
  await writeFile(join(staging, RESUME_FILE), JSON.stringify({ rubricSha256: 'abc' }));
  const partial = join(staging, '.results.jsonl.4242.partial');
  await writeFile(partial, text);
  return { out: join(dir, 'out'), staging, partial };
}

describe('--resume after a run killed in the middle of a write', () => {
  it('reads the partial results up to their last whole line: the torn record is not read, and its input is scored again', async () => {
    const whole = record('a.json', 'one') + record('b.json', 'two') + record('c.json', 'three');
    const torn = `${whole}${record('d.json', 'four').slice(0, 30)}`;
    const { out, staging, partial } = await killedRun(torn);
    expect(await wholeLinesEnd(partial)).toBe(Buffer.byteLength(whole));
    const found = await findResumable(out, 'abc', [staging]);
    if (!('done' in found)) throw new Error(`refused: ${found.refused}`);
    // c.json, the last whole input, may have stopped half way: it is scored again, as d.json is.
    expect([...found.done]).toEqual(['a.json', 'b.json']);
    expect(found.end).toBe(Buffer.byteLength(whole));
    const reader = new ResumeReader(found.path, found.end);
    const taken = [];
    for await (const r of reader.take('c.json')) taken.push(r.source);
    expect(taken).toEqual(['c.json']);
    expect((await reader.take('d.json').next()).done).toBe(true);
  });

  it('drops half a character at the end as it drops half a record', async () => {
    const whole = record('甲.json', '错误');
    const bytes = Buffer.concat([Buffer.from(whole), Buffer.from(record('乙.json', '错误')).subarray(0, 14)]);
    const { out, staging, partial } = await killedRun(bytes);
    expect(await wholeLinesEnd(partial)).toBe(Buffer.byteLength(whole));
    const found = await findResumable(out, 'abc', [staging]);
    expect('done' in found && [...found.done]).toEqual([]);
  });

  it('finds the last line end across more than one 64 KiB block, and none in a file of one torn line', async () => {
    const long = record('long.json', 'x'.repeat(200_000));
    const { partial } = await killedRun(`${long}${'y'.repeat(100_000)}`);
    expect(await wholeLinesEnd(partial)).toBe(Buffer.byteLength(long));
    const { out, staging, partial: only } = await killedRun('{"type":"error","sch');
    expect(await wholeLinesEnd(only)).toBe(0);
    expect(await findResumable(out, 'abc', [staging])).toMatchObject({ end: 0, done: new Set() });
  });
});
