import { z } from 'zod';
import { PhraseMatcher } from '../match/phrases.js';
import type { Rubric } from '../rubric/load.js';
import { phrase } from './phrase-options.js';
import { agentUtterances, at, isTimed, quote } from './helpers.js';
import { defineRule } from './types.js';

/** Seed 000 标准问候: "您好，这里是XX公司/部门，我是XX（姓名/工号），很高兴为您服务。" */
export const DEFAULT_GREETING_ELEMENTS: Readonly<Record<string, readonly string[]>> = {
  问候语: ['您好', '你好', '早上好', '上午好', '中午好', '下午好', '晚上好'],
  自报单位: ['这里是', '欢迎致电', '欢迎来电', '感谢致电', '感谢您致电'],
  自报姓名工号: ['/我是.{1,8}/', '工号', '/\\d+号/'],
  服务用语: ['很高兴为您服务', '有什么可以帮您', '有什么可以帮助您', '为您服务'],
};

/** The greeting elements that tell the agent from the customer: the rubric's, or the seed's when it has no greeting rule. */
export function greetingMatchersOf(rubric: Rubric): PhraseMatcher[] {
  const elements = rubric.rules.find((r) => r.id === 'greeting')?.options.elements as { matcher: PhraseMatcher }[] | undefined;
  return elements ? elements.map((e) => e.matcher) : defaultGreetingMatchers();
}

/** The seed's greeting elements, compiled: role inference uses them when a rubric has no greeting rule. */
export function defaultGreetingMatchers(): PhraseMatcher[] {
  return Object.values(DEFAULT_GREETING_ELEMENTS).map((phrases) => new PhraseMatcher(phrases));
}

export default defineRule({
  id: 'greeting',
  kind: 'seed',
  description:
    'The agent opens with the standard greeting: every element (greeting, organisation, name or staff number, service phrase) within the first seconds of the call.',
  source: 'seeds/000 电话服务礼仪基础·标准问候: "您好,这里是XX公司/部门,我是XX(姓名/工号),很高兴为您服务。"',
  needs: 'agent speech (timed transcript: utterances starting within within_seconds of the agent taking the call; untimed: the first agent utterance)',
  defaultDeduction: 10,
  options: {
    within_seconds: z.number().positive().default(10).describe('agent utterances starting within this many seconds form the greeting'),
    elements: z
      .record(z.string().min(1), z.array(phrase).min(1))
      .default(() => Object.fromEntries(Object.entries(DEFAULT_GREETING_ELEMENTS).map(([k, v]) => [k, [...v]])))
      .describe('element name → phrases; each element must be matched by one of its phrases')
      .transform((elements) => Object.entries(elements).map(([name, list]) => ({ name, matcher: new PhraseMatcher(list) }))),
  },
  check(call, { within_seconds, elements }) {
    const agent = agentUtterances(call);
    const deadline = (call.answeredAt ?? 0) + within_seconds;
    const window = isTimed(call) ? agent.filter((u) => u.start !== undefined && u.start <= deadline) : agent.slice(0, 1);
    if (window.length === 0) {
      const first = agent[0];
      return {
        outcome: 'fail',
        findings: [
          {
            ...(first ? at(first) : { at: 0 }),
            message: isTimed(call) ? `no agent speech in the first ${within_seconds} s${call.answeredAt ? ' after the agent joined' : ''}` : 'no agent speech',
            evidence: first ? quote(first) : '',
          },
        ],
      };
    }
    const missing = elements.filter(({ matcher }) => !window.some((u) => matcher.test(u.norm.text))).map(({ name }) => name);
    if (missing.length === 0) return { outcome: 'pass', findings: [] };
    return {
      outcome: 'fail',
      findings: [
        {
          ...at(window[0] as (typeof window)[number]),
          message: `greeting lacks ${missing.join(', ')}`,
          evidence: window.map((u) => quote(u)).join(' / '),
        },
      ],
    };
  },
  examples: {
    pass: [
      {
        name: 'the standard opening',
        turns: ['[00:00.5-00:07.0] 坐席：您好，这里是星辰通信，我是客服王芳，很高兴为您服务。', '[00:07.5-00:10.0] 客户：你好，我的宽带断了。'],
      },
    ],
    fail: [
      { name: 'no organisation, no name', turns: ['[00:00.5-00:02.0] 坐席：喂，你说。', '[00:02.5-00:05.0] 客户：我的宽带断了。'] },
      {
        name: 'the first words come after 10 seconds',
        turns: ['[00:00.0-00:11.0] 客户：喂？喂？有人吗？', '[00:12.0-00:18.0] 坐席：您好，这里是星辰通信，我是王芳，很高兴为您服务。'],
      },
    ],
  },
});
