import type { Lang } from '../i18n/lang.js';
import { savedLang } from '../i18n/lang.js';
import { placeFindings } from '../render/explain.js';
import type { CallRecord, RunInfo, UtteranceRecord } from '../results/codec.js';
import { findingsWriter, runIn, titleIn } from '../results/languages.js';
import { compareAgents } from '../scoring/agents.js';
import type { Finding } from '../scoring/score-call.js';
import { findingIds } from './ids.js';

/** A call as the reviewer shows it around its findings. */
export interface ReviewCall {
  callId: string;
  agentId: string;
  agentName: string;
  startedAt?: string;
  /** The transcript, when the run kept it (`score --keep-transcripts`, or a call with a page in report.html). */
  utterances?: readonly UtteranceRecord[];
}

/** One finding to judge, with what the screen shows of it, in the reviewer's language. */
export interface ReviewItem {
  /** findingIds' id: what reviews.csv names. */
  id: string;
  call: ReviewCall;
  /** The finding as the record has it (masked), its message in the reviewer's language. */
  finding: Finding;
  /** The rule's title and advice in the reviewer's language ('' when the rubric gives none). */
  title: string;
  advice: string;
  /** The utterance the finding is about (explain's placement), or undefined: the whole call, or no transcript. */
  utterance?: number;
}

/**
 * The findings of a run in the order they are reviewed: those awaiting review (status `review`) first, then
 * the others (findings.csv's `deducted`), each agent by agent in the reports' order (compareAgents), the calls
 * of an agent in the results' order, a call's findings in its record's order. Records are added one by one
 * (results.jsonl is streamed); only calls with findings are kept, with their transcripts.
 */
export class ReviewItems {
  private readonly title: (id: string) => string;
  private readonly advice: Readonly<Record<string, string>>;
  private readonly writer: ReturnType<typeof findingsWriter> | undefined;
  private readonly byAgent = new Map<string, { agentId: string; agentName: string; items: ReviewItem[] }>();

  constructor(run: RunInfo, lang: Lang) {
    this.title = titleIn(run.rubric, lang);
    this.advice = runIn(run, lang).rubric.advice;
    // In another language than the run's, the findings' messages are written again from what they keep (`said`).
    this.writer = lang === savedLang(run.rubric) ? undefined : findingsWriter(run.rubric, lang);
  }

  add(record: CallRecord): void {
    if (record.findings.length === 0) return;
    // Ids over the record's findings as saved (masked already), whatever language the messages are shown in.
    const ids = findingIds(record.callId, record.findings);
    const shown = this.writer ? this.writer.write(record.findings) : record.findings;
    const places = new Map<Finding, number>();
    if (record.utterances) for (const [at, list] of placeFindings(record).byUtterance) for (const f of list) places.set(f, at);
    const call: ReviewCall = { callId: record.callId, agentId: record.agentId, agentName: record.agentName };
    if (record.startedAt !== undefined) call.startedAt = record.startedAt;
    if (record.utterances) call.utterances = record.utterances;
    const key = JSON.stringify([record.agentId, record.agentName]);
    let agent = this.byAgent.get(key);
    if (!agent) {
      agent = { agentId: record.agentId, agentName: record.agentName, items: [] };
      this.byAgent.set(key, agent);
    }
    record.findings.forEach((f, i) => {
      const item: ReviewItem = {
        id: ids[i] as string,
        call,
        finding: shown[i] as Finding,
        title: this.title(f.rule),
        advice: Object.hasOwn(this.advice, f.rule) ? (this.advice[f.rule] ?? '') : '',
      };
      const at = places.get(f);
      if (at !== undefined) item.utterance = at;
      (agent as { items: ReviewItem[] }).items.push(item);
    });
  }

  /** Every finding added, in review order. */
  list(): ReviewItem[] {
    const agents = [...this.byAgent.values()].sort(compareAgents);
    const awaiting = agents.flatMap((a) => a.items.filter((i) => i.finding.status === 'review'));
    const others = agents.flatMap((a) => a.items.filter((i) => i.finding.status !== 'review'));
    return [...awaiting, ...others];
  }
}
