import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunInfo } from '../../src/results/codec.js';
import { ReportDir } from '../../src/run/report-dir.js';
import { AGENT_COLUMNS, agentHeader, CALL_COLUMNS, callHeader, FINDING_COLUMNS, type ReportLayout } from '../../src/render/tables.js';
import { columnLetter, writeXlsx, xlsxValue } from '../../src/render/xlsx.js';
import { AgentAggregator } from '../../src/scoring/agents.js';
import type { CallResult } from '../../src/scoring/score-call.js';

const layout: ReportLayout = { ruleIds: ['greeting', 'privacy'] };

/** The fixed columns' labels in English. */
const EN_CALLS = [
  'Call ID',
  'Agent ID',
  'Agent name',
  'Source',
  'Duration (s)',
  'Agent speech rate (chars/min)',
  'Hung up by',
  'Score',
  'Passed',
  'Findings',
  'Roles from',
  'Queue',
  'Direction',
  'Critical failures',
  'Channel',
];
const EN_AGENTS = [
  'Agent ID',
  'Agent name',
  'Calls',
  'Average score',
  'Lowest score',
  'Highest score',
  'Pass rate',
  'Average speech rate (chars/min)',
  'Findings',
];
const EN_FINDINGS = [
  'Call ID',
  'Agent ID',
  'Agent name',
  'Rule',
  'Time (s)',
  'Time',
  'Deduction',
  'Finding',
  'Evidence',
  'Status',
  'Finding ID',
  'Verdict',
  'Review note',
];

/** The run.json beside the CSVs: writeXlsx types the columns by its layout. */
function runInfo(runLayout: ReportLayout): RunInfo {
  return {
    schema_version: 1,
    callqaVersion: '0.1.0',
    rubric: { name: 'core', path: '/r/core.yaml', sha256: 'a'.repeat(64), passScore: 80, advice: {} },
    layout: runLayout,
    inputs: { files: 3, calls: 3, failed: 0, skipped: 0 },
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:00:01.000Z',
    command: ['score', 'in'],
  };
}

function call(callId: string, agentId: string, agentName: string, score: number, findings: CallResult['findings'] = []): CallResult {
  return {
    callId,
    agentId,
    agentName,
    source: `calls/${callId}.json`,
    durationSeconds: 125.25,
    agentCharsPerMinute: 131.7,
    hangupBy: 'customer',
    roleSource: 'given',
    score,
    passed: score >= 80,
    outcomes: { greeting: findings.length > 0 ? 'fail' : 'pass', privacy: 'n/a' },
    findings,
    criticalFailures: [],
    ruleErrors: [],
  };
}

const CALLS = [
  call('C-1', 'A1001', '王芳', 100),
  call('C-2', 'A1001', '王芳', 72.5, [
    { rule: 'greeting', at: 3.4, deduction: 10, message: 'greeting lacks 自报姓名工号', evidence: '=HYPERLINK("http://evil","点我")' },
    { rule: 'greeting', at: 65, deduction: 17.5, message: '多行\n消息', evidence: '+86 138****5678' },
  ]),
  call('=cmd|"/c calc"!A1', '-A2', '@李娜', 90),
];

async function writeReport(dir: string, calls: CallResult[] = CALLS, errors = false, runLayout = layout): Promise<void> {
  const report = await ReportDir.open(dir, runLayout, { bom: true });
  const agents = new AgentAggregator();
  for (const c of calls) {
    await report.addCallRows(c);
    agents.add(c);
  }
  if (errors) await report.addError({ source: 'bad.json', line: 4, error: '-segments[2].start: expected seconds' });
  await report.commit(agents.list(), runInfo(runLayout));
}

async function readBack(dir: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(join(dir, 'report.xlsx'));
  return workbook;
}

/** A sheet by its English name, any case (`calls` is the sheet `Calls`). */
function sheet(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = workbook.worksheets.find((w) => w.name.toLowerCase() === name.toLowerCase());
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
}

function header(ws: ExcelJS.Worksheet): unknown[] {
  return (ws.getRow(1).values as unknown[]).slice(1);
}

/** The row whose first cell is `id`. */
function rowOf(ws: ExcelJS.Worksheet, id: string): ExcelJS.Row {
  for (let r = 2; r <= ws.rowCount; r++) if (ws.getRow(r).getCell(1).value === id) return ws.getRow(r);
  throw new Error(`no row ${id}`);
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callqa-xlsx-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeXlsx', () => {
  it('writes the sheets calls, agents and findings, their headers labelled in English for a run before languages', async () => {
    await writeReport(dir);
    await writeXlsx(dir);
    const wb = await readBack(dir);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Calls', 'Agents', 'Findings']);
    expect(header(sheet(wb, 'calls'))).toEqual([...EN_CALLS, 'Greeting', 'Privacy']);
    expect(header(sheet(wb, 'agents'))).toEqual([...EN_AGENTS, 'Greeting: failed calls', 'Privacy: failed calls']);
    expect(header(sheet(wb, 'findings'))).toEqual(EN_FINDINGS);
    expect(sheet(wb, 'calls').rowCount).toBe(4);
    expect(sheet(wb, 'findings').rowCount).toBe(3);
    expect((await readdir(dir)).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('types scores and counts as numbers, passed as a boolean, text as text', async () => {
    await writeReport(dir);
    await writeXlsx(dir);
    const wb = await readBack(dir);
    const calls = sheet(wb, 'calls');
    const cols = callHeader(layout);
    const c2 = rowOf(calls, 'C-2');
    const cell = (name: string) => c2.getCell(cols.indexOf(name) + 1);
    expect(cell('score').type).toBe(ExcelJS.ValueType.Number);
    expect(cell('score').value).toBe(72.5);
    expect(cell('duration_seconds').value).toBe(125.25);
    expect(cell('findings').value).toBe(2);
    expect(cell('passed').value).toBe(false);
    expect(cell('agent_id').value).toBe('A1001');
    expect(cell('agent_name').value).toBe('王芳');
    expect(cell('greeting').value).toBe('fail');
    // Empty CSV cells stay empty, not 0.
    expect(cell('queue').value).toBeNull();

    const agents = sheet(wb, 'agents');
    const a = rowOf(agents, 'A1001');
    const acol = (name: string) => a.getCell(agentHeader(layout).indexOf(name) + 1);
    expect(acol('calls').value).toBe(2);
    expect(acol('avg_score').value).toBe(86.25);
    expect(acol('pass_rate').value).toBe(0.5);
    expect(acol('pass_rate').numFmt).toBe('0.0%');
    expect(acol('greeting_fail').value).toBe(1);

    const findings = sheet(wb, 'findings');
    const f = findings.getRow(2);
    expect(f.getCell(5).value).toBe(3.4);
    expect(f.getCell(6).value).toBe('00:03');
    expect(f.getCell(7).value).toBe(10);
    expect(findings.getRow(3).getCell(8).value).toBe('多行\n消息');
    // The finding's id (call, rule, place, masked evidence), and the verdict cells left for the analyst.
    expect([11, 12, 13].map((c) => f.getCell(c).value)).toEqual(['F-ffe44893df2b5b50', null, null]);
    expect(findings.getRow(3).getCell(11).value).toBe('F-abf36026a3225c81');
  });

  it('keeps a formula-looking cell text: a string cell with the leading apostrophe, never a formula', async () => {
    await writeReport(dir);
    await writeXlsx(dir);
    const wb = await readBack(dir);
    const evidence = sheet(wb, 'findings').getRow(2).getCell(9);
    expect(evidence.type).toBe(ExcelJS.ValueType.String);
    expect(evidence.formula).toBeUndefined();
    expect(evidence.value).toBe('\'=HYPERLINK("http://evil","点我")');
    expect(sheet(wb, 'findings').getRow(3).getCell(9).value).toBe("'+86 138****5678");
    const calls = sheet(wb, 'calls');
    const hostile = calls.getRow(4);
    expect(hostile.getCell(1).value).toBe('\'=cmd|"/c calc"!A1');
    expect(hostile.getCell(1).type).toBe(ExcelJS.ValueType.String);
    expect(hostile.getCell(2).value).toBe("'-A2");
    expect(hostile.getCell(3).value).toBe("'@李娜");
    for (let c = 1; c <= calls.columnCount; c++) expect(hostile.getCell(c).type).not.toBe(ExcelJS.ValueType.Formula);
  });

  it('freezes the header row, filters every column and sizes and wraps the columns', async () => {
    await writeReport(dir);
    await writeXlsx(dir);
    const wb = await readBack(dir);
    for (const ws of wb.worksheets) {
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(ws.autoFilter).toBe(`A1:${columnLetter(header(ws).length)}${ws.rowCount}`);
      expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    }
    expect(sheet(wb, 'calls').views[0]).toMatchObject({ xSplit: 1 });
    const findings = sheet(wb, 'findings');
    expect(findings.getColumn(9).width).toBeGreaterThanOrEqual(30);
    expect(findings.getColumn(9).width).toBeLessThanOrEqual(60);
    expect(findings.getRow(2).getCell(9).alignment?.wrapText).toBe(true);
    expect(findings.getRow(2).getCell(8).alignment?.wrapText).toBe(true);
    // Wide enough for the header and its filter button, no wider than the cap.
    const calls = sheet(wb, 'calls');
    expect(calls.getColumn(callHeader(layout).indexOf('agent_chars_per_minute') + 1).width).toBe(14);
    expect(calls.getColumn(1).width).toBeGreaterThanOrEqual('call_id'.length + 3);
  });

  it('adds an errors sheet when the run had input problems', async () => {
    await writeReport(dir, CALLS, true);
    await writeXlsx(dir);
    const wb = await readBack(dir);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Calls', 'Agents', 'Findings', 'Errors']);
    const row = sheet(wb, 'errors').getRow(2);
    expect(row.getCell(1).value).toBe('bad.json');
    expect(row.getCell(2).value).toBe(4);
    expect(row.getCell(3).value).toBe("'-segments[2].start: expected seconds");
  });

  it('continues a sheet past the row limit, each part with its header', async () => {
    const many = Array.from({ length: 5 }, (_, i) => call(`C-${i}`, 'A1', '甲', 90 - i));
    await writeReport(dir, many);
    await writeXlsx(dir, { maxRowsPerSheet: 3 });
    const wb = await readBack(dir);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Calls', 'Calls (2)', 'Calls (3)', 'Agents', 'Findings']);
    expect(header(sheet(wb, 'calls (3)'))).toEqual([...EN_CALLS, 'Greeting', 'Privacy']);
    expect([2, 3].map((r) => sheet(wb, 'calls (2)').getRow(r).getCell(1).value)).toEqual(['C-2', 'C-3']);
    expect(sheet(wb, 'calls (3)').getRow(2).getCell(8).value).toBe(86);
    expect(sheet(wb, 'calls (3)').autoFilter).toBe(`A1:${columnLetter(callHeader(layout).length)}2`);
  });

  it('reads CSVs with or without BOM and makes odd text safe for XML', async () => {
    await writeReport(dir, []);
    await writeFile(join(dir, 'findings.csv'), `${FINDING_COLUMNS.join(',')}\nC-9,A1,甲,greeting,1,00:01,5,bad \uD800 half,ok\n`);
    await writeXlsx(dir);
    const wb = await readBack(dir);
    expect(sheet(wb, 'calls').rowCount).toBe(1);
    expect(sheet(wb, 'findings').getRow(2).getCell(8).value).toBe('bad \uFFFD half');
  });

  it('types columns by the layout, not their names: a rule called score or hold_fail is text, its fail count a number', async () => {
    const odd: ReportLayout = { ruleIds: ['score', 'hold_fail', 'duration_seconds'] };
    const outcomes = { score: 'fail', hold_fail: 'fail', duration_seconds: 'pass' } as const;
    await writeReport(dir, [{ ...call('C-1', 'A1', '甲', 90), outcomes }], false, odd);
    await writeXlsx(dir);
    const wb = await readBack(dir);
    const calls = sheet(wb, 'calls');
    expect(header(calls)).toEqual([...EN_CALLS, 'score', 'hold_fail', 'duration_seconds']);
    const row = calls.getRow(2);
    // The fixed columns stay numbers.
    expect(row.getCell(CALL_COLUMNS.indexOf('score') + 1).value).toBe(90);
    expect(row.getCell(CALL_COLUMNS.indexOf('duration_seconds') + 1).value).toBe(125.25);
    expect(calls.getColumn(CALL_COLUMNS.indexOf('duration_seconds') + 1).width).toBe(14);
    const rules = CALL_COLUMNS.length + 1;
    expect([0, 1, 2].map((i) => row.getCell(rules + i).type)).toEqual(Array(3).fill(ExcelJS.ValueType.String));
    expect([0, 1, 2].map((i) => row.getCell(rules + i).value)).toEqual(['fail', 'fail', 'pass']);
    // A text column is sized to its header (a number column stops at 14).
    expect(calls.getColumn(rules + 2).width).toBe('duration_seconds'.length + 3);

    const agents = sheet(wb, 'agents');
    expect(header(agents)).toEqual([...EN_AGENTS, 'score: failed calls', 'hold_fail: failed calls', 'duration_seconds: failed calls']);
    const fails = [0, 1, 2].map((i) => agents.getRow(2).getCell(AGENT_COLUMNS.length + 1 + i));
    expect(fails.map((c) => c.type)).toEqual(Array(3).fill(ExcelJS.ValueType.Number));
    expect(fails.map((c) => c.value)).toEqual([1, 1, 0]);
  });

  it('refuses a CSV whose header is not the one run.json describes, and a directory without run.json', async () => {
    await writeReport(dir);
    await writeFile(join(dir, 'findings.csv'), `${FINDING_COLUMNS.map((c) => (c === 'status' ? 'state' : c)).join(',')}\n`);
    await expect(writeXlsx(dir)).rejects.toThrow(
      `${join(dir, 'findings.csv')}: column 10 is "state" where the run.json beside it has "status" (write the reports again with callqa report)`,
    );
    await writeFile(join(dir, 'findings.csv'), `${FINDING_COLUMNS.join(',')},extra\n`);
    await expect(writeXlsx(dir)).rejects.toThrow('column 14 is "extra" where the run.json beside it has none');
    expect((await readdir(dir)).filter((f) => f.includes('xlsx'))).toEqual([]);
    await rm(join(dir, 'run.json'));
    await expect(writeXlsx(dir)).rejects.toThrow('no run.json beside the results');
  });

  it('fails clearly without the CSVs and leaves no partial workbook', async () => {
    await expect(writeXlsx(dir)).rejects.toThrow(`${dir}: no calls.csv to put in report.xlsx (write the CSV reports first)`);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('cells', () => {
  it.each([
    ['72.5', 'number', 72.5],
    ['-5', 'number', -5],
    ['', 'number', null],
    ['n/a', 'number', 'n/a'],
    ['true', 'boolean', true],
    ['false', 'boolean', false],
    ['=1+1', 'text', "'=1+1"],
    ["'=1+1", 'text', "'=1+1"],
    ['007', 'text', '007'],
  ] as const)('%j as %s → %j', (cell, kind, value) => expect(xlsxValue(cell, kind)).toBe(value));

  it('cuts text at the cell limit', () => {
    const value = xlsxValue('字'.repeat(40_000), 'wrap') as string;
    expect(value.length).toBe(32_767);
    expect(value.endsWith('…')).toBe(true);
  });

  it('names columns as Excel does', () => {
    expect([1, 26, 27, 52, 703].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'AAA']);
  });

  it('relies on exceljs internals for back-pressure that are still there', async () => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: join(dir, 'probe.xlsx') });
    const ws = workbook.addWorksheet('x');
    ws.addRow(['a']).commit();
    const pipe = (ws as unknown as { _stream?: { pipes?: { _writableState?: { length?: number; highWaterMark?: number } }[] } })._stream?.pipes?.[0];
    expect(typeof pipe?._writableState?.length).toBe('number');
    expect(typeof pipe?._writableState?.highWaterMark).toBe('number');
    await ws.commit();
    await workbook.commit();
  });
});

describe("writeXlsx in the run's language", () => {
  /** run.json in a language, with the rules' titles in it. */
  async function inLang(lang: 'zh-CN' | 'zh-TW' | 'en', titles?: Record<string, string>): Promise<void> {
    const run = runInfo(layout);
    await writeFile(join(dir, 'run.json'), JSON.stringify({ ...run, rubric: { ...run.rubric, lang, ...(titles ? { titles } : {}) } }));
  }

  it('names the sheets and labels the headers in zh-CN, the rules by their titles', async () => {
    await writeReport(dir, CALLS, true);
    await inLang('zh-CN', { greeting: '开场问候', privacy: '隐私保护' });
    await writeXlsx(dir);
    const wb = await readBack(dir);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['通话明细', '坐席汇总', '问题明细', '输入错误']);
    expect(header(sheet(wb, '通话明细'))).toEqual([
      '通话编号',
      '坐席工号',
      '坐席姓名',
      '来源',
      '时长（秒）',
      '坐席语速（字/分钟）',
      '挂机方',
      '得分',
      '是否合格',
      '问题数',
      '角色判定依据',
      '队列',
      '呼叫方向',
      '一票否决项',
      '服务渠道',
      '开场问候',
      '隐私保护',
    ]);
    expect(header(sheet(wb, '坐席汇总'))).toEqual([
      '坐席工号',
      '坐席姓名',
      '通话数',
      '平均分',
      '最低分',
      '最高分',
      '合格率',
      '平均语速（字/分钟）',
      '问题数',
      '开场问候：未通过通话数',
      '隐私保护：未通过通话数',
    ]);
    expect(header(sheet(wb, '问题明细'))).toEqual([
      '通话编号',
      '坐席工号',
      '坐席姓名',
      '规则',
      '时间点（秒）',
      '时间点',
      '扣分',
      '问题描述',
      '证据',
      '状态',
      '问题编号',
      '复核结论',
      '复核备注',
    ]);
    expect(header(sheet(wb, '输入错误'))).toEqual(['来源', '行号', '错误']);
    // The cells are the CSVs' own, typed as before.
    expect(rowOf(sheet(wb, '通话明细'), 'C-2').getCell(8).value).toBe(72.5);
  });

  it("writes zh-TW (the catalog's titles when run.json has none in it), and English when asked", async () => {
    await writeReport(dir, CALLS);
    await inLang('zh-CN', { greeting: '开场问候', privacy: '隐私保护' });
    await writeXlsx(dir, { lang: 'zh-TW', maxRowsPerSheet: 3 });
    let wb = await readBack(dir);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['通話明細', '通話明細（2）', '客服人員彙總', '問題明細']);
    expect(header(sheet(wb, '通話明細')).slice(-5)).toEqual(['呼叫方向', '一票否決項', '服務渠道', '問候語', '隱私保護']);
    expect(header(sheet(wb, '客服人員彙總')).slice(0, 3)).toEqual(['客服人員工號', '客服人員姓名', '通話數']);
    await writeXlsx(dir, { lang: 'en' });
    wb = await readBack(dir);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Calls', 'Agents', 'Findings']);
    expect(header(sheet(wb, 'Calls')).slice(-2)).toEqual(['Greeting', 'Privacy']);
  });

  it('reads CSVs whose header row is localized, and tells two rules of one title apart by their ids', async () => {
    const two: ReportLayout = { ruleIds: ['greeting', 'greeting-2'] };
    await writeReport(dir, [{ ...call('C-1', 'A1', '甲', 90), outcomes: { greeting: 'pass', 'greeting-2': 'fail' } }], false, two);
    const run = runInfo(two);
    await writeFile(
      join(dir, 'run.json'),
      JSON.stringify({ ...run, rubric: { ...run.rubric, lang: 'zh-CN', titles: { greeting: '问候语', 'greeting-2': '问候语' } } }),
    );
    await writeFile(
      join(dir, 'findings.csv'),
      '通话编号,坐席工号,坐席姓名,规则,时间点（秒）,时间点,扣分,问题描述,证据,状态,问题编号,复核结论,复核备注\nC-1,A1,甲,greeting,1,00:01,5,缺少问候语,您好,deducted,F-0123456789abcdef,确认,属实\n',
    );
    await writeXlsx(dir);
    const wb = await readBack(dir);
    expect(header(sheet(wb, '通话明细')).slice(-2)).toEqual(['问候语 (greeting)', '问候语 (greeting-2)']);
    expect(sheet(wb, '问题明细').getRow(2).getCell(7).value).toBe(5);
    // A finding's rule by its title, the id beside a title two rules share.
    expect(sheet(wb, '问题明细').getRow(2).getCell(4).value).toBe('问候语（greeting）');
    expect(sheet(wb, '问题明细').getRow(2).getCell(10).value).toBe('已扣分');
    expect([11, 12, 13].map((c) => sheet(wb, '问题明细').getRow(2).getCell(c).value)).toEqual(['F-0123456789abcdef', '确认', '属实']);
  });

  /** Calls whose id-valued cells hold each kind of id: outcomes, who hung up, roles, direction, critical failures, a finding for review. */
  const VARIED: CallResult[] = [
    ...CALLS,
    {
      ...call('C-4', 'A1002', '李娜', 0),
      hangupBy: 'agent',
      roleSource: 'customer-cue',
      direction: 'inbound',
      outcomes: { greeting: 'review', privacy: 'fail' },
      criticalFailures: ['privacy', 'greeting'],
      findings: [{ rule: 'privacy', at: 12, deduction: 0, message: '坐席读出了完整的身份证号', evidence: '***', status: 'review' }],
    },
  ];
  const cells = (ws: ExcelJS.Worksheet, id: string, names: readonly string[]) =>
    names.map((name) => rowOf(ws, id).getCell(callHeader(layout).indexOf(name) + 1).value);
  const IDS = ['greeting', 'privacy', 'hangup_by', 'role_source', 'direction', 'critical_failures'];

  it('writes the cells that hold an id in the CSVs as zh-CN words: outcomes, who hung up, roles, direction, rules by title', async () => {
    await writeReport(dir, VARIED);
    await inLang('zh-CN', { greeting: '开场问候', privacy: '隐私保护' });
    await writeXlsx(dir);
    const wb = await readBack(dir);
    const calls = sheet(wb, '通话明细');
    expect(cells(calls, 'C-1', IDS)).toEqual(['通过', '不适用', '客户', '转写中已标明', null, null]);
    expect(cells(calls, 'C-2', IDS.slice(0, 2))).toEqual(['未通过', '不适用']);
    expect(cells(calls, 'C-4', IDS)).toEqual(['待复核', '未通过', '坐席', '据客户的话判断', '呼入', '隐私保护、开场问候']);
    const findings = sheet(wb, '问题明细');
    expect([2, 4].map((r) => [findings.getRow(r).getCell(4).value, findings.getRow(r).getCell(10).value])).toEqual([
      ['开场问候', '已扣分'],
      ['隐私保护', '待复核'],
    ]);
    // The CSVs keep the ids pipelines filter on.
    expect((await readFile(join(dir, 'calls.csv'), 'utf8')).split('\n')[4]).toContain(',agent,0,false,1,customer-cue,,inbound,privacy;greeting,,review,fail');
  });

  it('writes them in zh-TW with Taiwan wording, and in English as the ids they are (rules by title)', async () => {
    await writeReport(dir, VARIED);
    await inLang('zh-TW');
    await writeXlsx(dir);
    let wb = await readBack(dir);
    expect(cells(sheet(wb, '通話明細'), 'C-4', IDS)).toEqual(['待複核', '未通過', '客服人員', '據客戶的話判斷', '呼入', '隱私保護、問候語']);
    await writeXlsx(dir, { lang: 'en' });
    wb = await readBack(dir);
    expect(cells(sheet(wb, 'Calls'), 'C-4', IDS)).toEqual(['review', 'fail', 'agent', 'customer-cue', 'inbound', 'Privacy, Greeting']);
    expect(sheet(wb, 'Findings').getRow(4).getCell(10).value).toBe('review');
  });
});

describe('the channel column of report.xlsx', () => {
  const WRITTEN: CallResult[] = [
    call('C-1', 'A1', '王芳', 100),
    { ...call('CHAT-7', 'A1', '王芳', 90), channel: 'chat' },
    { ...call('SOC-3', 'A2', '李娜', 85), channel: 'social' },
  ];
  const channels = (ws: ExcelJS.Worksheet) => ['C-1', 'CHAT-7', 'SOC-3'].map((id) => rowOf(ws, id).getCell(callHeader(layout).indexOf('channel') + 1).value);

  it.each([
    ['zh-CN', '通话明细', ['电话', '在线客服', '社交媒体']],
    ['zh-TW', '通話明細', ['電話', '線上客服', '社交媒體']],
    ['en', 'Calls', ['phone', 'online chat', 'social media']],
  ] as const)('writes the words of %s, a voice call (empty in calls.csv) as a phone call', async (lang, name, words) => {
    await writeReport(dir, WRITTEN);
    await writeXlsx(dir, { lang });
    expect(channels(sheet(await readBack(dir), name))).toEqual(words);
  });

  it('leaves calls.csv with the ids pipelines filter on', async () => {
    await writeReport(dir, WRITTEN);
    await writeXlsx(dir, { lang: 'zh-CN' });
    const lines = (await readFile(join(dir, 'calls.csv'), 'utf8')).replace(/^\ufeff/, '').split('\n');
    const at = callHeader(layout).indexOf('channel');
    expect(lines.slice(1, 4).map((l) => l.split(',')[at])).toEqual(['', 'chat', 'social']);
  });
});
