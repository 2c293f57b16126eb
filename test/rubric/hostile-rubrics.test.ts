import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRubric, RubricError } from '../../src/rubric/load.js';
import { runCli, tempDir } from '../helpers/cli.js';

// Issue 15 point 3: a rubric that `rubric check` accepts never crashes or hangs `score`; one it refuses,
// `score --rubric` refuses the same way (exit 2, the file and line named, no stack trace).

const CALL = '[00:01-00:04] 坐席：您好，aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\n[00:05-00:08] 客户：喂\n';

function aliasBomb(): string {
  const lines = ['name: bomb', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
  lines.push('rules:', '  greeting: {}');
  return `${lines.join('\n')}\n`;
}

const REFUSED: { name: string; yaml: string; line: number; words: string[] }[] = [
  {
    name: 'a backreference',
    yaml: "name: r\nrules:\n  bad:\n    type: phrases\n    phrases: ['/(a)\\1/']\n",
    line: 5,
    words: ['rules.bad.phrases[0]', 'backreference', 'RE2'],
  },
  {
    name: 'a lookahead in the middle',
    yaml: "name: r\nrules:\n  bad:\n    type: phrases\n    phrases: ['/a(?=b)c/']\n",
    line: 5,
    words: ['rules.bad.phrases[0]', 'lookahead'],
  },
  {
    name: 'rule id constructor',
    yaml: 'name: r\nrules:\n  constructor:\n    type: phrases\n    phrases: [您好]\n',
    line: 3,
    words: ['rules.constructor', '"constructor" is a reserved name'],
  },
  {
    name: 'rule id __proto__',
    yaml: 'name: r\nrules:\n  greeting: {}\n  __proto__:\n    type: phrases\n    phrases: [您好]\n',
    line: 4,
    words: ['rules.__proto__', '"__proto__" is a reserved name'],
  },
  {
    name: 'rule id toString',
    yaml: 'name: r\nrules:\n  toString:\n    type: phrases\n    phrases: [您好]\n',
    line: 3,
    words: ['rules.toString', 'reserved name'],
  },
  {
    name: 'rule id hasOwnProperty',
    yaml: 'name: r\nrules:\n  greeting: {}\n  hasOwnProperty: { type: phrases, phrases: [您好] }\n',
    line: 4,
    words: ['rules.hasOwnProperty', 'reserved name'],
  },
  {
    name: 'option key __proto__',
    yaml: 'name: r\nrules:\n  greeting:\n    __proto__: { deduction: 50 }\n',
    line: 4,
    words: ['rules.greeting.__proto__', 'reserved name'],
  },
  {
    name: 'option key constructor',
    yaml: 'name: r\nrules:\n  greeting:\n    constructor: 5\n',
    line: 4,
    words: ['rules.greeting.constructor', 'reserved name'],
  },
  { name: 'a YAML alias bomb (billion laughs)', yaml: aliasBomb(), line: 5, words: ['aliases (*name) copy more than 10000 values', 'alias bomb'] },
  {
    name: 'an expr nested 50,000 deep',
    yaml: `name: r\nrules:\n  greeting: {}\n  x:\n    type: expr\n    when: '${'('.repeat(50_000)}greeting${')'.repeat(50_000)}'\n`,
    line: 6,
    words: ['rules.x.when: invalid expression', 'column 101: nested more than 100 deep'],
  },
  {
    name: 'an expr of 50,000 "!"',
    yaml: `name: r\nrules:\n  greeting: {}\n  x:\n    type: expr\n    when: '${'!'.repeat(50_000)}greeting'\n`,
    line: 6,
    words: ['nested more than 100 deep'],
  },
  {
    name: 'YAML nested 50,000 deep',
    yaml: `name: r\nrules:\n  greeting: {}\nx: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`,
    line: 4,
    words: ['invalid YAML: nested too deeply to read'],
  },
];

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
  await writeFile(join(dir, 'call.txt'), CALL);
});

describe('rubric check and score --rubric refuse the same hostile rubrics: exit 2, file and line, no stack', () => {
  it.each(REFUSED)(
    '$name',
    async ({ name, yaml, line, words }) => {
      const file = join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
      await writeFile(file, yaml);
      const check = await runCli(['rubric', 'check', file]);
      const score = await runCli(['score', join(dir, 'call.txt'), '--rubric', file, '--out', join(dir, 'out'), '-q']);
      for (const run of [check, score]) {
        expect(run.code).toBe(2);
        expect(run.stderr).toContain('callqa: the rubric is not valid:');
        expect(run.stderr).toContain(`${file}:${line}: `);
        for (const w of words) expect(run.stderr).toContain(w);
        expect(run.stderr).not.toContain('    at ');
        expect(run.stderr).not.toContain('internal error');
      }
      // Both say the same thing: one validation path.
      expect(score.stderr).toBe(check.stderr);
    },
    60_000,
  );
});

describe('a ReDoS regex runs in linear time', () => {
  it('/(a+)+$/: rubric check accepts it and score finishes on 40 "a" and a "b" (exit 0)', async () => {
    const file = join(dir, 'redos.yaml');
    await writeFile(file, "name: redos\nrules:\n  bad:\n    type: phrases\n    phrases: ['/(a+)+$/']\n    expect: absent\n");
    const check = await runCli(['rubric', 'check', file]);
    expect(check.code).toBe(0);
    const started = Date.now();
    const score = await runCli(['score', join(dir, 'call.txt'), '--rubric', file, '--out', join(dir, 'redos-out'), '-q']);
    expect(score.code).toBe(0);
    expect(score.stderr).not.toContain('    at ');
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 60_000);
});

describe('colloquial words that repeat each other (好, 好好) run in linear time', () => {
  it('a clause of 60 好 and an x scores at once (a backtracking engine took minutes)', async () => {
    const file = join(dir, 'colloquial.yaml');
    await writeFile(file, 'name: c\nrules:\n  colloquial-words:\n    words: { 好: 好的, 好好: 好的 }\n');
    await writeFile(
      join(dir, 'good.txt'),
      `[00:01-00:04] 坐席：您好\n[00:05-00:08] 客户：喂\n[00:09-00:12] 坐席：${'好'.repeat(60)}x\n[00:13-00:14] 坐席：好好\n`,
    );
    const started = Date.now();
    const score = await runCli(['score', join(dir, 'good.txt'), '--rubric', file, '--out', join(dir, 'colloquial-out'), '-q']);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(score.stderr).not.toContain('    at ');
    expect(score.code).toBe(0);
    const findings = await readFile(join(dir, 'colloquial-out', 'findings.csv'), 'utf8');
    // The 60 好 and an x open with 好好 and go on (read as a reply opening, like unpunctuated 行我帮您查); the bare 好好 at 00:13 is one too.
    expect(findings.split('\r\n').slice(1)).toEqual([
      `good,,,colloquial-words,9,00:09,2,"colloquial reply ""好好"": say 好的 instead",${'好'.repeat(60)}x,deducted,F-67c0f0bc7408bfcc,,`,
      'good,,,colloquial-words,13,00:13,2,"colloquial reply ""好好"": say 好的 instead",好好,deducted,F-4df9c95b6d1b17aa,,',
      '',
    ]);
  }, 60_000);
});

describe('parseRubric on prototype names (in process)', () => {
  const problems = (yaml: string) => {
    try {
      parseRubric(yaml, 'r.yaml');
      return [];
    } catch (err) {
      if (!(err instanceof RubricError)) throw err;
      return err.problems;
    }
  };

  it('refuses constructor in a test expectation and a greeting element name, with the line', () => {
    expect(problems('name: r\nrules:\n  greeting: {}\ntests:\n  - name: t\n    turns: [坐席：您好]\n    expect: { constructor: pass }\n')).toEqual([
      'r.yaml:7: tests[0].expect.constructor: "constructor" is a reserved name (every JavaScript object has it); use another key or rule id',
    ]);
    expect(problems('name: r\nrules:\n  greeting:\n    elements:\n      valueOf: [您好]\n')).toEqual([
      'r.yaml:5: rules.greeting.elements.valueOf: "valueOf" is a reserved name (every JavaScript object has it); use another key or rule id',
    ]);
  });

  it('refuses an LLM criterion id that is such a name', () => {
    expect(
      problems('name: r\nrules:\n  greeting: {}\nllm:\n  criteria:\n    - id: __proto__\n      question: q?\n      max_score: 5\n      deduction: 5\n'),
    ).toEqual(['r.yaml:6: llm.criteria[0].id: a reserved name (every JavaScript object has it); use another id']);
  });

  it('still reads ids that merely contain such a name, and scores them', () => {
    expect(problems('name: r\nrules:\n  constructor-check:\n    type: phrases\n    phrases: [您好]\n')).toEqual([]);
  });
});
