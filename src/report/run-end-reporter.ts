/**
 * The shape of a reporter that writes once, when the run has ended (JUnit file, job summary,
 * HTML report): it keeps the framework's name, the final summary and tests and the run's time
 * line, and writes them in finish().
 */
import type { Reporter, RunEvent, RunSummary, TestOutcome } from '../runner/events.js'
import { TimelineRecorder, type Timeline } from './timeline.js'

/** What such a reporter writes from. */
export interface RunEnd {
  summary: RunSummary
  tests: TestOutcome[]
  framework: string
  /** Every worker's jobs over time (undefined when no job ran). */
  timeline: Timeline | undefined
}

export abstract class RunEndReporter implements Reporter {
  private ended?: { summary: RunSummary; tests: TestOutcome[] }
  private framework: string
  private readonly timeline = new TimelineRecorder()

  /** `framework`: the name used when the stream names none. */
  constructor(framework: string) {
    this.framework = framework
  }

  onEvent(event: RunEvent): void {
    this.timeline.onEvent(event)
    if (event.type === 'run-started') this.framework = event.framework
    if (event.type === 'run-finished') this.ended = { summary: event.summary, tests: event.tests }
  }

  async finish(): Promise<void> {
    if (!this.ended) return
    await this.write({
      ...this.ended,
      framework: this.framework,
      timeline: this.timeline.timeline()
    })
  }

  /** Writes the report of a run that ended; not called when it never did. */
  protected abstract write(end: RunEnd): Promise<void>
}
