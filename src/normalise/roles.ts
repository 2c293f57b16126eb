import type { Call, NormalisedText, RoleSource, Speaker, Utterance } from '../model/call.js';
import type { SourceCall, SourceUtterance } from '../model/source.js';
import { isRegexPhrase, PhraseMatcher } from '../match/phrases.js';
import { InputProblem, msg } from '../ingest/errors.js';
import { normaliseText } from './text.js';
import { toSimplified } from './script.js';
import type { Rubric } from '../rubric/load.js';
import { DEFAULT_ROLE_CUES, type Direction, directionOf, type RoleCueTable } from './role-cues.js';

export interface RoleOptions {
  /** --agent-speaker: the diarisation label of the agent (spk_1, SPEAKER_00). */
  agentSpeaker?: string;
  /** --agent-channel: the recording channel of the agent. */
  agentChannel?: number;
  /** --agent-name: the agent's display name (VTT voice tags, chat display names). */
  agentName?: string;
  /** --direction: a call's direction where neither its transcript nor its call record says. */
  direction?: Direction;
  /** The rubric's greeting elements: the speaker whose early turns hold most of them is the agent. */
  greetingElements: readonly PhraseMatcher[];
  /** Identification cues (role-cues.ts), compiled: compileRoleCues(DEFAULT_ROLE_CUES) when absent. */
  cues?: CompiledRoleCues;
}

/** A speaker's turns read for the greeting: the first three, and any more in the first half minute (subtitle cues are short). */
const EARLY_TURNS = 3;
const EARLY_SECONDS = 30;
/** A speaker must show at least this many greeting elements, and more than anyone else, to be taken for the agent. */
const MIN_GREETING_ELEMENTS = 2;

const fold = (s: string) => toSimplified(s.trim()).toLowerCase();

/** A role-cue table ready to match: each class one PhraseMatcher, answering words normalised. */
export interface CompiledRoleCues {
  agent: ReadonlyArray<{ cls: string; matcher: CueMatcher }>;
  customer: ReadonlyArray<{ cls: string; matcher: CueMatcher }>;
  answers: readonly string[];
  answerMarks: readonly string[];
  answerOpeners: readonly string[];
  cancels: ReadonlyArray<[customer: string, agent: readonly string[]]>;
}

/** Tests normalised text for any phrase of one cue class. */
interface CueMatcher {
  test(text: string): boolean;
}

/** The /regex/ phrases of the cue table, keyed by the phrase: compiled once. */
const TABLE_PATTERNS = new Set(Object.values(DEFAULT_ROLE_CUES.agent).concat(Object.values(DEFAULT_ROLE_CUES.customer)).flat().filter(isRegexPhrase));

/**
 * Literals on one automaton (PhraseMatcher); the built-in table's own patterns, short and bounded, on
 * the engine's RegExp (RE2 took most of the time of reading roles); any other /regex/ (a rubric's
 * organisation names) on PhraseMatcher's linear-time engine.
 */
function cueMatcher(phrases: readonly string[]): CueMatcher {
  const native = phrases.filter((p) => TABLE_PATTERNS.has(p)).map((p) => new RegExp(p.slice(1, p.lastIndexOf('/')), 'i'));
  const rest = phrases.filter((p) => !TABLE_PATTERNS.has(p));
  const phrasesMatcher = rest.length > 0 ? new PhraseMatcher(rest) : undefined;
  return { test: (text) => (phrasesMatcher?.test(text) ?? false) || native.some((re) => re.test(text)) };
}

/** The longest turn read for a bare answer (喂？喂？喂，你好，哪位啊？ is 15). */
const MAX_ANSWER_CHARS = 32;

/** Letters and digits only: what is left of a turn once punctuation and spaces are gone (喂？喂？ → 喂喂). */
const bare = (normalised: string) => normalised.replace(/[^\p{L}\p{N}]/gu, '');

/**
 * Compiles a cue table; `organisations` (the rubric's names of the organisation) join the agent's
 * organisation cues: a speaker who names the organisation early is the agent.
 */
export function compileRoleCues(table: RoleCueTable = DEFAULT_ROLE_CUES, organisations: readonly string[] = []): CompiledRoleCues {
  const classes = (record: Readonly<Record<string, readonly string[]>>, extra: Record<string, readonly string[]> = {}) => {
    const out: { cls: string; matcher: CueMatcher }[] = [];
    const names = new Set([...Object.keys(record), ...Object.keys(extra)]);
    for (const cls of names) {
      const phrases = [...(Object.hasOwn(record, cls) ? (record[cls] ?? []) : []), ...(Object.hasOwn(extra, cls) ? (extra[cls] ?? []) : [])];
      if (phrases.length > 0) out.push({ cls, matcher: cueMatcher(phrases) });
    }
    return out;
  };
  const words = (list: readonly string[]) => list.map((w) => bare(normaliseText(w).text)).filter((w) => w !== '');
  const names = organisations.filter((o) => bare(normaliseText(o).text) !== '');
  return {
    agent: classes(table.agent, names.length > 0 ? { organisation: names } : {}),
    customer: classes(table.customer),
    answers: words(table.answers),
    answerMarks: words(table.answerMarks),
    answerOpeners: words(table.answerOpeners),
    cancels: Object.entries(table.cancels ?? {}),
  };
}

let compiledDefault: CompiledRoleCues | undefined;

/** The default table, compiled once. */
function defaultCues(): CompiledRoleCues {
  compiledDefault ??= compileRoleCues();
  return compiledDefault;
}

/** The organisation names a rubric gives its greeting rule (an `organisation` option of names), if any. */
export function organisationsOf(rubric: Rubric): string[] {
  const options = rubric.rules.find((r) => r.id === 'greeting')?.options as Record<string, unknown> | undefined;
  const value = options?.organisation ?? options?.organisations;
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The cues role inference uses for a rubric: the default table, with the rubric's organisation names. */
export function roleCuesOf(rubric: Rubric): CompiledRoleCues {
  const names = organisationsOf(rubric);
  return names.length > 0 ? compileRoleCues(DEFAULT_ROLE_CUES, names) : defaultCues();
}

/** The whole turn is answering words (喂, 喂你好, "Hello? Hello?", 哪位), holding at least one mark of an answer. */
function isBareAnswer(text: string, cues: CompiledRoleCues): boolean {
  if (text === '' || !cues.answerMarks.some((m) => text.includes(m))) return false;
  // Can text be cut into answering words? reach[i]: its first i characters can.
  const reach = new Uint8Array(text.length + 1);
  reach[0] = 1;
  for (let i = 0; i < text.length; i++) {
    if (!reach[i]) continue;
    for (const w of cues.answers) if (text.startsWith(w, i)) reach[i + w.length] = 1;
  }
  return reach[text.length] === 1;
}

/** Who is speaking, for an utterance without a stated role: its label, else its channel. */
function speakerKey(u: SourceUtterance): string | undefined {
  if (u.speaker !== undefined && u.speaker.trim() !== '') return `s:${fold(u.speaker)}`;
  if (u.channel !== undefined) return `c:${u.channel}`;
  return undefined;
}

function matchesFlag(u: SourceUtterance, opts: RoleOptions, agentChannel: number | undefined): boolean {
  if (opts.agentSpeaker !== undefined && u.speaker !== undefined && fold(u.speaker) === fold(opts.agentSpeaker)) return true;
  if (opts.agentName !== undefined && u.speaker !== undefined && fold(u.speaker) === fold(opts.agentName)) return true;
  return agentChannel !== undefined && u.channel === agentChannel;
}

/** What one speaker's early turns show: greeting elements, and the classes of agent and customer cues. */
interface SpeakerCues {
  greeting: number;
  agent: Set<string>;
  customer: Set<string>;
}

/** The early turns of each speaker, in the order they first speak. */
function earlyTurns(unroled: readonly SourceUtterance[]): Map<string, string[]> {
  const early = new Map<string, string[]>();
  for (const u of unroled) {
    const key = speakerKey(u) as string;
    const turns = early.get(key) ?? [];
    if (turns.length < EARLY_TURNS || (u.start !== undefined && u.start <= EARLY_SECONDS)) turns.push(normaliseText(u.text).text);
    early.set(key, turns);
  }
  return early;
}

function readCues(early: Map<string, string[]>, opts: RoleOptions, cues: CompiledRoleCues, direction: Direction | undefined): Map<string, SpeakerCues> {
  const out = new Map<string, SpeakerCues>();
  let first = true;
  for (const [key, turns] of early) {
    // The cues are read in the turns joined by line breaks: one search a class, and no cue phrase
    // spans two turns (a literal holds no line break; `.` in a cue's pattern matches none).
    const joined = turns.join('\n');
    const found: SpeakerCues = {
      greeting: opts.greetingElements.filter((m) => turns.some((t) => m.test(t))).length,
      agent: new Set(cues.agent.filter(({ matcher }) => matcher.test(joined)).map(({ cls }) => cls)),
      customer: new Set(cues.customer.filter(({ matcher }) => matcher.test(joined)).map(({ cls }) => cls)),
    };
    for (const [customer, agent] of cues.cancels) if (found.customer.has(customer)) for (const cls of agent) found.agent.delete(cls);
    // An answer is short: longer turns are not read for one.
    if (turns.some((t) => t.length <= MAX_ANSWER_CHARS && isBareAnswer(bare(t), cues))) found.customer.add('answer');
    // On an outbound call the customer picks up: a first speaker opening with 喂 / Hello is answering.
    const opening = first && direction === 'outbound' ? bare((turns[0] ?? '').slice(0, MAX_ANSWER_CHARS)) : '';
    // (An agent who opens with 喂 and then names the organisation has identified as the agent.)
    if (first && direction === 'outbound' && found.agent.size === 0 && cues.answerOpeners.some((w) => opening.startsWith(w))) {
      found.customer.add('outbound-answer');
    }
    out.set(key, found);
    first = false;
  }
  return out;
}

/** The speaker whose early turns hold the most greeting elements (at least MIN_GREETING_ELEMENTS, no tie). */
function greetingKey(cues: Map<string, SpeakerCues>): string | undefined {
  let best: string | undefined;
  let bestCount = 0;
  let tie = false;
  for (const [key, { greeting: count }] of cues) {
    if (count > bestCount) {
      best = key;
      bestCount = count;
      tie = false;
    } else if (count === bestCount) {
      tie = true;
    }
  }
  return bestCount >= MIN_GREETING_ELEMENTS && !tie ? best : undefined;
}

/**
 * The agent among speakers without stated roles, and which cue decided. In order:
 * - `greeting`: the speaker whose early turns hold the most of the rubric's greeting elements (≥ 2),
 *   unless that speaker answered like a customer or someone else showed more kinds of agent cue;
 * - `identification`: the one speaker who identified as the agent (organisation, staff number,
 *   service role or offer, an outbound call's purpose) without a customer's cue;
 * - `customer-cue`: with two speakers, the one who did not answer the phone (a bare 喂 / Hello?) or ask
 *   who was calling; `direction` when only the call's direction made the first speaker's 喂 an answer;
 * - `direction`: on an inbound call the agent picks up and speaks first; on an outbound call the
 *   customer does, and the agent is the next speaker;
 * - `first-speaker`: nothing above decided (no cue, or cues that conflict).
 */
function inferAgent(unroled: readonly SourceUtterance[], opts: RoleOptions, direction: Direction | undefined): { key: string; source: RoleSource } {
  const cues = readCues(earlyTurns(unroled), opts, opts.cues ?? defaultCues(), direction);
  const order = [...cues.keys()];
  const firstKey = order[0] as string;
  const agentish = order.filter((k) => {
    const c = cues.get(k) as SpeakerCues;
    return c.agent.size > 0 && c.customer.size === 0;
  });
  const customerish = new Set(
    order.filter((k) => {
      const c = cues.get(k) as SpeakerCues;
      return c.customer.size > 0 && c.agent.size === 0;
    }),
  );
  // The greeting decides unless its speaker answered like a customer, or someone else showed more kinds of agent cue.
  const greeted = greetingKey(cues);
  const kinds = (k: string) => (cues.get(k) as SpeakerCues).agent.size;
  if (greeted !== undefined && !customerish.has(greeted) && agentish.every((k) => kinds(k) <= kinds(greeted))) {
    return { key: greeted, source: 'greeting' };
  }
  if (agentish.length === 1) return { key: agentish[0] as string, source: 'identification' };
  const others = order.filter((k) => !customerish.has(k));
  if (customerish.size > 0 && others.length === 1) {
    // Whether a cue of its own, not only the direction, made each of them a customer.
    const byCue = [...customerish].every((k) => [...(cues.get(k) as SpeakerCues).customer].some((c) => c !== 'outbound-answer'));
    return { key: others[0] as string, source: byCue ? 'customer-cue' : 'direction' };
  }
  if (direction === 'outbound') {
    const next = order.find((k) => k !== firstKey && !customerish.has(k));
    if (next !== undefined) return { key: next, source: 'direction' };
  }
  if (direction === 'inbound' && !customerish.has(firstKey)) return { key: firstKey, source: 'direction' };
  return { key: firstKey, source: 'first-speaker' };
}

/**
 * Turns a source call into a call whose every utterance is the agent's or the customer's.
 * Order: roles the source states; a flag (--agent-speaker, --agent-name, --agent-channel, or the
 * format's own channel default); then what the speakers say and the call's direction (inferAgent).
 * With more than two speakers, everyone but the agent is on the customer's side.
 */
export function resolveRoles(src: SourceCall, opts: RoleOptions): Call {
  const unroled = src.utterances.filter((u) => u.role === undefined);
  let source: RoleSource = 'given';
  let isAgent: (u: SourceUtterance) => boolean = () => false;
  const direction = directionOf(src.direction) ?? opts.direction;

  if (unroled.length > 0) {
    const missing = unroled.find((u) => speakerKey(u) === undefined);
    if (missing) {
      // The prefixes are the input's own syntax, written as the transcript writes them in every language.
      throw new InputProblem(msg('input.no-role', { n: src.utterances.indexOf(missing) + 1, prefixes: '坐席：/Agent:' }));
    }
    const keys = new Set(unroled.map(speakerKey));
    if (keys.size === 1 && unroled.length === src.utterances.length) {
      throw new InputProblem(msg('input.one-speaker', { label: String([...keys][0]?.slice(2)) }));
    }
    // Where some turns say who they are, the rest follow: beside a stated agent everyone else is
    // the customer's side (a VTT with <v 坐席> and <v 陈先生>); beside a stated customer, one other
    // speaker is the agent.
    const stated = new Set(src.utterances.map((u) => u.role).filter((r) => r !== undefined));
    if (stated.has('agent') && !stated.has('customer'))
      return withDirection(
        build(src, 'given', () => false),
        opts,
      );
    if (stated.has('customer') && !stated.has('agent') && keys.size === 1)
      return withDirection(
        build(src, 'given', () => true),
        opts,
      );
    const agentChannel = opts.agentChannel ?? src.defaultAgentChannel;
    // A flag counts only where it splits the speakers: on diarised mono audio every sentence is on
    // channel 0, and "the agent is channel 0" would make everyone the agent.
    const flagged = unroled.filter((u) => matchesFlag(u, opts, agentChannel)).length;
    if (flagged > 0 && flagged < unroled.length) {
      source = 'flag';
      isAgent = (u) => matchesFlag(u, opts, agentChannel);
    } else {
      const inferred = inferAgent(unroled, opts, direction);
      source = inferred.source;
      isAgent = (u) => speakerKey(u) === inferred.key;
    }
  }

  const call = withDirection(build(src, source, isAgent), opts);
  const name = src.agent.id === undefined && src.agent.name === undefined ? agentNameOf(src, call, source, opts) : undefined;
  if (name !== undefined) call.agent = { ...src.agent, name };
  return call;
}

/** --direction fills in the direction of a call whose transcript and call record give none. */
function withDirection(call: Call, opts: RoleOptions): Call {
  if (call.direction === undefined && opts.direction !== undefined) call.direction = opts.direction;
  return call;
}

/** Formats whose speaker labels are people's display names (WebVTT `<v 王芳>`), not diarisation labels (spk_0, SPEAKER_00). */
const NAMED_SPEAKERS: ReadonlySet<string> = new Set(['vtt']);

/**
 * The agent's name for a call whose source names no agent: the one label the agent's turns carry,
 * where that label is a name (a WebVTT voice, or the speaker --agent-name picked out). Diarisation
 * labels (SPEAKER_00 is someone else in every call) and role words (坐席) name nobody: undefined, as
 * when the agent's turns carry two different names.
 */
function agentNameOf(src: SourceCall, call: Call, roleSource: RoleSource, opts: RoleOptions): string | undefined {
  const named = NAMED_SPEAKERS.has(src.format);
  // Elsewhere only the label --agent-name gave is a name (not a channel's or --agent-speaker's label).
  const flagged = roleSource === 'flag' && opts.agentName !== undefined ? fold(opts.agentName) : undefined;
  if (!named && flagged === undefined) return undefined;
  let name: string | undefined;
  let folded: string | undefined;
  for (let i = 0; i < call.utterances.length; i++) {
    const u = src.utterances[i] as SourceUtterance;
    if ((call.utterances[i] as Utterance).speaker !== 'agent' || u.role !== undefined) continue;
    const label = u.speaker?.trim();
    if (label === undefined || label === '') continue;
    const f = fold(label);
    if (!named && f !== flagged) continue;
    if (folded === undefined) {
      name = label;
      folded = f;
    } else if (f !== folded) {
      return undefined;
    }
  }
  return name;
}

function build(src: SourceCall, roleSource: RoleSource, isAgent: (u: SourceUtterance) => boolean): Call {
  const utterances = src.utterances.map((u): Utterance => {
    const speaker: Speaker = u.role ?? (isAgent(u) ? 'agent' : 'customer');
    // Every utterance of one shape, whatever its source gives (absent fields undefined): the rules'
    // code then sees one hidden class, not one per format. `norm`, the matching text normalisation
    // adds (prepareOwnCall), has its place from the start: added later, it cost every utterance a
    // second allocation for the property and a change of hidden class.
    const utterance: Utterance & { norm?: NormalisedText } = {
      speaker,
      label: u.speaker ?? (u.channel === undefined ? undefined : `ch${u.channel}`),
      start: u.start,
      end: u.end,
      endInferred: u.endInferred ? true : undefined,
      text: u.text,
      norm: undefined,
    };
    return utterance;
  });
  // One shape for every call too: each field of a Call in its place, then what the source gave.
  const call: Call = {
    id: src.id,
    source: src.source,
    line: undefined,
    agent: src.agent,
    hangupBy: src.hangupBy,
    ringSeconds: undefined,
    startedAt: undefined,
    answeredAt: undefined,
    queue: undefined,
    direction: undefined,
    channel: undefined,
    roleSource,
    utterances,
  };
  // What the source gave but its format's own fields, copied by a loop: an object rest of the call
  // (`{ format, …rest }`) is several times slower to build in V8, and this runs for every call.
  const into = call as unknown as Record<string, unknown>;
  const from = src as unknown as Record<string, unknown>;
  for (const key in from) if (key !== 'format' && key !== 'defaultAgentChannel' && key !== 'utterances') into[key] = from[key];
  return call;
}
