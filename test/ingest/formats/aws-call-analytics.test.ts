import { describe, expect, it } from 'vitest';
import format from '../../../src/ingest/formats/aws-call-analytics.js';
import { JSON_FORMATS } from '../../../src/ingest/formats/index.js';
import { newTally, readInput } from '../../../src/ingest/index.js';
import type { Parsed } from '../../../src/ingest/parsed.js';
import { SAMPLE } from '../../helpers/conversation.js';
import { render } from '../../helpers/render/aws-call-analytics.js';
import { fixturePath, fixtureText, onlyCall, onlyError, parseJson } from '../../helpers/parsed.js';

const fixture = (name: string) => fixtureText('aws-call-analytics', name);

const parse = (text: string, source = 'calls/tca-0311.json') => parseJson(format, text, source);
const theCall = (text: string, source?: string) => onlyCall(parse(text, source));
const theError = (text: string) => onlyError(parse(text));

/** A document with one turn a line: Transcript[k] begins on line k + 3. */
function doc(turns: unknown[], extra: Record<string, unknown> = {}): string {
  const head = JSON.stringify({ JobName: 'job-1', ...extra }).slice(1, -1);
  return `{${head}${head ? ',' : ''}\n"Transcript": [\n${turns.map((t) => JSON.stringify(t)).join(',\n')}\n]}`;
}

const agent = (b: number, e: number, text: string) => ({ ParticipantRole: 'AGENT', BeginOffsetMillis: b, EndOffsetMillis: e, Content: text });
const customer = (b: number, e: number, text: string) => ({ ParticipantRole: 'CUSTOMER', BeginOffsetMillis: b, EndOffsetMillis: e, Content: text });

describe('aws-call-analytics: detect', () => {
  it.each<[string, unknown, boolean]>([
    ['a TCA transcript', { JobName: 'a.wav', Transcript: [agent(0, 1, 'hi')] }, true],
    [
      'a Contact Lens voice transcript',
      { Participants: [], Transcript: [{ ParticipantId: 'AGENT', BeginOffsetMillis: 0, EndOffsetMillis: 90, Content: 'Okay.' }] },
      true,
    ],
    ['an empty TCA transcript', { JobName: 'silent.wav', Transcript: [] }, true],
    ['an empty chat transcript', { Channel: 'CHAT', Participants: [], Transcript: [] }, false],
    ['a Contact Lens chat', { Transcript: [{ AbsoluteTime: '2026-03-11T02:15:04.120Z', Type: 'EVENT' }] }, false],
    ['plain Transcribe', { results: { items: [] } }, false],
    ['a callqa call', { call_id: 'C1', segments: [] }, false],
    ['an array', [{ Transcript: [agent(0, 1, 'hi')] }], false],
    ['null', null, false],
  ])('%s → %s', (_what, value, expected) => {
    expect(format.detect(value)).toBe(expected);
  });

  it('is the JSON format chosen for both fixtures', () => {
    for (const name of ['tca-xingchen-bill.json', 'tca-english-address-change.json']) {
      const parsed = JSON.parse(fixture(name).text);
      expect(JSON_FORMATS.find((f) => f.detect(parsed))?.name).toBe('aws-call-analytics');
    }
  });
});

describe('aws-call-analytics: Transcribe Call Analytics output', () => {
  it('reads the Mandarin fixture: roles as stated, ms as seconds, overlapping turns kept in order', () => {
    const { text, source } = fixture('tca-xingchen-bill.json');
    const call = theCall(text, source);
    expect(call).toMatchObject({ format: 'aws-call-analytics', id: 'XC-20260311-0042', source, agent: {}, hangupBy: 'unknown' });
    expect(call.utterances).toEqual([
      { role: 'agent', start: 0.44, end: 11.31, text: '您好，这里是星辰通信客服中心，我是工号三零一八的刘洋，很高兴为您服务。' },
      { role: 'customer', start: 12.18, end: 20.59, text: '你好，我上个月的话费怎么多扣了五十块钱？' },
      { role: 'agent', start: 19.72, end: 23.34, text: '嗯，您别着急。' },
      { role: 'agent', start: 23.92, end: 36.1, text: '请您提供一下机主姓名和身份证后四位，我帮您核实一下账单。' },
      { role: 'customer', start: 36.68, end: 43.21, text: '机主是陈静，后四位是三七二一。' },
      { role: 'agent', start: 44.08, end: 59.74, text: '核实到了，多出来的是一笔视频会员自动续费，我现在帮您退订并申请退款。' },
      { role: 'customer', start: 59.45, end: 62.35, text: '好的，麻烦你了。' },
      { role: 'agent', start: 63.08, end: 72.21, text: '感谢您的来电，还有什么可以帮您的吗？祝您生活愉快，再见。' },
      { role: 'customer', start: 72.64, end: 73.8, text: '再见。' },
    ]);
    const [, complaint, interjection] = call.utterances;
    expect(interjection?.start).toBeLessThan(complaint?.end ?? 0);
  });

  it('reads the English fixture; the job name loses its .mp3', () => {
    const { text, source } = fixture('tca-english-address-change.json');
    const call = theCall(text, source);
    expect(call.id).toBe('yunfan-en-0007');
    expect(call.utterances.map((u) => [u.role, u.start, u.end])).toEqual([
      ['agent', 0.12, 4.3],
      ['customer', 4.9, 8.7],
      ['agent', 9.1, 12.5],
      ['customer', 12.3, 15.6],
      ['agent', 16, 21.8],
    ]);
    expect(call.utterances[0]?.text).toBe('Thank you for calling Yunfan Express, my name is Emily, how can I help you?');
  });
});

describe('aws-call-analytics: Contact Lens voice output', () => {
  it('reads a document written like the published example (// comment, one } too many) through readInput', async () => {
    const path = fixturePath('aws-call-analytics', 'contact-lens-voice-huaxin.json');
    expect(() => JSON.parse(fixture('contact-lens-voice-huaxin.json').text)).toThrow();
    const tally = newTally();
    const out: Parsed[] = [];
    for await (const p of readInput({ kind: 'file', path }, {}, tally)) out.push(p);
    expect(tally.repaired).toBe(1);
    expect(out).toHaveLength(1);
    const call = out[0]?.call;
    expect(call).toMatchObject({ format: 'aws-call-analytics', id: '3f6c2a81-9d4e-4b7a-a5c0-2e8f1d7b6c44', hangupBy: 'unknown' });
    expect(call?.utterances).toEqual([
      { role: 'agent', start: 0.61, end: 10.37, text: '您好，华信银行信用卡中心，我是林雅婷，很高兴为您服务。' },
      { role: 'customer', start: 11.31, end: 18.7, text: '你好，我刚收到一条短信，说我的卡在外地刷了一笔三千块。' },
      { role: 'agent', start: 18.27, end: 25.08, text: '好的，请您报一下卡号和您的姓名。' },
      { role: 'customer', start: 25.96, end: 31.18, text: '卡号是[PII]，我叫[PII]。' },
      { role: 'agent', start: 31.9, end: 43.79, text: '这笔交易已经帮您拦截，卡片也临时冻结了，新卡会在五个工作日内寄出。' },
      { role: 'agent', start: 44.22, end: 48.43, text: '感谢您的来电，再见。' },
    ]);
  });

  it('resolves ParticipantId through Participants, whatever the ids look like', () => {
    const call = theCall(
      doc(
        [
          { ParticipantId: 'p-7f3a', BeginOffsetMillis: 0, EndOffsetMillis: 900, Content: '您好' },
          { ParticipantId: 'p-19c2', BeginOffsetMillis: 1000, EndOffsetMillis: 1500, Content: '你好' },
          { ParticipantId: 'AGENT', BeginOffsetMillis: 1600, EndOffsetMillis: 2000, Content: '请讲' },
        ],
        {
          Participants: [
            { ParticipantId: 'p-19c2', ParticipantRole: 'CUSTOMER' },
            { ParticipantId: 'p-7f3a', ParticipantRole: 'AGENT' },
          ],
        },
      ),
    );
    expect(call.utterances.map((u) => u.role)).toEqual(['agent', 'customer', 'agent']);
  });
});

describe('aws-call-analytics: call id', () => {
  it.each<[string, Record<string, unknown>, string, string]>([
    ['CustomerMetadata.ContactId first', { JobName: 'j.wav', CustomerMetadata: { ContactId: 'c-42' } }, 'x.json', 'c-42'],
    ['JobName without .wav', { JobName: 'example-call.wav' }, 'x.json', 'example-call'],
    ['JobName without .FLAC', { JobName: 'call-9.FLAC' }, 'x.json', 'call-9'],
    ['JobName with dots that are no audio extension', { JobName: 'job.2026.03' }, 'x.json', 'job.2026.03'],
    ['a numeric JobName', { JobName: 42 }, 'x.json', '42'],
    ['the file stem', { JobName: undefined }, 'out/3f6c2a81_analysis_2026-03-12.json', '3f6c2a81_analysis_2026-03-12'],
  ])('%s', (_what, extra, source, id) => {
    expect(theCall(doc([agent(0, 1000, '您好')], extra), source).id).toBe(id);
  });
});

describe('aws-call-analytics: errors name the key and the line', () => {
  it.each<[string, unknown[], Record<string, unknown>, number, string]>([
    [
      'a string offset',
      [agent(0, 900, '您好'), { ...customer(1000, 2000, '你好'), BeginOffsetMillis: 'abc' }],
      {},
      4,
      'Transcript[1].BeginOffsetMillis: expected milliseconds as a number ≥ 0, got "abc"',
    ],
    [
      'a negative offset',
      [{ ...agent(0, 900, '您好'), EndOffsetMillis: -5 }],
      {},
      3,
      'Transcript[0].EndOffsetMillis: expected milliseconds as a number ≥ 0, got -5',
    ],
    [
      'a missing offset',
      [{ ParticipantRole: 'AGENT', BeginOffsetMillis: 0, Content: '您好' }],
      {},
      3,
      'Transcript[0].EndOffsetMillis: missing; expected milliseconds',
    ],
    [
      'an end before its begin',
      [agent(0, 900, '您好'), customer(2000, 1500, '你好')],
      {},
      4,
      'Transcript[1].EndOffsetMillis: end 1500 ms is before begin 2000 ms',
    ],
    [
      'no text',
      [agent(0, 900, '您好'), { ParticipantRole: 'CUSTOMER', BeginOffsetMillis: 1000, EndOffsetMillis: 1500 }],
      {},
      4,
      'Transcript[1].Content: expected',
    ],
    [
      'an unknown role',
      [{ ...agent(0, 900, '您好'), ParticipantRole: 'SUPERVISOR' }],
      {},
      3,
      'Transcript[0].ParticipantRole: expected AGENT or CUSTOMER, got "SUPERVISOR"',
    ],
    [
      'no role at all',
      [{ BeginOffsetMillis: 0, EndOffsetMillis: 900, Content: '您好' }],
      {},
      3,
      'Transcript[0]: expected a ParticipantRole (AGENT or CUSTOMER) or a ParticipantId',
    ],
    [
      'an unlisted participant',
      [{ ParticipantId: 'p-1', BeginOffsetMillis: 0, EndOffsetMillis: 900, Content: '您好' }],
      {},
      3,
      'Transcript[0].ParticipantId: "p-1" is not listed in Participants',
    ],
    [
      'a participant whose role is neither',
      [{ ParticipantId: 'p-1', BeginOffsetMillis: 0, EndOffsetMillis: 900, Content: '您好' }],
      { Participants: [{ ParticipantId: 'p-1', ParticipantRole: 'SYSTEM' }] },
      3,
      'Transcript[0].ParticipantId: participant "p-1" has role "SYSTEM"; expected AGENT or CUSTOMER',
    ],
    ['a turn that is not an object', [agent(0, 900, '您好'), 'hello'], {}, 4, 'Transcript[1]: expected a turn'],
    ['no turns', [], {}, 2, 'Transcript: expected at least one turn; the call has no speech'],
    ['a JobName that is no id', [agent(0, 900, '您好')], { JobName: { name: 'x' } }, 1, 'JobName: expected an id as a string'],
  ])('%s', (_what, turns, extra, line, message) => {
    const error = theError(doc(turns, extra));
    expect(error.source).toBe('calls/tca-0311.json');
    expect(error.line).toBe(line);
    expect(error.error).toContain(message);
  });

  it('says what it expected when --input-format forces it on another document', () => {
    expect(parse('{"results": {"items": []}}')).toEqual([
      { error: { source: 'calls/tca-0311.json', line: 1, error: 'Transcript: expected an array of turns, got undefined' } },
    ]);
  });
});

describe('aws-call-analytics: rendered conversations', () => {
  it('reads back SAMPLE: same turns, roles, times and texts', () => {
    const rendered = render(SAMPLE);
    expect(rendered.args).toEqual([]);
    const call = theCall(String(rendered.content), rendered.fileName);
    expect(call.id).toBe(SAMPLE.id);
    expect(call.utterances).toEqual(SAMPLE.turns.map((t) => ({ role: t.role, start: t.start, end: t.end, text: t.text })));
  });
});
