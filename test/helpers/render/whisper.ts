import type { Conversation, Rendered } from '../conversation.js';

/**
 * WhisperX output: segments in float seconds with a leading space on the text and a diarisation
 * label; the agent is SPEAKER_00, named with --agent-speaker. The call id is the file stem.
 */
export function render(conv: Conversation): Rendered {
  const label = (role: 'agent' | 'customer') => (role === 'agent' ? 'SPEAKER_00' : 'SPEAKER_01');
  const doc = {
    segments: conv.turns.map((t) => ({ start: t.start, end: t.end, text: ` ${t.text}`, speaker: label(t.role) })),
    language: 'zh',
  };
  return { fileName: `${conv.id}.json`, content: JSON.stringify(doc, null, 2), args: ['--agent-speaker', 'SPEAKER_00'] };
}
