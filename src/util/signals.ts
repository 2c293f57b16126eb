/**
 * The exit code of a run stopped by a signal: 128 + the signal's number, as a shell reports a process
 * the signal killed (SIGINT 2 → 130, SIGTERM 15 → 143), so that a job runner tells Ctrl-C from a stop.
 */
export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

export type StopSignal = keyof typeof SIGNAL_EXIT_CODES;

export function signalExitCode(signal: NodeJS.Signals): number {
  return signal === 'SIGTERM' ? SIGNAL_EXIT_CODES.SIGTERM : SIGNAL_EXIT_CODES.SIGINT;
}
