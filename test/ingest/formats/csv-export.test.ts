import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeBytes } from '../../../src/ingest/encoding.js';
import type { IngestOptions } from '../../../src/ingest/format.js';
import format from '../../../src/ingest/formats/csv-export.js';
import { readInput } from '../../../src/ingest/index.js';
import type { Parsed } from '../../../src/ingest/parsed.js';
import type { SourceCall } from '../../../src/model/source.js';
import { SAMPLE } from '../../helpers/conversation.js';
import { fixtureText, onlyCall, onlyError, parseText } from '../../helpers/parsed.js';
import { render } from '../../helpers/render/csv-export.js';

const DIR = 'fixtures/formats/csv-export';
const SOURCE = 'exports/0301.csv';

const parse = (text: string, options: IngestOptions = {}, source = SOURCE) => parseText(format, text, source, options);

function fixture(name: string, options: IngestOptions = {}): Parsed[] {
  const { text, source } = fixtureText('csv-export', name);
  return parse(text, options, source);
}

function calls(out: Parsed[]): SourceCall[] {
  for (const item of out) expect(item.error, JSON.stringify(item)).toBeUndefined();
  return out.map((p) => p.call as SourceCall);
}

/** Each utterance as [role or label, start, end, text] for compact assertions. */
const turns = (call: SourceCall) => call.utterances.map((u) => [u.role ?? u.speaker ?? `ch${u.channel}`, u.start, u.end, u.text]);

describe('csv-export fixtures', () => {
  it('reads an Excel export: BOM, CR LF, Chinese headers, extra columns, quoted cells with commas and a newline', () => {
    const bytes = readFileSync(`${DIR}/xingchen-2026-03-01.csv`);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [first, second] = calls(fixture('xingchen-2026-03-01.csv'));
    expect(first).toMatchObject({
      id: 'XC-0301-001',
      source: `${DIR}/xingchen-2026-03-01.csv`,
      line: 2,
      format: 'csv-export',
      agent: { id: 'A1001', name: '王芳' },
      hangupBy: 'customer',
    });
    expect(turns(first as SourceCall)).toEqual([
      ['agent', 0.5, 12.1, '您好，这里是星辰通信，我是王芳，工号1001，很高兴为您服务。'],
      ['customer', 12.6, 17.9, '你好，我家宽带从今天早上开始就上不了网了。'],
      ['agent', 18.4, 28.6, '好的，请您提供一下宽带账号或者装机地址，我帮您查询。'],
      ['customer', 29.1, 36.6, '账号是 0571-88123456, 地址是滨江区星光路18号。'],
      ['agent', 37.1, 49.1, '查到了，您所在小区的光缆今天上午在抢修，预计下午三点前恢复。'],
      ['customer', 49.6, 50.7, '好的，谢谢。'],
      ['agent', 51.2, 59.2, '感谢您的来电，还有什么可以帮您的吗？再见。'],
    ]);
    expect(second).toMatchObject({ id: 'XC-0301-002', line: 9, agent: { id: 'A1002', name: '李明' }, hangupBy: 'agent' });
    expect(second?.utterances).toHaveLength(6);
    expect(second?.utterances[1]).toEqual({
      role: 'customer',
      start: 10.3,
      end: 19.2,
      // Excel ends rows with CR LF but writes a line break inside a cell (Alt+Enter) as LF alone.
      text: '我要投诉，上个月账单多扣了 30 块：\n一个是来电显示，一个是彩铃，我都没开过。',
    });
  });

  it('reads the BOM file through readInput (picked by the .csv extension)', async () => {
    const out: Parsed[] = [];
    for await (const p of readInput({ kind: 'file', path: `${DIR}/xingchen-2026-03-01.csv` })) out.push(p);
    expect(calls(out).map((c) => [c.id, c.format, c.utterances.length])).toEqual([
      ['XC-0301-001', 'csv-export', 7],
      ['XC-0301-002', 'csv-export', 6],
    ]);
  });

  it('reads a TSV ASR export: speaker labels and channels, mm:ss.fff times, an unknown column', () => {
    const call = onlyCall(fixture('yunfan-asr.tsv'));
    expect(call).toMatchObject({ id: 'YF-20260302-0458', line: 2, agent: {}, hangupBy: 'unknown' });
    expect(call.utterances.slice(0, 2)).toEqual([
      { speaker: '说话人1', channel: 1, start: 0.8, end: 5.8, text: '喂，你好，我的快递显示已签收，但是我没收到。' },
      { speaker: '说话人2', channel: 0, start: 6.3, end: 23.2, text: '您好，这里是云帆快递，我是客服赵磊，工号3001，很高兴为您服务。请问您的运单号是多少？' },
    ]);
    expect(call.utterances).toHaveLength(7);
    expect(call.utterances.every((u) => u.role === undefined)).toBe(true);
    expect(call.utterances[6]).toMatchObject({ start: 57.5, end: 58.9, text: '没有了，拜拜。' });
  });

  it('reads Traditional-script headers and millisecond times with --time-unit ms', () => {
    const call = onlyCall(fixture('huaxin-tw-ms.csv', { timeUnit: 'ms' }));
    expect(call).toMatchObject({
      id: 'HX-TW-0417',
      agent: { id: 'B2001' },
      ringSeconds: 6,
      startedAt: '2026-03-03T10:21:05+08:00',
      hangupBy: 'unknown',
    });
    expect(turns(call).slice(0, 2)).toEqual([
      ['agent', 0.3, 11.9, '您好，這裡是華信銀行信用卡中心，我是林雅婷，很高興為您服務。'],
      ['customer', 12.4, 16.8, '你好，我想查一下我這個月的帳單金額。'],
    ]);
    expect(call.utterances.at(-1)).toEqual({ role: 'agent', start: 43.5, end: 48.8, text: '感謝您的來電，祝您愉快，再見。' });
  });

  it('refuses millisecond times read as seconds, pointing at --time-unit ms', () => {
    const out = fixture('huaxin-tw-ms.csv');
    expect(out).toHaveLength(1);
    expect(out[0]?.error).toMatchObject({ line: 8 });
    expect(out[0]?.error?.error).toMatch(/^call HX-TW-0417: a time of 48800 seconds is over 6 hours.*--time-unit ms/);
  });

  it('reads an English export whose columns are named with --columns', () => {
    const columns = { call_id: 'session', agent_id: 'seat', speaker: 'who', start: 'begin', end: 'finish', text: 'asr_text' };
    const call = onlyCall(fixture('huaxin-en-custom-columns.csv', { columns }));
    expect(call).toMatchObject({ id: 'HX-EN-0099', agent: { id: 'B2002' } });
    expect(turns(call).slice(0, 2)).toEqual([
      ['spk_0', 0.5, 7.9, 'Thank you for calling Huaxin Bank, this is Daniel, staff number 2002. How may I help you?'],
      ['spk_1', 8.4, 13, "Hi, my card was declined at a shop, and I don't know why."],
    ]);
    expect(call.utterances).toHaveLength(7);
  });

  it('without --columns the English export has no text column, and the error lists the header', () => {
    const err = onlyError(fixture('huaxin-en-custom-columns.csv'));
    expect(err.line).toBe(1);
    expect(err.error).toContain('no text column');
    expect(err.error).toContain('--columns text=<header name>');
    expect(err.error).toContain('the header has: session, seat, who, begin, finish, asr_text, emotion, note');
  });

  it('a bad row sinks only its own call; a row without a call id is reported on its own', () => {
    const out = fixture('mixed-broken.csv');
    expect(out.map((p) => (p.call ? `call ${p.call.id}` : `line ${p.error?.line}: ${p.error?.error}`))).toEqual([
      'call XC-0305-010',
      'line 6: call XC-0305-011: column end: expected seconds as a number ≥ 0, or hh:mm:ss(.fff), mm:ss(.fff) or a date and time (2026-03-12 09:15:02), got "abc"',
      'line 6: call XC-0305-011: column agent_id: "A1003" here, but "A1002" on line 3; expected one value per call',
      'line 9: call XC-0305-011: no speaker: column speaker empty on this row; expected a role (坐席, 客户, agent…), a speaker label or a channel',
      'line 8: column call_id: empty on this row, so it belongs to no call; expected the call id on every row (merged cells in a spreadsheet must be filled down)',
    ]);
    const good = out[0]?.call as SourceCall;
    expect(turns(good).map((t) => t[0])).toEqual(['agent', 'customer', 'agent']);
  });
});

describe('csv-export: layout', () => {
  it('sniffs TSV from a header with tabs and no commas when the source has no .tsv extension', () => {
    const text = 'call_id\tspeaker\ttext\nC-1\t坐席\t您好，星辰通信，请讲。\nC-1\t客户\t你好, 我想查话费\n';
    const call = onlyCall(parse(text, {}, '<stdin>'));
    expect(turns(call)).toEqual([
      ['agent', undefined, undefined, '您好，星辰通信，请讲。'],
      ['customer', undefined, undefined, '你好, 我想查话费'],
    ]);
  });

  it('reads a .tsv file as TSV even when its header has commas', () => {
    const text = 'speaker\ttext\tnote,extra\nagent\t您好,请讲\t\n';
    expect(turns(onlyCall(parse(text, {}, 'a/b/day1.tsv')))).toEqual([['agent', undefined, undefined, '您好,请讲']]);
  });

  it('without a call id column the whole file is one call named after the file', () => {
    const call = onlyCall(parse('speaker,text\n坐席,您好\n客户,你好\n', {}, 'exports/XC-0401-777.csv'));
    expect(call.id).toBe('XC-0401-777');
    expect(call.line).toBe(2);
  });

  it('a call id column empty on every row counts as no call id column', () => {
    expect(onlyCall(parse('通话ID,角色,内容\n,坐席,您好\n,客户,你好\n', {}, 'x/C-9.csv')).id).toBe('C-9');
  });

  it('groups rows that are not adjacent, keeping calls in order of first appearance', () => {
    const text = ['call_id,speaker,text', 'B,agent,b1', 'A,agent,a1', 'B,customer,b2', 'C,agent,c1', 'A,customer,a2', 'B,agent,b3'].join('\n');
    const all = calls(parse(text));
    expect(all.map((c) => [c.id, c.line, c.utterances.map((u) => u.text)])).toEqual([
      ['B', 2, ['b1', 'b2', 'b3']],
      ['A', 3, ['a1', 'a2']],
      ['C', 5, ['c1']],
    ]);
  });

  it('matches header names case-insensitively, trimmed, and with spaces for underscores', () => {
    const call = onlyCall(parse(' Call ID , SPEAKER ,Start,END, Text \nC-7,Agent,1,2,您好\nC-7,CUSTOMER,2.5,3,喂\n'));
    expect(call.id).toBe('C-7');
    expect(turns(call)).toEqual([
      ['agent', 1, 2, '您好'],
      ['customer', 2.5, 3, '喂'],
    ]);
  });

  it('ignores unknown columns, blank lines and rows of empty cells, and still counts physical lines', () => {
    const text = ['序号,角色,内容,备注', '', '1,坐席,您好,', ',,,', '2,客户,"第一行', '第二行",', '', '3,坐席,"好的, 马上",x'].join('\r\n');
    const call = onlyCall(parse(text));
    expect(call.line).toBe(3);
    expect(turns(call)).toEqual([
      ['agent', undefined, undefined, '您好'],
      ['customer', undefined, undefined, '第一行\r\n第二行'],
      ['agent', undefined, undefined, '好的, 马上'],
    ]);
  });

  it('puts the right line on an error after quoted cells that span lines', () => {
    const text = ['call_id,speaker,start,end,text', 'C1,agent,0,1,"一', '二', '三"', 'C1,customer,2,x,好'].join('\n');
    expect(onlyError(parse(text))).toEqual({ source: SOURCE, line: 5, error: expect.stringContaining('column end: expected seconds') });
  });

  it('a quoted cell that is never closed makes the file one error at the line where it opens', () => {
    const text = 'speaker,text\r\nagent,您好\r\ncustomer,"没有关\r\nagent,好的\r\n';
    expect(onlyError(parse(text))).toEqual({ source: SOURCE, line: 3, error: expect.stringContaining('never closed') });
  });

  it('accepts a stray quote inside an unquoted cell', () => {
    expect(onlyCall(parse('speaker,text\nagent,他说"好的"就挂了\n')).utterances[0]?.text).toBe('他说"好的"就挂了');
  });

  it('strips a BOM that is still there', () => {
    expect(onlyCall(parse('\uFEFFspeaker,text\nagent,您好\n')).utterances).toEqual([{ role: 'agent', text: '您好' }]);
  });

  it.each([
    ['an empty file', '\n\n', 1, 'empty file'],
    ['a header alone', 'speaker,text\r\n', 1, 'no utterances'],
    ['no speaker or channel column', 'call_id,text\nC1,您好\n', 1, 'no speaker or channel column'],
    [
      'two columns for one field',
      '角色,speaker,内容\n坐席,agent,您好\n',
      1,
      'columns 角色 and speaker both give the speaker; say which to read with --columns speaker=',
    ],
  ])('%s is one error for the file', (_what, text, line, message) => {
    const err = onlyError(parse(text));
    expect(err.line).toBe(line);
    expect(err.error).toContain(message);
  });
});

describe('csv-export: --columns', () => {
  it('wins over the default names', () => {
    const text = '说话人,text,识别结果\n坐席,人工校对稿,ASR原文\n';
    const call = onlyCall(parse(text, { columns: { text: '识别结果' } }));
    expect(call.utterances).toEqual([{ role: 'agent', text: 'ASR原文' }]);
  });

  it('settles two columns that both match a field', () => {
    const call = onlyCall(parse('角色,speaker,内容\n坐席,spk_1,您好\n', { columns: { speaker: 'speaker' } }));
    expect(call.utterances).toEqual([{ speaker: 'spk_1', text: '您好' }]);
  });

  it('a name that is not in the header is an error listing the header', () => {
    const err = onlyError(parse('序号,说话人,内容\n1,坐席,您好\n', { columns: { speaker: '发言人' } }));
    expect(err).toEqual({ source: SOURCE, line: 1, error: '--columns speaker=发言人: no column "发言人" in this file; the header has: 序号, 说话人, 内容' });
  });

  it('an unknown field name is an error', () => {
    const err = onlyError(parse('说话人,内容\n坐席,您好\n', { columns: { spaeker: '说话人' } }));
    expect(err.error).toMatch(/^--columns spaeker=说话人: unknown field "spaeker"; expected one of call_id, agent_id/);
  });
});

describe('csv-export: speakers', () => {
  it.each([
    ['坐席', { role: 'agent' }],
    ['客服', { role: 'agent' }],
    ['Agent', { role: 'agent' }],
    ['客戶', { role: 'customer' }],
    ['customer', { role: 'customer' }],
    ['spk_0', { speaker: 'spk_0' }],
    ['说话人1', { speaker: '说话人1' }],
    ['SPEAKER_01', { speaker: 'SPEAKER_01' }],
  ])('speaker %s', (value, expected) => {
    expect(onlyCall(parse(`speaker,text\n${value},您好\n`)).utterances[0]).toEqual({ ...expected, text: '您好' });
  });

  it.each([
    ['0', 0],
    ['1', 1],
    ['ch_1', 1],
    ['CH0', 0],
  ])('channel %s', (value, channel) => {
    expect(onlyCall(parse(`声道,内容\n${value},您好\n`)).utterances[0]).toEqual({ channel, text: '您好' });
  });

  it('a bad channel sinks the call', () => {
    const err = onlyError(parse('call_id,channel,text\nC1,left,您好\n'));
    expect(err).toEqual({ source: SOURCE, line: 2, error: 'call C1: column channel: expected a channel number such as 0 or 1, got "left"' });
  });

  it('a row with neither speaker nor channel sinks the call', () => {
    const err = onlyError(parse('call_id,speaker,channel,text\nC1,agent,,您好\nC1,,,喂\n'));
    expect(err).toEqual({
      source: SOURCE,
      line: 3,
      error: 'call C1: no speaker: column speaker and column channel empty on this row; expected a role (坐席, 客户, agent…), a speaker label or a channel',
    });
  });
});

describe('csv-export: times', () => {
  it.each([
    ['1.5', undefined, 1.5],
    ['12', undefined, 12],
    ['.25', undefined, 0.25],
    ['1500', 'ms', 1.5],
    ['01:02.5', undefined, 62.5],
    ['01:02.5', 'ms', 62.5],
    ['1:02:03', undefined, 3723],
    ['00:00:07.125', 'ms', 7.125],
    ['25000', 's', 25000],
  ] as const)('start %s (--time-unit %s) is %s s', (value, timeUnit, seconds) => {
    const options: IngestOptions = timeUnit === undefined ? {} : { timeUnit };
    expect(onlyCall(parse(`speaker,start,text\nagent,${value},您好\n`, options)).utterances[0]?.start).toBe(seconds);
  });

  it.each([
    ['abc', undefined, 'expected seconds as a number ≥ 0, or hh:mm:ss(.fff), mm:ss(.fff) or a date and time (2026-03-12 09:15:02), got "abc"'],
    ['-1', undefined, 'got "-1"'],
    ['00:75', undefined, 'got "00:75"'],
    ['1,5', 'ms', 'expected milliseconds (--time-unit ms) as a number ≥ 0'],
  ] as const)('start %s is an error naming the line and column', (value, timeUnit, message) => {
    const options: IngestOptions = timeUnit === undefined ? {} : { timeUnit };
    const text = `call_id\t开始时间\t角色\t内容\nC1\t0\t坐席\t您好\nC1\t${value}\t客户\t喂\n`;
    const err = onlyError(parse(text, options, 'x.tsv'));
    expect(err.line).toBe(3);
    expect(err.error).toContain('call C1: column 开始时间 (start): ');
    expect(err.error).toContain(message);
  });

  it('empty start and end on every row of a call is an untimed call', () => {
    const call = onlyCall(parse('speaker,start,end,text\nagent,,,您好\ncustomer,,,你好\n'));
    expect(call.utterances).toEqual([
      { role: 'agent', text: '您好' },
      { role: 'customer', text: '你好' },
    ]);
  });

  it('times on some rows of a call and not on others is an error', () => {
    const err = onlyError(parse('call_id,speaker,start,end,text\nC1,agent,0,2,您好\nC1,customer,,,你好\n'));
    expect(err.line).toBe(3);
    expect(err.error).toContain('other rows of this call have times');
  });

  it('judges timing call by call', () => {
    const text = 'call_id,speaker,start,end,text\nC1,agent,0,2,您好\nC2,agent,,,您好\n';
    expect(calls(parse(text)).map((c) => c.utterances[0]?.start)).toEqual([0, undefined]);
  });

  it('a row without an end ends where the next row of its call starts', () => {
    const text = 'call_id,speaker,start,text\nC1,agent,0.5,您好\nC2,agent,0,别的通话\nC1,customer,3.2,你好\nC1,agent,5,请讲\n';
    const [c1] = calls(parse(text));
    expect(turns(c1 as SourceCall)).toEqual([
      ['agent', 0.5, 3.2, '您好'],
      ['customer', 3.2, 5, '你好'],
      ['agent', 5, undefined, '请讲'],
    ]);
  });

  it('an end before the start is an error', () => {
    const err = onlyError(parse('speaker,start,end,text\nagent,5,4.5,您好\n', {}, 'C-3.csv'));
    expect(err).toEqual({ source: 'C-3.csv', line: 2, error: 'call C-3: column end: the end (4.5) is before the start (5)' });
  });

  it('an end without a start is an error', () => {
    expect(onlyError(parse('speaker,start,end,text\nagent,,4.5,您好\n')).error).toContain('column start: empty, but the row has an end time');
  });
});

describe('csv-export: call values', () => {
  const HEADER = 'call_id,agent_id,agent_name,hangup_by,ring_seconds,started_at,speaker,text';

  it('takes each value from the rows that fill it', () => {
    const text = [HEADER, 'C1,A1001,王芳,,,,agent,您好', 'C1,,,客户,4.5,2026-03-01T09:15:00+08:00,customer,再见'].join('\n');
    expect(onlyCall(parse(text))).toMatchObject({
      agent: { id: 'A1001', name: '王芳' },
      hangupBy: 'customer',
      ringSeconds: 4.5,
      startedAt: '2026-03-01T09:15:00+08:00',
    });
  });

  it('the same value written two ways is no conflict', () => {
    const text = [HEADER, 'C1,A1,,客户,,,agent,您好', 'C1,A1,,customer,,,customer,再见', 'C1,A1,,unknown,,,customer,拜拜'].join('\n');
    expect(onlyCall(parse(text)).hangupBy).toBe('customer');
  });

  it.each([
    ['agent_id', 'C1,A1,,,,,agent,您好', 'C1,A2,,,,,customer,你好', 'column agent_id: "A2" here, but "A1" on line 2; expected one value per call'],
    ['hangup_by', 'C1,,,坐席,,,agent,您好', 'C1,,,客户,,,customer,你好', 'column hangup_by: "客户" here, but "坐席" on line 2; expected one value per call'],
    ['ring_seconds', 'C1,,,,3,,agent,您好', 'C1,,,,4,,customer,你好', 'column ring_seconds: "4" here, but "3" on line 2; expected one value per call'],
  ])('conflicting %s values sink the call', (_field, row1, row2, message) => {
    const text = [HEADER, row1, 'C2,,,,,,agent,另一通', row2].join('\n');
    const out = parse(text);
    expect(out).toHaveLength(2);
    expect(out[0]?.error).toEqual({ source: SOURCE, line: 4, error: `call C1: ${message}` });
    expect(out[1]?.call?.id).toBe('C2');
  });

  it.each([
    ['hangup_by', 'C1,,,挂了,,,agent,您好', 'column hangup_by: expected customer, agent or unknown, got "挂了"'],
    ['ring_seconds', 'C1,,,,-2,,agent,您好', 'column ring_seconds: expected seconds as a number ≥ 0, got "-2"'],
    ['started_at', 'C1,,,,,昨天,agent,您好', 'column started_at: expected an ISO 8601 date-time, got "昨天"'],
  ])('a bad %s sinks the call', (_field, row, message) => {
    expect(onlyError(parse([HEADER, row].join('\n')))).toEqual({ source: SOURCE, line: 2, error: `call C1: ${message}` });
  });

  it('lists every bad row of a call, at most ten', () => {
    const rows = Array.from({ length: 12 }, (_, k) => `C1,agent,${k},x,您好`);
    const out = parse(['call_id,speaker,start,end,text', ...rows].join('\n'));
    expect(out).toHaveLength(11);
    expect(out.slice(0, 10).map((p) => p.error?.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(out[10]?.error).toEqual({ source: SOURCE, line: 2, error: 'call C1: 2 more problems not listed' });
  });
});

describe('csv-export: rendering', () => {
  it('reads back SAMPLE as rendered', () => {
    const rendered = render(SAMPLE);
    expect(rendered.fileName).toBe('X-1.csv');
    expect(rendered.args).toEqual([]);
    const text = decodeBytes(Buffer.from(rendered.content)).text;
    const call = onlyCall(parse(text, {}, rendered.fileName));
    expect(call.id).toBe(SAMPLE.id);
    expect(call.utterances).toEqual(SAMPLE.turns.map((t) => ({ role: t.role, start: t.start, end: t.end, text: t.text })));
  });
});

describe('csv-export: a chat export (message times as dates and times)', () => {
  const CHAT_COLUMNS = { call_id: '会话ID', agent_id: '客服工号', agent_name: '客服昵称', speaker: '发送方', start: '发送时间', text: '消息内容' };

  it('reads a chat platform export with --columns: seconds from the first message, started_at from it', async () => {
    const out: Parsed[] = [];
    const options: IngestOptions = { columns: CHAT_COLUMNS, channel: 'chat' };
    for await (const p of readInput({ kind: 'file', path: `${DIR}/chat-wechat-export.csv` }, options)) out.push(p);
    const [call] = calls(out);
    expect(call).toMatchObject({ id: 'WX-0312-5501', channel: 'chat', startedAt: '2026-03-12T20:01:15', agent: { id: 'A-1207', name: '刘洋' } });
    expect(call?.utterances.map((u) => [u.role, u.start])).toEqual([
      ['customer', 0],
      ['agent', 48],
      ['customer', 85],
      ['agent', 115],
      ['agent', 227],
      ['customer', 255],
      ['agent', 266],
    ]);
  });

  it('--channel names only what the input does not say: without it the export is voice, a conversation of its own keeps its channel', async () => {
    const read = async (path: string, options: IngestOptions) => {
      const out: Parsed[] = [];
      for await (const p of readInput({ kind: 'file', path }, options)) out.push(p);
      return calls(out).map((c) => c.channel);
    };
    expect(await read(`${DIR}/chat-wechat-export.csv`, { columns: CHAT_COLUMNS })).toEqual([undefined]);
    expect(await read(`${DIR}/chat-wechat-export.csv`, { columns: CHAT_COLUMNS, channel: 'voice' })).toEqual([undefined]);
    expect(await read('fixtures/formats/callqa-json/chat-online.json', { channel: 'social' })).toEqual(['chat']);
  });

  it.each([
    ['2026-03-12 09:15:02', 0, '2026-03-12T09:15:02'],
    ['2026/3/12 9:15', 0, '2026-03-12T09:15:00'],
    ['2026-03-12T09:15:02.5+08:00', 0, '2026-03-12T09:15:02.5+08:00'],
    ['2026-03-12T01:15:02Z', 0, '2026-03-12T01:15:02Z'],
  ])('a first time %s starts the conversation (started_at %s)', (value, start, startedAt) => {
    const call = onlyCall(parse(`speaker,start,text\ncustomer,${value},在吗\nagent,${value},您好\n`));
    expect(call.utterances[0]?.start).toBe(start);
    expect(call.startedAt).toBe(startedAt);
  });

  it('counts across midnight and time zones: the differences, not the clock', () => {
    const call = onlyCall(parse('speaker,start,text\ncustomer,2026-03-12 23:59:30,在吗\nagent,2026-03-13 00:01:00,您好\n'));
    expect(call.utterances.map((u) => u.start)).toEqual([0, 90]);
    const zoned = onlyCall(parse('speaker,start,text\ncustomer,2026-03-12T09:00:00+08:00,在吗\nagent,2026-03-12T01:02:00Z,您好\n'));
    expect(zoned.utterances.map((u) => u.start)).toEqual([0, 120]);
  });

  it('a started_at column wins over the first message', () => {
    const call = onlyCall(
      parse('speaker,start,started_at,text\ncustomer,2026-03-12 09:15:02,2026-03-12T09:10:00+08:00,在吗\nagent,2026-03-12 09:16:02,,您好\n'),
    );
    expect(call.startedAt).toBe('2026-03-12T09:10:00+08:00');
    expect(call.utterances.map((u) => u.start)).toEqual([0, 60]);
  });

  it.each([
    ['2026-13-12 09:15:02', 'got "2026-13-12 09:15:02"'],
    ['2026-03-12 25:15:02', 'got "2026-03-12 25:15:02"'],
    ['2026/2/30 09:15', 'got "2026/2/30 09:15"'],
    ['2026-03-12 24:00', 'got "2026-03-12 24:00"'],
    ['2026-03-12T09:15:02+25:00', 'got "2026-03-12T09:15:02+25:00"'],
    ['昨天 09:15', 'got "昨天 09:15"'],
  ])('%s is no date and time: an error naming the line and column', (value, message) => {
    const err = onlyError(parse(`call_id,speaker,start,text\nC1,customer,2026-03-12 09:15:00,在吗\nC1,agent,${value},您好\n`));
    expect(err.line).toBe(3);
    expect(err.error).toContain('call C1: column start: ');
    expect(err.error).toContain(message);
  });

  it('a call whose rows mix dates and offsets is an error naming the row', () => {
    const err = onlyError(parse('call_id,speaker,start,text\nC1,customer,2026-03-12 09:15:00,在吗\nC1,agent,65,您好\n'));
    expect(err).toMatchObject({
      line: 3,
      error: "call C1: column start: expected the same kind of time as the call's first row: every time a date and time, or every time seconds or a clock time",
    });
    const row = onlyError(parse('speaker,start,end,text\nagent,2026-03-12 09:15:00,5,您好\n'));
    expect(row.error).toContain('column start and column end: one is a date and time, the other is not');
  });
});
