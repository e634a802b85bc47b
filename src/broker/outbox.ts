/**
 * What the broker owes the runner: progress and results, batched per event-loop turn, and
 * held while no runner is connected so a runner that (re)connects gets everything.
 */
import type { Message, ProgressEvent } from '../protocol/messages.js'
import type { JobResult } from '../protocol/types.js'
import type { Link } from '../transport/link.js'

export class RunnerOutbox {
  private progressEvents: ProgressEvent[] = []
  private results: JobResult[] = []
  /** Batches made while no runner was connected, oldest first. */
  private held: Message[] = []
  private runner?: Link
  private scheduled?: NodeJS.Immediate

  get connected(): boolean {
    return this.runner !== undefined
  }

  /** Sends what was held to the new runner, then everything else as it comes. */
  attach(link: Link): void {
    this.runner = link
    this.flush()
  }

  detach(): void {
    this.runner = undefined
  }

  progress(event: ProgressEvent): void {
    this.progressEvents.push(event)
    this.schedule()
  }

  result(result: JobResult): void {
    this.results.push(result)
    this.schedule()
  }

  /** Sends (or holds) the current batch now. */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled)
    this.scheduled = undefined
    if (this.progressEvents.length > 0)
      this.held.push({ type: 'progress', events: this.progressEvents })
    if (this.results.length > 0) this.held.push({ type: 'result', results: this.results })
    this.progressEvents = []
    this.results = []
    if (!this.runner) return
    for (const message of this.held) this.runner.send(message)
    this.held = []
  }

  /** Stops the pending batch timer (what is pending stays until the next flush). */
  dispose(): void {
    if (this.scheduled) clearImmediate(this.scheduled)
    this.scheduled = undefined
  }

  private schedule(): void {
    // Everything produced in this turn of the event loop goes out in one message per kind.
    this.scheduled ??= setImmediate(() => this.flush())
  }
}
