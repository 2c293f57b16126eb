/** Rounds for a report: at most `digits` decimals, no trailing zeros. */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Seconds → mm:ss (minutes keep counting past 59: a report reads 75:03, not 1:15:03). */
export function clock(seconds: number): string {
  const whole = Math.floor(seconds);
  const m = Math.floor(whole / 60);
  const s = whole % 60;
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}
