import { type Translator, translator } from '../i18n/format.js';
import type { Lang } from '../i18n/lang.js';
import type { Rubric } from '../rubric/load.js';
import { runRubricTests } from '../rubric/run-tests.js';
import { EXIT } from './exit-codes.js';
import { loadRubricOrReport } from './score-plan.js';
import type { Streams } from './score.js';

/**
 * Runs the rubric's tests; prints each failure with expected vs got. True when all pass. The last line,
 * `tests: N passed, N failed`, is the same in every language: CI reads it.
 */
function reportTests(rubric: Rubric, io: Streams, verbose: boolean, say: Translator): boolean {
  const outcomes = runRubricTests(rubric);
  const failed = outcomes.filter((o) => !o.passed);
  for (const o of outcomes) {
    if (o.passed) {
      if (verbose) io.stdout.write(`${say('rubric.test-ok', { name: o.name })}\n`);
      continue;
    }
    io.stdout.write(`${say('rubric.test-fail', { name: o.name })}\n${o.problems.map((p) => `        ${p}\n`).join('')}`);
  }
  io.stdout.write(`tests: ${outcomes.length - failed.length} passed, ${failed.length} failed\n`);
  return failed.length === 0;
}

/** The rubric's rules as its author reads them: the ids in English; in Chinese each title with its id (the id is what the YAML and the flags say). */
function ruleList(rubric: Rubric, say: Translator): string[] {
  return rubric.rules.map((r) => (rubric.lang === 'en' ? r.id : say('rubric.rule', { title: r.title, id: r.id })));
}

/** `callqa rubric check FILE`: 0 when valid and its tests pass, 1 when a test fails, 2 when invalid. In the rubric's language. */
export async function runRubricCheck(file: string, io: Streams): Promise<number> {
  const rubric = await loadRubricOrReport(file, io.stderr);
  if (!rubric) return EXIT.usage;
  const say = translator(rubric.lang);
  io.stdout.write(
    `${say('rubric.valid', { file, name: rubric.name, count: rubric.rules.length, rules: ruleList(rubric, say), passScore: rubric.passScore, tests: rubric.tests.length })}\n`,
  );
  return reportTests(rubric, io, false, say) ? EXIT.ok : EXIT.gate;
}

/** `callqa rubric test [FILE]`: runs the rubric's tests (the default rubric's without FILE); exit 1 on a failure. */
export async function runRubricTest(file: string | undefined, io: Streams, lang?: Lang): Promise<number> {
  const rubric = await loadRubricOrReport(file, io.stderr, lang);
  if (!rubric) return EXIT.usage;
  const say = translator(rubric.lang);
  io.stdout.write(`${say('rubric.tests', { file: rubric.path, count: rubric.tests.length })}\n`);
  if (rubric.tests.length === 0) {
    io.stdout.write(`${say('rubric.no-tests', { key: 'tests:', doc: 'README', section: 'Rubric tests' })}\n`);
    return EXIT.ok;
  }
  return reportTests(rubric, io, true, say) ? EXIT.ok : EXIT.gate;
}
