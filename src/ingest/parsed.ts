import type { Call } from '../model/call.js';
import type { InputError } from './errors.js';

/** What a parser yields for each call it meets: the call, or why it cannot be scored. */
export type Parsed = { call: Call; error?: undefined } | { error: InputError; call?: undefined };
