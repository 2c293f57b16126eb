import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { maskPersonalNumbers } from '../privacy/mask.js';
import { clock, round } from '../util/format.js';
import { safeFileName } from '../util/safe-name.js';
import { agentKey, compareAgents, isUnknownAgent } from '../scoring/agents.js';
import { RESULTS_FILE, readResults, readRunInfo } from '../results/read.js';
import type { CallRecord, RunInfo } from '../results/codec.js';
import { figure, type Translator, translator } from '../i18n/format.js';
import { type Lang, savedLang } from '../i18n/lang.js';
import { titleIn } from '../results/languages.js';
import { toTaiwan } from '../i18n/rubric-text.js';
import { inScope, writtenOnly } from '../i18n/written.js';
import type { Channel } from '../model/call.js';

/**
 * Coaching packs: one Markdown file per agent under `<report>/coaching/`, made from a report
 * directory's results.jsonl and run.json, every word in the run's language and rules by their titles
 * (a supervisor hands the pack to the agent). For each agent: calls, average score and rank, the
 * change since a baseline, the three most frequent failures with the rubric's advice and evidence,
 * the rules the agent never failed, and the model's reasons. results.jsonl is streamed: memory holds per-agent
 * counts and at most a few evidence lines per rule, never the calls.
 */

export interface BaselineEntry {
  avgScore: number;
  passRate: number;
}

export interface CoachingOptions {
  /**
   * An earlier period's figures by agent, keyed by `agentKey(agentId, agentName)` (an id, else a
   * name): `readBaseline(dir)` of baseline.ts gives such a map.
   */
  baseline?: Map<string, BaselineEntry>;
}

const EVIDENCE_PER_RULE = 3;
const REASONS_PER_CRITERION = 3;
const TOP_FAILURES = 3;
const QUOTE_CHARS = 120;
/** The pack of the calls that name no agent (coaching/unknown-agent.md). */
export const UNKNOWN_AGENT_PACK = 'unknown-agent';

interface Evidence {
  callId: string;
  at?: number;
  quote: string;
  message: string;
}

interface RuleTally {
  /** Calls in which the rule failed (LLM criteria: deducted). */
  fails: number;
  /** Calls in which it passed (LLM criteria: graded without a deduction, verified). */
  passes: number;
  errors: number;
  findings: number;
  deduction: number;
  evidence: Evidence[];
}

interface Reason {
  callId: string;
  score: number;
  reason: string;
}

interface AgentTally {
  agentId: string;
  agentName: string;
  calls: number;
  scoreSum: number;
  passed: number;
  /** The earliest and latest day of the calls that give their start (YYYY-MM-DD, the call's own local date). */
  firstDay?: string;
  lastDay?: string;
  /** Calls whose start gives no date (the period above leaves them out: the pack says how many). */
  undated: number;
  /** Rule id, or `llm:<criterion id>`. */
  rules: Map<string, RuleTally>;
  /** Criterion id → the model's reasons where it deducted. */
  reasons: Map<string, Reason[]>;
  /** The agent's calls by channel: a pack of chats and social threads only counts conversations (对话), not calls. */
  channels: Map<Channel, number>;
}

function tallyOf(agent: AgentTally, rule: string): RuleTally {
  let t = agent.rules.get(rule);
  if (!t) {
    t = { fails: 0, passes: 0, errors: 0, findings: 0, deduction: 0, evidence: [] };
    agent.rules.set(rule, t);
  }
  return t;
}

/** Keeps at most three lines, preferring different calls: a third line from a call already shown gives way to a new call. */
function addEvidence(samples: Evidence[], e: Evidence): void {
  if (e.quote.trim() === '' || samples.some((s) => s.callId === e.callId && s.quote === e.quote)) return;
  if (samples.length < EVIDENCE_PER_RULE) {
    samples.push(e);
    return;
  }
  if (samples.some((s) => s.callId === e.callId)) return;
  for (let i = samples.length - 1; i > 0; i--) {
    const callId = samples[i]?.callId;
    if (samples.slice(0, i).some((s) => s.callId === callId)) {
      samples.splice(i, 1);
      samples.push(e);
      return;
    }
  }
}

/**
 * The day of a call's start as its timestamp writes it (YYYY-MM-DD at its own offset: the day the agent had the
 * call, wherever callqa runs); undefined without one, or when it is no real date.
 */
function callDay(startedAt: string | undefined): string | undefined {
  const day = startedAt === undefined ? undefined : /^(\d{4})-(\d{2})-(\d{2})(?:[T ]|$)/.exec(startedAt);
  if (!day) return undefined;
  const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
  const at = new Date(Date.UTC(y, m - 1, d));
  return at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d ? `${day[1]}-${day[2]}-${day[3]}` : undefined;
}

function addCall(agent: AgentTally, r: CallRecord): void {
  agent.calls++;
  agent.scoreSum += r.score;
  if (r.passed) agent.passed++;
  const channel = r.channel ?? 'voice';
  agent.channels.set(channel, (agent.channels.get(channel) ?? 0) + 1);
  if (!agent.agentName && r.agentName) agent.agentName = r.agentName;
  const day = callDay(r.startedAt);
  if (day === undefined) agent.undated++;
  else {
    if (agent.firstDay === undefined || day < agent.firstDay) agent.firstDay = day;
    if (agent.lastDay === undefined || day > agent.lastDay) agent.lastDay = day;
  }
  for (const [rule, outcome] of Object.entries(r.outcomes)) {
    // Not applicable, or awaiting a person's review: neither a failure nor a pass to coach.
    if (outcome === 'n/a' || outcome === 'review') continue;
    const t = tallyOf(agent, rule);
    if (outcome === 'fail') t.fails++;
    else if (outcome === 'pass') t.passes++;
    else t.errors++;
  }
  for (const f of r.findings) {
    // A finding awaiting review is not yet something to coach; one an analyst overturned is nothing to coach.
    if (f.status === 'review' || f.review?.verdict === 'rejected') continue;
    const t = tallyOf(agent, f.rule);
    t.findings++;
    t.deduction += f.deduction;
    const e: Evidence = { callId: r.callId, quote: f.evidence, message: f.message };
    if (f.at !== undefined) e.at = f.at;
    addEvidence(t.evidence, e);
  }
  const llm = r.llm;
  if (llm && (llm.status === 'ok' || llm.status === 'cached')) {
    // The model's criteria an analyst overturned on this call (every finding of it rejected): neither a failure nor a reason.
    const overturned = new Set(r.findings.filter((f) => f.rule.startsWith('llm:') && f.review?.verdict === 'rejected').map((f) => f.rule));
    for (const g of llm.grades ?? []) {
      if (overturned.has(`llm:${g.id}`)) continue;
      const t = tallyOf(agent, `llm:${g.id}`);
      if (g.deduction > 0) t.fails++;
      else if (!g.unverified) t.passes++;
      if (g.deduction > 0 && g.reason.trim() !== '') {
        const reasons = agent.reasons.get(g.id) ?? [];
        if (reasons.length < REASONS_PER_CRITERION) reasons.push({ callId: r.callId, score: g.score, reason: g.reason });
        agent.reasons.set(g.id, reasons);
      }
    }
  }
}

/** Text from a transcript or the model, for a Markdown line: personal numbers masked, no line breaks or controls, Markdown escaped. */
export function markdownText(text: string, where: 'block' | 'inline' = 'inline'): string {
  return escapeMarkdown(maskPersonalNumbers(text).replace(/[\p{Cc}\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]+/gu, ' '), where);
}

/**
 * Backslash-escapes what Markdown (CommonMark, GFM) would read as markup in text put on a line, and
 * nothing else: CommonMark takes a backslash only before ASCII punctuation, so one before a digit or
 * a Han character would show as is (`\25.6 s`), and `\(…\)` is inline maths to many renderers.
 *
 * - Anywhere: `\` and `` ` `` (code spans), `*` and `_` (emphasis), `~` (strikethrough), `$` (maths),
 *   `[` and `]` (links and images: `[x](javascript:…)` stays text), `<` (HTML tags, autolinks), `&`
 *   before an entity name or number (`&lt;`), `@` and `://` and `www.` (the autolinks GFM makes),
 *   and `#` after a space (the closing sequence of a heading).
 * - Where the text starts a block (`where` 'block', the default: a list item's text): `#` (heading),
 *   `>` (quote), `-` and `+` (list, thematic break), `1.` and `1)` followed by a space (ordered
 *   list); leading spaces are dropped (four of them make code). Text after other text on its line
 *   ('inline') cannot start a block.
 */
export function escapeMarkdown(text: string, where: 'block' | 'inline' = 'block'): string {
  const inline = text
    .replace(/[\\`*_~$[\]<@]|&(?=#?[0-9A-Za-z]+;)|(?<=\s)#/g, (c) => `\\${c}`)
    .replace(/:\/\//g, ':\\/\\/')
    .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}\\.`);
  if (where === 'inline') return inline;
  return inline
    .replace(/^[ \t]+/, '')
    .replace(/^[#>+-]/, '\\$&')
    .replace(/^(\d{1,9})([.)])(?=[ \t]|$)/, '$1\\$2');
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}

/** A change as a reader writes it: `+11.67`, `−0.5` (a minus sign), `±0`; the figure through Intl for the language. */
function signed(lang: Lang, x: number, digits = 2): string {
  const text = figure(lang, round(Math.abs(x), digits), digits, false);
  return x > 0 && text !== '0' ? `+${text}` : x < 0 && text !== '0' ? `−${text}` : '±0';
}

/** A pack's language, and the names of its rules and criteria in that language. */
interface PackText {
  lang: Lang;
  say: Translator;
  /** The rubric's name (Markdown escaped; as Taiwan writes it for zh-TW, as its advice is). */
  rubricName: string;
  /** Rule id or `llm:<criterion id>` → its title, Markdown escaped for a heading ('inline') or a list item ('block'). */
  title: (rule: string, where?: 'block' | 'inline') => string;
}

/**
 * The pack's words in the run's language (run.json's `lang`; a run from before languages: English). A rule by
 * its title (titleIn: run.json's; a run without titles: the catalog's title when the id is a rule type, else the id). A
 * model criterion by its question (the rubric's own text, as Taiwan writes it for zh-TW), else by its id.
 */
function packText(run: RunInfo): PackText {
  const lang = savedLang(run.rubric);
  const say = translator(lang);
  const ruleName = titleIn(run.rubric, lang);
  const questions = new Map((run.llm?.criteria ?? []).map((c) => [c.id, c.question]));
  // run.json keeps the criteria's questions as the rubric wrote them; its name, advice and titles are in `lang` already.
  const own = (text: string) => (lang === 'zh-TW' && /\p{Script=Han}/u.test(text) ? toTaiwan(text) : text);
  const plain = (rule: string): string => {
    if (rule.startsWith('llm:')) {
      const id = rule.slice(4);
      const question = questions.get(id);
      if (question === undefined || question.trim() === '') return say('coaching.criterion', { id });
      return own(question);
    }
    return ruleName(rule);
  };
  return { lang, say, rubricName: markdownText(run.rubric.name), title: (rule, where = 'inline') => markdownText(plain(rule), where) };
}

/** A day of callDay's through Intl for the language: 2026年11月2日, November 2, 2026. */
function dateText(lang: Lang, day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** The days of the agent's calls, when they give them (one day, or the first and the last), and how many give none. */
function periodLines(a: AgentTally, text: PackText): string[] {
  // No dated call at all: nothing to say (a pack from calls without timestamps reads as it did).
  if (a.firstDay === undefined || a.lastDay === undefined) return [];
  const from = dateText(text.lang, a.firstDay);
  const to = dateText(text.lang, a.lastDay);
  const lines = [from === to ? text.say('coaching.period.one-day', { date: from }) : text.say('coaching.period', { from, to })];
  if (a.undated > 0) lines.push(text.say('coaching.period.undated', { calls: a.undated }));
  return lines;
}

function agentTitle(a: AgentTally, say: Translator): string {
  const name = markdownText(a.agentName);
  const id = markdownText(a.agentId);
  if (a.agentId !== '' && a.agentName !== '') return say('coaching.agent.named', { name, id });
  if (a.agentId !== '') return id;
  return a.agentName !== '' ? say('coaching.agent.no-id', { name }) : say('coaching.agent.unknown');
}

function evidenceLine(e: Evidence, say: Translator): string {
  const time = e.at === undefined ? '' : ` ${clock(e.at)}`;
  const message = e.message.trim() === '' ? '' : ` — ${markdownText(truncate(e.message, QUOTE_CHARS))}`;
  const quote = say('coaching.evidence.quote', { quote: markdownText(truncate(e.quote, QUOTE_CHARS)) });
  return `  - ${markdownText(e.callId, 'block')}${time} ${quote}${message}`;
}

interface Ranked {
  rank: number;
  of: number;
}

/** The pack's first lines: who, which rubric, calls, average and rank, pass rate, the change since a baseline. */
function overview(a: AgentTally, run: RunInfo, text: PackText, ranked: Ranked, baseline: BaselineEntry | undefined, hasBaseline: boolean): string[] {
  const { say, lang } = text;
  // As agents.csv rounds them, so the change is what an analyst gets from the two files.
  const avg = round(a.calls === 0 ? 0 : a.scoreSum / a.calls, 2);
  const passRate = round(a.calls === 0 ? 0 : a.passed / a.calls, 3);
  const percent = (x: number) => round(x * 100, 1);
  const out: string[] = [];
  out.push(`# ${say('coaching.title', { agent: agentTitle(a, say) })}`, '');
  out.push(say('coaching.rubric', { name: text.rubricName, passScore: run.rubric.passScore }), '');
  out.push(`## ${say('coaching.overview')}`, '');
  out.push(`- ${say('coaching.calls', { calls: a.calls })}`);
  for (const line of periodLines(a, text)) out.push(`- ${line}`);
  out.push(
    `- ${ranked.of === 1 ? say('coaching.average.only-agent', { average: avg }) : say('coaching.average', { average: avg, rank: ranked.rank, agents: ranked.of })}`,
  );
  out.push(`- ${say('coaching.pass-rate', { rate: percent(passRate), passed: a.passed, calls: a.calls })}`);
  if (hasBaseline && isUnknownAgent(a)) {
    out.push(`- ${say('coaching.baseline.unknown-agent')}`);
  } else if (hasBaseline) {
    const change = baseline
      ? say('coaching.baseline.change', {
          averageChange: signed(lang, avg - baseline.avgScore),
          average: round(baseline.avgScore, 2),
          rateChange: signed(lang, (passRate - baseline.passRate) * 100, 1),
          rate: percent(baseline.passRate),
        })
      : say('coaching.baseline.new-agent');
    out.push(`- ${change}`);
  }
  out.push('');
  return out;
}

const byLayout = (order: Map<string, number>) => (x: string, y: string) =>
  (order.get(x) ?? Number.MAX_SAFE_INTEGER) - (order.get(y) ?? Number.MAX_SAFE_INTEGER) || (x < y ? -1 : x > y ? 1 : 0);

/** The three most frequent failures: counts, the rubric's advice, evidence. */
function failureSection(a: AgentTally, run: RunInfo, text: PackText, reported: [string, RuleTally][], order: Map<string, number>): string[] {
  const { say } = text;
  const failures = reported
    .filter(([, t]) => t.fails > 0)
    .sort(([x, tx], [y, ty]) => ty.fails - tx.fails || ty.findings - tx.findings || ty.deduction - tx.deduction || byLayout(order)(x, y))
    .slice(0, TOP_FAILURES);
  const out: string[] = [`## ${say('coaching.failures')}`, ''];
  if (failures.length === 0) out.push(say('coaching.failures.none'), '');
  failures.forEach(([rule, t], i) => {
    out.push(`### ${i + 1}. ${text.title(rule)}`, '');
    out.push(`- ${say('coaching.failure.counts', { fails: t.fails, calls: a.calls, findings: t.findings, deduction: round(t.deduction, 2) })}`);
    const advice = run.rubric.advice[rule];
    out.push(`- ${advice ? say('coaching.advice', { advice: markdownText(advice) }) : say('coaching.advice.none')}`);
    if (t.evidence.length > 0) {
      out.push(`- ${say('coaching.evidence')}`);
      for (const e of t.evidence) out.push(evidenceLine(e, say));
    }
    out.push('');
  });
  return out;
}

/** The model's reasons where it deducted, under each criterion's question. */
function reasonSection(a: AgentTally, text: PackText, order: Map<string, number>): string[] {
  if (a.reasons.size === 0) return [];
  const { say } = text;
  const out: string[] = [`## ${say('coaching.reasons')}`, ''];
  const criteria = [...a.reasons.keys()].map((id) => `llm:${id}`).sort(byLayout(order));
  for (const criterion of criteria) {
    out.push(`### ${text.title(criterion)}`, '');
    for (const r of a.reasons.get(criterion.slice(4)) ?? []) {
      const reason = markdownText(truncate(r.reason, 2 * QUOTE_CHARS));
      out.push(`- ${say('coaching.reason', { call: markdownText(r.callId, 'block'), score: round(r.score, 2), reason })}`);
    }
    out.push('');
  }
  return out;
}

function renderPack(
  a: AgentTally,
  run: RunInfo,
  text: PackText,
  ranked: Ranked,
  order: Map<string, number>,
  baseline: BaselineEntry | undefined,
  hasBaseline: boolean,
): string {
  const { say } = text;
  const out = overview(a, run, text, ranked, baseline, hasBaseline);
  // Hidden helper rules have outcomes in the records but no column: only the report's rules and criteria count.
  const reported = [...a.rules.entries()].filter(([rule]) => order.has(rule) || rule.startsWith('llm:'));
  out.push(...failureSection(a, run, text, reported, order));
  const strengths = reported
    .filter(([, t]) => t.passes > 0 && t.fails === 0 && t.errors === 0)
    .map(([rule]) => rule)
    .sort(byLayout(order));
  out.push(`## ${say('coaching.strengths')}`, '');
  out.push(strengths.length > 0 ? strengths.map((r) => `- ${text.title(r, 'block')}`).join('\n') : say('coaching.strengths.none'), '');
  out.push(...reasonSection(a, text, order));
  return `${out.join('\n').trimEnd()}\n`;
}

/** Competition ranking by average score (1, 2, 2, 4), averages compared to two decimals as agents.csv shows them. */
function rankAgents(agents: readonly AgentTally[]): Map<AgentTally, Ranked> {
  const avg = (a: AgentTally) => round(a.calls === 0 ? 0 : a.scoreSum / a.calls, 2);
  const sorted = [...agents].sort((x, y) => avg(y) - avg(x));
  const ranks = new Map<AgentTally, Ranked>();
  sorted.forEach((a, i) => {
    const previous = sorted[i - 1];
    const rank = previous !== undefined && avg(previous) === avg(a) ? (ranks.get(previous)?.rank ?? i + 1) : i + 1;
    ranks.set(a, { rank, of: agents.length });
  });
  return ranks;
}

/**
 * File names of the packs: an agent's id through safeFileName; an agent without an id by name (the
 * name through safeFileName, or `name:<name>` through it when that would clash with another pack);
 * the calls with neither as `unknown-agent` (never a safeFileName: kept names have no lower case,
 * changed names hold `~`). A clash that is left (case-insensitively) gets ~2, ~3. Different agents
 * always get different files.
 */
function packNames(agents: readonly AgentTally[]): Map<AgentTally, string> {
  const names = new Map<AgentTally, string>();
  const taken = new Set<string>();
  const claim = (a: AgentTally, name: string) => {
    let candidate = name;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${name}~${n}`;
    taken.add(candidate.toLowerCase());
    names.set(a, candidate);
  };
  for (const a of agents) if (a.agentId !== '') claim(a, safeFileName(a.agentId));
  for (const a of agents) {
    if (a.agentId !== '' || isUnknownAgent(a)) continue;
    const byName = safeFileName(a.agentName);
    claim(a, !taken.has(byName.toLowerCase()) ? byName : safeFileName(`name:${a.agentName}`));
  }
  for (const a of agents) if (isUnknownAgent(a)) claim(a, UNKNOWN_AGENT_PACK);
  return names;
}

/**
 * Writes `coaching/<safeFileName(agent id)>.md` for every agent in outDir's results.jsonl and returns
 * how many. The packs are written into a hidden folder and put in place together: coaching/ never
 * mixes packs of two runs.
 */
export async function writeCoachingPacks(outDir: string, options: CoachingOptions = {}): Promise<number> {
  const run = await readRunInfo(outDir);
  const agents = new Map<string, AgentTally>();
  for await (const r of readResults(join(outDir, RESULTS_FILE))) {
    if (r.type !== 'call') continue;
    // Grouped as the aggregator does (an id, else a name, else the unknown agent).
    const key = agentKey(r.agentId, r.agentName);
    let a = agents.get(key);
    if (!a) {
      a = {
        agentId: r.agentId,
        agentName: r.agentName,
        calls: 0,
        scoreSum: 0,
        passed: 0,
        undated: 0,
        rules: new Map(),
        reasons: new Map(),
        channels: new Map(),
      };
      agents.set(key, a);
    }
    addCall(a, r);
  }
  const list = [...agents.values()].sort(compareAgents);
  const order = new Map<string, number>();
  for (const id of run.layout.ruleIds) order.set(id, order.size);
  for (const id of run.layout.criteria ?? []) order.set(`llm:${id}`, order.size);
  const ranks = rankAgents(list);
  const names = packNames(list);
  const text = packText(run);

  const finalDir = resolve(outDir, 'coaching');
  const tempDir = resolve(outDir, `.coaching.${process.pid}.partial`);
  const oldDir = resolve(outDir, `.coaching.${process.pid}.old`);
  await rm(tempDir, { recursive: true, force: true });
  await mkdir(tempDir, { recursive: true });
  try {
    for (const a of list) {
      const path = join(tempDir, `${names.get(a) as string}.md`);
      // Defence in depth: safeFileName never leaves the folder.
      if (dirname(path) !== tempDir) throw new Error(`coaching pack name escapes its folder: ${path}`);
      const baseline = options.baseline?.get(agentKey(a.agentId, a.agentName));
      const ranked = ranks.get(a) ?? { rank: 0, of: list.length };
      // The pack's scope is the agent's conversations: chats and social threads only, and it says conversations.
      const words = { ...text, say: inScope(text.say, writtenOnly(a.channels)) };
      await writeFile(path, renderPack(a, run, words, ranked, order, baseline, options.baseline !== undefined));
    }
    await rm(oldDir, { recursive: true, force: true });
    await rename(finalDir, oldDir).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await rename(tempDir, finalDir);
    await rm(oldDir, { recursive: true, force: true });
  } catch (err) {
    await rm(tempDir, { recursive: true, force: true });
    throw err;
  }
  return list.length;
}
