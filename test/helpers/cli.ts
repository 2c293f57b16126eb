import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'callqa.js');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment without the locale's variables: what callqa prints before it knows the run's language is in
 * the locale's (i18n/lang.ts, localeLang), so a test gets English there wherever it runs, unless it sets one.
 */
function withoutLocale(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { LC_ALL: _all, LC_MESSAGES: _messages, LANG: _lang, ...rest } = env;
  return rest;
}

/** Runs the real executable, as a user would (bin/callqa.js over the built dist/); `node`: options for Node itself. */
export function runCli(args: string[], options: { stdin?: string; cwd?: string; env?: Record<string, string>; node?: string[] } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.node ?? []), BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...withoutLocale(process.env), LANG: 'C.UTF-8', NO_COLOR: '1', FORCE_COLOR: '0', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // A child may stop reading its input before the end (callqa does past --max-record-mb): not the test's error.
    child.stdin.on('error', () => {});
    child.stdin.end(options.stdin ?? '');
  });
}

export { tempDir } from './temp.js';

/** Reads a report CSV back as records keyed by header; checks the BOM on the way. */
export async function readCsv(path: string, { bom = true } = {}): Promise<Record<string, string>[]> {
  const text = await readFile(path, 'utf8');
  if (bom !== text.startsWith('\ufeff')) throw new Error(`${path}: BOM ${bom ? 'missing' : 'unexpected'}`);
  return parse(text.replace(/^\ufeff/, ''), { columns: true }) as Record<string, string>[];
}
