/**
 * A worker's jobs: a queue in arrival order and at most `slots` running attempts, each with
 * its own abort controller. Knows nothing of links or deadlines; the session decides when.
 */
import { errorMessage } from '../errors.js'
import { jobKey, notRunResult } from '../protocol/job-ref.js'
import type { JobRef, JobResult, JobSpec } from '../protocol/types.js'
import type { ExecuteContext, executeJob } from './executor.js'

export interface JobPoolOptions {
  slots: number
  execute: typeof executeJob
  context: ExecuteContext
  /** Called when an attempt starts, before it runs. */
  onStarted: (job: JobSpec) => void
  /** Called once per started attempt with its result (an error result if execute threw). */
  onFinished: (job: JobSpec, result: JobResult) => void
}

interface Running {
  abort: AbortController
  done: Promise<void>
}

export class JobPool {
  private queue: JobSpec[] = []
  private readonly running = new Map<string, Running>()

  constructor(private readonly options: JobPoolOptions) {}

  get runningCount(): number {
    return this.running.size
  }

  get queued(): readonly JobSpec[] {
    return this.queue
  }

  /** True when this attempt is queued or running here. */
  has(ref: JobRef): boolean {
    const k = jobKey(ref)
    return this.running.has(k) || this.queue.some(job => jobKey(job) === k)
  }

  enqueue(job: JobSpec): void {
    this.queue.push(job)
  }

  /** Empties the queue and returns what was in it. */
  takeQueue(): JobSpec[] {
    const taken = this.queue
    this.queue = []
    return taken
  }

  /** Removes a queued attempt; undefined when it is not queued. */
  dequeue(ref: JobRef): JobSpec | undefined {
    const index = this.queue.findIndex(job => jobKey(job) === jobKey(ref))
    return index < 0 ? undefined : this.queue.splice(index, 1)[0]
  }

  /**
   * Starts queued jobs in order while a slot is free and `mayStart` agrees with the next one;
   * returns the job `mayStart` refused, if any (it stays queued).
   */
  fill(mayStart: (job: JobSpec) => boolean): JobSpec | undefined {
    while (this.running.size < this.options.slots) {
      const job = this.queue[0]
      if (!job) return undefined
      if (!mayStart(job)) return job
      this.queue.shift()
      this.start(job)
    }
    return undefined
  }

  /** Aborts a running attempt; false when it is not running. */
  abort(ref: JobRef, reason: string): boolean {
    const run = this.running.get(jobKey(ref))
    run?.abort.abort(reason)
    return run !== undefined
  }

  /** Aborts every running attempt; returns how many. */
  abortAll(reason: string): number {
    for (const run of this.running.values()) run.abort.abort(reason)
    return this.running.size
  }

  /** Waits until nothing runs, or `boundMs` passed; returns how many still run. */
  async settle(boundMs: number): Promise<number> {
    const runs = [...this.running.values()].map(run => run.done)
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      Promise.allSettled(runs),
      new Promise<void>(resolve => (timer = setTimeout(resolve, boundMs)))
    ])
    clearTimeout(timer)
    return this.running.size
  }

  private start(job: JobSpec): void {
    const { execute, context, onStarted, onFinished } = this.options
    const abort = new AbortController()
    const k = jobKey(job)
    onStarted(job)
    let pending: Promise<JobResult>
    try {
      pending = execute(job, context, abort.signal)
    } catch (error) {
      // An injected executor may throw before returning its promise.
      pending = Promise.reject(error)
    }
    const done = pending
      .catch((error: unknown) =>
        notRunResult(job, {
          worker: context.workerId,
          status: 'error',
          message: `the worker failed to run the job: ${errorMessage(error)}`
        })
      )
      .then(result => {
        this.running.delete(k)
        onFinished(job, result)
      })
    this.running.set(k, { abort, done })
  }
}
