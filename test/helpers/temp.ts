import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The directories this test file made, removed once it has run (test/helpers/cleanup.ts). */
const made: string[] = [];

/** A new directory under the system's temporary one, removed after the test file. */
export async function tempDir(prefix = 'callqa-e2e-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every directory tempDir made (a test that failed leaves nothing behind either). */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}
