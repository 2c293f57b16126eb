import type { Call, Speaker } from './call.js';

/**
 * An utterance as a source gives it. A source states the role (AGENT, 坐席), or only a speaker
 * label (spk_1, SPEAKER_00, a VTT voice name) or a recording channel; roles are resolved later
 * (src/normalise/roles.ts), the same way for every format.
 */
export interface SourceUtterance {
  role?: Speaker;
  /** Diarisation label or display name, as the source writes it. */
  speaker?: string;
  /** Recording channel (0, 1…), for dual-channel sources. */
  channel?: number;
  start?: number;
  end?: number;
  /** The end is the next utterance's start (start-only sources): fine for a speech rate, no proof of silence. */
  endInferred?: boolean;
  text: string;
}

/** What a parser yields: a call whose utterances may still lack roles. */
export interface SourceCall extends Omit<Call, 'utterances' | 'roleSource'> {
  /** The format that was read (a parser name: callqa-json, vtt, alibaba…). */
  format: string;
  /** A channel the format takes for the agent when no flag says otherwise (Alibaba: 0). */
  defaultAgentChannel?: number;
  utterances: SourceUtterance[];
}
