import { round } from '../../util/format.js';

export function fmt(value: number, digits = 1): string {
  return String(round(value, digits));
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${fmt((100 * part) / whole, 1)}%`;
}

export function speakerLabel(speaker: string): string {
  return speaker === 'agent' ? '坐席' : '客户';
}

export function agentLabel(agentId: string, agentName: string): string {
  if (agentName && agentId) return `${agentName} (${agentId})`;
  return agentName || agentId || '(未知坐席 unknown agent)';
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
