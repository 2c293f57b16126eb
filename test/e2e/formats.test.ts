import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsv, runCli, tempDir } from '../helpers/cli.js';
import { type Rendered, SAMPLE } from '../helpers/conversation.js';
import { render as alibaba } from '../helpers/render/alibaba.js';
import { render as awsCallAnalytics } from '../helpers/render/aws-call-analytics.js';
import { render as awsTranscribe } from '../helpers/render/aws-transcribe.js';
import { render as callqaJson } from '../helpers/render/callqa-json.js';
import { render as csvExport } from '../helpers/render/csv-export.js';
import { render as pca } from '../helpers/render/pca.js';
import { render as srt } from '../helpers/render/srt.js';
import { render as vtt } from '../helpers/render/vtt.js';
import { render as whisper } from '../helpers/render/whisper.js';

/** Every voice format (chat has no durations, so it cannot carry a speech rate). */
const RENDERERS: Record<string, (c: typeof SAMPLE) => Rendered> = {
  'callqa-json': callqaJson,
  alibaba,
  'aws-call-analytics': awsCallAnalytics,
  pca,
  'aws-transcribe': awsTranscribe,
  whisper,
  vtt,
  srt,
  'csv-export': csvExport,
};

/** What must not depend on the format: every column (every rule of the default rubric included) but where the call came from and how its roles were found. */
const DIFFERS = new Set(['source', 'role_source']);

describe('the same conversation in every format', () => {
  const rows: Record<string, Record<string, string>> = {};
  const findings: Record<string, string[]> = {};
  let dir: string;

  beforeAll(async () => {
    dir = await tempDir();
    const metadata = join(dir, 'calls.csv');
    // Transcripts rarely say who hung up or who the agent is: call records do.
    await writeFile(metadata, `call_id,agent_id,agent_name,hangup_by\n${SAMPLE.id},A1001,王芳,customer\n`);
    await Promise.all(
      Object.entries(RENDERERS).map(async ([name, render]) => {
        const r = render(SAMPLE);
        const folder = join(dir, name);
        await mkdir(folder);
        await writeFile(join(folder, r.fileName), r.content);
        const out = join(dir, `out-${name}`);
        const run = await runCli(['score', join(folder, r.fileName), '--out', out, '-q', ...r.args, '--metadata', metadata]);
        if (run.code !== 0) throw new Error(`${name}: exit ${run.code}\n${run.stderr}`);
        const [row] = await readCsv(join(out, 'calls.csv'));
        rows[name] = row as Record<string, string>;
        findings[name] = (await readCsv(join(out, 'findings.csv'))).map((f) => [f.rule, f.at_seconds, f.deduction, f.message].join(' | '));
      }),
    );
    // A run per format at once, each scoring on a worker of its own: more than the default 10 s on a busy machine.
  }, 60_000);

  it('is scored the same whatever the format', () => {
    const pick = (row: Record<string, string> | undefined) => Object.fromEntries(Object.entries(row ?? {}).filter(([k]) => !DIFFERS.has(k)));
    const reference = pick(rows['callqa-json']);
    expect(reference).toMatchObject({
      call_id: 'X-1',
      agent_id: 'A1001',
      hangup_by: 'customer',
      'banned-phrases': 'fail',
      greeting: 'pass',
      'speech-rate': 'pass',
    });
    for (const name of Object.keys(RENDERERS)) expect({ format: name, ...pick(rows[name]) }).toEqual({ format: name, ...reference });
  });

  it('gives the same findings, at the same times', () => {
    expect(findings['callqa-json']).toContain('banned-phrases | 24.9 | 5 | 使用了服务禁语“不知道”');
    for (const name of Object.keys(RENDERERS)) expect({ format: name, findings: findings[name] }).toEqual({ format: name, findings: findings['callqa-json'] });
  });

  it('says how each format told the agent apart', () => {
    const sources = Object.fromEntries(Object.entries(rows).map(([name, row]) => [name, row.role_source]));
    expect(sources['callqa-json']).toBe('given');
    expect(sources['csv-export']).toBe('given');
    for (const source of Object.values(sources)) expect(['given', 'flag', 'greeting']).toContain(source);
  });
});
