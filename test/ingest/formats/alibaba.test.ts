import { describe, expect, it } from 'vitest';
import alibaba from '../../../src/ingest/formats/alibaba.js';
import { JSON_FORMATS } from '../../../src/ingest/formats/index.js';
import { readInput } from '../../../src/ingest/index.js';
import type { Parsed } from '../../../src/ingest/parsed.js';
import { resolveRoles } from '../../../src/normalise/roles.js';
import { SAMPLE } from '../../helpers/conversation.js';
import { fixturePath, fixtureText, onlyCall, onlyError, parseJson } from '../../helpers/parsed.js';
import { render } from '../../helpers/render/alibaba.js';

const parseText = (text: string, source = 'calls/ali-001.json') => parseJson(alibaba, text, source);
const fixture = (name: string) => fixtureText('alibaba', name);
const callOf = (text: string, source?: string) => onlyCall(parseText(text, source));

/** An envelope with one sentence a line: sentence k is on line 3 + k. */
const envelope = (...sentences: string[]) => `{"TaskId": "T-1", "StatusText": "SUCCESS",\n "Result": {"Sentences": [\n${sentences.join(',\n')}\n]}}`;
const AGENT = '{"BeginTime": 0, "EndTime": 2000, "Text": "您好，星辰通信。", "ChannelId": 0}';
const CUSTOMER = '{"BeginTime": 2500, "EndTime": 4000, "Text": "你好。", "ChannelId": 1}';

describe('alibaba: fixtures', () => {
  it('reads a PascalCase envelope of a dual-channel call, sorted by BeginTime', () => {
    const { text, source } = fixture('star-billing-dual-channel.json');
    const call = callOf(text, source);
    expect(call).toMatchObject({ format: 'alibaba', id: 'star-billing-dual-channel', source, hangupBy: 'unknown', agent: {}, defaultAgentChannel: 0 });
    expect(call.utterances.map((u) => [u.channel, u.start, u.end])).toEqual([
      [0, 0.42, 6.18],
      [1, 6.9, 11.5],
      [0, 11.9, 17.35],
      [1, 18.05, 25.4],
      [0, 26.1, 33.87],
      [1, 34.5, 39.9],
      [0, 40.25, 47.8],
      [1, 48.1, 51.7],
      [0, 52.3, 57.12],
    ]);
    // Only the canonical fields: SpeechRate, EmotionValue and SilenceDuration are left out.
    expect(call.utterances[0]).toEqual({ channel: 0, start: 0.42, end: 6.18, text: '您好，这里是星辰通信客服中心，工号3027，很高兴为您服务。' });
    expect(call.utterances[1]?.text).toBe('喂，你好，我想问一下这个月话费怎么多了二十块。');
    expect(call.utterances[6]?.text).toBe('这个我也不知道，可能是您不小心回复了短信。我可以帮您申请退订。');
  });

  it('reads the camelCase (version 4.0) envelope, with times as numeric strings', () => {
    const { text, source } = fixture('yunfan-v4-camelcase.json');
    const call = callOf(text, source);
    expect(call.id).toBe('yunfan-v4-camelcase');
    expect(call.defaultAgentChannel).toBe(0);
    expect(call.utterances.map((u) => [u.channel, u.start, u.end])).toEqual([
      [0, 0.3, 5.21],
      [1, 5.8, 12.65],
      [0, 13.1, 20.48],
      [1, 21, 24.3],
      [0, 24.9, 31.7],
      [1, 32.1, 33.5],
      [0, 33.9, 37.2],
    ]);
    expect(call.utterances[1]?.text).toBe('你好，我的快递三天了还没到，单号是YF20240318776。');
  });

  it('reads top-level Sentences of a diarised mono call: SpeakerId labels, no default agent channel', () => {
    const { text, source } = fixture('huaxin-diarised-mono.json');
    const call = callOf(text, source);
    expect(call.id).toBe('huaxin-diarised-mono');
    expect(call.defaultAgentChannel).toBeUndefined();
    expect(call.utterances.map((u) => u.speaker)).toEqual(['1', '2', '1', '2', '1', '2', '1', '2']);
    expect(call.utterances[1]).toEqual({
      channel: 0,
      speaker: '2',
      start: 4.6,
      end: 11.2,
      text: '您好，这里是华信银行信用卡中心，我是客服陈静，请问您是卡片持有人本人吗？',
    });
  });

  it('reads a bare array of English sentences grouped by channel, into time order', () => {
    const { text, source } = fixture('huaxin-english-bare-array.json');
    const call = callOf(text, source);
    expect(call.id).toBe('huaxin-english-bare-array');
    expect(call.defaultAgentChannel).toBe(0);
    expect(call.utterances.map((u) => u.channel)).toEqual([0, 1, 0, 1, 0, 1, 0]);
    expect(call.utterances.map((u) => u.start)).toEqual([2.94, 7.01, 10.9, 17.2, 19.5, 27.8, 30.3]);
    expect(call.utterances[0]?.text).toBe('Thank you for calling Huaxin Bank, this is Emma speaking.');
  });

  it('reports a failed task by its StatusText, on its line', () => {
    const { text, source } = fixture('failed-task.json');
    const error = onlyError(parseText(text, source));
    expect(error).toEqual({ source, line: 4, error: 'StatusText: the recognition task failed (FILE_DOWNLOAD_FAILED); there are no sentences to score' });
  });

  it.each(['star-billing-dual-channel.json', 'yunfan-v4-camelcase.json', 'huaxin-diarised-mono.json', 'huaxin-english-bare-array.json', 'failed-task.json'])(
    '%s is recognised as alibaba among all JSON formats',
    (name) => {
      const { text } = fixture(name);
      expect(JSON_FORMATS.find((f) => f.detect(JSON.parse(text)))?.name).toBe('alibaba');
    },
  );

  it('is read from disk through readInput', async () => {
    const out: Parsed[] = [];
    for await (const p of readInput({ kind: 'file', path: fixturePath('alibaba', 'yunfan-v4-camelcase.json') })) out.push(p);
    expect(out.map((p) => p.call?.id ?? p.error)).toEqual(['yunfan-v4-camelcase']);
  });
});

describe('alibaba: detect', () => {
  const sentence = { BeginTime: 0, EndTime: 1000, Text: '您好', ChannelId: 0 };
  it.each<[string, unknown, boolean]>([
    ['the envelope', { TaskId: 't', StatusText: 'SUCCESS', Result: { Sentences: [sentence] } }, true],
    ['camelCase envelope', { taskId: 't', statusText: 'SUCCESS', result: { sentences: [{ beginTime: 0, endTime: 1, text: 'a', channelId: 0 }] } }, true],
    ['top-level Sentences', { Sentences: [sentence] }, true],
    ['a bare array of sentences', [sentence], true],
    ['a bare array where only some sentences have BeginTime', [{ Text: 'a' }, sentence], true],
    ['an envelope of a failed task', { TaskId: 't', StatusText: 'FILE_DOWNLOAD_FAILED' }, true],
    ['an envelope with no sentences', { TaskId: 't', StatusText: 'SUCCESS', Result: { Sentences: [] } }, true],
    ['Sentences without BeginTime', { Sentences: [{ Text: 'a', ChannelId: 0 }] }, false],
    ['an empty array', [], false],
    ['an empty object', {}, false],
    ['a TaskId alone', { TaskId: 't' }, false],
    ['callqa JSON', { call_id: 'c', segments: [{ speaker: 'agent', start: 0, end: 1, text: 'a' }] }, false],
    ['Whisper segments', { segments: [{ start: 0, end: 1, text: 'a' }] }, false],
    ['a bare array of Whisper segments', [{ start: 0, end: 1, text: 'a' }], false],
    ['a bare array of mixed values', [sentence, 3], false],
    [
      'AWS Transcribe Call Analytics',
      { JobName: 'j', Transcript: [{ ParticipantRole: 'AGENT', BeginOffsetMillis: 0, EndOffsetMillis: 1, Content: 'a' }] },
      false,
    ],
  ])('%s → %s', (_name, doc, expected) => {
    expect(alibaba.detect(doc)).toBe(expected);
  });
});

describe('alibaba: reading sentences', () => {
  it('sorts by BeginTime stably: equal starts keep the document order', () => {
    const call = callOf(
      envelope(
        '{"BeginTime": 3000, "EndTime": 4000, "Text": "三", "ChannelId": 0}',
        '{"BeginTime": 1000, "EndTime": 2000, "Text": "一甲", "ChannelId": 1}',
        '{"BeginTime": 1000, "EndTime": 1500, "Text": "一乙", "ChannelId": 0}',
      ),
    );
    expect(call.utterances.map((u) => u.text)).toEqual(['一甲', '一乙', '三']);
  });

  it('takes numeric-string ChannelId and numeric SpeakerId as a channel number and a label', () => {
    const call = callOf(envelope('{"BeginTime": 0, "EndTime": 10, "Text": "喂", "ChannelId": "1", "SpeakerId": 2}'));
    expect(call.utterances).toEqual([{ channel: 1, speaker: '2', start: 0, end: 0.01, text: '喂' }]);
  });

  it('leaves out sentences with blank text', () => {
    const call = callOf(envelope(AGENT, '{"BeginTime": 2100, "EndTime": 2300, "Text": " ", "ChannelId": 1}', CUSTOMER));
    expect(call.utterances.map((u) => u.text)).toEqual(['您好，星辰通信。', '你好。']);
  });

  it('keeps the text exactly as given', () => {
    const call = callOf(envelope('{"BeginTime": 0, "EndTime": 900, "Text": "您好 ，请讲", "ChannelId": 0}'));
    expect(call.utterances[0]?.text).toBe('您好 ，请讲');
  });

  it('takes the id from the file name (the recording), never from TaskId (the job)', () => {
    expect(callOf(`{"Sentences": [${AGENT}]}`, 'in/2024-03-18/通话-0042.json').id).toBe('通话-0042');
    expect(callOf(`{"TaskId": 9001, "Result": {"Sentences": [${AGENT}]}}`, 'in/通话-0043.json').id).toBe('通话-0043');
  });
});

describe('alibaba: errors', () => {
  it.each<[string, string, number, string]>([
    [
      'a BeginTime that is not a number',
      envelope(AGENT, '{"BeginTime": "abc", "EndTime": 4000, "Text": "你好。", "ChannelId": 1}'),
      4,
      'Result.Sentences[1].BeginTime: expected milliseconds as a number ≥ 0, got "abc"',
    ],
    [
      'a negative EndTime',
      envelope('{"BeginTime": 0, "EndTime": -5, "Text": "你好。", "ChannelId": 1}'),
      3,
      'Result.Sentences[0].EndTime: expected milliseconds as a number ≥ 0, got -5',
    ],
    [
      'a missing EndTime (camelCase spelling kept)',
      '{"taskId": "t",\n "result": {"sentences": [\n{"beginTime": 0, "text": "你好。", "channelId": 1}]}}',
      3,
      'result.sentences[0].endTime: missing; expected milliseconds as a number ≥ 0',
    ],
    [
      'an EndTime before the BeginTime',
      envelope(AGENT, '{"BeginTime": 6000, "EndTime": 5330, "Text": "你好。", "ChannelId": 1}'),
      4,
      'Result.Sentences[1].EndTime: EndTime 5330 is before BeginTime 6000',
    ],
    [
      'a Text that is not a string',
      envelope('{"BeginTime": 0, "EndTime": 5, "Text": 42, "ChannelId": 1}'),
      3,
      'Result.Sentences[0].Text: expected the sentence text as a string, got 42',
    ],
    ['a sentence that is not an object', envelope(AGENT, '"你好"'), 4, 'Result.Sentences[1]: expected a sentence object {BeginTime, EndTime, Text, ChannelId}'],
    [
      'a ChannelId that is not a channel number',
      envelope('{"BeginTime": 0, "EndTime": 5, "Text": "你好", "ChannelId": "left"}'),
      3,
      'Result.Sentences[0].ChannelId: expected a channel number (0, 1…), got "left"',
    ],
    [
      'a SpeakerId that is an object',
      envelope('{"BeginTime": 0, "EndTime": 5, "Text": "你好", "SpeakerId": {"id": 1}}'),
      3,
      'Result.Sentences[0].SpeakerId: expected a speaker id as a string or number, got {"id":1}',
    ],
    [
      'one sentence without ChannelId or SpeakerId',
      envelope(AGENT, '{"BeginTime": 2500, "EndTime": 4000, "Text": "你好。"}'),
      4,
      'Result.Sentences[1]: expected ChannelId or SpeakerId, as the other sentences have',
    ],
    ['an empty Sentences array', '{"TaskId": "t", "StatusText": "SUCCESS",\n "Result": {"Sentences": []}}', 2, 'Result.Sentences: no sentences'],
    ['a task still running', '{"TaskId": "t",\n "StatusText": "RUNNING"}', 2, 'StatusText: the task has not finished (RUNNING)'],
    [
      'a task that found no speech',
      '{"TaskId": "t",\n "StatusText": "SUCCESS_WITH_NO_VALID_FRAGMENT"}',
      2,
      'StatusText: no sentences: the recognition found no speech',
    ],
    ['Sentences that are not an array', '{"TaskId": "t",\n "Sentences": "none"}', 2, 'Sentences: expected an array of sentences'],
    [
      'only blank text',
      envelope('{"BeginTime": 0, "EndTime": 5, "Text": "", "ChannelId": 0}'),
      2,
      'Result.Sentences: no speech: every sentence has empty text',
    ],
  ])('%s', (_name, text, line, message) => {
    const error = onlyError(parseText(text));
    expect(error.source).toBe('calls/ali-001.json');
    expect(error.line).toBe(line);
    expect(error.error).toContain(message);
  });

  it('rejects sentences with no speaker information at all, in one error for the file', () => {
    const text = envelope('{"BeginTime": 0, "EndTime": 2000, "Text": "您好"}', '{"BeginTime": 2500, "EndTime": 4000, "Text": "你好"}');
    const error = onlyError(parseText(text));
    expect(error.line).toBe(2);
    expect(error.error).toMatch(/^Result\.Sentences: no ChannelId or SpeakerId on any sentence, so the agent cannot be told from the customer/);
  });

  it('names the expected shapes when forced onto another document (--input-format alibaba)', () => {
    const error = onlyError(parseText('{"segments": []}'));
    expect(error.error).toBe(
      'expected {TaskId, StatusText, Result: {Sentences: [...]}}, {Sentences: [...]} or an array of sentences {BeginTime, EndTime, Text, ChannelId}',
    );
    expect(error.line).toBe(1);
  });
});

describe('alibaba: roles and round trip', () => {
  it('takes channel 0 for the agent by default', () => {
    const { text, source } = fixture('star-billing-dual-channel.json');
    const call = resolveRoles(callOf(text, source), { greetingElements: [] });
    expect(call.roleSource).toBe('flag');
    expect(call.utterances.map((u) => u.speaker)).toEqual(['agent', 'customer', 'agent', 'customer', 'agent', 'customer', 'agent', 'customer', 'agent']);
    expect(call.utterances[0]?.label).toBe('ch0');
  });

  it('--agent-channel 1 overrides the default', () => {
    const call = resolveRoles(callOf(envelope(AGENT, CUSTOMER)), { agentChannel: 1, greetingElements: [] });
    expect(call.utterances.map((u) => u.speaker)).toEqual(['customer', 'agent']);
  });

  it('reads back a rendered SAMPLE: same turns, times and texts', () => {
    const rendered = render(SAMPLE);
    expect(rendered.args).toEqual([]);
    const text = String(rendered.content);
    const source = `calls/${rendered.fileName}`;
    expect(alibaba.detect(JSON.parse(text))).toBe(true);
    const call = resolveRoles(callOf(text, source), { greetingElements: [] });
    expect(call.id).toBe(SAMPLE.id);
    expect(call.utterances.map((u) => ({ role: u.speaker, start: u.start, end: u.end, text: u.text }))).toEqual(SAMPLE.turns);
  });
});
