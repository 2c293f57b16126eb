import { createHash } from 'node:crypto';

/** What names a finding across runs: its call, its rule, where it is and what it quotes (masked, as reports have it). */
export interface FindingPlace {
  rule: string;
  at?: number;
  evidence: string;
}

/**
 * Each finding's id, in the order given (one call's findings, as its record lists them): `F-` and 16 hex
 * digits of SHA-256 over the call id, the rule, the place (to the hundredth of a second, as findings.csv
 * writes it) and the evidence, then the count of earlier findings of the call with all four the same (one
 * rule finding the same phrase twice in one utterance). The same call, rule, place and evidence give the
 * same id in any later run, whatever the language of the message, the deduction or the input's path.
 * Never a number to Excel (`F-` first: a bare `1e5…` would be read as one).
 */
export function findingIds(callId: string, findings: readonly FindingPlace[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const place = JSON.stringify([callId, f.rule, f.at === undefined ? null : Math.round(f.at * 100), f.evidence]);
    const nth = seen.get(place) ?? 0;
    seen.set(place, nth + 1);
    return `F-${createHash('sha256').update(`${place}#${nth}`).digest('hex').slice(0, 16)}`;
  });
}

/** Whether a text is a finding id as findingIds writes them. */
export function isFindingId(text: string): boolean {
  return /^F-[0-9a-f]{16}$/.test(text);
}
