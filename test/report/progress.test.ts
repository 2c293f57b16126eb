import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, renderProgress } from '../../src/commands/output/progress.js';

/** A stream that records what is written; a terminal when `tty`. */
function sink(tty: boolean) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as Writable & { isTTY?: boolean; columns?: number };
  if (tty) {
    stream.isTTY = true;
    stream.columns = 120;
  }
  return { stream, text: () => chunks.join('') };
}

describe('renderProgress', () => {
  it('shows the bar, files done of the total, calls, calls a second and the time left', () => {
    expect(renderProgress({ files: 10, total: 40, calls: 57, elapsed: 20, barSize: 8 })).toBe('[██░░░░░░] 10/40 files · 57 calls · 2.9 calls/s · ETA 01:00');
    expect(renderProgress({ files: 40, total: 40, calls: 1, elapsed: 3, barSize: 4 })).toBe('[████] 40/40 files · 1 call · 0.3 calls/s · ETA 00:00');
  });

  it('shrinks the bar to fit the terminal, and drops it on a narrow one', () => {
    expect(renderProgress({ files: 0, total: 3, calls: 0, elapsed: 0, width: 60 })).toBe('[░░░░░░░░░░░] 0/3 files · 0 calls · 0.0 calls/s · ETA --:--');
    expect(renderProgress({ files: 0, total: 3, calls: 0, elapsed: 0, width: 40 })).toBe('0/3 files · 0 calls · 0.0 calls/s · ETA --:--');
  });

  it('has no ETA before the first file and no bar before the total is known', () => {
    expect(renderProgress({ files: 0, total: 5, calls: 0, elapsed: 0, barSize: 5 })).toBe('[░░░░░] 0/5 files · 0 calls · 0.0 calls/s · ETA --:--');
    expect(renderProgress({ files: 1, calls: 3, elapsed: 2 })).toBe('1 file · 3 calls · 1.5 calls/s');
  });
});

describe('createProgress', () => {
  it('writes nothing at all when stderr is not a terminal (a log file, a pipe, CI)', () => {
    const { stream, text } = sink(false);
    const progress = createProgress({ total: 3, stream, enabled: true });
    progress.tick(1, 5);
    progress.setTotal(4);
    progress.tick(4, 9);
    progress.stop();
    expect(text()).toBe('');
  });

  it('writes nothing on a terminal with --quiet', () => {
    const { stream, text } = sink(true);
    const progress = createProgress({ total: 3, stream, enabled: false });
    progress.tick(1, 5);
    progress.stop();
    expect(text()).toBe('');
  });

  it('draws on a terminal and clears its line when stopped', () => {
    const { stream, text } = sink(true);
    let now = 1_000_000;
    const progress = createProgress({ total: 4, stream, enabled: true, now: () => now });
    expect(text()).toContain('0/4 files · 0 calls · 0.0 calls/s · ETA --:--');
    now += 5000;
    progress.tick(2, 10);
    progress.stop();
    const out = text();
    expect(out).toContain('2/4 files · 10 calls · 2.0 calls/s · ETA 00:05');
    // The last thing written clears the bar's line, so the summary starts on a clean line.
    expect(out.endsWith('\u001b[2K')).toBe(true);
    const length = out.length;
    progress.tick(3, 12);
    progress.stop();
    expect(text().length).toBe(length);
  });

  it('starts without a total and takes it when known', () => {
    const { stream, text } = sink(true);
    let now = 0;
    const progress = createProgress({ stream, enabled: true, now: () => now });
    expect(text()).toContain('0 files · 0 calls');
    progress.setTotal(10);
    now = 4000;
    progress.tick(5, 20);
    progress.stop();
    expect(text()).toContain('5/10 files · 20 calls · 5.0 calls/s · ETA 00:04');
  });
});

describe('the redraw timer', () => {
  it('does not keep the process alive when stop() is forgotten', async () => {
    const { spawnSync } = await import('node:child_process');
    const script = `
      import { Writable } from 'node:stream';
      import { createProgress } from ${JSON.stringify(new URL('../../dist/commands/output/progress.js', import.meta.url).href)};
      const stream = new Writable({ write(_c, _e, done) { done(); } });
      stream.isTTY = true;
      createProgress({ total: 2, stream, enabled: true }).tick(1, 1);
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { timeout: 5000 });
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(0);
  });
});
