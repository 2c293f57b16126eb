import { z } from 'zod';
import { compileRegexPhrase, isRegexPhrase, type Occurrence, PhraseMatcher } from '../match/phrases.js';
import { normaliseText } from '../normalise/text.js';
import { memoPair } from '../util/memo.js';
import { phrase } from './phrase-options.js';

/**
 * Phrases kept in named classes (a complaint's escalation, repeat_contact, frustration…; an apology or an
 * acknowledgement): one matcher over them all, compiled once per rubric, and the class each phrase is in,
 * for messages that say what kind of thing was found.
 */
export class PhraseClasses {
  readonly classes: Readonly<Record<string, readonly string[]>>;
  readonly matcher: PhraseMatcher;
  private readonly classOfPhrase = new Map<string, string>();

  /** `words: false` matches short phrases wherever their characters stand (see PhraseMatcher). */
  constructor(
    classes: Readonly<Record<string, readonly string[]>>,
    private readonly options: { words?: boolean } = {},
  ) {
    this.classes = classes;
    const all: string[] = [];
    for (const [name, phrases] of Object.entries(classes)) {
      for (const p of phrases) {
        // A phrase listed in two classes belongs to the first.
        if (this.classOfPhrase.has(p)) continue;
        this.classOfPhrase.set(p, name);
        all.push(p);
      }
    }
    this.matcher = new PhraseMatcher(all, options);
  }

  /** The class of the phrase an occurrence is of (`extra` for phrases added by extra_… options). */
  classOf(occ: Occurrence): string {
    return this.classOfPhrase.get(occ.phrase) ?? 'extra';
  }

  get size(): number {
    return this.matcher.size;
  }

  private readonly extended = new WeakMap<PhraseMatcher, PhraseClasses>();

  /** These classes and an `extra` class of phrases a rubric adds (built once per pair of option values). */
  withExtra(extra: PhraseMatcher | undefined): PhraseClasses {
    if (!extra || extra.size === 0) return this;
    let found = this.extended.get(extra);
    if (!found) {
      found = new PhraseClasses({ ...this.classes, extra: [...(this.classes.extra ?? []), ...extra.phrases] }, this.options);
      this.extended.set(extra, found);
    }
    return found;
  }
}

/**
 * An option holding phrases in named classes: `{ escalation: [投诉, …], frustration: […] }`, or a plain
 * list (one class, `phrases`) as the option used to be. Compiled once when the rubric loads.
 */
export function phraseClasses(defaults: Readonly<Record<string, readonly string[]>>, description: string, options: { words?: boolean } = {}) {
  const copy = () => Object.fromEntries(Object.entries(defaults).map(([k, v]) => [k, [...v]]));
  return z
    .union([z.array(phrase), z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'a class name in lower case (escalation, repeat_contact…)'), z.array(phrase))])
    .default(copy)
    .describe(description)
    .transform((value) => new PhraseClasses(Array.isArray(value) ? { phrases: value } : value, options));
}

/** What a presence gate answers: whether a text may hold a phrase (false: it holds none). */
export interface Presence {
  test(text: string): boolean;
}

const presences = new WeakMap<PhraseMatcher, Presence | null>();

/**
 * What a text must hold for a matcher to find anything in it, as one automaton of plain characters: its literal
 * phrases (normalised, found wherever they stand, no word check) and the literals one of which each /regex/ phrase
 * needs (LinearRegex.required). A text where `test` finds none of them holds no phrase of the matcher: one pass with
 * no regex and no word check, where the matcher makes two (its own and its regexes' gate). Undefined when some regex
 * needs no literal (nothing can be ruled out). Built once per matcher.
 */
export function presenceOf(matcher: PhraseMatcher): Presence | undefined {
  let found = presences.get(matcher);
  if (found === undefined) {
    found = presence(matcher.phrases);
    presences.set(matcher, found);
  }
  return found ?? undefined;
}

/** presenceOf both matchers in one automaton: a text it passes over holds no phrase of either. Built once per pair. */
export const presenceOfEither = (() => {
  const either = memoPair((a: PhraseMatcher, b: PhraseMatcher) => ({ gate: presence([...a.phrases, ...b.phrases]) }));
  return (a: PhraseMatcher, b: PhraseMatcher): Presence | undefined => either(a, b).gate ?? undefined;
})();

function presence(phrases: readonly string[]): Presence | null {
  const literals = new Set<string>();
  for (const phrase of phrases) {
    if (!isRegexPhrase(phrase)) {
      literals.add(normaliseText(phrase).text);
      continue;
    }
    const required = compileRegexPhrase(phrase).required;
    if (required === undefined) return null;
    for (const literal of required) literals.add(literal);
  }
  return new LiteralPresence(new PhraseMatcher([...literals], { normalised: true, words: false }));
}

/**
 * A literal matcher's test as a gate, looked at first through two small bit tables (8 KB each, where the automaton
 * reads a 128 KB one): the code units one-unit literals are, and the pairs (hashed) longer literals begin with. A text
 * none of whose units or neighbouring pairs is marked holds none of the literals; one that has a mark is read by the
 * automaton (a hashed pair may be marked by another). The automaton answers with findAll, which on a text without
 * the literals makes nothing, where PhraseMatcher.test makes a closure for its (here empty) list of regexes.
 */
class LiteralPresence implements Presence {
  private readonly singles = new Uint32Array(0x800);
  private readonly pairs = new Uint32Array(0x800);

  constructor(private readonly matcher: PhraseMatcher) {
    for (const literal of matcher.phrases) {
      const a = literal.charCodeAt(0);
      if (literal.length === 1) this.singles[a >>> 5] = (this.singles[a >>> 5] as number) | (1 << (a & 31));
      else {
        const bit = pairBit(a, literal.charCodeAt(1));
        this.pairs[bit >>> 5] = (this.pairs[bit >>> 5] as number) | (1 << (bit & 31));
      }
    }
  }

  test(text: string): boolean {
    const singles = this.singles;
    const pairs = this.pairs;
    const n = text.length;
    if (n === 0) return false;
    let a = text.charCodeAt(0);
    for (let i = 0; ; ) {
      if (((singles[a >>> 5] as number) & (1 << (a & 31))) !== 0) return this.matcher.findAll(text).length > 0;
      if (++i >= n) return false;
      const b = text.charCodeAt(i);
      const bit = pairBit(a, b);
      if (((pairs[bit >>> 5] as number) & (1 << (bit & 31))) !== 0) return this.matcher.findAll(text).length > 0;
      a = b;
    }
  }
}

/** The bit of a pair of neighbouring code units in LiteralPresence's table of pairs. */
function pairBit(a: number, b: number): number {
  return (Math.imul(a, 0x9e3779b1) ^ b) & 0xffff;
}

/**
 * A necessary condition of a /regex/ phrase, cheaper than RE2: read from the pattern, each part a match must
 * hold (a literal, a group of plain alternatives, a class of a few characters), with the characters that may
 * stand next to it (打 followed by 了, 第 or a numeral, not 打过一次), and the parts a lookbehind needs. False:
 * the regex matches nowhere in the text. Undefined when the pattern holds what this reading does not know
 * (case, flags groups, astral characters): then the regex is always run.
 */
export function regexPrecheck(phrase: string): ((text: string) => boolean) | undefined {
  const m = /^\/(.+)\/([a-z]*)$/s.exec(phrase);
  if (!m) return undefined;
  const body = m[1] as string;
  if (/[\ud800-\udfff]/.test(body)) return undefined;
  try {
    const parser = new PatternReader(body);
    const alts = parser.alternatives();
    if (parser.at !== body.length) return undefined;
    const cond = alternativesCondition(alts);
    return cond === TRUE ? undefined : cond;
  } catch (err) {
    if (err instanceof Unreadable) return undefined;
    throw err;
  }
}

class Unreadable extends Error {}

/** Any character (a set this reading does not list). */
const ANY = null;
type Atom =
  | { kind: 'chars'; set: Set<number> | typeof ANY }
  | { kind: 'group'; alts: Item[][] }
  | { kind: 'behind'; alts: Item[][] }
  /** Zero-width: ^, \b, a negative lookbehind, a lookahead (the next character comes after it). */
  | { kind: 'zero' }
  /** $: nothing may follow. */
  | { kind: 'end' };
interface Item {
  atom: Atom;
  min: number;
  max: number;
}

/** A class holding more characters than this is read as any character. */
const SMALL_SET = 64;

class PatternReader {
  at = 0;
  constructor(private readonly p: string) {}

  alternatives(): Item[][] {
    const alts: Item[][] = [this.sequence()];
    while (this.p[this.at] === '|') {
      this.at++;
      alts.push(this.sequence());
    }
    return alts;
  }

  private sequence(): Item[] {
    const items: Item[] = [];
    while (this.at < this.p.length && this.p[this.at] !== '|' && this.p[this.at] !== ')') {
      const atom = this.atom();
      const [min, max] = this.quantifier();
      if ((atom.kind === 'zero' || atom.kind === 'end' || atom.kind === 'behind') && (min !== 1 || max !== 1)) throw new Unreadable();
      items.push({ atom, min, max });
    }
    return items;
  }

  private quantifier(): [number, number] {
    const ch = this.p[this.at];
    let q: [number, number] = [1, 1];
    if (ch === '?') q = [0, 1];
    else if (ch === '*') q = [0, Infinity];
    else if (ch === '+') q = [1, Infinity];
    else if (ch === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.p.slice(this.at));
      if (!m) throw new Unreadable();
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      this.at += m[0].length;
      if (this.p[this.at] === '?') this.at++;
      return [min, max];
    } else return q;
    this.at++;
    if (this.p[this.at] === '?') this.at++;
    return q;
  }

  private atom(): Atom {
    const p = this.p;
    const ch = p[this.at] as string;
    if (ch === '(') {
      let behind = false;
      let zero = false;
      if (p.startsWith('(?:', this.at)) this.at += 3;
      else if (p.startsWith('(?<=', this.at)) {
        behind = true;
        this.at += 4;
      } else if (p.startsWith('(?<!', this.at) || p.startsWith('(?=', this.at) || p.startsWith('(?!', this.at)) {
        zero = true;
        this.at += p[this.at + 2] === '<' ? 4 : 3;
      } else if (p.startsWith('(?P<', this.at) || (p.startsWith('(?<', this.at) && /^[A-Za-z_]/.test(p[this.at + 3] ?? ''))) {
        const close = p.indexOf('>', this.at);
        if (close < 0) throw new Unreadable();
        this.at = close + 1;
      } else if (p[this.at + 1] === '?') throw new Unreadable();
      else this.at++;
      const alts = this.alternatives();
      if (p[this.at] !== ')') throw new Unreadable();
      this.at++;
      return zero ? { kind: 'zero' } : behind ? { kind: 'behind', alts } : { kind: 'group', alts };
    }
    if (ch === '[') return this.charClass();
    if (ch === '.') {
      this.at++;
      return { kind: 'chars', set: ANY };
    }
    if (ch === '^') {
      this.at++;
      return { kind: 'zero' };
    }
    if (ch === '$') {
      this.at++;
      return { kind: 'end' };
    }
    if (ch === '\\') {
      const next = p[this.at + 1];
      if (next === undefined) throw new Unreadable();
      this.at += 2;
      if (next === 'b' || next === 'B') return { kind: 'zero' };
      if (next === 'd') return { kind: 'chars', set: range(0x30, 0x39) };
      if (/[A-Za-z0-9]/.test(next)) {
        // \s, \w, \p{…}, \x{…}, \u…: some character this reading does not list (a braced argument skipped).
        if ((next === 'p' || next === 'P' || next === 'x') && p[this.at] === '{') {
          const close = p.indexOf('}', this.at);
          if (close < 0) throw new Unreadable();
          this.at = close + 1;
        } else if (next === 'x' || next === 'u' || next === 'c' || next === 'p' || next === 'P') throw new Unreadable();
        return { kind: 'chars', set: ANY };
      }
      return { kind: 'chars', set: literalSet(next) };
    }
    if ('*+?{}|)'.includes(ch)) throw new Unreadable();
    this.at++;
    return { kind: 'chars', set: literalSet(ch) };
  }

  private charClass(): Atom {
    const p = this.p;
    this.at++;
    const negated = p[this.at] === '^';
    if (negated) this.at++;
    const set = new Set<number>();
    let any = negated;
    let first = true;
    while (this.at < p.length && (p[this.at] !== ']' || first)) {
      first = false;
      let ch = p[this.at] as string;
      if (ch === '[') throw new Unreadable();
      if (ch === '\\') {
        const next = p[this.at + 1];
        if (next === undefined) throw new Unreadable();
        this.at += 2;
        if (/[A-Za-z0-9]/.test(next)) {
          if ((next === 'p' || next === 'P' || next === 'x') && p[this.at] === '{') {
            const close = p.indexOf('}', this.at);
            if (close < 0) throw new Unreadable();
            this.at = close + 1;
          } else if (next === 'x' || next === 'u' || next === 'c' || next === 'p' || next === 'P') throw new Unreadable();
          any = true;
          continue;
        }
        ch = next;
      } else this.at++;
      if (p[this.at] === '-' && p[this.at + 1] !== ']' && p[this.at + 1] !== undefined) {
        const to = p[this.at + 1] as string;
        if (to === '\\' || to === '[') throw new Unreadable();
        this.at += 2;
        const a = ch.charCodeAt(0);
        const b = to.charCodeAt(0);
        if (b < a) throw new Unreadable();
        for (let c = a; c <= b; c++) {
          if (hasCase(c)) throw new Unreadable();
          set.add(c);
        }
        continue;
      }
      if (hasCase(ch.charCodeAt(0))) throw new Unreadable();
      set.add(ch.charCodeAt(0));
    }
    if (p[this.at] !== ']') throw new Unreadable();
    this.at++;
    return { kind: 'chars', set: any || set.size > SMALL_SET ? ANY : set };
  }
}

function hasCase(code: number): boolean {
  const ch = String.fromCharCode(code);
  return ch.toLowerCase() !== ch.toUpperCase();
}

function literalSet(ch: string): Set<number> {
  const code = ch.charCodeAt(0);
  if (hasCase(code)) throw new Unreadable();
  return new Set([code]);
}

function range(a: number, b: number): Set<number> {
  const set = new Set<number>();
  for (let c = a; c <= b; c++) set.add(c);
  return set;
}

type Condition = (text: string) => boolean;
const TRUE: Condition = () => true;

/** The strings an item always matches exactly (once, one of them), or undefined. */
function exactStrings(item: Item): string[] | undefined {
  if (item.min !== 1 || item.max !== 1) return undefined;
  const atom = item.atom;
  if (atom.kind === 'chars') return atom.set === ANY || atom.set.size > 16 ? undefined : [...atom.set].map((c) => String.fromCharCode(c));
  if (atom.kind !== 'group') return undefined;
  const out: string[] = [];
  for (const alt of atom.alts) {
    let strings = [''];
    for (const it of alt) {
      const s = exactStrings(it);
      if (s === undefined || strings.length * s.length > 64) return undefined;
      strings = strings.flatMap((a) => s.map((b) => a + b));
    }
    out.push(...strings);
  }
  return out.length > 0 && out.every((s) => s !== '') ? out : undefined;
}

/**
 * The characters one of which must begin (step 1) or end (step -1) what items from `from` on match, read in
 * that direction, up to the first item that consumes a character; ANY when unknown or when nothing need be there.
 */
function edgeChars(items: readonly Item[], from: number, step: 1 | -1): Set<number> | typeof ANY {
  const set = new Set<number>();
  for (let k = from; k >= 0 && k < items.length; k += step) {
    const { atom, min } = items[k] as Item;
    if (atom.kind === 'zero' || atom.kind === 'behind') continue;
    if (atom.kind === 'end') return ANY;
    let chars: Set<number> | typeof ANY;
    let mayBeEmpty = false;
    if (atom.kind === 'chars') chars = atom.set;
    else {
      chars = new Set();
      for (const alt of atom.alts) {
        const inner = edgeChars(alt, step === 1 ? 0 : alt.length - 1, step);
        if (inner === ANY || !consumes(alt)) {
          chars = ANY;
          break;
        }
        for (const c of inner) chars.add(c);
      }
      if (chars !== ANY && atom.alts.some((alt) => !consumes(alt))) mayBeEmpty = true;
    }
    if (chars === ANY) return ANY;
    for (const c of chars) set.add(c);
    if (min >= 1 && !mayBeEmpty) return set.size > SMALL_SET ? ANY : set;
  }
  // The items may all match nothing: then the character beside is anything.
  return ANY;
}

/** Whether every match of the items consumes a character. */
function consumes(items: readonly Item[]): boolean {
  return items.some(({ atom, min }) => min >= 1 && (atom.kind === 'chars' || (atom.kind === 'group' && atom.alts.every(consumes))));
}

function alternativesCondition(alts: readonly (readonly Item[])[]): Condition {
  const conds = alts.map(sequenceCondition);
  if (conds.includes(TRUE)) return TRUE;
  if (conds.length === 1) return conds[0] as Condition;
  return (text) => {
    for (const c of conds) if (c(text)) return true;
    return false;
  };
}

function sequenceCondition(items: readonly Item[]): Condition {
  const conds: Condition[] = [];
  items.forEach((item, k) => {
    const { atom, min } = item;
    if (atom.kind === 'behind') {
      const c = alternativesCondition(atom.alts);
      if (c !== TRUE) conds.push(c);
      return;
    }
    if (min < 1) return;
    const strings = exactStrings(item);
    if (strings !== undefined) {
      const before = edgeChars(items, k - 1, -1);
      const after = edgeChars(items, k + 1, 1);
      conds.push(occursBeside(strings, before, after));
      return;
    }
    if (atom.kind === 'group') {
      const c = alternativesCondition(atom.alts);
      if (c !== TRUE) conds.push(c);
    }
  });
  if (conds.length === 0) return TRUE;
  if (conds.length === 1) return conds[0] as Condition;
  return (text) => {
    for (const c of conds) if (!c(text)) return false;
    return true;
  };
}

/** One of the strings occurs with a character of `before` just before it and one of `after` just after (ANY: no check). */
function occursBeside(strings: readonly string[], before: Set<number> | typeof ANY, after: Set<number> | typeof ANY): Condition {
  return (text) => {
    for (const s of strings) {
      for (let at = text.indexOf(s); at >= 0; at = text.indexOf(s, at + 1)) {
        if (before !== ANY && (at === 0 || !before.has(text.charCodeAt(at - 1)))) continue;
        const end = at + s.length;
        if (after !== ANY && (end >= text.length || !after.has(text.charCodeAt(end)))) continue;
        return true;
      }
    }
    return false;
  };
}

/**
 * A matcher's findAll with each /regex/ phrase run only where its precheck (regexPrecheck) holds: the same
 * occurrences in the same order (the literals' first, then each regex's in the list's order), without RE2 on
 * texts that hold a regex's literals but not side by side as it needs them (打过一次 for 打了三次).
 */
export class PrecheckedMatcher {
  private readonly literals: PhraseMatcher | undefined;
  private readonly regexes: { matcher: PhraseMatcher; may: ((text: string) => boolean) | undefined; always: boolean }[] = [];
  /** The literals one of which each regex needs (LinearRegex.required), in one automaton: a regex none of whose is found is not looked at. */
  private readonly required: PhraseMatcher | undefined;
  /** Required literal → the regexes (by index) that need it. */
  private readonly regexesOf = new Map<string, number[]>();
  /** Which regexes a text may hold (reused: a text at a time). */
  private readonly may: boolean[] = [];

  /** `words`: as the matcher was built with (PhraseMatcher's option). */
  constructor(matcher: PhraseMatcher, words: boolean) {
    const literal = matcher.phrases.filter((p) => !isRegexPhrase(p));
    this.literals = literal.length > 0 ? new PhraseMatcher(literal, { words }) : undefined;
    for (const p of matcher.phrases) {
      if (!isRegexPhrase(p)) continue;
      const required = compileRegexPhrase(p).required;
      const k = this.regexes.length;
      this.regexes.push({ matcher: new PhraseMatcher([p], { words }), may: regexPrecheck(p), always: required === undefined });
      for (const r of required ?? []) {
        const list = this.regexesOf.get(r);
        if (list) list.push(k);
        else this.regexesOf.set(r, [k]);
      }
      this.may.push(false);
    }
    this.required = this.regexesOf.size > 0 ? new PhraseMatcher([...this.regexesOf.keys()], { normalised: true, words: false }) : undefined;
  }

  /** Every occurrence, as PhraseMatcher.findAll finds them (a new list, or a shared empty one: never change it). */
  findAll(text: string): Occurrence[] {
    let found = this.literals === undefined ? NO_OCCURRENCE : this.literals.findAll(text);
    if (this.regexes.length === 0) return found;
    const may = this.may;
    for (let k = 0; k < may.length; k++) may[k] = (this.regexes[k] as { always: boolean }).always;
    if (this.required !== undefined) for (const occ of this.required.findAll(text)) for (const k of this.regexesOf.get(occ.phrase) ?? []) may[k] = true;
    for (let k = 0; k < may.length; k++) {
      if (!may[k]) continue;
      const regex = this.regexes[k] as { matcher: PhraseMatcher; may: ((text: string) => boolean) | undefined };
      if (regex.may !== undefined && !regex.may(text)) continue;
      const more = regex.matcher.findAll(text);
      if (more.length === 0) continue;
      // A list findAll found something in is its own new one: added to in place.
      if (found.length === 0) found = more;
      else for (const occ of more) found.push(occ);
    }
    return found;
  }
}

const NO_OCCURRENCE: Occurrence[] = Object.freeze([]) as unknown as Occurrence[];

const prechecked = new WeakMap<PhraseMatcher, PrecheckedMatcher>();

/** The PrecheckedMatcher of a matcher built with words: `words` (once per matcher). */
export function precheckedOf(matcher: PhraseMatcher, words = true): PrecheckedMatcher {
  let found = prechecked.get(matcher);
  if (found === undefined) {
    found = new PrecheckedMatcher(matcher, words);
    prechecked.set(matcher, found);
  }
  return found;
}
