import { describe, expect, it } from 'vitest';
import { JSON_FORMATS } from '../../../src/ingest/formats/index.js';
import whisper from '../../../src/ingest/formats/whisper.js';
import { readInput } from '../../../src/ingest/index.js';
import type { Parsed } from '../../../src/ingest/parsed.js';
import { resolveRoles } from '../../../src/normalise/roles.js';
import { SAMPLE } from '../../helpers/conversation.js';
import { fixturePath, fixtureText, onlyCall, onlyError, parseJson } from '../../helpers/parsed.js';
import { render } from '../../helpers/render/whisper.js';

const parseText = (text: string, source = 'calls/wx-001.json') => parseJson(whisper, text, source);
const fixture = (name: string) => fixtureText('whisper', name);
const callOf = (text: string, source?: string) => onlyCall(parseText(text, source));

/** A Whisper document with one segment a line: segment k is on line 2 + k. */
const segments = (...lines: string[]) => `{"language": "zh", "segments": [\n${lines.join(',\n')}\n]}`;

describe('whisper: fixtures', () => {
  it('reads WhisperX output: speaker labels, trimmed text, an unassigned segment takes the previous speaker', () => {
    const { text, source } = fixture('star-broadband-whisperx.json');
    const call = callOf(text, source);
    expect(call).toMatchObject({ format: 'whisper', id: 'star-broadband-whisperx', source, hangupBy: 'unknown', agent: {} });
    expect(call.defaultAgentChannel).toBeUndefined();
    expect(call.utterances.map((u) => [u.speaker, u.start, u.end])).toEqual([
      ['SPEAKER_01', 0.51, 6.87],
      ['SPEAKER_00', 7.32, 10.9],
      ['SPEAKER_00', 11.1, 12.6],
      ['SPEAKER_01', 13, 18.9],
      ['SPEAKER_00', 19.35, 24.1],
      ['SPEAKER_01', 24.6, 31.22],
      ['SPEAKER_00', 31.7, 33.4],
      ['SPEAKER_01', 33.9, 38.45],
    ]);
    expect(call.utterances[0]).toEqual({ speaker: 'SPEAKER_01', start: 0.51, end: 6.87, text: '您好，星辰通信，我是客服王芳，请问有什么可以帮您？' });
    expect(call.utterances[2]?.text).toBe('光猫一直闪红灯。');
  });

  it('reads openai-whisper output whose segments carry 坐席：/客戶: prefixes (Traditional script, segment 0 without id/seek/tokens)', () => {
    const { text, source } = fixture('yunfan-prefixed-traditional.json');
    const call = callOf(text, source);
    expect(call.id).toBe('yunfan-prefixed-traditional');
    expect(call.utterances.map((u) => u.role)).toEqual(['agent', 'customer', 'agent', 'customer', 'agent', 'customer', 'agent']);
    expect(call.utterances.every((u) => u.speaker === undefined && u.channel === undefined)).toBe(true);
    expect(call.utterances[0]).toEqual({ role: 'agent', start: 0, end: 5.2, text: '您好，雲帆快遞客服中心，我是小林，請問有什麼可以幫您？' });
    // A half-width colon after the label works too.
    expect(call.utterances[3]).toEqual({ role: 'customer', start: 17.1, end: 21.48, text: '單號是YF5520193347。' });
  });

  it('reads a bare array of faster-whisper segments with speakers', () => {
    const { text, source } = fixture('huaxin-faster-whisper-array.json');
    const call = callOf(text, source);
    expect(call.id).toBe('huaxin-faster-whisper-array');
    expect(call.utterances.map((u) => u.speaker)).toEqual(['SPEAKER_00', 'SPEAKER_01', 'SPEAKER_00', 'SPEAKER_01', 'SPEAKER_00', 'SPEAKER_01', 'SPEAKER_00']);
    expect(call.utterances[4]).toEqual({ speaker: 'SPEAKER_00', start: 25.3, end: 32.6, text: '已经查到，本月十五号已经正常扣款，金额三千二百六十元。' });
  });

  it('reads English Agent:/Customer: prefixes', () => {
    const { text, source } = fixture('star-english-prefixed.json');
    const call = callOf(text, source);
    expect(call.utterances).toEqual([
      { role: 'agent', start: 0.4, end: 4.6, text: 'Good morning, Starlight Telecom, this is Daniel. How can I help?' },
      { role: 'customer', start: 5, end: 9.3, text: 'Hi, my mobile data stopped working this morning.' },
      { role: 'agent', start: 9.7, end: 15.2, text: "I'm sorry to hear that. Let me check your account." },
      { role: 'customer', start: 15.6, end: 17, text: 'Thanks.' },
    ]);
  });

  it('rejects plain Whisper output without speakers in one error for the file, suggesting diarisation', () => {
    const { text, source } = fixture('yunfan-english-no-speakers.json');
    const error = onlyError(parseText(text, source));
    expect(error.source).toBe(source);
    expect(error.line).toBe(3);
    expect(error.error).toMatch(/^segments: no speaker labels: .*cannot be told from the customer.*WhisperX/);
  });

  it.each([
    'star-broadband-whisperx.json',
    'yunfan-prefixed-traditional.json',
    'huaxin-faster-whisper-array.json',
    'star-english-prefixed.json',
    'yunfan-english-no-speakers.json',
  ])('%s is recognised as whisper among all JSON formats', (name) => {
    const { text } = fixture(name);
    expect(JSON_FORMATS.find((f) => f.detect(JSON.parse(text)))?.name).toBe('whisper');
  });

  it('is read from disk through readInput', async () => {
    const out: Parsed[] = [];
    for await (const p of readInput({ kind: 'file', path: fixturePath('whisper', 'huaxin-faster-whisper-array.json') })) out.push(p);
    expect(out.map((p) => p.call?.id ?? p.error)).toEqual(['huaxin-faster-whisper-array']);
  });
});

describe('whisper: detect', () => {
  const seg = { start: 0, end: 1.5, text: ' 您好' };
  it.each<[string, unknown, boolean]>([
    ['openai-whisper output', { text: ' 您好', segments: [seg], language: 'zh' }, true],
    ['WhisperX output', { segments: [{ ...seg, speaker: 'SPEAKER_00' }], word_segments: [] }, true],
    ['a bare array of segments', [seg, seg], true],
    ['a bare array where one segment is malformed', [seg, { start: 'x', end: 1, text: 'a' }], true],
    ['a silent recording', { text: '', segments: [], language: 'zh' }, true],
    ['empty segments alone', { segments: [] }, false],
    ['callqa JSON with call_id', { call_id: 'c', segments: [seg] }, false],
    ['callqa JSON with agent', { agent: { id: 'A1' }, segments: [seg] }, false],
    ['callqa JSON with hangup_by', { hangup_by: 'customer', segments: [seg] }, false],
    ['an array of callqa calls', [{ segments: [{ ...seg, speaker: 'agent' }] }], false],
    ['segments with string times', { segments: [{ start: '0.5', end: '1', text: 'a' }] }, false],
    ['segments that are not objects', { segments: ['a'] }, false],
    ['Alibaba sentences', [{ BeginTime: 0, EndTime: 1000, Text: 'a', ChannelId: 0 }], false],
    ['an empty array', [], false],
    ['a string', 'segments', false],
  ])('%s → %s', (_name, doc, expected) => {
    expect(whisper.detect(doc)).toBe(expected);
  });
});

describe('whisper: speakers', () => {
  it('gives leading unassigned segments the first speaker that follows', () => {
    const call = callOf(segments('{"start": 0, "end": 1, "text": " 喂？"}', '{"start": 1.2, "end": 3, "text": " 您好", "speaker": "SPEAKER_02"}'));
    expect(call.utterances.map((u) => u.speaker)).toEqual(['SPEAKER_02', 'SPEAKER_02']);
  });

  it("takes an unassigned segment's speaker from its words before the previous segment's", () => {
    const call = callOf(
      segments(
        '{"start": 0, "end": 1, "text": " 您好", "speaker": "SPEAKER_00"}',
        '{"start": 1.2, "end": 2, "text": " 你好啊", "words": [{"word": "你好", "start": 1.2, "end": 1.6, "speaker": "SPEAKER_01"}, {"word": "啊", "start": 1.6, "end": 2}]}',
      ),
    );
    expect(call.utterances.map((u) => u.speaker)).toEqual(['SPEAKER_00', 'SPEAKER_01']);
  });

  it('takes a numeric speaker as a label and keeps role prefixes as text when there are labels', () => {
    const call = callOf(segments('{"start": 0, "end": 1, "text": " 坐席：您好", "speaker": 1}'));
    expect(call.utterances).toEqual([{ speaker: '1', start: 0, end: 1, text: '坐席：您好' }]);
  });

  it('leaves out segments with blank text, which need no prefix', () => {
    const call = callOf(
      segments('{"start": 0, "end": 1, "text": " 坐席：您好"}', '{"start": 1, "end": 1.5, "text": " "}', '{"start": 1.6, "end": 2.4, "text": "客户：你好"}'),
    );
    expect(call.utterances).toEqual([
      { role: 'agent', start: 0, end: 1, text: '您好' },
      { role: 'customer', start: 1.6, end: 2.4, text: '你好' },
    ]);
  });

  it.each<[string, 'agent' | 'customer', string]>([
    ['坐席：您好', 'agent', '您好'],
    ['客服: 您好', 'agent', '您好'],
    ['座席 ： 您好', 'agent', '您好'],
    ['客户：我要查话费', 'customer', '我要查话费'],
    ['顧客：謝謝', 'customer', '謝謝'],
    ['AGENT: Hello', 'agent', 'Hello'],
    ['Caller: Hi', 'customer', 'Hi'],
  ])('prefix %j → %s, %j', (said, role, rest) => {
    const call = callOf(segments(JSON.stringify({ start: 0, end: 1, text: ` ${said}` })));
    expect(call.utterances).toEqual([{ role, start: 0, end: 1, text: rest }]);
  });
});

describe('whisper: errors', () => {
  it.each<[string, string, number, string]>([
    [
      'a start that is not a number',
      segments('{"start": "abc", "end": 1, "text": " 您好"}'),
      2,
      'segments[0].start: expected seconds from the start of the call as a number ≥ 0, got "abc"',
    ],
    [
      'a missing end',
      segments('{"start": 0, "end": 1, "text": " 您好", "speaker": "A"}', '{"start": 2, "text": " 你好", "speaker": "B"}'),
      3,
      'segments[1].end: missing; expected seconds',
    ],
    [
      'a negative start',
      segments('{"start": -1, "end": 1, "text": " 您好"}'),
      2,
      'segments[0].start: expected seconds from the start of the call as a number ≥ 0, got -1',
    ],
    ['an end before the start', segments('{"start": 5, "end": 4.5, "text": " 您好"}'), 2, 'segments[0].end: end 4.5 is before start 5'],
    ['a text that is not a string', segments('{"start": 0, "end": 1, "text": null}'), 2, 'segments[0].text: expected the segment text as a string, got null'],
    [
      'a segment that is not an object',
      segments('{"start": 0, "end": 1, "text": " 您好"}', '[0, 1, "你好"]'),
      3,
      'segments[1]: expected a segment object {start, end, text, speaker}',
    ],
    [
      'a speaker that is an object',
      segments('{"start": 0, "end": 1, "text": " 您好", "speaker": {"id": 0}}'),
      2,
      'segments[0].speaker: expected a speaker label such as "SPEAKER_00", got {"id":0}',
    ],
    [
      'one segment without a role prefix among prefixed ones',
      segments('{"start": 0, "end": 1, "text": " 坐席：您好"}', '{"start": 1, "end": 2, "text": " 我想查一下话费"}'),
      3,
      'segments[1].text: no speaker label and no role prefix such as 坐席：, 客户：, Agent: or Customer:',
    ],
    ['a label that is not a role', segments('{"start": 0, "end": 1, "text": " 张三：您好"}'), 1, 'segments: no speaker labels'],
    ['no segments', '{"text": "",\n "segments": [], "language": "zh"}', 2, 'segments: no segments: Whisper found no speech in the recording'],
    ['only blank text', segments('{"start": 0, "end": 1, "text": " "}'), 1, 'segments: no speech: every segment has empty text'],
    ['segments that are not an array (--input-format whisper)', '{"text": "",\n "segments": "none"}', 2, 'segments: expected an array of segments'],
    ['a bare array without speakers', '[\n{"start": 0, "end": 1, "text": " 您好"}\n]', 1, 'no speaker labels: the segments have no "speaker"'],
  ])('%s', (_name, text, line, message) => {
    const error = onlyError(parseText(text));
    expect(error.source).toBe('calls/wx-001.json');
    expect(error.line).toBe(line);
    expect(error.error).toContain(message);
  });

  it('names the expected shape when forced onto another document', () => {
    const error = onlyError(parseText('{"call_id": "c1", "segments": []}'));
    expect(error).toEqual({
      source: 'calls/wx-001.json',
      line: 1,
      error: 'expected Whisper JSON {segments: [{start, end, text, speaker}…]} or an array of segments',
    });
  });
});

describe('whisper: roles and round trip', () => {
  it('--agent-speaker picks the agent by label', () => {
    const { text, source } = fixture('star-broadband-whisperx.json');
    const call = resolveRoles(callOf(text, source), { agentSpeaker: 'SPEAKER_01', greetingElements: [] });
    expect(call.roleSource).toBe('flag');
    expect(call.utterances.map((u) => u.speaker)).toEqual(['agent', 'customer', 'customer', 'agent', 'customer', 'agent', 'customer', 'agent']);
  });

  it('prefixed roles are given', () => {
    const { text, source } = fixture('yunfan-prefixed-traditional.json');
    expect(resolveRoles(callOf(text, source), { greetingElements: [] }).roleSource).toBe('given');
  });

  it('reads back a rendered SAMPLE: same turns, times and texts', () => {
    const rendered = render(SAMPLE);
    expect(rendered.fileName).toBe('X-1.json');
    expect(rendered.args).toEqual(['--agent-speaker', 'SPEAKER_00']);
    const text = String(rendered.content);
    expect(JSON_FORMATS.find((f) => f.detect(JSON.parse(text)))?.name).toBe('whisper');
    const call = resolveRoles(callOf(text, `calls/${rendered.fileName}`), { agentSpeaker: 'SPEAKER_00', greetingElements: [] });
    expect(call.id).toBe(SAMPLE.id);
    expect(call.utterances.map((u) => ({ role: u.speaker, start: u.start, end: u.end, text: u.text }))).toEqual(SAMPLE.turns);
  });
});
