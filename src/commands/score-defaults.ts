import { DEFAULT_MAX_RECORD_MB } from '../ingest/limits.js';
import { DEFAULT_CACHE_DIR } from '../llm/cache.js';
import { DEFAULT_INPUT_TIMEOUT } from '../pipeline/not-scored.js';

/**
 * The defaults of `callqa score`'s options, set once: the command line shows and applies them (cli.ts), and
 * the command fills them in for a caller that leaves them out (score.ts). A light module: `callqa --help`
 * loads it, and with it none of the scoring code.
 */
export const SCORE_DEFAULTS = {
  out: 'callqa-report',
  quiet: false,
  maxRecordMb: DEFAULT_MAX_RECORD_MB,
  customerLeg: 'inbound',
  llm: false,
  llmSamples: 1,
  llmSendPii: false,
  llmConcurrency: 4,
  llmTimeout: 120,
  llmCache: DEFAULT_CACHE_DIR,
  llmBatch: false,
  llmDryRun: false,
  resume: false,
  inputTimeout: DEFAULT_INPUT_TIMEOUT,
  coaching: false,
  xlsx: false,
  keepTranscripts: false,
  failOnCritical: false,
} as const;
