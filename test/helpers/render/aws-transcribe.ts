import type { Conversation, Rendered, Turn } from '../conversation.js';

/**
 * Plain AWS Transcribe output with speaker diarisation: each turn split into word items
 * (`results.items`, seconds as strings, punctuation items without times) and one speaker segment
 * per turn (`results.speaker_labels.segments`, the older layout whose items carry no speaker_label).
 * The agent is spk_1 and the customer spk_0, so the rendering needs `--agent-speaker spk_1`.
 *
 * callqa rebuilds turns from words, so two limits follow: consecutive turns of the same role come
 * back as one utterance, and a turn that overlaps the next one has its words squeezed before the
 * next turn's start (only its last word runs on to the turn's end), so the words stay in turn order.
 */
export const AGENT_LABEL = 'spk_1';
const CUSTOMER_LABEL = 'spk_0';

const HAN = /^\p{Script=Han}$/u;
const WIDE = /^[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]$/;
const PIECE = /(\s+)|(\p{P})|(\p{Script=Han}{1,2})|([^\s\p{P}\p{Script=Han}]+)/gu;

interface Item {
  content: string;
  punctuation: boolean;
}

const first = (s: string) => Array.from(s)[0] ?? '';
const last = (s: string) => Array.from(s).pop() ?? '';

/** Whether callqa writes a space before `piece`: not between Han characters, nor after full-width punctuation. */
function spacedByCallqa(word: Item, previous: Item, piece: string): boolean {
  if (HAN.test(last(word.content)) && HAN.test(first(piece))) return false;
  return !(previous.punctuation && WIDE.test(last(previous.content)));
}

/**
 * Splits text into Transcribe items that callqa joins back into exactly this text: it puts a space
 * between two words unless both sides are Han, and glues punctuation to the word before. Where a
 * split would come back spaced differently, the piece stays in the item before it.
 */
export function toItems(text: string): Item[] {
  const items: Item[] = [];
  let word: Item | undefined; // the last pronunciation item: callqa spaces against it
  let spaced = false;
  for (const m of text.matchAll(PIECE)) {
    if (m[1] !== undefined) {
      spaced = true;
      continue;
    }
    const piece = m[0];
    const previous = items[items.length - 1];
    if (!previous || !word) {
      word = { content: piece, punctuation: false };
      items.push(word);
    } else if (m[2] !== undefined && !spaced) {
      items.push({ content: piece, punctuation: true });
    } else if (spacedByCallqa(word, previous, piece) === spaced) {
      word = { content: piece, punctuation: false };
      items.push(word);
    } else {
      previous.content += (spaced ? ' ' : '') + piece;
    }
    spaced = false;
  }
  return items;
}

const secs = (s: number) => s.toFixed(3);

export function render(conv: Conversation): Rendered {
  const items: Record<string, unknown>[] = [];
  const segments: Record<string, unknown>[] = [];
  conv.turns.forEach((turn: Turn, k) => {
    const label = turn.role === 'agent' ? AGENT_LABEL : CUSTOMER_LABEL;
    const parts = toItems(turn.text);
    const words = parts.filter((p) => !p.punctuation).length;
    const next = conv.turns[k + 1];
    const until = next && next.start > turn.start ? Math.min(turn.end, next.start) : turn.end;
    const segmentItems: Record<string, unknown>[] = [];
    let w = 0;
    for (const part of parts) {
      const alternatives = [{ confidence: part.punctuation ? '0.0' : '0.99', content: part.content }];
      if (part.punctuation) {
        items.push({ alternatives, type: 'punctuation' });
        continue;
      }
      const start = turn.start + ((until - turn.start) * w) / words;
      const end = w === words - 1 ? turn.end : turn.start + ((until - turn.start) * (w + 1)) / words;
      items.push({ start_time: secs(start), end_time: secs(end), alternatives, type: 'pronunciation' });
      segmentItems.push({ start_time: secs(start), speaker_label: label, end_time: secs(end) });
      w++;
    }
    segments.push({ start_time: secs(turn.start), speaker_label: label, end_time: secs(turn.end), items: segmentItems });
  });
  const doc = {
    jobName: conv.id,
    accountId: '111122223333',
    status: 'COMPLETED',
    results: {
      transcripts: [{ transcript: conv.turns.map((t) => t.text).join(' ') }],
      speaker_labels: { channel_label: 'ch_0', speakers: 2, segments },
      items,
    },
  };
  return { fileName: `${conv.id}.json`, content: JSON.stringify(doc, null, 2), args: ['--agent-speaker', AGENT_LABEL] };
}
