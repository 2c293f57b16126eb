import type { ChalkInstance } from 'chalk';
import type { LlmTotals } from '../../llm/run.js';
import { estimateCost, formatCost } from '../../llm/cost.js';
import type { AgentStats } from '../../scoring/agents.js';
import { agentLabel, averageScore, isUnknownAgent } from '../../scoring/agents.js';
import { figure, type MessageKey, type Translator, translator } from '../../i18n/format.js';
import { DEFAULT_LANG, type Lang } from '../../i18n/lang.js';
import { inScope, writtenOnly } from '../../i18n/written.js';
import type { Channel } from '../../model/call.js';
import { round } from '../../util/format.js';

export interface RunTotals {
  calls: number;
  passed: number;
  scoreSum: number;
  files: number;
  inputErrors: number;
  /** Entries of named directories skipped, by kind (an extension, `hidden`, `node_modules`…: InputTally). */
  skipped: number;
  skippedExtensions: Map<string, number>;
  /** Inputs read after repairing vendor-style JSON. */
  repaired: number;
  /** With --metadata: records read, records that matched no call, calls that had no record. */
  metadata?: { records: number; unmatchedRecords: number; callsWithout: number };
  /** With --llm: requests, cache hits, tokens, cost. */
  llm?: LlmTotals;
  /** With --baseline: the agents whose average moved most. */
  movers?: string[];
  /** The calls of each channel (voice: a phone call, or a channel not given). */
  channels?: Partial<Record<Channel, number>>;
  /** With --resume: inputs taken from the interrupted run's results. */
  resumed?: number;
  outDir: string;
  /** The language the summary is written in (English without one). */
  lang?: Lang | undefined;
  rubricName: string;
  passScore: number;
}

const MAX_AGENTS_SHOWN = 20;

/** English's two forms of a count's word (one call, two calls); the Chinese catalogs give the same text for both. */
export const form = (n: number) => (n === 1 ? 'one' : 'other');

/** A number with `digits` decimals, written for the language (`100.0`). */
function fixed(lang: Lang, x: number, digits: number): string {
  return figure(lang, round(x, digits), digits);
}

/**
 * The run's summary for a person, in the run's language (`t.lang`, English without one): calls, average,
 * agents best first; colour only when `c` has it.
 */
export function renderSummary(t: RunTotals, agents: readonly AgentStats[], c: ChalkInstance): string {
  const lang = t.lang ?? DEFAULT_LANG;
  // Chats and social threads only: every count says conversations (段对话), not calls (通话).
  const say = inScope(translator(lang), writtenOnly(Object.entries(t.channels ?? {}) as [Channel, number][]));
  const tint = (score: number) => (score >= t.passScore ? c.green : score >= t.passScore - 20 ? c.yellow : c.red);
  const lines = [c.bold(`callqa · ${t.rubricName}`), ...runLines(t, say, lang, tint), ...notes(t, agents, say, c)];
  const ranked = [...agents].sort((a, b) => averageScore(b) - averageScore(a) || (a.agentId < b.agentId ? -1 : 1));
  if (ranked.length > 0) lines.push('', c.bold(say('summary.agents')), ...agentLines(ranked, say, lang, tint, c));
  if (t.movers && t.movers.length > 0) lines.push('', c.bold(say('summary.movers')), ...t.movers.map((m) => `  ${m}`));
  if (t.llm) lines.push('', ...llmSummary(t.llm, c, say, lang));
  lines.push('');
  lines.push(say('summary.reports', { dir: t.outDir }));
  return `${lines.join('\n')}\n`;
}

type Tint = (score: number) => (text: string) => string;

/** Calls, average and passes, then what the run met on the way: input problems, skipped entries, resumed and repaired inputs, metadata. */
function runLines(t: RunTotals, say: Translator, lang: Lang, tint: Tint): string[] {
  const avg = t.calls === 0 ? 0 : t.scoreSum / t.calls;
  const lines = [
    say(`summary.scored.${form(t.calls)}.${form(t.files)}`, {
      calls: t.calls,
      files: t.files,
      average: tint(avg)(fixed(lang, avg, 1)),
      passed: t.passed,
      percent: t.calls === 0 ? 0 : Math.round((t.passed / t.calls) * 100),
      passScore: t.passScore,
    }),
  ];
  return lines;
}

/** The notes under the first line, each in its colour. */
function notes(t: RunTotals, agents: readonly AgentStats[], say: Translator, c: ChalkInstance): string[] {
  const lines: string[] = [];
  if (t.inputErrors > 0) lines.push(c.red(say(`summary.input-errors.${form(t.inputErrors)}`, { count: t.inputErrors, file: 'errors.csv' })));
  if (t.skipped > 0) {
    const kinds = [...t.skippedExtensions].map(([kind, n]) => printable(`${skipKind(kind, say)} ×${n}`));
    lines.push(c.dim(say(`summary.skipped.${form(t.skipped)}`, { count: t.skipped, kinds })));
  }
  if (t.resumed) lines.push(c.dim(say(`summary.resumed.${form(t.resumed)}`, { count: t.resumed, flag: '--resume' })));
  if (t.repaired > 0) lines.push(c.dim(say(`summary.repaired.${form(t.repaired)}`, { count: t.repaired, format: 'JSON' })));
  if (t.metadata) {
    const m = t.metadata;
    const gaps = m.unmatchedRecords + m.callsWithout > 0;
    const metadata = say(`summary.metadata.${form(m.records)}.${form(m.callsWithout)}`, {
      records: m.records,
      unmatched: m.unmatchedRecords,
      without: m.callsWithout,
    });
    lines.push(gaps ? c.yellow(say('summary.metadata-gaps', { metadata, file: 'unmatched.csv' })) : metadata);
  }
  const unknown = agents.find(isUnknownAgent);
  if (unknown) {
    const label = say('summary.unknown-agent.label');
    lines.push(c.yellow(say(`summary.unknown-agent.${form(unknown.calls)}`, { count: unknown.calls, label, file: 'agents.csv' })));
  }
  return lines;
}

/** The kinds of entries ingest skips (InputTally), in the language; an extension or `node_modules` as it is. */
const SKIP_KINDS: Readonly<Record<string, MessageKey>> = {
  hidden: 'summary.skip.hidden',
  '(none)': 'summary.skip.none',
  'named twice': 'summary.skip.named-twice',
  'file already read': 'summary.skip.file-read',
  'folder already read': 'summary.skip.folder-read',
};

function skipKind(kind: string, say: Translator): string {
  const key = Object.hasOwn(SKIP_KINDS, kind) ? SKIP_KINDS[kind] : undefined;
  return key ? say(key) : kind;
}

/** The first MAX_AGENTS_SHOWN agents, ranked, their names in one column. */
function agentLines(ranked: readonly AgentStats[], say: Translator, lang: Lang, tint: Tint, c: ChalkInstance): string[] {
  const shown = ranked.slice(0, MAX_AGENTS_SHOWN);
  const width = Math.max(5, ...shown.map((a) => displayWidth(label(a, say))));
  const lines = shown.map((a, i) => {
    const score = averageScore(a);
    // An agent of chats only, in a run with calls too: conversations all the same.
    const calls = inScope(say, writtenOnly(a.channels))(`summary.agent.${form(a.calls)}`, {
      calls: a.calls,
      percent: Math.round((a.passed / a.calls) * 100),
    });
    return `${String(i + 1).padStart(3)}. ${padToWidth(label(a, say), width)}  ${tint(score)(fixed(lang, score, 1).padStart(5))}  ${calls}`;
  });
  if (ranked.length > MAX_AGENTS_SHOWN)
    lines.push(c.dim(`     ${say('summary.agents-more', { count: ranked.length - MAX_AGENTS_SHOWN, file: 'agents.csv' })}`));
  return lines;
}

/** Ids and names come from transcripts: control characters (terminal escapes) are shown, not obeyed. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The agent's name and id; the calls without either under the language's "(unknown agent)". */
function label(a: AgentStats, say: Translator): string {
  return isUnknownAgent(a) ? say('summary.unknown-agent.label') : printable(agentLabel(a));
}

// Han, kana, Hangul and full-width forms take two columns in a terminal.
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += WIDE.test(ch) ? 2 : 1;
  return width;
}

function padToWidth(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

function llmSummary(l: LlmTotals, c: ChalkInstance, say: Translator, lang: Lang): string[] {
  const grouped = new Intl.NumberFormat(lang === 'en' ? 'en-US' : lang);
  const n = (x: number) => grouped.format(x);
  if (l.dryRun) {
    const d = l.dryRun;
    return [
      c.bold(say(l.batch ? 'summary.llm-dry-run-batch' : 'summary.llm-dry-run', { model: l.model })),
      say(`summary.llm-would-grade.${form(d.toGrade)}`, {
        count: d.toGrade,
        cached: d.cached,
        input: n(d.inputTokens),
        output: n(d.outputTokens),
        cost: d.cost,
      }),
    ];
  }
  const cost = formatCost(estimateCost(l.usage, l.model, { batch: l.batch, requests: Math.max(1, l.requests) }));
  const counts = [
    say(`summary.llm-requests.${form(l.requests)}`, { count: n(l.requests) }),
    say(`summary.llm-cache-hits.${form(l.cacheHits)}`, { count: n(l.cacheHits) }),
    say('summary.llm-graded', { count: l.graded }),
    ...(l.errors > 0 ? [c.red(say('summary.llm-failed', { count: l.errors }))] : []),
    ...(l.skipped > 0 ? [say('summary.llm-skipped', { count: l.skipped })] : []),
  ];
  const tokens = { input: n(l.usage.input), output: n(l.usage.output), cacheRead: n(l.usage.cacheRead), cacheWrite: n(l.usage.cacheCreation), cost };
  return [
    c.bold(say(l.batch ? 'summary.llm-batch' : 'summary.llm', { model: l.model })),
    say('summary.list', { items: counts }),
    say('summary.llm-tokens', tokens),
  ];
}
