import type { PreparedCall, Speaker } from '../model/call.js';
import { maskPersonalNumbersStrict } from '../privacy/numbers.js';

/** How each speaker is labelled in the transcript the model reads. */
export const SPEAKER_LABELS: Readonly<Record<Speaker, string>> = { agent: '坐席', customer: '客户' };

/** Seconds as mm:ss (minutes keep counting past 59: a 75-minute call shows 75:03). */
export function formatTimestamp(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const mm = Math.floor(whole / 60);
  const ss = whole % 60;
  return `${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}`;
}

/** Line breaks inside an utterance would start a line that looks like another speaker's turn. */
const LINE_BREAK = /\r\n|[\r\n\u2028\u2029\u0085]/g;

/**
 * The call as the model reads it: one line per utterance, `[mm:ss] 坐席：text` or `客户：text`
 * (no time when the utterance has none). The text is the original (evidence is quoted from it),
 * with line breaks inside an utterance folded to a space, and personal numbers (ID, bank card,
 * mobile, in digits or Chinese numerals) masked unless `sendPii` — the masking keeps the text's
 * length and shape (138****5678), and `verifyQuotes` accepts quotes of the masked form.
 */
export function renderTranscript(call: PreparedCall, { sendPii }: { sendPii: boolean }): string {
  return call.utterances
    .map((u) => {
      const oneLine = u.text.replace(LINE_BREAK, ' ');
      const text = sendPii ? oneLine : maskPersonalNumbersStrict(oneLine);
      const time = u.start === undefined ? '' : `[${formatTimestamp(u.start)}] `;
      return `${time}${SPEAKER_LABELS[u.speaker]}：${text}`;
    })
    .join('\n');
}
