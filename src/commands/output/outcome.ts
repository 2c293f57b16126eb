import chalk, { Chalk } from 'chalk';
import type { Baseline } from '../../results/baseline.js';
import { translator } from '../../i18n/format.js';
import { DEFAULT_LANG } from '../../i18n/lang.js';
import { formatGateFailures } from '../../run/gates.js';
import type { RunSinks } from '../../run/sinks.js';
import type { AgentStats } from '../../scoring/agents.js';
import { EXIT } from '../exit-codes.js';
import { renderSummary } from './summary.js';

/** Colour when stdout is a terminal that supports it (chalk decides), never when NO_COLOR is set (no-color.org). */
export function terminalColours() {
  return process.env.NO_COLOR ? new Chalk({ level: 0 }) : chalk;
}

export interface OutcomeOptions {
  out: string;
  quiet: boolean;
  baseline?: Baseline | undefined;
  /** Calls whose grading by the model failed. */
  llmErrors: number;
  /** The agents as the summary shows them (`callqa report`'s come from files: made printable). */
  shown?: (agents: AgentStats[]) => AgentStats[];
}

/**
 * The end of a run, `callqa score`'s or `callqa report`'s: the summary (unless quiet), the notes on
 * stderr, in the run's language, and the exit code — a broken gate first, then input problems, then the model's failures.
 */
export function runOutcome(sinks: RunSinks, opts: OutcomeOptions, io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): number {
  const { totals } = sinks;
  const lang = sinks.setup.rubric.lang ?? DEFAULT_LANG;
  const say = translator(lang);
  const agents = sinks.agents.list();
  if (!opts.quiet) io.stdout.write(renderSummary(totals, opts.shown ? opts.shown(agents) : agents, terminalColours()));
  io.stderr.write(sinks.duplicates.describe(lang));
  if (totals.inputErrors > 0) io.stderr.write(`callqa: ${say('outcome.input-errors', { count: totals.inputErrors, file: `${opts.out}/errors.csv` })}\n`);
  const broken = sinks.tracker.evaluate(agents, opts.baseline);
  if (broken.length > 0) {
    io.stderr.write(formatGateFailures(broken, lang));
    return EXIT.gate;
  }
  if (totals.inputErrors > 0) return EXIT.inputErrors;
  if (opts.llmErrors > 0) {
    io.stderr.write(`callqa: ${say('outcome.llm-failed', { count: opts.llmErrors, column: 'llm_status', file: 'calls.csv' })}\n`);
    return EXIT.llmErrors;
  }
  return EXIT.ok;
}
