import AhoCorasick from 'ahocorasick';
import { normaliseText } from '../normalise/text.js';
import { LinearRegex, RegexError } from './regex.js';
import { isWordAligned } from './words.js';

/** One occurrence of a phrase in normalised text: [start, end) indices and the phrase as written. */
export interface Occurrence {
  start: number;
  end: number;
  phrase: string;
}

/**
 * Literal phrases up to this many characters are matched as words: those are the ones found inside
 * other words (行 in 银行, 不行 in 不行驶, 请 in 申请, 不知道 in 不知道您 aside — that one is a word).
 */
export const WORD_CHECKED = 3;

const REGEX_PHRASE = /^\/(.+)\/([a-z]*)$/s;
const ALLOWED_FLAGS = /^[imsu]*$/;

export function isRegexPhrase(phrase: string): boolean {
  return REGEX_PHRASE.test(phrase);
}

/**
 * Regex phrases compiled so far, by the phrase as written: the rubric's options are validated (compiling each
 * /regex/) and then built into matchers (compiling it again), in each thread. A LinearRegex holds no state
 * between calls, so one serves both. Keyed by rubric text, never by transcript text; emptied past COMPILED_KEPT
 * (a process that loads rubric after rubric).
 */
const compiledPhrases = new Map<string, LinearRegex>();
const COMPILED_KEPT = 4096;

/**
 * Compiles a `/regex/flags` phrase to run in linear time (RE2, see regex.ts). Throws an Error saying
 * what is wrong with the phrase; the rubric loader adds the key path.
 */
export function compileRegexPhrase(phrase: string): LinearRegex {
  const known = compiledPhrases.get(phrase);
  if (known !== undefined) return known;
  const re = compileUncached(phrase);
  if (compiledPhrases.size >= COMPILED_KEPT) compiledPhrases.clear();
  compiledPhrases.set(phrase, re);
  return re;
}

function compileUncached(phrase: string): LinearRegex {
  const m = REGEX_PHRASE.exec(phrase);
  if (!m) throw new Error(`expected a regular expression written /…/, got ${JSON.stringify(phrase)}`);
  const [, body = '', flags = ''] = m;
  if (!ALLOWED_FLAGS.test(flags) || new Set(flags).size !== flags.length)
    throw new Error(`unsupported regular expression flags "${flags}"; use i, m, s or u, once each`);
  let re: LinearRegex;
  try {
    // Case never matters: the text it runs on is lower-cased (normalisation), so the pattern must not care either.
    re = new LinearRegex(body, `${flags.replace(/[ui]/g, '')}i`);
  } catch (err) {
    if (!(err instanceof RegexError)) throw err;
    throw new Error(`invalid regular expression ${phrase}: ${err.message}`);
  }
  if (re.matchesAnywhere('')) throw new Error(`regular expression ${phrase} matches empty text`);
  return re;
}

/**
 * A set of phrases compiled once: literal phrases go into one Aho–Corasick automaton, so the cost
 * of a search is linear in the text whatever the number of phrases; `/regex/` phrases are few
 * and run one by one, on RE2 (linear in the text too). Phrases are normalised like the transcript (script, width, spacing, case).
 */
export class PhraseMatcher {
  readonly phrases: readonly string[];
  private readonly automaton: AhoCorasick | undefined;
  /** Normalised literal → the phrase as the rubric wrote it (for messages). */
  private readonly literalSource = new Map<string, string>();
  private readonly regexes: Array<{ re: LinearRegex; phrase: string }> = [];
  /**
   * With several regexes: the literals one of which each must find (LinearRegex.required) in one automaton, so a
   * text is read once to learn which regexes can match, instead of once a regex.
   */
  private gate: RegexGate | undefined;

  /** Short literal phrases match whole words only (see words.ts); /regex/ phrases match wherever they match. */
  private readonly words: boolean;

  /**
   * `normalised`: every phrase is literal text already normalised (a rule's own table of words), taken
   * as it is — never read as /regex/, never normalised again. `words` (default true): a short literal
   * phrase (up to WORD_CHECKED characters) matches only where it does not cut through a word (不行 not in
   * 不行驶, 行 not in 银行, 请 not in 申请); false matches characters wherever they stand. Longer phrases are
   * specific enough as they are, and are often stems (还有什么可以帮 in 还有什么可以帮助您).
   */
  constructor(phrases: readonly string[], { normalised = false, words = true }: { normalised?: boolean; words?: boolean } = {}) {
    this.phrases = phrases;
    this.words = words;
    for (const phrase of phrases) {
      if (!normalised && isRegexPhrase(phrase)) {
        this.regexes.push({ re: compileRegexPhrase(phrase), phrase });
        continue;
      }
      const literal = normalised ? phrase : normaliseText(phrase).text;
      if (literal.length === 0) throw new Error(`phrase ${JSON.stringify(phrase)} is empty once normalised`);
      if (!this.literalSource.has(literal)) this.literalSource.set(literal, phrase);
    }
    this.automaton = this.literalSource.size > 0 ? new AhoCorasick([...this.literalSource.keys()]) : undefined;
    if (this.regexes.length >= 2) this.gate = regexGate(this.regexes.map(({ re }) => re));
    this.tables = this.automaton ? walkTables(this.automaton) : undefined;
  }

  /** The automaton the library built, read into Maps and arrays: its own search allocates per match and looks keys up in plain objects. */
  private readonly tables: Tables | undefined;

  /** The state after reading one code unit in `state` (0: the root, where most characters of a text leave it). */
  private step(t: Tables, state: number, code: number): number {
    // Follow failure links until a state has a transition on this character; the root's are a table.
    while (state !== 0) {
      // Most states have an edge or two: a scan of their stretch of the edge arrays beats a Map lookup.
      // The few with many (a list of 不… phrases after 不) keep a Map.
      const from = t.edgeStart[state] as number;
      const end = t.edgeStart[state + 1] as number;
      if (from < end) {
        for (let e = from; e < end; e++) if (t.edgeCode[e] === code) return t.edgeTo[e] as number;
      } else {
        const to = t.wide[state]?.get(code);
        if (to !== undefined) return to;
      }
      state = t.failure[state] as number;
    }
    return t.root[code] as number;
  }

  /**
   * Marks in the gate's mask the regexes that may match the text: those whose required literal occurs in it, and
   * those that have none (one pass of the literals' automaton, no list made). Undefined: every regex may.
   * The mask is the matcher's own, valid until its next call.
   */
  private markRegexes(text: string): Uint8Array | undefined {
    const gate = this.gate;
    if (!gate) return undefined;
    const mask = gate.mask;
    mask.set(gate.always);
    const t = gate.tables;
    const root = t.root;
    const regexesAt = gate.regexesAt;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (state === 0) {
        state = root[code] as number;
        if (state === 0) continue;
      } else state = this.step(t, state, code);
      const ks = regexesAt[state];
      if (ks === undefined) continue;
      for (let j = 0; j < ks.length; j++) mask[ks[j] as number] = 1;
    }
    return mask;
  }

  get size(): number {
    return this.phrases.length;
  }

  /** Every occurrence, overlapping ones included, in no particular order (a shared empty list when none: never change it). */
  findAll(text: string): Occurrence[] {
    let found: Occurrence[] | undefined;
    const t = this.tables;
    if (t) {
      const root = t.root;
      let state = 0;
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        // At the root (most of a text) a character is one table read.
        if (state === 0) {
          state = root[code] as number;
          if (state === 0) continue;
        } else state = this.step(t, state, code);
        const literals = state === 0 ? undefined : t.output[state];
        if (literals === undefined) continue;
        for (const literal of literals) {
          const start = i + 1 - literal.length;
          if (this.words && literal.length <= WORD_CHECKED && !isWordAligned(text, start, i + 1)) continue;
          found ??= [];
          found.push({ start, end: i + 1, phrase: this.literalSource.get(literal) ?? literal });
        }
      }
    }
    const regexes = this.regexes;
    if (regexes.length > 0) {
      const mask = this.markRegexes(text);
      for (let k = 0; k < regexes.length; k++) {
        if (mask !== undefined && mask[k] === 0) continue;
        const { re, phrase } = regexes[k] as { re: LinearRegex; phrase: string };
        re.forEachMatch(text, (start, end) => {
          found ??= [];
          found.push({ start, end, phrase });
        });
      }
    }
    return found ?? NONE;
  }

  /**
   * Occurrences that do not overlap, leftmost first and longest at a tie, so that a list holding
   * both 不知道 and 知道 counts "不知道" once.
   */
  find(text: string): Occurrence[] {
    const all = this.findAll(text);
    if (all.length < 2) return all;
    all.sort((a, b) => a.start - b.start || b.end - a.end);
    // Kept in place: `all` is findAll's own new list (only the shared empty one is not), no second list a text.
    let kept = 0;
    let reach = -1;
    for (const occ of all) {
      if (occ.start < reach) continue;
      all[kept++] = occ;
      reach = occ.end;
    }
    all.length = kept;
    return all;
  }

  /**
   * `find`, less the occurrences that lie inside an occurrence of an exception phrase (polite
   * "不知道您现在方便吗" is not the banned "不知道"). Exceptions are matched only where a phrase was found.
   */
  findExcept(text: string, exceptions: PhraseMatcher): Occurrence[] {
    const found = this.find(text);
    return found.length === 0 ? found : withoutExceptions(found, exceptions.findAll(text));
  }

  /** Whether any phrase occurs; agrees with `find` (a regex counts only where it matches some text). */
  test(text: string): boolean {
    const t = this.tables;
    if (t) {
      const root = t.root;
      let state = 0;
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (state === 0) {
          state = root[code] as number;
          if (state === 0) continue;
        } else state = this.step(t, state, code);
        const literals = state === 0 ? undefined : t.output[state];
        if (literals === undefined) continue;
        if (!this.words) return true;
        for (const literal of literals) if (literal.length > WORD_CHECKED || isWordAligned(text, i + 1 - literal.length, i + 1)) return true;
      }
    }
    const regexes = this.regexes;
    if (regexes.length === 0) return false;
    const mask = this.markRegexes(text);
    for (let k = 0; k < regexes.length; k++) {
      if (mask !== undefined && mask[k] === 0) continue;
      if ((regexes[k] as { re: LinearRegex }).re.test(text)) return true;
    }
    return false;
  }
}

/** The gate of PhraseMatcher.markRegexes: each regex's required literals in one automaton (characters, not words). */
interface RegexGate {
  tables: Tables;
  /** By automaton state: the regexes (by index) one of whose required literals ends there; undefined where none. */
  regexesAt: (readonly number[] | undefined)[];
  /** By index: 1 where the regex has no required literal and always runs. */
  always: Uint8Array;
  /** Reused by each call: 1 where the regex may match the text. */
  mask: Uint8Array;
}

function regexGate(regexes: readonly LinearRegex[]): RegexGate | undefined {
  const regexesOf = new Map<string, number[]>();
  regexes.forEach((re, k) => {
    for (const literal of re.required ?? []) {
      const list = regexesOf.get(literal);
      if (list) list.push(k);
      else regexesOf.set(literal, [k]);
    }
  });
  if (regexesOf.size === 0) return undefined;
  const tables = walkTables(new AhoCorasick([...regexesOf.keys()]));
  const regexesAt = tables.output.map((literals) => {
    if (literals === undefined) return undefined;
    const ks = new Set<number>();
    for (const literal of literals) for (const k of regexesOf.get(literal) ?? []) ks.add(k);
    return ks.size > 0 ? [...ks] : undefined;
  });
  return {
    tables,
    regexesAt,
    always: Uint8Array.from(regexes, (re) => (re.required === undefined ? 1 : 0)),
    mask: new Uint8Array(regexes.length),
  };
}

/** What findAll returns when nothing occurs: one list for all (frozen: a change would be a bug). */
const NONE: Occurrence[] = Object.freeze([]) as unknown as Occurrence[];

/** Occurrences not lying inside an occurrence of an exception phrase. */
export function withoutExceptions(found: Occurrence[], exceptions: Occurrence[]): Occurrence[] {
  if (exceptions.length === 0) return found;
  if (exceptions.length === 1) {
    const ex = exceptions[0] as Occurrence;
    return found.filter((occ) => !(ex.start <= occ.start && occ.end <= ex.end));
  }
  // Sorted by start, with the furthest end of each prefix: an occurrence lies inside an exception when
  // one starting at or before it reaches its end (a search per occurrence, not a scan: a long text
  // with many of both was quadratic).
  const sorted = [...exceptions].sort((a, b) => a.start - b.start);
  const starts = sorted.map((ex) => ex.start);
  const reach: number[] = [];
  for (const ex of sorted) reach.push(Math.max(ex.end, reach.at(-1) ?? Number.NEGATIVE_INFINITY));
  return found.filter((occ) => {
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((starts[mid] as number) <= occ.start) lo = mid + 1;
      else hi = mid;
    }
    return !(lo > 0 && occ.end <= (reach[lo - 1] as number));
  });
}

interface Tables {
  /** The root's transitions by UTF-16 code unit (0: none): most characters of a text stop here. */
  root: Uint16Array | Uint32Array;
  /**
   * Every other state's transitions: those of state s are edgeCode/edgeTo[edgeStart[s] … edgeStart[s + 1]),
   * or, for a state with more than WIDE edges, in `wide[s]` (its stretch of the arrays is then empty).
   */
  edgeStart: Uint32Array;
  edgeCode: Uint16Array;
  edgeTo: Uint32Array;
  wide: (Map<number, number> | undefined)[];
  failure: Uint32Array;
  /** The literals ending at each state; undefined where none does. */
  output: (readonly string[] | undefined)[];
}

/** A state with more edges than this keeps them in a Map. */
const WIDE = 8;

/** The `ahocorasick` automaton's tables (goto, failure, output by state), as it builds them, keyed by code unit. */
function walkTables(automaton: AhoCorasick): Tables {
  const raw = automaton as unknown as { gotoFn: Record<number, Record<string, number>>; failure: Record<number, number>; output: Record<number, string[]> };
  const states = Object.keys(raw.gotoFn).length;
  const root = states < 0x10000 ? new Uint16Array(0x10000) : new Uint32Array(0x10000);
  const edgeStart = new Uint32Array(states + 1);
  const codes: number[] = [];
  const targets: number[] = [];
  const wide: (Map<number, number> | undefined)[] = [];
  const failure = new Uint32Array(states);
  const output: (readonly string[] | undefined)[] = [];
  for (const [ch, to] of Object.entries(raw.gotoFn[0] ?? {})) root[ch.charCodeAt(0)] = to;
  for (let s = 0; s < states; s++) {
    edgeStart[s] = codes.length;
    const edges = s === 0 ? [] : Object.entries(raw.gotoFn[s] ?? {});
    if (edges.length > WIDE) wide[s] = new Map(edges.map(([ch, to]) => [ch.charCodeAt(0), to]));
    else {
      for (const [ch, to] of edges) {
        codes.push(ch.charCodeAt(0));
        targets.push(to);
      }
    }
    failure[s] = raw.failure[s] ?? 0;
    const out = raw.output[s];
    output.push(out && out.length > 0 ? out : undefined);
  }
  edgeStart[states] = codes.length;
  // A holey array would be read as a dictionary: every state gets its slot.
  for (let s = 0; s < states; s++) wide[s] ??= undefined;
  return { root, edgeStart, edgeCode: Uint16Array.from(codes), edgeTo: Uint32Array.from(targets), wide, failure, output };
}
