import type { Conversation, Rendered } from '../conversation.js';

/** Seconds → `hh:mm:ss,mmm`. */
function stamp(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)},${pad(ms % 1000, 3)}`;
}

/** One subtitle a turn, the role as a prefix (`坐席：`, `客户：`); CRLF line ends, as Windows tools write; the file stem is the call id. */
export function render(conv: Conversation): Rendered {
  const blocks = conv.turns.map((t, k) =>
    [String(k + 1), `${stamp(t.start)} --> ${stamp(t.end)}`, `${t.role === 'agent' ? '坐席' : '客户'}：${t.text}`, ''].join('\r\n'),
  );
  return { fileName: `${conv.id}.srt`, content: blocks.join('\r\n'), args: [] };
}
