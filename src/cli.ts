import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT } from './commands/exit-codes.js';
import { VERSION } from './version.js';

function number(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number, got "${value}"`);
  return n;
}

/**
 * The command line: commander wiring only. Commands are imported when they run, so `--help`
 * does not pay for the rubric, script conversion or CSV code.
 */
export async function main(argv: readonly string[], io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command()
    .name('callqa')
    .description('Score call-centre transcripts against a service standard; write per-call, per-agent and findings CSV.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run callqa --help for usage)');

  program
    .command('score')
    .description('score transcripts (files, directories, or - for JSON/JSONL on standard input)')
    .argument('<inputs...>', 'transcript files or directories (.json, .jsonl, .txt), or -')
    .option('-r, --rubric <file>', 'rubric YAML file, or the name of a shipped rubric (default: zh-phone)')
    .option('-o, --out <dir>', 'report directory', 'callqa-report')
    .option('--no-bom', 'write CSV without the UTF-8 byte order mark Excel needs')
    .addOption(new Option('--fail-under <score>', 'exit 1 when any call scores below this').argParser(number))
    .option('-q, --quiet', 'print no summary', false)
    .action(async (inputs: string[], opts: { rubric?: string; out: string; bom: boolean; failUnder?: number; quiet: boolean }) => {
      const { runScore } = await import('./commands/score.js');
      code = await runScore(inputs, opts, io);
    });

  const rubric = program.command('rubric').description('work with rubric files');
  rubric
    .command('check')
    .description('validate a rubric file (exit 0 when valid, 2 otherwise)')
    .argument('<file>', 'rubric YAML file or shipped rubric name')
    .action(async (file: string) => {
      const { runRubricCheck } = await import('./commands/rubric.js');
      code = await runRubricCheck(file, io);
    });

  program
    .command('rules')
    .description('list the rules with their options, defaults and the passage of the standard each enforces')
    .action(async () => {
      const { renderRules } = await import('./commands/rules.js');
      io.stdout.write(renderRules());
    });

  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    io.stderr.write(`callqa: internal error: ${(err as Error).stack ?? String(err)}\n`);
    return EXIT.usage;
  }
  return code;
}
