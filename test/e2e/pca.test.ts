import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsv, runCli, tempDir } from '../helpers/cli.js';

const FIXTURE = 'fixtures/formats/pca/AL-20260318-0917.wav.json';

describe('callqa score on AWS Post Call Analytics output', () => {
  let out: string;
  let run: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    out = join(await tempDir(), 'pca');
    run = await runCli(['score', FIXTURE, '--out', out, '-q']);
  });

  it('scores the call with the roles PCA labelled, the agent it named and the time the call took place', async () => {
    expect(run.code).toBe(0);
    const [call] = await readCsv(join(out, 'calls.csv'));
    expect(call).toMatchObject({
      call_id: 'AL-20260318-0917',
      agent_id: 'AL2065',
      role_source: 'given',
      duration_seconds: '94.2',
      agent_chars_per_minute: '138.1',
      score: '95',
      findings: '1',
      // The IVR prompt (IVRSegment) is not the agent's: the agent's own greeting at 5.6 s is.
      greeting: 'pass',
      'banned-phrases': 'fail',
      'speech-rate': 'pass',
      closing: 'pass',
      'hangup-order': 'n/a',
    });
  });

  it('finds the one thing a reviewer would: 不清楚 said to the customer', async () => {
    const findings = await readCsv(join(out, 'findings.csv'));
    expect(findings.map((f) => [f.rule, f.at, f.evidence])).toEqual([['banned-phrases', '00:38', '这个我不清楚，缴费记录我们这边查不了。']]);
  });
});
