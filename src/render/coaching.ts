import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { maskPersonalNumbers } from '../privacy/mask.js';
import { clock, round } from '../util/format.js';
import { safeFileName } from '../util/safe-name.js';
import { agentKey, compareAgents, isUnknownAgent } from '../scoring/agents.js';
import { RESULTS_FILE, readResults, readRunInfo } from '../results/read.js';
import type { CallRecord, RunInfo } from '../results/codec.js';

/**
 * Coaching packs: one Markdown file per agent under `<report>/coaching/`, made from a report
 * directory's results.jsonl and run.json. For each agent: calls, average score and rank, the change
 * since a baseline, the three most frequent failures with the rubric's advice and evidence, the rules
 * the agent never failed, and the model's reasons. results.jsonl is streamed: memory holds per-agent
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
  /** Rule id, or `llm:<criterion id>`. */
  rules: Map<string, RuleTally>;
  /** Criterion id → the model's reasons where it deducted. */
  reasons: Map<string, Reason[]>;
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

function addCall(agent: AgentTally, r: CallRecord): void {
  agent.calls++;
  agent.scoreSum += r.score;
  if (r.passed) agent.passed++;
  if (!agent.agentName && r.agentName) agent.agentName = r.agentName;
  for (const [rule, outcome] of Object.entries(r.outcomes)) {
    // Not applicable, or awaiting a person's review: neither a failure nor a pass to coach.
    if (outcome === 'n/a' || outcome === 'review') continue;
    const t = tallyOf(agent, rule);
    if (outcome === 'fail') t.fails++;
    else if (outcome === 'pass') t.passes++;
    else t.errors++;
  }
  for (const f of r.findings) {
    // A finding awaiting review is not yet something to coach.
    if (f.status === 'review') continue;
    const t = tallyOf(agent, f.rule);
    t.findings++;
    t.deduction += f.deduction;
    const e: Evidence = { callId: r.callId, quote: f.evidence, message: f.message };
    if (f.at !== undefined) e.at = f.at;
    addEvidence(t.evidence, e);
  }
  const llm = r.llm;
  if (llm && (llm.status === 'ok' || llm.status === 'cached')) {
    for (const g of llm.grades ?? []) {
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

const percent = (x: number) => `${round(x * 100, 1)}%`;
const signed = (x: number, digits = 2) => (x > 0 ? `+${round(x, digits)}` : x < 0 ? `−${round(-x, digits)}` : '±0');

function agentTitle(a: AgentTally): string {
  if (a.agentId !== '' && a.agentName !== '') return `${markdownText(a.agentName)}（${markdownText(a.agentId)}）`;
  if (a.agentId !== '') return markdownText(a.agentId);
  return a.agentName !== '' ? `${markdownText(a.agentName)}（无工号）` : '（未知坐席）';
}

function evidenceLine(e: Evidence): string {
  const time = e.at === undefined ? '' : ` ${clock(e.at)}`;
  const message = e.message.trim() === '' ? '' : ` — ${markdownText(truncate(e.message, QUOTE_CHARS))}`;
  return `  - ${markdownText(e.callId, 'block')}${time} "${markdownText(truncate(e.quote, QUOTE_CHARS))}"${message}`;
}

interface Ranked {
  rank: number;
  of: number;
}

function renderPack(
  a: AgentTally,
  run: RunInfo,
  ranked: Ranked,
  order: Map<string, number>,
  baseline: BaselineEntry | undefined,
  hasBaseline: boolean,
): string {
  // As agents.csv rounds them, so the change is what an analyst gets from the two files.
  const avg = round(a.calls === 0 ? 0 : a.scoreSum / a.calls, 2);
  const passRate = round(a.calls === 0 ? 0 : a.passed / a.calls, 3);
  const out: string[] = [];
  out.push(`# 辅导报告：${agentTitle(a)}`, '');
  out.push(`评分标准：${markdownText(run.rubric.name)}（合格线 ${run.rubric.passScore} 分）`, '');
  out.push('## 概况', '');
  out.push(`- 通话数：${a.calls}`);
  out.push(`- 平均分：${round(avg, 2)}（第 ${ranked.rank} 名，共 ${ranked.of} 名坐席）`);
  out.push(`- 合格率：${percent(passRate)}（${a.passed}/${a.calls}）`);
  if (hasBaseline && isUnknownAgent(a)) {
    out.push('- 与基线相比：这些通话没有坐席工号或姓名，不与基线比较');
  } else if (hasBaseline) {
    out.push(
      baseline
        ? `- 与基线相比：平均分 ${signed(avg - baseline.avgScore)}（基线 ${round(baseline.avgScore, 2)}），合格率 ${signed((passRate - baseline.passRate) * 100, 1)} 个百分点（基线 ${percent(baseline.passRate)}）`
        : '- 与基线相比：基线中没有该坐席的通话',
    );
  }
  out.push('');

  // Hidden helper rules have outcomes in the records but no column: only the report's rules and criteria count.
  const reported = [...a.rules.entries()].filter(([rule]) => order.has(rule) || rule.startsWith('llm:'));
  const failures = reported
    .filter(([, t]) => t.fails > 0)
    .sort(
      ([x, tx], [y, ty]) =>
        ty.fails - tx.fails ||
        ty.findings - tx.findings ||
        ty.deduction - tx.deduction ||
        (order.get(x) ?? Number.MAX_SAFE_INTEGER) - (order.get(y) ?? Number.MAX_SAFE_INTEGER) ||
        (x < y ? -1 : x > y ? 1 : 0),
    )
    .slice(0, TOP_FAILURES);
  out.push('## 最常见的问题', '');
  if (failures.length === 0) out.push('这些通话没有未通过的规则。', '');
  failures.forEach(([rule, t], i) => {
    out.push(`### ${i + 1}. ${markdownText(rule)}`, '');
    out.push(`- 未通过：${t.fails} 通（共 ${a.calls} 通），问题 ${t.findings} 处，扣分 ${round(t.deduction, 2)}`);
    const advice = run.rubric.advice[rule];
    out.push(`- 改进建议：${advice ? markdownText(advice) : '（评分标准中没有这条规则的建议）'}`);
    if (t.evidence.length > 0) {
      out.push('- 证据：');
      for (const e of t.evidence) out.push(evidenceLine(e));
    }
    out.push('');
  });

  const strengths = reported
    .filter(([, t]) => t.passes > 0 && t.fails === 0 && t.errors === 0)
    .map(([rule]) => rule)
    .sort((x, y) => (order.get(x) ?? Number.MAX_SAFE_INTEGER) - (order.get(y) ?? Number.MAX_SAFE_INTEGER) || (x < y ? -1 : x > y ? 1 : 0));
  out.push('## 做得好的（适用时从未失分）', '');
  out.push(strengths.length > 0 ? strengths.map((r) => `- ${markdownText(r, 'block')}`).join('\n') : '暂无：每条适用的规则都至少未通过一次。', '');

  if (a.reasons.size > 0) {
    out.push('## 模型评语', '');
    const criteria = [...a.reasons.keys()].sort(
      (x, y) => (order.get(`llm:${x}`) ?? Number.MAX_SAFE_INTEGER) - (order.get(`llm:${y}`) ?? Number.MAX_SAFE_INTEGER) || (x < y ? -1 : x > y ? 1 : 0),
    );
    for (const id of criteria) {
      for (const r of a.reasons.get(id) ?? []) {
        out.push(`- llm:${markdownText(id)}（${markdownText(r.callId)}，${round(r.score, 2)} 分）：${markdownText(truncate(r.reason, 2 * QUOTE_CHARS))}`);
      }
    }
    out.push('');
  }
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
      a = { agentId: r.agentId, agentName: r.agentName, calls: 0, scoreSum: 0, passed: 0, rules: new Map(), reasons: new Map() };
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
      await writeFile(path, renderPack(a, run, ranked, order, baseline, options.baseline !== undefined));
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
