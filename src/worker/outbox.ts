/**
 * Batches what a worker reports: progress events and results that come within a short window
 * go out as one message each, so a burst of tiny jobs does not become a burst of messages.
 * The default window is one turn of the event loop: a result delays the next assignment by
 * the window, and the artifact transport already packs frames written together into one append.
 */
import type { Message, ProgressEvent } from '../protocol/messages.js'
import type { JobResult } from '../protocol/types.js'

/** Collects progress and results and sends them together `batchMs` after the first. */
export class Outbox {
  private progress: ProgressEvent[] = []
  private results: JobResult[] = []
  private timer?: NodeJS.Timeout

  constructor(
    private readonly send: (message: Message) => void,
    private readonly batchMs = 0
  ) {}

  addProgress(event: ProgressEvent): void {
    this.progress.push(event)
    this.schedule()
  }

  addResult(result: JobResult): void {
    this.results.push(result)
    this.schedule()
  }

  /** Sends what is pending now: progress first, so a job is seen starting before it ends. */
  flush(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    if (this.progress.length > 0) {
      const events = this.progress
      this.progress = []
      this.send({ type: 'progress', events })
    }
    if (this.results.length > 0) {
      const results = this.results
      this.results = []
      this.send({ type: 'result', results })
    }
  }

  /** Drops what is pending (the link is gone) and stops the timer. */
  discard(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    this.progress = []
    this.results = []
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.flush(), this.batchMs)
  }
}
