import type { FailRateLimit } from './gate-flags.js';
import type { AgentStats } from '../scoring/agents.js';
import type { RuleOutcome } from '../scoring/score-call.js';
import { translate, translator } from '../i18n/format.js';
import { DEFAULT_LANG, type Lang } from '../i18n/lang.js';
import { round } from '../util/format.js';
import { agentDeltas, type Baseline, describeMove, terminalSafe } from '../results/baseline.js';

/**
 * Quality gates for nightly audits, evaluated over the run's aggregates (no I/O): the score command
 * feeds each call to a `GateTracker` (or keeps the same counts itself), then asks `evaluateGates`
 * which gates broke, naming the calls or agents that broke them. Any broken gate: exit 1.
 */

/** How many calls (or agents) a broken gate names; the detail gives the full count. */
export const MAX_GATE_ITEMS = 20;

export { collectMaxFailRate, type FailRateLimit, parseFailUnder, parseMaxFailRate, parseMaxScoreDrop, parseRate } from './gate-flags.js';

// ── configuration ──────────────────────────────────────────────────────────────────────────────

export interface GateConfig {
  failUnder?: number;
  maxFailRates?: readonly FailRateLimit[];
  failOnCritical?: boolean;
  maxScoreDrop?: number;
}

/**
 * What the flags cannot check alone, once the rubric is loaded: `--max-fail-rate` names a rule of
 * the rubric; `--max-score-drop` needs `--baseline`. Each problem is a sentence for stderr (exit 2),
 * in `lang` (the rubric's ids as they are: the flag takes them).
 */
export function checkGateConfig(config: GateConfig, context: { ruleIds: readonly string[]; hasBaseline: boolean; lang?: Lang | undefined }): string[] {
  const say = translator(context.lang ?? DEFAULT_LANG);
  const problems: string[] = [];
  for (const { rule } of config.maxFailRates ?? []) {
    if (context.ruleIds.includes(rule)) continue;
    const near = nearest(rule, context.ruleIds);
    const rules = context.ruleIds.length > 0 ? context.ruleIds : say('gate.no-rules');
    problems.push(say(near ? 'gate.no-rule-near' : 'gate.no-rule', { flag: '--max-fail-rate', rule, rules, ...(near ? { near } : {}) }));
  }
  if (config.maxScoreDrop !== undefined && !context.hasBaseline) {
    problems.push(say('gate.needs-baseline', { flag: '--max-score-drop', baseline: '--baseline DIR' }));
  }
  return problems;
}

/** The rule id closest to a misspelt one, when it is close (at most a third of its letters off). */
function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((previous[j] as number) + 1, (row[j - 1] as number) + 1, (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length] as number;
}

// ── aggregates ─────────────────────────────────────────────────────────────────────────────────

/** A count and the first few labels: what a gate names without keeping every call. */
export class CallSample {
  count = 0;
  readonly first: string[] = [];

  constructor(private readonly limit = MAX_GATE_ITEMS) {}

  add(label: string): void {
    this.count++;
    if (this.first.length < this.limit) this.first.push(label);
  }
}

export interface RuleRate {
  pass: number;
  fail: number;
  /** Calls where the rule was pass or fail (n/a and error do not count). */
  decided: number;
  /** fail / decided; undefined when no call decided the rule. */
  rate?: number;
  /** The first calls that failed the rule (ids, when `add` was given them). */
  firstFailures: string[];
}

/** Per-rule pass and fail counts across the run; memory grows with rules, never with calls. */
export class RuleTally {
  private readonly counts = new Map<string, { pass: number; fail: number; failures: CallSample }>();

  constructor(private readonly limit = MAX_GATE_ITEMS) {}

  /** One call's outcomes (`n/a` and `error` are not counted); `callId` names it among a rule's failures. */
  add(outcomes: Readonly<Record<string, RuleOutcome>>, callId?: string): void {
    for (const [rule, outcome] of Object.entries(outcomes)) {
      let c = this.counts.get(rule);
      if (!c) {
        c = { pass: 0, fail: 0, failures: new CallSample(this.limit) };
        this.counts.set(rule, c);
      }
      if (outcome === 'pass') c.pass++;
      else if (outcome === 'fail') {
        c.fail++;
        if (callId !== undefined) c.failures.add(callId);
      }
    }
  }

  /** Each rule seen, in the order first seen, with its fail rate over the calls that decided it. */
  rates(): Map<string, RuleRate> {
    const out = new Map<string, RuleRate>();
    for (const [rule, { pass, fail, failures }] of this.counts) {
      const decided = pass + fail;
      const rate: RuleRate = { pass, fail, decided, firstFailures: [...failures.first] };
      if (decided > 0) rate.rate = fail / decided;
      out.set(rule, rate);
    }
    return out;
  }
}

/** What a gate needs to know about a call. */
export interface GateCall {
  callId: string;
  score: number;
  outcomes: Readonly<Record<string, RuleOutcome>>;
  criticalFailures: readonly string[];
}

/** Everything the gates need, fed call by call (bounded: counts and the first few ids). */
export class GateTracker {
  readonly rules: RuleTally;
  /** The language of the broken gates' details, and the rules' titles in it. */
  private readonly words: GateWords;
  /** Calls scored below `--fail-under`, labelled `C-1 (72)`. */
  readonly below: CallSample;
  /** Calls that failed a critical rule, labelled `C-9 (privacy)` (in Chinese by the rules' titles: `C-9 (隐私保护)`). */
  readonly critical: CallSample;

  constructor(
    readonly config: GateConfig,
    limit = MAX_GATE_ITEMS,
    words: GateWords = {},
  ) {
    this.words = words;
    this.rules = new RuleTally(limit);
    this.below = new CallSample(limit);
    this.critical = new CallSample(limit);
  }

  add(call: GateCall): void {
    this.rules.add(call.outcomes, call.callId);
    if (this.config.failUnder !== undefined && call.score < this.config.failUnder) this.below.add(`${call.callId} (${round(call.score, 2)})`);
    if (call.criticalFailures.length > 0) {
      // In Chinese the rules by their titles: no flag takes these.
      const names = (this.words.lang ?? DEFAULT_LANG) === 'en' ? call.criticalFailures : call.criticalFailures.map((id) => this.words.titles?.[id] ?? id);
      this.critical.add(`${call.callId} (${names.join(', ')})`);
    }
  }

  /** The broken gates of the run so far. */
  evaluate(agents: readonly AgentStats[] = [], baseline?: Baseline): GateFailure[] {
    return evaluateGates({
      config: this.config,
      below: this.below,
      critical: this.critical,
      rules: this.rules,
      agents,
      ...(baseline ? { baseline } : {}),
      ...this.words,
    });
  }
}

// ── evaluation ─────────────────────────────────────────────────────────────────────────────────

/** The language a broken gate is described in (English without one), and each rule's title in it. */
export interface GateWords {
  lang?: Lang | undefined;
  titles?: Readonly<Record<string, string>> | undefined;
}

export interface GateInput extends GateWords {
  config: GateConfig;
  /** For `failUnder`: how many calls scored below it and the first few (labels such as `C-1 (72)`). */
  below?: { count: number; first: readonly string[] };
  /** For `failOnCritical`: how many calls failed a critical rule and the first few. */
  critical?: { count: number; first: readonly string[] };
  /** For `maxFailRates`: per-rule counts. */
  rules?: RuleTally | ReadonlyMap<string, RuleRate>;
  /** For `maxScoreDrop`: this run's agents and the baseline. */
  agents?: readonly AgentStats[];
  baseline?: Baseline;
}

export interface GateFailure {
  /** The gate's flag without dashes: `fail-under`, `max-fail-rate`, `fail-on-critical`, `max-score-drop`. */
  gate: string;
  /** What broke it, as a sentence for stderr, in the run's language. */
  detail: string;
  /** The calls or agents that broke it (the first MAX_GATE_ITEMS). */
  items: string[];
  /** How many calls or agents broke it in all (items may name fewer). */
  count: number;
}

function needs(what: string, flag: string): never {
  throw new Error(`evaluateGates: ${flag} is set but the input has no ${what}`);
}

/** English's two forms of a count's word; the Chinese catalogs give the same text for both. */
const form = (n: number) => (n === 1 ? 'one' : 'other');

function percent(fraction: number): string {
  return `${round(fraction * 100, 2)}%`;
}

/**
 * A rule as a gate names it: its id, which `--max-fail-rate` takes; in Chinese its title first, with
 * the id after it (a supervisor reads the title, the id is what to type).
 */
function ruleName(id: string, input: GateWords): string {
  const title = input.titles?.[id];
  if (!title || (input.lang ?? DEFAULT_LANG) === 'en') return id;
  return translate(input.lang ?? DEFAULT_LANG, 'rubric.rule', { title, id });
}

/**
 * The gates the run broke, in flag order (fail-under, max-fail-rate by rule as given,
 * fail-on-critical, max-score-drop); empty when every gate held. Pure: the input says it all.
 * Throws (a programming error) when a gate is configured but its aggregate was not passed.
 */
export function evaluateGates(input: GateInput): GateFailure[] {
  const { config } = input;
  const say = translator(input.lang ?? DEFAULT_LANG);
  const failures: GateFailure[] = [];

  if (config.failUnder !== undefined) {
    const below = input.below ?? needs('below', 'failUnder');
    if (below.count > 0) {
      failures.push({
        gate: 'fail-under',
        detail: say(`gate.fail-under.${form(below.count)}`, { count: below.count, score: config.failUnder }),
        items: below.first.slice(0, MAX_GATE_ITEMS),
        count: below.count,
      });
    }
  }

  if (config.maxFailRates && config.maxFailRates.length > 0) {
    const given = input.rules ?? needs('rules', 'maxFailRates');
    const rates = given instanceof RuleTally ? given.rates() : given;
    for (const limit of config.maxFailRates) {
      const r = rates.get(limit.rule);
      if (!r || r.rate === undefined) continue;
      // A tolerance for floating point: 1 of 20 is exactly 5%.
      if (r.fail <= limit.max * r.decided + 1e-9) continue;
      failures.push({
        gate: 'max-fail-rate',
        detail: say('gate.max-fail-rate', {
          rule: ruleName(limit.rule, input),
          rate: round(r.rate * 100, 2),
          fail: r.fail,
          decided: r.decided,
          limit: limit.given || percent(limit.max),
        }),
        items: r.firstFailures.slice(0, MAX_GATE_ITEMS),
        count: r.fail,
      });
    }
  }

  if (config.failOnCritical) {
    const critical = input.critical ?? needs('critical', 'failOnCritical');
    if (critical.count > 0) {
      failures.push({
        gate: 'fail-on-critical',
        detail: say(`gate.fail-on-critical.${form(critical.count)}`, { count: critical.count }),
        items: critical.first.slice(0, MAX_GATE_ITEMS),
        count: critical.count,
      });
    }
  }

  if (config.maxScoreDrop !== undefined) {
    const baseline = input.baseline ?? needs('baseline', 'maxScoreDrop');
    const agents = input.agents ?? needs('agents', 'maxScoreDrop');
    const limit = config.maxScoreDrop;
    const dropped = agentDeltas(agents, baseline)
      .filter((d) => d.avgScoreDelta !== undefined && -d.avgScoreDelta > limit + 1e-9)
      .sort((a, b) => (a.avgScoreDelta as number) - (b.avgScoreDelta as number) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (dropped.length > 0) {
      failures.push({
        gate: 'max-score-drop',
        detail: say(`gate.max-score-drop.${form(dropped.length)}.${form(limit)}`, { count: dropped.length, points: limit }),
        items: dropped.slice(0, MAX_GATE_ITEMS).map((d) => describeMove(d, 'avgScore', input.lang)),
        count: dropped.length,
      });
    }
  }

  return failures;
}

/**
 * The broken gates for stderr, one line each, in `lang`:
 * `callqa: quality gate failed (--fail-under): 2 calls scored below 80: C-1 (72), C-7 (64)`.
 * Call ids and agent names come from transcripts: control characters are made harmless.
 */
export function formatGateFailures(failures: readonly GateFailure[], lang: Lang = DEFAULT_LANG): string {
  const say = translator(lang);
  return failures
    .map((f) => {
      const flag = `--${f.gate}`;
      const detail = terminalSafe(f.detail);
      if (f.items.length === 0) return `callqa: ${say('gate.failed', { flag, detail })}\n`;
      const items = [...f.items.map(terminalSafe), ...(f.count > f.items.length ? ['…'] : [])];
      return `callqa: ${say('gate.failed-items', { flag, detail, items })}\n`;
    })
    .join('');
}
