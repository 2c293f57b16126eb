import { describe, expect, it } from 'vitest';
import { JSON_FORMATS } from '../../../src/ingest/formats/index.js';
import format from '../../../src/ingest/formats/pca.js';
import { fixtureText, onlyCall, onlyError, parseJson } from '../../helpers/parsed.js';

const parse = (text: string, source = 'parsedFiles/call-7.wav.json') => parseJson(format, text, source);
const theCall = (text: string, source?: string) => onlyCall(parse(text, source));
const theError = (text: string) => onlyError(parse(text));

const LABELS = [
  { Speaker: 'spk_0', DisplayText: 'Agent' },
  { Speaker: 'spk_1', DisplayText: 'Customer' },
];

/** A PCA document with one segment a line: SpeechSegments[k] is on line k + 3. */
function doc(segments: unknown[], analytics: Record<string, unknown> = {}): string {
  const head = JSON.stringify({ SpeakerLabels: LABELS, ...analytics });
  return `{"ConversationAnalytics": ${head},\n"SpeechSegments": [\n${segments.map((s) => JSON.stringify(s)).join(',\n')}\n]}`;
}

const seg = (speaker: string, start: number, end: number, text: string, extra: Record<string, unknown> = {}) => ({
  SegmentStartTime: start,
  SegmentEndTime: end,
  SegmentSpeaker: speaker,
  OriginalText: text,
  DisplayText: text,
  ...extra,
});

describe('pca: detect', () => {
  it.each<[string, unknown, boolean]>([
    ['a PCA document', { ConversationAnalytics: {}, SpeechSegments: [] }, true],
    ['ConversationAnalytics alone', { ConversationAnalytics: {} }, false],
    ['a Call Analytics transcript', { JobName: 'a.wav', Transcript: [] }, false],
    ['an array', [{ ConversationAnalytics: {}, SpeechSegments: [] }], false],
    ['null', null, false],
  ])('%s → %s', (_what, value, expected) => {
    expect(format.detect(value)).toBe(expected);
  });

  it('is the JSON format chosen for the fixture', () => {
    const parsed = JSON.parse(fixtureText('pca', 'AL-20260318-0917.wav.json').text);
    expect(JSON_FORMATS.filter((f) => f.detect(parsed)).map((f) => f.name)).toEqual(['pca']);
  });
});

describe('pca: reading', () => {
  it('reads the fixture: roles from SpeakerLabels, seconds, the IVR prompt left out, job name, agent and time', () => {
    const { text, source } = fixtureText('pca', 'AL-20260318-0917.wav.json');
    const call = theCall(text, source);
    expect(call).toMatchObject({
      format: 'pca',
      id: 'AL-20260318-0917',
      source,
      agent: { id: 'AL2065' },
      hangupBy: 'unknown',
      startedAt: '2026-03-18T09:42:10.000000',
    });
    expect(call.utterances).toHaveLength(12);
    expect(call.utterances.slice(0, 3)).toEqual([
      { role: 'agent', speaker: 'spk_1', start: 5.6, end: 15.6, text: '您好，安澜燃气客服中心，工号二零六五，很高兴为您服务。' },
      { role: 'customer', speaker: 'spk_0', start: 16.2, end: 22.5, text: '你好，我家燃气表显示欠费停气了，可我上周刚交过钱。' },
      { role: 'agent', speaker: 'spk_1', start: 23.1, end: 34.4, text: '您是说上周已经交过燃气费，但现在表上显示欠费停气了，对吗？' },
    ]);
    expect(call.utterances.at(-1)).toEqual({ role: 'customer', speaker: 'spk_0', start: 93.6, end: 94.2, text: '再见。' });
  });

  it('takes Chinese display texts (坐席/客户) as roles, and DisplayText over OriginalText', () => {
    const labels = [
      { Speaker: 'spk_0', DisplayText: '客户' },
      { Speaker: 'spk_1', DisplayText: '坐席' },
    ];
    const call = theCall(doc([seg('spk_1', 0.5, 3, '您好', { OriginalText: '你好' }), seg('spk_0', 3.2, 4, '喂')], { SpeakerLabels: labels }));
    expect(call.utterances.map((u) => [u.role, u.text])).toEqual([
      ['agent', '您好'],
      ['customer', '喂'],
    ]);
  });

  it('leaves a display text that names no role to the role finding, as a speaker label', () => {
    const labels = [
      { Speaker: 'spk_0', DisplayText: '王芳' },
      { Speaker: 'spk_1', DisplayText: 'Customer' },
    ];
    const call = theCall(doc([seg('spk_0', 0, 2, '您好'), seg('spk_1', 2, 3, '你好')], { SpeakerLabels: labels }));
    expect(call.utterances.map((u) => [u.role, u.speaker])).toEqual([
      [undefined, '王芳'],
      ['customer', 'spk_1'],
    ]);
  });

  it('names the call after the file when no job name is given; no time when ConversationTime is only ProcessTime', () => {
    const t = '2026-03-18 10:00:00.123456';
    const call = theCall(doc([seg('spk_0', 0, 1, '您好')], { ConversationTime: t, ProcessTime: t, Agent: '' }));
    expect(call.id).toBe('call-7.wav');
    expect(call.agent).toEqual({});
    expect(call.startedAt).toBeUndefined();
  });

  it('reads the job name from SourceInformation[0].TranscribeJobInfo, without the audio extension', () => {
    const sources = [{ TranscribeJobInfo: { TranscriptionJobName: 'HX-0501.mp3' } }];
    expect(theCall(doc([seg('spk_0', 0, 1, '您好')], { SourceInformation: sources })).id).toBe('HX-0501');
  });
});

describe('pca: problems name the JSON path and line', () => {
  it.each<[string, string, number | undefined, string]>([
    ['no SpeechSegments', '{"ConversationAnalytics": {}}', 1, 'SpeechSegments: expected an array of speech segments, got undefined'],
    [
      'a segment without a start',
      doc([seg('spk_0', 0, 1, 'a'), { SegmentSpeaker: 'spk_1', SegmentEndTime: 2, DisplayText: 'b' }]),
      4,
      'SpeechSegments[1].SegmentStartTime: missing; expected seconds from the start of the call as a number ≥ 0',
    ],
    ['a negative end', doc([seg('spk_0', 0, -1, 'a')]), 3, 'SpeechSegments[0].SegmentEndTime: expected seconds as a number ≥ 0, got -1'],
    ['an end before the start', doc([seg('spk_0', 5, 4, 'a')]), 3, 'SpeechSegments[0].SegmentEndTime: end 4 s is before start 5 s'],
    [
      'an unknown speaker',
      doc([seg('spk_0', 0, 1, 'a'), seg('spk_2', 1, 2, 'b')]),
      4,
      'SpeechSegments[1].SegmentSpeaker: speaker "spk_2" is not listed in ConversationAnalytics.SpeakerLabels; the labels listed are spk_0, spk_1',
    ],
    ['no text', doc([seg('spk_0', 0, 1, 'a', { DisplayText: 7 })]), 3, "SpeechSegments[0].DisplayText: expected the segment's text as a string, got 7"],
    [
      'only IVR segments',
      doc([seg('spk_0', 0, 1, '欢迎致电', { IVRSegment: true })]),
      2,
      'SpeechSegments: expected at least one speech segment spoken by the agent or the customer; the call has none',
    ],
    [
      'a bad ConversationTime',
      doc([seg('spk_0', 0, 1, 'a')], { ConversationTime: 'yesterday' }),
      1,
      'ConversationAnalytics.ConversationTime: expected an ISO 8601 date-time, got "yesterday"',
    ],
  ])('%s', (_what, text, line, error) => {
    const e = theError(text);
    expect(e.error).toBe(error);
    expect(e.line).toBe(line);
  });
});
