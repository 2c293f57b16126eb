import type { InputError } from '../ingest/errors.js';
import { InputProblem } from '../ingest/errors.js';
import type { IngestOptions } from '../ingest/format.js';
import { type InputItem, type InputTally, readInput } from '../ingest/index.js';
import type { MetadataIndex } from '../metadata/join.js';
import type { PreparedCall } from '../model/call.js';
import { prepareOwnCall } from '../normalise/call.js';
import { type RoleOptions, resolveRoles } from '../normalise/roles.js';
import type { Rubric } from '../rubric/load.js';
import { type CallResult, scoreCall } from '../scoring/score-call.js';

/** What scoring needs besides the input: the same in the main thread and in every worker. */
export interface ScoreContext {
  rubric: Rubric;
  roles: RoleOptions;
  ingest: IngestOptions;
  metadata?: MetadataIndex;
}

/** One call scored by the rules, or why a part of the input could not be; `metadata` says how the call-record join went. */
export type Scored =
  | { error: InputError; result?: undefined }
  | { result: CallResult; prepared: PreparedCall; metadata: 'none' | 'matched' | 'missing'; matchedId?: string; error?: undefined };

/** ingest → metadata join → roles → normalise → check → score, for every call of one input. */
export async function* scoreInput(item: InputItem, ctx: ScoreContext, tally: InputTally): AsyncGenerator<Scored> {
  for await (const parsed of readInput(item, ctx.ingest, tally)) {
    if (parsed.error) {
      yield { error: parsed.error };
      continue;
    }
    const source = parsed.call;
    let metadata: 'none' | 'matched' | 'missing' = 'none';
    let matchedId: string | undefined;
    if (ctx.metadata) {
      matchedId = ctx.metadata.apply(source);
      metadata = matchedId === undefined ? 'missing' : 'matched';
    }
    let prepared: PreparedCall;
    try {
      // resolveRoles builds a new call (new utterances): nobody else holds it.
      prepared = prepareOwnCall(resolveRoles(source, ctx.roles));
    } catch (err) {
      if (!(err instanceof InputProblem)) throw err;
      yield { error: { source: source.source, ...(source.line ? { line: source.line } : {}), error: `call ${source.id}: ${err.message}` } };
      continue;
    }
    yield { result: scoreCall(prepared, ctx.rubric), prepared, metadata, ...(matchedId === undefined ? {} : { matchedId }) };
  }
}
