import type { Conversation, Rendered } from '../conversation.js';

/** The agent's and the customer's voice names; the agent is told apart with --agent-name. */
export const AGENT_VOICE = '王芳';
export const CUSTOMER_VOICE = '陈先生';

/** Seconds → `hh:mm:ss.mmm`. */
function stamp(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`;
}

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One cue a turn, the speaker in a voice tag (`<v 王芳>`); the file stem is the call id. */
export function render(conv: Conversation): Rendered {
  const cues = conv.turns.map((t, k) => {
    const voice = t.role === 'agent' ? AGENT_VOICE : CUSTOMER_VOICE;
    return `${k + 1}\n${stamp(t.start)} --> ${stamp(t.end)}\n<v ${voice}>${escapeText(t.text)}\n`;
  });
  return { fileName: `${conv.id}.vtt`, content: `WEBVTT\n\n${cues.join('\n')}`, args: ['--agent-name', AGENT_VOICE] };
}
