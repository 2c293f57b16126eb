import { describe, expect, it } from 'vitest';
import { SCORE_DEFAULTS } from '../../src/commands/score-defaults.js';
import { runCli } from '../helpers/cli.js';

// `callqa score`'s defaults are set once (score-defaults.ts): the help shows those values, flag by flag.
describe('callqa score defaults', () => {
  it('shows each default of SCORE_DEFAULTS against its flag in --help', async () => {
    const run = await runCli(['score', '--help']);
    expect(run.code).toBe(0);
    // commander wraps long descriptions: read each option's block as one line.
    const blocks = new Map<string, string>();
    let flag = '';
    for (const line of run.stdout.split('\n')) {
      const m = /^\s{2}(?:-\w, )?(--[\w-]+)/.exec(line);
      if (m) flag = m[1] as string;
      if (flag) blocks.set(flag, `${blocks.get(flag) ?? ''} ${line.trim()}`);
    }
    const shown = (option: string) =>
      /\(default: ([^)]*)\)|default: ([^)]*)\)/
        .exec((blocks.get(option) ?? '').replace(/\s+/g, ' '))
        ?.slice(1)
        .find((v) => v !== undefined);
    expect(shown('--out')).toBe(JSON.stringify(SCORE_DEFAULTS.out));
    expect(shown('--llm-concurrency')).toBe(String(SCORE_DEFAULTS.llmConcurrency));
    expect(shown('--llm-timeout')).toBe(String(SCORE_DEFAULTS.llmTimeout));
    expect(shown('--llm-samples')).toBe(String(SCORE_DEFAULTS.llmSamples));
    expect(shown('--llm-cache')).toBe(JSON.stringify(SCORE_DEFAULTS.llmCache));
    expect(shown('--input-timeout')).toBe(String(SCORE_DEFAULTS.inputTimeout));
    expect(shown('--max-record-mb')).toBe(String(SCORE_DEFAULTS.maxRecordMb));
    expect(shown('--customer-leg')).toBe(JSON.stringify(SCORE_DEFAULTS.customerLeg));
    expect(shown('--resume')).toBe('false');
  });
});
