import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabelsError, parseLabels, readLabels } from '../../src/calibrate/labels.js';
import { averageRanks, meanAbsoluteError, ruleMetrics, spearman } from '../../src/calibrate/metrics.js';
import { type CalibrateOptions, runCalibrate } from '../../src/commands/calibrate.js';
import { readCsv, tempDir } from '../helpers/cli.js';
import { sink } from '../helpers/streams.js';
import { encodeLegacy } from '../hostile/encode.js';

/**
 * `callqa calibrate`: the figures on small tables worked out by hand, the labels file's problems with
 * file and line, and the command in process over a fixture (scored with scoreInput, as callqa score does).
 */

const cases = (...rows: [string, string, number][]) => rows.flatMap(([label, got, n]) => Array.from({ length: n }, () => ({ label, got })));

describe('ruleMetrics', () => {
  it('gives agreement, precision, recall, F1 and κ of a two-class table', () => {
    // tp 3 (fail/fail), fp 1 (pass/fail), fn 2 (fail/pass), tn 4 (pass/pass): n = 10.
    // agreement = (3 + 4) / 10 = 0.7; precision = 3 / (3 + 1) = 0.75; recall = 3 / (3 + 2) = 0.6;
    // F1 = 2·3 / (2·3 + 1 + 2) = 6/9 = 2/3.
    // κ: labels fail 5, pass 5; callqa fail 4, pass 6: pₑ = 0.5·0.4 + 0.5·0.6 = 0.5; κ = (0.7 − 0.5) / (1 − 0.5) = 0.4.
    const m = ruleMetrics(cases(['fail', 'fail', 3], ['pass', 'fail', 1], ['fail', 'pass', 2], ['pass', 'pass', 4]));
    expect(m).toMatchObject({ labelled: 10, tp: 3, fp: 1, fn: 2, tn: 4 });
    expect(m.agreement).toBeCloseTo(0.7, 12);
    expect(m.precision).toBeCloseTo(0.75, 12);
    expect(m.recall).toBeCloseTo(0.6, 12);
    expect(m.f1).toBeCloseTo(2 / 3, 12);
    expect(m.kappa).toBeCloseTo(0.4, 12);
  });

  it('counts pass, fail and n/a apart in agreement and κ', () => {
    // (n/a, n/a)×2, (pass, n/a)×1, (fail, fail)×1, (pass, pass)×1: n = 5, agreement 4/5 = 0.8.
    // labels n/a 2, pass 2, fail 1; callqa n/a 3, pass 1, fail 1:
    // pₑ = (2/5)(3/5) + (2/5)(1/5) + (1/5)(1/5) = 6/25 + 2/25 + 1/25 = 9/25 = 0.36; κ = (0.8 − 0.36) / 0.64 = 0.6875.
    // A pass labelled case callqa called n/a is no deduction: precision 1/1, recall 1/1, F1 1.
    const m = ruleMetrics(cases(['n/a', 'n/a', 2], ['pass', 'n/a', 1], ['fail', 'fail', 1], ['pass', 'pass', 1]));
    expect(m).toMatchObject({ labelled: 5, tp: 1, fp: 0, fn: 0, tn: 4, precision: 1, recall: 1, f1: 1 });
    expect(m.agreement).toBeCloseTo(0.8, 12);
    expect(m.kappa).toBeCloseTo(0.6875, 12);
  });

  it('leaves a figure undefined where it has no value', () => {
    // Every case pass on both sides: agreement 1, no deduction (precision undefined), no fail label
    // (recall undefined), no fail anywhere (F1 undefined), pₑ = 1·1 = 1 (κ undefined).
    expect(ruleMetrics(cases(['pass', 'pass', 4]))).toEqual({ labelled: 4, agreement: 1, tp: 0, fp: 0, fn: 0, tn: 4 });
    // Every case fail on both sides: precision, recall and F1 are 1, κ still undefined (pₑ = 1).
    expect(ruleMetrics(cases(['fail', 'fail', 3]))).toEqual({ labelled: 3, agreement: 1, precision: 1, recall: 1, f1: 1, tp: 3, fp: 0, fn: 0, tn: 0 });
    // No fail label, callqa deducted once: recall undefined, precision 0/1 = 0, F1 = 0 / (0 + 1 + 0) = 0;
    // labels pass 2; callqa pass 1, fail 1: pₑ = 1·0.5 = 0.5, pₒ = 0.5, κ = 0.
    expect(ruleMetrics(cases(['pass', 'pass', 1], ['pass', 'fail', 1]))).toEqual({
      labelled: 2,
      agreement: 0.5,
      precision: 0,
      f1: 0,
      kappa: 0,
      tp: 0,
      fp: 1,
      fn: 0,
      tn: 1,
    });
    // A rule that threw is no deduction and no agreement: (fail, error) is a false negative.
    expect(ruleMetrics(cases(['fail', 'error', 1], ['pass', 'pass', 1]))).toMatchObject({ agreement: 0.5, fn: 1, tn: 1, recall: 0 });
    expect(ruleMetrics([])).toEqual({ labelled: 0, tp: 0, fp: 0, fn: 0, tn: 0 });
  });
});

describe('Spearman ρ and mean absolute error', () => {
  it('ranks ties by their average rank', () => {
    // Sorted: 10, 10 take ranks 1 and 2 → 1.5; 20, 20, 20 take 3, 4, 5 → 4; 30 takes 6.
    expect(averageRanks([10, 20, 10, 30, 20, 20])).toEqual([1.5, 4, 1.5, 6, 4, 4]);
  });

  it('is the correlation of the ranks', () => {
    // x = 1..5 ranks 1..5; y = 5, 6, 7, 8, 7 ranks 1, 2, 3.5, 5, 3.5 (the two 7s share ranks 3 and 4).
    // Both mean 3: dx = −2, −1, 0, 1, 2; dy = −2, −1, 0.5, 2, 0.5.
    // Σdx·dy = 4 + 1 + 0 + 2 + 1 = 8; Σdx² = 10; Σdy² = 4 + 1 + 0.25 + 4 + 0.25 = 9.5; ρ = 8 / √95 ≈ 0.8208.
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(8 / Math.sqrt(95), 12);
    expect(spearman([1, 2, 3], [30, 20, 10])).toBeCloseTo(-1, 12);
    // Undefined with one pair, or when one side gives every call the same score.
    expect(spearman([1], [2])).toBeUndefined();
    expect(spearman([1, 2, 3], [70, 70, 70])).toBeUndefined();
  });

  it('averages the absolute differences', () => {
    // |100 − 95| + |90 − 85| + |0 − 20| = 5 + 5 + 20 = 30; 30 / 3 = 10.
    expect(meanAbsoluteError([100, 90, 0], [95, 85, 20])).toBe(10);
    expect(meanAbsoluteError([], [])).toBeUndefined();
  });
});

function problemsOf(file: string, text: string): readonly string[] {
  try {
    parseLabels(file, text);
  } catch (err) {
    if (err instanceof LabelsError) return err.problems;
    throw err;
  }
  throw new Error('no LabelsError');
}

describe('labels files', () => {
  it('reads CSV rows with notes, human scores on rows without a rule, and the team’s own columns', () => {
    const set = parseLabels(
      'l.csv',
      'Call_ID,rule,verdict,human_score,note,reason\nC-1,greeting,PASS,,,完整\nC-1,,,85,,\nC-2,banned-phrases,fail,,"生硬拒绝, 两次",\nC-2,dead-air,n/a,,,\n',
    );
    expect(set.labels).toEqual([
      { callId: 'C-1', rule: 'greeting', verdict: 'pass', note: '', file: 'l.csv', line: 2 },
      { callId: 'C-2', rule: 'banned-phrases', verdict: 'fail', note: '生硬拒绝, 两次', file: 'l.csv', line: 4 },
      { callId: 'C-2', rule: 'dead-air', verdict: 'n/a', note: '', file: 'l.csv', line: 5 },
    ]);
    expect([...set.humanScores.values()]).toEqual([{ callId: 'C-1', score: 85, file: 'l.csv', line: 3 }]);
  });

  it('names the file and line of every bad row, lines counted past a note that spans two lines', () => {
    const text = [
      'call_id,rule,verdict,note,human_score',
      'C-1,greeting,pass,"第一行',
      '第二行",',
      'C-1,greeting,fail,,',
      'C-2,closing,ok,,',
      ',closing,pass,,',
      'C-3,,,,',
      'C-3,,,,abc',
      'C-4,closing,pass,,90',
      'C-5,,,,70',
      'C-5,,,,75',
      'C-6,,pass,,60',
    ].join('\r\n');
    expect(problemsOf('gold/labels.csv', text)).toEqual([
      'gold/labels.csv:4: call C-1 is labelled for rule greeting twice (first on line 2)',
      'gold/labels.csv:5: verdict: expected pass, fail or n/a, got "ok"',
      'gold/labels.csv:6: call_id is empty',
      "gold/labels.csv:7: a row without a rule must give the call's human_score",
      'gold/labels.csv:8: human_score: expected a number, got "abc"',
      'gold/labels.csv:9: human_score belongs on a row of its own with an empty rule, not on a row for rule closing',
      'gold/labels.csv:11: call C-5 has a human_score already (line 10)',
      'gold/labels.csv:12: a human_score row has no verdict (verdicts go on rows with a rule), got "pass"',
    ]);
  });

  it('refuses a header without the required columns, and an empty file', () => {
    expect(problemsOf('a.csv', '\ufeffcall,rule,label\nC-1,greeting,pass\n')).toEqual([
      'a.csv:1: the header lacks call_id, verdict: expected columns call_id, rule, verdict (and optionally note, human_score), got "call", "rule", "label"',
    ]);
    expect(problemsOf('b.csv', 'call_id,rule,verdict\n')).toEqual(['b.csv: no labels in the file']);
  });

  it('reads JSON Lines, with the same problems by line', () => {
    const set = parseLabels(
      'l.jsonl',
      '{"call_id":"C-1","rule":"greeting","verdict":"fail","note":"无工号"}\n\n{"call_id":"C-1","rule":null,"human_score":72.5}\n{"call_id":7,"rule":"closing","verdict":"pass"}\n',
    );
    expect(set.labels).toEqual([
      { callId: 'C-1', rule: 'greeting', verdict: 'fail', note: '无工号', file: 'l.jsonl', line: 1 },
      { callId: '7', rule: 'closing', verdict: 'pass', note: '', file: 'l.jsonl', line: 4 },
    ]);
    expect(set.humanScores.get('C-1')).toEqual({ callId: 'C-1', score: 72.5, file: 'l.jsonl', line: 3 });
    expect(
      problemsOf('x.jsonl', '{"call_id":"C-1","rule":"greeting","verdict":"pass"}\n[1]\n{"call_id":"C-2","rule":{"a":1},"verdict":"pass"}\n{bad\n'),
    ).toEqual([
      'x.jsonl:2: expected a JSON object with call_id, rule, verdict, got an array',
      'x.jsonl:3: rule: expected a string or a number, got {"a":1}',
      expect.stringMatching(/^x\.jsonl:4: not a JSON object \(/),
    ]);
  });

  it('keeps keys that are property names of Object as data', () => {
    const set = parseLabels(
      'p.jsonl',
      '{"call_id":"__proto__","rule":"constructor","verdict":"pass","__proto__":{"polluted":1}}\n{"call_id":"__proto__","rule":"","human_score":5}\n',
    );
    expect(set.labels[0]).toMatchObject({ callId: '__proto__', rule: 'constructor' });
    expect(set.humanScores.get('__proto__')?.score).toBe(5);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads a labels CSV saved by Excel as GBK (and Big5), naming a bad byte by line', async () => {
    const dir = await tempDir('callqa-labels-');
    const gbk = join(dir, 'gbk.csv');
    await writeFile(gbk, encodeLegacy('call_id,rule,verdict,note\r\nC-1,greeting,fail,没有自报工号\r\nC-2,closing,pass,礼貌结束\r\n', 'gb18030'));
    const set = await readLabels(gbk);
    expect(set.labels.map((l) => [l.callId, l.rule, l.verdict, l.note])).toEqual([
      ['C-1', 'greeting', 'fail', '没有自报工号'],
      ['C-2', 'closing', 'pass', '礼貌结束'],
    ]);
    const big5 = join(dir, 'big5.csv');
    await writeFile(big5, encodeLegacy('call_id,rule,verdict,note\r\nC-9,greeting,pass,問候完整，有自報工號\r\n', 'big5'));
    expect((await readLabels(big5)).labels[0]?.note).toBe('問候完整，有自報工號');
    const broken = join(dir, 'broken.csv');
    await writeFile(broken, Buffer.concat([Buffer.from('call_id,rule,verdict\nC-1,greeting,pass\nC-2,closing,'), Buffer.from([0xff]), Buffer.from('\n')]));
    await expect(readLabels(broken)).rejects.toThrow(new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: not valid UTF-8: byte 0xff`));
  });

  it('reads a folder of label files as one set, naming each row by its own file and a label given twice by both', async () => {
    const dir = await tempDir('callqa-labels-dir-');
    await writeFile(join(dir, 'greeting.csv'), 'call_id,rule,verdict,note,source\ng-1,greeting,fail,没有工号,seeds/000\n');
    await writeFile(join(dir, 'calls.jsonl'), '{"call_id":"c-1","rule":"closing","verdict":"pass"}\n{"call_id":"c-1","rule":"","human_score":90}\n');
    await writeFile(join(dir, 'README.md'), '# not labels\n');
    const set = await readLabels(dir);
    expect(set.file).toBe(dir);
    expect(set.labels.map((l) => [l.file, l.line, l.callId, l.rule, l.verdict])).toEqual([
      [join(dir, 'calls.jsonl'), 1, 'c-1', 'closing', 'pass'],
      [join(dir, 'greeting.csv'), 2, 'g-1', 'greeting', 'fail'],
    ]);
    expect(set.humanScores.get('c-1')).toEqual({ callId: 'c-1', score: 90, file: join(dir, 'calls.jsonl'), line: 2 });
    await writeFile(join(dir, 'more.csv'), 'call_id,rule,verdict\ng-1,greeting,pass\n');
    const problems = await readLabels(dir).then(
      () => [],
      (err: LabelsError) => err.problems,
    );
    expect(problems).toEqual([`${join(dir, 'more.csv')}:2: call g-1 is labelled for rule greeting twice (first on ${join(dir, 'greeting.csv')}:2)`]);
    const empty = await tempDir('callqa-labels-empty-');
    await expect(readLabels(empty)).rejects.toThrow(`${empty}: no label files in the folder (expected .csv or .jsonl files)`);
  });
});

/** The fixture with C-1002, C-1003 and C-1004 (scored in process: a few hundred milliseconds). */
const XINGCHEN = 'fixtures/calls/c1002-1004-xingchen-account.json';

async function calibrate(labels: string, inputs: string[], opts: Partial<CalibrateOptions> & { out: string }) {
  const stdout = sink();
  const stderr = sink();
  const code = await runCalibrate(labels, inputs, { bom: true, ...opts }, { stdout: stdout.stream, stderr: stderr.stream });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('runCalibrate', () => {
  it('writes the disagreements of a fixture call with the first finding of the rule', async () => {
    const dir = await tempDir('callqa-calibrate-');
    const labels = join(dir, 'labels.csv');
    await writeFile(
      labels,
      [
        'call_id,rule,verdict,note',
        'C-1003,interruption,pass,客户说完了才接话',
        'C-1003,speech-rate,fail,',
        'C-1003,greeting,pass,',
        'C-1002,greeting,fail,没有工号',
        'C-1004,empathy-on-complaint,fail,=HYPERLINK("x")',
      ].join('\n'),
    );
    const out = join(dir, 'out');
    const run = await calibrate(labels, [XINGCHEN], { out });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await readCsv(join(out, 'disagreements.csv'))).toEqual([
      {
        call_id: 'C-1003',
        rule: 'interruption',
        label: 'pass',
        got: 'fail',
        at: '00:36',
        evidence: '那建议您改成五十九元的轻享套餐，包含三十G流量和三百分钟通话，下个月一日生效。',
        message: '坐席在客户尚未说完时抢话（重叠 2.1 秒）',
        note: '客户说完了才接话',
      },
      // No finding for a rule callqa found nothing in: at, evidence and message empty; the note neutralised.
      { call_id: 'C-1004', rule: 'empathy-on-complaint', label: 'fail', got: 'n/a', at: '', evidence: '', message: '', note: `'=HYPERLINK("x")` },
    ]);
    const table = await readCsv(join(out, 'calibration.csv'));
    expect(Object.keys(table[0] ?? {})).toEqual(['rule', 'labelled', 'agreement', 'precision', 'recall', 'f1', 'kappa', 'tp', 'fp', 'fn', 'tn']);
    // greeting: (pass, pass) and (fail, fail): agreement 1, precision 1, recall 1, F1 1;
    // labels pass ½, fail ½; callqa the same: pₑ = ¼ + ¼ = ½, κ = (1 − ½) / ½ = 1.
    expect(table.find((r) => r.rule === 'greeting')).toEqual({
      rule: 'greeting',
      labelled: '2',
      agreement: '1',
      precision: '1',
      recall: '1',
      f1: '1',
      kappa: '1',
      tp: '1',
      fp: '0',
      fn: '0',
      tn: '1',
    });
    // interruption: (pass, fail): agreement 0, precision 0, recall undefined, F1 0; labels pass 1, callqa fail 1: pₑ = 0, κ = 0.
    expect(table.find((r) => r.rule === 'interruption')).toMatchObject({ labelled: '1', agreement: '0', precision: '0', recall: '', f1: '0', kappa: '0' });
    // 5 cases, 3 agree (speech-rate fail, both greetings): 0.6.
    expect(table.map((r) => r.rule)).not.toContain('(all)');
    // zh-phone writes in zh-CN: rule titles beside the ids, Chinese headings and verdicts.
    expect(await readFile(join(out, 'calibration.md'), 'utf8')).toContain('| 全部规则 | 5 | 0.600 |');
    expect(run.stdout).toMatch(/^规则\s+标注数\s+一致率\s+精确率\s+召回率\s+F1 值\s+κ 系数\n/);
    expect(run.stdout).toMatch(/\n问候语（greeting） +2 +1\.000 +1\.000 +1\.000 +1\.000 +1\.000\n/);
    expect(run.stdout).toContain('\n不一致：2 条\n');
    const md = await readFile(join(out, 'calibration.md'), 'utf8');
    expect(md).toMatch(/^# 质检校准：与人工标注的一致性\n/);
    expect(md).toContain(`人工标注：\`${labels}\`；系统结果：按评分标准“中文电话客服标准”（`);
    expect(md).toContain('| 规则 | 标注数 | 一致率 | 精确率 | 召回率 | F1 值 | κ 系数 |\n');
    expect(md).toContain('| 问候语（greeting） | 2 | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 |');
    expect(md).toContain('| 抢话（interruption） | 1 | 0.000 | 0.000 |  | 0.000 | 0.000 |');
    expect(md).toContain('κ 系数无定义的规则：`语速（speech-rate）`。');
    expect(md).toContain('## 不一致\n\n全部不一致见 disagreements.csv，含首条问题的时间、证据和描述。\n');
    expect(md).toContain('| 通话编号 | 规则 | 人工标注 | 系统结果 | 时间 | 备注 |\n');
    expect(md).toContain('| C-1003 | 抢话（interruption） | 通过 | 扣分 | 00:36 | 客户说完了才接话 |');
    expect(md).toContain('| C-1004 | 投诉安抚（empathy-on-complaint） | 扣分 | 不适用 |  | =HYPERLINK("x") |');
  });

  it('writes as before in English (--lang en): ids, the English headings and sentences', async () => {
    const dir = await tempDir('callqa-calibrate-');
    const labels = join(dir, 'labels.csv');
    await writeFile(
      labels,
      ['call_id,rule,verdict,note', 'C-1003,interruption,pass,', 'C-1003,speech-rate,fail,', 'C-1003,greeting,pass,', 'C-1002,greeting,fail,'].join('\n'),
    );
    const out = join(dir, 'out');
    const run = await calibrate(labels, [XINGCHEN], { out, lang: 'en' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^rule\s+labelled\s+agreement\s+precision\s+recall\s+f1\s+kappa\ngreeting +2 +1\.000 /);
    expect(run.stdout).toContain('\n(all)  ');
    expect(run.stdout).toContain('disagreements: 1\n');
    const md = await readFile(join(out, 'calibration.md'), 'utf8');
    expect(md).toMatch(
      /^# Calibration: agreement with human labels\n\nLabels: `[^`]+`; outcomes: fixtures\/calls\/c1002-1004-xingchen-account\.json scored with /,
    );
    expect(md).toContain('| rule | labelled | agreement | precision | recall | f1 | kappa |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n');
    expect(md).toContain('| (all) | 4 | 0.750 |');
    expect(md).toContain('| greeting | 2 | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 |');
    expect(md).toContain('| interruption | 1 | 0.000 | 0.000 |  | 0.000 | 0.000 |');
    expect(md).toContain('κ is undefined for: `speech-rate`.');
    expect(md).toContain("`kappa`: Cohen's κ, agreement beyond chance. `(all)` pools every labelled case.\n");
    expect(md).toContain('## Disagreements\n\nEvery one is in disagreements.csv with the finding’s time, evidence and message.\n');
    expect(md).toContain(
      '| call_id | rule | label | got | at | note |\n| --- | --- | --- | --- | --- | --- |\n| C-1003 | interruption | pass | fail | 00:36 |  |\n',
    );
  });

  it('writes zh-TW with Taiwan wording: the table, calibration.md and the gate', async () => {
    const dir = await tempDir('callqa-calibrate-');
    const labels = join(dir, 'labels.csv');
    await writeFile(labels, 'call_id,rule,verdict,human_score\nC-1002,,,70\nC-1003,,,80\nC-1003,interruption,pass,\nC-1002,greeting,fail,\n');
    const out = join(dir, 'out');
    const run = await calibrate(labels, [XINGCHEN], { out, lang: 'zh-TW', minAgreement: 0.95 });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^規則 +標註數 +一致率 +精確率 +召回率 +F1 值 +κ 係數\n問候語（greeting） +1 +1\.000 /);
    expect(run.stdout).toContain('\n搶話（interruption）                        1   0.000   0.000       —  0.000   0.000\n');
    expect(run.stdout).toContain('\n不一致：1 條\n人工評分：2 通通話；斯皮爾曼 ρ —（無定義）；平均絕對誤差 15.0 分\n');
    expect(run.stderr).toBe('callqa: 校準未達標：1 項規則指標低於門檻：\n  搶話（interruption）：一致率 0.000 低於 --min-agreement 0.95\n');
    const md = await readFile(join(out, 'calibration.md'), 'utf8');
    expect(md).toMatch(/^# 品管校準：與人工標註的一致性\n/);
    expect(md).toContain('| 問候語（greeting） | 1 | 1.000 | 1.000 | 1.000 | 1.000 |  |');
    expect(md).toContain('## 評分\n\n人工評分：2 通通話；斯皮爾曼 ρ —（無定義）；平均絕對誤差 15.0 分。\n');
    expect(md).toContain('| 通話編號 | 人工評分 | 系統評分 | 差值 |\n| --- | ---: | ---: | ---: |\n| C-1002 | 70 | 90 | 20 |\n');
  });

  it('gives Spearman ρ and the mean absolute error against human scores', async () => {
    const dir = await tempDir('callqa-calibrate-');
    const labels = join(dir, 'labels.jsonl');
    // callqa: C-1002 90, C-1003 90, C-1004 100 (calls.csv of the fixture). Human: 70, 80, 95.
    // Ranks callqa 1.5, 1.5, 3; human 1, 2, 3. Means 2: dx −0.5, −0.5, 1; dy −1, 0, 1.
    // Σdx·dy = 0.5 + 0 + 1 = 1.5; Σdx² = 1.5; Σdy² = 2; ρ = 1.5 / √3 ≈ 0.866.
    // MAE = (20 + 10 + 5) / 3 ≈ 11.7.
    await writeFile(labels, ['C-1002', 'C-1003', 'C-1004'].map((id, i) => JSON.stringify({ call_id: id, rule: '', human_score: [70, 80, 95][i] })).join('\n'));
    const run = await calibrate(labels, [XINGCHEN], { out: join(dir, 'out'), lang: 'en' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`human scores: 3 calls; Spearman ρ ${(1.5 / Math.sqrt(3)).toFixed(3)}; mean absolute error 11.7 points\n`);
    expect(run.stdout).toContain('human scores: 3 calls; Spearman ρ 0.866;');
    const md = await readFile(join(dir, 'out', 'calibration.md'), 'utf8');
    expect(md).toContain('| C-1002 | 70 | 90 | 20 |');
  });

  it('exits 1 naming the rules under --min-agreement or --min-precision, after writing the reports', async () => {
    const dir = await tempDir('callqa-calibrate-');
    const labels = join(dir, 'labels.csv');
    await writeFile(labels, 'call_id,rule,verdict\nC-1003,interruption,pass\nC-1003,speech-rate,pass\nC-1002,greeting,fail\n');
    const out = join(dir, 'out');
    const run = await calibrate(labels, [XINGCHEN], { out, minAgreement: 0.95, lang: 'en' });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'callqa: calibration gate failed for 2 rule figures:\n  speech-rate: agreement 0.000 is under --min-agreement 0.95\n  interruption: agreement 0.000 is under --min-agreement 0.95\n',
    );
    expect((await readCsv(join(out, 'disagreements.csv'))).length).toBe(2);
    const precision = await calibrate(labels, [XINGCHEN], { out, minPrecision: 0.5, lang: 'en' });
    expect(precision.code).toBe(1);
    expect(precision.stderr).toContain('  interruption: precision 0.000 is under --min-precision 0.5\n');
    // The rubric's language, zh-CN: the same gate in Chinese, rule titles beside the ids.
    const zh = await calibrate(labels, [XINGCHEN], { out, minAgreement: 0.95, minPrecision: 0.5 });
    expect(zh.code).toBe(1);
    expect(zh.stderr).toBe(
      'callqa: 校准未达标：4 项规则指标低于门槛：\n  语速（speech-rate）：一致率 0.000 低于 --min-agreement 0.95\n  语速（speech-rate）：精确率 0.000 低于 --min-precision 0.5\n' +
        '  抢话（interruption）：一致率 0.000 低于 --min-agreement 0.95\n  抢话（interruption）：精确率 0.000 低于 --min-precision 0.5\n',
    );
    // greeting alone agrees (1.000, precision 1.000): no gate fails even at 1.
    await writeFile(join(dir, 'ok.csv'), 'call_id,rule,verdict\nC-1002,greeting,fail\n');
    expect((await calibrate(join(dir, 'ok.csv'), [XINGCHEN], { out, minAgreement: 1, minPrecision: 1 })).code).toBe(0);
  });

  it('exits 2 for an unknown rule or call id, naming file and line, and writes nothing', async () => {
    const dir = await tempDir('callqa-calibrate-');
    const labels = join(dir, 'labels.csv');
    await writeFile(labels, 'call_id,rule,verdict\nC-1002,greeting,fail\nC-1002,greting,pass\nC-9999,closing,pass\n');
    const out = join(dir, 'out');
    const run = await calibrate(labels, [XINGCHEN], { out, lang: 'en' });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `callqa: ${labels}:3: unknown rule "greting"; the rules are greeting, banned-phrases, speech-rate, hangup-order, closing, courtesy, colloquial-words, refusal-wording, confirm-understanding, empathy-on-complaint, dead-air, interruption, answer-speed, privacy\n` +
        `callqa: ${labels}:4: unknown call id "C-9999": not among the 3 calls scored\n`,
    );
    expect(run.stdout).toBe('');
    await expect(readFile(join(out, 'calibration.csv'))).rejects.toThrow(/ENOENT/);
    // In the rubric's language, zh-CN.
    expect((await calibrate(labels, [XINGCHEN], { out })).stderr).toBe(
      `callqa: ${labels}:3: 未知的规则“greting”；规则有：greeting、banned-phrases、speech-rate、hangup-order、closing、courtesy、colloquial-words、refusal-wording、confirm-understanding、empathy-on-complaint、dead-air、interruption、answer-speed、privacy\n` +
        `callqa: ${labels}:4: 未知的通话编号“C-9999”：不在已评分的 3 通通话中\n`,
    );
    // An llm: rule without --llm.
    await writeFile(labels, 'call_id,rule,verdict\nC-1002,llm:empathy,fail\n');
    expect((await calibrate(labels, [XINGCHEN], { out, lang: 'en' })).stderr).toMatch(
      /:2: unknown rule "llm:empathy" \(llm: rules are graded with --llm\); the rules are greeting,/,
    );
  });

  it('never writes a control character of the labels to the terminal, nor HTML into calibration.md', async () => {
    const dir = await tempDir('callqa-calibrate-');
    const labels = join(dir, 'labels.jsonl');
    await writeFile(labels, `${JSON.stringify({ call_id: 'C-\u001b[2J', rule: '', human_score: 1 })}\n`);
    const run = await calibrate(labels, [XINGCHEN], { out: join(dir, 'out'), lang: 'en' });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`callqa: ${labels}:1: unknown call id "C-\\u{1b}[2J": not among the 3 calls scored\n`);
    await writeFile(labels, `${JSON.stringify({ call_id: 'C-1003', rule: 'interruption', verdict: 'pass', note: '<img src=x onerror=alert(1)> | 2' })}\n`);
    expect((await calibrate(labels, [XINGCHEN], { out: join(dir, 'out'), lang: 'en' })).code).toBe(0);
    expect(await readFile(join(dir, 'out', 'calibration.md'), 'utf8')).toContain(
      '| C-1003 | interruption | pass | fail | 00:36 | &lt;img src=x onerror=alert(1)> \\| 2 |',
    );
  });

  it('exits 3 when an input cannot be read, comparing the calls of the others', async () => {
    const dir = await tempDir('callqa-calibrate-');
    const labels = join(dir, 'labels.csv');
    await writeFile(labels, 'call_id,rule,verdict\nC-1002,greeting,fail\n');
    const run = await calibrate(labels, [XINGCHEN, 'fixtures/broken/truncated.json'], { out: join(dir, 'out') });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^callqa: fixtures\/broken\/truncated\.json:10: JSON 格式错误：文本在某个值的中间结束/);
    expect(run.stdout).toMatch(/^问候语（greeting） +1 +1\.000 /m);
  });

  it('exits 2 on usage errors: no inputs, inputs and --results, a missing labels file', async () => {
    const dir = await tempDir('callqa-calibrate-');
    const out = join(dir, 'out');
    // Before any rubric: --lang, else the locale's language (test/commands/stderr-lang.test.ts has the Chinese).
    expect(await calibrate('fixtures/labels/calls-labels.csv', [], { out, lang: 'en' })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'callqa: calibrate needs transcripts to score (INPUT…) or saved results (--results FILE)\n',
    });
    expect((await calibrate('fixtures/labels/calls-labels.csv', [XINGCHEN], { out, results: out })).code).toBe(2);
    // The labels file's problems in the rubric's language (zh-CN), or in --lang.
    expect(await calibrate(join(dir, 'nope.csv'), [XINGCHEN], { out })).toEqual({
      code: 2,
      stdout: '',
      stderr: `callqa: ${join(dir, 'nope.csv')}: 文件不存在\n`,
    });
    expect((await calibrate(join(dir, 'nope.csv'), [XINGCHEN], { out, lang: 'en' })).stderr).toBe(`callqa: ${join(dir, 'nope.csv')}: no such file\n`);
    const labels = join(dir, 'labels.csv');
    await writeFile(labels, 'call_id,rule,verdict,human_score\nC-1002,greeting,ok,\nC-1002,,,x\nC-1003,greeting,pass,\nC-1003,greeting,fail,\n');
    expect((await calibrate(labels, [XINGCHEN], { out })).stderr).toBe(
      `callqa: ${labels}:2: verdict：应为 pass、fail 或 n/a，实际为“ok”\n` +
        `callqa: ${labels}:3: human_score：应为数字，实际为“x”\n` +
        `callqa: ${labels}:5: 通话 C-1003 的规则 greeting 标注了两次（首次在第 4 行）\n`,
    );
    expect((await calibrate(labels, [XINGCHEN], { out, lang: 'zh-TW' })).stderr).toContain(
      `callqa: ${labels}:5: 通話 C-1003 的規則 greeting 標註了兩次（首次在第 4 行）\n`,
    );
  });
});
