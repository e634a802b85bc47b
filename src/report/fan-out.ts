/** The one reporter fan-out: every event to every reporter, in order; then each finishes. */
import type { Reporter, RunEvent } from '../runner/events.js'

/** A reporter made of several; `finish` runs theirs one after another, in the given order. */
export function fanOut(reporters: readonly Reporter[]): Required<Reporter> {
  return {
    onEvent(event: RunEvent): void {
      for (const reporter of reporters) reporter.onEvent(event)
    },
    async finish(): Promise<void> {
      for (const reporter of reporters) await reporter.finish?.()
    }
  }
}
