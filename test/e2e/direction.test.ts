import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsv, runCli, tempDir } from '../helpers/cli.js';

/** A diarised outbound call (faster-whisper segments): the customer picks up and says who they are; the agent names nothing. */
const OUTBOUND = [
  { start: 0.4, end: 2.1, text: '喂，你好，我是张伟。', speaker: 'SPEAKER_00' },
  { start: 2.6, end: 6.8, text: '张先生您好，您家的宽带最近用得怎么样？', speaker: 'SPEAKER_01' },
  { start: 7.2, end: 9.0, text: '还行吧。', speaker: 'SPEAKER_00' },
];
/** The Alibaba case: the customer answers 喂 first, the agent names the organisation. */
const ANSWERED = [
  { start: 0.3, end: 0.9, text: '喂？', speaker: 'SPEAKER_00' },
  { start: 1.4, end: 6.0, text: '喂您好，我这边是星辰通信的客户经理，请问是李女士吗？', speaker: 'SPEAKER_00b' },
  { start: 6.4, end: 7.5, text: '是我，什么事？', speaker: 'SPEAKER_00' },
];

describe('--direction', () => {
  let dir: string;
  let reports: string;
  beforeAll(async () => {
    dir = await tempDir();
    reports = await tempDir();
    await writeFile(join(dir, 'out-1.json'), JSON.stringify(OUTBOUND));
    await writeFile(join(dir, 'out-2.json'), JSON.stringify(ANSWERED));
  });

  const score = async (out: string, ...flags: string[]) => {
    const run = await runCli(['score', dir, '--out', join(reports, out), '-q', ...flags]);
    expect(run.stderr).toBe('');
    const calls = await readCsv(join(reports, out, 'calls.csv'));
    return Object.fromEntries(calls.map((c) => [c.call_id, c]));
  };

  it('without it, the greeting (你好 + 我是张伟) makes the customer who picked up the agent; the customer who said 喂 is found by the cues', async () => {
    const calls = await score('plain');
    expect([calls['out-1']?.role_source, calls['out-1']?.direction]).toEqual(['greeting', '']);
    expect(calls['out-2']?.role_source).toBe('identification');
  });

  it('score --direction outbound: the first speaker who said 喂 is the customer, the same on one thread and on workers', async () => {
    for (const jobs of ['1', '2']) {
      const calls = await score(`outbound-${jobs}`, '--direction', 'outbound', '--jobs', jobs);
      expect([calls['out-1']?.role_source, calls['out-1']?.direction], `--jobs ${jobs}`).toEqual(['direction', 'outbound']);
      expect([calls['out-2']?.role_source, calls['out-2']?.direction], `--jobs ${jobs}`).toEqual(['identification', 'outbound']);
    }
    const findings = await readCsv(join(reports, 'outbound-2', 'findings.csv'));
    // The greeting finding quotes the agent (SPEAKER_01), not the customer.
    expect(findings.find((f) => f.call_id === 'out-1' && f.rule === 'greeting')?.evidence).toBe('张先生您好，您家的宽带最近用得怎么样？');
  });

  it('explain --direction outbound shows the roles it gives', async () => {
    const run = await runCli(['explain', join(dir, 'out-1.json'), '--direction', 'outbound']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('角色：据呼叫方向判断');
    expect(run.stdout).toContain('00:00  客户  喂，你好，我是张伟。');
    expect(run.stdout).toContain('00:02  坐席  张先生您好，您家的宽带最近用得怎么样？');
  });

  it('takes only inbound or outbound (exit 2)', async () => {
    const run = await runCli(['score', dir, '--out', join(reports, 'bad'), '--direction', 'sideways']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("error: option '--direction <direction>' argument 'sideways' is invalid. Allowed choices are inbound, outbound.");
  });
});
