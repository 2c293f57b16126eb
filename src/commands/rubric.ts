import type { Lang } from '../i18n/lang.js';
import type { Rubric } from '../rubric/load.js';
import { runRubricTests } from '../rubric/run-tests.js';
import { EXIT } from './exit-codes.js';
import { loadRubricOrReport } from './score-plan.js';
import type { Streams } from './score.js';

/** Runs the rubric's tests; prints each failure with expected vs got. True when all pass. */
function reportTests(rubric: Rubric, io: Streams, verbose: boolean): boolean {
  const outcomes = runRubricTests(rubric);
  const failed = outcomes.filter((o) => !o.passed);
  for (const o of outcomes) {
    if (o.passed) {
      if (verbose) io.stdout.write(`  ok    ${o.name}\n`);
      continue;
    }
    io.stdout.write(`  FAIL  ${o.name}\n${o.problems.map((p) => `        ${p}\n`).join('')}`);
  }
  io.stdout.write(`tests: ${outcomes.length - failed.length} passed, ${failed.length} failed\n`);
  return failed.length === 0;
}

/** `callqa rubric check FILE`: 0 when valid and its tests pass, 1 when a test fails, 2 when invalid. */
export async function runRubricCheck(file: string, io: Streams): Promise<number> {
  const rubric = await loadRubricOrReport(file, io.stderr);
  if (!rubric) return EXIT.usage;
  io.stdout.write(
    `${file}: valid — "${rubric.name}", ${rubric.rules.length} rules (${rubric.rules.map((r) => r.id).join(', ')}), pass mark ${rubric.passScore}, ${rubric.tests.length} tests\n`,
  );
  return reportTests(rubric, io, false) ? EXIT.ok : EXIT.gate;
}

/** `callqa rubric test [FILE]`: runs the rubric's tests (the default rubric's without FILE); exit 1 on a failure. */
export async function runRubricTest(file: string | undefined, io: Streams, lang?: Lang): Promise<number> {
  const rubric = await loadRubricOrReport(file, io.stderr, lang);
  if (!rubric) return EXIT.usage;
  io.stdout.write(`${rubric.path}: ${rubric.tests.length} tests\n`);
  if (rubric.tests.length === 0) {
    io.stdout.write('no tests: add a tests: list to the rubric (see README, "Rubric tests")\n');
    return EXIT.ok;
  }
  return reportTests(rubric, io, true) ? EXIT.ok : EXIT.gate;
}
