import { describe, expect, it } from 'vitest';
import { inLanguage, loadRubric, parseRubric, RubricError } from '../../src/rubric/load.js';
import { scoreCall } from '../../src/scoring/score-call.js';
import { prepareCall } from '../../src/normalise/call.js';
import { resolveRoles } from '../../src/normalise/roles.js';
import { conversationCall } from '../../src/rubric/run-tests.js';
import { defaultGreetingMatchers } from '../../src/rules/greeting.js';

const problems = (yaml: string): string[] => {
  try {
    parseRubric(yaml, 'r.yaml');
    return [];
  } catch (err) {
    if (err instanceof RubricError) return err.problems;
    throw err;
  }
};

describe("a rubric's language, titles and messages", () => {
  it('the shipped rubrics say their language; --lang wins over it; English without either', async () => {
    expect((await loadRubric('zh-phone')).lang).toBe('zh-CN');
    expect((await loadRubric('en-phone')).lang).toBe('en');
    expect((await loadRubric('zh-phone', 'zh-TW')).lang).toBe('zh-TW');
    expect(parseRubric('name: r\nrules:\n  hangup-order: {}\n', 'r.yaml').lang).toBe('en');
  });

  it('titles: the catalog by default, the rubric’s own where given, its Simplified converted for zh-TW', () => {
    const rubric = parseRubric('name: r\nlanguage: zh-CN\nrules:\n  greeting: {}\n  hangup-order:\n    title: 挂机顺序检查\n', 'r.yaml');
    expect(rubric.rules.map((r) => r.title)).toEqual(['问候语', '挂机顺序检查']);
    inLanguage(rubric, 'zh-TW');
    expect(rubric.rules.map((r) => r.title)).toEqual(['問候語', '掛機順序檢查']);
    inLanguage(rubric, 'en');
    expect(rubric.rules.map((r) => r.title)).toEqual(['Greeting', '挂机顺序检查']);
    const perLang = parseRubric('name: r\nrules:\n  hangup-order:\n    title: { en: Who hangs up, zh-CN: 谁先挂机 }\n', 'r.yaml');
    expect(inLanguage(perLang, 'en').rules[0]?.title).toBe('Who hangs up');
    expect(inLanguage(perLang, 'zh-TW').rules[0]?.title).toBe('誰先掛機');
  });

  it('a message override with a parameter the rule’s messages do not give is a rubric error naming it', () => {
    expect(problems('name: r\nrules:\n  hangup-order:\n    message: { zh-CN: "坐席先挂了{who}" }\n')).toEqual([
      "r.yaml:4: rules.hangup-order.message.zh-CN: unknown parameter {who}; this rule's messages give none",
    ]);
    // greeting's messages share no parameter (one of them, "no agent speech", has none).
    expect(problems('name: r\nrules:\n  greeting:\n    message: "缺少 {parts}，{seconds}"\n')).toEqual([
      "r.yaml:4: rules.greeting.message: unknown parameter {parts}, {seconds}; this rule's messages give none",
    ]);
  });

  it('a valid override replaces the finding message in its language only', () => {
    const yaml = 'name: r\nlanguage: zh-CN\nrules:\n  hangup-order:\n    message: { zh-CN: 请等客户先挂机 }\n';
    const call = prepareCall(
      resolveRoles(conversationCall(['坐席：再见', '客户：好的'], { hangupBy: 'agent' }, 'c'), { greetingElements: defaultGreetingMatchers() }),
    );
    const zh = scoreCall(call, parseRubric(yaml, 'r.yaml'));
    expect(zh.findings.map((f) => f.message)).toEqual(['请等客户先挂机']);
    const tw = scoreCall(call, inLanguage(parseRubric(yaml, 'r.yaml'), 'zh-TW'));
    expect(tw.findings.map((f) => f.message)).toEqual(['請等客戶先掛機']);
    const en = scoreCall(call, inLanguage(parseRubric(yaml, 'r.yaml'), 'en'));
    expect(en.findings.map((f) => f.message)).toEqual(['the agent hung up before the customer']);
  });
});
