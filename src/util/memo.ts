/**
 * `make(a, b)` worked out once for each pair of objects and kept as long as both live: what a rule
 * builds from two option values (a list and its extension) is built once per rubric, not once per call.
 */
export function memoPair<A extends object, B extends object, V>(make: (a: A, b: B) => V): (a: A, b: B) => V {
  const byA = new WeakMap<A, WeakMap<B, V>>();
  return (a, b) => {
    let byB = byA.get(a);
    if (!byB) {
      byB = new WeakMap();
      byA.set(a, byB);
    }
    let value = byB.get(b);
    if (value === undefined) {
      value = make(a, b);
      byB.set(b, value);
    }
    return value;
  };
}
