import type { MessageKey } from '../i18n/catalogs/en.js';
import { translate } from '../i18n/format.js';
import type { Lang } from '../i18n/lang.js';
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

/** The sentence of each reason statNamed gives a missing path (its MISSING: ENOENT, ENOTDIR). */
const REASONS: Readonly<Record<string, MessageKey>> = {
  'no such file or directory': 'command.no-such-path',
  'not a directory': 'command.not-a-directory',
};

/** What stderr says, in `lang`: each missing path with its reason, then that nothing was scored. */
export function describeMissing(missing: readonly MissingInput[], lang: Lang = 'en'): string {
  const lines = missing.map((m) => {
    const path = printable(m.path);
    const key = Object.hasOwn(REASONS, m.reason) ? REASONS[m.reason] : undefined;
    // A reason without a sentence of its own (none today) is put in as it came.
    return `callqa: ${key ? translate(lang, key, { path }) : translate(lang, 'command.path-problem', { path, problem: m.reason })}\n`;
  });
  const n = missing.length;
  return `${lines.join('')}callqa: ${n === 1 ? translate(lang, 'command.missing.one') : translate(lang, 'command.missing.other', { count: n })}\n`;
}
