import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CallRecord, RunInfo } from '../../src/results/codec.js';
import { findingIds } from '../../src/review/ids.js';
import { readReviews } from '../../src/review/read.js';
import { appendReview, foreignHeader, isoWithOffset } from '../../src/review/store.js';
import { ReviewItems } from '../../src/review/tui-items.js';
import { type Key, parseKeys } from '../../src/review/tui-keys.js';
import { highlight, PLAIN, render } from '../../src/review/tui-render.js';
import { current, initialState, reduce, type Save, type State } from '../../src/review/tui-state.js';
import { charWidth, displayWidth, dropLastGrapheme, fitLine, lineText, tailToWidth, wrapLine } from '../../src/review/tui-text.js';
import type { Review } from '../../src/review/verdict.js';
import { tempDir } from '../helpers/temp.js';

const RUN: RunInfo = {
  schema_version: 2,
  callqaVersion: '0.1.0',
  rubric: {
    name: '测试标准',
    path: 'test.yaml',
    sha256: '',
    passScore: 80,
    lang: 'zh-CN',
    titles: { greeting: '问候语', 'banned-phrases': '服务禁语', 'hangup-order': '挂机顺序' },
    advice: { 'banned-phrases': '不要说“不行”“不知道”：说明原因，并提供替代方案。', greeting: '接听后完整问候，报出单位和工号。' },
  },
  layout: { ruleIds: ['greeting', 'banned-phrases', 'hangup-order'] },
  inputs: { files: 2, calls: 2, failed: 0, skipped: 0 },
  startedAt: '2026-11-02T10:00:00.000Z',
  endedAt: '2026-11-02T10:00:01.000Z',
  command: ['score', 'calls'],
};

function call(callId: string, agentId: string, agentName: string, findings: CallRecord['findings'], more: Partial<CallRecord> = {}): CallRecord {
  return {
    callId,
    agentId,
    agentName,
    source: `${callId}.txt`,
    hangupBy: 'customer',
    roleSource: 'given',
    score: 85,
    passed: true,
    outcomes: {},
    findings,
    criticalFailures: [],
    ruleErrors: [],
    type: 'call',
    schema_version: 2,
    seq: 0,
    ...more,
  };
}

/** Agent B2 (later in the reports' order) with its transcript; agent A1 without, one finding of it awaiting review. */
const RECORDS: CallRecord[] = [
  call(
    'C-1',
    'B2',
    '林雅婷',
    [
      {
        rule: 'banned-phrases',
        at: 9.5,
        deduction: 5,
        message: '使用了服务禁语“不行”',
        evidence: '这个不行，我也不知道。',
        said: { key: 'banned-phrases.phrase', params: { phrase: '不行' } },
      },
      {
        rule: 'greeting',
        at: 0.3,
        deduction: 10,
        message: '问候语缺少自报姓名或工号',
        evidence: '您好，这里是星辰通信，很高兴为您服务。',
        said: { key: 'greeting.lacks', params: { parts: [{ key: 'greeting.slot.identity' }] } },
      },
    ],
    {
      startedAt: '2026-11-02T10:41:37+08:00',
      utterances: [
        { speaker: 'agent', start: 0.3, end: 5, text: '您好，这里是星辰通信，很高兴为您服务。' },
        { speaker: 'customer', start: 5.5, end: 9, text: '我想改一下套餐。' },
        { speaker: 'agent', start: 9.5, end: 14, text: '这个不行，我也不知道。' },
        { speaker: 'customer', start: 14.5, end: 16, text: '那怎么办？' },
        { speaker: 'agent', start: 16.5, end: 20, text: '感谢您的来电，再见。' },
        { speaker: 'customer', start: 20.5, end: 21, text: '再见。' },
      ],
    },
  ),
  call('C-2', 'A1', '王芳', [
    { rule: 'hangup-order', at: 20, deduction: 10, message: '坐席先于客户挂机', evidence: '感谢您的来电，再见。' },
    { rule: 'banned-phrases', at: 3, deduction: 0, status: 'review', message: '疑似使用服务禁语“不知道”（规则试用中，请复核）', evidence: '我不知道。' },
  ]),
  call('C-3', 'A1', '王芳', []),
];

function items(lang: 'zh-CN' | 'en' = 'zh-CN') {
  const list = new ReviewItems(RUN, lang);
  for (const r of RECORDS) list.add(r);
  return list.list();
}

const start = (reviews: Review[] = [], lang: 'zh-CN' | 'en' = 'zh-CN') =>
  initialState(items(lang), reviews, { reviewer: 'qa1', lang, heading: RUN.rubric.name });

/** The keys, one after the other, from a state; the verdicts they save. */
function press(state: State, keys: readonly Key[], at = '2026-12-05T11:02:03+08:00'): { state: State; saves: Save[] } {
  const saves: Save[] = [];
  for (const key of keys) {
    const step = reduce(state, key, at);
    state = step.state;
    if (step.save) saves.push(step.save);
  }
  return { state, saves };
}

const screen = (state: State, width = 80, height = 24) => render(state, width, height, PLAIN);
const idsOf = (record: CallRecord) => findingIds(record.callId, record.findings);
const [C1, C2] = RECORDS as [CallRecord, CallRecord];

describe('the review order', () => {
  it('is the findings awaiting review first, then the others, agent by agent in the reports order, calls and findings in order', () => {
    expect(items().map((i) => [i.call.callId, i.finding.rule, i.id])).toEqual([
      ['C-2', 'banned-phrases', idsOf(C2)[1]],
      ['C-2', 'hangup-order', idsOf(C2)[0]],
      ['C-1', 'banned-phrases', idsOf(C1)[0]],
      ['C-1', 'greeting', idsOf(C1)[1]],
    ]);
  });
});

describe('the screen at 80×24', () => {
  it('shows a finding without its transcript: position, agent, call, rule, message, advice, the evidence and the keys', () => {
    expect(screen(start())).toEqual([
      '测试标准 · 第 1 条，共 4 条 · 已复核 0 条',
      '坐席 A1 王芳 · 通话 C-2',
      '规则：服务禁语（banned-phrases）· 待复核，不扣分',
      '问题：疑似使用服务禁语“不知道”（规则试用中，请复核）',
      '建议：不要说“不行”“不知道”：说明原因，并提供替代方案。',
      '',
      '此通话未保留转写文本（评分时加 --keep-transcripts 即可带上下文复核）。证据：',
      '[[我不知道。]]',
      '',
      '尚未复核。',
      ...Array.from({ length: 11 }, () => ''),
      '',
      '',
      'y 确认  n 驳回  u 待定  e 备注  j/k 移动  / 筛选  q 退出',
    ]);
  });

  it('shows the utterances around a finding with their times, its own marked and its evidence highlighted', () => {
    const { state } = press(start(), ['j', 'j']);
    expect(screen(state).slice(0, 14)).toEqual([
      '测试标准 · 第 3 条，共 4 条 · 已复核 0 条',
      '坐席 B2 林雅婷 · 通话 C-1 · 2026-11-02 10:41:37',
      '规则：服务禁语（banned-phrases）· 扣 5 分',
      '问题：使用了服务禁语“不行”',
      '建议：不要说“不行”“不知道”：说明原因，并提供替代方案。',
      '',
      '  00:00  坐席  您好，这里是星辰通信，很高兴为您服务。',
      '  00:05  客户  我想改一下套餐。',
      '> 00:09  坐席  [[这个不行，我也不知道。]]',
      '  00:14  客户  那怎么办？',
      '  00:16  坐席  感谢您的来电，再见。',
      '',
      '尚未复核。',
      '',
    ]);
  });

  it('is written again in --lang: messages from what the findings keep, titles and the keys in that language', () => {
    const { state } = press(start([], 'en'), ['j', 'j', 'j']);
    expect(screen(state).slice(0, 9)).toEqual([
      '测试标准 · finding 4 of 4 · 0 judged',
      'Agent B2 林雅婷 · call C-1 · 2026-11-02 10:41:37',
      'Rule: Greeting (greeting) · deducts 10',
      'Finding: greeting lacks the agent’s name or number',
      'Advice: 接听后完整问候，报出单位和工号。',
      '',
      '> 00:00  agent     [[您好，这里是星辰通信，很高兴为您服务。]]',
      '  00:05  customer  我想改一下套餐。',
      '  00:09  agent     这个不行，我也不知道。',
    ]);
    expect(screen(state)[23]).toBe('y confirm  n reject  u unsure  e note  j/k move  / filter  q quit');
  });

  it('never has a row wider than the screen, at any width, CJK counted as two columns', () => {
    const { state } = press(start(), ['j', 'j', 'e', ...'一个很长的备注'.repeat(10)]);
    for (const width of [80, 41, 40, 20, 7]) {
      const rows = screen(state, width, 24);
      expect(rows).toHaveLength(24);
      for (const row of rows) expect(displayWidth(row)).toBeLessThanOrEqual(width);
    }
    // The end of what is typed stays in view, the caret after it.
    expect(screen(state, 40, 24)[22]).toBe('备注（Enter 保存，Esc 取消）：长的备注_');
    expect(screen(state, 80, 10)).toHaveLength(10);
  });
});

describe('keys', () => {
  it('a verdict is saved with the reviewer and time and moves to the next finding; the last stays', () => {
    const { state, saves } = press(start(), ['y', 'n', 'u', 'y']);
    expect(saves.map((s) => [s.item.call.callId, s.item.finding.rule, s.judgement])).toEqual([
      ['C-2', 'banned-phrases', { verdict: 'confirmed', note: '', reviewer: 'qa1', at: '2026-12-05T11:02:03+08:00' }],
      ['C-2', 'hangup-order', { verdict: 'rejected', note: '', reviewer: 'qa1', at: '2026-12-05T11:02:03+08:00' }],
      ['C-1', 'banned-phrases', { verdict: 'unsure', note: '', reviewer: 'qa1', at: '2026-12-05T11:02:03+08:00' }],
      ['C-1', 'greeting', { verdict: 'confirmed', note: '', reviewer: 'qa1', at: '2026-12-05T11:02:03+08:00' }],
    ]);
    expect(state.pos).toBe(3);
    const rows = screen(state);
    expect(rows).toEqual([
      '测试标准 · 第 4 条，共 4 条 · 已复核 4 条',
      '坐席 B2 林雅婷 · 通话 C-1 · 2026-11-02 10:41:37',
      '规则：问候语（greeting）· 扣 10 分',
      '问题：问候语缺少自报姓名或工号',
      '建议：接听后完整问候，报出单位和工号。',
      '',
      '> 00:00  坐席  [[您好，这里是星辰通信，很高兴为您服务。]]',
      '  00:05  客户  我想改一下套餐。',
      '  00:09  坐席  这个不行，我也不知道。',
      '',
      '复核结果：确认（qa1，2026-12-05 11:02:03）',
      ...Array.from({ length: 10 }, () => ''),
      '已保存：确认。 已是最后一条。',
      '',
      'y 确认  n 驳回  u 待定  e 备注  j/k 移动  / 筛选  q 退出',
    ]);
  });

  it('arrows and j/k move, and say so at either end', () => {
    let { state } = press(start(), ['k']);
    expect([state.pos, screen(state)[21]]).toEqual([0, '已是第一条。']);
    ({ state } = press(state, ['down', 'right', 'j', 'j']));
    expect([state.pos, screen(state)[21]]).toEqual([3, '已是最后一条。']);
    ({ state } = press(state, ['up', 'left']));
    expect(state.pos).toBe(1);
  });

  it('a note typed in Chinese (Backspace takes a character off) is saved with the verdict given next', () => {
    let { state, saves } = press(start(), ['e', ...'客户确实听错了吗', 'backspace']);
    expect(state.mode).toBe('note');
    expect(screen(state)[22]).toBe('备注（Enter 保存，Esc 取消）：客户确实听错了_');
    ({ state, saves } = press(state, ['enter']));
    expect(saves).toEqual([]);
    expect(screen(state).slice(9, 11)).toEqual(['尚未复核。', '备注（随复核结果保存）：客户确实听错了']);
    expect(screen(state)[21]).toBe('备注将随复核结果一起保存。');
    ({ state, saves } = press(state, ['n']));
    expect(saves.map((s) => [s.item.finding.rule, s.judgement.verdict, s.judgement.note])).toEqual([['banned-phrases', 'rejected', '客户确实听错了']]);
    // Back on it: the note is shown with the verdict, and a new note saves a new row at once with the same verdict.
    ({ state, saves } = press(state, ['k']));
    expect(screen(state)[9]).toBe('复核结果：驳回（qa1，2026-12-05 11:02:03）· 备注：客户确实听错了');
    ({ state, saves } = press(state, ['e', 'ctrl-u', ...'已申诉', 'enter'], '2026-12-05T11:05:00+08:00'));
    expect(saves.map((s) => [s.judgement.verdict, s.judgement.note, s.judgement.at])).toEqual([['rejected', '已申诉', '2026-12-05T11:05:00+08:00']]);
    expect(screen(state)[21]).toBe('备注已随复核结果“驳回”保存。');
  });

  it('Esc leaves the note as it was', () => {
    const { state, saves } = press(start(), ['e', ...'随便', 'escape', 'y']);
    expect(saves.map((s) => s.judgement.note)).toEqual(['']);
    expect(state.drafts.size).toBe(0);
  });

  it('/ filters by agent or rule (id, name or title); no match leaves it; empty clears it', () => {
    let { state } = press(start(), ['/', ...'林雅', 'enter']);
    expect(state.visible.map((i) => state.items[i]?.call.callId)).toEqual(['C-1', 'C-1']);
    let rows = screen(state);
    expect(rows[0]).toBe('测试标准 · 筛选结果第 1 条，共 2 条（全部 4 条）· 已复核 0 条');
    expect(rows.slice(21, 23)).toEqual(['有 2 条问题匹配“林雅”。', '筛选：林雅（按 / 修改）']);
    ({ state } = press(state, ['/', 'ctrl-u', ...'问候', 'enter']));
    expect([current(state)?.call.callId, current(state)?.finding.rule]).toEqual(['C-1', 'greeting']);
    ({ state } = press(state, ['/', 'ctrl-u', ...'HANGUP', 'enter']));
    expect(current(state)?.finding.rule).toBe('hangup-order');
    ({ state } = press(state, ['/', 'ctrl-u', ...'无此人', 'enter']));
    rows = screen(state);
    expect([current(state)?.finding.rule, rows[21], rows[22]]).toEqual(['hangup-order', '没有问题匹配“无此人”，筛选条件未变。', '筛选：HANGUP（按 / 修改）']);
    ({ state } = press(state, ['/', 'ctrl-u', 'enter']));
    expect([state.filter, state.visible.length, current(state)?.finding.rule, screen(state)[21]]).toEqual([
      '',
      4,
      'hangup-order',
      '已清除筛选，显示全部问题。',
    ]);
  });

  it('pasted text is typed into the editor, its line breaks as spaces, and never judges a finding', () => {
    const pasted = parseKeys('\x1b[200~客户\r\n听错了\x1b[201~');
    let { state, saves } = press(start(), ['e', ...pasted, 'enter']);
    expect(state.drafts.get(current(state)?.id ?? '')).toBe('客户 听错了');
    ({ state, saves } = press(state, parseKeys('\x1b[200~ynu q\x1b[201~')));
    expect([saves, state.pos, state.quit, state.pasting]).toEqual([[], 0, false, false]);
  });

  it('q and Ctrl-C quit, from browsing and from the editor', () => {
    expect(press(start(), ['q']).state.quit).toBe(true);
    expect(press(start(), ['e', 'ctrl-c']).state.quit).toBe(true);
    // In the editor q is typed.
    expect(press(start(), ['e', 'q']).state).toMatchObject({ quit: false, input: 'q' });
  });
});

describe('resuming', () => {
  const review = (findingId: string, verdict: Review['verdict'], at: string, note = ''): Review => ({
    findingId,
    verdict,
    note,
    reviewer: 'qa1',
    at,
    file: 'reviews.csv',
    line: 2,
  });

  it('starts at the first finding without a verdict; the latest verdict by time wins; verdicts on findings not in the run are counted', () => {
    const [review0, review1] = [idsOf(C2)[1] as string, idsOf(C2)[0] as string];
    const state = start([
      review(review0, 'confirmed', '2026-12-05T11:00:00+08:00'),
      review(review1, 'rejected', '2026-12-05T11:01:00+08:00', '不是坐席挂机'),
      // Written later in the file, but judged earlier (another reviewer's file merged in): the earlier verdict stays.
      review(review1, 'unsure', '2026-12-05T10:00:00+08:00'),
      review('F-0000000000000000', 'rejected', '2026-12-05T11:02:00+08:00'),
    ]);
    expect(state.pos).toBe(2);
    expect(state.judged.get(review1)?.verdict).toBe('rejected');
    const rows = screen(state);
    expect(rows[0]).toBe('测试标准 · 第 3 条，共 4 条 · 已复核 2 条');
    // A status longer than the screen goes on on a second row.
    expect(rows.slice(20)).toEqual([
      '继续上次复核：共 4 条，已复核 2 条。 复核记录中有 1 条针对本次结果中不存在的问',
      '  题，保持原样。',
      '',
      'y 确认  n 驳回  u 待定  e 备注  j/k 移动  / 筛选  q 退出',
    ]);
  });

  it('starts at the first when every finding has a verdict', () => {
    const all = items().map((i) => review(i.id, 'confirmed', '2026-12-05T11:00:00+08:00'));
    const state = start(all);
    expect([state.pos, screen(state)[21]]).toEqual([0, '继续上次复核：共 4 条，已复核 4 条。 所有问题均已复核。']);
  });
});

describe('text in the terminal', () => {
  it('counts CJK and full-width characters as two columns, marks as none', () => {
    expect(['a', '中', '，', 'Ａ', '가', '😀', '\u0301', '\u200b', 'é'].map(charWidth)).toEqual([1, 2, 2, 2, 2, 2, 0, 0, 1]);
    expect(displayWidth('坐席 A1 王芳')).toBe(12);
  });

  it('cuts lines to the width without splitting a wide character, with … when text is left out', () => {
    expect(lineText(fitLine([{ text: '您好，这里是星辰通信' }], 9))).toBe('您好，这…');
    expect(lineText(fitLine([{ text: 'ab您好' }], 5))).toBe('ab您…');
    expect(lineText(fitLine([{ text: 'ab您好' }], 6))).toBe('ab您好');
    expect(wrapLine([{ text: '一二三四五六七八九十' }], 8, 3, 2).map(lineText)).toEqual(['一二三四', '  五六七', '  八九十']);
    // 禁则: a full stop or a closing quote never starts a row; the character before it goes down with it.
    expect(wrapLine([{ text: '很高兴为您服务。谢谢' }], 14, 3).map(lineText)).toEqual(['很高兴为您服', '务。谢谢']);
    expect(wrapLine([{ text: '请说“您好”吧' }], 9, 3).map(lineText)).toEqual(['请说“您', '好”吧']);
    expect(wrapLine([{ text: 'the standard is 120–150 a minute' }], 20, 2).map(lineText)).toEqual(['the standard is ', '120–150 a minute']);
    expect(tailToWidth('客户确实听错了', 7)).toBe('听错了');
    expect(dropLastGrapheme('备注👍🏽')).toBe('备注');
  });

  it('highlights each part of the evidence in its utterance', () => {
    expect(highlight('这是规定，我也没办法，单独补配件不行。', '我也没办法 / 不行')).toEqual([
      { text: '这是规定，' },
      { text: '我也没办法', style: 'evidence' },
      { text: '，单独补配件' },
      { text: '不行', style: 'evidence' },
      { text: '。' },
    ]);
  });

  it('reads keys from raw terminal input: arrows, Esc alone, Enter, Backspace, UTF-8 text', () => {
    expect(parseKeys('\x1b[A\x1bOBjk\x1b[1;5C\r\n客户\x7f\x1b\x03')).toEqual(['up', 'down', 'j', 'k', 'enter', '客', '户', 'backspace', 'escape', 'ctrl-c']);
    // A sequence this does not know (Ctrl-F5) is dropped whole.
    expect(parseKeys('\x1b[15;5~x\x1b[5~')).toEqual(['x', 'pageup']);
  });
});

describe('reviews.csv', () => {
  it('gets the BOM and header once, a row per verdict in REVIEW_COLUMNS, formulas neutralised, and reads back', async () => {
    const dir = await tempDir('callqa-review-');
    const base = { findingId: 'F-0123456789abcdef', callId: 'C-1', agentId: 'B2', rule: 'banned-phrases', evidence: '这个不行', reviewer: '张三' };
    await appendReview(dir, { ...base, at: 9.5, verdict: 'rejected', note: '客户听错了, 不是"不行"', reviewedAt: '2026-12-05T11:02:03+08:00' });
    await appendReview(dir, { ...base, verdict: 'confirmed', note: '=1+1', reviewedAt: '2026-12-05T11:03:00+08:00' });
    expect(await readFile(join(dir, 'reviews.csv'), 'utf8')).toBe(
      '\ufefffinding_id,call_id,agent_id,rule,at,evidence,verdict,review_note,reviewer,reviewed_at\r\n' +
        'F-0123456789abcdef,C-1,B2,banned-phrases,9.5,这个不行,rejected,"客户听错了, 不是""不行""",张三,2026-12-05T11:02:03+08:00\r\n' +
        "F-0123456789abcdef,C-1,B2,banned-phrases,,这个不行,confirmed,'=1+1,张三,2026-12-05T11:03:00+08:00\r\n",
    );
    const { reviews, problems } = await readReviews([join(dir, 'reviews.csv')]);
    expect(problems).toEqual([]);
    expect(reviews.map((r) => [r.verdict, r.note, r.reviewer, r.at, r.line, r.evidence])).toEqual([
      ['rejected', '客户听错了, 不是"不行"', '张三', '2026-12-05T11:02:03+08:00', 2, '这个不行'],
      // Read back as typed: the leading ' was only the writer's guard against Excel running it.
      ['confirmed', '=1+1', '张三', '2026-12-05T11:03:00+08:00', 3, '这个不行'],
    ]);
  });

  it('starts a row on a line of its own after a file saved without a final line break, and tells a file with other columns', async () => {
    const dir = await tempDir('callqa-review-');
    const header = 'finding_id,call_id,agent_id,rule,at,evidence,verdict,review_note,reviewer,reviewed_at';
    await writeFile(join(dir, 'reviews.csv'), `${header}\r\nF-0123456789abcdef,C-1,B2,greeting,,,confirmed,,qa1,2026-12-05T11:00:00+08:00`);
    expect(await foreignHeader(dir)).toBeUndefined();
    await appendReview(dir, {
      findingId: 'F-0123456789abcdef',
      callId: 'C-1',
      agentId: 'B2',
      rule: 'greeting',
      evidence: '',
      verdict: 'rejected',
      note: '',
      reviewer: 'qa1',
      reviewedAt: 't',
    });
    expect((await readFile(join(dir, 'reviews.csv'), 'utf8')).split('\r\n')).toEqual([
      header,
      'F-0123456789abcdef,C-1,B2,greeting,,,confirmed,,qa1,2026-12-05T11:00:00+08:00',
      'F-0123456789abcdef,C-1,B2,greeting,,,rejected,,qa1,t',
      '',
    ]);
    await writeFile(join(dir, 'reviews.csv'), 'verdict,finding_id\r\n');
    expect(await foreignHeader(dir)).toBe('verdict,finding_id');
    expect(await foreignHeader(join(dir, 'none'))).toBeUndefined();
  });

  it('times verdicts in ISO 8601 with the local offset', () => {
    const text = isoWithOffset(new Date('2026-12-05T03:02:03Z'));
    expect(text).toMatch(/^2026-12-0[45]T\d\d:\d\d:03[+-]\d\d:\d\d$/);
    expect(Date.parse(text)).toBe(Date.parse('2026-12-05T03:02:03Z'));
  });
});
