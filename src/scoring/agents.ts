import { standingFindings } from '../review/verdict.js';
import { type Channel, isWrittenChannel } from '../model/call.js';
import type { CallResult } from './score-call.js';

export interface AgentStats {
  agentId: string;
  agentName: string;
  calls: number;
  /** The agent's calls by channel: chats and social threads only, and the agent's counts say conversations. */
  channels: Map<Channel, number>;
  scoreSum: number;
  minScore: number;
  maxScore: number;
  passed: number;
  cpmSum: number;
  cpmCalls: number;
  findings: number;
  ruleFails: Map<string, number>;
  /** LLM criterion id → sum and count of the scores graded for this agent's calls. */
  criterionScores: Map<string, { sum: number; n: number }>;
}

/**
 * The one key an agent is grouped, matched and looked up by, everywhere (agents.csv, report.html,
 * coaching packs, gates, the baseline): its id; else, for sources that only name the agent (WebVTT
 * voices, chats), its name; calls with neither share the unknown agent. The prefixes keep an id and
 * a name of the same text apart. Keys are user data: use them in Maps only.
 */
export function agentKey(agentId: string, agentName: string): string {
  return agentId !== '' ? `id:${agentId}` : agentName !== '' ? `name:${agentName}` : UNKNOWN_AGENT_KEY;
}

/** The key of the calls that name no agent at all (no id, no name). */
export const UNKNOWN_AGENT_KEY = 'unknown';

/** An agent in plain text: `A1001 王芳`, `A1001`, `王芳`, or `(unknown agent)` for calls that name none. */
export function agentLabel(a: { agentId: string; agentName: string }): string {
  if (a.agentId !== '' && a.agentName !== '') return `${a.agentId} ${a.agentName}`;
  return a.agentId || a.agentName || UNKNOWN_AGENT_LABEL;
}

export const UNKNOWN_AGENT_LABEL = '(unknown agent)';

/** An agent row that stands for the calls with neither an agent id nor a name, not for one person. */
export function isUnknownAgent(a: { agentId: string; agentName: string }): boolean {
  return a.agentId === '' && a.agentName === '';
}

/** Per-agent aggregates, updated call by call: memory grows with agents, never with calls. */
export class AgentAggregator {
  private readonly agents = new Map<string, AgentStats>();

  add(result: CallResult): void {
    // Sources without agent ids (chats, subtitles) still name the agent: group those by name.
    const key = agentKey(result.agentId, result.agentName);
    let a = this.agents.get(key);
    if (!a) {
      a = {
        agentId: result.agentId,
        agentName: result.agentName,
        calls: 0,
        channels: new Map(),
        scoreSum: 0,
        minScore: Number.POSITIVE_INFINITY,
        maxScore: Number.NEGATIVE_INFINITY,
        passed: 0,
        cpmSum: 0,
        cpmCalls: 0,
        findings: 0,
        ruleFails: new Map(),
        criterionScores: new Map(),
      };
      this.agents.set(key, a);
    }
    if (!a.agentName && result.agentName) a.agentName = result.agentName;
    a.calls++;
    const channel = isWrittenChannel(result.channel) ? result.channel : 'voice';
    a.channels.set(channel, (a.channels.get(channel) ?? 0) + 1);
    a.scoreSum += result.score;
    a.minScore = Math.min(a.minScore, result.score);
    a.maxScore = Math.max(a.maxScore, result.score);
    if (result.passed) a.passed++;
    if (result.agentCharsPerMinute !== undefined) {
      a.cpmSum += result.agentCharsPerMinute;
      a.cpmCalls++;
    }
    a.findings += standingFindings(result.findings);
    const { outcomes } = result;
    for (const rule in outcomes) if (outcomes[rule] === 'fail') a.ruleFails.set(rule, (a.ruleFails.get(rule) ?? 0) + 1);
    if (result.llm?.status === 'ok' || result.llm?.status === 'cached') {
      for (const g of result.llm.grades ?? []) {
        const s = a.criterionScores.get(g.id) ?? { sum: 0, n: 0 };
        s.sum += g.score;
        s.n++;
        a.criterionScores.set(g.id, s);
      }
    }
  }

  /** Agents in a stable order: by id, then (agents known only by name) by name, the unknown agent last. */
  list(): AgentStats[] {
    return [...this.agents.values()].sort(compareAgents);
  }
}

/** The stable order of agents: by id, then agents known only by name by name, then the unknown agent. */
export function compareAgents(x: { agentId: string; agentName: string }, y: { agentId: string; agentName: string }): number {
  const order = (a: { agentId: string; agentName: string }) => `${a.agentId !== '' ? '0' : a.agentName !== '' ? '1' : '2'}${a.agentId}\u0000${a.agentName}`;
  const ox = order(x);
  const oy = order(y);
  return ox < oy ? -1 : ox > oy ? 1 : 0;
}

export function averageScore(a: AgentStats): number {
  return a.calls === 0 ? 0 : a.scoreSum / a.calls;
}
