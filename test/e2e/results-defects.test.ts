import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, readCsv, ROOT, runCli, tempDir } from '../helpers/cli.js';

/** Issue 15, point 5: defects in results (missing paths, --metadata, duplicate call ids, times, signals). */

const CORE = 'test/data/core-rubric.yaml';

const call = (id: string, agent = 'A1') => ({
  call_id: id,
  agent: { id: agent, name: '王芳' },
  hangup_by: 'customer',
  segments: [
    { speaker: 'agent', start: 0, end: 8, text: '您好，这里是星辰通信，我是王芳，很高兴为您服务' },
    { speaker: 'customer', start: 8.5, end: 12, text: '网断了' },
    { speaker: 'agent', start: 12.5, end: 20.5, text: '好的，马上为您查询，请您稍等' },
  ],
});

describe('a mistyped input path', () => {
  it('exits 2 before scoring anything, naming each missing path with the reason, and writes no report', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.json'), JSON.stringify(call('C-1')));
    const out = join(dir, 'r');
    const run = await runCli(['score', '--rubric', CORE, join(dir, 'a.json'), join(dir, 'typo.json'), join(dir, 'no-dir'), '--out', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `callqa: ${join(dir, 'typo.json')}: no such file or directory\n` +
        `callqa: ${join(dir, 'no-dir')}: no such file or directory\n` +
        'callqa: 2 inputs do not exist; nothing was scored and no report written\n',
    );
    await expect(readdir(out)).rejects.toThrow('ENOENT');
  });

  it('one missing path alone: exit 2, the path and "no such file or directory"', async () => {
    const dir = await tempDir();
    const run = await runCli(['score', '--rubric', CORE, join(dir, 'nope.json'), '--out', join(dir, 'r')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `callqa: ${join(dir, 'nope.json')}: no such file or directory\ncallqa: an input does not exist; nothing was scored and no report written\n`,
    );
    await expect(readdir(join(dir, 'r'))).rejects.toThrow('ENOENT');
  });

  it('a path under a file is "not a directory" (exit 2); a dangling link exists and is listed in errors.csv (exit 3)', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.json'), JSON.stringify(call('C-1')));
    const under = await runCli(['score', '--rubric', CORE, join(dir, 'a.json', 'b.json'), '--out', join(dir, 'r')]);
    expect(under.code).toBe(2);
    expect(under.stderr).toContain(`callqa: ${join(dir, 'a.json', 'b.json')}: not a directory\n`);
    await symlink(join(dir, 'gone.json'), join(dir, 'link.json'));
    const dangling = await runCli(['score', '--rubric', CORE, join(dir, 'a.json'), join(dir, 'link.json'), '--out', join(dir, 'r2'), '-q']);
    expect(dangling.code).toBe(3);
    expect((await readCsv(join(dir, 'r2', 'calls.csv'))).map((c) => c.call_id)).toEqual(['C-1']);
    expect((await readCsv(join(dir, 'r2', 'errors.csv'))).map((e) => e.source)).toEqual([join(dir, 'link.json')]);
  });
});

describe('--metadata FILE takes one file and is repeatable', () => {
  it('score a.json --metadata m.csv b.json scores both a and b, with the records joined', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.json'), JSON.stringify(call('C-1')));
    await writeFile(join(dir, 'b.json'), JSON.stringify(call('C-2')));
    await writeFile(join(dir, 'm.csv'), 'call_id,queue\nC-1,宽带报障\n');
    await writeFile(join(dir, 'n.csv'), 'call_id,queue\nC-2,账单咨询\n');
    const run = await runCli([
      'score',
      '--rubric',
      CORE,
      join(dir, 'a.json'),
      '--metadata',
      join(dir, 'm.csv'),
      join(dir, 'b.json'),
      '--out',
      join(dir, 'r'),
      '-q',
    ]);
    expect(run.stderr).toBe('');
    // C-2 has no record: listed in unmatched.csv, which is not an error.
    expect(run.code).toBe(0);
    expect((await readCsv(join(dir, 'r', 'calls.csv'))).map((c) => [c.call_id, c.queue])).toEqual([
      ['C-1', '宽带报障'],
      ['C-2', ''],
    ]);
    const two = await runCli([
      'score',
      '--rubric',
      CORE,
      join(dir, 'a.json'),
      '--metadata',
      join(dir, 'm.csv'),
      join(dir, 'b.json'),
      '--metadata',
      join(dir, 'n.csv'),
      '--out',
      join(dir, 'r2'),
      '-q',
    ]);
    expect(two.code).toBe(0);
    expect((await readCsv(join(dir, 'r2', 'calls.csv'))).map((c) => [c.call_id, c.queue])).toEqual([
      ['C-1', '宽带报障'],
      ['C-2', '账单咨询'],
    ]);
    const info = JSON.parse(await readFile(join(dir, 'r2', 'run.json'), 'utf8'));
    expect(info.inputs.files).toBe(2);
  });

  it('no option of callqa score takes more than one value (none is variadic)', async () => {
    const cli = await readFile(join(ROOT, 'src', 'cli.ts'), 'utf8');
    expect(cli.match(/\.option\(\s*'[^']*\.\.\.[>\]]/g)).toBeNull();
    expect(cli.match(/new Option\(\s*'[^']*\.\.\.[>\]]/g)).toBeNull();
  });
});

describe('duplicate call ids', () => {
  it('callqa score scores two calls with one id from different sources, and lists the id on stderr and in run.json', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'in'));
    await writeFile(join(dir, 'in', 'a.json'), JSON.stringify(call('C-1', 'A1')));
    await writeFile(join(dir, 'in', 'b.json'), JSON.stringify([call('C-1', 'A2'), call('C-2', 'A2')]));
    const out = join(dir, 'r');
    const run = await runCli(['score', '--rubric', CORE, join(dir, 'in'), '--out', out, '-q']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      'callqa: note: 1 call id is used by more than one call; every call was scored (run.json lists them in duplicate_call_ids):\n' +
        `  "C-1": ${join(dir, 'in', 'a.json')}, ${join(dir, 'in', 'b.json')}\n`,
    );
    expect((await readCsv(join(out, 'calls.csv'))).map((c) => [c.call_id, c.agent_id])).toEqual([
      ['C-1', 'A1'],
      ['C-1', 'A2'],
      ['C-2', 'A2'],
    ]);
    const info = JSON.parse(await readFile(join(out, 'run.json'), 'utf8'));
    expect(info.duplicate_call_ids).toEqual([{ call_id: 'C-1', sources: [join(dir, 'in', 'a.json'), join(dir, 'in', 'b.json')] }]);
    expect(info.duplicate_call_id_count).toBe(1);
    expect(info.inputs.calls).toBe(3);

    // callqa report renders the run as it is (the duplicates are different calls), and lists them the same way.
    const again = await runCli(['report', out, '--out', join(dir, 'again'), '-q']);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe(run.stderr);
    const merged = JSON.parse(await readFile(join(dir, 'again', 'run.json'), 'utf8'));
    expect(merged.duplicate_call_ids).toEqual(info.duplicate_call_ids);

    // Without duplicates run.json has no such field.
    const clean = await runCli(['score', '--rubric', CORE, join(dir, 'in', 'a.json'), '--out', join(dir, 'clean'), '-q']);
    expect(clean.stderr).toBe('');
    expect(JSON.parse(await readFile(join(dir, 'clean', 'run.json'), 'utf8'))).not.toHaveProperty('duplicate_call_ids');
  });

  it('callqa report refuses the same shard given twice (exit 2), naming the duplicate calls, and writes nothing', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'in'));
    await writeFile(join(dir, 'in', 'a.json'), JSON.stringify([call('C-1'), call('C-2')]));
    await writeFile(join(dir, 'in', 'b.json'), JSON.stringify(call('C-3')));
    const shard = join(dir, 'shard-0');
    expect((await runCli(['score', '--rubric', CORE, join(dir, 'in'), '--out', shard, '-q'])).code).toBe(0);
    // A copy of the shard's results (another machine's download of the same artefact).
    const copy = join(dir, 'shard-0-copy');
    await mkdir(copy);
    for (const f of ['results.jsonl', 'run.json']) await writeFile(join(copy, f), await readFile(join(shard, f)));
    const out = join(dir, 'all');
    const run = await runCli(['report', shard, copy, '--out', out, '-q']);
    expect(run.code).toBe(2);
    const a = join(dir, 'in', 'a.json');
    const results = (d: string) => join(d, 'results.jsonl');
    expect(run.stderr).toBe(
      'callqa: 3 calls are in more than one results file, so they would count twice (the same shard given twice, or runs that scored the same source): ' +
        `call "C-1" of ${a} (${results(shard)}:1 and ${results(copy)}:1); call "C-2" of ${a} (${results(shard)}:2 and ${results(copy)}:2); ` +
        `call "C-3" of ${join(dir, 'in', 'b.json')} (${results(shard)}:3 and ${results(copy)}:3); give each run once, or merge runs over different inputs\n` +
        'no reports were written\n',
    );
    expect(await readdir(out).catch(() => [])).toEqual([]);
  });
});

describe('times that go backwards, and absurd times', () => {
  it('each is a located row in errors.csv, whatever the format; the other calls are scored with their durations', async () => {
    const dir = await tempDir();
    const inDir = join(dir, 'in');
    await mkdir(inDir);
    const head = '# call_id: T-1\n# hangup_by: customer\n';
    await writeFile(
      join(inDir, 'a-backwards.txt'),
      `${head}[00:00.0-00:04.0] 坐席：您好，这里是星辰通信\n[00:10.0-00:12.0] 客户：网断了\n[00:05.0-00:08.0] 坐席：好的\n`,
    );
    await writeFile(join(inDir, 'b-reversed.txt'), `${head}[00:00.0-00:04.0] 坐席：您好，这里是星辰通信\n[00:10.0-00:05.0] 客户：网断了\n`);
    const huge = call('J-1');
    (huge.segments[1] as { end: number }).end = 1e308;
    await writeFile(join(inDir, 'c-huge.json'), JSON.stringify(huge, null, 1));
    await writeFile(join(inDir, 'd-epoch.csv'), 'call_id,speaker,start,end,text\nK-1,agent,0,4,您好\nK-1,customer,5,2592000,网断了\n');
    // A long call that is still a call: 6 days 23:59:59 — its duration is shown.
    await writeFile(join(inDir, 'e-long.txt'), '# call_id: L-1\n[00:00:00] 坐席：您好，这里是星辰通信\n[167:59:59-167:59:59] 客户：再见\n');
    const out = join(dir, 'r');
    const run = await runCli(['score', '--rubric', CORE, inDir, '--time-unit', 's', '--out', out, '-q']);
    expect(run.code).toBe(3);
    const limit = 'is more than 7 days (604800 s) from the start of the call; expected seconds from the start of the call';
    expect((await readCsv(join(out, 'errors.csv'))).map((e) => [e.source?.slice(inDir.length + 1), e.line, e.error])).toEqual([
      ['a-backwards.txt', '5', 'timestamp goes backwards: expected each start at or after the previous one'],
      ['b-reversed.txt', '4', 'invalid timestamp [00:10.0-00:05.0]: the end is before the start'],
      ['c-huge.json', '18', `segments[1].end: 1e+308 s (1.16e+303 days) ${limit}`],
      ['d-epoch.csv', '2', `call K-1: utterance 2: *****00 s (30 days) ${limit}`],
    ]);
    expect((await readCsv(join(out, 'calls.csv'))).map((c) => [c.call_id, c.duration_seconds])).toEqual([['L-1', '604799']]);
  });
});

describe('a run stopped by a signal', () => {
  /** callqa score reading standard input that never ends (a slow input), stopped by `signal` once its report directory is open (staged). */
  async function stopped(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const dir = await tempDir();
    const out = join(dir, 'r');
    const child = spawn(process.execPath, [BIN, 'score', '--rubric', CORE, '-', '--out', out, '-q'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (code, sig) => resolve({ code, signal: sig })),
    );
    // Half a call, and the input left open: the run waits for the rest.
    child.stdin.write('{"call_id": "S-1", "segments": [');
    // The run writes into a staging directory beside --out (`.r.callqa-new-PID`) until it ends.
    for (let waited = 0; waited < 20_000; waited += 20) {
      if ((await readdir(dir)).some((name) => name.startsWith('.r.callqa-new-'))) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 300));
    child.kill(signal);
    const result = await exited;
    child.stdin.destroy();
    return result;
  }

  it('SIGTERM exits 143 and SIGINT 130 (128 + the signal number)', async () => {
    expect(await stopped('SIGTERM')).toEqual({ code: 143, signal: null });
    expect(await stopped('SIGINT')).toEqual({ code: 130, signal: null });
  }, 60_000);
});
