import type { Conversation, Rendered } from '../conversation.js';

export function render(conv: Conversation): Rendered {
  const call = {
    call_id: conv.id,
    segments: conv.turns.map((t) => ({ speaker: t.role, start: t.start, end: t.end, text: t.text })),
  };
  return { fileName: `${conv.id}.json`, content: JSON.stringify(call, null, 2), args: [] };
}
