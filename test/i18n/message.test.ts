import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/format.js';
import { mapMessageText, type Message, MessageRecorder, messageText } from '../../src/i18n/message.js';
import { maskPersonalNumbers } from '../../src/privacy/mask.js';

describe('messages as data', () => {
  it('the recorder keeps the message behind a text, its pieces as messages, and forgets them between checks', () => {
    const recorder = new MessageRecorder();
    const say = recorder.wrap(translator('zh-CN'));
    const phrases = ['不行', '没办法'].map((phrase) => say('phrases.quoted', { phrase }));
    const window = say('phrases.window.first-seconds', { seconds: 30 });
    const text = say('phrases.said.agent', { phrases, window });
    expect(text).toBe('坐席在前 30 秒内说出了“不行”、“没办法”');
    expect(recorder.messageOf(text)).toEqual({
      key: 'phrases.said.agent',
      params: {
        phrases: [
          { key: 'phrases.quoted', params: { phrase: '不行' } },
          { key: 'phrases.quoted', params: { phrase: '没办法' } },
        ],
        window: { key: 'phrases.window.first-seconds', params: { seconds: 30 } },
      },
    });
    recorder.clear();
    expect(recorder.messageOf(text)).toBeUndefined();
    // After clear, a text that looks like an earlier piece is text as it is.
    expect(recorder.messageOf(say('phrases.occurrence.agent', { phrase: '“不行”' }))?.params).toEqual({ phrase: '“不行”' });
  });

  it('writes a message in each language, its rule by the title the caller gives', () => {
    const m: Message = { key: 'finding.unlisted', params: { count: 3, rule: { rule: 'greeting' }, max: 200 } };
    expect(messageText('zh-CN', m, { title: () => '问候语' })).toBe('本通话另有 3 条“问候语”问题未逐条列出（每条规则最多列 200 条）');
    expect(messageText('en', m, { title: () => 'Greeting' })).toBe('3 more findings of Greeting in this call, not listed one by one (at most 200 a rule)');
    expect(messageText('en', m)).toBe('3 more findings of greeting in this call, not listed one by one (at most 200 a rule)');
    const nested: Message = { key: 'phrases.said.agent', params: { phrases: [{ key: 'phrases.quoted', params: { phrase: '不行' } }], window: '' } };
    expect(messageText('zh-TW', nested)).toBe('客服人員說出了「不行」');
    expect(messageText('en', nested)).toBe(translator('en')('phrases.said.agent', { phrases: ['"不行"'], window: '' }));
  });

  it('masks personal numbers in every text of a message, nested and listed ones too, and leaves rules and numbers', () => {
    const m: Message = {
      key: 'phrases.said.agent',
      params: {
        phrases: [{ key: 'phrases.quoted', params: { phrase: '13812345678' } }, 'x 13912345678'],
        window: { rule: 'greeting' },
        n: 13812345678,
      } as never,
    };
    const masked = mapMessageText(m, maskPersonalNumbers);
    expect(masked.params?.phrases).toEqual([{ key: 'phrases.quoted', params: { phrase: '138****5678' } }, 'x 139****5678']);
    expect(masked.params?.window).toEqual({ rule: 'greeting' });
    expect(masked.params?.n).toBe(13812345678);
    expect(mapMessageText(masked, maskPersonalNumbers)).toEqual(masked);
  });
});
