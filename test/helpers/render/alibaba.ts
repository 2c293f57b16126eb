import type { Conversation, Rendered } from '../conversation.js';

/**
 * An Alibaba Cloud file-transcription result of a dual-channel recording: the agent on channel 0
 * (the format's default, so no flag), the customer on channel 1, times in integer milliseconds.
 */
export function render(conv: Conversation): Rendered {
  const ms = (seconds: number) => Math.round(seconds * 1000);
  const result = {
    TaskId: conv.id,
    RequestId: '00000000-0000-4000-8000-000000000000',
    StatusText: 'SUCCESS',
    StatusCode: 21050000,
    BizDuration: ms(Math.max(0, ...conv.turns.map((t) => t.end))),
    Result: {
      Sentences: conv.turns.map((t) => ({
        EndTime: ms(t.end),
        BeginTime: ms(t.start),
        Text: t.text,
        ChannelId: t.role === 'agent' ? 0 : 1,
        SpeechRate: 120,
        EmotionValue: 6.5,
        SilenceDuration: 0,
      })),
    },
  };
  return { fileName: `${conv.id}.json`, content: JSON.stringify(result, null, 2), args: [] };
}
