import { describe, expect, it } from 'vitest';
import srt from '../../../src/ingest/formats/srt.js';
import { joinLines, parseStamp, rolePrefix } from '../../../src/ingest/subtitles.js';
import { readInput } from '../../../src/ingest/index.js';
import type { Parsed } from '../../../src/ingest/parsed.js';
import type { SourceUtterance } from '../../../src/model/source.js';
import { resolveRoles } from '../../../src/normalise/roles.js';
import { SAMPLE } from '../../helpers/conversation.js';
import { fixturePath, fixtureText, onlyCall, onlyError, onlyErrors, parseText } from '../../helpers/parsed.js';
import { render } from '../../helpers/render/srt.js';

const SOURCE = 'subtitles/YF-0416.srt';
const PREFIXES = '坐席：, 客服：, 客户：, Agent: or Customer:';

const parse = (text: string, source = SOURCE) => parseText(srt, text, source);
const theCall = (text: string, source = SOURCE) => onlyCall(parse(text, source));

/** Every item must be an error (a bad file yields no call). */
const errors = (text: string) => onlyErrors(parse(text));

/** An SRT file from [timing, ...text lines] blocks, numbered from 1. */
function file(blocks: readonly (readonly string[])[], nl = '\n'): string {
  return blocks.map((b, k) => [String(k + 1), ...b].join(nl)).join(nl + nl) + nl;
}

const fixture = (name: string) => fixtureText('srt', name).text;

describe('srt format', () => {
  it('is the text format for .srt files', () => {
    expect(srt).toMatchObject({ kind: 'text', name: 'srt', extensions: ['.srt'] });
  });
});

describe('parseSrt: the call', () => {
  it('takes the file stem as id, roles from prefixes, and times in seconds', () => {
    const text = file([
      ['00:00:00,010 --> 00:00:02,520', '客服：您好，这里是云帆快递'],
      ['00:00:03,000 --> 00:00:04,250', '客户：你好'],
    ]);
    expect(parse(text)).toEqual([
      {
        call: {
          format: 'srt',
          id: 'YF-0416',
          source: SOURCE,
          line: 1,
          agent: {},
          hangupBy: 'unknown',
          utterances: [
            { role: 'agent', start: 0.01, end: 2.52, text: '您好，这里是云帆快递' },
            { role: 'customer', start: 3, end: 4.25, text: '你好' },
          ],
        },
      },
    ]);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('reads %s line ends', (_, nl) => {
    const text = file(
      [
        ['00:00:01,000 --> 00:00:02,000', '坐席：您好，', '这里是星辰通信'],
        ['00:00:02,500 --> 00:00:03,000', '客户：你好'],
      ],
      nl,
    );
    expect(theCall(text).utterances).toEqual([
      { role: 'agent', start: 1, end: 2, text: '您好，这里是星辰通信' },
      { role: 'customer', start: 2.5, end: 3, text: '你好' },
    ]);
  });

  it('reads a byte-order mark, extra blank lines and blocks without a number', () => {
    const text = '\ufeff\n\n1\n00:00:01,000 --> 00:00:02,000\n坐席：您好\n\n\n\n00:00:02,500 --> 00:00:03,000\n客户：你好\n\n\n';
    expect(theCall(text).utterances.map((u) => [u.role, u.start, u.text])).toEqual([
      ['agent', 1, '您好'],
      ['customer', 2.5, '你好'],
    ]);
  });

  it('starts a new block at a number and timing line even when the blank line before it is missing', () => {
    const text = '1\n00:00:01,000 --> 00:00:02,000\n坐席：您好\n2\n00:00:02,500 --> 00:00:03,000\n客户：你好\n00:00:03,500 --> 00:00:04,000\n坐席：请讲\n';
    expect(theCall(text).utterances.map((u) => [u.role, u.start, u.text])).toEqual([
      ['agent', 1, '您好'],
      ['customer', 2.5, '你好'],
      ['agent', 3.5, '请讲'],
    ]);
  });

  it('keeps a number on a line of its own as text when no timing follows it (no space after Han)', () => {
    expect(theCall(file([['00:00:01,000 --> 00:00:02,000', '客户：我的验证码是', '4417']])).utterances[0]?.text).toBe('我的验证码是4417');
  });

  it('drops blocks without text', () => {
    const text = '1\n00:00:00,000 --> 00:00:01,000\n\n2\n00:00:01,000 --> 00:00:02,000\n坐席：您好\n';
    expect(theCall(text).utterances).toEqual([{ role: 'agent', start: 1, end: 2, text: '您好' }]);
  });
});

describe('parseSrt: timings', () => {
  it.each([
    ['00:00:00,010 --> 00:00:02,520', 0.01, 2.52],
    ['00:00:00.010 --> 00:00:02.520', 0.01, 2.52],
    ['01:02:03,004 --> 01:02:04,500', 3723.004, 3724.5],
    ['00:01,500 --> 00:02,000', 1.5, 2],
    ['00:00:01,5 --> 00:00:02,25', 1.5, 2.25],
    ['00:00:01,000-->00:00:02,000', 1, 2],
    ['00:00:01,000 --> 00:00:02,000 X1:100 X2:600 Y1:20 Y2:50', 1, 2],
    ['00:00:05,000 --> 00:00:05,000', 5, 5],
  ])('reads %j', (timing, start, end) => {
    expect(theCall(file([[timing, '坐席：您好']])).utterances[0]).toMatchObject({ start, end });
  });

  it.each([
    [
      '00:00:10,300 - 00:00:15,100',
      'invalid cue timing "00:00:10,300 - 00:00:15,100": expected "-->" between the start and end times, as in "00:00:01,000 --> 00:00:04,000"',
    ],
    [
      '00:00:15,600 --> 00:00:2O,900',
      'invalid cue timing "00:00:15,600 --> 00:00:2O,900": "00:00:2O,900" is not a time; expected a line such as "00:00:01,000 --> 00:00:04,000"',
    ],
    [
      '00:61:00,000 --> 01:02:00,000',
      'invalid cue timing "00:61:00,000 --> 01:02:00,000": "00:61:00,000" is not a time; expected a line such as "00:00:01,000 --> 00:00:04,000"',
    ],
    ['00:00:09,000 --> 00:00:08,000', 'invalid cue timing "00:00:09,000 --> 00:00:08,000": the end is before the start'],
    ['00:00:09,000 -->', 'invalid cue timing "00:00:09,000 -->": the end time is missing; expected a line such as "00:00:01,000 --> 00:00:04,000"'],
    ['客户：你好', 'expected a timing line such as "00:00:01,000 --> 00:00:04,000" after the subtitle number'],
  ])('rejects %j, naming its line', (timing, message) => {
    const text = file([
      ['00:00:00,000 --> 00:00:01,000', '坐席：您好'],
      [timing, '客户：你好'],
    ]);
    expect(errors(text)).toEqual([{ source: SOURCE, line: 6, error: message }]);
  });

  it.each([
    [
      'a block that starts with text',
      '1\n00:00:00,000 --> 00:00:01,000\n坐席：您好\n\n客户：你好\n',
      5,
      `expected a subtitle number or a timing line such as "00:00:01,000 --> 00:00:04,000"`,
    ],
    [
      'a number alone',
      '1\n00:00:00,000 --> 00:00:01,000\n坐席：您好\n\n2\n',
      5,
      'expected a timing line such as "00:00:01,000 --> 00:00:04,000" after the subtitle number',
    ],
    ['a timing without arrow and without number', '00:00:00,000 00:00:01,000\n坐席：您好\n', 1, 'expected "-->" between the start and end times'],
  ])('rejects %s, naming the line', (_, text, line, words) => {
    const [error] = errors(text);
    expect(error?.line).toBe(line);
    expect(error?.error).toContain(words);
  });

  it('lists every bad block of a file and yields no call', () => {
    const text = file([
      ['00:00:00,000 -> 00:00:01,000', '坐席：您好'],
      ['00:00:01,000 --> 00:00:02,000', '客户：你好'],
      ['00:00:03,000 --> 00:00:02,000', '坐席：请讲'],
    ]);
    expect(errors(text).map((e) => e.line)).toEqual([2, 10]);
  });

  it.each([
    ['00:00:00,010', 0.01],
    ['00:00:02.520', 2.52],
    ['10:00.1', 600.1],
    ['100:00:00,000', 360000],
    ['00:00:60,000', undefined],
    ['00:00', 0],
    ['0:0:1', 1],
    ['1.5', undefined],
    ['00:00:01,0001', undefined],
    ['', undefined],
  ])('parseStamp(%j) = %s', (stamp, seconds) => {
    expect(parseStamp(stamp)).toBe(seconds);
  });
});

describe('parseSrt: speakers', () => {
  it.each<[string, string, Pick<SourceUtterance, 'role' | 'text'>]>([
    ['坐席：', '坐席：您好', { role: 'agent', text: '您好' }],
    ['座席:', '座席: 您好', { role: 'agent', text: '您好' }],
    ['客服:', '客服:您好', { role: 'agent', text: '您好' }],
    ['客服 ：', '客服 ：您好', { role: 'agent', text: '您好' }],
    ['客户：', '客户：你好', { role: 'customer', text: '你好' }],
    ['客戶： (Traditional)', '客戶：你好', { role: 'customer', text: '你好' }],
    ['Agent:', 'Agent: Hello', { role: 'agent', text: 'Hello' }],
    ['agent:', 'agent:Hello', { role: 'agent', text: 'Hello' }],
    ['Customer:', 'Customer: Hi', { role: 'customer', text: 'Hi' }],
    ['a dialogue dash', '- 客户：你好', { role: 'customer', text: '你好' }],
    ['formatting tags', '<i>坐席：</i>您好', { role: 'agent', text: '您好' }],
    ['an ASS override', '{\\an8}坐席：您好', { role: 'agent', text: '您好' }],
  ])('reads the prefix %s', (_, line, expected) => {
    const [u] = theCall(file([['00:00:01,000 --> 00:00:02,000', line]])).utterances;
    expect(u).toEqual({ ...expected, start: 1, end: 2 });
  });

  it('takes no other name before a colon for a speaker: the text continues the speaker before it', () => {
    const text = file([
      ['00:00:01,000 --> 00:00:02,000', '坐席：请您记一下'],
      ['00:00:02,000 --> 00:00:03,000', '网址：www.example.com'],
      ['00:00:03,000 --> 00:00:04,000', '王芳：我是客服'],
    ]);
    expect(theCall(text).utterances.map((u) => [u.role, u.text])).toEqual([
      ['agent', '请您记一下'],
      ['agent', '网址：www.example.com'],
      ['agent', '王芳：我是客服'],
    ]);
  });

  it('continues the speaker before it in a block without a prefix', () => {
    const text = file([
      ['00:00:01,000 --> 00:00:04,000', '客服：包裹目前在杭州转运中心，'],
      ['00:00:04,000 --> 00:00:06,000', '还没有派送，可以修改地址。'],
      ['00:00:06,500 --> 00:00:08,000', '客户：好的，'],
      ['00:00:08,000 --> 00:00:09,000', '谢谢。'],
    ]);
    expect(theCall(text).utterances).toEqual([
      { role: 'agent', start: 1, end: 4, text: '包裹目前在杭州转运中心，' },
      { role: 'agent', start: 4, end: 6, text: '还没有派送，可以修改地址。' },
      { role: 'customer', start: 6.5, end: 8, text: '好的，' },
      { role: 'customer', start: 8, end: 9, text: '谢谢。' },
    ]);
  });

  it('splits a block with two prefixed lines into two utterances with the same times', () => {
    const text = file([['00:00:01,000 --> 00:00:03,000', '- 客户：新卡什么时候到？', '- 坐席：三到五个工作日，', '请留意短信。']]);
    expect(theCall(text).utterances).toEqual([
      { role: 'customer', start: 1, end: 3, text: '新卡什么时候到？' },
      { role: 'agent', start: 1, end: 3, text: '三到五个工作日，请留意短信。' },
    ]);
  });

  it('merges lines of one speaker within a block', () => {
    const text = file([['00:00:01,000 --> 00:00:03,000', '坐席：您好，', '坐席：请讲。']]);
    expect(theCall(text).utterances).toEqual([{ role: 'agent', start: 1, end: 3, text: '您好，请讲。' }]);
  });

  it('rejects a file without any prefix as one error', () => {
    const text = file([
      ['00:00:00,010 --> 00:00:02,520', '您好，这里是云帆快递'],
      ['00:00:02,530 --> 00:00:03,760', '请问有什么可以帮您'],
    ]);
    expect(onlyError(parse(text))).toEqual({
      source: SOURCE,
      line: 1,
      error: `no speaker prefixes: SRT says who speaks only by a prefix on the text (${PREFIXES}), and no subtitle has one`,
    });
  });

  it('rejects a first block without a prefix when a later one has one, naming its line', () => {
    const text = file([
      ['00:00:00,500 --> 00:00:02,000', '您好，这里是华信银行。'],
      ['00:00:02,000 --> 00:00:04,000', '坐席：我是客服李娜。'],
    ]);
    expect(onlyError(parse(text))).toEqual({
      source: SOURCE,
      line: 3,
      error: `this subtitle has no speaker prefix and no subtitle before it has one: expected its text to start with ${PREFIXES}`,
    });
  });

  it.each([
    ['an empty file', ''],
    ['blank lines', '\n\n  \n'],
  ])('rejects %s: no subtitles', (_, text) => {
    expect(onlyError(parse(text)).error).toBe('no subtitles: expected blocks of a number, a timing line such as "00:00:01,000 --> 00:00:04,000" and text');
  });
});

describe('shared helpers', () => {
  it.each([
    [['您好，这里是', '星辰通信'], '您好，这里是星辰通信'],
    [['My name is Tom,', 'how may I help you?'], 'My name is Tom, how may I help you?'],
    [['账号是 XC8812', '请查'], '账号是 XC8812请查'],
    [['“您好', '”'], '“您好”'],
    [['He said', '“hello”'], 'He said “hello”'],
    [['您说', '“再见”'], '您说“再见”'],
    [['Wi-Fi', '坏了'], 'Wi-Fi坏了'],
    [['', ' a ', '', 'b'], 'a b'],
    [[], ''],
  ])('joinLines(%j) = %j', (lines, joined) => {
    expect(joinLines(lines)).toBe(joined);
  });

  it.each([
    ['坐席：您好', { role: 'agent', rest: '您好' }],
    ['Customer :  hi', { role: 'customer', rest: 'hi' }],
    ['— 客服：好的', { role: 'agent', rest: '好的' }],
    ['您好：请讲', undefined],
    ['坐席您好', undefined],
    ['Note: the agent is away', undefined],
  ])('rolePrefix(%j)', (line, expected) => {
    expect(rolePrefix(line)).toEqual(expected);
  });
});

describe('parseSrt: fixtures', () => {
  it('yf-0416-address-change.srt: CRLF, 客服：/客户：, continuation blocks, multi-line text, <i>', () => {
    const { text, source } = fixtureText('srt', 'yf-0416-address-change.srt');
    expect(text).toContain('\r\n');
    const call = theCall(text, source);
    expect(call.id).toBe('yf-0416-address-change');
    expect(call.utterances.map((u) => `${u.role}@${u.start}-${u.end}: ${u.text}`)).toEqual([
      'agent@0.5-13.6: 您好，欢迎致电云帆快递，我是客服赵磊，工号3001，很高兴为您服务。',
      'customer@14.1-19: 你好，我想改一下快递的收件地址。',
      'agent@19.5-23.7: 好的，请您提供运单号。',
      'customer@24.2-29.4: 运单号是YF2026041603。',
      'agent@29.9-36.3: 查到了，包裹目前在杭州转运中心，',
      'agent@36.3-44.9: 还没有派送，可以修改地址。请问您要改到哪里？',
      'customer@45.4-51.3: 改到西湖区文三路一百号，华信大厦前台。',
      'agent@51.8-59.1: 好的，已经为您修改，预计明天上午送达。',
      'customer@59.6-61.1: 好的，谢谢。',
      'agent@61.6-66.7: 不客气，感谢您的来电，再见。',
    ]);
  });

  it('xc-0418-plan-tw.srt: Traditional 坐席：/客戶：, a dot before the milliseconds, a missing blank line', () => {
    const call = theCall(fixture('xc-0418-plan-tw.srt'));
    expect(call.utterances.map((u) => u.role)).toEqual(['agent', 'customer', 'agent', 'customer', 'agent', 'agent', 'customer', 'agent']);
    expect(call.utterances[2]).toEqual({ role: 'agent', start: 17.4, end: 25.6, text: '好的，請問您現在每個月的流量大概用多少？' });
    expect(call.utterances[3]).toEqual({ role: 'customer', start: 26.1, end: 28.3, text: '大概十個G吧。' });
    expect(call.utterances[5]?.text).toBe('包含十五個G的流量和一百分鐘通話，下個月一號生效。');
  });

  it('hx-0422-english.srt: Agent:/Customer:, Latin lines joined with a space, tags stripped', () => {
    const call = theCall(fixture('hx-0422-english.srt'));
    expect(call.utterances.map((u) => u.text)).toEqual([
      'Good morning, thank you for calling Huaxin Bank. My name is Tom, how may I help you?',
      'Hi, I lost my debit card and I need to block it.',
      'I am sorry to hear that. I have blocked the card ending in 2093 for you.',
      'Thank you. Will a new card be sent?',
      'Yes, a new card will arrive within five working days.',
      'Great, thanks.',
      'Thank you for calling Huaxin Bank. Goodbye.',
    ]);
    expect(call.utterances.map((u) => u.role?.[0]).join('')).toBe('acacaca');
  });

  it.each([
    ['tts-no-speakers.srt', [[1, 'no speaker prefixes']]],
    ['first-block-unlabelled.srt', [[3, 'this subtitle has no speaker prefix']]],
    [
      'bad-timings.srt',
      [
        [6, 'expected "-->" between the start and end times'],
        [10, '"00:00:2O,900" is not a time'],
      ],
    ],
  ])('broken/%s is rejected with the lines named', (name, expected) => {
    const got = errors(fixture(`broken/${name}`));
    expect(got.map((e) => [e.line, e.error])).toEqual(expected.map(([line, words]) => [line, expect.stringContaining(words as string)]));
  });

  it('is what readInput picks for a .srt file', async () => {
    const out: Parsed[] = [];
    for await (const p of readInput({ kind: 'file', path: fixturePath('srt', 'yf-0416-address-change.srt') })) out.push(p);
    expect(out).toHaveLength(1);
    expect(out[0]?.call).toMatchObject({ format: 'srt', id: 'yf-0416-address-change' });
  });
});

describe('the srt renderer', () => {
  it('writes SAMPLE so that it reads back turn for turn', () => {
    const rendered = render(SAMPLE);
    expect(rendered.fileName).toBe('X-1.srt');
    expect(rendered.args).toEqual([]);
    const call = theCall(rendered.content.toString(), rendered.fileName);
    expect(call.id).toBe(SAMPLE.id);
    expect(call.utterances.map(({ role, start, end, text }) => ({ role, start, end, text }))).toEqual(SAMPLE.turns);
    const resolved = resolveRoles(call, { greetingElements: [] });
    expect(resolved.roleSource).toBe('given');
    expect(resolved.utterances.map((u) => u.speaker)).toEqual(SAMPLE.turns.map((t) => t.role));
  });
});
