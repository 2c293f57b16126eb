import type { Lang } from '../i18n/lang.js';
import type { HangupBy } from '../model/call.js';

/** What call records say about one call; every field optional, the transcript keeps what they lack. */
export interface CallFacts {
  agentId?: string;
  agentName?: string;
  hangupBy?: HangupBy;
  ringSeconds?: number;
  startedAt?: string;
  queue?: string;
  direction?: string;
}

export interface MetadataRecord {
  /** The call ids this record answers to (FreeSWITCH: the leg's uuid and the call's uuid). */
  ids: string[];
  facts: CallFacts;
  source: string;
  line?: number;
  /**
   * When the record was last updated, ms since the epoch: only a contact record has one (Amazon Connect's
   * LastUpdateTimestamp). Of two records for one call the later update goes on top (MetadataIndex.add).
   */
  updatedAt?: number;
}

export interface MetadataOptions {
  /** Which FreeSWITCH leg is the customer's: the inbound one (a service line) or the outbound one (a campaign). */
  customerLeg: 'inbound' | 'outbound';
  /** The language a bad record's reason is written in (absent: English). */
  lang?: Lang;
}

/** Copies the defined values only, so that a record never blanks what the transcript said. */
export function definedFacts(facts: CallFacts): CallFacts {
  return Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined && v !== '')) as CallFacts;
}
