import { createHash } from 'node:crypto';
import { InputProblem } from '../ingest/errors.js';
import { readRegularFile } from '../ingest/limits.js';
import { fileURLToPath } from 'node:url';
import { type Document, isMap, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { RULES, ruleTypeIds, seedRuleIds } from '../rules/index.js';
import type { LlmConfig } from '../llm/types.js';
import type { Channel } from '../model/call.js';
import { llmSchema, toLlmConfig } from './llm.js';
import { parseTests, type RubricTest } from './tests.js';
import type { CommonOptions, RuleDefinition } from '../rules/types.js';
import { optionsSchema, PER_LANG_EXPECTED } from '../rules/types.js';
import { documentData } from './yaml-data.js';
import { en } from '../i18n/catalogs/en.js';
import { placeholders, type Translator, translator } from '../i18n/format.js';
import { DEFAULT_LANG, type Lang, LANGS } from '../i18n/lang.js';
import { nameOf, type PerLang, rubricRuleTranslator, rubricWords } from '../i18n/rubric-text.js';
import { rubricTexts } from './texts.js';

export interface RubricRule {
  id: string;
  definition: RuleDefinition;
  /** Validated options with defaults filled in and phrase lists compiled. */
  options: CommonOptions & Record<string, unknown>;
  /** Its findings' messages in the run's language (the rubric's `message` where it gives one): inLanguage. */
  say: Translator;
  /** Its title in the run's language: the rubric's `title`, else the catalog's for its type. */
  title: string;
}

export interface Rubric {
  /** Its name in its own language (`name:`, one text or one per language). */
  name: string;
  /** `name:` as the rubric gives it, and the name in the run's language (inLanguage). */
  names: PerLang;
  displayName: string;
  /** The language its texts are written in, and the default of `--lang` (`language:`). */
  language?: Lang;
  /** The language a run with it writes in: `--lang`, else `language`, else English (inLanguage). */
  lang: Lang;
  /** The kind of conversation it is written for (`channel:`): a run says so when it scores others with it. */
  channel?: Channel;
  passScore: number;
  /** The file it was read from. */
  path: string;
  sha256: string;
  /** In the order they run (a rule after those it refers to); reports keep this order too. */
  rules: RubricRule[];
  /** Conversations with the outcomes they must give: `callqa rubric test`. */
  tests: RubricTest[];
  /** Criteria graded by a model (only with --llm). */
  llm?: LlmConfig;
}

/** Every problem found in a rubric, each naming the file, line, key path and what was expected. */
export class RubricError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

export const RUBRICS_DIR = fileURLToPath(new URL('../../rubrics/', import.meta.url));
export const DEFAULT_RUBRIC = 'zh-phone';

const topLevel = z.strictObject({
  name: z.union([z.string().min(1), z.partialRecord(z.enum(LANGS), z.string().min(1))], { error: PER_LANG_EXPECTED }),
  description: z.string().optional(),
  source: z.string().optional(),
  pass_score: z.number().min(0).max(100).default(80),
  language: z.enum(LANGS).optional(),
  channel: z.enum(['voice', 'chat', 'social']).optional(),
  rules: z.record(z.string(), z.unknown()),
  tests: z.array(z.unknown()).optional(),
  llm: z.unknown().optional(),
});

type Path = (string | number)[];

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

const TYPE_NAMES: Record<string, string> = { number: 'a number', string: 'a string', array: 'a list', object: 'a mapping', boolean: 'true or false' };

function explain(issue: z.core.$ZodIssue, knownKeys: readonly string[]): { path: Path; message: string }[] {
  const path = issue.path as Path;
  switch (issue.code) {
    case 'invalid_type':
      return [{ path, message: `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${describeValue(issue.input)}` }];
    case 'too_small':
      return [
        {
          path,
          message:
            issue.origin === 'number'
              ? `expected a number ${issue.inclusive === false ? '>' : '≥'} ${issue.minimum}, got ${describeValue(issue.input)}`
              : `expected at least ${issue.minimum} ${issue.origin === 'array' ? 'item(s)' : 'character(s)'}`,
        },
      ];
    case 'too_big':
      return [
        {
          path,
          message: issue.origin === 'number' ? `expected a number ≤ ${issue.maximum}, got ${describeValue(issue.input)}` : `expected at most ${issue.maximum}`,
        },
      ];
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        path: [...path, key],
        message: path.length === 0 ? `unknown key; expected one of ${knownKeys.join(', ')}` : 'unknown key',
      }));
    default:
      return [{ path, message: issue.message }];
  }
}

function formatPath(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function isRecordValue(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Rules in the order they must run: a rule after the rules its options name (expr identifiers,
 * window.after), otherwise in the rubric's order. A name that is not a rule, or a cycle, is a problem.
 */
function orderByDependencies(rules: RubricRule[], report: (path: Path, message: string) => void): RubricRule[] {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const deps = new Map<string, string[]>();
  for (const r of rules) {
    const named = r.definition.dependsOn?.(r.options as never) ?? [];
    for (const dep of named) {
      if (!byId.has(dep)) report(['rules', r.id], `refers to "${dep}", which is not a rule of this rubric`);
      if (dep === r.id) report(['rules', r.id], 'refers to itself');
    }
    deps.set(
      r.id,
      named.filter((d) => byId.has(d) && d !== r.id),
    );
  }
  const ordered: RubricRule[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (r: RubricRule, chain: string[]) => {
    if (state.get(r.id) === 'done') return;
    if (state.get(r.id) === 'visiting') {
      report(['rules', r.id], `rules refer to each other in a cycle: ${[...chain, r.id].join(' → ')}`);
      return;
    }
    state.set(r.id, 'visiting');
    for (const dep of deps.get(r.id) ?? []) visit(byId.get(dep) as RubricRule, [...chain, r.id]);
    state.set(r.id, 'done');
    ordered.push(r);
  };
  for (const r of rules) visit(r, []);
  return ordered;
}

/** The rubric's `llm:` section, or undefined with its problems reported. */
function parseLlm(raw: unknown, report: (path: Path, message: string) => void): LlmConfig | undefined {
  const parsed = llmSchema.safeParse(raw, { reportInput: true });
  if (parsed.success) return toLlmConfig(parsed.data);
  for (const issue of parsed.error.issues) for (const p of explain(issue, ['model', 'criteria'])) report(['llm', ...p.path], p.message);
  return undefined;
}

/** Reads and validates a rubric from YAML text. Throws RubricError listing every problem. */
export function parseRubric(text: string, file: string): Rubric {
  const lineCounter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: true });
  } catch (err) {
    // The parser recurses: thousands of nested [ or { exhaust the stack before it can say where.
    if (!(err instanceof RangeError)) throw err;
    throw new RubricError([`${file}:1: invalid YAML: nested too deeply to read`]);
  }
  if (doc.errors.length > 0) {
    throw new RubricError(
      doc.errors.map(
        (e) =>
          `${file}:${e.linePos?.[0].line ?? 1}: invalid YAML: ${
            /Maximum call stack/.test(e.message) ? 'nested too deeply to read' : (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')
          }`,
      ),
    );
  }
  const problems: string[] = [];
  const report = (path: Path, message: string) => {
    let node: unknown;
    for (let k = path.length; k >= 0 && !node; k--) node = doc.getIn(path.slice(0, k), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    const line = range ? lineCounter.linePos(range[0]).line : 1;
    problems.push(`${file}:${line}: ${path.length > 0 ? `${formatPath(path)}: ` : ''}${message}`);
  };

  if (!isMap(doc.contents)) {
    report([], 'expected a mapping with name, pass_score and rules');
    throw new RubricError(problems);
  }
  // Read with limits (depth, aliases, reserved keys) into null-prototype objects, not doc.toJS().
  const read = documentData(doc);
  if ('problem' in read) {
    const { node, path, message } = read.problem;
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) problems.push(`${file}:${lineCounter.linePos(range[0]).line}: ${path.length > 0 ? `${formatPath(path)}: ` : ''}${message}`);
    else report(path, message);
    throw new RubricError(problems);
  }
  const top = topLevel.safeParse(read.data, { reportInput: true });
  if (!top.success) {
    for (const issue of top.error.issues) for (const p of explain(issue, Object.keys(topLevel.shape))) report(p.path, p.message);
    throw new RubricError(problems);
  }

  const rules: RubricRule[] = [];
  for (const [id, raw] of Object.entries(top.data.rules)) {
    if (!/^[\p{L}\p{N}_-]+$/u.test(id)) {
      report(['rules', id], 'a rule id is letters, digits, "-" and "_" (expressions refer to rules by id)');
      continue;
    }
    const typeName = isRecordValue(raw) && typeof raw.type === 'string' ? raw.type : id;
    const definition = RULES.get(typeName);
    if (!definition) {
      const where: Path = typeName === id ? ['rules', id] : ['rules', id, 'type'];
      report(
        where,
        `unknown ${typeName === id ? 'rule' : 'rule type'} "${typeName}"; expected a seed rule (${seedRuleIds().join(', ')}) or type: ${ruleTypeIds().join(', ')}`,
      );
      continue;
    }
    const schema = optionsSchema(definition);
    const parsed = schema.safeParse(raw ?? {}, { reportInput: true });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        for (const p of explain(issue, Object.keys(schema.shape))) report(['rules', id, ...p.path], p.message);
      }
      continue;
    }
    const options = parsed.data as RubricRule['options'];
    checkMessage(definition, options.message, (path, message) => report(['rules', id, 'message', ...path], message));
    rules.push({ id, definition, options, say: translator(DEFAULT_LANG), title: id });
  }
  if (problems.length > 0) throw new RubricError(problems);
  if (rules.length === 0) {
    report(['rules'], 'expected at least one rule');
    throw new RubricError(problems);
  }
  const ordered = orderByDependencies(rules, report);
  const tests = parseTests(top.data.tests, new Set(ordered.map((r) => r.id)), report);
  const llm = top.data.llm === undefined ? undefined : parseLlm(top.data.llm, report);
  if (problems.length > 0) throw new RubricError(problems);
  return inLanguage({
    ...namesOf(top.data.name, top.data.language),
    ...(top.data.language ? { language: top.data.language } : {}),
    lang: top.data.language ?? DEFAULT_LANG,
    ...(top.data.channel ? { channel: top.data.channel } : {}),
    passScore: top.data.pass_score,
    path: file,
    sha256: createHash('sha256').update(text).digest('hex'),
    rules: ordered,
    tests,
    ...(llm ? { llm } : {}),
  });
}

/**
 * A rule's `message` whose {parameters} its findings do not all give: which language's text, and what it
 * may use (the parameters every one of the rule's messages gives, from the English catalog).
 */
function checkMessage(definition: RuleDefinition, message: CommonOptions['message'], report: (path: Path, message: string) => void): void {
  if (message === undefined) return;
  const keys = definition.messages ?? [];
  let allowed: string[] | undefined;
  for (const key of keys) {
    const own = placeholders(en[key]);
    allowed = allowed ? allowed.filter((p) => own.includes(p)) : own;
  }
  const may = allowed ?? [];
  for (const [lang, text] of typeof message === 'string' ? [['', message] as const] : Object.entries(message)) {
    const unknown = placeholders(text ?? '').filter((p) => !may.includes(p));
    if (unknown.length > 0) {
      const list = may.length > 0 ? may.map((p) => `{${p}}`).join(', ') : 'none';
      report(lang ? [lang] : [], `unknown parameter ${unknown.map((p) => `{${p}}`).join(', ')}; this rule's messages give ${list}`);
    }
  }
}

/** A rubric's name in its own language, before inLanguage. */
function namesOf(names: PerLang, language: Lang | undefined): Pick<Rubric, 'name' | 'names' | 'displayName'> {
  const name = nameOf(names, language);
  return { name, names, displayName: name };
}

/**
 * The rubric set to write in `lang` (`--lang`; else its own `language`, else English): every rule's
 * translator and title, as rubricWords gives them for run.json. Changes the rubric and returns it.
 */
export function inLanguage(rubric: Rubric, given?: Lang): Rubric {
  const lang = given ?? rubric.language ?? DEFAULT_LANG;
  const texts = rubricTexts(rubric);
  const words = rubricWords(texts, lang);
  rubric.lang = lang;
  rubric.displayName = words.name;
  // The model's reasons are read beside the findings: in the same language.
  if (rubric.llm) rubric.llm.lang = lang;
  for (const rule of rubric.rules) {
    rule.say = rubricRuleTranslator(texts, rule.id, lang);
    rule.title = words.titles[rule.id] as string;
  }
  return rubric;
}

/** A rubric is a page or two of YAML; the shipped one is ~25 KB. */
const MAX_RUBRIC_BYTES = 1_000_000;

/** A path, or the name of a shipped rubric (`zh-phone`); nothing means the default rubric. */
export function resolveRubricPath(pathOrName: string | undefined): string {
  const name = pathOrName ?? DEFAULT_RUBRIC;
  if (/^[\w-]+$/.test(name)) return `${RUBRICS_DIR}${name}.yaml`;
  return name;
}

export async function loadRubric(pathOrName?: string, lang?: Lang): Promise<Rubric> {
  const path = resolveRubricPath(pathOrName);
  let text: string;
  try {
    text = readRegularFile(path, MAX_RUBRIC_BYTES, (size) => `too large: ${size} bytes; a rubric is at most ${MAX_RUBRIC_BYTES} bytes`).toString('utf8');
  } catch (err) {
    if (err instanceof InputProblem) throw new RubricError([`${pathOrName ?? path}: cannot read rubric: ${err.message}`]);
    const code = (err as NodeJS.ErrnoException).code;
    const hint = pathOrName && /^[\w-]+$/.test(pathOrName) ? ` (no shipped rubric named "${pathOrName}")` : '';
    throw new RubricError([`${pathOrName ?? path}: cannot read rubric: ${code === 'ENOENT' ? 'no such file' : (code ?? (err as Error).message)}${hint}`]);
  }
  return inLanguage(parseRubric(text.replace(/^\ufeff/, ''), pathOrName ?? path), lang);
}
