/**
 * Ctrl-C (and SIGTERM, SIGHUP) of a command that owns child processes: stop them in order,
 * then exit with 128 + the signal's number (130 for SIGINT), as shells expect.
 */
import { constants } from 'node:os'

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

/**
 * Runs `stop` on the first stop signal, then exits. Returns a function that removes the
 * handlers (call it once the command is over). A second signal while stopping is ignored: the
 * stop is bounded, and leaving halfway would orphan what it is stopping.
 */
export function onInterrupt(stop: (signal: NodeJS.Signals) => Promise<void>): () => void {
  let stopping = false
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) return
    stopping = true
    const code = 128 + constants.signals[signal]
    void stop(signal)
      .catch(() => undefined)
      .finally(() => process.exit(code))
  }
  for (const signal of STOP_SIGNALS) process.on(signal, handler)
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, handler)
  }
}
