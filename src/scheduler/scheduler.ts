/**
 * The pure scheduler: events in, actions out, time passed in. No I/O, no timers; the broker
 * feeds it and carries out what it returns. Every submitted job (id+attempt) ends with exactly
 * one `finished` action.
 *
 * Decisions worth knowing:
 * - Order: see ./priority.ts; placement (labels, prefetch, avoidWorkers): see ./placement.ts.
 * - A job the runner withdraws while a worker holds it gets a `cancel` to that worker and
 *   finishes as `cancelled` when the worker answers (its output kept), or `timeoutGraceMs`
 *   after the cancel if the worker never answers.
 * - A job overrunning `timeoutMs + timeoutGraceMs` (counted from `started`, else from when it
 *   got a free slot on its worker, so a prefetched job does not time out while it waits) is
 *   cancelled there and counts as a lost attempt; it avoids that worker afterwards.
 * - The unrunnable clock only runs while at least one active worker is connected: with none
 *   at all, workers may simply not have started yet.
 */
import type { JobRef, JobResult, JobSpec } from '../protocol/types.js'
import { placeJobs } from './placement.js'
import { JobQueue } from './priority.js'
import { jobKey } from '../protocol/job-ref.js'
import { hasLabels, syntheticResult, type JobState, type WorkerState } from './state.js'
import {
  defaultSchedulerOptions,
  type SchedulerAction,
  type SchedulerEvent,
  type SchedulerOptions,
  type SchedulerSnapshot
} from './types.js'

export class Scheduler {
  private readonly options: SchedulerOptions
  private readonly jobs = new Map<string, JobState>()
  private readonly queue = new JobQueue<JobState>()
  private readonly workers = new Map<string, WorkerState>()
  private seq = 0
  private open = 0

  constructor(options: Partial<SchedulerOptions> = {}) {
    this.options = { ...defaultSchedulerOptions, ...options }
  }

  /** Jobs submitted and not yet finished. */
  pending(): number {
    return this.open
  }

  /** True when `worker` currently holds this attempt (results from others are ignored). */
  holds(worker: string, ref: JobRef): boolean {
    const job = this.jobs.get(jobKey(ref))
    return (
      job !== undefined && job.state !== 'done' && job.state !== 'queued' && job.worker === worker
    )
  }

  snapshot(): SchedulerSnapshot {
    let running = 0
    for (const worker of this.workers.values()) running += worker.held.size
    return {
      queued: this.queue.length,
      running,
      workers: [...this.workers.values()].map(w => ({
        id: w.id,
        slots: w.slots,
        labels: [...w.labels],
        assigned: w.held.size,
        draining: w.draining
      }))
    }
  }

  handle(event: SchedulerEvent): SchedulerAction[] {
    const out: SchedulerAction[] = []
    const now = event.now
    // Up to this moment, the workers connected so far were there: the unrunnable clocks of
    // the jobs they can run start no earlier than now.
    this.markCapable(now)
    switch (event.type) {
      case 'worker-joined':
        this.join(event.worker, event.slots, event.labels, now, out)
        break
      case 'worker-left': {
        const worker = this.workers.get(event.worker)
        if (worker) this.loseWorker(worker, event.reason, now, out)
        break
      }
      case 'heartbeat':
        this.seen(event.worker, now)
        break
      case 'submitted':
        for (const spec of event.jobs) this.submit(spec, now)
        break
      case 'started': {
        this.seen(event.worker, now)
        const job = this.held(event.worker, event.job)
        if (job && job.state === 'assigned') {
          job.state = 'running'
          job.startedAt = now
        }
        break
      }
      case 'result':
        this.result(event.result, now, out)
        break
      case 'released':
        this.release(event.worker, event.jobs, event.reason ?? 'released', now, out)
        break
      case 'cancelled':
        this.cancel(event.jobs, event.reason, now, out)
        break
      case 'tick':
        this.tick(now, out)
        break
    }
    this.checkUnrunnable(now, out)
    this.assign(now, out)
    return out
  }

  private join(
    id: string,
    slots: number,
    labels: string[],
    now: number,
    out: SchedulerAction[]
  ): void {
    const existing = this.workers.get(id)
    if (existing) this.loseWorker(existing, 'it connected again', now, out)
    this.workers.set(id, {
      id,
      slots: Math.max(1, Math.floor(slots) || 1),
      labels: new Set(labels),
      lastSeen: now,
      draining: false,
      held: new Set()
    })
  }

  private seen(workerId: string, now: number): void {
    const worker = this.workers.get(workerId)
    if (worker) worker.lastSeen = Math.max(worker.lastSeen, now)
  }

  /** The job if `worker` holds this attempt. */
  private held(worker: string, ref: JobRef): JobState | undefined {
    return this.holds(worker, ref) ? this.jobs.get(jobKey(ref)) : undefined
  }

  private submit(spec: JobSpec, now: number): void {
    const key = jobKey(spec)
    if (this.jobs.has(key)) return
    const job: JobState = {
      spec,
      seq: this.seq++,
      key,
      ref: { id: spec.id, attempt: spec.attempt },
      state: 'queued',
      queuedAt: now,
      assignedAt: 0,
      lost: 0,
      shunned: new Set()
    }
    this.jobs.set(key, job)
    this.queue.insert(job)
    this.open++
  }

  private result(result: JobResult, now: number, out: SchedulerAction[]): void {
    this.seen(result.worker, now)
    // Only the worker holding the attempt may end it: late results from lost workers and
    // duplicates are dropped here.
    const job = this.held(result.worker, result)
    if (!job) return
    if (job.cancel) {
      const why = `cancelled: ${job.cancel.reason}`
      this.finish(
        job,
        {
          ...result,
          status: 'cancelled',
          message: result.message ? `${why} (${result.message})` : why
        },
        out
      )
      return
    }
    this.finish(job, result, out)
  }

  private release(
    workerId: string,
    refs: JobRef[],
    reason: string,
    now: number,
    out: SchedulerAction[]
  ): void {
    const worker = this.workers.get(workerId)
    if (!worker) return
    this.seen(workerId, now)
    worker.draining = true
    for (const ref of refs) {
      const job = this.held(workerId, ref)
      // A job the worker already started is its to finish; it cannot hand that back.
      if (!job || job.state !== 'assigned') continue
      if (job.cancel) {
        this.finish(job, syntheticResult(job, 'cancelled', `cancelled: ${job.cancel.reason}`), out)
        continue
      }
      out.push({
        type: 'requeued',
        job: job.ref,
        worker: workerId,
        reason: `released by ${workerId}: ${reason}`
      })
      this.requeue(job, now)
    }
  }

  private cancel(refs: JobRef[], reason: string, now: number, out: SchedulerAction[]): void {
    const perWorker = new Map<string, JobRef[]>()
    for (const ref of refs) {
      const job = this.jobs.get(jobKey(ref))
      if (!job || job.state === 'done' || job.cancel) continue
      if (job.state === 'queued') {
        this.finish(
          job,
          syntheticResult(job, 'cancelled', `cancelled before it started: ${reason}`),
          out
        )
        continue
      }
      job.cancel = { reason, at: now }
      const worker = job.worker as string
      perWorker.set(worker, [...(perWorker.get(worker) ?? []), job.ref])
    }
    for (const [worker, jobs] of perWorker) out.push({ type: 'cancel', worker, jobs, reason })
  }

  private tick(now: number, out: SchedulerAction[]): void {
    const { heartbeatTimeoutMs, timeoutGraceMs } = this.options
    for (const worker of [...this.workers.values()]) {
      const silent = now - worker.lastSeen
      if (silent <= heartbeatTimeoutMs) continue
      const reason = `silent for ${silent} ms (limit ${heartbeatTimeoutMs} ms)`
      out.push({ type: 'drop-worker', worker: worker.id, reason })
      this.loseWorker(worker, reason, now, out)
    }
    for (const worker of this.workers.values()) {
      for (const job of [...worker.held]) {
        if (job.cancel) {
          if (now - job.cancel.at <= timeoutGraceMs) continue
          const message = `cancelled: ${job.cancel.reason}; ${worker.id} did not confirm within ${timeoutGraceMs} ms`
          this.finish(job, syntheticResult(job, 'cancelled', message), out)
          continue
        }
        const since = job.startedAt ?? job.slotAt
        const limit = job.spec.timeoutMs + timeoutGraceMs
        if (since === undefined || now - since <= limit) continue
        const what = job.startedAt !== undefined ? 'it started' : 'it was given a slot'
        const reason = `no result from ${worker.id} ${now - since} ms after ${what} (timeout ${job.spec.timeoutMs} ms + grace ${timeoutGraceMs} ms)`
        out.push({ type: 'cancel', worker: worker.id, jobs: [job.ref], reason })
        job.shunned.add(worker.id)
        this.lost(job, worker.id, reason, now, out)
      }
    }
  }

  private loseWorker(
    worker: WorkerState,
    reason: string,
    now: number,
    out: SchedulerAction[]
  ): void {
    this.workers.delete(worker.id)
    for (const job of [...worker.held]) {
      this.lost(job, worker.id, `worker ${worker.id} lost: ${reason}`, now, out)
    }
  }

  /** The job's worker is gone or gave up on it: back to the queue, or an error past the limit. */
  private lost(
    job: JobState,
    worker: string,
    reason: string,
    now: number,
    out: SchedulerAction[]
  ): void {
    job.lastWorker = worker
    if (job.cancel) {
      this.finish(
        job,
        syntheticResult(job, 'cancelled', `cancelled: ${job.cancel.reason}; ${reason}`),
        out
      )
      return
    }
    job.lost++
    if (job.lost > this.options.maxLostAttempts) {
      const message = `${reason}; gave up after ${job.lost} lost attempts (limit ${this.options.maxLostAttempts})`
      this.finish(job, syntheticResult(job, 'error', message), out)
      return
    }
    out.push({ type: 'requeued', job: job.ref, worker, reason })
    this.requeue(job, now)
  }

  private requeue(job: JobState, now: number): void {
    if (job.worker) this.workers.get(job.worker)?.held.delete(job)
    job.lastWorker = job.worker ?? job.lastWorker
    job.worker = undefined
    job.startedAt = undefined
    job.slotAt = undefined
    job.state = 'queued'
    job.queuedAt = now
    this.queue.insert(job)
  }

  private finish(job: JobState, result: JobResult, out: SchedulerAction[]): void {
    if (job.state === 'queued') this.queue.remove(job)
    if (job.worker) this.workers.get(job.worker)?.held.delete(job)
    job.state = 'done'
    this.open--
    out.push({ type: 'finished', result })
  }

  private activeWorkers(): WorkerState[] {
    return [...this.workers.values()].filter(w => !w.draining)
  }

  /** Notes, per label set, that an active worker can run it now (or that none is connected). */
  private markCapable(now: number): void {
    const active = this.activeWorkers()
    for (const group of this.queue.groups()) {
      if (active.length === 0 || active.some(w => hasLabels(w.labels, group.labels)))
        group.capableAt = now
    }
  }

  private checkUnrunnable(now: number, out: SchedulerAction[]): void {
    this.markCapable(now)
    const active = this.activeWorkers()
    for (const group of this.queue.groups()) {
      if (group.capableAt === now || group.jobs.length === 0) continue
      const expired = group.jobs.values().filter(job => {
        const since = Math.max(job.queuedAt, group.capableAt ?? -Infinity)
        return now - since >= this.options.unrunnableAfterMs
      })
      if (expired.length === 0) continue
      const labels = group.labels
      const missing = labels.filter(l => !active.some(w => w.labels.has(l)))
      const offered = active.map(w => `${w.id} [${[...w.labels].join(', ')}]`).join('; ')
      const what =
        missing.length > 0
          ? `no connected worker offers the label(s) [${missing.join(', ')}]`
          : `no connected worker offers all of the labels [${labels.join(', ')}] together`
      for (const job of expired) {
        const waited = now - Math.max(job.queuedAt, group.capableAt ?? -Infinity)
        this.finish(
          job,
          syntheticResult(job, 'error', `${what} for ${waited} ms (workers: ${offered})`),
          out
        )
      }
    }
  }

  private assign(now: number, out: SchedulerAction[]): void {
    const { given, moved } = placeJobs(this.queue, this.activeWorkers(), this.options.prefetch, now)
    for (const { from, job } of moved) {
      out.push({
        type: 'cancel',
        worker: from,
        jobs: [job.ref],
        reason: `moved to ${job.worker as string}, which is idle`
      })
    }
    for (const [worker, jobs] of given)
      out.push({ type: 'assign', worker: worker.id, jobs: jobs.map(j => j.spec) })
    // Give free slots to the jobs next in line on each worker (it starts them in order).
    for (const worker of this.workers.values()) {
      let used = 0
      for (const job of worker.held) {
        if (used >= worker.slots) break
        job.slotAt ??= now
        used++
      }
    }
  }
}
