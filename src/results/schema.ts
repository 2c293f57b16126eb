import { LANGS } from '../i18n/lang.js';
import { z } from 'zod';

/**
 * The saved results' schema (docs/results.md), version 1 and 2: what the readers check every record and
 * run.json against (read.ts), and what the writer's records are held to (a test parses every record a
 * run writes). Unknown keys are kept: within a version, fields are only ever added. Each type carries the
 * words of its problem message: `findings[0].deduction: expected a number, got "x"`.
 */

const str = z.string({ error: 'a string' });
const num = z.number({ error: 'a number' });
const bool = z.boolean({ error: 'true or false' });
const wholeAtLeast = (min: number) =>
  z.number({ error: `a whole number ≥ ${min}` }).refine((v) => Number.isInteger(v) && v >= min, { error: `a whole number ≥ ${min}` });
const strings = z.array(str, { error: 'an array of strings' });
const list = <T extends z.ZodType>(item: T) => z.array(item, { error: 'an array' });
const object = <T extends z.core.$ZodLooseShape>(shape: T) => z.looseObject(shape, { error: 'an object' });

/** A message as data (i18n/message.ts): a key and its parameters, some of them messages too. */
const message: z.ZodType = z.lazy(() => object({ key: str, params: z.record(z.string(), messageParam, { error: 'an object' }).optional() }));
const messageItem = z.union([str, num, message], { error: 'text, a number or a message' });
const messageParam = z.union([messageItem, object({ rule: str }), list(messageItem)], { error: 'text, a number, a message, a rule or a list' });

const finding = object({
  rule: str,
  at: num.optional(),
  deduction: num,
  message: str,
  evidence: str,
  status: z.literal('review', { error: '"review"' }).optional(),
  said: message.optional(),
  critical: z.literal(false, { error: 'false' }).optional(),
  /** An analyst's verdict (review/apply.ts FindingReview). */
  review: object({
    verdict: z.enum(['confirmed', 'rejected', 'unsure'], { error: '"confirmed", "rejected" or "unsure"' }),
    note: str,
    reviewer: str,
    at: str,
    deduction: num,
    ruleFailed: z.literal(true, { error: 'true' }).optional(),
    critical: z.literal(true, { error: 'true' }).optional(),
  }).optional(),
});

export const utteranceSchema = object({ speaker: str, text: str, start: num.optional(), end: num.optional() });

const llmGrading = object({
  status: str,
  model: str.optional(),
  error: str.optional(),
  requests: num,
  grades: list(object({ id: str, score: num, deduction: num, reason: str, unverified: bool, evidence: strings })).optional(),
  usage: object({ input: num, output: num, cacheRead: num, cacheCreation: num }).optional(),
});

/** A call's record. `utterances`: every call's in version 1; in version 2 only a paged call's (or with --keep-transcripts). */
export const callRecordSchema = object({
  callId: str,
  agentId: str,
  agentName: str,
  source: str,
  hangupBy: str,
  roleSource: str,
  queue: str.optional(),
  direction: str.optional(),
  // Written service only: a voice call's record has no channel (as before conversations were read).
  channel: z.enum(['voice', 'chat', 'social'], { error: 'one of voice, chat, social' }).optional(),
  startedAt: str.optional(),
  seq: wholeAtLeast(0),
  line: wholeAtLeast(1).optional(),
  score: num,
  bonus: num.optional(),
  passed: bool,
  durationSeconds: num.optional(),
  agentCharsPerMinute: num.optional(),
  ringSeconds: num.optional(),
  outcomes: z.record(z.string(), str, { error: 'an object' }),
  findings: list(finding),
  criticalFailures: strings,
  ruleErrors: list(object({ rule: str, error: str })),
  llm: llmGrading.optional(),
  utterances: list(utteranceSchema).optional(),
});

/** Version 1 held every call's transcript. */
export const callRecordSchemaV1 = callRecordSchema.extend({ utterances: list(utteranceSchema) });

export const errorRecordSchema = object({ source: str, line: wholeAtLeast(1).optional(), error: str });

const pageStop = object({ source: str, seq: wholeAtLeast(0), critical: bool, passed: bool, score: num, bytes: wholeAtLeast(0) });

const lang = z.enum(LANGS, { error: `one of ${LANGS.join(', ')}` });
/** A rubric text: one for every language, or one per language. */
const perLang = z.union([str, z.partialRecord(lang, str, { error: 'an object' })], { error: 'a string or an object of languages' });
/** The rubric's own words (i18n/rubric-text.ts RubricTexts). */
const rubricTexts = object({
  language: lang.optional(),
  name: perLang,
  rules: z.record(
    z.string(),
    object({ type: str, title: perLang.optional(), advice: perLang.optional(), message: perLang.optional(), keys: strings.optional() }),
    { error: 'an object' },
  ),
  criteria: z.record(z.string(), object({ advice: perLang.optional() }), { error: 'an object' }).optional(),
});

/** A verdict as run.json lists it (review history, stale verdicts): one row a verdict read. */
const reviewRow = object({
  finding_id: str,
  verdict: str,
  reviewer: str,
  at: str,
  note: str,
  file: str,
  line: wholeAtLeast(1),
  call_id: str.optional(),
  rule: str.optional(),
  standing: z.literal(true, { error: 'true' }).optional(),
});

export const runInfoSchema = object({
  callqaVersion: str,
  startedAt: str,
  endedAt: str,
  command: strings,
  rubric: object({
    name: str,
    path: str,
    sha256: str,
    passScore: num,
    advice: z.record(z.string(), str, { error: 'an object' }),
    lang: lang.optional(),
    titles: z.record(z.string(), str, { error: 'an object' }).optional(),
    texts: rubricTexts.optional(),
  }),
  llm: object({
    model: str,
    promptVersion: str,
    criteria: list(object({ id: str, question: str, maxScore: num, advice: str.optional() })),
  }).optional(),
  layout: object({ ruleIds: strings, criteria: strings.optional() }),
  inputs: object({ files: wholeAtLeast(0), calls: wholeAtLeast(0), failed: wholeAtLeast(0), skipped: wholeAtLeast(0) }),
  pages: object({ chosen: wholeAtLeast(0), cutBy: z.enum(['count', 'size'], { error: '"count" or "size"' }).optional(), stop: pageStop.optional() }).optional(),
  keepTranscripts: bool.optional(),
  reviews: object({
    files: strings,
    applied: object({ confirmed: wholeAtLeast(0), rejected: wholeAtLeast(0), unsure: wholeAtLeast(0) }),
    stale: list(object({ finding_id: str, file: str, line: wholeAtLeast(1), call_id: str.optional(), rule: str.optional() })),
    history: list(reviewRow),
  }).optional(),
});

/** A value as a problem message shows it. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`;
  return out;
}

/** What is wrong with a value, one problem a field: `path: expected …, got …`; none when it is valid. */
export function problemsOf(schema: z.ZodType, value: unknown): string[] {
  const parsed = schema.safeParse(value, { reportInput: true });
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => `${pathText(issue.path)}: expected ${issue.message}, got ${describeValue(issue.input)}`);
}
