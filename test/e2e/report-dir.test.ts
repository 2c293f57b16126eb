import { type ChildProcess, spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { cp, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { recoverOut } from '../../src/run/out-dir.js';
import { BIN, ROOT, runCli, tempDir } from '../helpers/cli.js';

/**
 * Report directories are never mixed or stale (issue 15, point 4): a run writes a staging directory
 * beside --out and swaps it in at the end, under a lock. Signals are delivered where the debug hook
 * CALLQA_DEBUG_PAUSE_AT holds the run: before the swap the old report stays, from the first rename on
 * the new one is put in place whole.
 */

const OLD_INPUTS = ['fixtures/calls'];
const NEW_INPUTS = ['fixtures/calls/c1001-broadband-outage.json', 'fixtures/calls/c3001-refund-slow.txt'];
/** Files whose bytes do not depend on when or where the run was made (run.json and report.html carry times and paths). */
const STABLE = ['calls.csv', 'findings.csv', 'agents.csv', 'results.jsonl'];

/** Every file under `dir` (relative paths, sorted) with its bytes. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const path = join(d, e.name);
      if (e.isDirectory()) await walk(path);
      else files.set(relative(dir, path), await readFile(path, 'latin1'));
    }
  };
  await walk(dir);
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The new run's reports: its file names exactly, and the bytes of the files that do not carry times. */
async function expectNewSet(out: string, reference: Map<string, string>): Promise<void> {
  const got = await snapshot(out);
  expect([...got.keys()]).toEqual([...reference.keys()]);
  for (const f of STABLE) expect(got.get(f), f).toBe(reference.get(f));
}

interface Running {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
  /** Resolves once stderr holds `text`. */
  waitFor(text: string): Promise<void>;
}

function start(args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env } });
  let stderr = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    for (const w of waiters.splice(0)) {
      if (stderr.includes(w.text)) w.resolve();
      else waiters.push(w);
    }
  });
  child.stdout?.resume();
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    exited,
    stderr: () => stderr,
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        if (stderr.includes(text)) return resolve();
        waiters.push({ text, resolve });
        void exited.then(() => (stderr.includes(text) ? resolve() : reject(new Error(`exited before "${text}": ${stderr}`))));
      }),
  };
}

describe('report directories are never mixed or stale', () => {
  let dir: string;
  /** A finished report with coaching packs and a workbook: what --out holds before each run. */
  let oldReport: string;
  let oldSet: Map<string, string>;
  let newSet: Map<string, string>;

  beforeAll(async () => {
    dir = await tempDir();
    oldReport = join(dir, 'old');
    expect((await runCli(['score', ...OLD_INPUTS, '--out', oldReport, '--coaching', '--xlsx', '-q', '--jobs', '1'])).code).toBe(0);
    oldSet = await snapshot(oldReport);
    expect([...oldSet.keys()].filter((f) => f.startsWith('coaching/')).length).toBeGreaterThan(0);
    expect(oldSet.has('report.xlsx')).toBe(true);
    const reference = join(dir, 'reference');
    expect((await runCli(['score', ...NEW_INPUTS, '--out', reference, '-q', '--jobs', '1'])).code).toBe(0);
    newSet = await snapshot(reference);
  }, 60_000);

  /** --out holding the old report; the new run scores other inputs without --coaching or --xlsx. */
  async function prepared(name: string): Promise<string> {
    const out = join(dir, name);
    await cp(oldReport, out, { recursive: true });
    return out;
  }

  /** Entries beside --out that a run left (its lock, staging, ready or old directories). */
  async function besides(out: string): Promise<string[]> {
    const name = out.slice(dir.length + 1);
    return (await readdir(dir)).filter((n) => n.startsWith(`.${name}.callqa-`));
  }

  it("a run removes the earlier run's coaching/ and report.xlsx: --out holds exactly the new run's files", async () => {
    const out = await prepared('fresh');
    expect((await runCli(['score', ...NEW_INPUTS, '--out', out, '-q'])).code).toBe(0);
    await expectNewSet(out, newSet);
    expect(await besides(out)).toEqual([]);
  });

  it('callqa report into a directory with an older report leaves only what it wrote', async () => {
    const out = await prepared('rerender');
    expect((await runCli(['report', join(dir, 'reference'), '--out', out, '-q'])).code).toBe(0);
    await expectNewSet(out, newSet);
    expect(await besides(out)).toEqual([]);
  });

  for (const [step, expected] of [
    ['start', 'old'],
    ['staged', 'old'],
    ['swap', 'new'],
    ['swapped', 'new'],
  ] as const) {
    it(`SIGINT at ${step} leaves exactly the ${expected} report in --out, and nothing but --resume's files beside it`, async () => {
      const out = await prepared(`sigint-${step}`);
      const run = start(['score', ...NEW_INPUTS, '--out', out, '-q'], { CALLQA_DEBUG_PAUSE_AT: step, CALLQA_DEBUG_PAUSE_MS: '1500' });
      await run.waitFor(`callqa: debug: paused at ${step}`);
      run.child.kill('SIGINT');
      expect(await run.exited).toBe(130);
      if (expected === 'old') expect(await snapshot(out)).toEqual(oldSet);
      else await expectNewSet(out, newSet);
      const left = await besides(out);
      if (expected === 'new') expect(left).toEqual([]);
      else {
        // What --resume needs of the interrupted run, in its staging directory; no lock.
        expect(left).toEqual([`.sigint-${step}.callqa-new-${run.child.pid}`]);
        // (At start the run has not begun scoring: no rubric marker yet, its results empty.)
        const kept = step === 'start' ? ['.results.jsonl.partial'] : ['.callqa-resume.json', '.results.jsonl.partial'];
        expect((await readdir(join(dir, left[0] as string))).sort()).toEqual(kept);
      }
    }, 30_000);
  }

  it('SIGINT at moments spread over a whole run: --out is always exactly the old or the new report', async () => {
    for (const delay of [150, 400, 700, 1000]) {
      const out = await prepared(`sigint-after-${delay}`);
      const run = start(['score', ...NEW_INPUTS, '--out', out, '-q', '--jobs', '1']);
      await new Promise((r) => setTimeout(r, delay));
      run.child.kill('SIGINT');
      const code = await run.exited;
      const got = await snapshot(out);
      if (code === 0 || [...got.keys()].join() === [...newSet.keys()].join()) await expectNewSet(out, newSet);
      else expect(got, `interrupted after ${delay} ms (exit ${code})`).toEqual(oldSet);
    }
  }, 60_000);

  it('SIGTERM during the swap waits for it and exits 143 with the new report in place', async () => {
    const out = await prepared('sigterm-swap');
    const run = start(['score', ...NEW_INPUTS, '--out', out, '-q'], { CALLQA_DEBUG_PAUSE_AT: 'swap', CALLQA_DEBUG_PAUSE_MS: '1000' });
    await run.waitFor('callqa: debug: paused at swap');
    // Between the two renames --out is briefly absent (the old report is beside it), never mixed.
    await expect(stat(out)).rejects.toThrow(/ENOENT/);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(143);
    await expectNewSet(out, newSet);
  }, 30_000);

  it('SIGKILL between the two renames: the next run into --out finds the complete new report and puts it in place', async () => {
    const out = await prepared('sigkill-swap');
    const run = start(['score', ...NEW_INPUTS, '--out', out, '-q'], { CALLQA_DEBUG_PAUSE_AT: 'swap', CALLQA_DEBUG_PAUSE_MS: '5000' });
    await run.waitFor('callqa: debug: paused at swap');
    run.child.kill('SIGKILL');
    await run.exited;
    const pid = run.child.pid as number;
    expect((await besides(out)).sort()).toEqual(['.sigkill-swap.callqa-lock', `.sigkill-swap.callqa-old-${pid}`, `.sigkill-swap.callqa-ready-${pid}`]);
    // What a later run does first, under the lock: the ready (complete) report becomes --out, the old one goes.
    await recoverOut(out);
    await expectNewSet(out, newSet);
    expect(await besides(out)).toEqual(['.sigkill-swap.callqa-lock']);
    // And a later run takes over the dead run's lock.
    expect((await runCli(['score', ...NEW_INPUTS, '--out', out, '-q'])).code).toBe(0);
    await expectNewSet(out, newSet);
    expect(await besides(out)).toEqual([]);
  }, 30_000);

  it('SIGKILL after the old report was moved aside and before the new one was ready: the old report goes back', async () => {
    const out = await prepared('sigkill-restore');
    // What a run killed at that instant would leave: --out renamed aside, its staging unfinished.
    await cp(out, join(dir, '.sigkill-restore.callqa-old-99999999'), { recursive: true });
    await mkdir(join(dir, '.sigkill-restore.callqa-new-99999999'));
    await writeFile(join(dir, '.sigkill-restore.callqa-new-99999999', '.calls.csv.99999999.partial'), 'half');
    await import('node:fs/promises').then((fs) => fs.rm(out, { recursive: true }));
    await recoverOut(out);
    expect(await snapshot(out)).toEqual(oldSet);
    expect(await besides(out)).toEqual([]);
  });

  it('SIGKILL while scoring: --out keeps the old report, and the next run removes the dead staging directory', async () => {
    const out = await prepared('sigkill-start');
    const run = start(['score', ...NEW_INPUTS, '--out', out, '-q'], { CALLQA_DEBUG_PAUSE_AT: 'start', CALLQA_DEBUG_PAUSE_MS: '5000' });
    await run.waitFor('callqa: debug: paused at start');
    run.child.kill('SIGKILL');
    await run.exited;
    expect(await snapshot(out)).toEqual(oldSet);
    expect((await runCli(['score', ...NEW_INPUTS, '--out', out, '-q'])).code).toBe(0);
    await expectNewSet(out, newSet);
    expect(await besides(out)).toEqual([]);
  }, 30_000);

  it('a second run into the same --out refuses at start (exit 2), naming the lock and the pid holding it', async () => {
    const out = await prepared('concurrent');
    const first = start(['score', ...NEW_INPUTS, '--out', out, '-q'], { CALLQA_DEBUG_PAUSE_AT: 'start', CALLQA_DEBUG_PAUSE_MS: '8000' });
    await first.waitFor('callqa: debug: paused at start');
    const lock = join(dir, '.concurrent.callqa-lock');
    const [second, report, english] = await Promise.all([
      runCli(['score', ...OLD_INPUTS, '--out', out, '-q']),
      runCli(['report', oldReport, '--out', out, '-q']),
      runCli(['score', ...OLD_INPUTS, '--out', out, '-q', '--lang', 'en']),
    ]);
    expect(second.code).toBe(2);
    // In the rubric's language (zh-phone: zh-CN), or --lang's.
    expect(second.stderr).toBe(
      `callqa: 另一个本工具的运行（进程 ${first.child.pid}）正在向 ${out} 写入报告：其锁文件为 ${lock}；请等它结束，如该运行已不存在，可删除锁文件\n`,
    );
    expect(english.stderr).toBe(
      `callqa: another callqa run (pid ${first.child.pid}) is writing reports to ${out}: its lock is ${lock}; wait for it to end, or delete the lock if that run is gone\n`,
    );
    expect(report.code).toBe(2);
    expect(report.stderr).toContain(`其锁文件为 ${lock}`);
    expect(await first.exited).toBe(0);
    await expectNewSet(out, newSet);
    expect(await besides(out)).toEqual([]);
  }, 30_000);

  it("a lock left by a dead process is taken over, and the run's own lock is gone when it ends", async () => {
    const out = await prepared('stale-lock');
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((r) => dead.on('close', r));
    const lock = join(dir, '.stale-lock.callqa-lock');
    await writeFile(lock, `${JSON.stringify({ pid: dead.pid, host: hostname(), startedAt: '2026-01-01T00:00:00Z' })}\n`);
    expect((await runCli(['score', ...NEW_INPUTS, '--out', out, '-q'])).code).toBe(0);
    await expectNewSet(out, newSet);
    expect(await besides(out)).toEqual([]);
    // An empty lock (its writer died while writing it) is stale too.
    await writeFile(lock, '');
    expect((await runCli(['score', ...NEW_INPUTS, '--out', out, '-q'])).code).toBe(0);
    expect(await besides(out)).toEqual([]);
  }, 30_000);

  it('refuses a --out holding files callqa did not write (exit 2), and leaves them and the report as they were', async () => {
    const out = await prepared('users-files');
    await writeFile(join(out, 'notes.txt'), 'mine');
    await writeFile(join(out, 'coaching', 'plan.docx'), 'mine too');
    const before = await snapshot(out);
    const run = await runCli(['score', ...NEW_INPUTS, '--out', out, '-q', '--lang', 'en']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `callqa: --out ${out} holds files callqa did not write (coaching/plan.docx, notes.txt): callqa replaces its report directory as a whole, so name a new or empty directory, or one callqa wrote\n`,
    );
    expect(await snapshot(out)).toEqual(before);
    expect(await besides(out)).toEqual([]);
  });

  it('an empty directory is taken; a file is refused; the current directory is refused', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    expect((await runCli(['score', ...NEW_INPUTS, '--out', empty, '-q'])).code).toBe(0);
    await expectNewSet(empty, newSet);
    const file = join(dir, 'a-file');
    await writeFile(file, 'x');
    const onFile = await runCli(['score', ...NEW_INPUTS, '--out', file, '-q']);
    expect([onFile.code, onFile.stderr]).toEqual([2, `callqa: --out ${file} 不是目录\n`]);
    const here = join(dir, 'here');
    await mkdir(here);
    const inputs = NEW_INPUTS.map((p) => join(ROOT, p));
    const cwd = await runCli(['score', ...inputs, '--out', '.', '-q', '--lang', 'en'], { cwd: here });
    expect([cwd.code, cwd.stderr]).toEqual([
      2,
      'callqa: --out . is the current directory or holds it: callqa replaces its report directory as a whole; name another directory\n',
    ]);
    expect(await readdir(here)).toEqual([]);
  });

  it('a --out that is a link to a directory: the link stays and its directory gets the new report', async () => {
    const target = await prepared('link-target');
    const link = join(dir, 'link');
    await symlink(target, link);
    expect((await runCli(['score', ...NEW_INPUTS, '--out', link, '-q'])).code).toBe(0);
    expect((await import('node:fs/promises').then((fs) => fs.lstat(link))).isSymbolicLink()).toBe(true);
    await expectNewSet(target, newSet);
  });

  it('--resume after SIGINT reads the staging directory the interrupted run left and gives the same reports', async () => {
    const out = await prepared('resume');
    const run = start(['score', ...OLD_INPUTS, '--out', out, '-q', '--jobs', '1'], { CALLQA_DEBUG_PAUSE_AT: 'staged', CALLQA_DEBUG_PAUSE_MS: '1500' });
    await run.waitFor('callqa: debug: paused at staged');
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    const resumed = await runCli(['score', ...OLD_INPUTS, '--out', out, '--resume', '--jobs', '1']);
    expect(resumed.code).toBe(0);
    // Every input but the last (which may have stopped half way) came from the interrupted run.
    expect(resumed.stdout).toContain('10 个输入文件沿用上次中断的结果（--resume）');
    const got = await snapshot(out);
    for (const f of STABLE) expect(got.get(f), f).toBe(oldSet.get(f));
    expect(await besides(out)).toEqual([]);
  }, 30_000);
});
