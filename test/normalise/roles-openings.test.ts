import { describe, expect, it } from 'vitest';
import type { RoleSource } from '../../src/model/call.js';
import type { SourceCall, SourceUtterance } from '../../src/model/source.js';
import { compileRoleCues, organisationsOf, type RoleOptions, resolveRoles, roleCuesOf } from '../../src/normalise/roles.js';
import type { Rubric } from '../../src/rubric/load.js';
import { DEFAULT_ROLE_CUES, directionOf } from '../../src/normalise/role-cues.js';
import { defaultGreetingMatchers } from '../../src/rules/greeting.js';

/**
 * Realistic openings of diarised calls (labels only, no roles): who is the agent, and which cue said so.
 * Each row: a name, the turns as [label, text], the direction the call's record gives (or none), the
 * agent's label, and the role_source expected.
 */
type Row = [name: string, turns: [string, string][], direction: string | undefined, agent: string, source: RoleSource];

const ROWS: Row[] = [
  // A question two turns after the organisation is named is not the caller asking "is this X?": the
  // cue reads within one turn (turns are joined with line breaks).
  [
    'inbound, the agent names the organisation, then asks a question in a later turn',
    [
      ['A', '您好这里是星辰。'],
      ['B', '你好'],
      ['A', '是您本人吗'],
    ],
    undefined,
    'A',
    'greeting',
  ],
  // Inbound: the agent picks up.
  [
    'inbound, full greeting first',
    [
      ['A', '您好，这里是星辰通信，我是王芳，很高兴为您服务。'],
      ['B', '你好，我的宽带断了。'],
    ],
    'inbound',
    'A',
    'greeting',
  ],
  [
    'inbound, ASR text without punctuation',
    [
      ['spk_0', '您好这里是星辰通信工号一零二三请问有什么可以帮您'],
      ['spk_1', '我想查一下话费'],
    ],
    undefined,
    'spk_0',
    'greeting',
  ],
  [
    'inbound, the customer says 喂 into silence',
    [
      ['spk_0', '喂？喂？有人吗？'],
      ['spk_1', '这里是星辰通信，请讲。'],
      ['spk_0', '我的宽带又断了。'],
    ],
    undefined,
    'spk_1',
    'identification',
  ],
  [
    'inbound, staff number only',
    [
      ['1', '3017号客服，请讲'],
      ['2', '嗯，我问一下账单'],
    ],
    undefined,
    '1',
    'identification',
  ],
  [
    'inbound, Traditional script',
    [
      ['A', '您好，華信銀行客服中心，工號1023，很高興為您服務'],
      ['B', '你好，我的卡被鎖了'],
    ],
    undefined,
    'A',
    'greeting',
  ],
  [
    'inbound, the customer greets back with 你好 and a name',
    [
      ['A', '喂你好'],
      ['B', '您好，欢迎致电云帆快递，请问有什么可以帮您？'],
      ['A', '你好，我是张伟，我的快递丢了'],
    ],
    undefined,
    'B',
    'greeting',
  ],
  [
    'inbound, a polite caller says 打扰一下 (not an agent cue)',
    [
      ['A', '您好，这里是星辰通信，我是王芳，很高兴为您服务'],
      ['B', '你好，打扰一下，我想问下宽带'],
    ],
    undefined,
    'A',
    'greeting',
  ],
  [
    'inbound, the caller checks the number first (请问这里是…吗)',
    [
      ['A', '喂，请问这里是星辰通信吗？'],
      ['B', '对的，请讲。'],
      ['A', '我的宽带断了'],
    ],
    undefined,
    'B',
    'customer-cue',
  ],
  [
    'inbound, the caller checks the number, the agent identifies',
    [
      ['A', '喂你好请问这里是星辰通信吗'],
      ['B', '是的这里是星辰通信客服中心工号2046'],
    ],
    undefined,
    'B',
    'identification',
  ],
  [
    'inbound, only the direction says: the agent answered and spoke first',
    [
      ['x', '嗯，你说。'],
      ['y', '我的宽带断了'],
    ],
    'inbound',
    'x',
    'direction',
  ],
  [
    'inbound in Chinese call records (呼入)',
    [
      ['x', '嗯，你说。'],
      ['y', '我的宽带断了'],
    ],
    '呼入',
    'x',
    'direction',
  ],
  // Outbound: the customer picks up and answers first.
  [
    'outbound, the customer answers 喂 and the agent names the organisation (the Alibaba case)',
    [
      ['0', '喂'],
      ['1', '喂您好，我这边是星辰通信的客户经理，请问是张先生吗'],
      ['0', '是我，什么事'],
    ],
    'outbound',
    '1',
    'identification',
  ],
  [
    'outbound, 喂你好 then an agent who names only the purpose',
    [
      ['0', '喂，你好。'],
      ['1', '张先生您好，这边给您来电是想确认一下宽带的安装时间'],
      ['0', '嗯，你说'],
    ],
    undefined,
    '1',
    'identification',
  ],
  [
    'outbound, the customer asks who is calling',
    [
      ['0', '哪位？'],
      ['1', '我是星辰通信的客服小李'],
      ['0', '哦，有什么事'],
    ],
    undefined,
    '1',
    'identification',
  ],
  [
    'outbound, no punctuation, the customer introduces themself',
    [
      ['spk_0', '喂你好我是张伟'],
      ['spk_1', '张先生您好打扰了我们这边是云帆快递的'],
    ],
    'outbound',
    'spk_1',
    'identification',
  ],
  [
    'outbound, the callee says 喂 and a name, the agent says nothing that identifies',
    [
      ['spk_0', '喂，你好，我是张伟'],
      ['spk_1', '张先生您好，您最近用得怎么样'],
    ],
    'outbound',
    'spk_1',
    'direction',
  ],
  [
    'outbound, the customer answers 喂 and the agent only asks: direction decides',
    [
      ['a', '喂？'],
      ['b', '是张伟吗？'],
    ],
    'outbound',
    'b',
    'customer-cue',
  ],
  [
    'outbound, a customer who answers in full: only the direction tells',
    [
      ['a', '嗯我在开车你说'],
      ['b', '好的我简单说一下'],
    ],
    'outbound',
    'b',
    'direction',
  ],
  [
    'outbound, Traditional, 喂 and 請問是…先生嗎',
    [
      ['A', '喂？'],
      ['B', '請問是陳先生嗎？這裡是華信銀行信用卡中心'],
      ['A', '我是，怎麼了'],
    ],
    'outbound',
    'B',
    'identification',
  ],
  [
    'outbound (callback) in a CTR: the agent opens with 喂 and identifies',
    [
      ['A', '喂，这里是星辰通信，给您回电'],
      ['B', '哦对，我上午打过'],
    ],
    'callback',
    'A',
    'identification',
  ],
  [
    'outbound in Chinese call records (外呼), a bare 喂 and a bare reply',
    [
      ['A', '喂'],
      ['B', '你好'],
    ],
    '外呼',
    'B',
    'customer-cue',
  ],
  // English.
  [
    'English outbound: Hello? and this is Emily from …',
    [
      ['spk_0', 'Hello?'],
      ['spk_1', 'Hi, this is Emily from Acme Energy, am I speaking with Mr. Brown?'],
      ['spk_0', 'Yes, speaking.'],
    ],
    undefined,
    'spk_1',
    'identification',
  ],
  [
    'English inbound: thank you for calling',
    [
      ['spk_0', 'Thank you for calling Acme Bank, my name is Sam, how can I help you today?'],
      ['spk_1', 'Hi, I lost my card.'],
    ],
    undefined,
    'spk_0',
    'identification',
  ],
  [
    'English, who is this',
    [
      ['A', 'Hello, who is this?'],
      ['B', "It's Daniel with Northwind Insurance, following up on your claim."],
    ],
    undefined,
    'B',
    'identification',
  ],
  [
    'English, ASR without punctuation',
    [
      ['0', 'hello hello'],
      ['1', 'hi this is jack from acme support how can i help'],
    ],
    undefined,
    '1',
    'identification',
  ],
  // No cue, or cues that conflict: the first speaker, as before, and said so.
  [
    'no cue at all',
    [
      ['x', '嗯'],
      ['y', '那个账单的事'],
    ],
    undefined,
    'x',
    'first-speaker',
  ],
  [
    'both say 喂 (cues conflict)',
    [
      ['x', '喂？'],
      ['y', '喂，喂？'],
    ],
    undefined,
    'x',
    'first-speaker',
  ],
  [
    'both name an organisation (cues conflict)',
    [
      ['x', '这里是星辰通信'],
      ['y', '这里是云帆快递'],
    ],
    undefined,
    'x',
    'first-speaker',
  ],
  [
    'a direction no role reading knows (transfer)',
    [
      ['x', '嗯'],
      ['y', '那个账单的事'],
    ],
    'transfer',
    'x',
    'first-speaker',
  ],
];

const options = (extra: Partial<RoleOptions> = {}): RoleOptions => ({ greetingElements: defaultGreetingMatchers(), ...extra });

function call(turns: [string, string][], direction?: string): SourceCall {
  const utterances: SourceUtterance[] = turns.map(([speaker, text]) => ({ speaker, text }));
  return { id: 'O1', source: 'o.json', format: 'test', agent: {}, hangupBy: 'unknown', utterances, ...(direction === undefined ? {} : { direction }) };
}

describe('roles from the opening of a call', () => {
  it('has at least 20 openings, inbound and outbound, both scripts, Chinese and English', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(20);
    expect(new Set(ROWS.map((r) => r[4]))).toEqual(new Set(['greeting', 'identification', 'customer-cue', 'direction', 'first-speaker']));
  });

  it.each(ROWS)('%s', (_name, turns, direction, agent, source) => {
    const resolved = resolveRoles(call(turns, direction), options());
    expect(resolved.roleSource).toBe(source);
    const expected = turns.map(([label]) => (label === agent ? 'agent' : 'customer'));
    expect(resolved.utterances.map((u) => u.speaker)).toEqual(expected);
  });
});

describe('direction', () => {
  const outboundWei: [string, string][] = [
    ['0', '喂，你好，我是张伟'],
    ['1', '张先生您好，您最近用得怎么样'],
  ];

  it('--direction informs a call whose transcript and records give none, and fills in its direction', () => {
    const resolved = resolveRoles(call(outboundWei), options({ direction: 'outbound' }));
    expect(resolved.roleSource).toBe('direction');
    expect(resolved.utterances.map((u) => u.speaker)).toEqual(['customer', 'agent']);
    expect(resolved.direction).toBe('outbound');
  });

  it("without a direction, that call's greeting (你好 + 我是张伟) still makes the first speaker the agent, as before", () => {
    const resolved = resolveRoles(call(outboundWei), options());
    expect(resolved.roleSource).toBe('greeting');
    expect(resolved.utterances.map((u) => u.speaker)).toEqual(['agent', 'customer']);
    expect(resolved.direction).toBeUndefined();
  });

  it("the call's own direction wins over --direction", () => {
    const resolved = resolveRoles(
      call(
        [
          ['x', '嗯，你说。'],
          ['y', '我的宽带断了'],
        ],
        'inbound',
      ),
      options({ direction: 'outbound' }),
    );
    expect(resolved).toMatchObject({ roleSource: 'direction', direction: 'inbound' });
    expect(resolved.utterances.map((u) => u.speaker)).toEqual(['agent', 'customer']);
  });

  it('fills in the direction of a call with stated roles too, and keeps them', () => {
    const given = call([
      ['坐席', '您好'],
      ['客户', '喂'],
    ]);
    given.utterances = [
      { role: 'agent', text: '您好' },
      { role: 'customer', text: '喂' },
    ];
    expect(resolveRoles(given, options({ direction: 'inbound' }))).toMatchObject({ roleSource: 'given', direction: 'inbound' });
  });

  it('reads the words call records use', () => {
    expect(['inbound', 'INBOUND', ' 呼入 ', '来电', 'incoming'].map(directionOf)).toEqual(['inbound', 'inbound', 'inbound', 'inbound', 'inbound']);
    expect(['outbound', '外呼', '呼出', '去电', 'callback'].map(directionOf)).toEqual(['outbound', 'outbound', 'outbound', 'outbound', 'outbound']);
    expect(['transfer', 'api', '', undefined, 'constructor', '__proto__'].map(directionOf)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('the cue table is data', () => {
  it("the rubric's organisation names identify the agent", () => {
    const turns: [string, string][] = [
      ['x', '嗯'],
      ['y', '星辰通信，请讲'],
    ];
    expect(resolveRoles(call(turns), options()).roleSource).toBe('first-speaker');
    const resolved = resolveRoles(call(turns), options({ cues: compileRoleCues(DEFAULT_ROLE_CUES, ['星辰通信']) }));
    expect(resolved.roleSource).toBe('identification');
    expect(resolved.utterances.map((u) => u.speaker)).toEqual(['customer', 'agent']);
  });

  it("reads the organisation names of the rubric's greeting rule (an organisation option), when it has them", () => {
    const rubric = (options: Record<string, unknown> | undefined) => ({ rules: options ? [{ id: 'greeting', options }] : [] }) as unknown as Rubric;
    expect(organisationsOf(rubric({ organisation: ['星辰通信', 'Starlight', 3] }))).toEqual(['星辰通信', 'Starlight']);
    expect(organisationsOf(rubric({ organisation: '云帆快递' }))).toEqual(['云帆快递']);
    expect(organisationsOf(rubric({ within_seconds: 10 }))).toEqual([]);
    expect(organisationsOf(rubric(undefined))).toEqual([]);
    const turns: [string, string][] = [
      ['x', '嗯'],
      ['y', 'Starlight, go ahead'],
    ];
    expect(resolveRoles(call(turns), options({ cues: roleCuesOf(rubric({ organisation: ['Starlight'] })) }))).toMatchObject({ roleSource: 'identification' });
    expect(resolveRoles(call(turns), options({ cues: roleCuesOf(rubric(undefined)) }))).toMatchObject({ roleSource: 'first-speaker' });
  });

  it('a table of its own replaces the default', () => {
    const table = { agent: { own: ['敝司'] }, customer: {}, answers: ['喂'], answerMarks: ['喂'], answerOpeners: ['喂'] };
    const turns: [string, string][] = [
      ['x', '嗯'],
      ['y', '敝司这边给您处理'],
    ];
    expect(resolveRoles(call(turns), options({ cues: compileRoleCues(table) })).roleSource).toBe('identification');
    expect(resolveRoles(call(turns), options()).roleSource).toBe('first-speaker');
  });

  it('a bare 你好, 嗯 or "yes" is not an answer to the phone; 喂 and Hello? are', () => {
    const first = (text: string) =>
      resolveRoles(
        call([
          ['x', text],
          ['y', '那个'],
        ]),
        options(),
      ).roleSource;
    expect(first('你好')).toBe('first-speaker');
    expect(first('嗯。')).toBe('first-speaker');
    expect(first('Yes?')).toBe('first-speaker');
    expect(first('喂，你好？')).toBe('customer-cue');
    expect(first('Hello? Hello?')).toBe('customer-cue');
    expect(first('喂喂喂')).toBe('customer-cue');
  });
});
