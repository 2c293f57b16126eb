import { discoverInputs, type InputItem, type InputTally } from '../ingest/index.js';
import type { IngestOptions } from '../ingest/format.js';
import { compareRecords } from '../results/order.js';

/** An input's name in the reports. */
export function itemPath(item: InputItem): string {
  return item.kind === 'stdin' ? '<stdin>' : item.path;
}

/** A stable hash of an input's path (FNV-1a over its UTF-8 bytes): the same shard on every machine. */
export function shardOf(path: string, count: number): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(path, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % count;
}

/**
 * The inputs of a run (paths only: the progress bar knows the total), in the stable order of every report
 * (compareRecords): by path, folder by folder, whatever order the inputs were named in — so runs over parts
 * of a corpus merge into the run over all of it. `shard`: only the inputs of shard `index` of `count`.
 */
export async function listInputs(
  inputs: readonly string[],
  tally: InputTally,
  opts: IngestOptions & { shard?: { index: number; count: number } },
): Promise<InputItem[]> {
  const items: InputItem[] = [];
  for await (const item of discoverInputs(inputs, tally, opts)) {
    if (!opts.shard || shardOf(itemPath(item), opts.shard.count) === opts.shard.index) items.push(item);
  }
  items.sort((a, b) => compareRecords({ source: itemPath(a), seq: 0 }, { source: itemPath(b), seq: 0 }));
  return items;
}
