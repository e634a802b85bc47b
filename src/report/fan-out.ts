/** The one reporter fan-out: every event to every reporter, in order; then each finishes. */
import { ReportError, errorMessage } from '../errors.js'
import type { Reporter, RunEvent } from '../runner/events.js'

/**
 * A reporter made of several; `finish` runs theirs one after another, in the given order.
 * One that fails (a JUnit file that cannot be written) does not keep the others from
 * finishing (the JSON file is still written); the failures are thrown together at the end.
 */
export function fanOut(reporters: readonly Reporter[]): Required<Reporter> {
  return {
    onEvent(event: RunEvent): void {
      for (const reporter of reporters) reporter.onEvent(event)
    },
    async finish(): Promise<void> {
      const failures: string[] = []
      for (const reporter of reporters) {
        try {
          await reporter.finish?.()
        } catch (error) {
          failures.push(errorMessage(error))
        }
      }
      if (failures.length > 0) throw new ReportError(failures)
    }
  }
}
