import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT } from './commands/exit-codes.js';
import { SCORE_DEFAULTS as D } from './commands/score-defaults.js';
import { ArgumentProblem, collectMaxFailRate, parseFailUnder, parseMaxScoreDrop, parseRate, refuse } from './run/gate-flags.js';
import { VERSION } from './version.js';
import { type Translator, translate, translator } from './i18n/format.js';
import { isLang, type Lang, LANGS, localeLang } from './i18n/lang.js';
import { messageText } from './i18n/message.js';

function number(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw refuse('arg.number', { value });
  return n;
}

const CSV_FIELDS = ['call_id', 'agent_id', 'agent_name', 'speaker', 'channel', 'start', 'end', 'text', 'hangup_by', 'ring_seconds', 'started_at'];

/** --columns speaker=说话人,text=识别结果 → { speaker: '说话人', text: '识别结果' } */
function columnMap(value: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of value.split(',')) {
    const [key = '', ...rest] = pair.split('=');
    const column = rest.join('=').trim();
    if (!CSV_FIELDS.includes(key.trim()) || column === '') {
      throw refuse('arg.columns', { fields: CSV_FIELDS, value: pair });
    }
    map[key.trim()] = column;
  }
  return map;
}

function shard(value: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index >= count) throw refuse('arg.shard', { job: 'Kubernetes Indexed Job', value });
  return { index, count };
}

function nonNegative(value: string): number {
  const n = number(value);
  if (n < 0) throw refuse('arg.non-negative', { value });
  return n;
}

function positiveInt(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw refuse('arg.positive-int', { value });
  return Number(value);
}

function positiveNumber(value: string): number {
  const n = number(value);
  if (n <= 0) throw refuse('arg.positive', { value });
  return n;
}

function channel(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim())) throw refuse('arg.channel', { value });
  return n;
}

type Io = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };
/** What a command's action reports: its exit code. */
type Done = (code: number) => void;

/** The gates of `callqa score` and `callqa report`: each exits 1 when it breaks. */
function gates(command: Command, failOnCritical: boolean): Command {
  return command
    .addOption(new Option('--fail-under <score>', 'gate: exit 1 when any call scores below this').argParser(parseFailUnder))
    .option('--max-fail-rate <rule=rate>', 'gate: exit 1 when more than rate (0.05 or 5%) of calls fail rule (repeatable)', collectMaxFailRate, [])
    .option('--fail-on-critical', 'gate: exit 1 when any call fails a critical rule', failOnCritical)
    .addOption(
      new Option('--max-score-drop <points>', "gate: exit 1 when an agent's average fell by more than this against --baseline").argParser(parseMaxScoreDrop),
    );
}

/** `callqa score`. */
function scoreCommand(program: Command, io: Io, done: Done): void {
  gates(
    program
      .command('score')
      .description('score transcripts (files, directories, or - for JSON/JSONL on standard input)')
      .argument('<inputs...>', 'transcript files or directories, or - (callqa formats lists what is read)')
      .option('-r, --rubric <file>', 'rubric YAML file, or the name of a shipped rubric (zh-phone, en-phone)', undefined)
      .option('-o, --out <dir>', 'report directory', D.out)
      .option('--no-bom', 'write CSV without the UTF-8 byte order mark Excel needs')
      .addOption(
        new Option('--headers <style>', 'CSV header rows: ids (the stable column names) or localized (in --lang, for Excel)').choices(['ids', 'localized']),
      )
      .option('-q, --quiet', 'print no summary', D.quiet)
      .option('--input-format <name>', 'read every input as this format instead of detecting it (see callqa formats)')
      .option('--encoding <name>', 'decode every input as utf-8, utf-16le, utf-16be, gb18030 (gbk) or big5 instead of detecting it')
      .option('--columns <map>', 'CSV export columns for the canonical fields, e.g. speaker=说话人,text=识别结果', columnMap)
      .addOption(new Option('--time-unit <unit>', 'how CSV exports write plain-number times').choices(['s', 'ms']))
      .addOption(
        new Option('--channel <channel>', 'how the conversations of inputs that do not say took place: voice, chat (online) or social').choices([
          'voice',
          'chat',
          'social',
        ]),
      )
      .addOption(
        new Option('--max-record-mb <n>', 'the largest record read, in MB: a JSON Lines line, any other file whole; a larger one is listed in errors.csv')
          .argParser(positiveNumber)
          .default(D.maxRecordMb),
      )
      .option('--agent-speaker <label>', 'the speaker label of the agent in diarised transcripts (spk_1, SPEAKER_00)')
      .addOption(new Option('--agent-channel <n>', 'the recording channel of the agent (Alibaba: 0 unless given)').argParser(channel))
      .option('--agent-name <name>', "the agent's name as VTT voice tags or chat display names write it")
      .addOption(new Option('--direction <direction>', 'inbound or outbound: for calls that do not say; informs roles').choices(['inbound', 'outbound']))
      .option(
        '--metadata <file>',
        'call records joined by call id: CSV, JSON or JSONL; Amazon Connect CTRs and FreeSWITCH JSON CDRs are recognised (repeatable)',
        (file: string, files: string[]) => [...files, file],
        [],
      )
      .addOption(
        new Option('--customer-leg <direction>', "which FreeSWITCH leg is the customer's, for who hung up")
          .choices(['inbound', 'outbound'])
          .default(D.customerLeg),
      )
      .option('--llm', "grade the rubric's llm criteria with Claude (needs ANTHROPIC_API_KEY)", D.llm)
      .option('--llm-model <model>', "the model (default: the rubric's llm.model)")
      .addOption(new Option('--llm-samples <n>', 'grade each call n times and take the median per criterion').argParser(positiveInt).default(D.llmSamples))
      .option('--llm-send-pii', 'send ID, bank-card and phone numbers unmasked (they are masked by default)', D.llmSendPii)
      .addOption(new Option('--llm-concurrency <n>', 'requests in flight at most').argParser(positiveInt).default(D.llmConcurrency))
      .addOption(new Option('--llm-timeout <seconds>', 'give up on a call after this long, retries included').argParser(number).default(D.llmTimeout))
      .option('--llm-cache <dir>', 'where graded calls are cached (a second identical run sends nothing)', D.llmCache)
      .option('--no-llm-cache', 'neither read nor write the cache')
      .option('--llm-batch', 'send uncached calls through the Message Batches API (half price; for nightly audits)', D.llmBatch)
      .option('--llm-dry-run', 'send nothing: say how many calls would be graded, how many are cached, and the estimated tokens and cost', D.llmDryRun)
      .addOption(new Option('--llm-max-calls <n>', 'stop sending after n requests (the rest are skipped)').argParser(positiveInt))
      .addOption(new Option('--shard <k/n>', 'score only the inputs whose stable hash of the path falls in shard k of n (k from 0 to n−1)').argParser(shard))
      .option('--resume', 'skip inputs already scored in an interrupted run into the same --out with the same rubric', D.resume)
      .addOption(
        new Option('--jobs <n>', 'worker threads that score inputs (default: the number of cores; output is the same whatever n)').argParser(positiveInt),
      )
      .addOption(
        new Option('--input-timeout <seconds>', 'list an input that takes longer than this to score in errors.csv and go on (0: no limit)')
          .argParser(nonNegative)
          .default(D.inputTimeout),
      )
      .option('--coaching', 'write coaching/<agent>.md for each agent: frequent failures with advice and evidence, strengths', D.coaching)
      .option('--xlsx', 'write report.xlsx (sheets calls, agents, findings)', D.xlsx)
      .option(
        '--keep-transcripts',
        "keep every call's transcript in results.jsonl (by default only the calls with a page in report.html keep theirs)",
        D.keepTranscripts,
      )
      .option('--baseline <dir>', 'a previous report directory: agents.csv gains avg_score_delta and pass_rate_delta')
      .option(...reviewsOption())
      .addOption(langOption()),
    D.failOnCritical,
  ).action(async (inputs: string[], opts: import('./commands/score.js').ScoreOptions) => {
    // The workers load their modules while this thread loads the scoring code and the rubric.
    const { startWorkersEarly } = await import('./pipeline/workers.js');
    const started = startWorkersEarly(inputs, opts);
    const { runScore } = await import('./commands/score.js');
    done(await runScore(inputs, opts, io, started));
  });
}

/** `--reviews <file>` of `callqa score` and `callqa report`, repeatable as --metadata is. */
function reviewsOption(): [string, string, (file: string, files: string[]) => string[], string[]] {
  return [
    '--reviews <file>',
    "analysts' verdicts on findings (reviews.csv, a filled-in findings.csv): a rejected finding deducts nothing; the latest verdict on a finding wins (repeatable)",
    (file, files) => [...files, file],
    [],
  ];
}

/** `--lang`, on every command that writes for people. */
function langOption(): Option {
  return new Option('--lang <lang>', "the language of everything written for people (default: the rubric's language, else en)").choices(LANGS);
}

/** `callqa report`: saved results, merged. */
function reportCommand(program: Command, io: Io, done: Done): void {
  gates(
    program
      .command('report')
      .description('render every report again from saved results (results.jsonl); merge runs scored with one rubric')
      .argument('<results...>', 'results.jsonl files or report directories')
      .option('-o, --out <dir>', 'report directory', 'callqa-report')
      .option('--no-bom', 'write CSV without the UTF-8 byte order mark Excel needs')
      .addOption(
        new Option('--headers <style>', 'CSV header rows: ids (the stable column names) or localized (in --lang, for Excel)').choices(['ids', 'localized']),
      )
      .option('-q, --quiet', 'print no summary', false)
      .option('--coaching', 'write coaching/<agent>.md for each agent', false)
      .option('--xlsx', 'write report.xlsx (sheets calls, agents, findings)', false)
      .option('--keep-transcripts', 'keep every transcript the saved results hold (by default only the calls with a page keep theirs)', false)
      .option('--baseline <dir>', 'a previous report directory: agents.csv gains the change in score and pass rate')
      .option(...reviewsOption())
      .addOption(langOption()),
    false,
  ).action(async (files: string[], o: import('./commands/report.js').ReportOptions) => {
    const { runReport } = await import('./commands/report.js');
    done(await runReport(files, o, io));
  });
}

/** `callqa explain`. */
function explainCommand(program: Command, io: Io, done: Done): void {
  program
    .command('explain')
    .description('show one call in the terminal: every utterance with its time, findings inline, the score breakdown')
    .argument('<file>', 'a transcript (any format callqa reads), or results.jsonl / a report directory')
    .option('--call <id>', 'which call, when the file holds several')
    .option('-r, --rubric <file>', 'rubric for a transcript (default: zh-phone)')
    .addOption(
      new Option('--direction <direction>', 'inbound or outbound, for a transcript that does not say (it informs roles)').choices(['inbound', 'outbound']),
    )
    .addOption(langOption())
    .action(async (file: string, o: import('./commands/explain.js').ExplainOptions) => {
      const { runExplain } = await import('./commands/explain.js');
      done(await runExplain(file, o, io));
    });
}

/** `callqa calibrate`. */
function calibrateCommand(program: Command, io: Io, done: Done): void {
  program
    .command('calibrate')
    .description("compare callqa's outcomes with a reviewer's labels: agreement, precision, recall, F1 and Cohen's κ per rule; Spearman ρ with human scores")
    .argument(
      '[labels]',
      'labels file: CSV or JSON Lines with call_id, rule, verdict (pass | fail | n/a), optional note; human_score on a row with no rule (none with --reviews)',
    )
    .argument('[inputs...]', 'transcripts to score (files or directories), unless --results')
    .option('--results <file>', 'compare saved results (results.jsonl or a report directory) instead of scoring INPUT…')
    .option('-r, --rubric <file>', 'rubric for INPUT… (default: zh-phone)')
    .option('-o, --out <dir>', 'where calibration.csv, disagreements.csv and calibration.md go', 'callqa-calibration')
    .option('--no-bom', 'write CSV without the UTF-8 byte order mark Excel needs')
    .addOption(new Option('--min-agreement <x>', 'gate: exit 1 when a rule agrees with the labels less than this (0.95 or 95%)').argParser(parseRate))
    .addOption(new Option('--min-precision <x>', "gate: exit 1 when less than this share of a rule's deductions are labelled fail").argParser(parseRate))
    .option('--llm', "grade the labelled calls on the rubric's llm criteria with Claude (rules llm:<id>; needs ANTHROPIC_API_KEY)", false)
    .option('--llm-model <model>', "the model (default: the rubric's llm.model)")
    .option('--llm-cache <dir>', 'where graded calls are cached', '.callqa-cache')
    .option('--no-llm-cache', 'neither read nor write the cache')
    .option(
      '--reviews <file>',
      "calibrate from the team's verdicts instead of labels: reviews.csv, or findings.csv / report.xlsx filled in (repeatable); with --results for files that do not name the rule",
      (file: string, files: string[]) => [...files, file],
      [],
    )
    .addOption(langOption())
    .action(async (labels: string | undefined, inputs: string[], o: import('./commands/calibrate.js').CalibrateOptions) => {
      const { runCalibrateCommand } = await import('./commands/calibrate.js');
      done(await runCalibrateCommand(labels, inputs, o, io));
    });
}

/** `callqa review`: a report directory's findings judged in the terminal. */
function reviewCommand(program: Command, io: Io, done: Done): void {
  program
    .command('review')
    .description('judge the findings of a report directory in the terminal (confirm, reject, unsure, note); each verdict is saved at once to DIR/reviews.csv')
    .argument('<dir>', 'a report directory (results.jsonl and run.json), or its results.jsonl')
    .option('--reviewer <name>', "who judges, as reviews.csv's reviewer column names them (default: the login name)")
    .addOption(langOption())
    .action(async (dir: string, o: import('./commands/review.js').ReviewOptions) => {
      const { runReview } = await import('./commands/review.js');
      done(await runReview(dir, o, io));
    });
}

/** `callqa formats`, `callqa rubric check|test`, `callqa rules`. */
function referenceCommands(program: Command, io: Io, done: Done): void {
  program
    .command('formats')
    .description('list the input formats callqa reads, with an example for each')
    .action(async () => {
      const { renderFormats } = await import('./commands/formats.js');
      io.stdout.write(renderFormats());
    });

  const rubric = program.command('rubric').description('work with rubric files');
  rubric
    .command('check')
    .description('validate a rubric file and run its tests (exit 0 when valid and passing, 1 when a test fails, 2 when invalid)')
    .argument('<file>', 'rubric YAML file or shipped rubric name')
    .action(async (file: string) => {
      const { runRubricCheck } = await import('./commands/rubric.js');
      done(await runRubricCheck(file, io));
    });
  rubric
    .command('test')
    .description("run a rubric's tests: conversations with the outcomes they must give (no FILE: the default rubric)")
    .argument('[file]', 'rubric YAML file or shipped rubric name')
    .addOption(langOption())
    .action(async (file: string | undefined, o: { lang?: Lang }) => {
      const { runRubricTest } = await import('./commands/rubric.js');
      done(await runRubricTest(file, io, o.lang));
    });

  program
    .command('rules')
    .description('list the seed rules and rule types with their options, defaults, examples and the passage each enforces')
    .option('--markdown', 'print the reference as Markdown (docs/rules.md is made this way)')
    .addOption(langOption())
    .action(async (opts: { markdown?: boolean; lang?: Lang }) => {
      const { renderRules, renderRulesMarkdown } = await import('./commands/rules.js');
      io.stdout.write(opts.markdown ? renderRulesMarkdown(opts.lang) : renderRules(opts.lang));
    });
}

/** The language `--lang` names on the command line (the last one, as commander takes it), read before commander parses it. */
export function argvLang(argv: readonly string[]): Lang | undefined {
  let lang: Lang | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') break;
    const value = arg === '--lang' ? argv[i + 1] : arg.startsWith('--lang=') ? arg.slice('--lang='.length) : undefined;
    if (value !== undefined) lang = isLang(value) ? value : undefined;
  }
  return lang;
}

/** A flag's value commander refused: the option, the value and the reason (already in the run's language). */
interface Refusal {
  flags: string;
  value: string;
  reason: string;
}

/**
 * Commander's own errors, worded in commander 14 (package-lock pins it), and how each is said in a
 * language: the English text's parts become the parameters. A text none of them matches stays English.
 */
const COMMANDER_ERRORS: readonly [RegExp, (say: Translator, m: RegExpExecArray) => string][] = [
  [
    /^error: unknown (option|command) '([^\n]*)'(?:\n\(Did you mean (one of )?([^\n]*)\?\))?$/,
    (say, m) => {
      const what = m[1] === 'option' ? say('cli.unknown-option', { option: m[2] as string }) : say('cli.unknown-command', { command: m[2] as string });
      if (m[4] === undefined) return what;
      return `${what}\n${m[3] ? say('cli.did-you-mean-one-of', { names: m[4].split(', ') }) : say('cli.did-you-mean', { name: m[4] })}`;
    },
  ],
  [/^error: missing required argument '([^\n]*)'$/, (say, m) => say('cli.missing-argument', { argument: m[1] as string })],
  [/^error: option '([^\n]*)' argument missing$/, (say, m) => say('cli.option-missing-argument', { option: m[1] as string })],
  [/^error: required option '([^\n]*)' not specified$/, (say, m) => say('cli.mandatory-option', { option: m[1] as string })],
  [
    /^error: too many arguments(?: for '([^\n]*)')?\. Expected (\d+) arguments? but got (\d+)\.$/,
    (say, m) => {
      const expected = Number(m[2]);
      const params = { command: m[1] ?? 'callqa', expected, count: Number(m[3]) };
      return say(expected === 1 ? 'cli.too-many-arguments.one' : 'cli.too-many-arguments.other', params);
    },
  ],
];

/** A commander error (`text`, as commander writes it, with its newline) in `lang`; `refused`: the last value an option refused. */
export function commanderError(lang: Lang, text: string, refused?: Refusal): string {
  if (lang === 'en') return text;
  const say = translator(lang);
  const line = text.endsWith('\n') ? text.slice(0, -1) : text;
  if (refused && line === `error: option '${refused.flags}' argument '${refused.value}' is invalid. ${refused.reason}`) {
    return `${say('cli.invalid-value', { option: refused.flags, value: refused.value, reason: refused.reason })}\n`;
  }
  for (const [pattern, said] of COMMANDER_ERRORS) {
    const m = pattern.exec(line);
    if (m) return `${said(say, m)}\n`;
  }
  return text;
}

/**
 * Has every option's value parser (ours, and commander's for `.choices`) give its reason in `lang`, and
 * tells `seen` each refusal, so that the line commander builds around the reason can be said in `lang` too.
 */
function localizeParsers(command: Command, lang: Lang, seen: (refusal: Refusal) => void): void {
  for (const option of command.options) {
    const parse = option.parseArg;
    if (!parse) continue;
    option.parseArg = ((value: string, previous: unknown) => {
      try {
        return parse.call(option, value, previous);
      } catch (err) {
        if (!(err instanceof InvalidArgumentError)) throw err;
        let reason = err.message;
        if (err instanceof ArgumentProblem) reason = messageText(lang, err.said);
        else if (option.argChoices) reason = translate(lang, 'cli.choices', { choices: option.argChoices });
        seen({ flags: option.flags, value, reason });
        throw new InvalidArgumentError(reason);
      }
    }) as typeof parse;
  }
  for (const sub of command.commands) localizeParsers(sub, lang, seen);
}

/**
 * The command line: commander wiring only. Commands are imported when they run, so `--help`
 * does not pay for the rubric, script conversion or CSV code.
 */
export async function main(argv: readonly string[], io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let code: number = EXIT.ok;
  const done: Done = (c) => {
    code = c;
  };
  // Commander's errors come before any rubric is read: in --lang's language, else the locale's (--help stays English).
  const lang = argvLang(argv) ?? localeLang();
  let refused: Refusal | undefined;
  const program = new Command()
    .name('callqa')
    .description('Score call-centre transcripts against a service standard; write per-call, per-agent and findings CSV.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(commanderError(lang, s, refused)),
    })
    .showHelpAfterError(translate(lang, 'cli.help-after-error', { command: 'callqa --help' }));

  for (const add of [scoreCommand, reportCommand, explainCommand, calibrateCommand, reviewCommand, referenceCommands]) add(program, io, done);
  if (lang !== 'en') {
    localizeParsers(program, lang, (refusal) => {
      refused = refusal;
    });
  }

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
