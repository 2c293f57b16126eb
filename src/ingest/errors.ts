/** Why an input (a file, a line of it, or one call in it) could not be scored. */
export interface InputError {
  source: string;
  /** 1-based line in the source, when known. */
  line?: number;
  error: string;
}

/** Thrown by parsers for a problem at a known place; caught and listed in errors.csv. */
export class InputProblem extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}
