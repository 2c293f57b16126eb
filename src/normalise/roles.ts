import type { Call, NormalisedText, RoleSource, Speaker, Utterance } from '../model/call.js';
import type { SourceCall, SourceUtterance } from '../model/source.js';
import type { PhraseMatcher } from '../match/phrases.js';
import { InputProblem } from '../ingest/errors.js';
import { normaliseText } from './text.js';
import { toSimplified } from './script.js';

export interface RoleOptions {
  /** --agent-speaker: the diarisation label of the agent (spk_1, SPEAKER_00). */
  agentSpeaker?: string;
  /** --agent-channel: the recording channel of the agent. */
  agentChannel?: number;
  /** --agent-name: the agent's display name (VTT voice tags, chat display names). */
  agentName?: string;
  /** The rubric's greeting elements: the speaker whose early turns hold most of them is the agent. */
  greetingElements: readonly PhraseMatcher[];
}

/** A speaker's turns read for the greeting: the first three, and any more in the first half minute (subtitle cues are short). */
const EARLY_TURNS = 3;
const EARLY_SECONDS = 30;
/** A speaker must show at least this many greeting elements, and more than anyone else, to be taken for the agent. */
const MIN_GREETING_ELEMENTS = 2;

const fold = (s: string) => toSimplified(s.trim()).toLowerCase();

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

function greetingKey(unroled: readonly SourceUtterance[], elements: readonly PhraseMatcher[]): string | undefined {
  const early = new Map<string, string[]>();
  for (const u of unroled) {
    const key = speakerKey(u) as string;
    const turns = early.get(key) ?? [];
    if (turns.length < EARLY_TURNS || (u.start !== undefined && u.start <= EARLY_SECONDS)) turns.push(normaliseText(u.text).text);
    early.set(key, turns);
  }
  let best: string | undefined;
  let bestCount = 0;
  let tie = false;
  for (const [key, turns] of early) {
    const count = elements.filter((m) => turns.some((t) => m.test(t))).length;
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
 * Turns a source call into a call whose every utterance is the agent's or the customer's.
 * Order: roles the source states; a flag (--agent-speaker, --agent-name, --agent-channel, or the
 * format's own channel default); the speaker whose early turns hold the greeting; the first speaker.
 * With more than two speakers, everyone but the agent is on the customer's side.
 */
export function resolveRoles(src: SourceCall, opts: RoleOptions): Call {
  const unroled = src.utterances.filter((u) => u.role === undefined);
  let source: RoleSource = 'given';
  let agentKey: string | undefined;
  let isAgent: (u: SourceUtterance) => boolean = () => false;

  if (unroled.length > 0) {
    const missing = unroled.find((u) => speakerKey(u) === undefined);
    if (missing) {
      throw new InputProblem(
        `utterance ${src.utterances.indexOf(missing) + 1} has no role, speaker label or channel: expected a diarised transcript or 坐席：/Agent: prefixes`,
      );
    }
    const keys = new Set(unroled.map(speakerKey));
    if (keys.size === 1 && unroled.length === src.utterances.length) {
      throw new InputProblem(
        `only one speaker (${[...keys][0]?.slice(2)}) in the whole call: cannot tell the agent from the customer (was the audio diarised or split by channel?)`,
      );
    }
    // Where some turns say who they are, the rest follow: beside a stated agent everyone else is
    // the customer's side (a VTT with <v 坐席> and <v 陈先生>); beside a stated customer, one other
    // speaker is the agent.
    const stated = new Set(src.utterances.map((u) => u.role).filter((r) => r !== undefined));
    if (stated.has('agent') && !stated.has('customer')) return build(src, 'given', () => false);
    if (stated.has('customer') && !stated.has('agent') && keys.size === 1) return build(src, 'given', () => true);
    const agentChannel = opts.agentChannel ?? src.defaultAgentChannel;
    // A flag counts only where it splits the speakers: on diarised mono audio every sentence is on
    // channel 0, and "the agent is channel 0" would make everyone the agent.
    const flagged = unroled.filter((u) => matchesFlag(u, opts, agentChannel)).length;
    if (flagged > 0 && flagged < unroled.length) {
      source = 'flag';
      isAgent = (u) => matchesFlag(u, opts, agentChannel);
    } else {
      agentKey = greetingKey(unroled, opts.greetingElements);
      source = agentKey === undefined ? 'first-speaker' : 'greeting';
      agentKey ??= speakerKey(unroled[0] as SourceUtterance);
      isAgent = (u) => speakerKey(u) === agentKey;
    }
  }

  const call = build(src, source, isAgent);
  const name = src.agent.id === undefined && src.agent.name === undefined ? agentNameOf(src, call, source, opts) : undefined;
  if (name !== undefined) call.agent = { ...src.agent, name };
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
