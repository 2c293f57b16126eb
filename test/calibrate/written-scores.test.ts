import { describe, expect, it } from 'vitest';
import { ALL_RULES, type Calibration, calibrationWords, humanScoreFigures, renderMarkdown, renderTable } from '../../src/calibrate/report.js';

/** A calibration with no rule labels and the human scores of these pairs. */
function calibration(channels: ('chat' | 'social' | undefined)[]): Calibration {
  const pairs = channels.map((channel, k) => ({ callId: `C-${k}`, human: 60 + 10 * k, callqa: 70 + 10 * k, ...(channel ? { channel } : {}) }));
  const empty = { labelled: 0, tp: 0, fp: 0, fn: 0, tn: 0 };
  return { rules: [], all: { rule: ALL_RULES, ...empty }, disagreements: [], human: humanScoreFigures(pairs) };
}

describe("calibrate's human scores count written conversations as conversations", () => {
  const w = calibrationWords('zh-CN');
  it('chats and social threads only: 段对话, and the table names 对话编号', () => {
    const c = calibration(['chat', 'social']);
    expect(renderTable(c, w)).toContain('人工评分：2 段对话；斯皮尔曼 ρ 1.000；平均绝对误差 10.0 分');
    const md = renderMarkdown(c, { labels: 'l.csv', source: 's' }, w);
    expect(md).toContain('人工评分：2 段对话；');
    expect(md).toContain('| 对话编号 | 人工评分 | 系统评分 | 差值 |');
    expect(renderTable(c, calibrationWords('en'))).toContain('human scores: 2 conversations;');
  });

  it('calls, or calls and chats together: 通通话, as before', () => {
    for (const channels of [
      [undefined, undefined],
      ['chat', undefined],
    ] as const) {
      const c = calibration([...channels]);
      expect(renderTable(c, w)).toContain('人工评分：2 通通话；');
      expect(renderMarkdown(c, { labels: 'l.csv', source: 's' }, w)).toContain('| 通话编号 | 人工评分 | 系统评分 | 差值 |');
    }
  });
});
