import { describe, expect, it } from 'vitest';
import type { SourceCall, SourceUtterance } from '../../src/model/source.js';
import { type RoleOptions, resolveRoles } from '../../src/normalise/roles.js';
import { defaultGreetingMatchers } from '../../src/rules/greeting.js';

const GREETING = '您好，这里是星辰通信，我是王芳，很高兴为您服务';

function source(utterances: SourceUtterance[], extra: Partial<SourceCall> = {}): SourceCall {
  return { id: 'R1', source: 'r.json', format: 'test', agent: {}, hangupBy: 'unknown', utterances, ...extra };
}

const options = (extra: Partial<RoleOptions> = {}): RoleOptions => ({ greetingElements: defaultGreetingMatchers(), ...extra });

function roles(call: SourceCall, opts = options()) {
  const resolved = resolveRoles(call, opts);
  return { source: resolved.roleSource, speakers: resolved.utterances.map((u) => u.speaker), labels: resolved.utterances.map((u) => u.label) };
}

describe('resolveRoles', () => {
  it('keeps roles the source states', () => {
    const call = source([
      { role: 'agent', text: GREETING },
      { role: 'customer', text: '喂' },
    ]);
    expect(roles(call)).toEqual({ source: 'given', speakers: ['agent', 'customer'], labels: [undefined, undefined] });
  });

  it('finds the agent by the greeting even when the customer speaks first', () => {
    const call = source([
      { speaker: 'spk_0', text: '喂？你好？' },
      { speaker: 'spk_1', text: GREETING },
      { speaker: 'spk_0', text: '我的宽带断了' },
    ]);
    expect(roles(call)).toEqual({ source: 'greeting', speakers: ['customer', 'agent', 'customer'], labels: ['spk_0', 'spk_1', 'spk_0'] });
  });

  it('reads the greeting in Traditional script', () => {
    const tw = source([
      { speaker: 'A', text: '喂' },
      { speaker: 'B', text: '您好，這裡是華信銀行，我是林雅婷，很高興為您服務' },
    ]);
    expect(roles(tw).speakers).toEqual(['customer', 'agent']);
  });

  it('treats a third diarised speaker as the customer side', () => {
    const call = source([
      { speaker: 'spk_1', text: GREETING },
      { speaker: 'spk_0', text: '你好' },
      { speaker: 'spk_2', text: '嗯对' },
      { speaker: 'spk_1', text: '好的' },
    ]);
    expect(roles(call)).toMatchObject({ source: 'greeting', speakers: ['agent', 'customer', 'customer', 'agent'] });
  });

  it('falls back to the first speaker when nobody greets or answers, or the greeting is a tie', () => {
    const call = source([
      { speaker: 'spk_0', text: '嗯' },
      { speaker: 'spk_1', text: '你好' },
    ]);
    expect(roles(call)).toEqual({ source: 'first-speaker', speakers: ['agent', 'customer'], labels: ['spk_0', 'spk_1'] });
    // A bare 喂 first is how the customer answers: the other speaker is the agent (it was first-speaker, the wrong way round).
    const answered = source([
      { speaker: 'spk_0', text: '喂' },
      { speaker: 'spk_1', text: '你好' },
    ]);
    expect(roles(answered)).toEqual({ source: 'customer-cue', speakers: ['customer', 'agent'], labels: ['spk_0', 'spk_1'] });
    const tie = source([
      { speaker: 'x', text: GREETING },
      { speaker: 'y', text: GREETING },
    ]);
    expect(roles(tie).source).toBe('first-speaker');
  });

  it('a single greeting word is not enough to call someone the agent; asking who is calling makes one the customer', () => {
    const call = source([
      { speaker: 'spk_0', text: '嗯，你说' },
      { speaker: 'spk_1', text: '您好' },
    ]);
    expect(roles(call).source).toBe('first-speaker');
    const asked = source([
      { speaker: 'spk_0', text: '喂，哪位' },
      { speaker: 'spk_1', text: '您好' },
    ]);
    expect(roles(asked)).toMatchObject({ source: 'customer-cue', speakers: ['customer', 'agent'] });
  });

  it.each([
    [
      '--agent-speaker',
      { agentSpeaker: 'SPK_0' },
      [
        { speaker: 'spk_0', text: '喂' },
        { speaker: 'spk_1', text: GREETING },
      ],
      ['agent', 'customer'],
    ],
    [
      '--agent-name',
      { agentName: '王芳' },
      [
        { speaker: '李雷', text: '你好' },
        { speaker: '王芳', text: '好的' },
      ],
      ['customer', 'agent'],
    ],
    [
      '--agent-name in Traditional',
      { agentName: '陳志豪' },
      [
        { speaker: '陈志豪', text: '好的' },
        { speaker: '客人', text: '嗯' },
      ],
      ['agent', 'customer'],
    ],
    [
      '--agent-channel',
      { agentChannel: 1 },
      [
        { channel: 0, text: GREETING },
        { channel: 1, text: '喂' },
      ],
      ['customer', 'agent'],
    ],
  ] as const)('a flag wins over the greeting: %s', (_name, flag, utterances, speakers) => {
    const result = roles(source([...utterances] as SourceUtterance[]), options(flag));
    expect(result.source).toBe('flag');
    expect(result.speakers).toEqual(speakers);
  });

  it('uses the format default channel (Alibaba: 0) and lets --agent-channel override it', () => {
    const call = source(
      [
        { channel: 1, text: '喂' },
        { channel: 0, text: '你好' },
      ],
      { defaultAgentChannel: 0 },
    );
    expect(roles(call)).toEqual({ source: 'flag', speakers: ['customer', 'agent'], labels: ['ch1', 'ch0'] });
    expect(roles(call, options({ agentChannel: 1 })).speakers).toEqual(['agent', 'customer']);
  });

  it('a flag that matches nobody in this call falls through to the greeting', () => {
    const call = source([
      { speaker: 'spk_0', text: '喂' },
      { speaker: 'spk_1', text: GREETING },
    ]);
    expect(roles(call, options({ agentSpeaker: 'spk_9' }))).toMatchObject({ source: 'greeting', speakers: ['customer', 'agent'] });
  });

  it('rejects an utterance with no role, label or channel', () => {
    expect(() => resolveRoles(source([{ speaker: 'spk_0', text: 'a' }, { text: 'b' }]), options())).toThrow(
      'utterance 2 has no role, speaker label or channel',
    );
  });

  it('copies times and call fields, and drops what only parsers need', () => {
    const resolved = resolveRoles(source([{ role: 'agent', start: 1, end: 2.5, text: 'x' }], { queue: 'Q', defaultAgentChannel: 0 }), options());
    expect(resolved).toEqual({
      id: 'R1',
      source: 'r.json',
      agent: {},
      hangupBy: 'unknown',
      queue: 'Q',
      roleSource: 'given',
      utterances: [{ speaker: 'agent', start: 1, end: 2.5, text: 'x' }],
    });
  });
});

describe('resolveRoles: flags that do not split the speakers', () => {
  it('ignores a channel flag that every utterance matches (diarised mono audio) and reads the labels instead', () => {
    const call = source(
      [
        { channel: 0, speaker: '1', text: '喂' },
        { channel: 0, speaker: '2', text: GREETING },
      ],
      { defaultAgentChannel: 0 },
    );
    expect(roles(call)).toMatchObject({ source: 'greeting', speakers: ['customer', 'agent'] });
    expect(roles(call, options({ agentChannel: 0 }))).toMatchObject({ source: 'greeting', speakers: ['customer', 'agent'] });
  });
});

describe('resolveRoles: one speaker', () => {
  it('rejects a call in which one unnamed speaker says everything', () => {
    const call = source([
      { channel: 0, text: GREETING },
      { channel: 0, text: '喂' },
    ]);
    expect(() => resolveRoles(call, options())).toThrow('only one speaker (0) in the whole call');
  });

  it('beside a stated customer, the one other speaker is the agent', () => {
    const call = source([
      { role: 'customer', text: '喂' },
      { speaker: 'spk_1', text: '你好' },
    ]);
    expect(roles(call)).toMatchObject({ source: 'given', speakers: ['customer', 'agent'] });
  });

  it('beside a stated agent, every other speaker is the customer side', () => {
    const call = source([
      { role: 'agent', text: GREETING },
      { speaker: '陈先生', text: '你好' },
      { speaker: '陈太太', text: '喂' },
    ]);
    expect(roles(call)).toMatchObject({ source: 'given', speakers: ['agent', 'customer', 'customer'] });
  });

  it('reads greetings spread over short early turns (subtitle cues)', () => {
    const call = source([
      { speaker: 'x', start: 0, text: '喂' },
      { speaker: 'y', start: 1, text: '您好' },
      { speaker: 'y', start: 2, text: '这里是' },
      { speaker: 'y', start: 3, text: '星辰通信' },
      { speaker: 'y', start: 4, text: '我是王芳' },
      { speaker: 'y', start: 5, text: '很高兴为您服务' },
    ]);
    expect(roles(call)).toMatchObject({ source: 'greeting', speakers: ['customer', 'agent', 'agent', 'agent', 'agent', 'agent'] });
  });
});

describe("the agent's name from the speaker labels", () => {
  const name = (call: SourceCall, opts = options()) => resolveRoles(call, opts).agent;

  it('takes a WebVTT voice name of the agent as the agent name, whoever found the agent', () => {
    const turns = [
      { speaker: '陈先生', text: '喂？' },
      { speaker: '王芳', text: GREETING },
      { speaker: '陈先生', text: '我的宽带断了' },
      { speaker: ' 王芳 ', text: '我帮您查一下' },
    ];
    expect(name(source(turns, { format: 'vtt' }))).toEqual({ name: '王芳' });
    expect(name(source(turns, { format: 'vtt' }), options({ agentName: '王芳' }))).toEqual({ name: '王芳' });
  });

  it('keeps what the source says of the agent', () => {
    const turns = [
      { speaker: '王芳', text: GREETING },
      { speaker: '陈先生', text: '喂' },
    ];
    expect(name(source(turns, { format: 'vtt', agent: { id: 'A1001' } }))).toEqual({ id: 'A1001' });
    expect(name(source(turns, { format: 'vtt', agent: { name: '王芳芳' } }))).toEqual({ name: '王芳芳' });
  });

  it('takes no name from diarisation labels, role words or two different agent voices', () => {
    const diarised = [
      { speaker: 'SPEAKER_00', text: GREETING },
      { speaker: 'SPEAKER_01', text: '喂' },
    ];
    expect(name(source(diarised, { format: 'whisper' }))).toEqual({});
    expect(name(source(diarised, { format: 'whisper' }), options({ agentSpeaker: 'SPEAKER_00' }))).toEqual({});
    expect(
      name(
        source(
          [
            { role: 'agent', text: GREETING },
            { speaker: '陈先生', text: '喂' },
          ],
          { format: 'vtt' },
        ),
      ),
    ).toEqual({});
    const handover = [
      { speaker: '王芳', text: GREETING },
      { speaker: '陈先生', text: '喂' },
      { speaker: '李娜', text: '您好，我是李娜' },
    ];
    expect(name(source(handover, { format: 'vtt' }), options({ agentName: '王芳' }))).toEqual({ name: '王芳' });
    // With two voices on the agent's side (both picked by flags), neither is the agent's name.
    expect(name(source(handover, { format: 'vtt' }), options({ agentName: '王芳', agentSpeaker: '李娜' }))).toEqual({});
  });

  it('names the agent --agent-name picked out of any format', () => {
    const labelled = [
      { speaker: '1', text: '喂' },
      { speaker: 'Emily Zhao', text: 'Thank you for calling' },
      { speaker: '1', text: 'Hi' },
    ];
    expect(name(source(labelled, { format: 'alibaba' }), options({ agentName: 'emily zhao' }))).toEqual({ name: 'Emily Zhao' });
    expect(name(source(labelled, { format: 'alibaba' }))).toEqual({});
  });
});
