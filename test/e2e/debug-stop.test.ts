import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

// CALLQA_DEBUG_STOP_AFTER lets the benchmark time the run without its later stages (bench/run.mjs).
const INPUTS = ['fixtures/calls', 'fixtures/broken'];

describe('CALLQA_DEBUG_STOP_AFTER', () => {
  for (const stop of ['read', 'rules'] as const) {
    for (const jobs of ['1', '2']) {
      it(`=${stop} with --jobs ${jobs}: every call stops there, nothing is counted or written, and the run says so`, async () => {
        const out = join(await tempDir(), 'out');
        const run = await runCli(['score', ...INPUTS, '--out', out, '-q', '--jobs', jobs], { env: { CALLQA_DEBUG_STOP_AFTER: stop } });
        expect(run.stderr).toBe(
          `callqa: CALLQA_DEBUG_STOP_AFTER=${stop}: every call stopped after ${stop === 'read' ? 'it was read' : 'its rules'}; nothing written\n`,
        );
        expect(run.code).toBe(0);
        // The broken inputs' errors are left out too: no errors.csv, no report at all.
        expect(existsSync(out) ? await readdir(out) : []).toEqual([]);
      }, 60_000);
    }
  }

  it('any other value is no stop: the run scores and writes as ever', async () => {
    const out = join(await tempDir(), 'out');
    const run = await runCli(['score', ...INPUTS, '--out', out, '-q'], { env: { CALLQA_DEBUG_STOP_AFTER: 'everything' } });
    expect(run.stderr).not.toContain('CALLQA_DEBUG_STOP_AFTER');
    expect(existsSync(join(out, 'calls.csv'))).toBe(true);
    expect(existsSync(join(out, 'errors.csv'))).toBe(true);
  }, 60_000);
});
