import type { Words } from './words.js';

/** A speaker's label (坐席 / 客户, Agent / Customer). */
export function speakerLabel(w: Words, speaker: string): string {
  return w.say(speaker === 'agent' ? 'report.party.agent' : 'report.party.customer');
}

export function agentLabel(w: Words, agentId: string, agentName: string): string {
  if (agentName && agentId) return `${agentName} (${agentId})`;
  return agentName || agentId || w.say('report.agent.unknown');
}

export function clip(text: string, max: number): string {
  // Counted up to max characters, not split whole: evidence may be an utterance of megabytes.
  if (text.length <= max) return text;
  let units = 0;
  let count = 0;
  for (const ch of text) {
    if (count === max) return `${text.slice(0, units)}…`;
    units += ch.length;
    count++;
  }
  return text;
}
