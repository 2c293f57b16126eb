import AhoCorasick from 'ahocorasick';
import { normaliseText } from '../normalise/text.js';

/** One occurrence of a phrase in normalised text: [start, end) indices and the phrase as written. */
export interface Occurrence {
  start: number;
  end: number;
  phrase: string;
}

const REGEX_PHRASE = /^\/(.+)\/([a-z]*)$/s;
const ALLOWED_FLAGS = /^[imsu]*$/;

export function isRegexPhrase(phrase: string): boolean {
  return REGEX_PHRASE.test(phrase);
}

/** Throws an Error saying what is wrong with the phrase; the rubric loader adds the key path. */
export function compileRegexPhrase(phrase: string): RegExp {
  const m = REGEX_PHRASE.exec(phrase);
  if (!m) throw new Error(`expected a regular expression written /…/, got ${JSON.stringify(phrase)}`);
  const [, body = '', flags = ''] = m;
  if (!ALLOWED_FLAGS.test(flags) || new Set(flags).size !== flags.length)
    throw new Error(`unsupported regular expression flags "${flags}"; use i, m, s or u, once each`);
  let re: RegExp;
  try {
    // Case never matters: the text it runs on is lower-cased (normalisation), so the pattern must not care either.
    re = new RegExp(body, `${flags.replace(/[ui]/g, '')}giu`);
  } catch (err) {
    throw new Error(`invalid regular expression ${phrase}: ${(err as Error).message}`);
  }
  if (re.test('')) throw new Error(`regular expression ${phrase} matches empty text`);
  return re;
}

/**
 * A set of phrases compiled once: literal phrases go into one Aho–Corasick automaton, so the cost
 * of a search is linear in the text whatever the number of phrases; `/regex/` phrases are few
 * and run one by one. Phrases are normalised like the transcript (script, width, spacing, case).
 */
export class PhraseMatcher {
  readonly phrases: readonly string[];
  private readonly automaton: AhoCorasick | undefined;
  /** Normalised literal → the phrase as the rubric wrote it (for messages). */
  private readonly literalSource = new Map<string, string>();
  private readonly regexes: Array<{ re: RegExp; phrase: string }> = [];

  constructor(phrases: readonly string[]) {
    this.phrases = phrases;
    for (const phrase of phrases) {
      if (isRegexPhrase(phrase)) {
        this.regexes.push({ re: compileRegexPhrase(phrase), phrase });
        continue;
      }
      const literal = normaliseText(phrase).text;
      if (literal.length === 0) throw new Error(`phrase ${JSON.stringify(phrase)} is empty once normalised`);
      if (!this.literalSource.has(literal)) this.literalSource.set(literal, phrase);
    }
    this.automaton = this.literalSource.size > 0 ? new AhoCorasick([...this.literalSource.keys()]) : undefined;
    this.tables = this.automaton ? walkTables(this.automaton) : undefined;
  }

  /** The automaton the library built, read into Maps and arrays: its own search allocates per match and looks keys up in plain objects. */
  private readonly tables: Tables | undefined;

  /** Calls `hit(index of the last character, literals ending there)` for each position where literals end; stops when `hit` returns true. */
  private scan(text: string, hit: (last: number, literals: readonly string[]) => boolean | undefined): void {
    const t = this.tables;
    if (!t) return;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] as string;
      let next = t.goto[state]?.get(ch);
      while (next === undefined && state > 0) {
        state = t.failure[state] ?? 0;
        next = t.goto[state]?.get(ch);
      }
      if (next === undefined) continue;
      state = next;
      const out = t.output[state];
      if (out && out.length > 0 && hit(i, out)) return;
    }
  }

  get size(): number {
    return this.phrases.length;
  }

  /** Every occurrence, overlapping ones included, in no particular order. */
  findAll(text: string): Occurrence[] {
    const found: Occurrence[] = [];
    this.scan(text, (last, literals) => {
      for (const literal of literals) found.push({ start: last + 1 - literal.length, end: last + 1, phrase: this.literalSource.get(literal) ?? literal });
      return false;
    });
    for (const { re, phrase } of this.regexes) {
      for (let m = firstMatch(re, text); m !== undefined; m = firstMatch(re, text, m.index + m[0].length)) {
        found.push({ start: m.index, end: m.index + m[0].length, phrase });
      }
    }
    return found;
  }

  /**
   * Occurrences that do not overlap, leftmost first and longest at a tie, so that a list holding
   * both 不知道 and 知道 counts "不知道" once.
   */
  find(text: string): Occurrence[] {
    const all = this.findAll(text);
    if (all.length < 2) return all;
    all.sort((a, b) => a.start - b.start || b.end - a.end);
    const kept: Occurrence[] = [];
    let reach = -1;
    for (const occ of all) {
      if (occ.start < reach) continue;
      kept.push(occ);
      reach = occ.end;
    }
    return kept;
  }

  /** Whether any phrase occurs; agrees with `find` (a regex counts only where it matches some text). */
  test(text: string): boolean {
    let found = false;
    this.scan(text, () => {
      found = true;
      return true;
    });
    if (found) return true;
    return this.regexes.some(({ re }) => firstMatch(re, text) !== undefined);
  }
}

/** The regex's first match of at least one character, or undefined. */
function firstMatch(re: RegExp, text: string, from = 0): RegExpExecArray | undefined {
  re.lastIndex = from;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0].length > 0) return m;
    re.lastIndex++;
  }
  return undefined;
}

/** Occurrences not lying inside an occurrence of an exception phrase. */
export function withoutExceptions(found: Occurrence[], exceptions: Occurrence[]): Occurrence[] {
  if (exceptions.length === 0) return found;
  return found.filter((occ) => !exceptions.some((ex) => ex.start <= occ.start && occ.end <= ex.end));
}

interface Tables {
  goto: Map<string, number>[];
  failure: number[];
  output: (readonly string[])[];
}

/** The `ahocorasick` automaton's tables (goto, failure, output by state), as it builds them. */
function walkTables(automaton: AhoCorasick): Tables {
  const raw = automaton as unknown as { gotoFn: Record<number, Record<string, number>>; failure: Record<number, number>; output: Record<number, string[]> };
  const states = Object.keys(raw.gotoFn).length;
  const goto: Map<string, number>[] = [];
  const failure: number[] = [];
  const output: (readonly string[])[] = [];
  for (let s = 0; s < states; s++) {
    goto.push(new Map(Object.entries(raw.gotoFn[s] ?? {})));
    failure.push(raw.failure[s] ?? 0);
    output.push(raw.output[s] ?? []);
  }
  return { goto, failure, output };
}
