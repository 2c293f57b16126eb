// Module hooks (node:module register) that append the URL of every module loaded through import to
// the file CALLQA_MODULE_LOG names: a test sees what a command loaded, and what it did not.
import { appendFileSync } from 'node:fs';

export async function load(url, context, next) {
  if (process.env.CALLQA_MODULE_LOG) appendFileSync(process.env.CALLQA_MODULE_LOG, `${url}\n`);
  return next(url, context);
}
