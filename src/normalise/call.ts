import type { Call, PreparedCall } from '../model/call.js';
import { normaliseText } from './text.js';

/** Adds matching text to every utterance; the original text stays for evidence. */
export function prepareCall(call: Call): PreparedCall {
  return { ...call, utterances: call.utterances.map((u) => ({ ...u, norm: normaliseText(u.text) })) };
}
