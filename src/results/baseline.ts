import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { translator } from '../i18n/format.js';
import { DEFAULT_LANG, type Lang } from '../i18n/lang.js';
import type { Message } from '../i18n/message.js';
import { InputProblem, msg } from '../ingest/errors.js';
import type { AgentStats } from '../scoring/agents.js';
import { agentKey, agentLabel, averageScore, isUnknownAgent } from '../scoring/agents.js';
import { round } from '../util/format.js';
import { neutralise } from '../render/csv.js';
import { headerIds } from '../render/tables.js';

/** One agent of an earlier run, as its agents.csv row has it. */
export interface BaselineAgent {
  agentName: string;
  avgScore: number;
  passRate: number;
  calls: number;
}

/** Agent key → the agent's figures in the earlier run (see `agentKey`). */
export type Baseline = Map<string, BaselineAgent>;

/** A `--baseline` directory that cannot be used: a usage problem (exit 2), named with the file and line. */
export class BaselineError extends InputProblem {}

/** How an agent is matched between runs: the aggregator's key (an id, else a name). */
export { agentKey };

const REQUIRED = ['agent_id', 'agent_name', 'calls', 'avg_score', 'pass_rate'] as const;
type Column = (typeof REQUIRED)[number];

/** Cells were written neutralised (`'=x`): the id the aggregator saw is the text without the quote. */
function unneutralise(cell: string): string {
  return cell.startsWith("'") && neutralise(cell.slice(1)) === cell ? cell.slice(1) : cell;
}

/**
 * Reads the agents.csv of an earlier report directory (with or without BOM; its header row of ids or of
 * localized names), streamed. A missing directory or file, a missing column or a cell that is not a
 * number throws a `BaselineError` naming the file and the line. An agent listed twice (concatenated reports) is merged, weighted
 * by calls.
 */
export async function readBaseline(dir: string): Promise<Baseline> {
  const info = await stat(dir).catch(() => undefined);
  if (!info) throw new BaselineError(msg('baseline.no-dir', { flag: '--baseline', command: 'callqa score', dir }));
  if (!info.isDirectory()) throw new BaselineError(msg('baseline.not-dir', { flag: '--baseline', command: 'callqa score', dir }));
  const file = join(dir, 'agents.csv');
  const fileInfo = await stat(file).catch(() => undefined);
  if (!fileInfo?.isFile()) throw new BaselineError(msg('baseline.no-agents', { flag: '--baseline', command: 'callqa score', file: 'agents.csv', dir }));

  const baseline: Baseline = new Map();
  const parser = createReadStream(file).pipe(parse({ bom: true, info: true, record_delimiter: ['\r\n', '\n', '\r'], skip_empty_lines: true }));
  let index: Record<Column, number> | undefined;
  try {
    for await (const { record, info: where } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = where.lines;
      if (!index) {
        // Either header row: the ids, or names in any language (--headers localized).
        const header = headerIds(record.map((h) => h.trim()));
        const missing = REQUIRED.filter((c) => !header.includes(c));
        if (missing.length > 0) {
          throw new BaselineError(
            msg(missing.length === 1 ? 'baseline.missing-column' : 'baseline.missing-columns', {
              where: `${file}:${line}`,
              file: 'agents.csv',
              columns: missing,
            }),
            line,
          );
        }
        index = Object.fromEntries(REQUIRED.map((c) => [c, header.indexOf(c)])) as Record<Column, number>;
        continue;
      }
      const cols = index;
      const cell = (c: Column) => record[cols[c]] ?? '';
      const number = (c: Column, min: number, max: number): number => {
        const text = cell(c).trim();
        const n = Number(text);
        if (text === '' || !Number.isFinite(n) || n < min || n > max) {
          throw new BaselineError(msg('baseline.number', { where: `${file}:${line}`, column: c, min, max, value: cell(c) }), line);
        }
        return n;
      };
      const agentId = unneutralise(cell('agent_id'));
      const agentName = unneutralise(cell('agent_name'));
      const calls = number('calls', 0, Number.MAX_SAFE_INTEGER);
      if (!Number.isInteger(calls)) throw new BaselineError(msg('baseline.whole', { where: `${file}:${line}`, column: 'calls', value: cell('calls') }), line);
      const row: BaselineAgent = { agentName, avgScore: number('avg_score', 0, 100), passRate: number('pass_rate', 0, 1), calls };
      const key = agentKey(agentId, agentName);
      const seen = baseline.get(key);
      baseline.set(key, seen ? merge(seen, row) : row);
    }
  } catch (err) {
    if (err instanceof BaselineError) throw err;
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('CSV_')) throw new BaselineError(msg('baseline.malformed', { file, reason: (err as Error).message }));
    throw new BaselineError(msg('baseline.unreadable', { flag: '--baseline', dir, file: 'agents.csv', reason: (err as Error).message }));
  }
  if (!index) throw new BaselineError(msg('baseline.empty', { file }));
  return baseline;
}

function merge(a: BaselineAgent, b: BaselineAgent): BaselineAgent {
  const calls = a.calls + b.calls;
  const weigh = (x: number, y: number) => (calls === 0 ? (x + y) / 2 : (x * a.calls + y * b.calls) / calls);
  return { agentName: a.agentName || b.agentName, avgScore: weigh(a.avgScore, b.avgScore), passRate: weigh(a.passRate, b.passRate), calls };
}

/** An agent of this run against the baseline; the deltas are undefined for an agent new since then. */
export interface AgentDelta {
  key: string;
  agentId: string;
  agentName: string;
  calls: number;
  /** This run's figures, rounded as agents.csv has them. */
  avgScore: number;
  passRate: number;
  baseline?: BaselineAgent;
  /** This run's average minus the baseline's, in points (negative: worse). */
  avgScoreDelta?: number;
  /** This run's pass rate minus the baseline's, as a fraction (−0.1: ten points fewer passed). */
  passRateDelta?: number;
}

/**
 * Each agent of this run (in the order given) with the change since the baseline. Both sides are
 * compared as agents.csv rounds them (average 2 decimals, pass rate 3), so a delta is what an
 * analyst would compute from the two files.
 */
export function agentDeltas(current: readonly AgentStats[], baseline: Baseline): AgentDelta[] {
  return current.map((a) => {
    const key = agentKey(a.agentId, a.agentName);
    const avgScore = round(averageScore(a), 2);
    const passRate = a.calls === 0 ? 0 : round(a.passed / a.calls, 3);
    const delta: AgentDelta = { key, agentId: a.agentId, agentName: a.agentName, calls: a.calls, avgScore, passRate };
    // Calls that name no agent are nobody in particular: their row is never compared (no delta, no gate).
    const before = isUnknownAgent(a) ? undefined : baseline.get(key);
    if (before) {
      delta.baseline = before;
      delta.avgScoreDelta = round(avgScore - before.avgScore, 2);
      delta.passRateDelta = round(passRate - before.passRate, 3);
    }
    return delta;
  });
}

export interface MoverOptions {
  /** How many agents (default 5). */
  count?: number;
  /** Which change ranks them (default the average score). */
  by?: 'avgScore' | 'passRate';
  /** Leave out agents with fewer calls in this run (default 1: all). */
  minCalls?: number;
}

/**
 * The agents whose figure moved most since the baseline, largest |delta| first (ties: the drop
 * first, then by key). Agents new since the baseline and agents that did not move are left out.
 */
export function biggestMovers(deltas: readonly AgentDelta[], { count = 5, by = 'avgScore', minCalls = 1 }: MoverOptions = {}): AgentDelta[] {
  const value = (d: AgentDelta) => (by === 'avgScore' ? d.avgScoreDelta : d.passRateDelta);
  return deltas
    .filter((d) => d.calls >= minCalls && value(d) !== undefined && value(d) !== 0)
    .sort((x, y) => {
      const a = value(x) as number;
      const b = value(y) as number;
      return Math.abs(b) - Math.abs(a) || a - b || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0);
    })
    .slice(0, Math.max(0, count));
}

/** `A1001 王芳: 91.67 → 80 (−11.67)`: one agent's change, for the summary and gate messages (plain text), in `lang`. */
export function describeMove(d: AgentDelta, by: 'avgScore' | 'passRate' = 'avgScore', lang: Lang = DEFAULT_LANG): string {
  const say = translator(lang);
  const agent = isUnknownAgent(d) ? say('summary.unknown-agent.label') : terminalSafe(agentLabel(d));
  const percent = (fraction: number) => say('move.percent', { percent: round(fraction * 100, 1) });
  if (!d.baseline) return say('move.new', { agent, figure: by === 'avgScore' ? d.avgScore : percent(d.passRate) });
  if (by === 'passRate') {
    const delta = d.passRateDelta ?? 0;
    return say('move.pass-rate', { agent, before: percent(d.baseline.passRate), after: percent(d.passRate), delta: signed(round(delta * 100, 1)) });
  }
  return say('move.score', { agent, before: round(d.baseline.avgScore, 2), after: d.avgScore, delta: signed(d.avgScoreDelta ?? 0) });
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '±0';
}

/**
 * Text from transcripts bound for a terminal: control characters (escape sequences, CR) and
 * bidirectional overrides become spaces, so a crafted agent name cannot rewrite the screen.
 */
export function terminalSafe(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ');
}

/** run.json files larger than this are not read for the baseline's rubric (a real one is a few kB). */
const MAX_RUN_JSON_BYTES = 16 * 1024 * 1024;

/**
 * A warning when the `--baseline` report was made with another rubric (another sha256 in its
 * run.json) than `current`: its scores measure something else, so changes against it may come from
 * the rubric rather than the agents. Undefined when the rubrics are the same, or the baseline has no
 * readable run.json that records one (an agents.csv on its own).
 */
export async function baselineRubricWarning(dir: string, current: { name: string; sha256: string }): Promise<Message | undefined> {
  const file = join(dir, 'run.json');
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile() || info.size > MAX_RUN_JSON_BYTES) return undefined;
  let rubric: unknown;
  try {
    rubric = (JSON.parse(await readFile(file, 'utf8')) as { rubric?: unknown } | null)?.rubric;
  } catch {
    return undefined;
  }
  if (typeof rubric !== 'object' || rubric === null) return undefined;
  const { name, sha256 } = rubric as { name?: unknown; sha256?: unknown };
  if (typeof sha256 !== 'string' || sha256 === '' || sha256 === current.sha256) return undefined;
  return msg('baseline.other-rubric', {
    flag: '--baseline',
    dir: terminalSafe(dir),
    before: terminalSafe(typeof name === 'string' ? name : ''),
    beforeSha: `sha256 ${terminalSafe(sha256.slice(0, 12))}`,
    now: terminalSafe(current.name),
    nowSha: `sha256 ${current.sha256.slice(0, 12)}`,
  });
}
