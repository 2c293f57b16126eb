import type { MessageKey } from '../i18n/catalogs/en.js';
import type { Lang } from '../i18n/lang.js';
import { type Message, type MessageParam, messageText } from '../i18n/message.js';

/**
 * A reason an input could not be read, as a catalog key and its parameters, so that it can be written in
 * the run's language where it leaves the reading (localizeError). A parameter may be another message
 * (the reason inside `call C-1: …`) or text as it is (quoted input, JSON paths, an unconverted English reason).
 */
export type InputMessage = Message;
export type InputParam = MessageParam;
export { messageText };

/** Why an input (a file, a line of it, or one call in it) could not be scored. */
export interface InputError {
  source: string;
  /** 1-based line in the source, when known. */
  line?: number;
  /** The reason, in English until localizeError writes it in the run's language. */
  error: string;
  /** The reason as a message, when it has one: taken off by localizeError (never written to results). */
  said?: InputMessage;
}

/** Thrown by parsers for a problem at a known place; caught and listed in errors.csv. */
export class InputProblem extends Error {
  /** The message as a catalog key, when it was given as one (`message` is then its English text). */
  readonly said: InputMessage | undefined;
  constructor(
    message: string | InputMessage,
    readonly line?: number,
  ) {
    super(typeof message === 'string' ? message : messageText('en', message));
    this.said = typeof message === 'string' ? undefined : message;
  }
}

/** A message of the catalogs' input section (the key and its parameters). */
export function msg(key: MessageKey, params?: Readonly<Record<string, InputParam>>): InputMessage {
  return params ? { key, params } : { key };
}

/** A reason for an InputError: its English text and its message (`{ source, line, ...reason(m) }`). */
export function reason(said: InputMessage): { error: string; said: InputMessage } {
  return { error: messageText('en', said), said };
}

/** The reason an error was thrown with: its message when it has one, else its text as it is. */
export function reasonOf(err: Error): string | InputMessage {
  return err instanceof InputProblem && err.said ? err.said : err.message;
}

/** An error's reason as text and message (an InputProblem's own, or the text of another error). */
export function errorReason(err: Error): { error: string; said?: InputMessage } {
  const r = reasonOf(err);
  return typeof r === 'string' ? { error: r } : reason(r);
}

/** The error as errors.csv and results.jsonl hold it: its reason in `lang`, without the message object. */
export function localizeError(e: InputError, lang: Lang): InputError {
  const { said, ...rest } = e;
  return said ? { ...rest, error: messageText(lang, said) } : rest;
}
