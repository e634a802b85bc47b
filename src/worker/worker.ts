/**
 * The worker loop: says hello, takes assignments, runs up to `slots` jobs at once in arrival
 * order, reports progress and results in batches, keeps the link alive, and hands its queue
 * back before its deadline. Whatever way it ends, no job process outlives it.
 */
import { rmdir } from 'node:fs/promises'
import { errorMessage, exitCodeFor, ProtocolVersionError, type ExitCode } from '../errors.js'
import { silentLog, type Log } from '../log.js'
import { secretKey } from '../protocol/cluster-secret.js'
import { PeerHandshake } from '../protocol/handshake.js'
import {
  brokerToWorker,
  unhandled,
  type BrokerToWorker,
  type PeerHello,
  type Sender,
  type WorkerToBroker
} from '../protocol/directions.js'
import type { WelcomeMessage } from '../protocol/messages.js'
import type { JobRef, JobResult, JobSpec } from '../protocol/types.js'
import type { Link } from '../transport/link.js'
import { fitsBeforeDeadline, pastLastStart } from './deadline.js'
import { executeJob, type ExecuteContext } from './executor.js'
import { notRunResult, refOf } from '../protocol/job-ref.js'
import { JobPool } from './job-pool.js'
import { Outbox } from '../protocol/outbox.js'
import { SessionPool } from './session/pool.js'
import { hostPlatform, withPlatformLabels, type Platform } from '../protocol/platform.js'
import { trace } from '../trace.js'

/** How a worker is set up; the CLI and the action build one of these. */
export interface WorkerOptions {
  id: string
  /** Jobs run at once (the CLI defaults to `os.availableParallelism()`). */
  slots: number
  /** Labels given by the user; the worker adds its platform's (see protocol/platform.ts). */
  labels: string[]
  /** The platform whose `os:`/`arch:` labels the worker offers; default the host's. A seam for tests. */
  platform?: Platform
  connect: () => Promise<Link>
  /** Injectable for tests. */
  execute?: typeof executeJob
  context: Omit<ExecuteContext, 'workerId'>
  /** Absolute deadline (ms since epoch) by which the worker must be finished (--max-runtime). */
  deadline?: number
  /**
   * How long before the deadline no new job starts. Default: the job's timeout, capped at
   * 10 min, at least 30 s.
   */
  deadlineMarginMs?: number
  /** The cluster secret: the worker proves it in its hello and requires the broker to prove it. */
  secret?: string
  /**
   * Aborting it stops the worker (a signal to the process): running jobs are killed, those not
   * started are handed back, results go out, and the worker ends with the abort's reason.
   */
  stop?: AbortSignal
  /** The welcome must arrive within this long; default 30 s. */
  helloTimeoutMs?: number
  /** Results (and progress) finished within this window go out as one message; default 20 ms. */
  batchMs?: number
  log?: Log
  now?: () => number
}

/** How the worker ended; `code` comes from the one exit-code mapping (0 orderly, 3 lost). */
export interface WorkerExit {
  code: ExitCode
  reason: string
}

/** `finished`: told to stop, or drained before the deadline; `lost`: the cluster failed. */
function workerExit(end: 'finished' | 'lost', reason: string): WorkerExit {
  return { code: exitCodeFor({ kind: 'worker', end }), reason }
}

/** Connects, then serves the broker until shutdown, deadline or loss. Never rejects. */
export async function runWorker(options: WorkerOptions): Promise<WorkerExit> {
  let link: Link
  try {
    link = await options.connect()
  } catch (error) {
    return workerExit('lost', `could not reach the broker: ${errorMessage(error)}`)
  }
  return new WorkerSession(options, link).run()
}

/** Beyond the kill grace and the pipe drain, how long ending waits for killed jobs to report. */
const REAP_EXTRA_MS = 3000

class WorkerSession {
  private readonly pool: JobPool
  /** Warm framework sessions, one per slot at most; closed when the worker ends. */
  private readonly sessions: SessionPool
  private readonly outbox: Outbox
  private readonly log: Log
  private readonly now: () => number
  private readonly slots: number
  private readonly handshake: PeerHandshake
  /** The link's sending end: only worker → broker messages go out. */
  private readonly toBroker: Sender<WorkerToBroker | PeerHello>
  private heartbeatMs = 10_000
  private lastHeard: number
  private welcomed = false
  private draining = false
  private stopping = false
  /** Results can no longer be sent (the link failed, or the session has closed it). */
  private linkLost = false
  private released = 0
  private stoppedAtDeadline = 0
  private helloTimer?: NodeJS.Timeout
  private heartbeatTimer?: NodeJS.Timeout
  private deadlineTimer?: NodeJS.Timeout
  private resolveExit!: (exit: WorkerExit) => void
  private readonly exit = new Promise<WorkerExit>(resolve => (this.resolveExit = resolve))

  constructor(
    private readonly options: WorkerOptions,
    private readonly link: Link
  ) {
    this.log = options.log ?? silentLog
    this.now = options.now ?? Date.now
    this.slots = Math.max(1, Math.floor(options.slots))
    this.handshake = new PeerHandshake(
      options.secret !== undefined ? secretKey(options.secret) : undefined,
      {
        role: 'worker',
        id: options.id,
        slots: this.slots,
        labels: withPlatformLabels(options.labels, options.platform ?? hostPlatform())
      }
    )
    this.lastHeard = this.now()
    this.toBroker = link
    this.outbox = new Outbox(message => this.toBroker.send(message), options.batchMs ?? 0)
    this.sessions =
      options.context.sessions ??
      new SessionPool({ capacity: this.slots, killGraceMs: options.context.killGraceMs })
    this.pool = new JobPool({
      slots: this.slots,
      execute: options.execute ?? executeJob,
      context: { ...options.context, workerId: options.id, sessions: this.sessions },
      onStarted: job => this.started(job),
      onFinished: (job, result) => this.finished(job, result)
    })
  }

  run(): Promise<WorkerExit> {
    const { link, options } = this
    link.onMessage(raw => this.receive(raw))
    link.onClose(error => {
      if (this.stopping) return
      const why = error ? error.message : 'the broker closed the connection'
      this.end(workerExit('lost', `broker lost: ${why}`), 'lost')
    })
    // With a secret the hello waits for the broker's challenge; without, it goes out at once.
    const hello = this.handshake.start()
    if (hello) this.toBroker.send(hello)
    const onStop = (): void => {
      const reason: unknown = options.stop?.reason
      const why = reason instanceof Error ? reason.message : String(reason ?? 'stopped')
      this.end({ code: 3, reason: why }, 'graceful')
    }
    if (options.stop?.aborted) onStop()
    else options.stop?.addEventListener('abort', onStop, { once: true })
    const helloTimeoutMs = options.helloTimeoutMs ?? 30_000
    this.helloTimer = setTimeout(() => {
      this.end(
        workerExit('lost', `no welcome from the broker within ${helloTimeoutMs} ms`),
        'graceful'
      )
    }, helloTimeoutMs)
    return this.exit
  }

  /** Takes in what the broker sent: only broker → worker messages of our version get through. */
  private receive(raw: unknown): void {
    this.lastHeard = this.now()
    if (this.stopping) return
    let message: BrokerToWorker
    try {
      message = brokerToWorker.validate(raw)
    } catch (error) {
      if (error instanceof ProtocolVersionError) {
        this.end(workerExit('lost', error.message), 'graceful')
      } else {
        this.log('warning', `ignoring a message from the broker: ${errorMessage(error)}`)
      }
      return
    }
    this.onMessage(message)
  }

  private onMessage(message: BrokerToWorker): void {
    switch (message.type) {
      case 'challenge': {
        const answer = this.handshake.onChallenge(message)
        if (answer.error) this.end({ code: 3, reason: answer.error }, 'graceful')
        else if (answer.hello) this.toBroker.send(answer.hello)
        break
      }
      case 'welcome':
        this.onWelcome(message)
        break
      case 'assign':
        this.onAssign(message.jobs)
        break
      case 'cancel':
        for (const ref of message.jobs) this.cancel(ref, message.reason)
        break
      case 'shutdown':
        this.end(workerExit('finished', message.reason), 'graceful')
        break
      case 'error':
        // Before the welcome an error is a refusal; after it, the broker is reporting one
        // message it could not accept and carries on, so the worker does too.
        if (!this.welcomed) {
          this.end(
            workerExit(
              'lost',
              `the broker refused this worker: ${message.message} (${message.code})`
            ),
            'graceful'
          )
        } else {
          this.log('warning', `the broker reported: ${message.message} (${message.code})`)
        }
        break
      case 'heartbeat':
        break
      default:
        unhandled(message)
    }
  }

  private onWelcome(welcome: WelcomeMessage): void {
    if (this.welcomed) return
    const { clusterId, heartbeatMs } = welcome
    const untrusted = this.handshake.checkWelcome(welcome)
    if (untrusted) {
      this.end({ code: 3, reason: untrusted }, 'graceful')
      return
    }
    this.welcomed = true
    clearTimeout(this.helloTimer)
    if (Number.isFinite(heartbeatMs) && heartbeatMs > 0) this.heartbeatMs = heartbeatMs
    this.log('info', `joined cluster ${clusterId} with ${this.slots} slot(s)`)
    this.heartbeatTimer = setInterval(
      () => this.tick(),
      Math.max(10, Math.floor(this.heartbeatMs / 3))
    )
    const { deadline } = this.options
    if (deadline !== undefined) {
      this.deadlineTimer = setTimeout(() => this.atDeadline(), clampTimer(deadline - this.now()))
      this.pump()
    }
  }

  /** Keeps the link alive, notices a silent broker, and notices the deadline coming. */
  private tick(): void {
    const silentMs = this.now() - this.lastHeard
    if (silentMs > 2 * this.heartbeatMs) {
      this.end(workerExit('lost', `broker lost: no message for ${silentMs} ms`), 'graceful')
      return
    }
    this.toBroker.send({ type: 'heartbeat', at: this.now() })
    this.pump()
  }

  private onAssign(jobs: JobSpec[]): void {
    const late: JobRef[] = []
    for (const job of jobs) {
      if (this.pool.has(job)) {
        this.log(
          'warning',
          `${job.id} (attempt ${job.attempt}) was assigned twice; ignoring the repeat`
        )
      } else if (this.draining) {
        late.push(refOf(job))
      } else {
        this.pool.enqueue(job)
      }
    }
    if (late.length > 0) this.release(late)
    this.pump()
  }

  /**
   * Starts what may start; drains once the next job, a job waiting behind busy slots, or any
   * job at all could no longer finish before the deadline.
   */
  private pump(): void {
    if (this.stopping || this.draining) return
    const refused = this.pool.fill(job => this.fits(job))
    const { deadline, deadlineMarginMs } = this.options
    if (
      refused !== undefined ||
      (this.welcomed && pastLastStart(this.now(), deadline, deadlineMarginMs)) ||
      this.pool.queued.some(job => !this.fits(job))
    ) {
      this.drain()
    }
  }

  private fits(job: JobSpec): boolean {
    return fitsBeforeDeadline(job, this.now(), this.options.deadline, this.options.deadlineMarginMs)
  }

  private started(job: JobSpec): void {
    this.outbox.addProgress({
      kind: 'started',
      job: refOf(job),
      worker: this.options.id,
      at: this.now()
    })
    this.log('debug', `starting ${job.id} (attempt ${job.attempt})`)
  }

  private finished(job: JobSpec, result: JobResult): void {
    this.log(
      'debug',
      `${job.id} (attempt ${job.attempt}): ${result.status} in ${result.durationMs} ms`
    )
    if (!this.linkLost) this.outbox.addResult(result)
    this.pump()
    this.finishDrainWhenIdle()
  }

  private cancel(ref: JobRef, reason: string): void {
    if (this.pool.abort(ref, reason)) return
    const job = this.pool.dequeue(ref)
    if (!job) return
    // The broker must see the attempt end, so a dropped job still gets a result.
    this.outbox.addResult(
      notRunResult(job, {
        worker: this.options.id,
        status: 'cancelled',
        message: `cancelled before it started: ${reason}`
      })
    )
  }

  /** Stops starting jobs and hands the queue back; running jobs go on until the deadline. */
  private drain(): void {
    this.draining = true
    const queued = this.pool.takeQueue().map(refOf)
    this.log(
      'info',
      `the deadline is near: taking no more work, handing back ${queued.length} job(s), waiting for ${this.pool.runningCount}`
    )
    if (queued.length > 0) this.release(queued)
    this.finishDrainWhenIdle()
  }

  private release(jobs: JobRef[]): void {
    this.released += jobs.length
    this.toBroker.send({
      type: 'release',
      jobs,
      reason: `worker ${this.options.id} is near its deadline`
    })
  }

  private atDeadline(): void {
    if (this.stopping) return
    if (!this.draining) this.drain()
    this.stoppedAtDeadline += this.pool.abortAll(`worker ${this.options.id} reached its deadline`)
  }

  private finishDrainWhenIdle(): void {
    if (!this.draining || this.stopping || this.pool.runningCount > 0) return
    const stopped =
      this.stoppedAtDeadline > 0 ? `, stopped ${this.stoppedAtDeadline} at the deadline` : ''
    const reason = `drained before the deadline: handed back ${this.released} job(s)${stopped}`
    this.end(workerExit('finished', reason), 'graceful')
  }

  /**
   * Ends the session: kills running jobs and waits (bounded) for them to be reaped; with
   * 'graceful' the link is still up, so pending results and a release of the queue go out.
   */
  private end(exit: WorkerExit, mode: 'graceful' | 'lost'): void {
    if (this.stopping) return
    this.stopping = true
    this.linkLost = mode === 'lost'
    clearTimeout(this.helloTimer)
    clearInterval(this.heartbeatTimer)
    clearTimeout(this.deadlineTimer)
    void this.stop(exit).then(() => this.resolveExit(exit))
  }

  private async stop(exit: WorkerExit): Promise<void> {
    const queued = this.pool.takeQueue()
    if (!this.linkLost && queued.length > 0) {
      this.toBroker.send({ type: 'release', jobs: queued.map(refOf), reason: exit.reason })
    }
    const killed = this.pool.abortAll(exit.reason)
    if (killed > 0) this.log('info', `stopping ${killed} running job(s): ${exit.reason}`)
    const { killGraceMs, pipeDrainMs } = this.options.context
    const bound = killGraceMs + (pipeDrainMs ?? 1000) + REAP_EXTRA_MS
    const left = await this.pool.settle(bound)
    if (left > 0)
      this.log('warning', `${left} job(s) did not end within ${bound} ms of being stopped`)
    // Idle sessions get `exit`; any left busy are killed with their jobs' groups after the grace.
    trace('worker: closing sessions')
    await this.sessions.close()
    trace('worker: sessions closed')
    if (this.linkLost) this.outbox.discard()
    else this.outbox.flush()
    // Results of jobs that end after this point have nowhere to go.
    this.linkLost = true
    await this.link.close().catch(() => undefined)
    // rmdir removes the jobs root only when empty: kept job directories stay.
    if (left === 0) await rmdir(this.options.context.jobsRoot).catch(() => undefined)
  }
}

function clampTimer(ms: number): number {
  return Math.min(Math.max(0, ms), 2_147_483_647)
}
