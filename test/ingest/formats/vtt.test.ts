import { describe, expect, it } from 'vitest';
import vtt, { decodeEntities } from '../../../src/ingest/formats/vtt.js';
import { readInput } from '../../../src/ingest/index.js';
import type { Parsed } from '../../../src/ingest/parsed.js';
import type { SourceUtterance } from '../../../src/model/source.js';
import { resolveRoles } from '../../../src/normalise/roles.js';
import { SAMPLE } from '../../helpers/conversation.js';
import { fixturePath, fixtureText, onlyCall, onlyError, onlyErrors, parseText } from '../../helpers/parsed.js';
import { render } from '../../helpers/render/vtt.js';

const SOURCE = 'exports/XC-0412.vtt';

const parse = (text: string, source = SOURCE) => parseText(vtt, text, source);
const theCall = (text: string, source = SOURCE) => onlyCall(parse(text, source));

/** The utterances of a one-cue file whose cue runs 00:01.000 → 00:03.500. */
function cue(...textLines: string[]): SourceUtterance[] {
  return theCall(['WEBVTT', '', '00:01.000 --> 00:03.500', ...textLines, ''].join('\n')).utterances;
}

/** Every item must be an error (a bad file yields no call). */
const errors = (text: string) => onlyErrors(parse(text));

const fixture = (name: string) => fixtureText('vtt', name).text;

describe('vtt format', () => {
  it('is the text format for .vtt files', () => {
    expect(vtt).toMatchObject({ kind: 'text', name: 'vtt', extensions: ['.vtt'] });
  });
});

describe('parseVtt: the call', () => {
  it('takes the file stem as id and leaves everything the format does not say unset', () => {
    expect(parse('WEBVTT\n\n00:00.500 --> 00:02.000\n<v 王芳>您好\n')).toEqual([
      {
        call: {
          format: 'vtt',
          id: 'XC-0412',
          source: SOURCE,
          line: 1,
          agent: {},
          hangupBy: 'unknown',
          utterances: [{ speaker: '王芳', start: 0.5, end: 2, text: '您好' }],
        },
      },
    ]);
  });

  it.each([
    ['plain', 'WEBVTT'],
    ['text after the signature', 'WEBVTT - 星辰通信 质检导出'],
    ['a tab after the signature', 'WEBVTT\tKind: captions'],
    ['header lines', 'WEBVTT\nKind: captions\nLanguage: zh-CN'],
    ['a byte-order mark', '\ufeffWEBVTT'],
  ])('accepts the header with %s', (_, header) => {
    expect(theCall(`${header}\n\n00:01.000 --> 00:02.000\n<v 王芳>您好\n`).utterances).toEqual([{ speaker: '王芳', start: 1, end: 2, text: '您好' }]);
  });

  it.each([
    ['no signature', '00:01.000 --> 00:02.000\n<v 王芳>您好'],
    ['a lower-case signature', 'webvtt\n\n00:01.000 --> 00:02.000\n<v 王芳>您好'],
    ['a word glued to the signature', 'WEBVTTX\n\n00:01.000 --> 00:02.000\n<v 王芳>您好'],
  ])('rejects a file with %s as one error on line 1', (_, text) => {
    expect(onlyError(parse(text))).toEqual({ source: SOURCE, line: 1, error: 'not a WebVTT file: expected "WEBVTT" on the first line' });
  });

  it.each([
    ['\n', 'LF'],
    ['\r\n', 'CRLF'],
    ['\r', 'CR'],
  ])('reads %j line ends (%s)', (nl) => {
    const text = ['WEBVTT', '', '1', '00:01.000 --> 00:02.000', '<v 坐席>您好，', '这里是星辰通信', '', '00:02.500 --> 00:03.000', '<v 客户>你好', ''].join(nl);
    expect(theCall(text).utterances).toEqual([
      { role: 'agent', start: 1, end: 2, text: '您好，这里是星辰通信' },
      { role: 'customer', start: 2.5, end: 3, text: '你好' },
    ]);
  });
});

describe('parseVtt: timings', () => {
  it.each([
    ['00:00.000 --> 00:02.000', 0, 2],
    ['00:01.250 --> 00:03.500', 1.25, 3.5],
    ['00:00:01.250 --> 00:00:03.500', 1.25, 3.5],
    ['01:02:03.004 --> 01:02:04.500', 3723.004, 3724.5],
    ['00:59.999 --> 01:00.000', 59.999, 60],
    ['00:12.3 --> 00:12.45', 12.3, 12.45],
    ['00:01.000 --> 00:02.000 align:start position:10% line:0', 1, 2],
    ['00:01.000-->00:02.000', 1, 2],
    ['00:00:01,000 --> 00:00:02,000', 1, 2],
    ['00:05.000 --> 00:05.000', 5, 5],
  ])('reads %j', (timing, start, end) => {
    const [u] = theCall(`WEBVTT\n\n${timing}\n<v 王芳>您好\n`).utterances;
    expect(u).toMatchObject({ start, end });
  });

  it.each([
    ['00:00.500 -> 00:02.000', 'invalid cue timing "00:00.500 -> 00:02.000": expected "-->" between the start and end times, as in "00:01.000 --> 00:04.000"'],
    ['00:00.500 --> 00:75.000', 'invalid cue timing "00:00.500 --> 00:75.000": "00:75.000" is not a time; expected a line such as "00:01.000 --> 00:04.000"'],
    [
      '00:00:61.000 --> 00:01:02.000',
      'invalid cue timing "00:00:61.000 --> 00:01:02.000": "00:00:61.000" is not a time; expected a line such as "00:01.000 --> 00:04.000"',
    ],
    ['0:00.5a --> 00:02.000', 'invalid cue timing "0:00.5a --> 00:02.000": "0:00.5a" is not a time; expected a line such as "00:01.000 --> 00:04.000"'],
    ['00:01.000 -->', 'invalid cue timing "00:01.000 -->": the end time is missing; expected a line such as "00:01.000 --> 00:04.000"'],
    ['--> 00:01.000', 'invalid cue timing "--> 00:01.000": the start time is missing; expected a line such as "00:01.000 --> 00:04.000"'],
    [
      '00:01.0000 --> 00:02.000',
      'invalid cue timing "00:01.0000 --> 00:02.000": "00:01.0000" is not a time; expected a line such as "00:01.000 --> 00:04.000"',
    ],
    ['00:05.000 --> 00:02.000', 'invalid cue timing "00:05.000 --> 00:02.000": the end is before the start'],
  ])('rejects %j, naming its line', (timing, message) => {
    const text = ['WEBVTT', '', '00:00.000 --> 00:00.400', '<v 王芳>喂', '', 'cue-2', timing, '<v 王芳>您好', ''].join('\n');
    expect(errors(text)).toEqual([{ source: SOURCE, line: 7, error: message }]);
  });

  it('lists every bad timing line of a file and yields no call', () => {
    const text = [
      'WEBVTT',
      '',
      '00:00.000 -> 00:01.000',
      '<v 王芳>您好',
      '',
      '00:01.000 --> 00:02.000',
      '<v 王芳>这里是',
      '',
      '00:03.000 --> 00:02.000',
      '<v 王芳>星辰通信',
    ].join('\n');
    expect(errors(text).map((e) => [e.line, e.error.split(':')[0]])).toEqual([
      [3, 'invalid cue timing "00'],
      [9, 'invalid cue timing "00'],
    ]);
  });
});

describe('parseVtt: blocks', () => {
  it('skips NOTE, STYLE and REGION blocks and reads cue identifiers', () => {
    const text = [
      'WEBVTT',
      '',
      'STYLE',
      '::cue(v[voice="王芳"]) { color: yellow }',
      '',
      'REGION',
      'id:left width:40%',
      '',
      'NOTE 质检抽样：坐席 王芳 --> 客户 陈先生',
      '',
      'NOTE',
      '坐席：这行是注释，不是对话',
      '00:09.000 --> 00:10.000',
      '',
      'intro',
      '00:01.000 --> 00:02.000',
      '<v 王芳>您好',
      '',
      '2',
      '00:02.500 --> 00:03.000',
      '<v 陈先生>你好',
      '',
    ].join('\n');
    expect(theCall(text).utterances).toEqual([
      { speaker: '王芳', start: 1, end: 2, text: '您好' },
      { speaker: '陈先生', start: 2.5, end: 3, text: '你好' },
    ]);
  });

  it('starts a new cue at a timing line even when the blank line before it is missing', () => {
    const text = ['WEBVTT', '00:01.000 --> 00:02.000', '<v 王芳>您好', '00:02.500 --> 00:03.000', '<v 陈先生>你好'].join('\n');
    expect(theCall(text).utterances.map((u) => [u.speaker, u.start, u.text])).toEqual([
      ['王芳', 1, '您好'],
      ['陈先生', 2.5, '你好'],
    ]);
  });

  it('drops cues without text', () => {
    const text = [
      'WEBVTT',
      '',
      '00:00.000 --> 00:01.000',
      '',
      '00:01.000 --> 00:02.000',
      '<v 王芳><i></i>',
      '',
      '00:02.000 --> 00:03.000',
      '<v 王芳>您好',
    ].join('\n');
    expect(theCall(text).utterances).toEqual([{ speaker: '王芳', start: 2, end: 3, text: '您好' }]);
  });

  it.each([
    [
      'an identifier followed by text',
      ['WEBVTT', '', 'cue-1', '<v 王芳>您好', ''],
      4,
      'expected a cue timing line such as "00:01.000 --> 00:04.000" after the cue identifier',
    ],
    [
      'a lone line of text',
      ['WEBVTT', '', '00:01.000 --> 00:02.000', '<v 王芳>您好', '', '坐席：请稍等', ''],
      6,
      'a block must be a cue, NOTE, STYLE or REGION',
    ],
    [
      'an identifier followed by a timing without arrow',
      ['WEBVTT', '', 'cue-1', '00:01.000 00:02.000', '<v 王芳>您好'],
      4,
      'expected "-->" between the start and end times',
    ],
  ])('rejects %s, naming the line', (_, lines, line, words) => {
    const [error] = errors(lines.join('\n'));
    expect(error?.line).toBe(line);
    expect(error?.error).toContain(words);
  });

  it.each([
    ['only the signature', 'WEBVTT\n'],
    ['only notes', 'WEBVTT\n\nNOTE 没有对话\n'],
  ])('rejects a file with %s: no cues', (_, text) => {
    expect(onlyError(parse(text))).toEqual({
      source: SOURCE,
      line: 1,
      error: 'no cues: expected cues such as "00:01.000 --> 00:04.000" followed by "<v 王芳>您好"',
    });
  });

  it('rejects a file whose cues are all empty', () => {
    expect(onlyError(parse('WEBVTT\n\n00:01.000 --> 00:02.000\n<v 王芳> \n')).error).toBe('no speech: every cue is empty');
  });
});

describe('parseVtt: voice tags', () => {
  it.each<[string, string, SourceUtterance[]]>([
    ['a voice name', '<v 王芳>您好', [{ speaker: '王芳', start: 1, end: 3.5, text: '您好' }]],
    ['a name with a space', '<v Emily Zhao>Hello', [{ speaker: 'Emily Zhao', start: 1, end: 3.5, text: 'Hello' }]],
    ['classes', '<v.first.loud Esme>Hi there', [{ speaker: 'Esme', start: 1, end: 3.5, text: 'Hi there' }]],
    ['a closing </v>', '<v 王芳>您好</v>', [{ speaker: '王芳', start: 1, end: 3.5, text: '您好' }]],
    ['the role alias 坐席', '<v 坐席>您好', [{ role: 'agent', start: 1, end: 3.5, text: '您好' }]],
    ['the role alias Agent', '<v Agent>Hello', [{ role: 'agent', start: 1, end: 3.5, text: 'Hello' }]],
    ['the Traditional alias 客戶', '<v.caller 客戶>你好', [{ role: 'customer', start: 1, end: 3.5, text: '你好' }]],
    ['text after </v>', '<v Esme>Hee!</v> <i>laughter</i>', [{ speaker: 'Esme', start: 1, end: 3.5, text: 'Hee! laughter' }]],
    [
      'two voices',
      '<v 王芳>请稍等。</v> <v 陈先生>好的。</v>',
      [
        { speaker: '王芳', start: 1, end: 3.5, text: '请稍等。' },
        { speaker: '陈先生', start: 1, end: 3.5, text: '好的。' },
      ],
    ],
    [
      'two voices without </v>',
      '<v Ann>hi <v Bo>yo',
      [
        { speaker: 'Ann', start: 1, end: 3.5, text: 'hi' },
        { speaker: 'Bo', start: 1, end: 3.5, text: 'yo' },
      ],
    ],
    ['one voice twice', '<v 王芳>您好，</v><v 王芳>这里是星辰通信', [{ speaker: '王芳', start: 1, end: 3.5, text: '您好，这里是星辰通信' }]],
    [
      'other inline tags',
      '<v 王芳><i>您好</i>，<b>这里</b>是<u>星辰</u><c.highlight.red>通信</c><lang en>OK</lang>',
      [{ speaker: '王芳', start: 1, end: 3.5, text: '您好，这里是星辰通信OK' }],
    ],
    ['karaoke timestamps', '<v 王芳>您好，<00:01.800>这里是<00:00:02.400>星辰通信', [{ speaker: '王芳', start: 1, end: 3.5, text: '您好，这里是星辰通信' }]],
    ['ruby text, dropped', '<v 王芳><ruby>星<rt>xīng</rt>辰<rt>chén</rt></ruby>通信', [{ speaker: '王芳', start: 1, end: 3.5, text: '星辰通信' }]],
    ['a voice name with an entity', '<v 李&amp;王>你好', [{ speaker: '李&王', start: 1, end: 3.5, text: '你好' }]],
    ['a "<" that opens no tag', '<v Tom>a <3 b', [{ speaker: 'Tom', start: 1, end: 3.5, text: 'a <3 b' }]],
  ])('reads %s', (_, text, expected) => {
    expect(cue(text)).toEqual(expected);
  });

  it('keeps a role prefix inside a voice span as text: the voice names the speaker', () => {
    expect(cue('<v 王芳>客户：这是引用')).toEqual([{ speaker: '王芳', start: 1, end: 3.5, text: '客户：这是引用' }]);
  });
});

describe('parseVtt: entities', () => {
  it.each([
    ['宽带&amp;电视', '宽带&电视'],
    ['a &lt;b&gt; c', 'a <b> c'],
    ['x&nbsp;y', 'x\u00a0y'],
    ['&lrm;您好&rlm;', '您好'],
    ['&quot;OK&quot; &apos;s', '"OK" \'s'],
    ['&#20320;&#x597D;', '你好'],
    ['&copy; &amp', '&copy; &amp'],
  ])('decodes %j', (raw, decoded) => {
    expect(decodeEntities(raw)).toBe(decoded);
  });

  it('decodes entities in cue text after tags are read, so &lt;v&gt; is text', () => {
    expect(cue('<v 王芳>&lt;v 陈先生&gt;您好&amp;再见')).toEqual([{ speaker: '王芳', start: 1, end: 3.5, text: '<v 陈先生>您好&再见' }]);
  });
});

describe('parseVtt: prefixes and cues without a speaker', () => {
  it.each<[string, string[], SourceUtterance[]]>([
    ['坐席：', ['坐席：您好'], [{ role: 'agent', start: 1, end: 3.5, text: '您好' }]],
    ['客服: with a half-width colon', ['客服: 您好'], [{ role: 'agent', start: 1, end: 3.5, text: '您好' }]],
    ['客户：', ['客户：你好'], [{ role: 'customer', start: 1, end: 3.5, text: '你好' }]],
    ['Agent:', ['Agent: Hello'], [{ role: 'agent', start: 1, end: 3.5, text: 'Hello' }]],
    ['Customer:', ['Customer:Hi'], [{ role: 'customer', start: 1, end: 3.5, text: 'Hi' }]],
    ['a tag around the text', ['<i>坐席：您好</i>'], [{ role: 'agent', start: 1, end: 3.5, text: '您好' }]],
    [
      'a dialogue cue',
      ['- 客户：新卡什么时候到？', '- 坐席：三到五个工作日。'],
      [
        { role: 'customer', start: 1, end: 3.5, text: '新卡什么时候到？' },
        { role: 'agent', start: 1, end: 3.5, text: '三到五个工作日。' },
      ],
    ],
    ['a prefixed line and its continuation', ['坐席：好的，', '已经为您冻结了。'], [{ role: 'agent', start: 1, end: 3.5, text: '好的，已经为您冻结了。' }]],
  ])('reads %s', (_, lines, expected) => {
    expect(cue(...lines)).toEqual(expected);
  });

  it('does not take an unknown name before a colon for a speaker', () => {
    const text = ['WEBVTT', '', '00:01.000 --> 00:02.000', '坐席：您好', '', '00:02.000 --> 00:03.000', '备注：系统提示音'].join('\n');
    expect(theCall(text).utterances[1]).toEqual({ role: 'agent', start: 2, end: 3, text: '备注：系统提示音' });
  });

  it('continues the last speaker in a cue with neither voice nor prefix', () => {
    const text = [
      'WEBVTT',
      '',
      '00:01.000 --> 00:04.000',
      '<v 王芳>查到了，小区光缆被挖断，',
      '',
      '00:04.000 --> 00:06.000',
      '预计下午三点前恢复。',
      '',
      '00:06.500 --> 00:08.000',
      '<v 陈先生>好的，',
      '',
      '00:08.000 --> 00:09.000',
      'thanks.',
      '',
      '00:09.500 --> 00:10.000',
      '坐席：不客气。',
      '',
      '00:10.000 --> 00:11.000',
      '再见。',
    ].join('\n');
    expect(theCall(text).utterances).toEqual([
      { speaker: '王芳', start: 1, end: 4, text: '查到了，小区光缆被挖断，' },
      { speaker: '王芳', start: 4, end: 6, text: '预计下午三点前恢复。' },
      { speaker: '陈先生', start: 6.5, end: 8, text: '好的，' },
      { speaker: '陈先生', start: 8, end: 9, text: 'thanks.' },
      { role: 'agent', start: 9.5, end: 10, text: '不客气。' },
      { role: 'agent', start: 10, end: 11, text: '再见。' },
    ]);
  });

  it('rejects a file without any speaker as one error', () => {
    const text = ['WEBVTT', '', '00:01.000 --> 00:02.000', '您好，这里是星辰通信', '', '00:02.000 --> 00:03.000', '我想查话费'].join('\n');
    expect(onlyError(parse(text))).toEqual({
      source: SOURCE,
      line: 1,
      error:
        'no speaker information: expected <v Name> voice tags or 坐席：, 客服：, 客户：, Agent: or Customer: prefixes in the cue text; without them the agent cannot be told from the customer',
    });
  });

  it('rejects a first cue that no speaker can be given, naming the line of its text', () => {
    const text = ['WEBVTT', '', '00:00.000 --> 00:01.000', '（背景音乐）', '', '00:01.000 --> 00:02.000', '<v 王芳>您好'].join('\n');
    expect(onlyError(parse(text))).toEqual({
      source: SOURCE,
      line: 4,
      error: 'this cue has no speaker and no cue before it has one: expected a <v Name> voice tag or a 坐席：, 客服：, 客户：, Agent: or Customer: prefix',
    });
  });

  it('names the line where unvoiced text begins in a cue whose voice comes later', () => {
    const text = ['WEBVTT', '', '00:00.000 --> 00:01.000', '<i></i>', '嘟…', '<v 王芳>您好'].join('\n');
    expect(onlyError(parse(text)).line).toBe(5);
  });
});

describe('parseVtt: joining the lines of a cue', () => {
  it.each([
    ['Han lines: nothing between', ['您好，这里是', '星辰通信'], '您好，这里是星辰通信'],
    ['Latin lines: one space', ['Thank you for calling', 'Huaxin Bank.'], 'Thank you for calling Huaxin Bank.'],
    ['Han after a Latin line: nothing', ['我的账号是 XC8812', '请帮我查'], '我的账号是 XC8812请帮我查'],
    ['Latin after full-width punctuation: nothing', ['我想开通', 'VIP服务，', 'OK吗'], '我想开通VIP服务，OK吗'],
    ['trimmed lines', ['  您好  ', '  再见 '], '您好再见'],
    ['digits: one space', ['card 4417', '2093'], 'card 4417 2093'],
  ])('%s', (_, lines, joined) => {
    expect(cue(`<v 王芳>${lines[0]}`, ...lines.slice(1))[0]?.text).toBe(joined);
    expect(cue(`坐席：${lines[0]}`, ...lines.slice(1))[0]?.text).toBe(joined);
  });
});

describe('parseVtt: fixtures', () => {
  it('xc-0412-broadband.vtt: display names, classes, notes, styles, settings, inline tags and entities', () => {
    const { text, source } = fixtureText('vtt', 'xc-0412-broadband.vtt');
    const call = theCall(text, source);
    expect(call.id).toBe('xc-0412-broadband');
    expect(call.utterances).toHaveLength(12);
    expect(call.utterances.slice(0, 3)).toEqual([
      { speaker: '王芳', start: 0.5, end: 10.5, text: '您好，这里是星辰通信，我是客服王芳，很高兴为您服务。' },
      { speaker: '陈先生', start: 11, end: 18.2, text: '你好，我家宽带从昨天晚上开始就一直连不上。 （叹气）' },
      { speaker: '王芳', start: 18.7, end: 30.9, text: '非常抱歉给您带来不便，麻烦您提供一下宽带账号或者装机电话。' },
    ]);
    expect(call.utterances.slice(4, 8)).toEqual([
      { speaker: '王芳', start: 38.8, end: 42.6, text: '好的，我查一下。' },
      { speaker: '陈先生', start: 38.8, end: 42.6, text: '嗯，好。' },
      { speaker: '王芳', start: 43.8, end: 55.6, text: '查到了，您所在的小区光缆昨晚被施工挖断，维修师傅正在抢修，' },
      { speaker: '王芳', start: 55.6, end: 60.7, text: '预计今天下午三点前恢复。' },
    ]);
    expect(call.utterances[9]?.text).toBe('断网期间宽带&电视套餐的月租会按天减免，下个月账单里自动扣除，您不用另外申请。');
    expect(call.utterances[11]).toEqual({ speaker: '王芳', start: 84.2, end: 92.4, text: '感谢您的来电，还有什么可以帮您的吗？再见。' });

    const roles = resolveRoles(call, { agentName: '王芳', greetingElements: [] });
    expect(roles.roleSource).toBe('flag');
    expect(roles.utterances.map((u) => u.speaker[0]).join('')).toBe('acacacaacaca');
  });

  it('yf-0415-parcel-tw.vtt: Traditional script, role aliases as voice names, CRLF, hours', () => {
    const call = theCall(fixture('yf-0415-parcel-tw.vtt'));
    expect(call.utterances.map((u) => u.role)).toEqual(['agent', 'customer', 'agent', 'customer', 'agent', 'customer', 'agent']);
    expect(call.utterances[0]).toEqual({ role: 'agent', start: 0.6, end: 10.6, text: '您好，這裡是雲帆快遞，我是客服周婷，很高興為您服務。' });
    expect(call.utterances[4]?.text).toBe('查到了，快遞員把包裹放在了您社區的智慧快遞櫃，取件碼已經用簡訊發到您的手機上了。');
    expect(call.utterances[6]).toMatchObject({ start: 56.6, end: 64.4 });
  });

  it('hx-0420-card-prefixes.vtt: prefixes, a continuation cue and a dialogue cue', () => {
    const call = theCall(fixture('hx-0420-card-prefixes.vtt'));
    expect(call.utterances.map((u) => `${u.role === 'agent' ? '坐席' : '客户'}@${u.start}: ${u.text}`)).toEqual([
      '坐席@0.5: 您好，这里是华信银行信用卡中心，我是客服李娜，很高兴为您服务。',
      '客户@13.2: 你好，我的信用卡昨天被盗刷了两笔。',
      '坐席@18.9: 请您别着急，我先帮您把卡片临时冻结，请问您的卡号后四位是多少？',
      '客户@32: 后四位是五五八一。',
      '坐席@35.4: 好的，已经为您冻结了。这两笔交易我们会提交争议处理，',
      '坐席@45.8: 七个工作日内给您答复。',
      '客户@50.9: 那新卡什么时候能寄到？',
      '坐席@50.9: 三到五个工作日。',
      '坐席@55.6: 感谢您的来电，还有什么可以帮您的吗？再见。',
    ]);
  });

  it('hx-0421-english.vtt: English, names with spaces, lines joined with a space', () => {
    const call = theCall(fixture('hx-0421-english.vtt'));
    expect(new Set(call.utterances.map((u) => u.speaker))).toEqual(new Set(['Emily Zhao', 'David Brown']));
    expect(call.utterances[0]).toEqual({
      speaker: 'Emily Zhao',
      start: 0.4,
      end: 7.7,
      text: 'Thank you for calling Huaxin Bank, this is Emily speaking. How can I help you today?',
    });
    expect(call.utterances[1]?.text).toBe("Hi Emily, I'd like to raise the limit on my card & check my balance.");
    expect(call.utterances[5]?.text).toBe('Great, thanks. [laughs]');
  });

  it.each([
    ['no-speakers.vtt', [[1, 'no speaker information']]],
    ['unlabelled-first-cue.vtt', [[4, 'this cue has no speaker']]],
    [
      'bad-timings.vtt',
      [
        [8, 'expected "-->" between the start and end times'],
        [12, '"00:75.000" is not a time'],
        [16, 'the end is before the start'],
      ],
    ],
  ])('broken/%s is rejected with the lines named', (name, expected) => {
    const got = errors(fixture(`broken/${name}`));
    expect(got.map((e) => [e.line, e.error])).toEqual(expected.map(([line, words]) => [line, expect.stringContaining(words as string)]));
  });

  it('is what readInput picks for a .vtt file', async () => {
    const out: Parsed[] = [];
    for await (const p of readInput({ kind: 'file', path: fixturePath('vtt', 'yf-0415-parcel-tw.vtt') })) out.push(p);
    expect(out).toHaveLength(1);
    expect(out[0]?.call).toMatchObject({ format: 'vtt', id: 'yf-0415-parcel-tw' });
  });
});

describe('the vtt renderer', () => {
  it('writes SAMPLE so that it reads back turn for turn, with the agent told apart by its flag', () => {
    const rendered = render(SAMPLE);
    expect(rendered.fileName).toBe('X-1.vtt');
    expect(rendered.args).toEqual(['--agent-name', '王芳']);
    const text = rendered.content.toString();
    const call = theCall(text, rendered.fileName);
    expect(call.id).toBe(SAMPLE.id);
    const resolved = resolveRoles(call, { agentName: rendered.args[1] as string, greetingElements: [] });
    expect(resolved.utterances.map(({ speaker, start, end, text: said }) => ({ role: speaker, start, end, text: said }))).toEqual(SAMPLE.turns);
  });

  it('escapes text that would read as markup', () => {
    const rendered = render({ id: 'X-2', turns: [{ role: 'agent', start: 0, end: 1.5, text: 'a <b> & c --> d' }] });
    expect(theCall(rendered.content.toString()).utterances).toEqual([{ speaker: '王芳', start: 0, end: 1.5, text: 'a <b> & c --> d' }]);
  });
});
