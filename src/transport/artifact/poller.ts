/**
 * One poller per process for every artifact reader and watcher. Each task has its own adaptive
 * interval: the minimum right after it saw something, growing with jitter to a cap while idle.
 * One timer drives all tasks; at most `concurrency` polls are in flight; a task never polls
 * twice without sleeping at least its minimum in between.
 */

/** What a poll saw: something new (poll again soon), nothing (back off), or the task is over. */
export type PollOutcome = 'active' | 'idle' | 'done'

/** Something polled. It handles its own errors; a throw counts as `idle`. */
export interface PollTask {
  poll(): Promise<PollOutcome>
}

/** Intervals of one task, in milliseconds. */
export interface PollIntervals {
  minMs: number
  maxMs: number
}

/** Control of one registered task. */
export interface PollHandle {
  /** Something is expected soon (we just sent a request): poll at the minimum interval again. */
  wake(): void
  /** Stops polling the task (a poll in flight finishes and is ignored). */
  remove(): void
}

/** Options of a Poller. */
export interface PollerOptions extends Partial<PollIntervals> {
  /** Polls in flight at most. */
  concurrency?: number
  /** Growth of the interval per idle poll. */
  backoff?: number
  /** For tests: the jitter source. */
  random?: () => number
  onError?: (error: unknown) => void
}

interface Entry {
  task: PollTask
  intervals: PollIntervals
  interval: number
  nextAt: number
  inFlight: boolean
  removed: boolean
  woken: boolean
}

/** Schedules PollTasks on one timer. */
export class Poller {
  readonly defaults: PollIntervals
  private readonly concurrency: number
  private readonly backoff: number
  private readonly random: () => number
  private readonly onError?: (error: unknown) => void
  private readonly entries = new Set<Entry>()
  private running = 0
  private timer?: NodeJS.Timeout
  private timerAt = Infinity

  constructor(options: PollerOptions = {}) {
    // The artifact transport's pace (its defaultPace) unless told otherwise.
    this.defaults = { minMs: options.minMs ?? 75, maxMs: options.maxMs ?? 5000 }
    this.concurrency = Math.max(1, options.concurrency ?? 8)
    this.backoff = Math.max(1, options.backoff ?? 1.6)
    this.random = options.random ?? Math.random
    this.onError = options.onError
  }

  /** Registers a task; its first poll is due at once unless `delayMs` says otherwise. */
  add(task: PollTask, intervals: Partial<PollIntervals> = {}, delayMs = 0): PollHandle {
    const minMs = Math.max(1, intervals.minMs ?? this.defaults.minMs)
    const maxMs = Math.max(minMs, intervals.maxMs ?? this.defaults.maxMs)
    const entry: Entry = {
      task,
      intervals: { minMs, maxMs },
      interval: minMs,
      nextAt: Date.now() + delayMs,
      inFlight: false,
      removed: false,
      woken: false
    }
    this.entries.add(entry)
    this.schedule()
    return {
      wake: () => {
        if (entry.removed) return
        entry.interval = entry.intervals.minMs
        if (entry.inFlight) entry.woken = true
        else entry.nextAt = Math.min(entry.nextAt, Date.now() + entry.intervals.minMs)
        this.schedule()
      },
      remove: () => {
        entry.removed = true
        this.entries.delete(entry)
        this.schedule()
      }
    }
  }

  /** Tasks registered now. */
  get size(): number {
    return this.entries.size
  }

  private schedule(): void {
    const now = Date.now()
    const due = [...this.entries].filter(e => !e.inFlight).sort((a, b) => a.nextAt - b.nextAt)
    for (const entry of due) {
      if (this.running >= this.concurrency || entry.nextAt > now) break
      this.start(entry)
    }
    const next =
      this.running >= this.concurrency ? Infinity : (due.find(e => !e.inFlight)?.nextAt ?? Infinity)
    if (next === this.timerAt) return
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.timerAt = next
    if (next === Infinity) return
    this.timer = setTimeout(
      () => {
        this.timer = undefined
        this.timerAt = Infinity
        this.schedule()
      },
      Math.max(0, next - now)
    )
  }

  private start(entry: Entry): void {
    entry.inFlight = true
    entry.woken = false
    this.running++
    let outcome: PollOutcome = 'idle'
    entry.task
      .poll()
      .then(
        result => {
          outcome = result
        },
        (error: unknown) => this.onError?.(error)
      )
      .finally(() => {
        this.running--
        entry.inFlight = false
        if (outcome === 'done') {
          entry.removed = true
          this.entries.delete(entry)
        } else if (!entry.removed) {
          this.plan(entry, outcome === 'active' || entry.woken)
        }
        this.schedule()
      })
  }

  /** After a poll: the minimum again after activity, else a longer, jittered wait. */
  private plan(entry: Entry, active: boolean): void {
    const { minMs, maxMs } = entry.intervals
    entry.interval = active ? minMs : Math.min(maxMs, entry.interval * this.backoff)
    const jitter = active ? 1 : 0.8 + 0.4 * this.random()
    entry.nextAt = Date.now() + Math.max(minMs, Math.min(maxMs, entry.interval * jitter))
  }
}

let shared: Poller | undefined

/** The process-wide poller (created on first use with default intervals). */
export function sharedPoller(): Poller {
  shared ??= new Poller()
  return shared
}
