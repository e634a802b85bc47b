/**
 * Batches progress and results (a worker's to the broker, the broker's to the runner): what
 * comes within a short window goes out as one message per kind, so a burst of tiny jobs does
 * not become a burst of messages. Without a window, the batch is one turn of the event loop: a
 * result delays the next assignment by the window, and the artifact transport already packs
 * frames written together into one append.
 */
import type { ProgressEvent, ProgressMessage, ResultMessage } from './messages.js'
import type { JobResult } from './types.js'

/** Collects progress and results and sends them together `batchMs` after the first. */
export class Outbox {
  private progress: ProgressEvent[] = []
  private results: JobResult[] = []
  private timer?: { cancel(): void }

  constructor(
    /** Progress and results travel worker → broker and broker → runner alike. */
    private readonly send: (message: ProgressMessage | ResultMessage) => void,
    /** The window in ms; undefined: the rest of this event-loop turn. */
    private readonly batchMs?: number
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
    this.timer?.cancel()
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
    this.timer?.cancel()
    this.timer = undefined
    this.progress = []
    this.results = []
  }

  /** Stops the pending batch timer; what is pending stays until the next flush. */
  dispose(): void {
    this.timer?.cancel()
    this.timer = undefined
  }

  private schedule(): void {
    if (this.timer) return
    if (this.batchMs === undefined) {
      const immediate = setImmediate(() => this.flush())
      this.timer = { cancel: () => clearImmediate(immediate) }
    } else {
      const timeout = setTimeout(() => this.flush(), this.batchMs)
      this.timer = { cancel: () => clearTimeout(timeout) }
    }
  }
}
