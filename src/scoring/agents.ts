import type { CallResult } from './score-call.js';

export interface AgentStats {
  agentId: string;
  agentName: string;
  calls: number;
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

/** Per-agent aggregates, updated call by call: memory grows with agents, never with calls. */
export class AgentAggregator {
  private readonly agents = new Map<string, AgentStats>();

  add(result: CallResult): void {
    // Sources without agent ids (chats, subtitles) still name the agent: group those by name.
    const key = result.agentId !== '' ? `id:${result.agentId}` : `name:${result.agentName}`;
    let a = this.agents.get(key);
    if (!a) {
      a = {
        agentId: result.agentId,
        agentName: result.agentName,
        calls: 0,
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
    a.scoreSum += result.score;
    a.minScore = Math.min(a.minScore, result.score);
    a.maxScore = Math.max(a.maxScore, result.score);
    if (result.passed) a.passed++;
    if (result.agentCharsPerMinute !== undefined) {
      a.cpmSum += result.agentCharsPerMinute;
      a.cpmCalls++;
    }
    a.findings += result.findings.length;
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

  /** Agents in a stable order: by id, then (agents known only by name) by name. */
  list(): AgentStats[] {
    const order = (a: AgentStats) => `${a.agentId === '' ? '1' : '0'}${a.agentId}\u0000${a.agentName}`;
    return [...this.agents.values()].sort((x, y) => (order(x) < order(y) ? -1 : order(x) > order(y) ? 1 : 0));
  }
}

export function averageScore(a: AgentStats): number {
  return a.calls === 0 ? 0 : a.scoreSum / a.calls;
}
