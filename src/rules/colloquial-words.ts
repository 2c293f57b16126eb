import { z } from 'zod';
import { type Occurrence, PhraseMatcher } from '../match/phrases.js';
import { LinearRegex } from '../match/regex.js';
import { normaliseText } from '../normalise/text.js';
import { agentUtterances, at, FindingList, quote } from './helpers.js';
import { defineRule } from './types.js';

/**
 * Seed 000 语言礼仪: avoid colloquial 行 / 没问题, say 好的 / 可以 — with the other everyday colloquial
 * replies agents use, each with the standard wording to say instead (不客气 from 沟通用语).
 */
export const DEFAULT_COLLOQUIAL_WORDS: Readonly<Record<string, string>> = {
  行: '好的 / 可以',
  没问题: '好的 / 可以',
  成: '好的 / 可以',
  好嘞: '好的',
  得嘞: '好的',
  嗯嗯: '好的 / 是的',
  搞定: '已经为您处理好了',
  没事: '不客气 / 没关系 / 请放心',
};

/** Interjections that may open a reply ("嗯，行" is split anyway; "嗯行" from ASR is not). */
const LEADING = '嗯哦噢喔啊哎诶欸';
/** Sentence particles that may close one (行吧, 没事儿, 搞定了, 行吗). */
const PARTICLES = '啊呀吧的了哈啦嘛呢哦喔嘞儿滴吗哒';
/** A clause delimiter in normalised text (full-width punctuation is half-width there); a clause is a run of anything else. */
const DELIMITER_CHAR = /^[\s,.。!?;:、…~"'“”‘’()[\]{}「」『』【】《》<>·—-]$/u;

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Compiled {
  /** A clause that is nothing but colloquial words: leading interjections, the words (repeated: 行行行), particles. */
  clause: LinearRegex | undefined;
  /** Normalised word → the word as written and its suggestion. */
  words: Map<string, { word: string; suggestion: string }>;
  /** The normalised words: a clause can be nothing but them only if it holds one. */
  literals: PhraseMatcher;
}

const wordMap = z
  .record(
    z.string().refine((w) => normaliseText(w).text !== '', { message: 'expected a word, got empty text' }),
    z.string().min(1),
  )
  .describe('colloquial word → the standard wording to suggest');

function compile(words: Record<string, string>): Compiled {
  const map = new Map<string, { word: string; suggestion: string }>();
  for (const [word, suggestion] of Object.entries(words)) map.set(normaliseText(word).text, { word, suggestion });
  const alternatives = [...map.keys()].sort((a, b) => b.length - a.length).map(escapeRegex);
  const any = `(?:${alternatives.join('|')})`;
  // The lazy prefix keeps 嗯嗯 whole (a word) rather than an interjection and a stray 嗯.
  // On RE2: words of the rubric's such as 好 and 好好 made a backtracking engine take exponential time.
  const clause = alternatives.length === 0 ? undefined : new LinearRegex(`^[${LEADING}]*?(${any})(?:${any}|[${PARTICLES}])*$`);
  return { clause, words: map, literals: new PhraseMatcher([...map.keys()], { normalised: true }) };
}

/**
 * [start, end) of each clause of normalised text (a run between delimiters) that wholly holds one of
 * the occurrences, in text order, each once. A clause holding none cannot be nothing but the words.
 */
export function clausesHolding(text: string, found: readonly Occurrence[]): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  const isDelimiter = (i: number) => DELIMITER_CHAR.test(text[i] as string);
  for (const o of [...found].sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (last && o.end <= last.end) continue;
    let start = o.start;
    while (start > 0 && !isDelimiter(start - 1)) start--;
    let end = o.start;
    while (end < text.length && !isDelimiter(end)) end++;
    if (end >= o.end) out.push({ start, end });
  }
  return out;
}

export default defineRule({
  id: 'colloquial-words',
  kind: 'seed',
  description:
    'The agent does not answer with a colloquial word (行, 没问题, 搞定, 没事, 嗯嗯…): each utterance or punctuation-delimited clause that is nothing but such a word is one finding, with the standard wording to say instead. Longer words that contain one (银行, 进行, 行程, 不行) do not count.',
  source: 'seeds/000 语言礼仪: 服务人员应避免使用过于口语化的表达,如"行"、"没问题",而应使用更加规范的"好的"、"可以"等。',
  needs: 'agent speech',
  defaultDeduction: 2,
  defaultMaxDeduction: 10,
  options: {
    words: wordMap.default(() => ({ ...DEFAULT_COLLOQUIAL_WORDS })).describe('colloquial word → the standard wording to suggest; replaces the default list'),
    extra_words: wordMap.default({}).describe('colloquial words besides the default list, each with its suggestion'),
  },
  check(call, options) {
    const agent = agentUtterances(call);
    if (agent.length === 0) return { outcome: 'n/a', findings: [] };
    const { clause, words, literals } = compiled(options.words, options.extra_words);
    const findings = new FindingList();
    for (const u of agent) {
      const text = u.norm.text;
      // Only a clause holding one of the words can be nothing but them: the others are not matched.
      const found = literals.findAll(text);
      if (found.length === 0) continue;
      for (const c of clausesHolding(text, found)) {
        const word = clause?.execGroup(text.slice(c.start, c.end), 1);
        const entry = word === undefined ? undefined : words.get(word);
        if (entry)
          findings.add(() => ({
            ...at(u),
            message: `colloquial reply "${entry.word}": say ${entry.suggestion} instead`,
            evidence: quote(u, { start: c.start, end: c.end }),
          }));
      }
    }
    return findings.result();
  },
  examples: {
    pass: [
      { name: 'standard wording', turns: ['客户：能帮我改一下地址吗？', '坐席：好的，可以的，我马上为您修改。'] },
      { name: '行 inside longer words', turns: ['客户：我的行李还没到。', '坐席：请您到银行旁边的服务台进行登记。'] },
    ],
    fail: [
      { name: 'a bare 行', turns: ['客户：能帮我改一下地址吗？', '坐席：行，我给你改。'] },
      { name: '没问题 after 好的', turns: ['客户：那明天上午来修可以吗？', '坐席：好的，没问题！'] },
    ],
  },
});

const cache = new WeakMap<Record<string, string>, WeakMap<Record<string, string>, Compiled>>();

/** The word lists compiled once per rubric (the options objects live as long as it). */
function compiled(words: Record<string, string>, extra: Record<string, string>): Compiled {
  let byExtra = cache.get(words);
  if (!byExtra) {
    byExtra = new WeakMap();
    cache.set(words, byExtra);
  }
  let c = byExtra.get(extra);
  if (!c) {
    c = compile({ ...words, ...extra });
    byExtra.set(extra, c);
  }
  return c;
}
