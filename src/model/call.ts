/**
 * The canonical call: the only shape that crosses from ingest to the rules.
 * Parsers build it; they never know the rules. Rules read it; they never know the format.
 */
export type Speaker = 'agent' | 'customer';
export type HangupBy = 'customer' | 'agent' | 'unknown';
/** How the conversation took place: a phone call, or written service (online chat, a social-media thread). */
export type Channel = 'voice' | 'chat' | 'social';

/** Whether a channel, as a call, a saved result or a CSV cell gives it, is written service: a chat or a social thread. */
export function isWrittenChannel(channel: unknown): channel is 'chat' | 'social' {
  return channel === 'chat' || channel === 'social';
}

/**
 * How the agent was told apart from the customer: the source said so (`given`), a command-line
 * flag matched a speaker label or channel (`flag`), the speaker whose early turns hold the
 * greeting (`greeting`), the one speaker who identified as the agent (`identification`: the
 * organisation, a staff number, a service offer), the one who did not answer the phone like a
 * customer (`customer-cue`: a bare 喂, 哪位), the call's direction (`direction`: inbound, the agent
 * speaks first; outbound, the customer does), or, failing all, the first speaker (`first-speaker`).
 */
export type RoleSource = 'given' | 'flag' | 'greeting' | 'identification' | 'customer-cue' | 'direction' | 'first-speaker';

export interface Utterance {
  speaker: Speaker;
  /** The label the source gave the speaker (spk_1, a voice name), kept for explain views. */
  label?: string;
  /** Seconds from the start of the call; absent in an untimed transcript. */
  start?: number;
  /** Seconds from the start of the call; absent when the source gives none. */
  end?: number;
  /** The end is the next utterance's start (start-only sources): gaps and overlaps cannot be measured. */
  endInferred?: boolean;
  /** The text exactly as the source gave it: evidence is quoted from here. */
  text: string;
}

export interface Call {
  id: string;
  /** Where the call came from, as the user named it (a path, or "<stdin>" for standard input). */
  source: string;
  /** 1-based line in the source where this call begins, when the format has lines. */
  line?: number;
  agent: { id?: string; name?: string };
  hangupBy: HangupBy;
  ringSeconds?: number;
  startedAt?: string;
  /**
   * Seconds from the start of the transcript when an agent took the contact (a chat transcript
   * starts when the customer joins the queue); timed rules count from here. Absent: 0.
   */
  answeredAt?: number;
  queue?: string;
  /** inbound or outbound, when call records say. */
  direction?: string;
  /** Written service (chat, social): rules that measure speech answer n/a. Absent: voice. */
  channel?: Channel;
  roleSource: RoleSource;
  utterances: Utterance[];
}

/** Text prepared for matching, with a map back to the original for evidence. */
export interface NormalisedText {
  /** Simplified script, half-width, no spaces between Han characters, ASCII lower case. */
  text: string;
  /** For each index of `text`, the index in the original string it came from. */
  toOriginal: Uint32Array;
}

export interface PreparedUtterance extends Utterance {
  norm: NormalisedText;
}

export interface PreparedCall extends Omit<Call, 'utterances'> {
  utterances: PreparedUtterance[];
}
