import type { Conversation, Rendered } from '../conversation.js';

/**
 * AWS Post Call Analytics output (docs/output_json_structure.md of aws-samples/amazon-transcribe-post-call-analytics):
 * speakers spk_0 (Customer) and spk_1 (Agent) named in SpeakerLabels, times in seconds. The file and the Transcribe job
 * are named after a .wav file, as PCA names them; callqa drops the extension, so the call id is `conv.id`.
 */
export function render(conv: Conversation): Rendered {
  const doc = {
    ConversationAnalytics: {
      Agent: '',
      ConversationTime: '',
      ProcessTime: '2026-03-18 09:51:37.482913',
      LanguageCode: 'zh-CN',
      Duration: String(Math.max(0, ...conv.turns.map((t) => t.end))),
      SpeakerLabels: [
        { Speaker: 'spk_0', DisplayText: 'Customer' },
        { Speaker: 'spk_1', DisplayText: 'Agent' },
      ],
      SourceInformation: [{ TranscribeJobInfo: { TranscribeApiType: 'standard', TranscriptionJobName: `${conv.id}.wav`, ChannelIdentification: 1 } }],
    },
    SpeechSegments: conv.turns.map((t) => ({
      SegmentStartTime: t.start,
      SegmentEndTime: t.end,
      SegmentSpeaker: t.role === 'agent' ? 'spk_1' : 'spk_0',
      SegmentInterruption: false,
      IVRSegment: false,
      OriginalText: t.text,
      DisplayText: t.text,
      TextEdited: 0,
    })),
  };
  return { fileName: `${conv.id}.wav.json`, content: JSON.stringify(doc, null, 2), args: [] };
}
