/**
 * The one owner of the signals that ask a squall process to stop (Ctrl-C, SIGTERM from a
 * cancelled Actions job or `kill`, SIGHUP from a closed terminal). Hosts (the CLI commands,
 * the actions) wire them here; the engine hears of them only through what the host passes in
 * (an AbortSignal, a stop function).
 */

/** The signals that stop a piece in order. */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

/**
 * Calls `onStop` once, on the first stop signal; later ones are ignored (the stop is under
 * way, and leaving halfway would orphan what it stops). Returns a function that removes the
 * handlers.
 */
export function onStopSignal(onStop: (signal: NodeJS.Signals) => void): () => void {
  let received = false
  const handler = (signal: NodeJS.Signals): void => {
    if (received) return
    received = true
    onStop(signal)
  }
  for (const signal of STOP_SIGNALS) process.on(signal, handler)
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, handler)
  }
}

/** A stop signal as an AbortSignal, for pieces that take one (runWorker's `stop`). */
export interface SignalStop {
  /** Aborted on the first stop signal, with an Error naming it. */
  signal: AbortSignal
  /** The signal received, if any. */
  received(): NodeJS.Signals | undefined
  /** Removes the handlers. */
  release(): void
}

/** Aborts on the first stop signal; `who` names the receiver in the abort reason. */
export function abortOnStopSignal(
  who: string,
  onStop?: (signal: NodeJS.Signals) => void
): SignalStop {
  const controller = new AbortController()
  let got: NodeJS.Signals | undefined
  const release = onStopSignal(signal => {
    got = signal
    onStop?.(signal)
    controller.abort(new Error(`${who} received ${signal}`))
  })
  return { signal: controller.signal, received: () => got, release }
}

/**
 * A worker's stop: on the first stop signal its running jobs' whole trees are killed and the
 * jobs not started go back to the broker (runWorker does that when `signal` aborts).
 */
export function workerStop(id: string, log: (level: 'info', message: string) => void): SignalStop {
  return abortOnStopSignal(`worker ${id}`, signal =>
    log('info', `${signal}: stopping running jobs and handing back the rest`)
  )
}
