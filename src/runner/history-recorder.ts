/**
 * Timing history as a listener of the run's event stream: it rebuilds every job's attempts
 * from `jobs-planned` and `job-finished`, and when the run has finished records them into the
 * history the plan was made from and saves it, with the run's time outside its jobs: its
 * duration less the span from the first job's start to the last job's end (runner's clock).
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
  /** The runner's clock at the first job's start and the last job's end. */
  private firstStart: number | undefined
  private lastEnd: number | undefined
  /** The run's time outside its jobs' span (see recordRun). */
  private runMs: number | undefined

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
    } else if (event.type === 'job-started') {
      this.firstStart ??= event.at
    } else if (event.type === 'job-finished') {
      this.lastEnd = Math.max(this.lastEnd ?? event.at, event.at)
      const entry = this.entryOf.get(event.job.id)
      entry?.attempts.push({ job: event.job, result: event.result })
      for (const job of event.split ?? []) if (entry) this.entryOf.set(job.id, entry)
    } else if (event.type === 'run-finished') {
      // An incomplete run's not-run tests say nothing of how long they take.
      this.finished = event.summary.incomplete === undefined
      if (this.firstStart !== undefined && this.lastEnd !== undefined)
        this.runMs = Math.max(0, event.summary.durationMs - (this.lastEnd - this.firstStart))
    }
  }

  /** Records and saves once the run has finished; a run that did not finish leaves no history. */
  async finish(): Promise<void> {
    if (!this.finished) return
    recordRun(this.store, this.framework, [...this.entries.values()], this.runMs)
    try {
      await this.store.save(this.path)
    } catch (error) {
      this.warn(`could not save timing history to ${this.path}: ${errorMessage(error)}`)
    }
  }
}
