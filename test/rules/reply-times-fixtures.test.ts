import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/format.js';
import format from '../../src/ingest/formats/callqa-json.js';
import contactLensChat from '../../src/ingest/formats/contact-lens-chat.js';
import { prepareCall } from '../../src/normalise/call.js';
import { resolveRoles } from '../../src/normalise/roles.js';
import firstResponse from '../../src/rules/first-response.js';
import { defaultGreetingMatchers } from '../../src/rules/greeting.js';
import responseGaps from '../../src/rules/response-gaps.js';
import { EMPTY_CONTEXT, optionsSchema, type RuleDefinition } from '../../src/rules/types.js';
import type { SourceCall } from '../../src/model/source.js';
import { fixtureText, onlyCall, parseJson } from '../helpers/parsed.js';

// The bundled chat fixtures through the real readers, as a run scores them: the outcomes a QA reviewer agrees with.
const prepared = (src: SourceCall) => prepareCall(resolveRoles(src, { greetingElements: defaultGreetingMatchers() }));
const judge = (rule: RuleDefinition, src: SourceCall, options: Record<string, unknown> = {}) =>
  rule.check(prepared(src), optionsSchema(rule).parse(options) as never, { ...EMPTY_CONTEXT, say: translator('en') });
const read = (name: string) => {
  const { text, source } = fixtureText('callqa-json', name);
  return { text, source, call: onlyCall(parseJson(format, text, source)) };
};

describe('reply times on the bundled chats', () => {
  it('chat-online.json: a reply in 43 s, a hold of 78 s ended by the answer, 没有了，谢谢 left as it should be: both pass', () => {
    const { call } = read('chat-online.json');
    expect(judge(firstResponse, call).outcome).toBe('pass');
    expect(judge(responseGaps, call)).toMatchObject({ outcome: 'pass', findings: [] });
  });

  it('the same chat with the lookup taking 6 minutes after 请您稍等: one finding at the hold', () => {
    const { text, source } = read('chat-online.json');
    // The answer to the lookup (10:05:10) and everything after it 282 s later: the answer comes 6 minutes after the hold.
    const doc = JSON.parse(text) as { messages: Array<{ time: string }> };
    for (const m of doc.messages.slice(4)) m.time = new Date(Date.parse(m.time) + 282_000).toISOString();
    const slow = onlyCall(parseJson(format, JSON.stringify(doc), source));
    const result = judge(responseGaps, slow);
    expect(result.outcome).toBe('fail');
    expect(result.findings).toEqual([
      {
        at: 107,
        message:
          'the customer waited 360 s (06:00) after the agent put them on hold before the agent wrote again (longer than 180 s (03:00): give a progress update)',
        evidence: '好的，请您稍等，我这边马上为您查询。',
      },
    ]);
  });

  it('contact-lens-chat: the agent greets on joining (the thread is the agent’s to open): first-response n/a, the later waits pass', () => {
    for (const name of ['chat-yunfan-parcel.json', 'chat-huaxin-agent-left.json']) {
      const { text, source } = fixtureText('contact-lens-chat', name);
      const call = onlyCall(parseJson(contactLensChat, text, source));
      expect(judge(firstResponse, call).outcome, name).toBe('n/a');
      expect(judge(responseGaps, call), name).toMatchObject({ outcome: 'pass', findings: [] });
    }
  });
});
