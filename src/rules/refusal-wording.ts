import { z } from 'zod';
import type { PreparedUtterance } from '../model/call.js';
import { FindingList } from './helpers.js';
import { presenceOf } from './phrase-classes.js';
import { extraPhraseList, forbiddenPhrases, phraseList, withExtra } from './phrase-options.js';
import { contextOption, DEFAULT_CONTEXT, markerForms } from './refusal-context.js';
import { defineRule } from './types.js';

/**
 * Seed 000 礼貌性拒绝的技巧: not "这不可能" or "我帮不了你" — and the other flat refusals agents use
 * (做不到, 没办法, 搞不定, 没辙). 没办法 and 不可能 are matched only where they are the refusal itself (a
 * clause of their own, 我也没办法, 没办法处理), not where they describe the customer's fault (您现在没办法上网).
 * With a reason and an alternative in the same turn (根据规定…办不了，不过我们可以…) they are the seed's polite refusal.
 */
export const DEFAULT_REFUSALS = [
  '这不可能',
  '那不可能',
  '是不可能的',
  '/(?:^|[,.。!?;])\\s*(?:这|那)?(?:是)?(?:绝对|根本)?不可能(?:的)?(?:了|啊|呀)?\\s*(?=[,.。!?;]|$)/',
  '帮不了',
  '办不了',
  '做不到',
  '办不到',
  '搞不定',
  '弄不了',
  '整不了',
  '没辙',
  '我也没办法',
  '我们也没办法',
  '那也没办法',
  '实在没办法',
  '没办法帮',
  '没有办法帮',
  '没办法处理',
  '没有办法处理',
  '/(?:^|[,.。!?;])\\s*(?:这个|那|这)?(?:也)?(?:确实|真的|真|就是)?没(?:有)?办法(?:了|啊|呀|的)?\\s*(?=[,.。!?;]|$)/',
];

/**
 * Passing the buck, blaming, sending the customer off (seed 000 投诉处理: 避免推卸责任; 002: 避免推诿):
 * no reason or alternative makes these polite.
 */
export const DEFAULT_DEFLECTIONS = [
  '不归我管',
  '不归我们管',
  '/不归我们?(?:这边|这里|部门|公司|客服)(?:部门)?管/',
  '不是我管的',
  '/不是我们?(?:这边|部门|公司)管的/',
  '管不了',
  '管不着',
  '不关我的事',
  '不关我们的事',
  '不关我事',
  '关我什么事',
  '跟我没关系',
  '跟我们没关系',
  '与我无关',
  '/(?:跟|和|与)我们?(?:这边|平台|公司|部门|客服|店铺)(?:没有?|无)(?:什么)?关系/',
  '不是我们的问题',
  '不是我们这边的问题',
  '不是我的问题',
  '不是我们的责任',
  '不是我的责任',
  '不是我们的错',
  '你自己去',
  '您自己去',
  '你自己看着办',
  '你自己查',
  // Sending the customer off to fix it alone (你自己重启下路由器试试); 您可以自己在APP查看 is a polite suggestion.
  '/你自己(?:想办法|联系|处理|解决|重启|弄|搞|操作|试试|看看|问|打)/',
  '你找别人',
  '您找别人',
  '找别人去',
  '你问别人',
  '问别人去',
  '别问我',
];

/** Conditionals and questions that hold a refusal phrase without refusing (the context reads most; these stay for rubrics that name them). */
export const DEFAULT_REFUSAL_EXCEPTIONS = ['如果帮不了', '如果办不了', '帮不了您的话', '办不了的话'];

/** Seed 000: 清晰表达无法满足的原因,最后提供替代方案 — markers of the reason, and of the alternative after the refusal. */
export const DEFAULT_REASONS = ['根据', '按照', '按规定', '规定', '政策', '因为', '由于', '流程', '出于'];
export const DEFAULT_ALTERNATIVES = [
  '不过',
  '但是可以',
  '但可以',
  '但我们可以',
  '但是我们可以',
  '但我可以',
  '但是我可以',
  '可以为您',
  '可以帮您',
  '可以给您',
  '我们可以',
  '我可以',
  '建议您',
  '为您转接',
  '帮您转',
  '帮您联系',
  '帮您申请',
  '为您申请',
  '为您办理',
  '给您办理',
  '我帮您',
  '我给您',
  '您可以',
  '或者',
];

const markerList = (defaults: readonly string[], description: string) =>
  z
    .array(z.string().refine((s) => s.trim() !== '', 'expected a marker, got empty text'))
    .default([...defaults])
    .describe(description);

export const DEFAULT_REFUSAL_SUGGESTION = '感谢您的理解，根据公司规定我们无法……，不过我们可以为您……';

export default defineRule({
  id: 'refusal-wording',
  messages: ['refusal-wording.flat', 'refusal-wording.flat-review'],
  kind: 'seed',
  description:
    'The agent never refuses flatly (这不可能, 我帮不了你, 这不归我管, 没办法, 不是我们的问题, 你自己去…); each occurrence is one finding, with the polite form to use instead: thanks or understanding, the reason, an alternative.',
  source:
    'seeds/000 礼貌性拒绝的技巧: 应先表示感谢和理解,然后清晰表达无法满足的原因,最后提供替代方案。不恰当:"这不可能。""我帮不了你。"恰当:"感谢您的信任,但根据公司政策,我们无法提供这项服务。不过,我们可以为您提供..."',
  needs: 'agent speech',
  limits:
    'Finds refusals by wording: a refusal with a reason and an alternative passes only when both are in the same turn, blunt openers followed by them pass too (这不可能…不过我们可以…), and refusals in words off the list (无法, 不能) or without punctuation (没办法 规定就是这样) are missed.',
  defaultDeduction: 5,
  defaultMaxDeduction: 15,
  options: {
    phrases: phraseList(DEFAULT_REFUSALS, 'flat refusals the agent must not say (literal, or /regex/)'),
    deflections: phraseList(
      DEFAULT_DEFLECTIONS,
      'passing the buck, blaming, sending off (不归我管, 你找别人): findings whatever reason or alternative comes with them',
    ),
    exceptions: phraseList(DEFAULT_REFUSAL_EXCEPTIONS, 'phrases in which a refusal phrase does not count (如果帮不了的话…)'),
    extra_phrases: extraPhraseList('flat refusals besides the default list'),
    extra_exceptions: extraPhraseList('exceptions besides the default list'),
    polite_refusal: z
      .strictObject({
        reasons: markerList(DEFAULT_REASONS, 'markers of a reason (根据规定, 因为…), anywhere in the turn'),
        alternatives: markerList(DEFAULT_ALTERNATIVES, 'markers of an alternative (不过我们可以…), after the refusal in the turn'),
      })
      .prefault(() => ({ reasons: [...DEFAULT_REASONS], alternatives: [...DEFAULT_ALTERNATIVES] }))
      .describe('a flat refusal (not a deflection) with a reason and an alternative in its turn is the seed’s polite refusal: no finding')
      .transform(({ reasons, alternatives }) => ({ reasons: markerForms(reasons), alternatives: markerForms(alternatives) })),
    // A thing's state (信号不行) and the customer's (您不知道) are banned-phrases' classes; 系统办不了 and 您这边办不了 are still refusals.
    context: contextOption({ ...DEFAULT_CONTEXT, descriptions: [], second_person: [] }),
    suggestion: z.string().min(1).default(DEFAULT_REFUSAL_SUGGESTION).describe('the polite refusal each finding suggests instead'),
  },
  check(call, options, { say }) {
    const { reasons, alternatives } = options.polite_refusal;
    const phrases = withExtra(withExtra(options.phrases, options.extra_phrases), options.deflections);
    // Most agent turns hold no refusal: one plain pass over each (presenceOf, no regex, no word check) says so. A call
    // with none passes as forbiddenPhrases would pass it (n/a without agent speech); else forbiddenPhrases reads only
    // the agent turns that may hold one, with every other turn (the customer's words it compares echoes with).
    const present = presenceOf(phrases);
    let read = call;
    if (present !== undefined) {
      const us = call.utterances;
      let kept: PreparedUtterance[] | undefined;
      let agent = 0;
      for (let k = 0; k < us.length; k++) {
        const u = us[k] as PreparedUtterance;
        if (u.speaker !== 'agent') {
          kept?.push(u);
          continue;
        }
        agent++;
        if (!present.test(u.norm.text)) continue;
        kept ??= us.slice(0, k).filter((x) => x.speaker !== 'agent');
        kept.push(u);
      }
      if (kept === undefined) return agent === 0 ? { outcome: 'n/a', findings: [] } : new FindingList().result();
      read = { ...call, utterances: kept };
    }
    return forbiddenPhrases(
      read,
      { ...options, phrases, extra_phrases: undefined },
      say,
      (occ, u, why) => {
        const said = u.norm.text.slice(occ.start, occ.end).replace(/^[,.。!?;\s]+|[\s]+$/gu, '');
        const params = { said, suggestion: options.suggestion };
        return why === undefined ? say('refusal-wording.flat', params) : say('refusal-wording.flat-review', { ...params, why });
      },
      (occ, u) => {
        // A deflection is never redeemed (looked up only where a refusal was found: no set built per call).
        if (options.deflections.phrases.includes(occ.phrase)) return false;
        const text = u.norm.text;
        return reasons.some((m) => text.includes(m)) && alternatives.some((m) => text.indexOf(m, occ.end) >= 0);
      },
    );
  },
  examples: {
    pass: [
      {
        name: 'thanks, the reason and an alternative',
        turns: ['客户：能不能给我免掉这个月的月租？', '坐席：感谢您的信任，根据公司规定我们无法减免月租，不过可以为您申请一张流量券。'],
      },
      { name: 'the customer describing a fault', turns: ['客户：我现在没办法上网。', '坐席：好的，我马上为您检测线路。'] },
    ],
    fail: [
      { name: '这不可能', turns: ['客户：能不能给我免掉这个月的月租？', '坐席：这不可能。'] },
      { name: 'passing the buck', turns: ['客户：快递丢了怎么办？', '坐席：这不归我管，你自己去问快递公司。'] },
    ],
  },
});
