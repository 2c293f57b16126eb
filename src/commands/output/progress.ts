import { createRequire } from 'node:module';
import { figure, translator } from '../../i18n/format.js';
import { DEFAULT_LANG, type Lang } from '../../i18n/lang.js';
import { clock, round } from '../../util/format.js';
import { displayWidth, form } from './summary.js';

/**
 * A progress bar on stderr while a run scores: files done of the total, calls a second, time left.
 * Drawn only on a terminal (and not with --quiet): a log file or a pipe gets nothing, so reports
 * and CI logs stay clean. cli-progress is loaded only when the bar is drawn.
 */
export interface Progress {
  /** The run so far: files read (all of them, scored or not) and calls scored, both totals. */
  tick(filesDone: number, callsDone: number): void;
  /** The number of input files, once known (discovery streams: the bar starts without one). */
  setTotal(files: number): void;
  /** Clears the bar's line. Call it before printing the summary, and on every way out. */
  stop(): void;
}

export interface ProgressOptions {
  /** Input files, when known; 0 or undefined: not yet known. */
  total?: number;
  /** Where to draw: stderr. Nothing is written unless it is a terminal (`isTTY`). */
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** False with --quiet. */
  enabled: boolean;
  /** The clock, for tests. */
  now?: () => number;
  /** The run's language (English without one). */
  lang?: Lang | undefined;
}

const NO_PROGRESS: Progress = { tick() {}, setTotal() {}, stop() {} };

export interface ProgressState {
  files: number;
  total?: number;
  calls: number;
  /** Seconds since the run started. */
  elapsed: number;
  /** Width of the bar in characters (default 24). */
  barSize?: number;
  /** The terminal's columns: the bar shrinks, then goes, so the line never wraps. */
  width?: number;
}

/**
 * One line of the bar, in the run's language: `[████████░░░░░░░░] 12/40 files · 57 calls · 23.4 calls/s · ETA 00:42`;
 * without a total yet, `12 files · 57 calls · 23.4 calls/s`. The ETA extrapolates files done so far.
 */
export function renderProgress({ files, total, calls, elapsed, barSize = 24, width }: ProgressState, lang: Lang = DEFAULT_LANG): string {
  const say = translator(lang);
  const rate = elapsed > 0 ? calls / elapsed : 0;
  const rateText = figure(lang, round(rate, 1), 1);
  const speed = `${say(`progress.calls.${form(calls)}`, { count: calls })} · ${say('progress.rate', { rate: rateText })}`;
  if (!total || total <= 0) return `${say(`progress.files.${form(files)}`, { count: files })} · ${speed}`;
  const done = Math.min(files, total);
  const eta = done > 0 && elapsed > 0 ? clock(Math.max(0, (elapsed / done) * (total - done))) : '--:--';
  const text = `${say('progress.files-of', { done, total })} · ${speed} · ${say('progress.eta', { eta })}`;
  // Keep a column free: writing into the last one wraps the cursor on some terminals. Han characters take two.
  const size = width === undefined ? barSize : Math.min(barSize, width - 1 - displayWidth(text) - 3);
  if (size <= 0 || (size < 5 && size < barSize)) return text;
  const filled = Math.round((done / total) * size);
  return `[${'█'.repeat(filled)}${'░'.repeat(size - filled)}] ${text}`;
}

type CliProgress = typeof import('cli-progress');

/**
 * The bar, or a no-op when disabled or when `stream` is not a terminal (then cli-progress is not
 * even loaded and nothing is ever written). `tick` is cheap: cli-progress redraws at most 10 times a second.
 */
export function createProgress({ total, stream, enabled, now = Date.now, lang }: ProgressOptions): Progress {
  if (!enabled || stream.isTTY !== true) return NO_PROGRESS;
  // CommonJS, loaded synchronously on first use only, so `callqa --help` and quiet runs never pay for it.
  const { SingleBar } = createRequire(import.meta.url)('cli-progress') as CliProgress;
  const started = now();
  const state = { files: 0, calls: 0, total: total && total > 0 ? total : 0 };
  const bar = new SingleBar({
    stream: stream as NodeJS.WriteStream,
    format: (_options, params) =>
      renderProgress(
        {
          width: params.maxWidth,
          files: state.files,
          calls: state.calls,
          elapsed: (now() - started) / 1000,
          ...(state.total > 0 ? { total: state.total } : {}),
        },
        lang,
      ),
    fps: 10,
    // Leave the terminal as it was, even when the run is killed: no hidden cursor, no wrap mode.
    hideCursor: false,
    linewrap: true,
    gracefulExit: false,
    clearOnComplete: true,
    // The ETA and rate are ours; redraw on the timer even when the files count has not moved.
    forceRedraw: true,
  });
  // cli-progress redraws on a timer it does not unref: a run that forgot stop() would never exit.
  const internals = bar as unknown as { render?: () => void; timer?: { unref?: () => void } | null };
  const render = internals.render;
  if (typeof render === 'function') {
    internals.render = () => {
      render.call(bar);
      internals.timer?.unref?.();
    };
  }
  bar.start(state.total, 0);
  let stopped = false;
  return {
    tick(filesDone, callsDone) {
      if (stopped) return;
      state.files = filesDone;
      state.calls = callsDone;
      bar.update(filesDone);
    },
    setTotal(files) {
      if (stopped) return;
      state.total = files > 0 ? files : 0;
      bar.setTotal(state.total);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}
