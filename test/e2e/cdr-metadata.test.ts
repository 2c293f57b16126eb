import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsv, runCli, tempDir } from '../helpers/cli.js';

const META = 'fixtures/formats/metadata';
const SRT = 'fixtures/formats/srt';

/** results.jsonl's ringSeconds by call id (calls.csv has no ring column). */
async function ringSeconds(out: string): Promise<Map<string, number | undefined>> {
  const lines = (await readFile(join(out, 'results.jsonl'), 'utf8')).split('\n').filter((l) => l.startsWith('{"callId"'));
  return new Map(lines.map((l) => JSON.parse(l) as { callId: string; ringSeconds?: number }).map((r) => [r.callId, r.ringSeconds]));
}

describe('score --metadata with FreeSWITCH XML and Asterisk CDRs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('callqa-cdr-e2e-');
  });

  it('joins a folder of XML CDRs (both legs) and both kinds of Asterisk CDR to their transcripts', async () => {
    const out = join(dir, 'joined');
    const run = await runCli([
      'score',
      `${SRT}/yf-0416-address-change.srt`,
      `${SRT}/xc-0418-plan-tw.srt`,
      `${SRT}/hx-0422-english.srt`,
      '--metadata',
      `${META}/freeswitch-xml-cdr`,
      '--metadata',
      `${META}/asterisk-cdr-csv/Master.csv`,
      '--metadata',
      `${META}/asterisk-cdr-export.csv`,
      '--out',
      out,
      '-q',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const calls = Object.fromEntries((await readCsv(join(out, 'calls.csv'))).map((c) => [c.call_id, c]));
    // The XML legs: the customer's (send_bye: the agent ended it) and the agent's (recv_bye), queue URL-decoded.
    expect(calls['yf-0416-address-change']).toMatchObject({
      agent_id: '3001',
      hangup_by: 'agent',
      'hangup-order': 'fail',
      queue: '改址服务@default',
      direction: 'inbound',
    });
    // Master.csv: the agent from the answered row's dstchannel (PJSIP/agent-8001-…); no hangupsource column: unknown.
    expect(calls['xc-0418-plan-tw']).toMatchObject({ agent_id: 'agent-8001', hangup_by: 'unknown', 'hangup-order': 'n/a' });
    // The export joins by linkedid; hangupsource is the agent's channel.
    expect(calls['hx-0422-english']).toMatchObject({ agent_id: 'agent-8101', hangup_by: 'agent', 'hangup-order': 'fail' });
    // Ring time: the agent's leg, read after the customer's, says how long the agent's phone rang (3 s);
    // Asterisk: duration − billsec.
    expect(Object.fromEntries(await ringSeconds(out))).toEqual({ 'yf-0416-address-change': 3, 'xc-0418-plan-tw': 24, 'hx-0422-english': 5 });
    // The unanswered and other calls' rows match no transcript and are listed.
    const unmatched = (await readCsv(join(out, 'unmatched.csv'))).map((u) => [u.kind, u.call_id, u.line]);
    expect(unmatched).toEqual([
      ['metadata-without-call', '1776477731.18', '1'],
      ['metadata-without-call', '1776478840.25', '3'],
      ['metadata-without-call', '1776844330.40', '3'],
    ]);
  }, 60_000);

  it('lists bad CDRs of a folder and a Master.csv row cut short in errors.csv with file and line (exit 3)', async () => {
    const cdrs = join(dir, 'xml_cdr');
    await mkdir(cdrs);
    await copyFile(`${META}/freeswitch-xml-cdr/a_yf-0416-address-change.cdr.xml`, join(cdrs, 'a_yf-0416-address-change.cdr.xml'));
    await writeFile(join(cdrs, 'a_broken.cdr.xml'), '<?xml version="1.0"?>\n<cdr>\n  <variables>\n    <uuid>x</uid>\n  </variables>\n</cdr>\n');
    await writeFile(join(cdrs, 'a_no-uuid.cdr.xml'), '<?xml version="1.0"?>\n<cdr>\n  <variables>\n    <billsec>3</billsec>\n  </variables>\n</cdr>\n');
    const master = join(dir, 'Master.csv');
    const good =
      '"","1001","2001","agents","clid","SIP/trunk-0000000a","SIP/8001-0000000b","Dial","SIP/8001","2026-04-18 09:00:00","2026-04-18 09:00:04","2026-04-18 09:00:24",24,20,"ANSWERED","DOCUMENTATION","1.1",""';
    // A row cut short (a disk that filled up mid-write): the first row says the file is a Master.csv.
    await writeFile(master, `${good}\n"","1001","2001","agents","clid","SIP/trunk-0000000c","SIP/8001-0000000d","Dial"\n`);
    const out = join(dir, 'errors');
    const run = await runCli(['score', `${SRT}/yf-0416-address-change.srt`, '--metadata', cdrs, '--metadata', master, '--lang', 'en', '--out', out, '-q']);
    expect(run.code).toBe(3);
    const errors = (await readCsv(join(out, 'errors.csv'))).map((e) => [e.source, e.line, e.error]);
    expect(errors).toEqual([
      [join(cdrs, 'a_broken.cdr.xml'), '4', expect.stringMatching(/^not well-formed XML \(column \d+\): /)],
      [join(cdrs, 'a_no-uuid.cdr.xml'), '3', expect.stringContaining('no call id')],
      [master, '2', 'expected 16–21 fields as Master.csv has them, got 8'],
    ]);
    expect((await readCsv(join(out, 'calls.csv')))[0]).toMatchObject({ agent_id: '3001', hangup_by: 'agent' });
  }, 60_000);
});
