import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeHtmlReport } from '../../src/render/html/index.js';
import type { CallRecord, RunInfo } from '../../src/results/codec.js';
import { tempDir } from '../helpers/temp.js';

/** run.json of a rubric with an llm section: it names the model whether or not --llm was given. */
const run: RunInfo = {
  schema_version: 1,
  callqaVersion: '0.1.0',
  rubric: { name: '标准', path: '/r.yaml', sha256: 'abc', passScore: 80, advice: {} },
  llm: { model: 'rubric-model-x', promptVersion: 'p1', criteria: [{ id: 'empathy', question: '?', maxScore: 5 }] },
  layout: { ruleIds: ['greeting'], criteria: ['empathy'] },
  inputs: { files: 1, calls: 1, failed: 0, skipped: 0 },
  startedAt: '2026-11-01T00:00:00Z',
  endedAt: '2026-11-01T00:01:00Z',
  command: ['score', 'x'],
};

function record(llm?: CallRecord['llm']): CallRecord {
  return {
    callId: 'C-1',
    agentId: 'A1',
    agentName: '王芳',
    source: 'a.json',
    hangupBy: 'customer',
    roleSource: 'given',
    score: 90,
    passed: true,
    outcomes: { greeting: 'pass' },
    findings: [],
    criticalFailures: [],
    ruleErrors: [],
    type: 'call',
    schema_version: 1,
    seq: 0,
    utterances: [{ speaker: 'agent', start: 0, end: 3, text: '您好' }],
    ...(llm ? { llm } : {}),
  };
}

async function header(records: CallRecord[]): Promise<string> {
  const dir = await tempDir('callqa-html-llm-');
  await writeFile(join(dir, 'run.json'), JSON.stringify(run));
  await writeFile(join(dir, 'results.jsonl'), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  await writeHtmlReport(dir);
  const html = await readFile(join(dir, 'report.html'), 'utf8');
  return html.slice(html.indexOf('<p class="meta">Rubric'), html.indexOf('</p>', html.indexOf('<p class="meta">Rubric')));
}

describe('report.html names the LLM model only where calls were graded', () => {
  it('names none for a run without --llm, though run.json has the rubric model', async () => {
    const meta = await header([record()]);
    expect(meta).toContain('callqa 0.1.0 · input files: 1,');
    expect(meta).not.toContain('LLM');
    expect(meta).not.toContain('rubric-model-x');
  });

  it('names the model that graded the calls', async () => {
    const graded = record({ status: 'ok', model: 'claude-x', requests: 1, grades: [] });
    expect(await header([graded])).toContain('callqa 0.1.0 · LLM: claude-x · input files: 1,');
    const skipped = record({ status: 'n/a', model: 'claude-y', requests: 0 } as CallRecord['llm']);
    expect(await header([skipped])).not.toContain('LLM');
  });
});
