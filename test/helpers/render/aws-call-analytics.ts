import type { Conversation, Rendered } from '../conversation.js';

/**
 * AWS Transcribe Call Analytics output: one turn per conversation turn, roles stated
 * (ParticipantRole), times in integer milliseconds. The job is named after a .wav file, as
 * Call Analytics jobs often are; callqa drops the extension, so the call id is `conv.id`.
 */
export function render(conv: Conversation): Rendered {
  const ms = (s: number) => Math.round(s * 1000);
  const doc = {
    JobName: `${conv.id}.wav`,
    JobStatus: 'COMPLETED',
    LanguageCode: 'zh-CN',
    Channel: 'VOICE',
    Participants: [{ ParticipantRole: 'AGENT' }, { ParticipantRole: 'CUSTOMER' }],
    ContentMetadata: { Output: 'Raw' },
    ConversationCharacteristics: { TotalConversationDurationMillis: Math.max(0, ...conv.turns.map((t) => ms(t.end))) },
    Transcript: conv.turns.map((t, k) => ({
      Id: `turn-${k + 1}`,
      ParticipantRole: t.role === 'agent' ? 'AGENT' : 'CUSTOMER',
      BeginOffsetMillis: ms(t.start),
      EndOffsetMillis: ms(t.end),
      Content: t.text,
      Sentiment: 'NEUTRAL',
    })),
  };
  return { fileName: `${conv.id}.json`, content: JSON.stringify(doc, null, 2), args: [] };
}
