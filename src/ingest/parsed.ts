import type { SourceCall } from '../model/source.js';
import type { InputError } from './errors.js';

/** What a parser yields for each call it meets: the call, or why it cannot be scored. */
export type Parsed = { call: SourceCall; error?: undefined } | { error: InputError; call?: undefined };
