import chalk, { Chalk } from 'chalk';
import { discoverInputs, type InputTally, readInput } from '../ingest/index.js';
import { prepareCall } from '../normalise/call.js';
import { ReportDir } from '../report/report-dir.js';
import { renderSummary, type RunTotals } from '../report/summary.js';
import { loadRubric, RubricError, type Rubric } from '../rubric/load.js';
import { AgentAggregator } from '../scoring/agents.js';
import { scoreCall } from '../scoring/score-call.js';
import { EXIT } from './exit-codes.js';

export interface ScoreOptions {
  rubric?: string;
  out: string;
  bom: boolean;
  failUnder?: number;
  quiet: boolean;
}

export interface Streams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const MAX_GATE_CALLS_LISTED = 20;

/** Colour when stdout is a terminal that supports it (chalk decides), never when NO_COLOR is set (no-color.org). */
function terminalColours() {
  return process.env.NO_COLOR ? new Chalk({ level: 0 }) : chalk;
}

export async function loadRubricOrReport(rubricArg: string | undefined, stderr: NodeJS.WritableStream): Promise<Rubric | undefined> {
  try {
    return await loadRubric(rubricArg);
  } catch (err) {
    if (!(err instanceof RubricError)) throw err;
    stderr.write(`callqa: the rubric is not valid:\n${err.problems.map((p) => `  ${p}`).join('\n')}\n`);
    return undefined;
  }
}

/** `callqa score`: ingest → normalise → check → score → aggregate → report, one call at a time. */
export async function runScore(inputs: readonly string[], opts: ScoreOptions, io: Streams): Promise<number> {
  const rubric = await loadRubricOrReport(opts.rubric, io.stderr);
  if (!rubric) return EXIT.usage;
  const ruleIds = rubric.rules.map((r) => r.id);

  let report: ReportDir;
  try {
    report = await ReportDir.open(opts.out, ruleIds, { bom: opts.bom });
  } catch (err) {
    io.stderr.write(`callqa: cannot write reports to ${opts.out}: ${(err as Error).message}\n`);
    return EXIT.usage;
  }
  const onSignal = () => {
    void report.discard().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const tally: InputTally = { skipped: 0, skippedExtensions: new Map() };
  const agents = new AgentAggregator();
  const totals: RunTotals = {
    calls: 0,
    passed: 0,
    scoreSum: 0,
    files: 0,
    inputErrors: 0,
    skipped: 0,
    skippedExtensions: tally.skippedExtensions,
    outDir: opts.out,
    rubricName: rubric.name,
    passScore: rubric.passScore,
  };
  const belowGate: string[] = [];
  let belowGateCount = 0;

  try {
    for await (const item of discoverInputs(inputs, tally)) {
      totals.files++;
      for await (const parsed of readInput(item)) {
        if (parsed.error) {
          totals.inputErrors++;
          await report.addError(parsed.error);
          continue;
        }
        const result = scoreCall(prepareCall(parsed.call), rubric);
        for (const e of result.ruleErrors) {
          totals.inputErrors++;
          await report.addError({
            source: result.source,
            ...(result.line ? { line: result.line } : {}),
            error: `call ${result.callId}: rule ${e.rule} failed: ${e.error}`,
          });
        }
        totals.calls++;
        totals.scoreSum += result.score;
        if (result.passed) totals.passed++;
        agents.add(result);
        await report.addCall(result);
        if (opts.failUnder !== undefined && result.score < opts.failUnder) {
          belowGateCount++;
          if (belowGate.length < MAX_GATE_CALLS_LISTED) belowGate.push(`${result.callId} (${result.score})`);
        }
      }
    }
    totals.skipped = tally.skipped;
    if (totals.calls === 0 && totals.inputErrors === 0) {
      await report.discard();
      io.stderr.write(`callqa: no transcripts found in ${inputs.join(', ')} (expected .json, .jsonl or .txt files)\n`);
      return EXIT.usage;
    }
    await report.commit(agents.list());
  } catch (err) {
    await report.discard();
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  if (!opts.quiet) io.stdout.write(renderSummary(totals, agents.list(), terminalColours()));
  if (totals.inputErrors > 0) {
    io.stderr.write(`callqa: ${totals.inputErrors} input problem(s) listed in ${opts.out}/errors.csv\n`);
  }
  if (belowGateCount > 0) {
    io.stderr.write(
      `callqa: quality gate failed: ${belowGateCount} call(s) scored below ${opts.failUnder}: ${belowGate.join(', ')}${belowGateCount > belowGate.length ? ', …' : ''}\n`,
    );
    return EXIT.gate;
  }
  return totals.inputErrors > 0 ? EXIT.inputErrors : EXIT.ok;
}
