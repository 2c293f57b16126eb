import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsv, runCli, tempDir } from '../helpers/cli.js';

const META = 'fixtures/formats/metadata';

describe('scoring every bundled format with call records joined', () => {
  let out: string;
  let run: Awaited<ReturnType<typeof runCli>>;
  let calls: Record<string, Record<string, string>>;

  beforeAll(async () => {
    out = join(await tempDir(), 'formats');
    run = await runCli([
      'score',
      'fixtures/formats',
      '--out',
      out,
      '--metadata',
      `${META}/call-records.csv`,
      '--metadata',
      `${META}/contact-trace-records.jsonl`,
      '--metadata',
      `${META}/freeswitch-cdrs.json`,
    ]);
    calls = Object.fromEntries((await readCsv(join(out, 'calls.csv'))).map((c) => [c.call_id, c]));
  });

  it('reads every format (the broken fixtures are listed, exit 3)', () => {
    expect(run.code).toBe(3);
    const formats = new Set(Object.values(calls).map((c) => c.source?.split('/')[2]));
    expect([...formats].sort()).toEqual([
      'alibaba',
      'aws-call-analytics',
      'aws-transcribe',
      'callqa-json',
      'contact-lens-chat',
      'csv-export',
      'encodings',
      'pca',
      'srt',
      'vtt',
      'whisper',
    ]);
  });

  it('joins a Contact Lens call to its contact trace record', () => {
    expect(calls['3f6c2a81-9d4e-4b7a-a5c0-2e8f1d7b6c44']).toMatchObject({
      agent_id: 'B2001',
      hangup_by: 'agent',
      queue: '信用卡服务',
      direction: 'inbound',
      'hangup-order': 'fail',
      role_source: 'given',
    });
  });

  it('reads who hung up from FreeSWITCH legs, and finds the agent by the greeting', () => {
    expect(calls['star-broadband-whisperx']).toMatchObject({ agent_id: 'A1001', hangup_by: 'customer', queue: 'broadband@default', role_source: 'greeting' });
    // B-leg (the agent's) with send_bye: the switch hung up on the agent because the customer had. Its
    // own direction (outbound) is not the call's: the call's direction stays unknown.
    expect(calls['huaxin-faster-whisper-array']).toMatchObject({ hangup_by: 'customer', direction: '' });
  });

  it('joins a plain CSV with Chinese headers, overriding what the transcript lacked', () => {
    expect(calls['yf-0415-parcel-tw']).toMatchObject({ agent_id: 'K3001', agent_name: '赵磊', hangup_by: 'agent', queue: '快递查询' });
    expect(calls['XC-20260311-0042']).toMatchObject({ agent_id: 'A1002', hangup_by: 'customer' });
  });

  it('lists records that matched no call and calls that had no record', async () => {
    const unmatched = await readCsv(join(out, 'unmatched.csv'));
    expect(unmatched.filter((u) => u.kind === 'metadata-without-call').map((u) => [u.call_id, u.line])).toEqual([
      ['not-in-any-transcript', '5'],
      ['9b1d7e55-0c3a-4f2e-8d61-7a5b3c2e1f00', '2'],
    ]);
    const without = unmatched.filter((u) => u.kind === 'call-without-metadata').map((u) => u.call_id);
    expect(without).toContain('yunfan-en-0007');
    expect(without).not.toContain('star-broadband-whisperx');
    expect(without.length + 6).toBe(Object.keys(calls).length);
    expect(run.stdout).toContain(`通话元数据：8 条记录；2 条未匹配到通话，${without.length} 通通话没有记录（见 unmatched.csv）`);
  });

  it('counts the vendor example it had to repair', () => {
    expect(run.stdout).toContain('1 个 JSON 文件经修复后读取');
  });

  it('says how the agent was found for every call', () => {
    const sources = new Set(Object.values(calls).map((c) => c.role_source));
    // The two English calls (yunfan-en-0009, hx-0421-english) open "Thank you for calling …": identification, no longer first-speaker.
    expect([...sources].sort()).toEqual(['flag', 'given', 'greeting', 'identification']);
    expect(calls['yunfan-en-0009']?.role_source).toBe('identification');
    expect(calls['hx-0421-english']?.role_source).toBe('identification');
  });
});

describe('ingest flags', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
  });

  it('--input-format reads a file whatever its extension, and a wrong name stops the run', async () => {
    const path = join(dir, 'call.subtitles');
    await copyFile('fixtures/formats/srt/yf-0416-address-change.srt', path);
    const ok = await runCli(['score', path, '--input-format', 'srt', '--out', join(dir, 'a'), '-q']);
    expect(ok.code).toBe(0);
    expect((await readCsv(join(dir, 'a', 'calls.csv')))[0]).toMatchObject({ call_id: 'call', role_source: 'given' });
    const bad = await runCli(['score', path, '--input-format', 'docx', '--out', join(dir, 'b')]);
    expect(bad.code).toBe(2);
    // In the rubric's language (zh-phone: zh-CN), read before the flags are checked.
    expect(bad.stderr).toContain('callqa: 未知的 --input-format“docx”；应为以下之一：callqa-json、alibaba、');
    const en = await runCli(['score', path, '--input-format', 'docx', '--lang', 'en', '--out', join(dir, 'b')]);
    expect(en.code).toBe(2);
    expect(en.stderr).toContain('callqa: unknown --input-format "docx"; expected one of callqa-json, alibaba');
  });

  it('--encoding forces a decoder (GBK bytes are not UTF-8) and an unknown one stops the run', async () => {
    const forced = await runCli(['score', 'fixtures/formats/encodings/xingchen-gbk.txt', '--encoding', 'utf8', '--out', join(dir, 'c'), '-q']);
    expect(forced.code).toBe(3);
    const [error] = await readCsv(join(dir, 'c', 'errors.csv'));
    // In the rubric's language (zh-phone: zh-CN).
    expect(error?.error).toMatch(/^不是有效的 UTF-8 编码：字节偏移 \d+ 处的字节 0x[0-9a-f]{2}/);
    const gbk = await runCli(['score', 'fixtures/formats/encodings/xingchen-gbk.txt', '--encoding', 'GBK', '--out', join(dir, 'd'), '-q']);
    expect(gbk.code).toBe(0);
    const bad = await runCli(['score', 'fixtures/formats/encodings/xingchen-gbk.txt', '--encoding', 'latin-9']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('callqa: 未知的 --encoding“latin-9”；应为以下之一：utf-8、utf-16le、utf-16be、gb18030、big5（gbk 和 gb2312 按 gb18030 读取）\n');
    const tw = await runCli(['score', 'fixtures/formats/encodings/xingchen-gbk.txt', '--encoding', 'latin-9', '--lang', 'zh-TW']);
    expect(tw.stderr).toBe('callqa: 未知的 --encoding「latin-9」；應為以下之一：utf-8、utf-16le、utf-16be、gb18030、big5（gbk 和 gb2312 按 gb18030 讀取）\n');
    const en = await runCli(['score', 'fixtures/formats/encodings/xingchen-gbk.txt', '--encoding', 'latin-9', '--lang', 'en']);
    expect(en.stderr).toBe(
      'callqa: unknown --encoding "latin-9"; expected one of utf-8, utf-16le, utf-16be, gb18030, big5 (gbk and gb2312 are read as gb18030)\n',
    );
  });

  it('--agent-speaker and --agent-channel decide roles (role_source flag)', async () => {
    const flag = await runCli([
      'score',
      'fixtures/formats/aws-transcribe/transcribe-xingchen-3-speakers.json',
      '--agent-speaker',
      'spk_1',
      '--out',
      join(dir, 'e'),
      '-q',
    ]);
    expect(flag.code).toBe(0);
    const [row] = await readCsv(join(dir, 'e', 'calls.csv'));
    expect(row?.role_source).toBe('flag');
    const channel = await runCli(['score', 'fixtures/formats/aws-transcribe/transcribe-huaxin-channels.json', '--agent-channel', 'x']);
    expect(channel.code).toBe(2);
    expect(channel.stderr).toContain('expected a channel number');
  });

  it('--columns maps an export with its own header names, and rejects an unknown field', async () => {
    const path = join(dir, 'export.csv');
    await writeFile(path, '录音编号,说话人,识别结果,起,止\nR-1,坐席,您好，这里是星辰通信，我是王芳，很高兴为您服务,0,9\nR-1,客户,网断了,9.5,11\n');
    const ok = await runCli(['score', path, '--columns', 'speaker=说话人,text=识别结果,start=起,end=止', '--out', join(dir, 'f'), '-q']);
    expect(ok.code).toBe(0);
    expect((await readCsv(join(dir, 'f', 'calls.csv')))[0]).toMatchObject({ call_id: 'R-1', greeting: 'pass' });
    const bad = await runCli(['score', path, '--columns', 'spaeker=说话人']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected field=column pairs');
  });

  it('a metadata file that cannot be read stops the run before scoring (exit 2)', async () => {
    const run = await runCli(['score', 'fixtures/calls', '--metadata', join(dir, 'missing.csv'), '--out', join(dir, 'g')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`callqa: ${join(dir, 'missing.csv')}：无法读取通话元数据：文件不存在\n`);
  });
});

describe('the English rubric', () => {
  it('scores English transcripts in words a minute, with English greeting elements', async () => {
    const out = join(await tempDir(), 'en');
    const run = await runCli([
      'score',
      'fixtures/formats/aws-call-analytics/tca-english-address-change.json',
      'fixtures/formats/vtt/hx-0421-english.vtt',
      '--rubric',
      'en-phone',
      '--out',
      out,
      '-q',
    ]);
    expect(run.code).toBe(0);
    const calls = await readCsv(join(out, 'calls.csv'));
    expect(calls.map((c) => [c.call_id, c.greeting, c['speech-rate']])).toEqual([
      ['yunfan-en-0007', 'pass', 'fail'],
      ['hx-0421-english', 'pass', 'pass'],
    ]);
    const [finding] = await readCsv(join(out, 'findings.csv'));
    expect(finding?.message).toMatch(/^agent speaks 152 words a minute \(34 in 13\.4 s\); the standard is 120–150/);
  });
});

describe('callqa formats', () => {
  it('lists every format with how it is read and an example', async () => {
    const run = await runCli(['formats']);
    expect(run.code).toBe(0);
    for (const name of [
      'callqa-json',
      'callqa-jsonl',
      'callqa-text',
      'alibaba',
      'aws-call-analytics',
      'contact-lens-chat',
      'aws-transcribe',
      'whisper',
      'vtt',
      'srt',
      'csv-export',
    ]) {
      expect(run.stdout).toMatch(new RegExp(`^${name}\\n  .+\\n  read from: .+\\n  example:   callqa score .+`, 'm'));
    }
    // The call records --metadata reads, after the transcripts.
    const records = run.stdout.slice(run.stdout.indexOf('Call records for --metadata'));
    expect(records).toContain('freeswitch-xml-cdr\n  FreeSWITCH mod_xml_cdr CDRs');
    expect(records).toContain('example:   callqa score calls/ --metadata /var/log/freeswitch/xml_cdr\n');
    expect(records).toContain('asterisk-cdr\n  Asterisk CDRs: cdr_csv Master.csv (no header, known by its rows)');
    expect(records).toContain('example:   callqa score calls/ --metadata /var/log/asterisk/cdr-csv/Master.csv\n');
  });
});
