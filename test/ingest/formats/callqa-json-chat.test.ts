import { describe, expect, it } from 'vitest';
import contactLensChat from '../../../src/ingest/formats/contact-lens-chat.js';
import format from '../../../src/ingest/formats/callqa-json.js';
import { parseJsonLine } from '../../../src/ingest/json.js';
import { fixtureText, onlyCall, onlyError, parseJson } from '../../helpers/parsed.js';

const SOURCE = 'chats/0311.json';
const parse = (doc: unknown) => parseJson(format, JSON.stringify(doc, null, 1), SOURCE);
const chat = (messages: unknown[], extra: Record<string, unknown> = {}) => ({ call_id: 'CH-1', agent: { id: 'A-7' }, channel: 'chat', messages, ...extra });
const m = (speaker: string, time: unknown, text: string) => ({ speaker, time, text });

describe('callqa-json: a written conversation', () => {
  it('is recognised by its messages, with a channel or call keys beside them', () => {
    expect(format.detect(chat([]))).toBe(true);
    expect(format.detect({ call_id: 'x', messages: [] })).toBe(true);
    // A bare `messages` array is some other tool's (an LLM chat log), not a call.
    expect(format.detect({ messages: [{ role: 'user', content: 'hi' }] })).toBe(false);
  });

  it('reads the fixture: ISO times as seconds from the first message, end = start, started_at the first time', () => {
    const { text, source } = fixtureText('callqa-json', 'chat-online.json');
    const call = onlyCall(parseJson(format, text, source));
    expect(call).toMatchObject({ id: 'CHAT-20260311-0042', channel: 'chat', startedAt: '2026-03-11T10:02:05+08:00', agent: { id: 'A-1207', name: '刘洋' } });
    expect(call.utterances).toHaveLength(9);
    expect(call.utterances.slice(0, 3)).toEqual([
      { role: 'customer', start: 0, end: 0, text: '你好，我上周五下的订单到现在还没发货，怎么回事？' },
      { role: 'agent', start: 43, end: 43, text: '您好，很高兴为您服务，我是在线客服刘洋。请您提供一下订单号，我帮您查询。' },
      { role: 'customer', start: 85, end: 85, text: '订单号是 DD20260306118。' },
    ]);
    expect(call.utterances.at(-1)?.start).toBe(300);
  });

  it('sets ISO times in different offsets against each other (Z and +08:00 are the same clock)', () => {
    const call = onlyCall(parse(chat([m('客户', '2026-03-11T02:00:00Z', '在吗'), m('坐席', '2026-03-11T10:00:30.5+08:00', '您好，在的')])));
    expect(call.utterances.map((u) => u.start)).toEqual([0, 30.5]);
    expect(call.startedAt).toBe('2026-03-11T02:00:00Z');
  });

  it('takes seconds from the start as they are, with no started_at', () => {
    const call = onlyCall(parse(chat([m('customer', 0, '在吗'), m('agent', 95, '您好'), m('customer', 410.5, '好的')], { channel: 'social' })));
    expect(call.channel).toBe('social');
    expect(call.utterances.map((u) => [u.role, u.start, u.end])).toEqual([
      ['customer', 0, 0],
      ['agent', 95, 95],
      ['customer', 410.5, 410.5],
    ]);
    expect(call.startedAt).toBeUndefined();
  });

  it('is written service (chat) when messages come without a channel', () => {
    expect(onlyCall(parse({ call_id: 'CH-2', messages: [m('customer', 0, '在吗'), m('agent', 5, '您好')] })).channel).toBe('chat');
  });

  it('leaves a voice call of segments without a channel', () => {
    const call = onlyCall(parse({ call_id: 'V-1', segments: [{ speaker: 'agent', start: 0, end: 1, text: '您好' }] }));
    expect(call.channel).toBeUndefined();
  });

  it.each<[string, unknown, string]>([
    [
      'a time in no known form',
      chat([m('customer', 0, 'a'), m('agent', 5, 'b'), m('customer', 9, 'c'), m('agent', '昨天 11:01', 'd')]),
      'messages[3].time: expected ISO 8601 (with an offset or Z) or seconds from the start, got "昨天 11:01"',
    ],
    [
      'a wall-clock time with no zone',
      chat([m('customer', '2026-03-11T10:00:00', 'a')]),
      'messages[0].time: expected ISO 8601 (with an offset or Z) or seconds from the start, got "2026-03-11T10:00:00"',
    ],
    [
      'a day the calendar lacks',
      chat([m('customer', '2026-02-30T10:00:00+08:00', 'a')]),
      'messages[0].time: expected ISO 8601 (with an offset or Z) or seconds from the start, got "2026-02-30T10:00:00+08:00"',
    ],
    [
      '24:00',
      chat([m('customer', '2026-03-11T10:00:00Z', 'a'), m('agent', '2026-03-11T24:00:00Z', 'b')]),
      'messages[1].time: expected ISO 8601 (with an offset or Z) or seconds from the start, got "2026-03-11T24:00:00Z"',
    ],
    ['a negative time', chat([m('customer', -3, 'a')]), 'messages[0].time: expected ISO 8601 (with an offset or Z) or seconds from the start, got -3'],
    [
      'seconds after an ISO time',
      chat([m('customer', '2026-03-11T10:00:00Z', 'a'), m('agent', 30, 'b')]),
      'messages[1].time: expected the same kind of time as the first message: every time ISO 8601, or every time seconds from the start',
    ],
    [
      'a time before the message above',
      chat([m('customer', '2026-03-11T10:00:00Z', 'a'), m('agent', '2026-03-11T09:59:00Z', 'b')]),
      'messages[1].time: timestamp goes backwards: expected each start at or after the previous one',
    ],
    ['an unknown channel', chat([m('customer', 0, 'a')], { channel: 'email' }), 'channel: expected chat or social (or voice), got "email"'],
    ['no messages', chat([]), 'messages: expected at least one message; the conversation has none'],
    ['a message that is not an object', chat(['在吗']), 'messages[0]: expected a message object {speaker, time, text}'],
    ['a message without text', chat([{ speaker: 'agent', time: 0 }]), 'messages[0].text: expected the utterance text as a string, got undefined'],
  ])('lists %s as an error naming its place', (_what, doc, error) => {
    expect(onlyError(parse(doc)).error).toBe(error);
  });

  it('reads a conversation a line in JSON Lines, an error on its own line', () => {
    const good = parseJsonLine(JSON.stringify(chat([m('customer', 0, '在吗'), m('agent', 12, '您好')])), 'chats.jsonl', 4);
    expect(good?.call).toMatchObject({ id: 'CH-1', line: 4, channel: 'chat' });
    expect(good?.call?.utterances.map((u) => u.start)).toEqual([0, 12]);
    const bad = parseJsonLine(JSON.stringify(chat([m('customer', 'soon', '在吗')])), 'chats.jsonl', 5);
    expect(bad?.error).toMatchObject({ source: 'chats.jsonl', line: 5 });
    expect(bad?.error?.said).toBeDefined();
  });
});

describe('contact-lens-chat: a chat', () => {
  it('is written service: channel chat', () => {
    const { text, source } = fixtureText('contact-lens-chat', 'chat-yunfan-parcel.json');
    expect(onlyCall(parseJson(contactLensChat, text, source)).channel).toBe('chat');
  });
});
