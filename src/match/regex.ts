import { RE2JS, RE2JSException } from 're2js';

/**
 * Regular expressions a rubric writes run on RE2 (the `re2js` port): time linear in the text whatever
 * the pattern, so `/(a+)+$/` cannot stall a batch. RE2 has no backreferences and no lookahead; re2js
 * runs lookbehinds (`(?<=…)`, `(?<!…)`) in linear time too, and one positive lookahead at the very end
 * of a pattern (`…(?=[,。]|$)`, how a phrase says where it must stop) is run as context that must follow
 * the phrase without being part of it. Anything else RE2 cannot run is refused, saying why.
 */

/** More steps than this and a pattern is refused: the cost of matching grows with the program's size. */
export const MAX_PROGRAM_SIZE = 2000;

/** Names the phrase inside a pattern whose trailing lookahead became context after it. */
const PHRASE_GROUP = 'callqa_phrase';

/** A pattern refused: the message says what is wrong in plain English (the caller adds where). */
export class RegexError extends Error {}

interface Translated {
  /** The pattern in RE2 syntax. */
  source: string;
  /** The pattern uses a lookbehind (re2js runs them on its slower NFA, only when asked to). */
  lookbehind: boolean;
  /** A trailing lookahead became context: the phrase is the group PHRASE_GROUP. */
  trailingLookahead: boolean;
  /** It holds a character that has case, or an escape that may stand for one (\\p{Lu}, \\x41). */
  cased: boolean;
  /** With lookbehinds: the pattern without them, which matches wherever it does (and more), on RE2's fast paths. */
  withoutLookbehinds?: string;
  /** Literals one of which every match holds (a top-level (?:…|…) of plain text that must occur). */
  required?: string[];
  /** Every top-level run of text and group of plain alternatives the pattern must match: one of each occurs in a text it matches. */
  allOf?: string[][];
}

const HEX = /^[0-9a-fA-F]$/;
/** A character that stands for itself outside a class and a group (not a metacharacter). */
function isLiteral(ch: string): boolean {
  return !'\\.^$|*+?{}()[]'.includes(ch);
}

/** A non-capturing group of plain alternatives, whole: (?:怎么还|咋还). */
const PLAIN_GROUP = /^\(\?:([^\\()[\]{}|.*+?^$]+(?:\|[^\\()[\]{}|.*+?^$]+)*)\)$/;

/** What may follow a group and make it optional or repeated. */
const QUANTIFIER = /^[?*{+]$/;

/**
 * JavaScript regex syntax → RE2 syntax, for what differs and a rubric may write: `\uXXXX` and `\u{…}`
 * (RE2: `\x{…}`), `\p{Script=Han}` (RE2: `\p{Han}`), `[^]` and `[]`. Refuses backreferences and
 * lookaheads (except one at the very end, at the top level), which RE2 cannot run.
 */
function translate(body: string): Translated {
  return new Translation(body).read();
}

/** One pattern read left to right: written out in RE2 syntax, with what the prefilters need noted on the way. */
class Translation {
  /** The pattern so far in RE2 syntax, and where the reading is in `body`. */
  private out = '';
  private i = 0;
  private inClass = false;
  private lookbehind = false;
  private cased = false;
  /** Open groups: where each starts in `out`, and whether it is a lookahead or a lookbehind. */
  private readonly open: { at: number; lookahead: boolean; lookbehind: boolean }[] = [];
  private required: string[] | undefined;
  /** Top-level literal text being read (请问 in /^请问/), and the longest such run every match must hold. */
  private run = '';
  private longestRun = '';
  /** Inside a {n,m} quantifier: its digits are not text. */
  private inBraces = false;
  private readonly allOf: string[][] = [];
  /** [start, end) in `out` of each top-level lookbehind. */
  private readonly lookbehinds: [number, number][] = [];
  private topLevelAlternation = false;
  /** A top-level lookahead that closed at `end` in `out`, its content starting at `innerAt`. */
  private lastLookahead: { at: number; innerAt: number; end: number } | undefined;

  constructor(private readonly body: string) {}

  read(): Translated {
    const n = this.body.length;
    while (this.i < n) this.step();
    this.endRun();
    return this.result();
  }

  /** One character (an escape: two or more) read and written out. */
  private step(): void {
    const ch = this.body[this.i] as string;
    this.trackRun(ch);
    if (ch === '\\') this.escape();
    else if (this.inClass) this.classMember(ch);
    else if (ch === '[') this.openClass();
    else if (ch === '(') this.openGroup();
    else if (ch === ')') this.closeGroup();
    else {
      if (hasCase(ch)) this.cased = true;
      if (ch === '|' && this.open.length === 0) this.topLevelAlternation = true;
      this.out += ch;
      this.i++;
    }
  }

  /** The top-level run of literal text: `ch` extends it, or ends it. */
  private trackRun(ch: string): void {
    if (this.inBraces) {
      if (ch === '}') this.inBraces = false;
      this.endRun();
    } else if (this.open.length > 0 || this.inClass || !isLiteral(ch)) {
      // A quantifier makes the character before it optional (?, *, {0,…}) or repeats it (+): the run ends before it, or with it.
      if (!this.inClass && this.open.length === 0 && (ch === '?' || ch === '*' || ch === '{')) this.run = this.run.slice(0, -1);
      if (!this.inClass && ch === '{') this.inBraces = true;
      this.endRun();
    } else this.run += ch;
  }

  private endRun(): void {
    if (this.run.length > this.longestRun.length) this.longestRun = this.run;
    if (this.run !== '') this.allOf.push([this.run]);
    this.run = '';
  }

  /** A backslash and what it escapes: refused as a backreference, rewritten as \u and \p, or copied. */
  private escape(): void {
    const { body, i, inClass } = this;
    const next = body[i + 1];
    if (next === undefined) throw new RegexError('ends with a lone "\\"');
    if (!inClass && next >= '1' && next <= '9') {
      throw new RegexError(`uses a backreference (\\${next}), which a linear-time regular expression (RE2) cannot run`);
    }
    if (!inClass && next === 'k' && body[i + 2] === '<') {
      throw new RegexError('uses a named backreference (\\k<…>), which a linear-time regular expression (RE2) cannot run');
    }
    if ('pPxuc'.includes(next)) this.cased = true;
    if (next === 'u') {
      const unicode = readUnicodeEscape(body, i);
      if (unicode) {
        this.out += `\\x{${unicode.code.toString(16)}}`;
        this.i = unicode.end;
        return;
      }
    }
    if ((next === 'p' || next === 'P') && body[i + 2] === '{') {
      const close = body.indexOf('}', i + 3);
      if (close > 0) {
        const inner = body.slice(i + 3, close).replace(/^(?:Script|sc|General_Category|gc)=/, '');
        this.out += `\\${next}{${inner}}`;
        this.i = close + 1;
        return;
      }
    }
    this.out += `\\${next}`;
    this.i += 2;
  }

  private classMember(ch: string): void {
    if (hasCase(ch)) this.cased = true;
    if (ch === ']') this.inClass = false;
    this.out += ch;
    this.i++;
  }

  private openClass(): void {
    // JavaScript's [^] (anything) and [] (nothing); RE2 would read the "]" as a member.
    if (this.body.startsWith('[^]', this.i)) {
      this.out += '[\\x{0}-\\x{10FFFF}]';
      this.i += 3;
      return;
    }
    if (this.body.startsWith('[]', this.i)) {
      this.out += '[^\\x{0}-\\x{10FFFF}]';
      this.i += 2;
      return;
    }
    this.inClass = true;
    this.out += '[';
    // A "]" or "^]" right after "[" is a member in RE2, but closes the class in JavaScript: handled above.
    this.i++;
  }

  /** A group opens: a lookahead is written as a plain group (it may become context after the phrase). */
  private openGroup(): void {
    const { body, i } = this;
    const lookahead = body.startsWith('(?=', i) || body.startsWith('(?!', i);
    const behind = body.startsWith('(?<=', i) || body.startsWith('(?<!', i);
    if (behind) this.lookbehind = true;
    if (lookahead && body[i + 2] === '!') {
      throw new RegexError('uses a negative lookahead (?!…), which a linear-time regular expression (RE2) cannot run');
    }
    this.open.push({ at: this.out.length, lookahead, lookbehind: behind });
    this.out += lookahead ? '(?:' : '(';
    this.i += lookahead ? 3 : 1;
  }

  /** A group closes: a top-level group of plain alternatives is one a match must hold; a lookahead must end the pattern. */
  private closeGroup(): void {
    const group = this.open.pop();
    this.out += ')';
    this.i++;
    const open = this.open;
    if (group && open.length === 0 && !QUANTIFIER.test(this.body[this.i] ?? '')) {
      const inner = PLAIN_GROUP.exec(this.out.slice(group.at));
      if (inner && this.required === undefined) this.required = (inner[1] as string).split('|');
      // A capturing group of alternatives must occur as well (only the first (?:…) group is the gate's `required`).
      const alternatives = inner ?? /^\(([^\\()[\]{}|.*+?^$?][^\\()[\]{}|.*+?^$]*(?:\|[^\\()[\]{}|.*+?^$]+)*)\)$/.exec(this.out.slice(group.at));
      if (alternatives) this.allOf.push((alternatives[1] as string).split('|'));
    }
    if (group?.lookbehind && !open.some((g) => g.lookbehind)) this.lookbehinds.push([group.at, this.out.length]);
    if (group?.lookahead) {
      if (open.length > 0 || this.i < this.body.length) {
        throw new RegexError(
          'uses a lookahead (?=…) that is not at the very end of the pattern, which a linear-time regular expression (RE2) cannot run; only one lookahead that ends the pattern is allowed',
        );
      }
      this.lastLookahead = { at: group.at, innerAt: group.at + 3, end: this.out.length };
    }
  }

  /** The pattern read: its RE2 source (a trailing lookahead made context after the phrase) and its prefilters. */
  private result(): Translated {
    const { out, lookbehind, cased, required, longestRun, allOf, topLevelAlternation, lastLookahead } = this;
    // The likelier to rule a text out: a run of text, or a group's alternatives, whichever's shortest literal is longer.
    const shortest = (list: readonly string[]) => Math.min(...list.map((l) => l.length));
    const best = required !== undefined && shortest(required) >= longestRun.length ? required : longestRun === '' ? undefined : [longestRun];
    const literals = !topLevelAlternation && !cased ? best : undefined;
    const conjunction = !topLevelAlternation && !cased && allOf.length > 0 ? { allOf } : {};
    if (lastLookahead) {
      if (topLevelAlternation) {
        throw new RegexError(
          'uses a lookahead (?=…) after a top-level "|", which a linear-time regular expression (RE2) cannot run; wrap the alternatives in (?:…) before it',
        );
      }
      const phrase = out.slice(0, lastLookahead.at);
      const context = out.slice(lastLookahead.at);
      return withPrefilter(
        {
          source: `(?P<${PHRASE_GROUP}>${phrase})${context}`,
          lookbehind,
          cased,
          trailingLookahead: true,
          ...(literals ? { required: literals } : {}),
          ...conjunction,
        },
        out,
        this.lookbehinds,
      );
    }
    return withPrefilter(
      { source: out, lookbehind, cased, trailingLookahead: false, ...(literals ? { required: literals } : {}), ...conjunction },
      out,
      this.lookbehinds,
    );
  }
}

/** Adds the pattern less its lookbehinds (removing an assertion only widens what matches). */
function withPrefilter(translated: Translated, out: string, lookbehinds: [number, number][]): Translated {
  if (lookbehinds.length === 0) return translated;
  let stripped = '';
  let from = 0;
  for (const [start, end] of lookbehinds) {
    stripped += out.slice(from, start);
    from = end;
  }
  stripped += out.slice(from);
  return { ...translated, withoutLookbehinds: stripped };
}

/** Whether a character has another case (a, Ä, Σ; not 好 or 1). */
function hasCase(ch: string): boolean {
  return ch.toLowerCase() !== ch.toUpperCase();
}

/** `\uXXXX` (a surrogate pair of them is one character) or `\u{X…}` at `i`: the code point and where it ends. */
function readUnicodeEscape(body: string, i: number): { code: number; end: number } | undefined {
  if (body[i + 2] === '{') {
    const close = body.indexOf('}', i + 3);
    const hex = close > 0 ? body.slice(i + 3, close) : '';
    if (hex.length === 0 || hex.length > 6 || ![...hex].every((c) => HEX.test(c))) return undefined;
    return { code: Number.parseInt(hex, 16), end: close + 1 };
  }
  const four = (at: number) => {
    const hex = body.slice(at, at + 4);
    return hex.length === 4 && [...hex].every((c) => HEX.test(c)) ? Number.parseInt(hex, 16) : undefined;
  };
  const code = four(i + 2);
  if (code === undefined) return undefined;
  if (code >= 0xd800 && code <= 0xdbff && body.startsWith('\\u', i + 6)) {
    const low = four(i + 8);
    if (low !== undefined && low >= 0xdc00 && low <= 0xdfff) return { code: 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00), end: i + 12 };
  }
  return { code, end: i + 6 };
}

/** re2js's RE2 (RE2JS.re2(), not in its typings): one search for the leftmost match from `start`, with `ngroup` groups' positions. */
interface Engine {
  matchWithGroup(input: string, start: number, end: number, anchor: number, ngroup: number): [boolean, number[] | null];
}

/** re2js's RE2Flags.UNANCHORED: a match may start anywhere from the given position. */
const UNANCHORED = 0;

/** re2js's compiled program (not in its typings): instructions with an op, `out` and `arg`. */
interface Program {
  start: number;
  inst: { op: number; out: number; arg: number }[];
}

/** re2js's instruction codes (Inst.js) that consume no character; every other op reads one, or fails. */
const OP = { ALT: 1, ALT_MATCH: 2, CAPTURE: 3, EMPTY_WIDTH: 4, MATCH: 6, NOP: 7, LB_WRITE: 12, LB_CHECK: 13 };

/**
 * Whether some match may be empty: the program reaches MATCH (or the end of group `group`) without
 * reading a character, assertions taken as passing. When unsure (re2js changed inside), true: the
 * slower path that finds positions is always right.
 */
function canMatchEmpty(re: RE2JS, group: number | undefined): boolean {
  try {
    const prog = (re.re2() as unknown as { prog: Program }).prog;
    const endSlot = group === undefined ? undefined : 2 * group + 1;
    const seen = new Set<number>();
    const pending = [prog.start];
    while (pending.length > 0) {
      const pc = pending.pop() as number;
      if (seen.has(pc)) continue;
      seen.add(pc);
      const inst = prog.inst[pc];
      if (!inst) return true;
      switch (inst.op) {
        case OP.MATCH:
          if (endSlot === undefined) return true;
          break;
        case OP.ALT:
        case OP.ALT_MATCH:
          pending.push(inst.out, inst.arg);
          break;
        case OP.CAPTURE:
          if (inst.arg === endSlot) return true;
          pending.push(inst.out);
          break;
        case OP.EMPTY_WIDTH:
        case OP.NOP:
        case OP.LB_WRITE:
        case OP.LB_CHECK:
          pending.push(inst.out);
          break;
      }
    }
    return false;
  } catch {
    return true;
  }
}

/** What RE2 said, without its prefix. */
function re2Message(err: unknown): string {
  return (err as Error).message.replace(/^error parsing regexp: /, '');
}

/**
 * A compiled pattern (JavaScript syntax, flags i, m, s, u) that runs in time linear in the text.
 * Matches are [start, end) in UTF-16 code units, as String.prototype.slice counts.
 */
export class LinearRegex {
  private readonly re: RE2JS;
  private readonly phraseGroup: boolean;
  /** Rules texts out before the (slower) lookbehinds run: undefined without lookbehinds. */
  private readonly prefilter: RE2JS | undefined;
  /** One of these occurs in every text it matches (checked with includes, faster than RE2 starts). */
  readonly required: readonly string[] | undefined;
  /** Lists one literal of each of which occurs in every text it matches (checked before RE2 runs). */
  private readonly allOf: readonly (readonly string[])[] | undefined;
  /** A pattern of plain text (no metacharacter, nothing with case): found with indexOf, RE2 never runs. */
  private readonly literal: string | undefined;
  /** A pattern of plain text or a group of plain alternatives ((?:怎么还|咋还)), nothing with case: those, in order. */
  private readonly alternatives: readonly string[] | undefined;
  /** Every match (of the phrase) has a character: `test` needs no positions then. */
  private readonly neverEmpty: boolean;
  /**
   * A pattern that opens with a lookbehind of short alternatives ((?<=^|[,。]|您|好的)请): the rest of it, run on
   * RE2's fast paths, and the lookbehind checked by hand at each start (re2js runs lookbehinds ~30× slower).
   */
  private readonly lead: Lead | undefined;

  /** RE2 itself (re2js's own object, behind RE2JS): matchFrom runs it directly. */
  private readonly engine: Engine;
  /** Where the phrase's start lies in a match's slots (2 × its group's number), or 0: the whole match. */
  private readonly slot: number;
  /** Groups whose positions a match reports: up to the phrase's group. */
  private readonly groups: number;

  /** Throws RegexError saying what is wrong. */
  constructor(
    readonly pattern: string,
    flags = '',
  ) {
    const translated = translate(pattern);
    let bits = 0;
    // Without a character that has case the flag changes nothing, and it would turn RE2's literal prefilter off.
    if (flags.includes('i') && translated.cased) bits |= RE2JS.CASE_INSENSITIVE;
    if (flags.includes('s')) bits |= RE2JS.DOTALL;
    if (flags.includes('m')) bits |= RE2JS.MULTILINE;
    if (translated.lookbehind) bits |= RE2JS.LOOKBEHINDS;
    try {
      this.re = RE2JS.compile(translated.source, bits);
    } catch (err) {
      if (!(err instanceof RE2JSException)) throw err;
      throw new RegexError(re2Message(err));
    }
    const size = this.re.programSize();
    if (size > MAX_PROGRAM_SIZE) {
      throw new RegexError(`is too complex: it compiles to ${size} steps; the limit is ${MAX_PROGRAM_SIZE} (write a list of phrases instead)`);
    }
    this.phraseGroup = translated.trailingLookahead;
    this.engine = this.re.re2() as unknown as Engine;
    const phraseIndex = this.phraseGroup ? (this.re.namedGroups()[PHRASE_GROUP] as number) : 0;
    this.slot = 2 * phraseIndex;
    this.groups = phraseIndex + 1;
    this.required = translated.required;
    this.allOf = translated.allOf;
    this.literal = isPlainText(pattern) && pattern !== '' && !translated.cased && !/[\ud800-\udfff]/.test(pattern) ? pattern : undefined;
    const group = PLAIN_GROUP.exec(pattern);
    this.alternatives =
      this.literal !== undefined
        ? [this.literal]
        : group && !translated.cased && !/[\ud800-\udfff]/.test(pattern)
          ? (group[1] as string).split('|')
          : undefined;
    this.neverEmpty = !canMatchEmpty(this.re, this.phraseGroup ? this.re.namedGroups()[PHRASE_GROUP] : undefined);
    this.prefilter = undefined;
    this.lead = leadingLookbehind(pattern, flags);
    if (translated.withoutLookbehinds !== undefined) {
      try {
        // A quantified lookbehind ((?<=a)?) leaves nothing to quantify: then no prefilter.
        this.prefilter = RE2JS.compile(translated.withoutLookbehinds, bits & ~RE2JS.LOOKBEHINDS);
      } catch {
        this.prefilter = undefined;
      }
    }
  }

  /** Each start of a match of the rest where the leading lookbehind holds, with the match (visit returns where to go on). */
  private leadMatches(text: string, visit: (start: number, end: number) => number | undefined): void {
    const lead = this.lead as Lead;
    const alternatives = lead.rest.alternatives;
    if (alternatives !== undefined) {
      // The rest is plain text (one alternative), or (?:…|…) of it: a match starts where indexOf first finds one, and is the first
      // alternative that starts there (RE2's leftmost-first choice).
      for (let from = 0; ; ) {
        let at = -1;
        for (let k = 0; k < alternatives.length; k++) {
          const i = text.indexOf(alternatives[k] as string, from);
          if (i >= 0 && (at < 0 || i < at)) at = i;
        }
        if (at < 0) return;
        if (!lead.behind(text, at)) {
          from = at + 1;
          continue;
        }
        let length = 0;
        for (let k = 0; k < alternatives.length; k++) {
          const alternative = alternatives[k] as string;
          if (text.startsWith(alternative, at)) {
            length = alternative.length;
            break;
          }
        }
        const next = visit(at, at + length);
        if (next === undefined) return;
        from = next;
      }
    }
    const rest = lead.rest;
    if (!rest.mayMatch(text)) return;
    for (let from = 0, g = rest.matchFrom(text, 0); g !== undefined; g = rest.matchFrom(text, from)) {
      const at = g[0] as number;
      if (!lead.behind(text, at)) {
        from = at + 1;
        continue;
      }
      const start = g[rest.slot] as number;
      const end = g[rest.slot + 1] as number;
      const next = end > start ? visit(start, end) : start + 1;
      if (next === undefined) return;
      from = next;
    }
  }

  /**
   * The leftmost match starting at `from` or after, as RE2's slots: [0] and [1] the whole match's start and end,
   * [slot] and [slot + 1] the phrase's. One run of the engine: a Matcher would be an object a text, and its
   * group positions a second run.
   */
  private matchFrom(text: string, from: number): readonly number[] | undefined {
    if (from > text.length) return undefined;
    const [found, slots] = this.engine.matchWithGroup(text, from, text.length, UNANCHORED, this.groups);
    return found ? (slots ?? undefined) : undefined;
  }

  /** Whether it may match: false means it does not. */
  private mayMatch(text: string): boolean {
    if (this.literal !== undefined) return text.includes(this.literal);
    if (this.required !== undefined && !includesAny(text, this.required)) return false;
    const allOf = this.allOf;
    if (allOf !== undefined) {
      for (let k = 0; k < allOf.length; k++) if (!includesAny(text, allOf[k] as readonly string[])) return false;
    }
    return (this.prefilter === undefined || this.prefilter.test(text)) && this.re.test(text);
  }

  /** Whether it matches anywhere, an empty match included (fast: no positions). */
  matchesAnywhere(text: string): boolean {
    if (this.lead !== undefined && text.length <= this.lead.upTo) {
      let any = false;
      const lead = this.lead;
      if (lead.rest.alternatives !== undefined) {
        this.leadMatches(text, () => {
          any = true;
          return undefined;
        });
        return any;
      }
      const rest = lead.rest;
      if (!rest.mayMatch(text)) return false;
      for (let g = rest.matchFrom(text, 0); !any && g !== undefined; g = rest.matchFrom(text, (g[0] as number) + 1)) any = lead.behind(text, g[0] as number);
      return any;
    }
    return this.mayMatch(text);
  }

  /** Each non-empty match, leftmost first, none overlapping (searching on after each). */
  forEachMatch(text: string, visit: (start: number, end: number) => void): void {
    if (this.lead !== undefined && text.length <= this.lead.upTo) {
      this.leadMatches(text, (start, end) => {
        visit(start, end);
        return end;
      });
      return;
    }
    if (!this.mayMatch(text)) return;
    for (let from = 0, g = this.matchFrom(text, 0); g !== undefined; g = this.matchFrom(text, from)) {
      const start = g[this.slot] as number;
      const end = g[this.slot + 1] as number;
      if (end > start) {
        visit(start, end);
        from = end;
      } else from = start + 1;
    }
  }

  /** The first non-empty match, or undefined. */
  firstMatch(text: string): { start: number; end: number } | undefined {
    if (this.lead !== undefined && text.length <= this.lead.upTo) {
      let first: { start: number; end: number } | undefined;
      this.leadMatches(text, (start, end) => {
        first = { start, end };
        return undefined;
      });
      return first;
    }
    if (!this.mayMatch(text)) return undefined;
    for (let g = this.matchFrom(text, 0); g !== undefined; ) {
      const start = g[this.slot] as number;
      const end = g[this.slot + 1] as number;
      if (end > start) return { start, end };
      g = this.matchFrom(text, start + 1);
    }
    return undefined;
  }

  /** Whether it has a non-empty match. */
  test(text: string): boolean {
    return this.neverEmpty && !(this.lead !== undefined && text.length <= this.lead.upTo) ? this.mayMatch(text) : this.firstMatch(text) !== undefined;
  }

  /** Group `index`'s text in the first match of the whole text (anchored patterns: `^…$`), or undefined. */
  execGroup(text: string, index: number): string | undefined {
    if (!this.mayMatch(text)) return undefined;
    const m = this.re.matcher(text);
    return m.find(0) ? (m.group(index) ?? undefined) : undefined;
  }
}

/**
 * A pattern opening with a lookbehind whose alternatives are each `^`, plain text, one character class or `\s`
 * ((?<=^|[,.。!?;:\s]|您|你|好的|那)请), with no other lookbehind: the rest as a LinearRegex, and the lookbehind as a
 * check at a position. Anything else: undefined (the whole pattern runs as written).
 */
function leadingLookbehind(pattern: string, flags: string): Lead | undefined {
  const open = /^\(\?<([=!])/.exec(pattern);
  if (!open) return undefined;
  const alternatives: string[] = [];
  let current = '';
  let inClass = false;
  /** Groups open inside the lookbehind: its alternatives are then not read one by one (see suffixCheck). */
  let depth = 0;
  let grouped = false;
  let i = open[0].length;
  for (; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\') {
      current += ch + (pattern[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      current += ch;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === '(') {
      depth++;
      grouped = true;
    } else if (ch === ')') {
      if (depth === 0) break;
      depth--;
    }
    if (ch === '|' && depth === 0) {
      alternatives.push(current);
      current = '';
    } else current += ch;
  }
  if (i >= pattern.length) return undefined;
  alternatives.push(current);
  const rest = pattern.slice(i + 1);
  if (rest === '' || rest.includes('(?<')) return undefined;
  const positive = open[1] === '=';
  let compiled: LinearRegex;
  try {
    compiled = new LinearRegex(rest, flags);
  } catch {
    return undefined;
  }
  if (grouped) {
    const check = suffixCheck(pattern.slice(open[0].length, i), flags);
    return check && { rest: compiled, behind: (text, at) => check(text, at) === positive, upTo: SUFFIX_CHECKED };
  }
  const checks: ((text: string, at: number) => boolean)[] = [];
  for (const alt of alternatives) {
    if (alt === '^') checks.push((_, at) => at === 0);
    else if (alt !== '' && isPlainText(alt)) {
      const literal = alt.toLowerCase();
      const fold = flags.includes('i');
      checks.push((text, at) => {
        if (at < literal.length) return false;
        return fold ? text.slice(at - literal.length, at).toLowerCase() === literal : text.startsWith(literal, at - literal.length);
      });
    } else if (/^\[[^\]\\]*(?:\\.[^\]\\]*)*\]$/.test(alt) || alt === '\\s') {
      // One character before the position, tested with a native class: a single class cannot backtrack.
      const one = new RegExp(`^${alt}$`, flags.includes('i') ? 'iu' : 'u');
      checks.push((text, at) => {
        if (at === 0) return false;
        const code = text.charCodeAt(at - 1);
        const char = code >= 0xdc00 && code <= 0xdfff && at >= 2 ? text.slice(at - 2, at) : text.charAt(at - 1);
        return one.test(char);
      });
    } else return undefined;
  }
  return { rest: compiled, behind: (text, at) => checks.some((check) => check(text, at)) === positive, upTo: Number.POSITIVE_INFINITY };
}

/**
 * Texts up to this long have a grouped leading lookbehind checked as a suffix of the text before each start
 * (a pass over that much text a start); longer ones run the whole pattern as written (linear whatever the text).
 */
const SUFFIX_CHECKED = 256;

/**
 * A lookbehind's body ((?:刚|已经)[^,.。]{0,10}(?:交|缴)) as a check that it matches some stretch of text ending at
 * a position: the body followed by \z, run on RE2's fast paths over the text before it. Undefined where cutting the
 * text there could change the answer (an assertion that looks past the position: $, \b, \B, a lookaround) or the
 * body does not translate.
 */
function suffixCheck(body: string, flags: string): ((text: string, at: number) => boolean) | undefined {
  // (?: groups are fine; any other (?… is a lookaround or a flag group.
  if (body.includes('$') || /\\[bB]/.test(body) || /\(\?(?!:)/.test(body)) return undefined;
  let re: RE2JS;
  try {
    const translated = translate(body);
    if (translated.lookbehind || translated.trailingLookahead) return undefined;
    let bits = 0;
    if (flags.includes('i') && translated.cased) bits |= RE2JS.CASE_INSENSITIVE;
    if (flags.includes('s')) bits |= RE2JS.DOTALL;
    if (flags.includes('m')) bits |= RE2JS.MULTILINE;
    re = RE2JS.compile(`(?:${translated.source})\\z`, bits);
  } catch {
    return undefined;
  }
  return (text, at) => re.test(at === text.length ? text : text.slice(0, at));
}

interface Lead {
  rest: LinearRegex;
  behind: (text: string, at: number) => boolean;
  /** Texts longer than this run the whole pattern instead. */
  upTo: number;
}

/** Whether one of the literals occurs in the text (a loop: no closure a call). */
function includesAny(text: string, literals: readonly string[]): boolean {
  for (let k = 0; k < literals.length; k++) if (text.includes(literals[k] as string)) return true;
  return false;
}

/** Text with no metacharacter: it stands for itself. */
function isPlainText(text: string): boolean {
  for (const ch of text) if (!isLiteral(ch)) return false;
  return true;
}
