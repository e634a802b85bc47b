/**
 * What the broker owes its runners: a seat per runner (its link while connected, its outbox
 * while it is away, the attempts it has open), job ids scoped per seat on the way in, and
 * progress and results routed back to the runner that owns the job, under its own ids. Who
 * may sit and when the pool is over is the roster's; timers and the run's end stay the
 * broker's.
 */
import { jobKey, refOf } from '../protocol/job-ref.js'
import type { BrokerToRunner } from '../protocol/directions.js'
import type { ProgressEvent } from '../protocol/messages.js'
import type { JobRef, JobResult, JobSpec } from '../protocol/types.js'
import type { Link } from '../transport/link.js'
import { RunnerOutbox } from './outbox.js'
import { RunnerRoster, isRefusal, type Refusal } from './runner-roster.js'

/** One runner's seat. */
export interface RunnerSeat {
  key: string
  /** The runner's own id (the latest to sit here), for logs. */
  id: string
  link?: Link
  outbox: RunnerOutbox
  /** The broker's wait for an absent runner to return. */
  grace?: NodeJS.Timeout
  /** Attempts not finished yet, by key of their scoped ids. */
  open: Map<string, JobRef>
}

interface WorkerSeen {
  slots: number
  labels: string[]
  at: number
}

export class RunnerDesk {
  readonly roster: RunnerRoster
  private readonly seats = new Map<string, RunnerSeat>()
  private readonly byLink = new Map<Link, RunnerSeat>()
  /** Workers present now, told to runners that join a shared pool later. */
  private readonly workers = new Map<string, WorkerSeen>()

  /** `runners`: see RunnerRoster (0: one runner, whose seat exists from the start). */
  constructor(runners: number) {
    this.roster = new RunnerRoster(runners)
    // One runner: its seat exists from the start, so what happens before it connects is held.
    if (!this.roster.shared) this.seats.set('runner', this.newSeat('runner', ''))
  }

  /** Seats runner `id` on `link` (sending nothing), or says why not. */
  admit(link: Link, id: string): RunnerSeat | Refusal {
    const admission = this.roster.admit(id)
    if (isRefusal(admission)) return admission
    let seat = this.seats.get(admission.key)
    if (!seat) {
      seat = this.newSeat(admission.key, id)
      // It hears of the workers already there, as if it had seen them join.
      for (const [worker, seen] of this.workers)
        seat.outbox.progress({ kind: 'worker-joined', worker, ...seen })
      this.seats.set(admission.key, seat)
    }
    seat.id = id
    seat.link = link
    this.byLink.set(link, seat)
    return seat
  }

  /** The seat of a runner's link, while it is admitted. */
  seatOf(link: Link): RunnerSeat | undefined {
    return this.byLink.get(link)
  }

  /** The runner's link closed: its seat holds what it is owed until it returns. */
  left(link: Link): RunnerSeat | undefined {
    const seat = this.byLink.get(link)
    if (!seat) return undefined
    this.byLink.delete(link)
    this.roster.left(seat.key)
    seat.link = undefined
    seat.outbox.detach()
    return seat
  }

  all(): RunnerSeat[] {
    return [...this.seats.values()]
  }

  /** A runner's jobs as the scheduler knows them, tracked as open. */
  submitted(seat: RunnerSeat, jobs: JobSpec[]): JobSpec[] {
    const scoped = jobs.map(job => ({ ...job, id: this.roster.scope(seat.key, job.id) }))
    for (const job of scoped) seat.open.set(jobKey(job), refOf(job))
    return scoped
  }

  /** A runner's references to its jobs, as the scheduler knows them. */
  refs(seat: RunnerSeat, refs: JobRef[]): JobRef[] {
    return refs.map(ref => ({ id: this.roster.scope(seat.key, ref.id), attempt: ref.attempt }))
  }

  /** What the seat's runner has open (scoped), to withdraw when it finished early. */
  openOf(seat: RunnerSeat): JobRef[] {
    return [...seat.open.values()]
  }

  workerJoined(worker: string, seen: WorkerSeen): void {
    this.workers.set(worker, seen)
    this.toAll({ kind: 'worker-joined', worker, ...seen })
  }

  workerLeft(worker: string, reason: string, at: number): void {
    this.workers.delete(worker)
    this.toAll({ kind: 'worker-left', worker, reason, at })
  }

  /** Progress about one job (started, requeued), to its owner under its own id. */
  jobProgress(event: Extract<ProgressEvent, { job: JobRef }>): void {
    const owner = this.owner(event.job.id)
    owner?.seat.outbox.progress({ ...event, job: { id: owner.id, attempt: event.job.attempt } })
  }

  /** A final result, to its owner under its own id. */
  finished(result: JobResult): void {
    const owner = this.owner(result.id)
    if (!owner) return
    owner.seat.open.delete(jobKey(result))
    owner.seat.outbox.result({ ...result, id: owner.id })
  }

  /** To every connected runner at once (heartbeats). */
  send(message: BrokerToRunner): void {
    for (const seat of this.seats.values()) seat.link?.send(message)
  }

  flush(): void {
    for (const seat of this.seats.values()) seat.outbox.flush()
  }

  dispose(): void {
    for (const seat of this.seats.values()) {
      seat.outbox.flush()
      seat.outbox.dispose()
    }
  }

  private toAll(event: ProgressEvent): void {
    for (const seat of this.seats.values()) seat.outbox.progress(event)
  }

  private owner(scopedId: string): { seat: RunnerSeat; id: string } | undefined {
    const owner = this.roster.owner(scopedId)
    const seat = owner && this.seats.get(owner.key)
    return owner && seat ? { seat, id: owner.id } : undefined
  }

  private newSeat(key: string, id: string): RunnerSeat {
    return { key, id, outbox: new RunnerOutbox(), open: new Map() }
  }
}
