/** A small seeded PRNG (mulberry32): randomised tests that fail the same way every time. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random string of 0…maxLength characters drawn from `alphabet`. */
export function randomText(random: () => number, alphabet: readonly string[], maxLength: number): string {
  let text = '';
  const length = Math.floor(random() * (maxLength + 1));
  for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
  return text;
}
