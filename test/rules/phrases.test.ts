import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/format.js';
import { parseRubric, type RubricError } from '../../src/rubric/load.js';
import rule from '../../src/rules/phrases.js';
import type { RuleContext, RuleResult } from '../../src/rules/types.js';
import { EMPTY_CONTEXT, optionsSchema } from '../../src/rules/types.js';
import { scoreCall } from '../../src/scoring/score-call.js';
import { call, ruleTable } from '../helpers/rule-table.js';

/** The run's language Simplified Chinese: messages as a QA supervisor writes them. */
const ZH = { ...EMPTY_CONTEXT, say: translator('zh-CN') };

const UPSELL = { phrases: ['宽带升级', '/提速\\d+m/'] };

function after(id: string, result: RuleResult | undefined): RuleContext {
  return { ...EMPTY_CONTEXT, results: new Map(result ? [[id, result]] : []) };
}

const cancelHit = after('cancel-mentioned', { outcome: 'pass', findings: [], hits: [20, 40] });

function run(lines: string[], options: Record<string, unknown>, context: RuleContext = EMPTY_CONTEXT): RuleResult {
  return rule.check(call(lines), optionsSchema(rule).parse(options) as never, context);
}

describe('phrases: expect present', () => {
  ruleTable(rule, {
    valid: [
      { name: 'any: one phrase said', call: call(['customer: 网速太慢', 'agent: 您可以办理宽带升级。']), options: UPSELL },
      { name: 'any: a /regex/ phrase on normalised text (100M → 100m)', call: call(['agent: 现在提速100M只要十元']), options: UPSELL },
      { name: 'Traditional script and ASR spaces in the transcript', call: call(['客服：您可以辦理寬 帶 升 級']), options: UPSELL },
      { name: 'a phrase written in Traditional script', call: call(['agent: 您可以办理宽带升级']), options: { phrases: ['寬帶升級'] } },
      { name: 'full-width and upper-case English', call: call(['agent: Would you like to UPGRADE？']), options: { phrases: ['upgrade'] } },
      {
        name: 'all: every phrase, spread over utterances',
        call: call(['agent: 已经为您登记，工单号是A123。', 'customer: 好', 'agent: 24小时内会有师傅联系您。']),
        options: { phrases: ['工单号', '小时内'], match: 'all' },
      },
      {
        name: 'all: phrases that overlap each count ("宽带升级" holds "宽带")',
        call: call(['agent: 推荐您宽带升级']),
        options: { phrases: ['宽带', '宽带升级'], match: 'all' },
      },
      {
        name: 'all: a phrase and its Traditional twin are one phrase',
        call: call(['agent: 推荐您宽带升级']),
        options: { phrases: ['宽带升级', '寬帶升級'], match: 'all' },
      },
      {
        name: 'at_least: two different phrases',
        call: call(['agent: 宽带升级以后提速500M']),
        options: { phrases: ['宽带升级', '/提速\\d+m/', '光猫'], match: { at_least: 2 } },
      },
      { name: 'none: nothing said', call: call(['agent: 好的，我帮您查一下']), options: { phrases: ['你听不懂吗'], match: 'none' } },
      {
        name: 'speaker customer',
        call: call(['customer: 我要取消宽带', 'agent: 好的']),
        options: { phrases: ['取消', '退订'], speaker: 'customer' },
      },
      { name: 'speaker any', call: call(['customer: 那就升级吧', 'agent: 好的']), options: { phrases: ['升级'], speaker: 'any' } },
      {
        name: 'window first_seconds: said at 50 s of 60',
        call: call(['[00:00-00:05] agent: 您好', '[00:50-00:55] agent: 推荐您宽带升级', '[01:30-01:35] agent: 再见']),
        options: { ...UPSELL, window: { first_seconds: 60 } },
      },
      {
        name: 'window first_seconds counts from when the agent took the contact',
        call: { ...call(['[00:10-00:12] customer: 在吗', '[01:20-01:25] agent: 推荐您宽带升级']), answeredAt: 30 },
        options: { ...UPSELL, window: { first_seconds: 60 } },
      },
      {
        name: 'window last_turns of the speaker',
        call: call(['agent: 推荐您宽带升级', 'agent: 感谢您的来电', 'customer: 再见', 'agent: 祝您生活愉快']),
        options: { phrases: ['感谢您的来电'], window: { last_turns: 2 } },
      },
      {
        name: 'window after another rule: from its first hit on',
        call: call(['[00:00-00:05] agent: 您好', '[00:20-00:25] customer: 我要取消', '[00:26-00:30] agent: 我们有续约优惠']),
        options: { phrases: ['优惠'], window: { after: 'cancel-mentioned' } },
        context: cancelHit,
      },
      {
        name: 'similarity: an ASR slip (生 for 升) is near enough at 0.85',
        call: call(['agent: 您可以办理宽带生级']),
        options: { phrases: ['宽带升级'], similarity: 0.85 },
      },
      {
        name: 'similarity: a dropped character in a 4-character phrase',
        call: call(['agent: 您可以办理宽带升，速度更快']),
        options: { phrases: ['宽带升级'], similarity: 0.9 },
      },
      {
        name: 'similarity works on English too',
        call: call(['agent: would you like to upgrade you plan']),
        options: { phrases: ['upgrade your plan'], similarity: 0.95 },
      },
    ],
    invalid: [
      {
        name: 'any: nothing said in the window',
        call: call(['[00:00-00:05] agent: 您好，星辰通信', '[00:05-00:08] customer: 网断了', '[00:10-00:15] agent: 我帮您重启一下']),
        options: { ...UPSELL, window: { first_seconds: 60 } },
        findings: [{ at: 0, message: 'none of "宽带升级", "/提速\\d+m/" said by the agent in the first 60 s', evidence: '您好，星辰通信' }],
      },
      {
        name: 'any: said only after the window',
        call: call(['[00:02-00:05] agent: 您好', '[01:05-01:10] agent: 推荐您宽带升级']),
        options: { ...UPSELL, window: { first_seconds: 60 } },
        findings: [{ at: 2, message: /in the first 60 s$/, evidence: '您好' }],
      },
      {
        name: 'an exclusion does not count: "不需要升级"',
        call: call(['[00:00-00:05] agent: 您不需要升级，重启一下就好']),
        options: { phrases: ['升级'], exclude: ['不需要升级'] },
        findings: [{ at: 0, message: 'none of "升级" said by the agent', evidence: '您不需要升级，重启一下就好' }],
      },
      {
        name: 'the customer saying it does not count for the agent',
        call: call(['[00:00-00:04] customer: 我想宽带升级', '[00:04-00:06] agent: 好的']),
        options: UPSELL,
        findings: [{ at: 4, message: 'none of "宽带升级", "/提速\\d+m/" said by the agent', evidence: '好的' }],
      },
      {
        name: 'all: lists what is missing',
        call: call(['agent: 已经为您登记，工单号是A123。']),
        options: { phrases: ['工单号', '小时内', '回访'], match: 'all' },
        findings: [{ message: 'not said by the agent: "小时内", "回访"', evidence: '已经为您登记，工单号是A123。' }],
      },
      {
        name: 'at_least: says how many of which',
        call: call(['agent: 宽带升级很划算']),
        options: { phrases: ['宽带升级', '/提速\\d+m/', '光猫'], match: { at_least: 2 } },
        findings: [{ message: '1 of at least 2 different phrases said by the agent ("宽带升级"); not said: "/提速\\d+m/", "光猫"' }],
      },
      {
        name: 'at_least: one phrase said twice is one phrase',
        call: call(['agent: 宽带升级，宽带升级']),
        options: { phrases: ['宽带升级', '光猫'], match: { at_least: 2 } },
        findings: [{ message: /^1 of at least 2/ }],
      },
      {
        name: 'at_least: nothing said',
        call: call(['agent: 好的']),
        options: { phrases: ['宽带升级', '光猫'], match: { at_least: 1 } },
        findings: [{ message: '0 of at least 1 different phrases said by the agent; not said: "宽带升级", "光猫"' }],
      },
      {
        name: 'none: one finding at the first occurrence, naming everything said',
        call: call(['[00:00-00:03] agent: 您好', '[00:10-00:14] agent: 你听不懂吗？', '[00:20-00:25] agent: 我说了你听不懂吗，你怎么回事']),
        options: { phrases: ['你听不懂吗', '你怎么回事'], match: 'none' },
        findings: [{ at: 10, message: '"你听不懂吗", "你怎么回事" said by the agent', evidence: '你听不懂吗？' }],
      },
      {
        name: 'window last_seconds',
        call: call(['[00:00-00:05] agent: 感谢您的来电', '[00:05-01:00] customer: 还有个问题', '[01:00-01:05] agent: 好的再见']),
        options: { phrases: ['感谢您的来电'], window: { last_seconds: 30 } },
        findings: [{ at: 60, message: 'none of "感谢您的来电" said by the agent in the last 30 s', evidence: '好的再见' }],
      },
      {
        name: 'window first_turns',
        call: call(['agent: 喂', 'agent: 您好']),
        options: { phrases: ['您好'], window: { first_turns: 1 } },
        findings: [{ message: 'none of "您好" said by the agent in the first 1 turn', evidence: '喂' }],
      },
      {
        name: 'window after: only what follows the first hit counts',
        call: call(['[00:05-00:08] agent: 我们有续约优惠', '[00:20-00:25] customer: 我要取消', '[00:26-00:30] agent: 好的已为您办理']),
        options: { phrases: ['优惠'], window: { after: 'cancel-mentioned' } },
        context: cancelHit,
        findings: [{ at: 26, message: 'none of "优惠" said by the agent after cancel-mentioned', evidence: '好的已为您办理' }],
      },
      {
        name: 'a long list is cut in the message',
        call: call(['agent: 好的']),
        options: { phrases: ['一', '二', '三', '四', '五', '六', '七', '八'] },
        findings: [{ message: 'none of "一", "二", "三", "四", "五", "六", … (2 more) said by the agent' }],
      },
      {
        name: 'speaker any: no "by"',
        call: call(['customer: 好', 'agent: 好']),
        options: { phrases: ['谢谢'], speaker: 'any' },
        findings: [{ message: 'none of "谢谢" said', evidence: '好' }],
      },
      {
        name: 'similarity: below the threshold',
        call: call(['agent: 您可以办理款待升级']),
        options: { phrases: ['宽带升级'], similarity: 0.85 },
        findings: [{ message: 'none of "宽带升级" said by the agent' }],
      },
      {
        name: 'similarity: a 2-character phrase is not found by its first character',
        call: call(['agent: 好，我看看']),
        options: { phrases: ['好的'], similarity: 0.85 },
        findings: [{ message: 'none of "好的" said by the agent' }],
      },
      {
        name: 'similarity: /regex/ phrases match exactly only',
        call: call(['agent: 提速五百兆']),
        options: { phrases: ['/提速\\d+m/'], similarity: 0.5 },
        findings: [{ message: 'none of "/提速\\d+m/" said by the agent' }],
      },
    ],
    notApplicable: [
      { name: 'no speech of the speaker', call: call(['customer: 喂？']), options: UPSELL },
      { name: 'first_seconds on an untimed transcript', call: call(['agent: 推荐您宽带升级']), options: { ...UPSELL, window: { first_seconds: 60 } } },
      { name: 'last_seconds on an untimed transcript', call: call(['agent: 好的']), options: { ...UPSELL, window: { last_seconds: 60 } } },
      {
        name: 'no speech of the speaker inside the window',
        call: call(['[00:00-00:08] customer: 喂喂', '[00:09-00:12] agent: 您好']),
        options: { ...UPSELL, window: { first_seconds: 5 } },
      },
      {
        name: 'after a rule that never hit',
        call: call(['[00:00-00:05] agent: 好的']),
        options: { phrases: ['优惠'], window: { after: 'cancel-mentioned' } },
        context: after('cancel-mentioned', { outcome: 'fail', findings: [], hits: [] }),
      },
      {
        name: 'after a rule with no result (it errored)',
        call: call(['[00:00-00:05] agent: 好的']),
        options: { phrases: ['优惠'], window: { after: 'cancel-mentioned' } },
      },
      {
        name: 'after: nothing of the speaker follows the hit',
        call: call(['[00:00-00:05] agent: 好的', '[00:20-00:25] customer: 我要取消']),
        options: { phrases: ['优惠'], window: { after: 'cancel-mentioned' } },
        context: cancelHit,
      },
    ],
  });
});

describe('phrases: expect absent', () => {
  ruleTable(rule, {
    valid: [
      { name: 'not said', call: call(['agent: 好的，您考虑好了随时联系我们']), options: { phrases: ['你还有事吗'], expect: 'absent' } },
      {
        name: 'an occurrence inside an exclusion',
        call: call(['agent: 您不需要升级，重启一下就好']),
        options: { phrases: ['升级'], exclude: ['不需要升级'], expect: 'absent' },
      },
      { name: 'the customer may say it', call: call(['customer: 我要投诉', 'agent: 非常抱歉']), options: { phrases: ['投诉'], expect: 'absent' } },
      {
        name: 'all: only both together are a problem',
        call: call(['agent: 这个我们做不了']),
        options: { phrases: ['做不了', '你自己去'], match: 'all', expect: 'absent' },
      },
    ],
    invalid: [
      {
        name: 'each occurrence is a finding, Traditional and spaced text included',
        call: call(['[00:00-00:04] agent: 你還有事嗎？沒別的事我掛了', '[00:04-00:06] customer: 等等', '[00:07-00:09] agent: 你 还 有 事 吗']),
        options: { phrases: ['你还有事吗', '没别的事我挂了'], expect: 'absent' },
        findings: [
          { at: 0, message: '"你还有事吗" said by the agent', evidence: '你還有事嗎？沒別的事我掛了' },
          { at: 0, message: '"没别的事我挂了" said by the agent', evidence: '你還有事嗎？沒別的事我掛了' },
          { at: 7, message: '"你还有事吗" said by the agent', evidence: '你 还 有 事 吗' },
        ],
      },
      {
        name: 'overlapping phrases count once, the longest',
        call: call(['agent: 这个不知道']),
        options: { phrases: ['知道', '不知道'], expect: 'absent' },
        findings: [{ message: '"不知道" said by the agent' }],
      },
      {
        name: 'an exclusion covers only its own occurrence',
        call: call(['agent: 您不需要升级，不过可以升级套餐']),
        options: { phrases: ['升级'], exclude: ['不需要升级'], expect: 'absent' },
        findings: [{ message: '"升级" said by the agent' }],
      },
      {
        name: 'the customer, when speaker is customer',
        call: call(['[00:03-00:06] customer: 我要投诉你们']),
        options: { phrases: ['投诉'], speaker: 'customer', expect: 'absent' },
        findings: [{ at: 3, message: '"投诉" said by the customer', evidence: '我要投诉你们' }],
      },
      {
        name: 'similarity: the text heard is shown with the phrase and the score',
        call: call(['agent: 你还有四吗']),
        options: { phrases: ['你还有事吗'], similarity: 0.85, expect: 'absent' },
        findings: [{ message: '"你还有四吗" (≈ "你还有事吗", similarity 0.91) said by the agent', evidence: '你还有四吗' }],
      },
      {
        name: 'all: both said',
        call: call(['agent: 这个我们做不了，你自己去营业厅']),
        options: { phrases: ['做不了', '你自己去'], match: 'all', expect: 'absent' },
        findings: [{ message: '"做不了" said by the agent' }, { message: '"你自己去" said by the agent' }],
      },
      {
        name: 'none: the opposite of present any (nothing said is the problem)',
        call: call(['agent: 好']),
        options: { phrases: ['谢谢'], match: 'none', expect: 'absent' },
        findings: [{ message: 'none of "谢谢" said by the agent', evidence: '好' }],
      },
    ],
    notApplicable: [{ name: 'no agent speech', call: call(['customer: 你还有事吗']), options: { phrases: ['你还有事吗'], expect: 'absent' } }],
  });
});

describe('phrases: hits, dependencies, evidence', () => {
  it('reports the start of each utterance with an occurrence, sorted, whatever the outcome', () => {
    const lines = ['[00:30-00:33] agent: 宽带升级', '[00:05-00:08] agent: 提速100M', '[00:10-00:12] agent: 好的', '[00:40-00:45] agent: 宽带升级，提速200M'];
    expect(run(lines, UPSELL)).toEqual({ outcome: 'pass', findings: [], hits: [5, 30, 40] });
    expect(run(lines, { ...UPSELL, expect: 'absent' }).hits).toEqual([5, 30, 40]);
    expect(run(lines, { ...UPSELL, match: 'none' }).hits).toEqual([5, 30, 40]);
  });

  it('hits skip excluded occurrences, and are empty when nothing was said or the call is untimed', () => {
    expect(run(['[00:01-00:03] agent: 不需要升级', '[00:04-00:06] agent: 可以升级'], { phrases: ['升级'], exclude: ['不需要升级'] }).hits).toEqual([4]);
    expect(run(['[00:01-00:03] agent: 好的'], UPSELL).hits).toEqual([]);
    expect(run(['agent: 宽带升级'], UPSELL)).toEqual({ outcome: 'pass', findings: [], hits: [] });
  });

  it('a phrases rule can anchor another in a rubric (window: { after })', () => {
    const rubric = parseRubric(
      [
        'name: t',
        'rules:',
        '  retention-offered: { type: phrases, phrases: [优惠, 挽留], window: { after: cancel-mentioned } }',
        '  cancel-mentioned: { type: phrases, phrases: [取消, 退订], speaker: customer, deduction: 0 }',
      ].join('\n'),
      'r.yaml',
    );
    expect(rubric.rules.map((r) => r.id)).toEqual(['cancel-mentioned', 'retention-offered']);
    const result = scoreCall(call(['[00:00-00:05] agent: 现在办理有优惠', '[00:10-00:15] customer: 我要退订', '[00:16-00:20] agent: 好的']), rubric);
    expect(result.outcomes).toEqual({ 'cancel-mentioned': 'pass', 'retention-offered': 'fail' });
    expect(result.findings).toMatchObject([
      { rule: 'retention-offered', at: 16, deduction: 5, message: 'none of "优惠", "挽留" said by the agent after cancel-mentioned', evidence: '好的' },
    ]);
  });

  it('depends on the window’s `after` rule only', () => {
    const deps = (options: Record<string, unknown>) => rule.dependsOn?.(optionsSchema(rule).parse(options) as never);
    expect(deps({ ...UPSELL, window: { after: 'cancel-mentioned' } })).toEqual(['cancel-mentioned']);
    expect(deps({ ...UPSELL, window: { first_seconds: 60 } })).toEqual([]);
    expect(deps(UPSELL)).toEqual([]);
  });

  it('quotes only the stretch around an occurrence in a long utterance', () => {
    const long = `${'请稍等，'.repeat(20)}你还有事吗${'，我们再看看'.repeat(20)}`;
    const [finding] = run([`agent: ${long}`], { phrases: ['你还有事吗'], expect: 'absent' }).findings;
    expect(finding?.evidence).toMatch(/^….*你还有事吗.*…$/);
    expect(finding?.evidence.length).toBeLessThan(80);
  });

  it('an untimed finding has no time', () => {
    expect(run(['agent: 好的'], UPSELL).findings).toEqual([{ message: 'none of "宽带升级", "/提速\\d+m/" said by the agent', evidence: '好的' }]);
  });

  it('fuzzy matching stays fast on a long call with many phrases', () => {
    const phrases = Array.from({ length: 30 }, (_, i) => `推荐套餐${i}号`);
    const lines = Array.from({ length: 100 }, (_, i) => `agent: ${'我帮您看一下这个问题，'.repeat(5)}${i}`);
    const started = performance.now();
    expect(run(lines, { phrases, similarity: 0.9 }).outcome).toBe('fail');
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('phrases: options', () => {
  const schema = optionsSchema(rule);
  const issues = (options: Record<string, unknown>) => {
    const parsed = schema.safeParse(options);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('defaults: match any, speaker agent, expect present, no window, no similarity, deduction 5 per occurrence', () => {
    const options = schema.parse(UPSELL) as Record<string, unknown>;
    expect(options).toMatchObject({ match: 'any', speaker: 'agent', expect: 'present', deduction: 5, per: 'occurrence' });
    expect(options.window).toBeUndefined();
    expect(options.similarity).toBeUndefined();
  });

  it('requires at least one valid phrase', () => {
    expect(issues({})).toHaveLength(1);
    expect(issues({ phrases: [] })[0]).toMatch(/^phrases: /);
    expect(issues({ phrases: ['/(/'] })[0]).toMatch(/^phrases\.0: invalid regular expression/);
    expect(issues({ phrases: ['  '] })).toEqual(['phrases.0: expected a phrase, got empty text']);
  });

  it('checks match, similarity, speaker, expect and window', () => {
    expect(issues({ ...UPSELL, match: 'some' })).toEqual(['match: expected any, all, none or { at_least: N }']);
    expect(issues({ ...UPSELL, match: { at_least: 0 } })).toEqual(['match.at_least: expected a whole number ≥ 1']);
    expect(issues({ ...UPSELL, match: { at_least: 1.5 } })).toEqual(['match.at_least: expected a whole number ≥ 1']);
    expect(issues({ ...UPSELL, match: { at_least: '2' } })).toEqual(['match: expected any, all, none or { at_least: N }']);
    expect(issues({ ...UPSELL, similarity: 0 })[0]).toMatch(/^similarity: /);
    expect(issues({ ...UPSELL, similarity: 1.2 })[0]).toMatch(/^similarity: /);
    expect(issues({ ...UPSELL, speaker: 'both' })[0]).toMatch(/^speaker: /);
    expect(issues({ ...UPSELL, expect: 'maybe' })[0]).toMatch(/^expect: /);
    expect(issues({ ...UPSELL, window: { first_seconds: 10, last_turns: 2 } })).toEqual([
      'window: expected exactly one of first_seconds, last_seconds, first_turns, last_turns, after',
    ]);
  });

  it('the rubric loader names the key', () => {
    try {
      parseRubric('name: t\nrules:\n  upsell:\n    type: phrases\n    phrases: [宽带升级]\n    match: sometimes\n', 'r.yaml');
      expect.unreachable();
    } catch (err) {
      expect((err as RubricError).problems).toEqual(['r.yaml:6: rules.upsell.match: expected any, all, none or { at_least: N }']);
    }
  });
});

describe('phrases in Chinese', () => {
  const ZH_AFTER = { ...after('cancel-mentioned', { outcome: 'pass', findings: [], hits: [20] }), say: ZH.say };
  ruleTable(rule, {
    invalid: [
      {
        name: 'zh-CN: none said, in a window of seconds',
        call: call(['[00:00-00:05] agent: 您好', '[00:10-00:15] agent: 我帮您重启一下端口']),
        options: { phrases: ['宽带升级', '升级'], window: { first_seconds: 60 } },
        context: ZH,
        findings: [{ message: '坐席在前 60 秒内未说出以下任一话术：“宽带升级”、“升级”' }],
      },
      {
        name: 'zh-CN: the customer, after another rule hit',
        call: call(['[00:20-00:25] customer: 我要取消', '[00:26-00:30] customer: 好的']),
        options: { phrases: ['考虑一下'], speaker: 'customer', window: { after: 'cancel-mentioned' } },
        context: ZH_AFTER,
        findings: [{ message: '客户在规则“cancel-mentioned”命中之后未说出以下任一说法：“考虑一下”' }],
      },
      {
        name: 'zh-CN: all: what was not said, in the first turn',
        call: call(['agent: 已经为您登记，工单号是A123。', 'agent: 好的。']),
        options: { phrases: ['工单号', '小时内'], match: 'all', window: { first_turns: 1 } },
        context: ZH,
        findings: [{ message: '坐席在第 1 轮发言中未说出：“小时内”' }],
      },
      {
        name: 'zh-CN: at_least: how many, which, and what is missing',
        call: call(['agent: 工单号是A123。']),
        options: { phrases: ['工单号', '小时内', '短信'], match: { at_least: 2 } },
        context: ZH,
        findings: [{ message: '坐席只说出 1 种话术（“工单号”），至少应说出 2 种；未说出：“小时内”、“短信”' }],
      },
      {
        name: 'zh-CN: at_least, either speaker, nothing said; a long list cut',
        call: call(['agent: 您好。']),
        options: { phrases: ['一', '二', '三', '四', '五', '六', '七', '八'], match: { at_least: 2 }, speaker: 'any' },
        context: ZH,
        findings: [{ message: '通话出现 0 种说法，至少应出现 2 种；未出现：“一”、“二”、“三”、“四”、“五”、“六”（另有 2 个未列出）' }],
      },
      {
        name: 'zh-CN: match none: what was said',
        call: call(['agent: 你还有事吗？没别的事我挂了']),
        options: { phrases: ['你还有事吗', '没别的事我挂了'], match: 'none', window: { last_turns: 2 } },
        context: ZH,
        findings: [{ message: '坐席在最后 2 轮发言中说出了“你还有事吗”、“没别的事我挂了”' }],
      },
      {
        name: 'zh-CN: absent: each occurrence, one heard by sound',
        call: call(['agent: 干些您的来电', 'agent: 感谢您的来电']),
        options: { phrases: ['感谢您的来电'], expect: 'absent', pinyin: true },
        context: ZH,
        findings: [{ message: '坐席说出了“干些您的来电”（读音近似“感谢您的来电”）' }, { message: '坐席说出了“感谢您的来电”' }],
      },
      {
        name: 'zh-CN: absent: an occurrence by similarity, either speaker',
        call: call(['customer: 感谢您得来电']),
        options: { phrases: ['感谢您的来电'], expect: 'absent', similarity: 0.85, speaker: 'any' },
        context: ZH,
        findings: [{ message: '通话中出现了“感谢您得来电”（近似“感谢您的来电”，相似度 0.92）' }],
      },
    ],
  });
});
