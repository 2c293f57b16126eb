import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir } from '../helpers/cli.js';

const HOOKS = join(ROOT, 'test', 'helpers', 'module-log.mjs');

/** Runs callqa with module hooks that list every module it imports (main thread and workers); resolves to that list. */
async function modulesLoaded(args: string[]): Promise<{ code: number | null; urls: string[] }> {
  const log = join(await tempDir(), 'modules.log');
  const { code } = await runCli(args, { node: ['--import', HOOKS], env: { CALLQA_MODULE_LOG: log } });
  const urls = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  return { code, urls };
}

describe('what a run loads', () => {
  it('scores with rules only without loading the Anthropic SDK or the Excel writer', async () => {
    const out = join(await tempDir(), 'out');
    const { code, urls } = await modulesLoaded(['score', join(ROOT, 'fixtures', 'calls'), '--out', out, '-q', '--jobs', '2']);
    expect(code).toBe(0);
    // The hooks saw the run: the scoring code, the workers' code and the YAML reader.
    expect(urls.some((u) => u.endsWith('/dist/commands/score.js'))).toBe(true);
    expect(urls.some((u) => u.endsWith('/dist/pipeline/worker.js'))).toBe(true);
    expect(urls.some((u) => u.includes('/node_modules/yaml/'))).toBe(true);
    expect(urls.filter((u) => u.includes('/node_modules/@anthropic-ai/sdk/') || u.includes('/dist/llm/run.js'))).toEqual([]);
    expect(urls.filter((u) => u.includes('/node_modules/exceljs/'))).toEqual([]);
  });

  it("loads the model's code and the SDK for --llm (a dry run builds the requests and sends none)", async () => {
    const out = join(await tempDir(), 'out');
    const { urls } = await modulesLoaded([
      'score',
      join(ROOT, 'fixtures', 'calls', 'c1001-broadband-outage.json'),
      '--out',
      out,
      '-q',
      '--llm',
      '--llm-dry-run',
      '--no-llm-cache',
    ]);
    expect(urls.some((u) => u.endsWith('/dist/llm/run.js'))).toBe(true);
    expect(urls.some((u) => u.includes('/node_modules/@anthropic-ai/sdk/'))).toBe(true);
  });
});
