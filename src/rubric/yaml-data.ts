import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';

/** Deeper than this and a rubric is refused (a real one nests five or six levels). */
export const MAX_DEPTH = 64;
/** Values that aliases (*name) may copy in all: a billion-laughs rubric stops here, not in memory. */
export const MAX_ALIAS_VALUES = 10_000;

/**
 * Keys that name what every JavaScript object has (constructor, toString, __proto__…): as a rule id or
 * any other key they would read or replace the object's own machinery, so a rubric may not use them.
 */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/** A problem at a node of the document: the loader turns it into "file:line: path: message". */
export interface DataProblem {
  node: Node | undefined;
  path: (string | number)[];
  message: string;
}

class Stop extends Error {
  constructor(readonly problem: DataProblem) {
    super(problem.message);
  }
}

/**
 * The document's data as plain values, mappings as null-prototype objects, within limits: nesting
 * depth, values copied by aliases, and no reserved key. Returns the data or the first problem.
 */
export function documentData(doc: Document): { data: unknown } | { problem: DataProblem } {
  const anchors = new Map<string, Node>();
  const aliasTargets = new WeakMap<Node, Node>();
  let aliasValues = 0;

  /** `copying`: the alias (in the document) whose target is being copied, and its path. */
  const convert = (node: unknown, path: (string | number)[], depth: number, copying: DataProblem | undefined): unknown => {
    if (depth > MAX_DEPTH)
      throw new Stop({ node: (copying?.node ?? node) as Node, path: copying?.path ?? path, message: `nested more than ${MAX_DEPTH} levels deep` });
    if (copying && ++aliasValues > MAX_ALIAS_VALUES) {
      throw new Stop({
        ...copying,
        message: `aliases (*name) copy more than ${MAX_ALIAS_VALUES} values; write the values out instead (an alias bomb?)`,
      });
    }
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      let target = aliasTargets.get(node);
      if (!copying) {
        target = anchors.get(node.source);
        if (target) aliasTargets.set(node, target);
      }
      if (!target) throw new Stop({ node, path, message: `invalid YAML: the alias *${node.source} names no anchor &${node.source} before it` });
      return convert(target, path, depth + 1, copying ?? { node, path, message: '' });
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (!copying && anchor) anchors.set(anchor, node as Node);
    if (isScalar(node)) return node.value ?? null;
    if (isSeq(node)) return node.items.map((item, i) => convert(item, [...path, i], depth + 1, copying));
    if (isMap(node)) {
      const out: Record<string, unknown> = Object.create(null);
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key;
        if (keyNode !== null && !isScalar(keyNode)) {
          throw new Stop({ node: keyNode as Node, path, message: 'expected a key of text, got a list or mapping' });
        }
        const raw = isScalar(keyNode) ? keyNode.value : null;
        const key = raw === null || raw === undefined ? '' : String(raw);
        if (RESERVED_KEYS.has(key)) {
          throw new Stop({
            node: (keyNode as Node | null) ?? (node as Node),
            path: [...path, key],
            message: `"${key}" is a reserved name (every JavaScript object has it); use another key or rule id`,
          });
        }
        out[key] = convert(pair.value, [...path, key], depth + 1, copying);
      }
      return out;
    }
    return null;
  };

  try {
    return { data: convert(doc.contents, [], 0, undefined) };
  } catch (err) {
    if (err instanceof Stop) return { problem: err.problem };
    throw err;
  }
}
