import * as OpenCC from 'opencc-js/t2cn';

// Built on first use: the dictionaries cost ~15 ms, which `callqa --help` should not pay.
let convert: ((text: string) => string) | undefined;
/** Built on first use, like the converter. */
let triggers: Triggers | undefined;

function converter(): (text: string) => string {
  if (convert) return convert;
  const built: (text: string) => string = OpenCC.Converter({ from: 'tw', to: 'cn' });
  convert = built;
  return built;
}

type Dict = string | readonly (readonly [string, string])[];

/**
 * Where the conversion might change a text. OpenCC rewrites text only where a dictionary key whose
 * value differs from it occurs, stage after stage; a stage that changes nothing hands the next
 * stage the same text. So a text holding no such key, of any dictionary of the chain, comes out as
 * it went in. `single`: characters that change alone (a text holding one is converted); `starts`
 * and `seconds`: the first two characters of every longer key that changes. Surrogates are all in
 * `single`: astral text is converted as before.
 */
interface Triggers {
  single: Uint8Array;
  /** For a code unit that starts a pair: 1 + its index in `seconds`; 0 for the others. */
  starts: Uint16Array;
  /** The second code units of the pairs, by first code unit (numbers: no two-character string a lookup). */
  seconds: Set<number>[];
}

function triggerTables(): Triggers {
  if (triggers) return triggers;
  const single = new Uint8Array(0x10000);
  const starts = new Uint16Array(0x10000);
  const seconds: Set<number>[] = [];
  single.fill(1, 0xd800, 0xe000);
  const config = (OpenCC.Locale as unknown as { configs: Record<string, { normalizationChain?: Dict[][]; conversionChain?: Dict[][] }> }).configs.tw2s;
  const dicts = [...(config?.normalizationChain ?? []), ...(config?.conversionChain ?? [])].flat();
  for (const dict of dicts) {
    const entries = typeof dict === 'string' ? dict.split('|').map((e) => e.split(' ')) : dict;
    for (const [key = '', value] of entries) {
      if (key === value || key === '') continue;
      if (key.length === 1) single[key.charCodeAt(0)] = 1;
      else {
        const first = key.charCodeAt(0);
        if (starts[first] === 0) starts[first] = seconds.push(new Set());
        (seconds[(starts[first] as number) - 1] as Set<number>).add(key.charCodeAt(1));
      }
    }
  }
  // Only a full table proves anything: a chain we could not read converts every text.
  if (dicts.length === 0) single.fill(1);
  triggers = { single, starts, seconds };
  return triggers;
}

/** 1 for each code unit that can start a change (alone, or as the first of a pair): text with none is never converted. */
export function triggerTable(): Uint8Array {
  const { single, starts } = triggerTables();
  return single.map((one, c) => one | (starts[c] === 0 ? 0 : 1));
}

/** Whether the script conversion may change this text (false: it certainly leaves it as it is). */
export function mayNeedConversion(text: string): boolean {
  const { single, starts, seconds } = triggerTables();
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (single[c] === 1) return true;
    const pair = starts[c] as number;
    if (pair !== 0 && i + 1 < n && (seconds[pair - 1] as Set<number>).has(text.charCodeAt(i + 1))) return true;
  }
  return false;
}

/**
 * Traditional → Simplified script, guaranteed to keep the string's length so that every
 * index still points at the same character of the original (evidence is quoted from there).
 * OpenCC converts phrases; in the rare case a phrase changes length we fall back to
 * converting character by character. Text that no dictionary can change is returned untouched.
 */
export function toSimplified(text: string): string {
  if (!mayNeedConversion(text)) return text;
  return leftAsItIs(text) ? text : convertKeepingLength(text);
}

function convertKeepingLength(text: string): string {
  const conv = converter();
  const whole = conv(text);
  if (whole.length === text.length) return whole;
  let out = '';
  for (const ch of text) {
    const c = conv(ch);
    out += c.length === ch.length ? c : ch;
  }
  return out;
}

/** A node of an opencc-js trie: a Map a code point, `trie_val` where a key ends (what the key becomes). */
type TrieNode = Map<number, TrieNode> & { trie_val?: string };

/** One trie of the conversion and the code units that start one of its keys (a code unit that starts none is passed over at once). */
interface Stage {
  root: TrieNode;
  starts: Uint8Array;
}

/** The conversion's tries as the converter builds them (normalisation, segmentation, conversion), or null if the chain is not one read here. */
let stages: { normal: Stage[]; segment: Stage | undefined; convert: Stage[] } | null | undefined;

function stageOf(load: (trie: OpenCC.Trie) => void): Stage {
  const trie = new OpenCC.Trie();
  load(trie);
  const root = (trie as unknown as { map: TrieNode }).map;
  const starts = new Uint8Array(0x10000);
  for (const code of root.keys()) if (code < 0x10000) starts[code] = 1;
  return { root, starts };
}

const isDict = (d: unknown): d is Dict => typeof d === 'string' || Array.isArray(d);
const isGroup = (g: unknown): g is Dict[] => Array.isArray(g) && g.every((d) => typeof d === 'string' || (Array.isArray(d) && Array.isArray(d[0])));

/**
 * The tries opencc-js's Converter({ from: 'tw', to: 'cn' }) builds from the tw2s config, built the same
 * way (Trie.loadDictGroup, Trie.loadDict): the normalisation chain's groups, the segmentation
 * dictionary, the conversion chain's groups. Null when the config is not laid out as read here.
 */
function conversionStages(): typeof stages {
  if (stages !== undefined) return stages;
  const config = (
    OpenCC.Locale as unknown as { configs: Record<string, { normalizationChain?: unknown[]; segmentation?: unknown; conversionChain?: unknown[] }> }
  ).configs.tw2s;
  const normal = config?.normalizationChain ?? [];
  const convert = config?.conversionChain;
  const segmentation = config?.segmentation;
  if (!config || !Array.isArray(convert) || !normal.every(isGroup) || !convert.every(isGroup) || (!!segmentation && !isDict(segmentation))) {
    stages = null;
    return stages;
  }
  stages = {
    normal: normal.map((group) => stageOf((t) => t.loadDictGroup(group as Dict[]))),
    segment: !segmentation
      ? undefined
      : stageOf((t) =>
          Array.isArray(segmentation) && segmentation.every((d) => typeof d === 'string')
            ? t.loadDictGroup(segmentation as string[])
            : t.loadDict(segmentation as Dict),
        ),
    convert: convert.map((group) => stageOf((t) => t.loadDictGroup(group as Dict[]))),
  };
  return stages;
}

/**
 * Where the longest key of the stage that starts at `i` ends (matching no further than `end`), as
 * Trie.matchPrefix finds it; -1 when none does. `value`: what that key becomes.
 */
let matchedValue = '';
function longestMatch(stage: Stage, text: string, i: number, end: number): number {
  let node: TrieNode | undefined = stage.root;
  let found = -1;
  for (let k = i; k < end; k++) {
    node = node.get(text.charCodeAt(k));
    if (node === undefined) break;
    const value = node.trie_val;
    if (value !== undefined) {
      found = k + 1;
      matchedValue = value;
    }
  }
  return found;
}

/** A code unit the scans here do not follow (Trie.convert reads a surrogate pair as one, and steps over ideographic description sequences whole). */
const unfollowed = (c: number) => (c >= 0xd800 && c <= 0xdfff) || (c >= 0x2ff0 && c <= 0x2fff);

/** What `stageText` says of a text it leaves as it is, and of one it cannot follow. */
const SAME = 0;
const UNFOLLOWED = 1;

/**
 * A stage's Trie.convert of text[start, end): SAME when it gives it back as it was (every key its
 * longest-match scan meets becomes itself), the converted text, or UNFOLLOWED when a key becomes text
 * the scans here do not follow. The scan steps over a code unit no key starts with, as Trie.convert
 * does over a BMP character outside the ideographic description block (the caller sends text holding
 * others to the converter).
 */
function stageText(stage: Stage, text: string, start: number, end: number): string | typeof SAME | typeof UNFOLLOWED {
  const { starts } = stage;
  let out = '';
  let last = -1;
  for (let i = start; i < end; ) {
    if (starts[text.charCodeAt(i)] === 0) {
      i++;
      continue;
    }
    const to = longestMatch(stage, text, i, end);
    if (to < 0) {
      i++;
      continue;
    }
    const value = matchedValue;
    if (value.length !== to - i || !text.startsWith(value, i)) {
      for (let k = 0; k < value.length; k++) if (unfollowed(value.charCodeAt(k))) return UNFOLLOWED;
      out += text.slice(last < 0 ? start : last, i) + value;
      last = to;
    }
    i = to;
  }
  return last < 0 ? SAME : out + text.slice(last, end);
}

/** Whether the conversion tries, one after another, give text[start, end) back as it was (each scans what the one before gave). */
function segmentKept(chain: Stage[], text: string, start: number, end: number): boolean {
  let changed: string | undefined;
  for (const stage of chain) {
    const out = changed === undefined ? stageText(stage, text, start, end) : stageText(stage, changed, 0, changed.length);
    if (out === UNFOLLOWED) return false;
    if (out !== SAME) changed = out;
  }
  return changed === undefined || (changed.length === end - start && text.startsWith(changed, start));
}

/**
 * Whether the converter certainly gives the text back as it is, found without converting it. The
 * stages are followed as Converter runs them: the normalisation tries over the whole text (any change
 * there: false); the segmentation trie cuts it as Trie.segment does (each key matched a segment, each
 * run between them one); the conversion tries convert each segment alone, one after the other, and
 * each segment must come back as it was (a tw2s chain turns 么 into 麼 and back: such a round trip
 * is followed). A text holding a surrogate or an ideographic description character goes to the
 * converter, as does anything these scans do not follow: false is never wrong, only slower.
 */
export function leftAsItIs(text: string): boolean {
  const chain = conversionStages();
  if (!chain) return false;
  const n = text.length;
  for (let i = 0; i < n; i++) if (unfollowed(text.charCodeAt(i))) return false;
  for (const stage of chain.normal) if (stageText(stage, text, 0, n) !== SAME) return false;
  const segment = chain.segment;
  if (!segment) return segmentKept(chain.convert, text, 0, n);
  let run = -1;
  for (let i = 0; i < n; ) {
    const to = segment.starts[text.charCodeAt(i)] === 0 ? -1 : longestMatch(segment, text, i, n);
    if (to < 0) {
      if (run < 0) run = i;
      i++;
      continue;
    }
    if (run >= 0 && !segmentKept(chain.convert, text, run, i)) return false;
    run = -1;
    if (!segmentKept(chain.convert, text, i, to)) return false;
    i = to;
  }
  return run < 0 || segmentKept(chain.convert, text, run, n);
}
