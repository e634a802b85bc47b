/**
 * The run as bars on a time line: one bar per job attempt, on the worker that ran it, from the
 * attempt's start to its end relative to the run's start. Built from the event stream (every
 * `job-finished`), so the job summary and the HTML report draw the same picture.
 */
import type { Reporter, RunEvent } from '../runner/events.js'
import { workerNames } from '../protocol/worker-name.js'

/** One attempt of one job, as drawn. */
export interface TimelineBar {
  /** The worker's display name (see workerNames). */
  worker: string
  job: string
  attempt: number
  /** ms after the run's start. */
  startMs: number
  endMs: number
  /** The attempt did not pass (a failed, timed-out, errored or cancelled job). */
  failed: boolean
}

/** The bars of a run, in the order of their workers' names, then by start. */
export interface Timeline {
  /** Every worker that joined or ran a job, by display name, sorted. */
  workers: string[]
  bars: TimelineBar[]
  /** The run's wall time, ms. */
  durationMs: number
}

interface Raw {
  worker: string
  job: string
  attempt: number
  startedAt: number
  durationMs: number
  failed: boolean
}

/** Collects the time line from the event stream; `timeline()` once the run has finished. */
export class TimelineRecorder implements Reporter {
  private readonly raw: Raw[] = []
  private readonly joined: string[] = []
  private ended?: { startedAt: number; durationMs: number }

  onEvent(event: RunEvent): void {
    if (event.type === 'worker-joined') {
      if (!this.joined.includes(event.worker)) this.joined.push(event.worker)
    } else if (event.type === 'job-finished') {
      const r = event.result
      // A job no worker took (it could not start) has no place on anyone's line.
      if (r.worker === '' || !(r.startedAt > 0)) return
      this.raw.push({
        worker: r.worker,
        job: event.job.name,
        attempt: r.attempt,
        startedAt: r.startedAt,
        durationMs: Math.max(0, r.durationMs),
        failed: r.status !== 'passed'
      })
    } else if (event.type === 'run-finished') {
      this.ended = { startedAt: event.summary.startedAt, durationMs: event.summary.durationMs }
    }
  }

  /** The picture; undefined until the run has finished. */
  timeline(): Timeline | undefined {
    if (!this.ended) return undefined
    return buildTimeline(this.raw, this.joined, this.ended.startedAt, this.ended.durationMs)
  }
}

function buildTimeline(
  raw: readonly Raw[],
  joined: readonly string[],
  runStart: number,
  durationMs: number
): Timeline {
  const seen = [...joined, ...raw.map(r => r.worker).filter(w => !joined.includes(w))]
  const names = workerNames(seen)
  const name = (id: string): string => names.get(id) ?? id
  // By name, numbers in order (worker-2 before worker-10): how people look for a worker.
  const ids = [...new Set(seen)].sort((a, b) =>
    name(a).localeCompare(name(b), 'en', { numeric: true })
  )
  const order = new Map(ids.map((id, i) => [id, i]))
  const bars = raw
    .map(r => {
      // Clocks of other machines may run a little behind the runner's: never before the start.
      const startMs = Math.max(0, r.startedAt - runStart)
      return {
        worker: name(r.worker),
        job: r.job,
        attempt: r.attempt,
        startMs,
        endMs: startMs + r.durationMs,
        failed: r.failed,
        rank: order.get(r.worker) ?? 0
      }
    })
    .sort((a, b) => a.rank - b.rank || a.startMs - b.startMs)
    .map(({ rank: _rank, ...bar }) => bar)
  const end = Math.max(durationMs, ...bars.map(b => b.endMs))
  return { workers: ids.map(name), bars, durationMs: end }
}
