import { describe, expect, it } from 'vitest';
import format, { joinWords } from '../../../src/ingest/formats/aws-transcribe.js';
import { JSON_FORMATS } from '../../../src/ingest/formats/index.js';
import { resolveRoles } from '../../../src/normalise/roles.js';
import type { Conversation } from '../../helpers/conversation.js';
import { SAMPLE } from '../../helpers/conversation.js';
import { render } from '../../helpers/render/aws-transcribe.js';
import { fixtureText, onlyCall, onlyError, parseJson } from '../../helpers/parsed.js';

const fixture = (name: string) => fixtureText('aws-transcribe', name);
const SOURCE = 'transcribe/0311-0815.json';

const parse = (text: string, source = SOURCE) => parseJson(format, text, source);
const theCall = (text: string, source?: string) => onlyCall(parse(text, source));
const theError = (text: string) => onlyError(parse(text));

const word = (start: string, end: string, content: string, extra: Record<string, unknown> = {}) => ({
  start_time: start,
  end_time: end,
  alternatives: [{ confidence: '0.99', content }],
  type: 'pronunciation',
  ...extra,
});
const mark = (content: string) => ({ alternatives: [{ confidence: '0.0', content }], type: 'punctuation' });

/** A Transcribe document with one item a line: results.items[k] begins on line k + 4. */
function transcribe(items: unknown[], results: Record<string, unknown> = {}, top: Record<string, unknown> = { jobName: 'job-7' }): string {
  const head = JSON.stringify(top).slice(1, -1);
  const rest = JSON.stringify(results).slice(1, -1);
  return `{${head}${head ? ',' : ''}\n"results": {\n"items": [\n${items.map((i) => JSON.stringify(i)).join(',\n')}\n]${rest ? `,\n${rest}` : ''}\n}}`;
}

/** Speaker segments for words given as [start, end, label]. */
function labels(words: [string, string, string][]): Record<string, unknown> {
  return {
    speaker_labels: {
      speakers: new Set(words.map((w) => w[2])).size,
      segments: words.map(([start, end, label]) => ({
        start_time: start,
        end_time: end,
        speaker_label: label,
        items: [{ start_time: start, end_time: end, speaker_label: label }],
      })),
    },
  };
}

describe('aws-transcribe: detect', () => {
  it.each<[string, unknown, boolean]>([
    ['speaker-labelled output', { jobName: 'j', results: { items: [], speaker_labels: { segments: [] } } }, true],
    ['output without speakers (parse then explains)', { results: { transcripts: [], items: [] } }, true],
    ['Call Analytics output', { JobName: 'j', Transcript: [] }, false],
    ['results without items', { results: { transcripts: [] } }, false],
    ['a number', 3, false],
  ])('%s → %s', (_what, value, expected) => {
    expect(format.detect(value)).toBe(expected);
  });

  it('is the JSON format chosen for every fixture', () => {
    for (const name of ['transcribe-xingchen-3-speakers.json', 'transcribe-huaxin-channels.json', 'transcribe-english-item-labels.json']) {
      const parsed = JSON.parse(fixture(name).text);
      expect(JSON_FORMATS.find((f) => f.detect(parsed))?.name).toBe('aws-transcribe');
    }
  });
});

describe('aws-transcribe: joining words', () => {
  it.each<[string, [string, string][], string]>([
    [
      'Han words without spaces',
      [
        ['您好', ''],
        ['这里是', ''],
        ['星辰通信', ''],
      ],
      '您好这里是星辰通信',
    ],
    [
      'full-width punctuation glued, no space after it',
      [
        ['您好', '，'],
        ['这里是', ''],
        ['星辰通信', '。'],
      ],
      '您好，这里是星辰通信。',
    ],
    [
      'English words spaced, punctuation glued',
      [
        ['Hello', ','],
        ['this', ''],
        ['is', ''],
        ['Emily', '.'],
      ],
      'Hello, this is Emily.',
    ],
    [
      'Latin next to Han is spaced',
      [
        ['我的', ''],
        ['iPhone', ''],
        ['坏了', ''],
      ],
      '我的 iPhone 坏了',
    ],
    [
      'Han on both sides of ASCII punctuation',
      [
        ['您好', ','],
        ['请讲', ''],
      ],
      '您好,请讲',
    ],
    [
      'Latin after full-width punctuation',
      [
        ['好的', '，'],
        ['OK', ''],
      ],
      '好的，OK',
    ],
    [
      'digits between Han are spaced',
      [
        ['工号', ''],
        ['2046', ''],
        ['为您服务', ''],
      ],
      '工号 2046 为您服务',
    ],
  ])('%s', (_what, words, text) => {
    expect(joinWords(words.map(([content, punctuation]) => ({ content, punctuation })))).toBe(text);
  });
});

describe('aws-transcribe: the fixtures', () => {
  it('reads a 2-party Mandarin call diarised into 3 speakers: labels kept as written, roles left to roles.ts', () => {
    const { text, source } = fixture('transcribe-xingchen-3-speakers.json');
    const call = theCall(text, source);
    expect(call).toMatchObject({ format: 'aws-transcribe', id: 'xc-repair-20260311-0815', source, agent: {}, hangupBy: 'unknown' });
    expect(call.utterances).toEqual([
      { speaker: 'spk_0', start: 0.4, end: 0.82, text: '喂？' },
      { speaker: 'spk_1', start: 1.27, end: 10.24, text: '您好，这里是星辰通信，我是孙磊，很高兴为您服务。' },
      { speaker: 'spk_0', start: 10.69, end: 14.26, text: '你好，我家宽带断了。' },
      { speaker: 'spk_1', start: 14.71, end: 17.74, text: '请问账号是多少？' },
      { speaker: 'spk_2', start: 18.19, end: 22.45, text: '幺三九零零一二三四五。' },
      { speaker: 'spk_1', start: 22.9, end: 27.46, text: '好的，明天上门维修，再见。' },
    ]);
    // With --agent-speaker spk_1, both other labels are the customer's.
    const resolved = resolveRoles(call, { agentSpeaker: 'spk_1', greetingElements: [] });
    expect(resolved.utterances.map((u) => u.speaker)).toEqual(['customer', 'agent', 'customer', 'agent', 'customer', 'agent']);
  });

  it('reads dual-channel output: channel numbers, no speaker; crosstalk splits turns by word time', () => {
    const { text, source } = fixture('transcribe-huaxin-channels.json');
    const call = theCall(text, source);
    expect(call.id).toBe('hx-card-20260312-1420');
    expect(call.utterances).toEqual([
      { channel: 0, start: 0.52, end: 8.62, text: '您好，华信银行，我是林雅婷，很高兴为您服务。' },
      { channel: 1, start: 9.1, end: 11.96, text: '我的信用卡丢了。' },
      { channel: 0, start: 12.4, end: 16.33, text: '请报一下卡号后四位。' },
      { channel: 1, start: 16.6, end: 18.2, text: '八八六二。' },
      { channel: 0, start: 19.8, end: 25.11, text: '已为您冻结，新卡五个工作日' },
      { channel: 1, start: 24, end: 25.75, text: '好的，谢谢。' },
      { channel: 0, start: 25.14, end: 25.98, text: '寄出。' },
    ]);
  });

  it('reads English output whose items carry their own speaker_label', () => {
    const { text, source } = fixture('transcribe-english-item-labels.json');
    const call = theCall(text, source);
    expect(call.id).toBe('yunfan-en-0009');
    expect(call.utterances).toEqual([
      { speaker: 'spk_0', start: 0.4, end: 6.13, text: 'Thank you for calling Yunfan Express, this is Emily, how can I help you?' },
      { speaker: 'spk_1', start: 6.58, end: 8.62, text: "Hi, my parcel isn't here." },
      { speaker: 'spk_0', start: 9.07, end: 11.71, text: "Sorry, what's the tracking number?" },
    ]);
  });
});

describe('aws-transcribe: words to speakers', () => {
  it('matches words to segment items by time, whatever the decimals ("4.87" = "4.870")', () => {
    const items = [word('4.870', '5.020', '您好'), mark('，'), word('5.020', '5.500', '请讲'), word('6.100', '6.400', '喂')];
    const results = labels([
      ['4.87', '5.02', 'spk_1'],
      ['5.02', '5.5', 'spk_1'],
      ['6.1', '6.4', 'spk_0'],
    ]);
    expect(theCall(transcribe(items, results)).utterances).toEqual([
      { speaker: 'spk_1', start: 4.87, end: 5.5, text: '您好，请讲' },
      { speaker: 'spk_0', start: 6.1, end: 6.4, text: '喂' },
    ]);
  });

  it('falls back to the segment whose span holds the word', () => {
    const items = [word('1.0', '1.4', 'Hello'), word('1.5', '1.9', 'there')];
    const results = { speaker_labels: { speakers: 1, segments: [{ start_time: '0.9', end_time: '2.0', speaker_label: 'spk_3', items: [] }] } };
    expect(theCall(transcribe(items, results)).utterances).toEqual([{ speaker: 'spk_3', start: 1, end: 1.9, text: 'Hello there' }]);
  });

  it('sorts words by start time before grouping them, and keeps punctuation with its word', () => {
    const items = [word('2.0', '2.4', '好的', { speaker_label: 'spk_0' }), mark('。'), word('0.5', '1.0', '您好', { speaker_label: 'spk_1' }), mark('，')];
    expect(theCall(transcribe(items)).utterances).toEqual([
      { speaker: 'spk_1', start: 0.5, end: 1, text: '您好，' },
      { speaker: 'spk_0', start: 2, end: 2.4, text: '好的。' },
    ]);
  });

  it('drops punctuation that comes before any word', () => {
    const items = [mark('。'), word('0.5', '1.0', '您好', { speaker_label: 'spk_1' })];
    expect(theCall(transcribe(items)).utterances).toEqual([{ speaker: 'spk_1', start: 0.5, end: 1, text: '您好' }]);
  });
});

describe('aws-transcribe: call id', () => {
  it.each<[string, Record<string, unknown>, string, string]>([
    ['jobName', { jobName: 'xc-0311-0815' }, 'a.json', 'xc-0311-0815'],
    ['jobName without its .wav', { jobName: 'xc-0311-0815.wav' }, 'a.json', 'xc-0311-0815'],
    ['jobName with a dot that is no audio extension', { jobName: 't_job0.80' }, 'a.json', 't_job0.80'],
    ['the file stem', {}, 'out/hx-card-77.json', 'hx-card-77'],
  ])('%s', (_what, top, source, id) => {
    expect(theCall(transcribe([word('0.1', '0.5', '您好', { speaker_label: 'spk_0' })], {}, top), source).id).toBe(id);
  });
});

describe('aws-transcribe: errors name the key and the line', () => {
  const spk = { speaker_label: 'spk_0' };
  it.each<[string, unknown[], Record<string, unknown>, number, string]>([
    ['no speaker information', [word('0.1', '0.5', '您好')], {}, 2, 'results: no speaker information: expected results.speaker_labels'],
    [
      'a time that is not seconds',
      [word('0.1', '0.5', '您好', spk), word('abc', '0.9', '请讲', spk)],
      {},
      5,
      'results.items[1].start_time: expected seconds as a decimal string such as "0.860", got "abc"',
    ],
    [
      'a missing time',
      [word('0.1', '0.5', '您好', spk), { ...word('0.6', '0.9', '请讲', spk), end_time: undefined }],
      {},
      5,
      'results.items[1].end_time: missing',
    ],
    ['an end before its start', [word('0.6', '0.5', '您好', spk)], {}, 4, 'results.items[0].end_time: end 0.5 s is before start 0.6 s'],
    [
      'an unknown item type',
      [{ ...word('0.1', '0.5', '您好', spk), type: 'filler' }],
      {},
      4,
      'results.items[0].type: expected "pronunciation" or "punctuation", got "filler"',
    ],
    [
      'no alternatives',
      [{ start_time: '0.1', end_time: '0.5', type: 'pronunciation', speaker_label: 'spk_0' }],
      {},
      4,
      'results.items[0].alternatives: expected the recognised text as a string',
    ],
    [
      'a word no speaker segment holds',
      [word('0.1', '0.5', '您好'), word('9.0', '9.5', '请讲')],
      labels([['0.1', '0.5', 'spk_0']]),
      5,
      'results.items[1]: no speaker for the word at 9 s',
    ],
    ['no words', [], labels([]), 3, 'results.items: expected at least one word; the transcript is empty'],
    [
      'a bad channel label',
      [],
      { channel_labels: { channels: [{ channel_label: 'left', items: [] }] } },
      6,
      'results.channel_labels.channels[0].channel_label: expected a channel_label such as "ch_0", got "left"',
    ],
  ])('%s', (_what, items, results, line, message) => {
    const error = theError(transcribe(items, results));
    expect(error).toMatchObject({ source: SOURCE, line });
    expect(error.error).toContain(message);
  });
});

describe('aws-transcribe: rendered conversations', () => {
  /** Turns as callqa reads them back, with --agent-speaker from the rendering's args. */
  function readBack(conv: Conversation) {
    const rendered = render(conv);
    expect(rendered.args).toEqual(['--agent-speaker', 'spk_1']);
    const call = theCall(String(rendered.content), rendered.fileName);
    expect(call.id).toBe(conv.id);
    const resolved = resolveRoles(call, { agentSpeaker: rendered.args[1] as string, greetingElements: [] });
    expect(resolved.roleSource).toBe('flag');
    return resolved.utterances.map((u) => ({ role: u.speaker, start: u.start, end: u.end, text: u.text }));
  }

  it('reads back SAMPLE: same turns, roles, times and texts, overlap included', () => {
    expect(readBack(SAMPLE)).toEqual(SAMPLE.turns);
  });

  it('reads back texts that mix scripts, digits and spaced punctuation', () => {
    const conv: Conversation = {
      id: 'MIX-1',
      turns: [
        { role: 'agent', start: 0.25, end: 4, text: '您好，我的iPhone坏了？OK，好的！' },
        { role: 'customer', start: 4.5, end: 7.125, text: 'It is 1.8% a year. Looking ...' },
        { role: 'agent', start: 7.5, end: 9, text: '“华信银行”为您服务，工号 2046。' },
      ],
    };
    expect(readBack(conv)).toEqual(conv.turns);
  });
});
