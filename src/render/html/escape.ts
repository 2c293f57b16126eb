import { maskPersonalNumbers } from '../../privacy/mask.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
// C0 controls (but tab and line breaks), DEL and the C1 controls are not text: shown as U+FFFD.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Text for HTML content or a double-quoted attribute: entities for & < > " ', control characters replaced. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(CONTROL, '\uFFFD')
    .replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

/** Text that came from a transcript: personal numbers masked (again: derived text is masked too), then escaped. */
export function escText(value: string): string {
  return escapeHtml(maskPersonalNumbers(value));
}

const SAFE_ID_CHAR = /[A-Za-z0-9_-]/;

/**
 * Any string as a fragment-safe token: ASCII letters, digits, `_` and `-` stay, every other UTF-8
 * byte becomes `.hh`. Injective (a literal `.` is encoded too), so two ids never share a token, and
 * the result needs no further escaping in an id, a `href="#…"` or a CSS selector.
 */
export function anchorToken(value: string): string {
  let out = '';
  for (const ch of value) {
    if (SAFE_ID_CHAR.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of Buffer.from(ch, 'utf8')) out += `.${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** The element id of a call's page: `call-<token>` (a second call with the same id gets `..2`, and so on). */
export function callAnchor(callId: string): string {
  return `call-${anchorToken(callId)}`;
}

/** The element id of an agent's section: by agent id, or by name for agents known only by name. */
export function agentAnchor(agentId: string, agentName: string): string {
  return agentId !== '' ? `agent-id-${anchorToken(agentId)}` : `agent-name-${anchorToken(agentName)}`;
}
