/**
 * Timing history as a listener of the run's event stream: it rebuilds every job's attempts
 * from `jobs-planned` and `job-finished`, and when the run has finished records them into the
 * history the plan was made from and saves it.
 */
import { errorMessage } from '../errors.js'
import type { Framework } from '../frameworks/core/framework.js'
import type { Reporter, RunEvent } from './events.js'
import { recordRun } from './history.js'
import type { JobAttempts } from './outcomes.js'
import type { TimingStore } from './timings.js'

export class TimingHistoryRecorder implements Reporter {
  private readonly entries = new Map<string, JobAttempts>()
  /** The planned job's entry for every job id, jobs split from a crashed one included. */
  private readonly entryOf = new Map<string, JobAttempts>()
  private finished = false

  /** `warn` hears why the history could not be saved (the run goes on without it). */
  constructor(
    private readonly store: TimingStore,
    private readonly framework: Pick<Framework, 'itemDurations' | 'name' | 'itemUnit'>,
    private readonly path: string,
    private readonly warn: (message: string) => void
  ) {}

  onEvent(event: RunEvent): void {
    if (event.type === 'jobs-planned') {
      for (const job of event.jobs) {
        const entry: JobAttempts = { job, attempts: [] }
        this.entries.set(job.id, entry)
        this.entryOf.set(job.id, entry)
      }
    } else if (event.type === 'job-finished') {
      const entry = this.entryOf.get(event.job.id)
      entry?.attempts.push({ job: event.job, result: event.result })
      for (const job of event.split ?? []) if (entry) this.entryOf.set(job.id, entry)
    } else if (event.type === 'run-finished') {
      // An incomplete run's not-run tests say nothing of how long they take.
      this.finished = event.summary.incomplete === undefined
    }
  }

  /** Records and saves once the run has finished; a run that did not finish leaves no history. */
  async finish(): Promise<void> {
    if (!this.finished) return
    recordRun(this.store, this.framework, [...this.entries.values()])
    try {
      await this.store.save(this.path)
    } catch (error) {
      this.warn(`could not save timing history to ${this.path}: ${errorMessage(error)}`)
    }
  }
}
