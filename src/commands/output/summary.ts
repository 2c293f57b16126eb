import type { ChalkInstance } from 'chalk';
import type { LlmTotals } from '../../llm/run.js';
import { estimateCost, formatCost } from '../../llm/cost.js';
import type { AgentStats } from '../../scoring/agents.js';
import { agentLabel, averageScore, isUnknownAgent, UNKNOWN_AGENT_LABEL } from '../../scoring/agents.js';
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
  /** With --resume: inputs taken from the interrupted run's results. */
  resumed?: number;
  outDir: string;
  rubricName: string;
  passScore: number;
}

const MAX_AGENTS_SHOWN = 20;

/** The run's summary for a person: calls, average, agents best first; colour only when `c` has it. */
export function renderSummary(t: RunTotals, agents: readonly AgentStats[], c: ChalkInstance): string {
  const lines: string[] = [];
  const avg = t.calls === 0 ? 0 : t.scoreSum / t.calls;
  const tint = (score: number) => (score >= t.passScore ? c.green : score >= t.passScore - 20 ? c.yellow : c.red);
  lines.push(c.bold(`callqa · ${t.rubricName}`));
  lines.push(
    `${t.calls} call${t.calls === 1 ? '' : 's'} scored from ${t.files} input${t.files === 1 ? '' : 's'} · average ${tint(avg)(round(avg, 1).toFixed(1))} · ` +
      `${t.passed} passed (${t.calls === 0 ? 0 : Math.round((t.passed / t.calls) * 100)}%, pass mark ${t.passScore})`,
  );
  if (t.inputErrors > 0) lines.push(c.red(`${t.inputErrors} input problem${t.inputErrors === 1 ? '' : 's'}: see errors.csv`));
  if (t.skipped > 0) {
    const kinds = [...t.skippedExtensions].map(([ext, n]) => `${ext} ×${n}`).join(', ');
    lines.push(c.dim(`${t.skipped} ${t.skipped === 1 ? 'entry' : 'entries'} skipped (${printable(kinds)})`));
  }
  if (t.resumed) lines.push(c.dim(`${t.resumed} input${t.resumed === 1 ? '' : 's'} taken from the earlier run (--resume)`));
  if (t.repaired > 0)
    lines.push(c.dim(`${t.repaired} JSON file${t.repaired === 1 ? '' : 's'} read after repair (comments, trailing commas or a stray closing bracket)`));
  if (t.metadata) {
    const m = t.metadata;
    const gaps = m.unmatchedRecords + m.callsWithout > 0 ? c.yellow : (s: string) => s;
    lines.push(
      gaps(
        `metadata: ${m.records} record${m.records === 1 ? '' : 's'}; ${m.unmatchedRecords} matched no call, ${m.callsWithout} call${m.callsWithout === 1 ? '' : 's'} had none${m.unmatchedRecords + m.callsWithout > 0 ? ' (see unmatched.csv)' : ''}`,
      ),
    );
  }
  const unknown = agents.find(isUnknownAgent);
  if (unknown) {
    lines.push(
      c.yellow(
        `${unknown.calls} call${unknown.calls === 1 ? '' : 's'} without an agent id or name, counted together as "${UNKNOWN_AGENT_LABEL}" (agents.csv: the row with both empty)`,
      ),
    );
  }
  const ranked = [...agents].sort((a, b) => averageScore(b) - averageScore(a) || (a.agentId < b.agentId ? -1 : 1));
  if (ranked.length > 0) {
    lines.push('');
    lines.push(c.bold('agents by average score'));
    const width = Math.max(5, ...ranked.slice(0, MAX_AGENTS_SHOWN).map((a) => displayWidth(label(a))));
    ranked.slice(0, MAX_AGENTS_SHOWN).forEach((a, i) => {
      const score = averageScore(a);
      lines.push(
        `${String(i + 1).padStart(3)}. ${padToWidth(label(a), width)}  ${tint(score)(round(score, 1).toFixed(1).padStart(5))}  ` +
          `${a.calls} call${a.calls === 1 ? '' : 's'}, ${Math.round((a.passed / a.calls) * 100)}% passed`,
      );
    });
    if (ranked.length > MAX_AGENTS_SHOWN) lines.push(c.dim(`     … ${ranked.length - MAX_AGENTS_SHOWN} more in agents.csv`));
  }
  if (t.movers && t.movers.length > 0) lines.push('', c.bold('moved most since the baseline'), ...t.movers.map((m) => `  ${m}`));
  if (t.llm) lines.push('', ...llmSummary(t.llm, c));
  lines.push('');
  lines.push(`reports: ${t.outDir}`);
  return `${lines.join('\n')}\n`;
}

/** Ids and names come from transcripts: control characters (terminal escapes) are shown, not obeyed. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function label(a: AgentStats): string {
  return printable(agentLabel(a));
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

function llmSummary(l: LlmTotals, c: ChalkInstance): string[] {
  const n = (x: number) => x.toLocaleString('en-US');
  if (l.dryRun) {
    const d = l.dryRun;
    return [
      c.bold(`LLM dry run (${l.model}${l.batch ? ', batch' : ''}): nothing was sent`),
      `${d.toGrade} call${d.toGrade === 1 ? '' : 's'} would be graded, ${d.cached} cached; ~${n(d.inputTokens)} input and ~${n(d.outputTokens)} output tokens; ${d.cost}`,
    ];
  }
  const cost = formatCost(estimateCost(l.usage, l.model, { batch: l.batch, requests: Math.max(1, l.requests) }));
  return [
    c.bold(`LLM (${l.model}${l.batch ? ', batch' : ''})`),
    `${n(l.requests)} request${l.requests === 1 ? '' : 's'}, ${n(l.cacheHits)} cache hit${l.cacheHits === 1 ? '' : 's'}, ${l.graded} graded${l.errors > 0 ? c.red(`, ${l.errors} failed`) : ''}${l.skipped > 0 ? `, ${l.skipped} skipped` : ''}`,
    `tokens: ${n(l.usage.input)} in, ${n(l.usage.output)} out, ${n(l.usage.cacheRead)} cache read, ${n(l.usage.cacheCreation)} cache write; ${cost}`,
  ];
}
