import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsv, runCli, tempDir } from '../helpers/cli.js';

const DIR = 'fixtures/formats/callqa-json';
const SPEECH_RULES = ['speech-rate', 'hangup-order', 'dead-air', 'interruption', 'answer-speed'];

describe('callqa score on written conversations (callqa-json messages)', () => {
  let out: string;
  let run: Awaited<ReturnType<typeof runCli>>;
  let calls: Map<string, Record<string, string>>;

  beforeAll(async () => {
    out = join(await tempDir(), 'chat');
    run = await runCli(['score', DIR, 'fixtures/calls/c1001-broadband-outage.json', '--out', out, '-q', '--lang', 'en']);
    calls = new Map((await readCsv(join(out, 'calls.csv'))).map((c) => [c.call_id as string, c]));
  });

  it('scores the chat with channel chat, and the social thread (seconds from the start) with channel social', () => {
    // 3: a bad input is listed in errors.csv; the conversations that read are scored.
    expect(run.code).toBe(3);
    expect(calls.get('CHAT-20260311-0042')).toMatchObject({ channel: 'chat', duration_seconds: '300', agent_chars_per_minute: '', role_source: 'given' });
    expect(calls.get('SOC-0311-07')).toMatchObject({ channel: 'social', duration_seconds: '480' });
  });

  it('answers n/a for the rules that measure speech, whatever the timing of the messages', () => {
    for (const id of ['CHAT-20260311-0042', 'SOC-0311-07']) {
      expect(SPEECH_RULES.map((r) => calls.get(id)?.[r])).toEqual(SPEECH_RULES.map(() => 'n/a'));
    }
  });

  it('judges the wording rules on the written text', async () => {
    expect(calls.get('CHAT-20260311-0042')).toMatchObject({ 'banned-phrases': 'pass', courtesy: 'pass', 'colloquial-words': 'pass', privacy: 'pass' });
    const findings = (await readCsv(join(out, 'findings.csv'))).filter((f) => f.call_id === 'CHAT-20260311-0042');
    // The greeting is in the agent's first reply (43 s after the customer wrote): judged on its words and time.
    expect(findings.find((f) => f.rule === 'greeting')).toMatchObject({
      at_seconds: '43',
      evidence: '您好，很高兴为您服务，我是在线客服刘洋。请您提供一下订单号，我帮您查询。',
    });
    expect(findings.filter((f) => SPEECH_RULES.includes(f.rule as string))).toEqual([]);
  });

  it('lists a message with a time in no known form as an error naming its place', async () => {
    const errors = await readCsv(join(out, 'errors.csv'));
    expect(errors).toEqual([
      {
        source: `${DIR}/chat-threads.jsonl`,
        line: '2',
        error: 'messages[1].time: expected ISO 8601 (with an offset or Z) or seconds from the start, got "昨天 11:01"',
      },
    ]);
  });

  it('keeps the channel in results.jsonl for written service, and none for a voice call', async () => {
    const records = (await readFile(join(out, 'results.jsonl'), 'utf8'))
      .split('\n')
      .filter((l) => l.includes('"type":"call"'))
      .map((l) => JSON.parse(l) as { callId: string; channel?: string; startedAt?: string });
    const byId = new Map(records.map((r) => [r.callId, r]));
    expect(byId.get('CHAT-20260311-0042')).toMatchObject({ channel: 'chat', startedAt: '2026-03-11T10:02:05+08:00' });
    expect(byId.get('SOC-0311-07')?.channel).toBe('social');
    expect(byId.get('C-1001')).toBeDefined();
    expect('channel' in (byId.get('C-1001') ?? {})).toBe(false);
  });

  it('leaves a voice call as it was: channel empty, its speech rules checked', () => {
    const voice = calls.get('C-1001');
    expect(voice?.channel).toBe('');
    expect(voice?.['speech-rate']).not.toBe('n/a');
  });

  it('reads the results back: callqa report writes the same channel column', async () => {
    const again = join(await tempDir(), 'again');
    const report = await runCli(['report', out, '--out', again, '-q', '--lang', 'en']);
    // 3, as score: the input problem of the run is listed again.
    expect(report.code).toBe(3);
    const rows = await readCsv(join(again, 'calls.csv'));
    expect(rows.map((r) => [r.call_id, r.channel]).sort()).toEqual([
      ['C-1001', ''],
      ['CHAT-20260311-0042', 'chat'],
      ['SOC-0311-07', 'social'],
    ]);
  });
});
