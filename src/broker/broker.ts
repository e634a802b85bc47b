/**
 * The broker: accepts links, feeds the scheduler, carries out its actions, and streams
 * results and progress to the runner. A misbehaving peer never takes it down: bad input gets
 * an `error` reply and is ignored (a link whose first message is not a valid hello is closed).
 */
import { errorMessage } from '../errors.js'
import { silentLog, type Log } from '../log.js'
import { secretKey } from '../protocol/cluster-secret.js'
import {
  unhandled,
  type CloserToBroker,
  type RunnerToBroker,
  type WorkerToBroker
} from '../protocol/directions.js'
import type {
  HeartbeatMessage,
  HelloMessage,
  ProgressEvent,
  WelcomeMessage
} from '../protocol/messages.js'
import { jobKey, refOf } from '../protocol/job-ref.js'
import type { JobRef, JobResult, JobSpec } from '../protocol/types.js'
import { Scheduler } from '../scheduler/scheduler.js'
import type { SchedulerAction, SchedulerEvent, SchedulerOptions } from '../scheduler/types.js'
import type { Link, Listener } from '../transport/link.js'
import {
  checkJobRef,
  checkJobResult,
  checkJobSpec,
  checkWorkerProgress,
  partition
} from './checks.js'
import { admitLink, type PeerRole } from './links.js'
import { RunnerOutbox } from './outbox.js'
import { RunnerRoster, isRefusal } from './runner-roster.js'

/** What the broker keeps for one runner's seat: its link while connected, what it is owed. */
interface RunnerSeat {
  link?: Link
  outbox: RunnerOutbox
  grace?: NodeJS.Timeout
  /** The runner's own id, for logs. */
  id: string
  /** Its attempts not yet finished, by key (scoped ids): withdrawn when it finishes early. */
  open: Map<string, JobRef>
}

export interface BrokerOptions {
  listener: Listener
  clusterId: string
  /** Scheduler tuning; `heartbeatTimeoutMs` defaults to `heartbeatMs`. */
  scheduler?: Partial<SchedulerOptions>
  /** Announced in welcome; the broker sends heartbeats every heartbeatMs/3. Default 10000. */
  heartbeatMs?: number
  /** Scheduler tick period (ms), default 500. */
  tickMs?: number
  /** A link that sends no hello in time is closed (ms), default 30000. */
  helloTimeoutMs?: number
  /**
   * The cluster secret: every peer must prove it in its hello, and the broker proves it back in
   * welcome. Without it, any peer that reaches the listener may join (loopback, artifact store).
   */
  secret?: string
  /** How long to wait for a runner that left without `done` to come back (ms), default 120000. */
  runnerGraceMs?: number
  /**
   * Runners that share this broker's workers (a pool in its own job): the run is over once
   * each has said `done` (or left for good), or a `close-pool` comes. 0 (the default): one
   * runner, whose `done` ends the run.
   */
  runners?: number
  log?: Log
  now?: () => number
}

/** How the run ended, as far as the broker knows. */
export interface BrokerOutcome {
  ok: boolean
  reason: string
}

/** Figures for logs and tests. */
export interface BrokerStats {
  workers: number
  queued: number
  running: number
  linksAccepted: number
  badLinks: number
}

export class Broker {
  /** Resolves when the run is over (runner done, runner gone, or stop()); never rejects. */
  readonly finished: Promise<BrokerOutcome>
  private resolveFinished!: (outcome: BrokerOutcome) => void
  private readonly scheduler: Scheduler
  private readonly roster: RunnerRoster
  private readonly seats = new Map<string, RunnerSeat>()
  /** Seat key of each admitted runner link. */
  private readonly runnerLinks = new Map<Link, string>()
  /** Runners the pool gave up waiting for (shared pool). */
  private readonly abandoned: string[] = []
  private readonly workers = new Map<string, Link>()
  /** What each worker announced, told to runners that join a shared pool later. */
  private readonly workerInfo = new Map<string, { slots: number; labels: string[]; at: number }>()
  private readonly links = new Set<Link>()
  /** Every pending timer, cleared on stop. */
  private readonly timers = new Set<NodeJS.Timeout>()
  /** Tick and heartbeat timers, cleared when the run is over. */
  private readonly intervals = new Set<NodeJS.Timeout>()
  private over = false
  private stopping?: Promise<void>
  private readonly log: Log
  private readonly now: () => number
  private readonly heartbeatMs: number
  private linksAccepted = 0
  private badLinks = 0
  private readonly key?: Buffer

  constructor(private readonly options: BrokerOptions) {
    this.finished = new Promise(resolve => (this.resolveFinished = resolve))
    this.log = options.log ?? silentLog
    this.now = options.now ?? Date.now
    this.heartbeatMs = options.heartbeatMs ?? 10_000
    this.key = options.secret !== undefined ? secretKey(options.secret) : undefined
    this.scheduler = new Scheduler({ heartbeatTimeoutMs: this.heartbeatMs, ...options.scheduler })
    this.roster = new RunnerRoster(options.runners ?? 0)
    // One runner: its seat exists from the start, so what happens before it connects is held.
    if (!this.roster.shared)
      this.seats.set('runner', { outbox: new RunnerOutbox(), id: '', open: new Map() })
  }

  start(): void {
    this.options.listener.onLink(link => this.accept(link))
    this.every(this.options.tickMs ?? 500, () => this.tick())
    this.every(Math.max(50, Math.floor(this.heartbeatMs / 3)), () => {
      const beat: HeartbeatMessage = { type: 'heartbeat', at: this.now() }
      for (const link of this.workers.values()) link.send(beat)
      for (const seat of this.seats.values()) seat.link?.send(beat)
    })
  }

  /** Feeds the scheduler a tick now; the broker's timer does this every `tickMs`. */
  tick(): void {
    this.feed({ type: 'tick', now: this.now() })
  }

  stats(): BrokerStats {
    const snapshot = this.scheduler.snapshot()
    return {
      workers: this.workers.size,
      queued: snapshot.queued,
      running: snapshot.running,
      linksAccepted: this.linksAccepted,
      badLinks: this.badLinks
    }
  }

  /** Ends the run if it is not over (workers get `shutdown`), then closes every link and the listener. */
  stop(reason: string): Promise<void> {
    this.stopping ??= this.close(reason)
    return this.stopping
  }

  private async close(reason: string): Promise<void> {
    this.end({ ok: false, reason: `stopped before the run was over: ${reason}` })
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    for (const seat of this.seats.values()) {
      seat.outbox.flush()
      seat.outbox.dispose()
    }
    await Promise.all([...this.links].map(link => link.close().catch(() => undefined)))
    await this.options.listener.close().catch(() => undefined)
  }

  /** The run is over: workers are told to shut down and `finished` resolves. Idempotent. */
  private end(outcome: BrokerOutcome): void {
    if (this.over) return
    this.over = true
    for (const timer of this.intervals) clearInterval(timer)
    for (const seat of this.seats.values()) clearTimeout(seat.grace)
    this.log(
      outcome.ok ? 'info' : 'warning',
      `run over: ${outcome.reason}; shutting ${this.workers.size} worker(s) down`
    )
    for (const link of this.workers.values())
      link.send({ type: 'shutdown', reason: outcome.reason })
    for (const seat of this.seats.values()) seat.outbox.flush()
    this.resolveFinished(outcome)
  }

  private every(ms: number, run: () => void): void {
    const timer = setInterval(() => this.guard('timer', run), ms)
    timer.unref()
    this.timers.add(timer)
    this.intervals.add(timer)
  }

  private after(ms: number, run: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      this.guard('timer', run)
    }, ms)
    timer.unref()
    this.timers.add(timer)
    return timer
  }

  /** Runs `work`; a thrown error is logged, never propagated (a peer must not crash us). */
  private guard(what: string, work: () => void): void {
    try {
      work()
    } catch (error) {
      this.log('error', `internal error while handling ${what}: ${errorMessage(error)}`)
    }
  }

  private accept(link: Link): void {
    this.linksAccepted++
    if (this.stopping) {
      void link.close()
      return
    }
    this.links.add(link)
    admitLink(
      link,
      this.options.helloTimeoutMs ?? 30_000,
      {
        hello: (l, hello, welcome) => {
          const answer = welcome(this.options.clusterId, this.heartbeatMs)
          if (hello.role === 'worker') return this.joinWorker(l, hello, answer)
          if (hello.role === 'runner') return this.joinRunner(l, hello, answer)
          // A closer takes no seat: it may only close the pool.
          l.send(answer)
          this.log('info', `closer ${hello.id} connected from ${l.peer}`)
          return 'closer'
        },
        message: (id, l, said) => {
          if (said.role === 'worker') this.fromWorker(id, l, said.message)
          else if (said.role === 'runner') this.fromRunner(l, said.message)
          else this.fromCloser(id, said.message)
        },
        closed: (role, id, l, error) => this.closed(role, id, l, error),
        refuse: (l, code, text) => this.reject(l, code, text),
        complain: (l, code, text) => this.complain(l, code, text),
        guard: (what, work) => this.guard(what, work),
        after: (ms, run) => {
          const timer = this.after(ms, run)
          return {
            cancel: () => {
              clearTimeout(timer)
              this.timers.delete(timer)
            }
          }
        }
      },
      this.key
    )
  }

  private closed(role: PeerRole | undefined, id: string, link: Link, error?: Error): void {
    this.links.delete(link)
    if (error)
      this.log('warning', `link ${link.peer} (${id || 'no hello'}) failed: ${error.message}`)
    if (role === 'worker' && this.workers.get(id) === link) {
      const reason = error ? `its link failed: ${error.message}` : 'it disconnected'
      this.workerGone(id, reason)
      this.feed({ type: 'worker-left', now: this.now(), worker: id, reason })
    }
    const seat = this.runnerLinks.get(link)
    if (role === 'runner' && seat !== undefined) {
      this.runnerLinks.delete(link)
      this.runnerLeft(seat)
    }
  }

  private joinWorker(
    link: Link,
    hello: HelloMessage,
    welcome: WelcomeMessage
  ): 'worker' | undefined {
    if (this.over) {
      link.send({ type: 'shutdown', reason: 'the run is over' })
      void link.close()
      return undefined
    }
    const previous = this.workers.get(hello.id)
    if (previous) {
      this.log(
        'warning',
        `worker ${hello.id} connected again from ${link.peer}; dropping its old link`
      )
      void previous.close()
    }
    this.workers.set(hello.id, link)
    const slots = hello.slots ?? 1
    const labels = hello.labels ?? []
    link.send(welcome)
    this.log(
      'info',
      `worker ${hello.id} joined from ${link.peer} with ${slots} slot(s)${labels.length ? ` [${labels.join(', ')}]` : ''}`
    )
    const at = this.now()
    this.workerInfo.set(hello.id, { slots, labels, at })
    this.toRunners({ kind: 'worker-joined', worker: hello.id, slots, labels, at })
    this.feed({ type: 'worker-joined', now: this.now(), worker: hello.id, slots, labels })
    return 'worker'
  }

  private joinRunner(
    link: Link,
    hello: HelloMessage,
    welcome: WelcomeMessage
  ): 'runner' | undefined {
    const admission = this.roster.admit(hello.id)
    if (isRefusal(admission)) {
      this.reject(link, admission.code, admission.text)
      return undefined
    }
    const seat = this.seats.get(admission.key) ?? this.newSeat(admission.key, hello.id)
    seat.id = hello.id
    seat.link = link
    clearTimeout(seat.grace)
    if (seat.grace) this.timers.delete(seat.grace)
    seat.grace = undefined
    this.runnerLinks.set(link, admission.key)
    link.send(welcome)
    const of = this.roster.shared ? ` (${this.roster.progress().expected} runner(s) declared)` : ''
    this.log('info', `runner ${hello.id} connected from ${link.peer}${of}`)
    seat.outbox.attach(link)
    return 'runner'
  }

  /** A shared pool's new seat: it hears of the workers already there, as if it saw them join. */
  private newSeat(key: string, id: string): RunnerSeat {
    const seat: RunnerSeat = { outbox: new RunnerOutbox(), id, open: new Map() }
    for (const [worker, info] of this.workerInfo)
      seat.outbox.progress({ kind: 'worker-joined', worker, ...info })
    this.seats.set(key, seat)
    return seat
  }

  private runnerLeft(key: string): void {
    const seat = this.seats.get(key)
    this.roster.left(key)
    if (!seat) return
    seat.link = undefined
    seat.outbox.detach()
    if (this.over || this.roster.isFinished(key)) return
    const grace = this.options.runnerGraceMs ?? 120_000
    this.log(
      'warning',
      `runner ${seat.id} left before its run was over; waiting ${grace} ms for it to return`
    )
    seat.grace = this.after(grace, () => {
      if (this.roster.isConnected(key)) return
      if (!this.roster.shared) {
        this.end({ ok: false, reason: `the runner left and did not return within ${grace} ms` })
        return
      }
      this.abandoned.push(seat.id)
      this.runnerFinished(key, `runner ${seat.id} left and did not return within ${grace} ms`)
    })
  }

  /** A runner's run is over (done, or given up on): the pool ends when it was the last. */
  private runnerFinished(key: string, why: string): void {
    this.roster.finish(key)
    // In a shared pool the workers go on: what this runner left open must not run for nobody.
    const open = [...(this.seats.get(key)?.open.values() ?? [])]
    if (this.roster.shared && open.length > 0) {
      this.log('info', `withdrawing ${open.length} job(s) of a runner that finished: ${why}`)
      this.feed({ type: 'cancelled', now: this.now(), jobs: open, reason: why })
    }
    const { finished, expected } = this.roster.progress()
    if (!this.roster.over) {
      this.log('info', `${why}; ${finished} of ${expected} runner(s) finished, the pool stays open`)
      return
    }
    if (!this.roster.shared) return this.end({ ok: true, reason: why })
    const gone = this.abandoned.length
    this.end({
      ok: gone === 0,
      reason:
        gone === 0
          ? `all ${expected} runner(s) are done`
          : `every runner finished, ${gone} of them by leaving (${this.abandoned.join(', ')})`
    })
  }

  private workerGone(id: string, reason: string): void {
    this.workers.delete(id)
    this.log('info', `worker ${id} left: ${reason}`)
    this.workerInfo.delete(id)
    this.toRunners({ kind: 'worker-left', worker: id, reason, at: this.now() })
  }

  private fromWorker(id: string, link: Link, message: WorkerToBroker): void {
    // A link replaced by a newer one for the same worker id speaks for nobody.
    if (this.workers.get(id) !== link) return
    const now = this.now()
    this.feed({ type: 'heartbeat', now, worker: id })
    switch (message.type) {
      case 'heartbeat':
        break
      case 'progress': {
        const { good, problems } = partition<{ job: JobRef; at: number }>(
          message.events,
          checkWorkerProgress
        )
        this.problems(link, problems)
        for (const event of good) {
          const job = { id: event.job.id, attempt: event.job.attempt }
          // A stale start (the job moved on) would mislead the runner.
          if (!this.scheduler.holds(id, job)) continue
          this.feed({ type: 'started', now, worker: id, job })
          this.toOwner(job.id, runnerJob =>
            this.seatOf(runnerJob)?.progress({
              kind: 'started',
              job: { id: runnerJob.id, attempt: job.attempt },
              worker: id,
              at: typeof event.at === 'number' ? event.at : now
            })
          )
        }
        break
      }
      case 'result': {
        const { good, problems } = partition<JobResult>(message.results, checkJobResult)
        this.problems(link, problems)
        for (const result of good)
          this.feed({ type: 'result', now, result: { ...result, worker: id } })
        break
      }
      case 'release': {
        const { good, problems } = partition<JobRef>(message.jobs, checkJobRef)
        this.problems(link, problems)
        const reason = typeof message.reason === 'string' ? message.reason : 'released'
        this.log('info', `worker ${id} released ${good.length} job(s) and takes no more: ${reason}`)
        this.feed({ type: 'released', now, worker: id, jobs: good, reason })
        break
      }
      case 'error':
        this.log('warning', `worker ${id} reports ${message.code}: ${message.message}`)
        break
      default:
        unhandled(message)
    }
  }

  private fromRunner(link: Link, message: RunnerToBroker): void {
    const key = this.runnerLinks.get(link)
    if (key === undefined) return
    const now = this.now()
    const scoped = <T extends JobRef>(job: T): T => ({ ...job, id: this.roster.scope(key, job.id) })
    switch (message.type) {
      case 'submit': {
        const { good, problems } = partition<JobSpec>(message.jobs, checkJobSpec)
        this.problems(link, problems)
        const jobs = good.map(scoped)
        const open = this.seats.get(key)?.open
        for (const job of jobs) open?.set(jobKey(job), refOf(job))
        if (jobs.length > 0) this.feed({ type: 'submitted', now, jobs })
        break
      }
      case 'cancel': {
        const { good, problems } = partition<JobRef>(message.jobs, checkJobRef)
        this.problems(link, problems)
        const reason =
          typeof message.reason === 'string' ? message.reason : 'withdrawn by the runner'
        if (good.length > 0) this.feed({ type: 'cancelled', now, jobs: good.map(scoped), reason })
        break
      }
      case 'done':
        this.seats.get(key)?.outbox.flush()
        this.runnerFinished(
          key,
          this.roster.shared
            ? `runner ${this.seats.get(key)?.id ?? key} is done`
            : 'the runner is done'
        )
        break
      case 'heartbeat':
        break
      case 'error':
        this.log('warning', `the runner reports ${message.code}: ${message.message}`)
        break
      default:
        unhandled(message)
    }
  }

  private fromCloser(id: string, message: CloserToBroker): void {
    switch (message.type) {
      case 'close-pool': {
        const reason = typeof message.reason === 'string' ? message.reason : `${id} asked to`
        const { finished, expected } = this.roster.progress()
        this.log(
          'info',
          `closer ${id} closes the pool (${finished} of ${expected} runner(s) finished)`
        )
        this.end({ ok: true, reason: `the pool was closed: ${reason}` })
        break
      }
      case 'heartbeat':
        break
      case 'error':
        this.log('warning', `closer ${id} reports ${message.code}: ${message.message}`)
        break
      default:
        unhandled(message)
    }
  }

  /** Progress every runner hears (workers joining and leaving). */
  private toRunners(event: ProgressEvent): void {
    for (const seat of this.seats.values()) seat.outbox.progress(event)
  }

  /** Calls `send` with the job as its runner knows it, when a runner owns it. */
  private toOwner(scopedId: string, send: (job: { key: string; id: string }) => void): void {
    const owner = this.roster.owner(scopedId)
    if (owner) send(owner)
  }

  private seatOf(owner: { key: string }): RunnerOutbox | undefined {
    return this.seats.get(owner.key)?.outbox
  }

  /** Refuses a link: says why, then closes it. */
  private reject(link: Link, code: string, message: string): void {
    this.badLinks++
    this.log('warning', `refusing ${link.peer}: ${message}`)
    link.send({ type: 'error', code, message })
    void link.close()
  }

  /** Tells a peer its message was ignored and why; the link stays open. */
  private complain(link: Link, code: string, message: string): void {
    this.log('warning', `ignoring a message from ${link.peer}: ${message}`)
    link.send({ type: 'error', code, message })
  }

  private problems(link: Link, problems: string[]): void {
    if (problems.length === 0) return
    const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''
    this.complain(
      link,
      'bad-message',
      `ignored ${problems.length} item(s): ${problems.slice(0, 3).join('; ')}${more}`
    )
  }

  private feed(event: SchedulerEvent): void {
    if (this.over) return
    for (const action of this.scheduler.handle(event)) this.act(action)
  }

  private act(action: SchedulerAction): void {
    switch (action.type) {
      case 'assign':
        this.workers.get(action.worker)?.send({ type: 'assign', jobs: action.jobs })
        break
      case 'cancel':
        this.workers
          .get(action.worker)
          ?.send({ type: 'cancel', jobs: action.jobs, reason: action.reason })
        break
      case 'drop-worker': {
        const link = this.workers.get(action.worker)
        this.workerGone(action.worker, action.reason)
        void link?.close()
        break
      }
      case 'requeued':
        this.toOwner(action.job.id, owner =>
          this.seatOf(owner)?.progress({
            kind: 'requeued',
            job: { ...action.job, id: owner.id },
            worker: action.worker,
            reason: action.reason,
            at: this.now()
          })
        )
        break
      case 'finished':
        this.toOwner(action.result.id, owner => {
          this.seats.get(owner.key)?.open.delete(jobKey(action.result))
          this.seatOf(owner)?.result({ ...action.result, id: owner.id })
        })
        break
    }
  }
}
