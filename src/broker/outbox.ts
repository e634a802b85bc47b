/**
 * What the broker owes the runner: progress and results, batched per event-loop turn, and
 * held while no runner is connected so a runner that (re)connects gets everything.
 */
import type { BrokerToRunner } from '../protocol/directions.js'
import type { ProgressEvent } from '../protocol/messages.js'
import { Outbox } from '../protocol/outbox.js'
import type { JobResult } from '../protocol/types.js'
import type { Link } from '../transport/link.js'

export class RunnerOutbox {
  /** Batches made while no runner was connected, oldest first. */
  private held: BrokerToRunner[] = []
  private runner?: Link
  private readonly batches = new Outbox(message => {
    if (this.runner) this.runner.send(message)
    else this.held.push(message)
  })

  get connected(): boolean {
    return this.runner !== undefined
  }

  /** Sends what was held to the new runner, then everything else as it comes. */
  attach(link: Link): void {
    this.runner = link
    for (const message of this.held) link.send(message)
    this.held = []
    this.batches.flush()
  }

  detach(): void {
    this.runner = undefined
  }

  progress(event: ProgressEvent): void {
    this.batches.addProgress(event)
  }

  result(result: JobResult): void {
    this.batches.addResult(result)
  }

  /** Sends (or holds) the current batch now. */
  flush(): void {
    this.batches.flush()
  }

  /** Stops the pending batch timer (what is pending stays until the next flush). */
  dispose(): void {
    this.batches.dispose()
  }
}
