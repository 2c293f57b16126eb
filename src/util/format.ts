/** Rounds for a report: at most `digits` decimals, no trailing zeros. */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  const scaled = value * f;
  // A number this large has no decimals left to round, and value × f could overflow to Infinity (an empty cell).
  if (!(Math.abs(scaled) < 2 ** 53)) return value;
  return Math.round(scaled) / f;
}

/** Seconds → mm:ss (minutes keep counting past 59: a report reads 75:03, not 1:15:03). */
export function clock(seconds: number): string {
  const whole = Math.floor(seconds);
  const m = Math.floor(whole / 60);
  const s = whole % 60;
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** C0 and C1 controls (ANSI escapes among them) in text bound for a terminal: each shown as U+FFFD, so it cannot drive the terminal. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\ufffd');
}
