/** A table over UTF-16 code units marking the given characters (BMP ones: each is one code unit). */
export function charTable(chars: string): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1;
  return table;
}

/** Whether the text holds at least `n` of the table's characters: a quick proof that nothing longer can be in it. */
export function holdsAtLeast(text: string, table: Uint8Array, n: number): boolean {
  let seen = 0;
  for (let i = 0; i < text.length; i++) if (table[text.charCodeAt(i)] === 1 && ++seen >= n) return true;
  return n <= 0;
}
