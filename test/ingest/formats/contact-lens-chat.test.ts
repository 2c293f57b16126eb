import { describe, expect, it } from 'vitest';
import format from '../../../src/ingest/formats/contact-lens-chat.js';
import { readInput } from '../../../src/ingest/index.js';
import type { Parsed } from '../../../src/ingest/parsed.js';
import { fixturePath, fixtureText, onlyCall, onlyError, parseJson } from '../../helpers/parsed.js';

const fixture = (name: string) => fixtureText('contact-lens-chat', name);
const SOURCE = 'chats/0311.json';
const EVENT = 'application/vnd.amazonaws.connect.event.';

const parse = (text: string, source = SOURCE) => parseJson(format, text, source);
const theCall = (text: string, source?: string) => onlyCall(parse(text, source));
const theError = (text: string) => onlyError(parse(text));

const PARTICIPANTS = [
  { ParticipantId: 'c-1', ParticipantRole: 'CUSTOMER', DisplayName: '陈静' },
  { ParticipantId: 's-1', ParticipantRole: 'SYSTEM', DisplayName: 'SYSTEM_MESSAGE' },
  { ParticipantId: 'a-1', ParticipantRole: 'AGENT', DisplayName: '刘洋' },
];

/** A chat with one item a line: Transcript[k] begins on line k + 3. */
function chat(items: unknown[], extra: Record<string, unknown> = {}): string {
  const head = JSON.stringify({ Channel: 'CHAT', Participants: PARTICIPANTS, ...extra }).slice(1, -1);
  return `{${head},\n"Transcript": [\n${items.map((t) => JSON.stringify(t)).join(',\n')}\n]}`;
}

const at = (s: number) => new Date(Date.UTC(2026, 2, 11, 2, 0, 0) + s * 1000).toISOString();
const msg = (s: number, who: 'c-1' | 'a-1' | 's-1', text: string) => ({
  AbsoluteTime: at(s),
  Type: 'MESSAGE',
  ContentType: 'text/plain',
  ParticipantId: who,
  Content: text,
});
const event = (s: number, who: 'c-1' | 'a-1' | undefined, what: string) => ({
  AbsoluteTime: at(s),
  Type: 'EVENT',
  ContentType: EVENT + what,
  ...(who ? { ParticipantId: who } : {}),
});

describe('contact-lens-chat: detect', () => {
  it.each<[string, unknown, boolean]>([
    ['a chat transcript', { Transcript: [{ AbsoluteTime: '2026-03-11T02:15:04.120Z', Type: 'EVENT' }] }, true],
    ['an empty chat', { Channel: 'CHAT', Transcript: [] }, true],
    ['an empty voice transcript', { Channel: 'VOICE', Transcript: [] }, false],
    ['a voice transcript', { Transcript: [{ ParticipantRole: 'AGENT', BeginOffsetMillis: 0, EndOffsetMillis: 1, Content: 'hi' }] }, false],
    ['plain Transcribe', { results: { items: [] } }, false],
    ['a string', 'Transcript', false],
  ])('%s → %s', (_what, value, expected) => {
    expect(format.detect(value)).toBe(expected);
  });
});

describe('contact-lens-chat: the fixtures', () => {
  it('reads the Mandarin chat: agent and customer messages only, seconds from the first item, no ends', () => {
    const { text, source } = fixture('chat-yunfan-parcel.json');
    const call = theCall(text, source);
    expect(call).toMatchObject({
      format: 'contact-lens-chat',
      id: '9b7e4d21-3c5a-4f86-b1e0-7d2a6c8f5e13',
      source,
      agent: { name: '周婷' },
      hangupBy: 'customer',
      startedAt: '2026-03-11T02:15:04.120Z',
    });
    // The two SYSTEM queue messages, the typing event and the customer's screenshot are not utterances.
    expect(call.utterances).toEqual([
      { role: 'agent', start: 14.872, text: '您好，这里是云帆快递，我是客服周婷，很高兴为您服务。' },
      { role: 'customer', start: 24.636, text: '你好，我的快递显示已签收，可是我没收到。' },
      { role: 'agent', start: 37.668, text: '请您提供一下运单号，我帮您查询。' },
      { role: 'customer', start: 50.075, text: '运单号是YF2026031100871。' },
      { role: 'agent', start: 70.193, text: '查到了，快递员放在了小区的智能快递柜，取件码已经重新发到您手机上了。' },
      { role: 'customer', start: 79.753, text: '收到了，谢谢！' },
      { role: 'agent', start: 84.986, text: '感谢您的咨询，还有什么可以帮您的吗？' },
      { role: 'customer', start: 92.827, text: '没有了。' },
    ]);
  });

  it('reads the English chat through readInput: roles through Participants, the agent left first, id from the file', async () => {
    const path = fixturePath('contact-lens-chat', 'chat-huaxin-agent-left.json');
    const out: Parsed[] = [];
    for await (const p of readInput({ kind: 'file', path })) out.push(p);
    expect(out).toHaveLength(1);
    const call = out[0]?.call;
    expect(call).toMatchObject({
      format: 'contact-lens-chat',
      id: 'chat-huaxin-agent-left',
      agent: { name: 'Kevin' },
      hangupBy: 'agent',
      startedAt: '2026-03-12T09:40:00.005Z',
    });
    expect(call?.utterances.map((u) => [u.role, u.start])).toEqual([
      ['agent', 20.442],
      ['customer', 31.892],
      ['agent', 41.762],
      ['agent', 71.782],
    ]);
    expect(call?.utterances[2]?.text).toBe('It is 1.8% a year. Is there anything else I can help with?');
  });
});

describe('contact-lens-chat: who left first', () => {
  it.each<[string, unknown[], string]>([
    ['the customer left, then the agent', [event(30, 'c-1', 'participant.left'), event(31, 'a-1', 'participant.left')], 'customer'],
    ['the agent left, then the customer', [event(30, 'a-1', 'participant.left'), event(35, 'c-1', 'participant.left')], 'agent'],
    ['listed out of order: the earlier one counts', [event(35, 'c-1', 'participant.left'), event(30, 'a-1', 'participant.left')], 'agent'],
    ['nobody left before the chat ended', [event(30, undefined, 'chat.ended')], 'unknown'],
    ['only the system left', [{ ...event(30, undefined, 'participant.left'), ParticipantRole: 'SYSTEM' }], 'unknown'],
    ['a role stated on the event', [{ ...event(30, undefined, 'participant.left'), ParticipantRole: 'CUSTOMER' }], 'customer'],
  ])('%s → %s', (_what, ending, hangupBy) => {
    const call = theCall(chat([event(0, 'c-1', 'participant.joined'), msg(2, 'a-1', '您好'), msg(5, 'c-1', '你好'), ...ending]));
    expect(call.hangupBy).toBe(hangupBy);
  });
});

describe('contact-lens-chat: messages', () => {
  it('keeps AGENT and CUSTOMER text messages; skips SYSTEM, bots, attachments and other item types', () => {
    const call = theCall(
      chat([
        event(0, 'c-1', 'participant.joined'),
        msg(1, 's-1', '正在为您转接人工客服'),
        { ...msg(1.5, 'c-1', 'bot'), ParticipantId: undefined, ParticipantRole: 'CUSTOM_BOT' },
        { ...msg(2.25, 'a-1', '您好，华信银行，请问有什么可以帮您？'), ContentType: 'text/markdown' },
        { AbsoluteTime: at(3), Type: 'MESSAGE', ContentType: 'application/pdf', ParticipantId: 'c-1', Attachments: [{ AttachmentName: '账单.pdf' }] },
        { AbsoluteTime: at(3.5), Type: 'ATTACHMENT', ParticipantId: 'c-1' },
        { AbsoluteTime: at(4), Type: 'MESSAGE', ParticipantRole: 'CUSTOMER', Content: '我想查账单' },
      ]),
    );
    expect(call.utterances).toEqual([
      { role: 'agent', start: 2.25, text: '您好，华信银行，请问有什么可以帮您？' },
      { role: 'customer', start: 4, text: '我想查账单' },
    ]);
    expect(call.agent).toEqual({ name: '刘洋' });
    expect(call.id).toBe('0311');
  });

  it('counts from the earliest time even when the first item is not the earliest', () => {
    const call = theCall(chat([msg(10, 'a-1', '您好'), event(4, 'c-1', 'participant.joined'), msg(12, 'c-1', '你好')]));
    expect(call.startedAt).toBe(at(4));
    expect(call.utterances.map((u) => u.start)).toEqual([6, 8]);
  });

  it('takes the agent name from a message when Participants has none', () => {
    const call = theCall(chat([{ ...msg(1, 'a-1', '您好'), ParticipantId: undefined, ParticipantRole: 'AGENT', DisplayName: '王芳' }], { Participants: [] }));
    expect(call.agent).toEqual({ name: '王芳' });
  });

  it('takes the id from CustomerMetadata.ContactId', () => {
    expect(theCall(chat([msg(1, 'a-1', '您好')], { CustomerMetadata: { ContactId: 'b49644f6', InstanceId: 'i-1' } })).id).toBe('b49644f6');
  });
});

describe('contact-lens-chat: errors', () => {
  it.each<[string, unknown[], number, string]>([
    [
      'a message time that is no ISO time',
      [msg(0, 'a-1', '您好'), { ...msg(1, 'c-1', '你好'), AbsoluteTime: '11/03/2026 10:00' }],
      4,
      'Transcript[1].AbsoluteTime: expected an ISO 8601 time',
    ],
    [
      'a message without time',
      [msg(0, 'a-1', '您好'), { ...msg(1, 'c-1', '你好'), AbsoluteTime: undefined }],
      4,
      'Transcript[1].AbsoluteTime: expected an ISO 8601 time',
    ],
    [
      'a message from an unknown participant',
      [msg(0, 'a-1', '您好'), { ...msg(1, 'c-1', '你好'), ParticipantId: 'x-9' }],
      4,
      'Transcript[1]: expected a ParticipantRole, or a ParticipantId listed in Participants',
    ],
    [
      'a text message without text',
      [msg(0, 'a-1', '您好'), { ...msg(1, 'c-1', '你好'), Content: 7 }],
      4,
      'Transcript[1].Content: expected the message text as a string, got 7',
    ],
    ['an item that is no object', [msg(0, 'a-1', '您好'), 42], 4, 'Transcript[1]: expected a message or event'],
    [
      'only system messages',
      [event(0, 'c-1', 'participant.joined'), msg(1, 's-1', '请稍候')],
      2,
      'Transcript: expected at least one MESSAGE from an AGENT or CUSTOMER',
    ],
    ['no items', [], 2, 'Transcript: expected at least one MESSAGE'],
  ])('%s', (_what, items, line, message) => {
    const error = theError(chat(items));
    expect(error).toMatchObject({ source: SOURCE, line });
    expect(error.error).toContain(message);
  });
});
