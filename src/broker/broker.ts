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
import type { HeartbeatMessage, HelloMessage, WelcomeMessage } from '../protocol/messages.js'
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
import { RunnerDesk, type RunnerSeat } from './runner-desk.js'
import { isRefusal } from './runner-roster.js'

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
  private readonly desk: RunnerDesk
  /** Runners the pool gave up waiting for (shared pool). */
  private readonly abandoned: string[] = []
  private readonly workers = new Map<string, Link>()
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
    this.desk = new RunnerDesk(options.runners ?? 0)
  }

  start(): void {
    this.options.listener.onLink(link => this.accept(link))
    this.every(this.options.tickMs ?? 500, () => this.tick())
    this.every(Math.max(50, Math.floor(this.heartbeatMs / 3)), () => {
      const beat: HeartbeatMessage = { type: 'heartbeat', at: this.now() }
      for (const link of this.workers.values()) link.send(beat)
      this.desk.send(beat)
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
    this.desk.dispose()
    await Promise.all([...this.links].map(link => link.close().catch(() => undefined)))
    await this.options.listener.close().catch(() => undefined)
  }

  /** The run is over: workers are told to shut down and `finished` resolves. Idempotent. */
  private end(outcome: BrokerOutcome): void {
    if (this.over) return
    this.over = true
    for (const timer of this.intervals) clearInterval(timer)
    for (const seat of this.desk.all()) clearTimeout(seat.grace)
    this.log(
      outcome.ok ? 'info' : 'warning',
      `run over: ${outcome.reason}; shutting ${this.workers.size} worker(s) down`
    )
    for (const link of this.workers.values())
      link.send({ type: 'shutdown', reason: outcome.reason })
    this.desk.flush()
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
    const seat = role === 'runner' ? this.desk.left(link) : undefined
    if (seat) this.runnerLeft(seat)
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
    this.desk.workerJoined(hello.id, { slots, labels, at })
    this.feed({ type: 'worker-joined', now: this.now(), worker: hello.id, slots, labels })
    return 'worker'
  }

  private joinRunner(
    link: Link,
    hello: HelloMessage,
    welcome: WelcomeMessage
  ): 'runner' | undefined {
    const seat = this.desk.admit(link, hello.id)
    if (isRefusal(seat)) {
      this.reject(link, seat.code, seat.text)
      return undefined
    }
    clearTimeout(seat.grace)
    if (seat.grace) this.timers.delete(seat.grace)
    seat.grace = undefined
    link.send(welcome)
    const { roster } = this.desk
    const of = roster.shared ? ` (${roster.progress().expected} runner(s) declared)` : ''
    this.log('info', `runner ${hello.id} connected from ${link.peer}${of}`)
    seat.outbox.attach(link)
    return 'runner'
  }

  private runnerLeft(seat: RunnerSeat): void {
    const { roster } = this.desk
    if (this.over || roster.isFinished(seat.key)) return
    const grace = this.options.runnerGraceMs ?? 120_000
    this.log(
      'warning',
      `runner ${seat.id} left before its run was over; waiting ${grace} ms for it to return`
    )
    seat.grace = this.after(grace, () => {
      if (roster.isConnected(seat.key)) return
      if (!roster.shared) {
        this.end({ ok: false, reason: `the runner left and did not return within ${grace} ms` })
        return
      }
      this.abandoned.push(seat.id)
      this.runnerFinished(seat, `runner ${seat.id} left and did not return within ${grace} ms`)
    })
  }

  /** A runner's run is over (done, or given up on): the pool ends when it was the last. */
  private runnerFinished(seat: RunnerSeat, why: string): void {
    const { roster } = this.desk
    roster.finish(seat.key)
    // In a shared pool the workers go on: what this runner left open must not run for nobody.
    const open = this.desk.openOf(seat)
    if (roster.shared && open.length > 0) {
      this.log('info', `withdrawing ${open.length} job(s) of a runner that finished: ${why}`)
      this.feed({ type: 'cancelled', now: this.now(), jobs: open, reason: why })
    }
    const { finished, expected } = roster.progress()
    if (!roster.over) {
      this.log('info', `${why}; ${finished} of ${expected} runner(s) finished, the pool stays open`)
      return
    }
    if (!roster.shared) return this.end({ ok: true, reason: why })
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
    this.desk.workerLeft(id, reason, this.now())
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
          this.desk.jobProgress({
            kind: 'started',
            job,
            worker: id,
            at: typeof event.at === 'number' ? event.at : now
          })
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
    const seat = this.desk.seatOf(link)
    if (!seat) return
    const now = this.now()
    switch (message.type) {
      case 'submit': {
        const { good, problems } = partition<JobSpec>(message.jobs, checkJobSpec)
        this.problems(link, problems)
        const jobs = this.desk.submitted(seat, good)
        if (jobs.length > 0) this.feed({ type: 'submitted', now, jobs })
        break
      }
      case 'cancel': {
        const { good, problems } = partition<JobRef>(message.jobs, checkJobRef)
        this.problems(link, problems)
        const reason =
          typeof message.reason === 'string' ? message.reason : 'withdrawn by the runner'
        const jobs = this.desk.refs(seat, good)
        if (jobs.length > 0) this.feed({ type: 'cancelled', now, jobs, reason })
        break
      }
      case 'done':
        seat.outbox.flush()
        this.runnerFinished(
          seat,
          this.desk.roster.shared ? `runner ${seat.id} is done` : 'the runner is done'
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
        const { finished, expected } = this.desk.roster.progress()
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
        this.desk.jobProgress({
          kind: 'requeued',
          job: action.job,
          worker: action.worker,
          reason: action.reason,
          at: this.now()
        })
        break
      case 'finished':
        this.desk.finished(action.result)
        break
    }
  }
}
