/**
 * Numbers calls, given in report order, by their place in their source (0, 1, …): their records'
 * `seq`. Each thread that numbers calls keeps one.
 */
export function sourceNumbering(): (source: string) => number {
  let current: string | undefined;
  let next = 0;
  return (source) => {
    if (source !== current) {
      current = source;
      next = 0;
    }
    return next++;
  };
}

/** A path separator: callqa orders paths folder by folder, written with / or \\. */
const isSeparator = (c: number) => c === 0x2f || c === 0x5c;

/**
 * The stable order of calls in every report: by source path compared folder by folder (the order a
 * directory walk visits), then by place in the source. Merged results sort into one run's order.
 * Folder by folder without splitting the paths (a merge compares every record): up to the first code
 * unit where they differ (either separator matching either), the folders are the same; if one path
 * stops there, or its folder name does (a separator), it is the prefix and comes first; otherwise the
 * two differing code units order the two names, as `<` would.
 */
export function compareRecords(a: { source: string; seq: number }, b: { source: string; seq: number }): number {
  const x = a.source;
  const y = b.source;
  if (x === y) return a.seq - b.seq;
  const n = Math.min(x.length, y.length);
  let i = 0;
  for (; i < n; i++) {
    const cx = x.charCodeAt(i);
    const cy = y.charCodeAt(i);
    if (cx !== cy && !(isSeparator(cx) && isSeparator(cy))) break;
  }
  if (i === n) return x.length - y.length || a.seq - b.seq;
  const cx = x.charCodeAt(i);
  const cy = y.charCodeAt(i);
  if (isSeparator(cx)) return -1;
  if (isSeparator(cy)) return 1;
  return cx < cy ? -1 : 1;
}
