import { z } from 'zod';
import type { Translator } from '../i18n/format.js';
import type { PreparedCall, PreparedUtterance } from '../model/call.js';
import { normaliseText } from '../normalise/text.js';
import { clock, round } from '../util/format.js';
import { PARTICLES as COLLOQUIAL_PARTICLES } from './colloquial-words.js';

/**
 * Seed 000 網絡客戶服務禮儀·響應時間: a first reply "在1-3分鐘內"; the upper bound in seconds. response-gaps applies
 * the same bound to every later wait (policy: the seed asks for progress updates but gives them no number).
 */
export const FIRST_REPLY_SECONDS = 180;

/** A wait as a clock: mm:ss, and h:mm:ss from an hour (a social thread's waits run to hours: 2:35:00, not 155:00). */
function waitClock(seconds: number): string {
  if (seconds < 3600) return clock(seconds);
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 3600)}:${clock(whole % 3600)}`;
}

/**
 * A wait as a finding gives it: seconds, with mm:ss beside it from a minute up (the catalogs' duration
 * wording, as the duration rule writes it), so 1800 reads as 1800 秒（30:00）.
 */
export function waitText(say: Translator, seconds: number): string {
  return seconds >= 60
    ? say('duration.seconds-clock', { seconds: round(seconds, 1), clock: waitClock(seconds) })
    : say('duration.seconds', { seconds: round(seconds, 1) });
}

/** The longest wait option a rubric may give: a week (a thread left open longer is not a reply time). */
const WEEK = 7 * 24 * 3600;

/** A reply-time bound, seconds: positive, at most a week. */
export function maxSecondsOption(description: string) {
  return z.number().positive().max(WEEK).default(FIRST_REPLY_SECONDS).describe(description);
}

/** The messages of a written conversation that carry a time, in the order the source gives them. */
export function timedMessages(call: PreparedCall): PreparedUtterance[] {
  const out: PreparedUtterance[] = [];
  for (const u of call.utterances) if (u.start !== undefined) out.push(u);
  return out;
}

/** The moment an agent took the contact (0 when the transcript starts with the agent there). */
export function answered(call: PreparedCall): number {
  return call.answeredAt ?? 0;
}

/**
 * Sentence particles a bare acknowledgement may carry (好的呢, 收到啦, 嗯哈): grammar, not a lexicon; the set
 * colloquial-words reads after its words, and 噢 (written chat's 好的噢).
 */
const PARTICLES = new Set([...COLLOQUIAL_PARTICLES, '噢']);
/** Punctuation, spaces and symbols: nothing an acknowledgement is made of (…, ~, ！). */
const IGNORED = /^[\p{P}\p{Z}\s\p{Sk}\p{Sm}]$/u;
/** The joiner and variation selector inside an emoji (👍🏻, ❤️): ignored with it. */
const EMOJI_GLUE = new Set(['\u200d', '\ufe0f']);
/** Emoji (收到😊, 好的🙏): ignored beside an acknowledgement word; alone they are no word of one (👍 is when listed). */
const PICTOGRAPH = /^[\p{Extended_Pictographic}\p{Emoji_Modifier}]$/u;

/** Acknowledgements compiled for matching: the normalised words, longest first. */
export interface Acknowledgements {
  words: string[];
}

/** A list of acknowledgement words, normalised once when the rubric loads. */
export function acknowledgementList(defaults: readonly string[], description: string) {
  return z
    .array(z.string().refine((w) => normaliseText(w).text.trim() !== '', { message: 'expected a word, got empty text' }))
    .default([...defaults])
    .describe(description)
    .transform(
      (list): Acknowledgements => ({
        words: [...new Set(list.map((w) => normaliseText(w).text.trim()))].sort((a, b) => b.length - a.length),
      }),
    );
}

/** The longest message read as a possible acknowledgement: a bare 好的谢谢 is short; anything longer says more. */
const MAX_ACKNOWLEDGEMENT = 40;

/**
 * Whether a message is a bare acknowledgement that asks nothing: after punctuation, emoji and particles, it is
 * nothing but the words, each whole (好的谢谢 = 好的 + 谢谢; 好的，那我的退款呢 is not; 好吗 asks). A question
 * mark makes it a question (好的？ / 收到？？).
 */
export function isAcknowledgement(u: PreparedUtterance, ack: Acknowledgements): boolean {
  return isAcknowledgementText(u.norm.text, ack);
}

/** isAcknowledgement on normalised text. */
export function isAcknowledgementText(text: string, ack: Acknowledgements): boolean {
  if (text.length > MAX_ACKNOWLEDGEMENT || text.includes('?') || ack.words.length === 0) return false;
  const chars = [...text].filter((c) => !IGNORED.test(c) && !EMOJI_GLUE.has(c));
  const rest = chars.join('');
  // reach[i]: rest[0, i) reads as words, particles and emoji; wordAt[i]: with at least one word among them.
  const reach = new Uint8Array(rest.length + 1);
  reach[0] = 1;
  for (let i = 0; i < rest.length; i++) {
    if (reach[i] === 0) continue;
    const had = reach[i] === 2;
    for (const w of ack.words) if (rest.startsWith(w, i)) reach[i + w.length] = 2;
    const c = String.fromCodePoint(rest.codePointAt(i) as number);
    if (PARTICLES.has(c) || PICTOGRAPH.test(c)) {
      const j = i + c.length;
      reach[j] = Math.max(reach[j] as number, had ? 2 : 1);
    }
  }
  return reach[rest.length] === 2;
}

/** How the customer says the next step is its own (好的，那我等短信 / 行，我先试试 / 嗯，我再看看). */
const OWN_STEP = /^(那我|那我就|我先|我再|我自己)/;
/** Question words: a next step that asks (那我怎么操作, 那我要等多久) still waits for the agent. */
const ASKS = /[?吗呢]|怎么|什么|哪|几|多少|多久|如何|啥|咋|为何|为什么|能不能|可不可以|是不是|要不要|会不会|有没有/;

/**
 * Whether a customer message is an acknowledgement followed by the customer's own next step, asking nothing:
 * 行吧，那我等短信, 好的，我先试试, 嗯嗯，那我明天再看看. The customer takes it from there; no one waits for the
 * agent. The step is the second clause, whole, after the acknowledgement's comma.
 */
export function isOwnNextStep(u: PreparedUtterance, ack: Acknowledgements): boolean {
  const text = u.norm.text;
  if (text.length > MAX_ACKNOWLEDGEMENT || text.includes('?')) return false;
  const comma = text.search(/[,，]/);
  if (comma <= 0) return false;
  const step = text.slice(comma + 1).trim();
  // 那我的退款… names a thing of the customer's, not a step (那我 + 的).
  if (!OWN_STEP.test(step) || step.replace(OWN_STEP, '').startsWith('的') || ASKS.test(step) || /[,，]/.test(step)) return false;
  return isAcknowledgementText(text.slice(0, comma), ack);
}
