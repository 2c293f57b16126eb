import type { Lang } from '../../i18n/lang.js';
import { maskPersonalNumbers } from '../../privacy/mask.js';
import type { RunInfo } from '../../results/codec.js';
import type { PageCall } from '../../results/write.js';
import type { PageChoice, PageLimits, PageShortlist } from '../../results/pages.js';
import { AgentAggregator, agentKey, averageScore } from '../../scoring/agents.js';
import { TextFile } from '../csv.js';
import { type AgentExtra, callRow, type Evidence, hasWritten, keepLowest, type RuleTally, type Totals } from './aggregates.js';
import { renderCallPage } from './call-page.js';
import { agentAnchor, callAnchor } from './escape.js';
import { clip } from './format.js';
import {
  AGENT_ROWS_BUDGET,
  CALL_PAGES_BUDGET_BYTES,
  EVIDENCE_PER_RULE,
  LOWEST_CALLS_PER_AGENT,
  MAX_CALL_PAGE_BYTES,
  MAX_CALL_PAGES,
  MAX_ERRORS_LISTED,
} from './limits.js';
import { agentSection, overview } from './overview.js';
import { pageFooter, pageTop } from './page.js';
import { asResult, type CallView, gradesOf, num, readCall, str, transcriptOf } from './records.js';
import { scopeWords, type Words, wordsFor } from './words.js';
import { writtenOnly } from '../../i18n/written.js';

export interface HtmlReportOptions {
  /** Overrides MAX_CALL_PAGES (tests). */
  maxCallPages?: number;
  /** Overrides CALL_PAGES_BUDGET_BYTES (tests). */
  callPagesBudgetBytes?: number;
  /**
   * Per-agent aggregates the caller keeps of the same calls (callqa score's, which agents.csv is
   * written from): the page ranks agents from them instead of adding every call a second time.
   */
  agents?: AgentAggregator;
  /** The page's language (default: the run's, run.json's `rubric.lang`; English for runs before languages). */
  lang?: Lang;
}

/** What the page needs of a run before its calls: the rubric (advice, pass score) and the columns. */
export type HtmlRunStart = Pick<RunInfo, 'rubric' | 'layout'>;

/**
 * report.html built as records arrive: `add` each record of results.jsonl in report order (an error,
 * or a call, with or without its utterances: the overview and the agents read only the rest); then
 * `choosePages` draws the call pages from the run's shortlist of candidates (results/pages.ts), and
 * `finish` writes the page with the run's information. `callqa score` feeds it as it scores;
 * `writeHtmlReport` feeds it a saved results.jsonl; the page is the same.
 */
export class HtmlReport {
  private readonly maxPages: number;
  private readonly budget: number;
  private readonly passScore: number;
  private readonly ruleIds: string[];
  private readonly totals: Totals;
  private readonly aggregator: AgentAggregator;
  /** Whether `add` counts calls into the aggregates (not when the caller keeps them). */
  private readonly aggregates: boolean;
  private readonly extras = new Map<string, AgentExtra>();
  private readonly usedAnchors = new Set<string>();
  /** Each paged call's anchor, by pageKey. */
  private readonly anchors = new Map<string, string>();
  /** The models that graded (or, in a dry run, would have graded) calls: none without --llm, whatever run.json's rubric has. */
  private readonly llmModels = new Set<string>();
  /** The call pages, written as they are chosen and copied into report.html at the end (never put in place itself). */
  private readonly pages: TextFile;
  /** The page's words, in its one language. */
  private readonly words: Words;

  constructor(
    private readonly outDir: string,
    private readonly run: HtmlRunStart,
    options: HtmlReportOptions = {},
  ) {
    this.words = wordsFor(run, options.lang);
    this.aggregator = options.agents ?? new AgentAggregator();
    this.aggregates = options.agents === undefined;
    this.maxPages = options.maxCallPages ?? MAX_CALL_PAGES;
    this.budget = options.callPagesBudgetBytes ?? CALL_PAGES_BUDGET_BYTES;
    this.passScore = num(run.rubric?.passScore) ?? 80;
    this.ruleIds = run.layout.ruleIds.map(String);
    this.totals = {
      reviews: new Map(),
      calls: 0,
      channels: new Map(),
      scoreSum: 0,
      passed: 0,
      bins: Array.from({ length: 10 }, () => 0),
      rules: new Map(this.ruleIds.map((id) => [id, { pass: 0, fail: 0, na: 0, error: 0, review: 0 }])),
      criteria: new Map(),
      errors: 0,
      errorList: [],
      badLines: 0,
      pages: 0,
      pagesCutBy: undefined,
    };
    this.pages = new TextFile(outDir, 'report.html.calls');
  }

  /** The limits of the call pages: what a run's shortlist of candidates keeps (results/pages.ts). */
  get limits(): PageLimits {
    return { maxPages: this.maxPages, budget: this.budget, maxPageText: MAX_CALL_PAGE_BYTES };
  }

  /** A line of results.jsonl that is not a record. */
  addBadLine(): void {
    this.totals.badLines++;
  }

  /** One record of results.jsonl, parsed (or the same record as an object): its utterances are not read. */
  add(record: unknown): void {
    const { totals } = this;
    if (!record || typeof record !== 'object') {
      totals.badLines++;
      return;
    }
    const r = record as Record<string, unknown>;
    if (r.type === 'error') {
      totals.errors++;
      if (totals.errorList.length < MAX_ERRORS_LISTED) {
        const e: Totals['errorList'][number] = { source: str(r.source), error: str(r.error) };
        const l = num(r.line);
        if (l !== undefined) e.line = l;
        totals.errorList.push(e);
      }
      return;
    }
    const call = readCall(r);
    if (!call) {
      totals.badLines++;
      return;
    }
    this.count(call);
    this.addToAgent(call, totals.calls++, num(r.seq) ?? 0);
  }

  /** The run's figures: scores, rule outcomes, the model's criteria. */
  private count(call: CallView): void {
    const { totals } = this;
    totals.scoreSum += call.score;
    totals.channels.set(call.channel, (totals.channels.get(call.channel) ?? 0) + 1);
    if (call.passed) totals.passed++;
    const bin = Math.min(9, Math.max(0, Math.floor(call.score / 10)));
    totals.bins[bin] = (totals.bins[bin] ?? 0) + 1;
    for (const id of this.ruleIds) {
      const t = totals.rules.get(id) as RuleTally;
      const o = call.outcomes[id];
      if (o === 'pass') t.pass++;
      else if (o === 'fail') t.fail++;
      else if (o === 'error') t.error++;
      else if (o === 'review') t.review++;
      else t.na++;
    }
    for (const f of call.findings) {
      if (!f.review) continue;
      const t = totals.reviews.get(f.rule) ?? { confirmed: 0, overturned: 0, unsure: 0 };
      if (f.review.verdict === 'rejected') t.overturned++;
      else t[f.review.verdict]++;
      totals.reviews.set(f.rule, t);
    }
    for (const g of gradesOf(call)) {
      const c = totals.criteria.get(g.id) ?? { sum: 0, n: 0, max: 0 };
      c.sum += g.score;
      c.n++;
      c.max = Math.max(c.max, g.score);
      totals.criteria.set(g.id, c);
    }
    const model = call.llm?.status !== undefined && call.llm.status !== 'n/a' ? call.llm.model : undefined;
    if (typeof model === 'string' && model !== '' && this.llmModels.size < 3) this.llmModels.add(model);
  }

  /** An anchor no agent or page has taken yet: `base`, or `base..2`, `base..3`, … */
  private freeAnchor(base: string): string {
    let anchor = base;
    for (let n = 2; this.usedAnchors.has(anchor); n++) anchor = `${base}..${n}`;
    return anchor;
  }

  /** The call's agent: its anchor (the first time), aggregates, failures, evidence, its lowest calls. */
  private agentOf(call: CallView): AgentExtra {
    const key = agentKey(call.agentId, call.agentName);
    let x = this.extras.get(key);
    if (!x) {
      // Distinct agents have distinct tokens; only text no UTF-8 can hold (lone surrogates) could meet.
      const anchor = this.freeAnchor(agentAnchor(call.agentId, call.agentName));
      this.usedAnchors.add(anchor);
      x = { anchor, paged: [], lowest: [], fails: new Map(), evidence: new Map() };
      this.extras.set(key, x);
    }
    return x;
  }

  private addToAgent(call: CallView, index: number, seq: number): void {
    if (this.aggregates) this.aggregator.add(asResult(call));
    const x = this.agentOf(call);
    const row = callRow(call, index, seq, this.ruleIds);
    const { key } = row;
    const failing = new Set(row.failed);
    for (const f of call.findings) if (f.rule.startsWith('llm:') && f.deduction > 0) failing.add(f.rule);
    for (const rule of failing) x.fails.set(rule, (x.fails.get(rule) ?? 0) + 1);
    for (const f of call.findings) {
      // An overturned finding is no evidence of the failure.
      if (!failing.has(f.rule) || f.review?.verdict === 'rejected') continue;
      const list = x.evidence.get(f.rule) ?? [];
      if (list.length >= EVIDENCE_PER_RULE) continue;
      const e: Evidence = { callId: call.callId, key, quote: maskPersonalNumbers(clip(f.evidence || f.message, 200)) };
      if (f.at !== undefined) e.at = f.at;
      list.push(e);
      x.evidence.set(f.rule, list);
    }
    keepLowest(x.lowest, row, LOWEST_CALLS_PER_AGENT);
  }

  /**
   * Draws the call pages from the run's shortlist (results/pages.ts), in attention order, while they fit;
   * each page's anchor is its call id's, numbered when an earlier page took it. Returns how they were chosen
   * (run.json's `pages`) and the candidates chosen (their transcripts stay in results.jsonl).
   */
  choosePages<T extends PageCall>(shortlist: PageShortlist<T>): { choice: PageChoice; chosen: T[] } {
    const chosen: T[] = [];
    const writes: string[] = [];
    let drawn: { call: CallView; html: string; anchor: string } | undefined;
    const choice = shortlist.choose(
      (c) => {
        const call = readCall({ ...c.value.record, utterances: transcriptOf(c.value) }, true) as CallView;
        const anchor = this.freeAnchor(callAnchor(call.callId));
        // A chat's or social thread's page is a conversation's (对话), not a call's.
        const w = scopeWords(this.words, writtenOnly([[call.channel, 1]]));
        drawn = { call, html: renderCallPage(w, call, anchor, this.agentOf(call).anchor, this.run), anchor };
        return Buffer.byteLength(drawn.html);
      },
      (c) => {
        const { call, html, anchor } = drawn as NonNullable<typeof drawn>;
        writes.push(html);
        this.usedAnchors.add(anchor);
        const row = callRow(call, -1, c.key.seq, this.ruleIds);
        this.anchors.set(row.key, anchor);
        row.anchor = anchor;
        this.agentOf(call).paged.push(row);
        chosen.push(c.value);
      },
    );
    this.totals.pages = choice.chosen;
    this.totals.pagesCutBy = choice.cutBy;
    this.pendingPages = writes;
    return { choice, chosen };
  }

  /** Pages chosen, to be written into the pages' file by finish. */
  private pendingPages: string[] = [];

  /** Links each paged call's rows and evidence to its page; rows in report order. */
  private linkPages(): void {
    for (const x of this.extras.values()) {
      for (const r of x.lowest) {
        const anchor = this.anchors.get(r.key);
        if (anchor !== undefined) r.anchor = anchor;
      }
      for (const list of x.evidence.values()) {
        for (const e of list) {
          const anchor = this.anchors.get(e.key);
          if (anchor !== undefined) e.anchor = anchor;
        }
      }
    }
  }

  /** Writes report.html (under a temporary name, renamed into place) from what was added and the pages chosen. */
  async finish(run: RunInfo): Promise<void> {
    const { totals, extras, maxPages, budget, passScore, outDir, words } = this;
    // The page's scope is the run, an agent's section the agent's conversations: chats and social threads only count conversations.
    const w = scopeWords(words, writtenOnly(totals.channels));
    let out: TextFile | undefined;
    try {
      for (const html of this.pendingPages.splice(0)) await this.pages.writeText(html);
      await this.pages.close();
      this.linkPages();
      // Agents ranked by average score (best first); ties keep the agents' stable order.
      const agents = this.aggregator.list();
      const order = new Map(agents.map((a, i) => [a, i]));
      agents.sort((a, b) => averageScore(b) - averageScore(a) || (order.get(a) ?? 0) - (order.get(b) ?? 0));
      const written = hasWritten(totals);
      const unpagedRows = Math.max(3, Math.min(LOWEST_CALLS_PER_AGENT, Math.floor(AGENT_ROWS_BUDGET / Math.max(1, agents.length))));

      out = new TextFile(outDir, 'report.html');
      await out.writeText(pageTop(w, run, totals, [...this.llmModels]));
      await out.writeText(overview({ w, run, totals, agents, extras, passScore, maxPages, budget }));
      for (const [i, a] of agents.entries()) {
        const x = extras.get(agentKey(a.agentId, a.agentName)) as AgentExtra;
        await out.writeText(agentSection(scopeWords(words, writtenOnly(a.channels)), a, x, i + 1, { run, passScore, unpagedRows, written }));
      }
      await out.writeText('\n</main>\n<div class="calls">\n');
      await out.copyFrom(this.pages.tempPath);
      await out.writeText('</div>\n');
      await out.writeText(pageFooter(w, run, maxPages, budget));
      await out.close();
      await out.commit();
    } catch (err) {
      await out?.discard();
      throw err;
    } finally {
      await this.pages.discard();
    }
  }

  /** Leaves no temporary files (a run that failed). */
  async discard(): Promise<void> {
    await this.pages.discard();
  }
}
