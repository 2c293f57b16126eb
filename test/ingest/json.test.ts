import { describe, expect, it } from 'vitest';
import type { SourceCall as Call } from '../../src/model/source.js';
import type { InputError } from '../../src/ingest/errors.js';
import { parseJsonLine, parseJsonText } from '../../src/ingest/json.js';
import { formatPath } from '../../src/ingest/json-problem.js';
import type { Parsed } from '../../src/ingest/parsed.js';
import { english, LABELS, onlyCall, onlyError } from '../helpers/parsed.js';

const SOURCE = 'calls/day1.json';

function parse(text: string, source = SOURCE): Parsed[] {
  return english(parseJsonText(text, source));
}

function oneCall(text: string, source = SOURCE): Call {
  return onlyCall(parse(text, source));
}

function oneError(text: string, source = SOURCE): InputError {
  return onlyError(parse(text, source));
}

/** A one-line call document with these segments and extra top-level fields. */
function doc(segments: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ call_id: 'C1', ...extra, segments });
}

describe('parseJsonText: one call', () => {
  it('reads every field of a well-formed call', () => {
    const text = `{
  "call_id": "20260301-0001",
  "agent": {"id": "A007", "name": "王芳"},
  "hangup_by": "customer",
  "ring_seconds": 4.5,
  "started_at": "2026-03-01T09:15:00+08:00",
  "segments": [
    {"speaker": "agent", "start": 0.5, "end": 3.2, "text": "您好，很高兴为您服务"},
    {"speaker": "customer", "start": 3.4, "end": 6, "text": "我想查一下账单"}
  ]
}`;
    expect(parse(text)).toEqual([
      {
        call: {
          id: '20260301-0001',
          source: SOURCE,
          format: 'callqa-json',
          agent: { id: 'A007', name: '王芳' },
          hangupBy: 'customer',
          ringSeconds: 4.5,
          startedAt: '2026-03-01T09:15:00+08:00',
          utterances: [
            { role: 'agent', start: 0.5, end: 3.2, text: '您好，很高兴为您服务' },
            { role: 'customer', start: 3.4, end: 6, text: '我想查一下账单' },
          ],
        },
      },
    ]);
  });

  it('reads an untimed call: no start or end on the utterances, hangup unknown', () => {
    const call = oneCall(
      doc([
        { speaker: '客服', text: '您好' },
        { speaker: '客户', text: '你好' },
      ]),
    );
    expect(call.utterances).toEqual([
      { role: 'agent', text: '您好' },
      { role: 'customer', text: '你好' },
    ]);
    expect(call.utterances[0]).not.toHaveProperty('start');
    expect(call.utterances[0]).not.toHaveProperty('end');
    expect(call.hangupBy).toBe('unknown');
    expect(call).not.toHaveProperty('ringSeconds');
    expect(call).not.toHaveProperty('startedAt');
  });

  it('accepts zero as a time', () => {
    const call = oneCall(doc([{ speaker: 'agent', start: 0, end: 0, text: '喂' }]));
    expect(call.utterances).toEqual([{ role: 'agent', start: 0, end: 0, text: '喂' }]);
  });

  it('turns a numeric call_id into a string', () => {
    expect(oneCall(doc([{ speaker: 'agent', text: 'x' }], { call_id: 42 })).id).toBe('42');
  });

  it('trims a string call_id', () => {
    expect(oneCall(doc([{ speaker: 'agent', text: 'x' }], { call_id: '  C-9 ' })).id).toBe('C-9');
  });

  it.each([
    ['missing', undefined, 'day1'],
    ['null', null, 'day1'],
    ['empty string', '', 'day1'],
    ['blank string', '   ', 'day1'],
  ])('uses the file stem when call_id is %s', (_name, callId, want) => {
    const text = JSON.stringify({ call_id: callId, segments: [{ speaker: 'agent', text: 'x' }] });
    expect(oneCall(text).id).toBe(want);
  });

  it('uses the stem of a Windows-style path and keeps inner dots', () => {
    const text = JSON.stringify({ segments: [{ speaker: 'agent', text: 'x' }] });
    expect(oneCall(text, 'C:\\calls\\march.01.json').id).toBe('march.01');
  });

  it('rejects a call_id that is neither string nor number', () => {
    const text = '{\n  "call_id": {"x": 1},\n  "segments": [{"speaker": "agent", "text": "x"}]\n}';
    expect(oneError(text)).toEqual({ source: SOURCE, line: 2, error: 'call_id: expected a string, got {"x":1}' });
  });
});

describe('parseJsonText: agent', () => {
  it.each<[string, Record<string, unknown>, Call['agent']]>([
    ['an agent object', { agent: { id: 'A1', name: '李雷' } }, { id: 'A1', name: '李雷' }],
    ['top-level agent_id and agent_name', { agent_id: 'A2', agent_name: '韩梅梅' }, { id: 'A2', name: '韩梅梅' }],
    ['a numeric agent_id', { agent_id: 7 }, { id: '7' }],
    ['the agent object over agent_id', { agent: { id: 'A1' }, agent_id: 'X9', agent_name: 'Top' }, { id: 'A1', name: 'Top' }],
    ['agent null', { agent: null, agent_id: 'A3' }, { id: 'A3' }],
    ['no agent at all', {}, {}],
  ])('reads %s', (_name, extra, want) => {
    expect(oneCall(doc([{ speaker: 'agent', text: 'x' }], extra)).agent).toEqual(want);
  });

  it('rejects an agent that is not an object, naming the key and line', () => {
    const text = '{\n  "call_id": "c",\n  "agent": "王芳",\n  "segments": [{"speaker": "agent", "text": "x"}]\n}';
    expect(oneError(text)).toEqual({ source: SOURCE, line: 3, error: 'agent: expected an object {id, name}' });
  });

  it('rejects an agent id that is an array', () => {
    const text = '{\n  "call_id": "c",\n  "agent": {\n    "id": [1]\n  },\n  "segments": [{"speaker": "agent", "text": "x"}]\n}';
    expect(oneError(text)).toEqual({ source: SOURCE, line: 4, error: 'agent.id: expected a string, got [1]' });
  });
});

describe('parseJsonText: speakers', () => {
  it.each([
    ['agent', 'agent'],
    ['Agent', 'agent'],
    ['AGENT', 'agent'],
    ['坐席', 'agent'],
    ['座席', 'agent'],
    ['客服', 'agent'],
    ['A', 'agent'],
    ['a', 'agent'],
    [' agent ', 'agent'],
    ['customer', 'customer'],
    ['Customer', 'customer'],
    ['caller', 'customer'],
    ['客户', 'customer'],
    ['顾客', 'customer'],
    ['C', 'customer'],
    ['c', 'customer'],
    ['客戶', 'customer'],
    ['顧客', 'customer'],
  ])('speaker %j is the %s', (label, want) => {
    expect(oneCall(doc([{ speaker: label, text: 'x' }])).utterances[0]?.role).toBe(want);
  });

  it.each([['boss'], ['B'], ['客人'], ['']])('rejects speaker %j and lists the accepted labels', (label) => {
    const text = `{\n  "call_id": "c",\n  "segments": [\n    {"speaker": ${JSON.stringify(label)}, "text": "x"}\n  ]\n}`;
    expect(oneError(text)).toEqual({
      source: SOURCE,
      line: 4,
      error: `segments[0].speaker: unknown speaker ${JSON.stringify(label)}; expected ${LABELS}`,
    });
  });

  it('rejects a missing speaker', () => {
    const error = oneError(doc([{ text: 'x' }]));
    expect(error.error).toBe(`segments[0].speaker: unknown speaker undefined; expected ${LABELS}`);
  });

  it('rejects a numeric speaker', () => {
    expect(oneError(doc([{ speaker: 1, text: 'x' }])).error).toMatch(/^segments\[0\]\.speaker: unknown speaker 1; expected agent, 坐席/);
  });
});

describe('parseJsonText: segments', () => {
  it('rejects an empty segments array', () => {
    const text = '{\n  "call_id": "c",\n  "segments": []\n}';
    expect(oneError(text)).toEqual({ source: SOURCE, line: 3, error: 'segments: expected at least one segment; the call has no speech' });
  });

  it('rejects missing segments', () => {
    expect(oneError('{"call_id": "c"}')).toEqual({
      source: SOURCE,
      line: 1,
      error: 'segments: expected an array of segments {speaker, start, end, text}',
    });
  });

  it('rejects a segment that is not an object', () => {
    const text = '{\n  "call_id": "c",\n  "segments": [\n    {"speaker": "agent", "text": "x"},\n    "客户：你好"\n  ]\n}';
    expect(oneError(text)).toEqual({ source: SOURCE, line: 5, error: 'segments[1]: expected a segment object {speaker, start, end, text}' });
  });

  it('rejects text that is not a string', () => {
    const text = '{\n  "call_id": "c",\n  "segments": [\n    {"speaker": "agent",\n     "text": null}\n  ]\n}';
    expect(oneError(text)).toEqual({ source: SOURCE, line: 5, error: 'segments[0].text: expected the utterance text as a string, got null' });
  });

  it('rejects a document that is not an object', () => {
    expect(oneError('"hello"')).toEqual({ source: SOURCE, line: 1, error: 'expected a call object {call_id, agent, segments, …}' });
  });
});

describe('parseJsonText: bad timestamps', () => {
  /** A call whose second segment (on line 5) has these times. */
  const withTimes = (times: string) =>
    `{\n  "call_id": "c",\n  "segments": [\n    {"speaker": "agent", "start": 0, "end": 1, "text": "您好"},\n    {"speaker": "customer", ${times} "text": "喂"}\n  ]\n}`;

  it.each([
    ['a string start', '"start": "abc", "end": 2,', 'segments[1].start: expected seconds from the start of the call as a number ≥ 0, got "abc"'],
    ['a negative start', '"start": -1, "end": 2,', 'segments[1].start: expected seconds from the start of the call as a number ≥ 0, got -1'],
    ['a string end', '"start": 1, "end": "2s",', 'segments[1].end: expected seconds from the start of the call as a number ≥ 0, got "2s"'],
    ['an end before the start', '"start": 5, "end": 4.5,', 'segments[1].end: end 4.5 is before start 5'],
    ['a boolean start', '"start": true, "end": 2,', 'segments[1].start: expected seconds from the start of the call as a number ≥ 0, got true'],
  ])('rejects %s with the segment line', (_name, times, error) => {
    expect(oneError(withTimes(times))).toEqual({ source: SOURCE, line: 5, error });
  });

  it.each([
    ['a start without an end', { speaker: 'agent', start: 1, text: 'x' }, 'segments[0].end: expected both start and end, or neither'],
    ['an end without a start', { speaker: 'agent', end: 1, text: 'x' }, 'segments[0].start: expected both start and end, or neither'],
  ])('rejects %s', (_name, segment, error) => {
    expect(oneError(doc([segment]))).toEqual({ source: SOURCE, line: 1, error });
  });

  it('rejects a timed segment after untimed ones', () => {
    const text = '{\n  "segments": [\n    {"speaker": "agent", "text": "您好"},\n    {"speaker": "customer", "start": 1, "end": 2, "text": "喂"}\n  ]\n}';
    expect(oneError(text)).toEqual({
      source: SOURCE,
      line: 4,
      error: 'segments[1]: expected start/end on every segment or on none; this one differs from the first segment',
    });
  });

  it('rejects an untimed segment after timed ones', () => {
    expect(oneError(withTimes(''))).toEqual({
      source: SOURCE,
      line: 5,
      error: 'segments[1]: expected start/end on every segment or on none; this one differs from the first segment',
    });
  });

  it('treats null times as absent', () => {
    const call = oneCall(doc([{ speaker: 'agent', start: null, end: null, text: 'x' }]));
    expect(call.utterances).toEqual([{ role: 'agent', text: 'x' }]);
  });
});

describe('parseJsonText: call fields', () => {
  it.each([
    ['customer', 'customer'],
    ['agent', 'agent'],
    ['unknown', 'unknown'],
    ['UNKNOWN', 'unknown'],
    ['客户', 'customer'],
    ['客戶', 'customer'],
    ['坐席', 'agent'],
    ['caller', 'customer'],
    ['', 'unknown'],
    [null, 'unknown'],
  ])('hangup_by %j is %s', (value, want) => {
    expect(oneCall(doc([{ speaker: 'agent', text: 'x' }], { hangup_by: value })).hangupBy).toBe(want);
  });

  it.each([
    ['"bob"', 'hangup_by: expected customer, agent or unknown, got "bob"'],
    ['1', 'hangup_by: expected customer, agent or unknown, got 1'],
    ['true', 'hangup_by: expected customer, agent or unknown, got true'],
  ])('rejects hangup_by %s', (value, error) => {
    const text = `{\n  "call_id": "c",\n  "hangup_by": ${value},\n  "segments": [{"speaker": "agent", "text": "x"}]\n}`;
    expect(oneError(text)).toEqual({ source: SOURCE, line: 3, error });
  });

  it.each([
    [4.5, 4.5],
    [0, 0],
    ['3', 3],
    [' 12.5 ', 12.5],
  ])('ring_seconds %j is %d', (value, want) => {
    expect(oneCall(doc([{ speaker: 'agent', text: 'x' }], { ring_seconds: value })).ringSeconds).toBe(want);
  });

  it.each([
    ['"abc"', 'ring_seconds: expected seconds as a number ≥ 0, got "abc"'],
    ['-2', 'ring_seconds: expected seconds as a number ≥ 0, got -2'],
    ['"-2"', 'ring_seconds: expected seconds as a number ≥ 0, got "-2"'],
    ['true', 'ring_seconds: expected seconds as a number ≥ 0, got true'],
    ['[3]', 'ring_seconds: expected seconds as a number ≥ 0, got [3]'],
  ])('rejects ring_seconds %s', (value, error) => {
    const text = `{\n  "call_id": "c",\n  "segments": [{"speaker": "agent", "text": "x"}],\n  "ring_seconds": ${value}\n}`;
    expect(oneError(text)).toEqual({ source: SOURCE, line: 4, error });
  });

  it('keeps started_at exactly as written', () => {
    expect(oneCall(doc([{ speaker: 'agent', text: 'x' }], { started_at: '2026-03-01T09:00:00Z' })).startedAt).toBe('2026-03-01T09:00:00Z');
  });

  it.each([
    ['"not a date"', 'started_at: expected an ISO 8601 date-time, got "not a date"'],
    ['"2026-13-45T99:00:00Z"', 'started_at: expected an ISO 8601 date-time, got "2026-13-45T99:00:00Z"'],
    ['1740000000', 'started_at: expected an ISO 8601 date-time, got 1740000000'],
  ])('rejects started_at %s', (value, error) => {
    const text = `{\n  "call_id": "c",\n  "started_at": ${value},\n  "segments": [{"speaker": "agent", "text": "x"}]\n}`;
    expect(oneError(text)).toEqual({ source: SOURCE, line: 3, error });
  });

  it.each([
    ['outbound', 'outbound'],
    ['Inbound', 'inbound'],
    ['外呼', 'outbound'],
    ['呼入', 'inbound'],
  ])('reads direction %s as %s', (value, direction) => {
    expect(oneCall(doc([{ speaker: 'agent', text: 'x' }], { direction: value })).direction).toBe(direction);
  });

  it('rejects a direction that is neither inbound nor outbound, naming the line', () => {
    const text = `{\n  "call_id": "c",\n  "direction": "sideways",\n  "segments": [{"speaker": "agent", "text": "x"}]\n}`;
    expect(oneError(text)).toEqual({
      source: SOURCE,
      line: 3,
      error: 'direction: expected inbound or outbound (or 呼入, 呼出, 外呼…), got "sideways"',
    });
  });
});

describe('parseJsonText: an array of calls', () => {
  const text = `[
  {"segments": [{"speaker": "agent", "text": "第一通"}]},
  {
    "call_id": "bad",
    "segments": [
      {"speaker": "robot", "text": "第二通"}
    ]
  },
  {"call_id": 3, "segments": [{"speaker": "客戶", "text": "第三通"}]},
  {"segments": [{"speaker": "C", "text": "第四通"}]}
]`;

  it('yields every good call and one error for the bad element, in order', () => {
    const out = parse(text);
    expect(out.map((p) => p.call?.id ?? `error@${p.error?.line}`)).toEqual(['day1-1', 'error@6', '3', 'day1-4']);
  });

  it('names the key path of the bad element and the line of the bad value', () => {
    expect(parse(text)[1]).toEqual({
      error: {
        source: SOURCE,
        line: 6,
        error: `[1].segments[0].speaker: unknown speaker "robot"; expected ${LABELS}`,
      },
    });
  });

  it('numbers fallback ids by position in the array', () => {
    const calls = parse(text).flatMap((p) => (p.call ? [p.call] : []));
    expect(calls.map((c) => [c.id, c.utterances[0]?.text, c.utterances[0]?.role])).toEqual([
      ['day1-1', '第一通', 'agent'],
      ['3', '第三通', 'customer'],
      ['day1-4', '第四通', 'customer'],
    ]);
  });

  it('gives the element line when the element itself is not an object', () => {
    const out = parse('[\n  {"segments": [{"speaker": "agent", "text": "x"}]},\n  42\n]');
    expect(out[1]).toEqual({ error: { source: SOURCE, line: 3, error: '[1]: expected a call object {call_id, agent, segments, …}' } });
    expect(out[0]?.call?.id).toBe('day1-1');
  });

  it('rejects an empty array', () => {
    expect(oneError('[]')).toEqual({ source: SOURCE, line: 1, error: 'expected a call object or an array of calls; the array is empty' });
  });

  it('rejects an empty array with whitespace inside', () => {
    expect(oneError('[\n\n]\n')).toEqual({ source: SOURCE, line: 1, error: 'expected a call object or an array of calls; the array is empty' });
  });
});

describe('parseJsonText: syntax errors', () => {
  it('reports truncated JSON that ends mid-value at the last line, as truncated', () => {
    const text = '{\n  "call_id": "c1",\n  "segments":';
    expect(oneError(text)).toEqual({ source: SOURCE, line: 3, error: 'invalid JSON: the text ends in the middle of a value (truncated?)' });
  });

  it('reports a whitespace-only document as truncated', () => {
    expect(oneError('  \n ')).toEqual({ source: SOURCE, line: 2, error: 'invalid JSON: the text ends in the middle of a value (truncated?)' });
  });

  // BUG (src/ingest/json-locate.ts describeJsonSyntaxError): only V8's "Unexpected end of JSON input"
  // is reported as truncated; a file cut off after a complete value (at a line break) gets
  // "Expected ',' or ']' after array element", and one cut inside a string gets "Unterminated string".
  it('reports a file cut off after a complete segment as truncated, at its last line', () => {
    const text = '{\n  "call_id": "c1",\n  "segments": [\n    {"speaker": "agent", "text": "您好"},\n    {"speaker": "customer", "text": "喂"}\n';
    const error = oneError(text);
    expect(error.line).toBe(6);
    expect(error.error).toMatch(/truncated/);
  });

  it('locates a file cut off after a complete segment at its last line', () => {
    const text = '{\n  "call_id": "c1",\n  "segments": [\n    {"speaker": "agent", "text": "您好"},\n    {"speaker": "customer", "text": "喂"}\n';
    const error = oneError(text);
    expect(error.source).toBe(SOURCE);
    expect(error.line).toBe(6);
    expect(error.error).toMatch(/^invalid JSON: /);
  });

  it('reports a file cut off inside a string as truncated', () => {
    const text = '{\n  "call_id": "c1",\n  "segments": [\n    {"speaker": "agent", "text": "您';
    const error = oneError(text);
    expect(error.line).toBe(4);
    expect(error.error).toMatch(/truncated/);
  });

  it('reports an extra closing brace (as in the AWS documentation samples) on its own line', () => {
    const text = '{\n  "call_id": "c1",\n  "segments": [\n    {"speaker": "agent", "text": "您好"}\n  ]\n}\n}\n';
    expect(oneError(text)).toEqual({
      source: SOURCE,
      line: 7,
      error: 'invalid JSON: more text after the end of the value (an extra "}"?)',
    });
  });

  it('reports a trailing comma on its line', () => {
    const text = '{\n  "call_id": "c1",\n  "segments": [{"speaker": "agent", "text": "x"}],\n}';
    expect(oneError(text)).toEqual({ source: SOURCE, line: 4, error: 'invalid JSON: unexpected "}", expected a property after ","' });
  });

  it('reports an invalid token in a short document with its line and the token', () => {
    expect(oneError('{\n"a":\nx}')).toEqual({ source: SOURCE, line: 3, error: 'invalid JSON: unexpected "x", expected a value' });
  });

  // BUG (src/ingest/json-locate.ts describeJsonSyntaxError): V8 abbreviates the excerpt of longer
  // texts as `..."excerpt"...` with the dots outside the quotes, which the regex does not expect,
  // so the error falls back to line 1 and V8's raw message with its excerpt.
  it('reports an invalid token in a longer document with its line and the token', () => {
    const text = '{\n  "call_id": "c1",\n  "agent": {"id": "A7"},\n  "segments": [\n    {"speaker": "agent", "text": hello}\n  ]\n}';
    expect(oneError(text)).toEqual({ source: SOURCE, line: 5, error: 'invalid JSON: unexpected "h", expected a value' });
  });

  it('reports an invalid token in a longer document without throwing', () => {
    const text = '{\n  "call_id": "c1",\n  "agent": {"id": "A7"},\n  "segments": [\n    {"speaker": "agent", "text": hello}\n  ]\n}';
    const error = oneError(text);
    expect(error.source).toBe(SOURCE);
    expect(error.error).toMatch(/^invalid JSON: unexpected (token )?["']h["']/i);
  });

  it('yields nothing but the syntax error, even when an array holds good calls', () => {
    const text = '[\n  {"segments": [{"speaker": "agent", "text": "x"}]},\n  {"segments": [{"speaker": "agent", "text": "y"}]}\n';
    const out = parse(text);
    expect(out).toHaveLength(1);
    expect(out[0]?.call).toBeUndefined();
    expect(out[0]?.error?.line).toBe(4);
  });
});

describe('parseJsonLine', () => {
  const SRC = 'exports/day1.jsonl';

  it('reads one call, takes the line number and names a fallback id stem-N', () => {
    expect(parseJsonLine('{"agent_id": "A1", "segments": [{"speaker": "顧客", "text": "你好"}]}', SRC, 7)).toEqual({
      call: {
        id: 'day1-7',
        source: SRC,
        format: 'callqa-json',
        line: 7,
        agent: { id: 'A1' },
        hangupBy: 'unknown',
        utterances: [{ role: 'customer', text: '你好' }],
      },
    });
  });

  it('keeps a given call_id', () => {
    expect(parseJsonLine('{"call_id": 1001, "segments": [{"speaker": "A", "text": "x"}]}', SRC, 3)?.call?.id).toBe('1001');
  });

  it.each([[''], ['   '], ['\t\r']])('skips a blank line %j', (text) => {
    expect(parseJsonLine(text, SRC, 2)).toBeUndefined();
  });

  it('reports a bad value with the line of the file, not of the JSON text', () => {
    expect(english([parseJsonLine('{"call_id": "c", "segments": [{"speaker": "x", "text": "c"}]}', SRC, 12) as Parsed])[0]).toEqual({
      error: { source: SRC, line: 12, error: `segments[0].speaker: unknown speaker "x"; expected ${LABELS}` },
    });
  });

  it('reports truncated JSON on its line', () => {
    expect(english([parseJsonLine('{"call_id": "c", "segments":', SRC, 9) as Parsed])[0]).toEqual({
      error: { source: SRC, line: 9, error: 'invalid JSON: the text ends in the middle of a value (truncated?)' },
    });
  });

  it('reports an array on a line as not a call', () => {
    expect(english([parseJsonLine('[{"segments": [{"speaker": "A", "text": "x"}]}]', SRC, 4) as Parsed])[0]).toEqual({
      error: { source: SRC, line: 4, error: 'expected a call object {call_id, agent, segments, …}' },
    });
  });

  it('reports a bad hangup_by on its line', () => {
    expect(english([parseJsonLine('{"hangup_by": "客人", "segments": [{"speaker": "A", "text": "x"}]}', SRC, 5) as Parsed])[0]).toEqual({
      error: { source: SRC, line: 5, error: 'hangup_by: expected customer, agent or unknown, got "客人"' },
    });
  });
});

describe('formatPath', () => {
  it.each<[(string | number)[], string]>([
    [[], ''],
    [['call_id'], 'call_id'],
    [['agent', 'id'], 'agent.id'],
    [[1, 'segments', 0, 'speaker'], '[1].segments[0].speaker'],
    [['segments', 2], 'segments[2]'],
  ])('%j → %j', (path, want) => {
    expect(formatPath(path)).toBe(want);
  });
});
