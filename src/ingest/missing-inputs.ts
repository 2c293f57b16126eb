import { printable } from '../util/format.js';
import { statNamed } from './index.js';

/** A path named on the command line that does not exist, and why (`no such file or directory`). */
export interface MissingInput {
  path: string;
  reason: string;
}

/**
 * The named inputs that do not exist (a mistyped path): `callqa score` stops on them before scoring
 * anything (exit 2), so that a typo in a nightly job fails loudly instead of writing a smaller report.
 * A path that exists but cannot be read (permissions), and a symbolic link whose target is missing,
 * are not "missing": the run lists them in errors.csv and scores the rest. `-` is standard input.
 */
export async function missingInputs(inputs: readonly string[]): Promise<MissingInput[]> {
  const missing: MissingInput[] = [];
  for (const path of inputs) {
    if (path === '-') continue;
    const named = await statNamed(path);
    if ('error' in named && named.missing) missing.push({ path, reason: named.error });
  }
  return missing;
}

/** What stderr says: each missing path with its reason, then that nothing was scored. */
export function describeMissing(missing: readonly MissingInput[]): string {
  const lines = missing.map((m) => `callqa: ${printable(m.path)}: ${m.reason}\n`);
  const n = missing.length;
  return `${lines.join('')}callqa: ${n === 1 ? 'an input does' : `${n} inputs do`} not exist; nothing was scored and no report written\n`;
}
