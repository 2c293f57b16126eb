/**
 * The exit code of a run stopped by a signal: 128 + the signal's number, as a shell reports a process
 * the signal killed (SIGINT 2 → 130, SIGTERM 15 → 143), so that a job runner tells Ctrl-C from a stop.
 */
export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

export type StopSignal = keyof typeof SIGNAL_EXIT_CODES;

export function signalExitCode(signal: NodeJS.Signals): number {
  return signal === 'SIGTERM' ? SIGNAL_EXIT_CODES.SIGTERM : SIGNAL_EXIT_CODES.SIGINT;
}

/**
 * A command's SIGINT and SIGTERM: `stop` (what the run must do first, e.g. give up its reports), then exit with
 * the signal's code (signalExitCode); a second signal while stopping is ignored. Returns the function that
 * takes the handlers off again.
 */
export function exitOnSignal(stop: () => Promise<void>): () => void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    void stop().finally(() => process.exit(signalExitCode(signal)));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
