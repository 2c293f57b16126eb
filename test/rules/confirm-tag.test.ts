import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/confirm-understanding.js';
import { EMPTY_CONTEXT, optionsSchema } from '../../src/rules/types.js';
import { call } from '../helpers/rule-table.js';

// A tag question (对吗, 对吧, 是吗…) confirms only as the end of a clause restating what the customer said:
// the clause it closes, or, standing alone, the clause before it (after a comma, or ASR's full stop); opening a turn, none.
const outcome = (customer: string, agent: string) =>
  rule.check(call([`customer: ${customer}`, `agent: ${agent}`]), optionsSchema(rule).parse({}) as never, EMPTY_CONTEXT).outcome;

const NEED = '我的宽带从昨天开始断网了';

describe('confirm-understanding: tag questions', () => {
  it.each([
    ['the clause a tag ends', '宽带从昨天开始断网对吗？', 'pass'],
    ['a tag alone after a comma closes the clause before it', '宽带从昨天开始断网，对吗？', 'pass'],
    ['a full-width comma and question mark', '宽带从昨天开始断网，是吧？', 'pass'],
    ['a tag at the end of an unpunctuated turn', '宽带从昨天开始断网是不是', 'pass'],
    ['Traditional script', '寬帶從昨天開始斷網，對嗎？', 'pass'],
    ['a bare tag: nothing restated', '是吗？', 'fail'],
    ['a tag alone after ASR’s full stop closes the clause before it', '宽带从昨天开始断网。对吧？', 'pass'],
    ['a tag opening the turn answers (really?)', '是吗？宽带从昨天开始断网了', 'fail'],
    ['a tag inside a clause is no tag (您是不是重启过)', '宽带您是不是重启过了', 'fail'],
    ['好吧 and 好不好 are no tags', '宽带断网好吧，明天修好不好', 'fail'],
    ['a tag on a clause about something else', '宽带从昨天开始断网，我们明天派人，您在家对吧？', 'fail'],
  ])('%s', (_name, agent, want) => {
    // The last case: the tag closes 您在家 only, and 宽带…断网 before it carries no confirming form.
    expect(outcome(NEED, agent)).toBe(want);
  });

  it('a tag after the clause limit reads only the last 40 characters', () => {
    const filler = '嗯'.repeat(60);
    expect(outcome(NEED, `宽带从昨天开始断网${filler}对吧`)).toBe('fail');
  });
});
