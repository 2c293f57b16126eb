/**
 * The one reader of a written conversation's message date-times: a callqa JSON message's `time` and a chat
 * export's start/end cells (csv-export). Both need the same things of it: an instant to subtract (the gaps
 * between messages are what the rules use) and the time written as ISO 8601 for the conversation's started_at.
 */

export interface DateTimeOptions {
  /**
   * What the text may look like. `iso`: ISO 8601 as JSON writes it (2026-03-12T09:15:02.5+08:00: dashes,
   * two-digit fields, a space allowed for the T). `export`: also what chat platforms and Excel write
   * (2026/3/12 9:15, 2026.3.12 09:15:02, a space before the zone).
   */
  form: 'iso' | 'export';
  /**
   * `required`: the time must name its zone (Z or an offset). A callqa JSON conversation may mix offsets, and a
   * time without one could put the gap to the next message hours off. An export's times are all the same
   * local clock, so there a time without a zone is read as if in UTC: only differences are used.
   */
  zone: 'required' | 'optional';
}

export interface DateTime {
  /** Milliseconds since the epoch (a time without a zone read as if in UTC). */
  ms: number;
  /** The time in ISO 8601, fields padded, with its zone as written (Z or ±hh:mm) or none. */
  iso: string;
  /** The text named its zone. */
  zoned: boolean;
}

// Both linear: each part is a bounded run of digits between fixed separators, nothing nested or repeated.
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const EXPORT = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS[month - 1] as number);
}

/** The zone's offset in minutes east of UTC (Z: 0); undefined when out of range (±23:59 at most, minutes under 60). */
function offsetMinutes(zone: string): number | undefined {
  if (zone.toUpperCase() === 'Z') return 0;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(-2));
  if (hours > 23 || minutes > 59) return undefined;
  return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/**
 * A date and time read from text (trimmed), or undefined when it is none: not in the form, a date the calendar
 * lacks (2026-02-30), a time past 23:59:59 (24:00 included), an offset out of range, or no zone where one is
 * required. A fraction of a second counts to the millisecond, further digits cut as Date.parse cuts them.
 */
export function readDateTime(text: string, options: DateTimeOptions): DateTime | undefined {
  const m = (options.form === 'iso' ? ISO : EXPORT).exec(text.trim());
  if (!m) return undefined;
  const [y = '', mo = '', d = '', h = '', mi = '', s = '0', frac = '', zone] = m.slice(1);
  if (zone === undefined && options.zone === 'required') return undefined;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  const offset = zone === undefined ? 0 : offsetMinutes(zone);
  if (offset === undefined) return undefined;
  const millis = Number(frac.slice(0, 3).padEnd(3, '0'));
  const utc = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, millis);
  const pad = (v: string) => v.padStart(2, '0');
  const written = zone === undefined ? '' : zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const iso = `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${mi}:${pad(s)}${frac ? `.${frac}` : ''}${written}`;
  return { ms: utc.getTime() - offset * 60_000, iso, zoned: zone !== undefined };
}
