/**
 * Ctrl-C (and SIGTERM, SIGHUP) of a command that owns child processes: stop them in order,
 * then exit with 128 + the signal's number (130 for SIGINT), as shells expect.
 */
import { signalExitCode } from '../errors.js'
import { onStopSignal } from '../stop-signals.js'

/**
 * Runs `stop` on the first stop signal, then exits. Returns a function that removes the
 * handlers (call it once the command is over). A second signal while stopping is ignored: the
 * stop is bounded, and leaving halfway would orphan what it is stopping.
 */
export function onInterrupt(stop: (signal: NodeJS.Signals) => Promise<void>): () => void {
  return onStopSignal(signal => {
    void stop(signal)
      .catch(() => undefined)
      .finally(() => process.exit(signalExitCode(signal)))
  })
}
