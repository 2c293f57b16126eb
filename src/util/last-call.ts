/**
 * `make(key)` worked out once for the key last asked about: what several rules of one call need (its agent's
 * turns, its timed turns) is made once for the call and let go with the next one. One slot and not a WeakMap:
 * V8's scavenges keep the values of a WeakMap in the old generation alive whatever becomes of their young keys,
 * until the next full collection, so every call scored since then was copied, and much of it promoted, with them
 * (bench/RESULTS.md, issue 16).
 */
export function lastOf<K extends object, V>(make: (key: K) => V): (key: K) => V {
  let lastKey: K | undefined;
  let lastValue: V | undefined;
  return (key) => {
    if (key !== lastKey) {
      lastValue = make(key);
      lastKey = key;
    }
    return lastValue as V;
  };
}
