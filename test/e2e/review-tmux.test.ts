import { execFileSync, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../src/results/codec.js';
import { findingIds } from '../../src/review/ids.js';
import { displayWidth } from '../../src/review/tui-text.js';
import { BIN, readCsv, ROOT, runCli, tempDir } from '../helpers/cli.js';

/**
 * `callqa review` driven as an analyst drives it: the real command in an 80×24 tmux pane, keys sent with
 * send-keys, the screen read with capture-pane. Where tmux is missing the test is skipped, except in CI
 * (CI set), where it fails: .ci/run installs tmux (.ci/install-debian).
 */
const HAVE_TMUX = spawnSync('tmux', ['-V']).status === 0;

describe('callqa review in tmux', () => {
  if (!HAVE_TMUX && !process.env.CI) {
    it.skip('is skipped: tmux is not installed here (in CI, where CI is set, a missing tmux fails this test)', () => {});
    return;
  }

  let socket = '';
  const tmux = (...args: string[]) => execFileSync('tmux', ['-u', '-S', socket, ...args], { encoding: 'utf8' });
  // -J joins rows the terminal wrapped: a row of the reviewer wider than the pane would show as one longer line.
  const screen = (session: string) => tmux('capture-pane', '-p', '-J', '-t', session);
  afterAll(() => {
    // Only this test's server, on its own socket.
    if (socket !== '') spawnSync('tmux', ['-S', socket, 'kill-server']);
  });

  /** Reads the pane until it shows every text (polling, no fixed wait); fails with the screen it last saw. */
  async function waitFor(session: string, ...texts: string[]): Promise<string> {
    const deadline = Date.now() + 15_000;
    let last = '';
    while (Date.now() < deadline) {
      last = screen(session);
      if (texts.every((t) => last.includes(t))) return last;
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    throw new Error(`the pane never showed ${JSON.stringify(texts)}; it showed:\n${last}`);
  }

  /** A pane of 80×24 running the command; the shell waits for a line after it ends, so its exit code can be read. */
  function start(session: string, dir: string): void {
    const command = `cd ${JSON.stringify(ROOT)} && NO_COLOR=1 ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} review ${JSON.stringify(dir)} --reviewer qa1; echo "EXIT=$?"; read line`;
    tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', command);
  }

  it('saves exactly the verdicts typed (y, n with a note in Chinese, u) at once, quits with q, and resumes at the next finding', async () => {
    if (!HAVE_TMUX) throw new Error('tmux is not installed: CI must install it (.ci/run) for the tmux-driven review test');
    const dir = await tempDir('callqa-review-');
    socket = join(dir, 'tmux.sock');
    const out = join(dir, 'run');
    const scored = await runCli(['score', 'fixtures/calls', '--keep-transcripts', '--out', out, '-q']);
    expect(scored.code, scored.stderr).toBe(0);
    const records = (await readFile(join(out, 'results.jsonl'), 'utf8'))
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as CallRecord);
    const total = records.reduce((n, r) => n + r.findings.length, 0);
    const ids = (callId: string) => {
      const r = records.find((x) => x.callId === callId) as CallRecord;
      return findingIds(r.callId, r.findings);
    };
    // Agent A1001 comes first (the reports' order): C-1002's greeting, then C-3003's greeting and answer speed.
    const [c1002] = ids('C-1002');
    const [c3003greeting, c3003speed] = ids('C-3003');

    start('first', out);
    let shown = await waitFor('first', `第 1 条，共 ${total} 条 · 已复核 0 条`, '通话 C-1002', '[[您好，这里是星辰通信，很高兴为您服务。]]');
    const rows = shown.replace(/\n$/, '').split('\n');
    expect(rows).toHaveLength(24);
    for (const row of rows) expect(displayWidth(row)).toBeLessThanOrEqual(80);
    expect(rows[23]).toBe('y 确认  n 驳回  u 待定  e 备注  j/k 移动  / 筛选  q 退出');

    tmux('send-keys', '-t', 'first', 'y');
    await waitFor('first', '第 2 条', '通话 C-3003', '已保存：确认。');
    // On disk at once, before quitting.
    expect((await readCsv(join(out, 'reviews.csv'))).map((r) => [r.finding_id, r.verdict])).toEqual([[c1002, 'confirmed']]);

    tmux('send-keys', '-t', 'first', 'e');
    await waitFor('first', '备注（Enter 保存，Esc 取消）：');
    tmux('send-keys', '-t', 'first', '-l', '客户确实听错了');
    await waitFor('first', '：客户确实听错了_');
    tmux('send-keys', '-t', 'first', 'Enter');
    await waitFor('first', '备注将随复核结果一起保存。');
    tmux('send-keys', '-t', 'first', 'n');
    await waitFor('first', '第 3 条', '已保存：驳回。');
    tmux('send-keys', '-t', 'first', 'u');
    await waitFor('first', '第 4 条', '通话 C-1003', '已保存：待定。');
    tmux('send-keys', '-t', 'first', 'q');
    shown = await waitFor('first', 'EXIT=0');
    expect(shown).toContain(`共 ${total} 条问题，已复核 3 条；复核结果保存在 ${join(out, 'reviews.csv')}。`);

    const text = await readFile(join(out, 'reviews.csv'), 'utf8');
    expect(text.startsWith('\ufefffinding_id,call_id,agent_id,rule,at,evidence,verdict,review_note,reviewer,reviewed_at\r\n')).toBe(true);
    const saved = await readCsv(join(out, 'reviews.csv'));
    expect(saved.map((r) => [r.finding_id, r.call_id, r.agent_id, r.rule, r.at, r.verdict, r.review_note, r.reviewer])).toEqual([
      [c1002, 'C-1002', 'A1001', 'greeting', '0.3', 'confirmed', '', 'qa1'],
      [c3003greeting, 'C-3003', 'A1001', 'greeting', '12', 'rejected', '客户确实听错了', 'qa1'],
      [c3003speed, 'C-3003', 'A1001', 'answer-speed', '0', 'unsure', '', 'qa1'],
    ]);
    for (const r of saved) expect(r.reviewed_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);

    // Started again: on the first finding without a verdict, the three verdicts counted; Ctrl-C quits too.
    start('second', out);
    await waitFor('second', `第 4 条，共 ${total} 条 · 已复核 3 条`, '通话 C-1003', `继续上次复核：共 ${total} 条，已复核 3 条。`);
    tmux('send-keys', '-t', 'second', '/');
    tmux('send-keys', '-t', 'second', '-l', '孙浩');
    tmux('send-keys', '-t', 'second', 'Enter');
    await waitFor('second', '筛选结果第 1 条', '坐席 S4001 孙浩', '筛选：孙浩（按 / 修改）');
    tmux('send-keys', '-t', 'second', 'C-c');
    await waitFor('second', 'EXIT=0');
    expect(await readCsv(join(out, 'reviews.csv'))).toHaveLength(3);
  }, 60_000);
});

describe('callqa review without a terminal', () => {
  it('exits 2 saying it needs one, and 2 naming a directory it cannot read; a run without findings has nothing to review (0)', async () => {
    const dir = await tempDir('callqa-review-');
    const scored = await runCli(['score', 'fixtures/calls/c3002-complaint-banned.txt', '--out', join(dir, 'run'), '-q']);
    expect(scored.code, scored.stderr).toBe(0);
    const piped = await runCli(['review', join(dir, 'run')]);
    expect([piped.code, piped.stderr]).toEqual([2, 'callqa: callqa review 需要在终端中运行：标准输入和标准输出都必须是终端，不能是管道或文件。\n']);
    const english = await runCli(['review', join(dir, 'run'), '--lang', 'en']);
    expect(english.stderr).toBe('callqa: callqa review needs a terminal: standard input and output must both be one, not a pipe or a file.\n');
    // A reviews.csv with other columns is not appended to: rows in REVIEW_COLUMNS' order would be misread.
    await writeFile(join(dir, 'run', 'reviews.csv'), 'verdict,finding_id\r\n');
    const foreign = await runCli(['review', join(dir, 'run'), '--lang', 'en']);
    expect([foreign.code, foreign.stderr]).toEqual([
      2,
      `callqa: ${join(dir, 'run', 'reviews.csv')}:1: expected the header row finding_id,call_id,agent_id,rule,at,evidence,verdict,review_note,reviewer,reviewed_at, got "verdict,finding_id": verdicts are appended in these columns; move the file aside or give it this header\n`,
    ]);
    const missing = await runCli(['review', join(dir, 'nothing')]);
    expect([missing.code, missing.stderr]).toEqual([2, `callqa: ${join(dir, 'nothing')}: no such file or directory\n`]);

    const clean = await runCli(['score', 'fixtures/calls/c1001-broadband-outage.json', '--out', join(dir, 'clean'), '-q']);
    expect(clean.code, clean.stderr).toBe(0);
    const none = await runCli(['review', join(dir, 'clean')]);
    expect([none.code, none.stdout]).toEqual([0, `${join(dir, 'clean')}：没有需要复核的问题。\n`]);
  }, 30_000);
});
