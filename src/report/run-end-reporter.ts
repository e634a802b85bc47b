/**
 * The shape of a reporter that writes once, when the run has ended (JUnit file, job summary):
 * it keeps the framework's name and the final summary and tests, and writes them in finish().
 */
import type { Reporter, RunEvent, RunSummary, TestOutcome } from '../runner/events.js'

/** What such a reporter writes from. */
export interface RunEnd {
  summary: RunSummary
  tests: TestOutcome[]
  framework: string
}

export abstract class RunEndReporter implements Reporter {
  private ended?: { summary: RunSummary; tests: TestOutcome[] }
  private framework: string

  /** `framework`: the name used when the stream names none. */
  constructor(framework: string) {
    this.framework = framework
  }

  onEvent(event: RunEvent): void {
    if (event.type === 'run-started') this.framework = event.framework
    if (event.type === 'run-finished') this.ended = { summary: event.summary, tests: event.tests }
  }

  async finish(): Promise<void> {
    if (this.ended) await this.write({ ...this.ended, framework: this.framework })
  }

  /** Writes the report of a run that ended; not called when it never did. */
  protected abstract write(end: RunEnd): Promise<void>
}
