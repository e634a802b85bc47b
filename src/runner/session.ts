/**
 * The runner's side of one link to the broker: hello → welcome → submit → progress and
 * results (with retries) until every job has its final attempt, then `done`. Turns broker
 * messages into run events; knows nothing of listing, planning or history.
 */
import { hostname } from 'node:os'
import { ClusterError, errorMessage, ProtocolVersionError } from '../errors.js'
import { secretKey } from '../protocol/cluster-secret.js'
import { PeerHandshake } from '../protocol/handshake.js'
import { brokerToRunner, unhandled, type BrokerToRunner } from '../protocol/directions.js'
import type { ProgressEvent, WelcomeMessage } from '../protocol/messages.js'
import { jobKey, notRunResult, type NotRun } from '../protocol/job-ref.js'
import type { JobResult, JobSpec } from '../protocol/types.js'
import type { Link } from '../transport/link.js'
import { chunksOf } from '../chunks.js'
import { trace } from '../trace.js'
import type { RunEvent } from './events.js'
import type { JobAttempts } from './outcomes.js'
import { partResult } from './planned-items.js'
import { nextAttempts, type JobRetryPolicy } from './retry.js'

/** Jobs per submit message: keeps frames moderate on slow transports. */
export const SUBMIT_CHUNK = 500
/** Bytes per submit message, roughly: far below the frame limit whatever the jobs weigh. */
export const SUBMIT_CHUNK_BYTES = 8 * 1024 * 1024

/** `jobs` in submit-sized chunks: at most SUBMIT_CHUNK jobs and about SUBMIT_CHUNK_BYTES. */
export function submitChunks(jobs: readonly JobSpec[]): JobSpec[][] {
  return chunksOf(
    jobs,
    job => Buffer.byteLength(JSON.stringify(job)),
    SUBMIT_CHUNK_BYTES,
    SUBMIT_CHUNK
  )
}

export interface SessionOptions {
  link: Link
  jobs: JobSpec[]
  policy: JobRetryPolicy
  runnerId: string
  /** The cluster secret: proved in the hello, and required of the broker in its welcome. */
  secret?: string
  /** How long the broker may take to answer the hello, ms. */
  welcomeTimeoutMs: number
  /**
   * Hold the submission until this many workers joined (or `waitForWorkersMs` passed), so
   * the first workers to start do not take the longest jobs alone. 0 submits at once.
   */
  waitForWorkers?: number
  waitForWorkersMs?: number
  /** Aborting ends the session at once (an interrupt); its reason becomes `ended`. */
  stop?: AbortSignal
  onEvent: (event: RunEvent) => void
  now: () => number
}

/** What the session learned besides the attempts. */
export interface SessionResult {
  /**
   * One per planned job, in plan order; the attempts of the jobs a crashed attempt split into
   * (`<job>~<n>`) are its planned job's too.
   */
  entries: JobAttempts[]
  /** Slots per worker, from worker-joined progress. */
  slots: Map<string, number>
  /**
   * Why the session ended before every job was final (broker lost or refusing, an interrupt):
   * then each attempt that never reported has a not-run result among the entries' attempts.
   */
  ended?: Error
}

/** A default runner id: host and pid, unique enough in one cluster. */
export function defaultRunnerId(): string {
  return `runner-${hostname()}-${process.pid}`
}

/**
 * Drives one run over `link`. Resolves when every job is final, or with `ended` set (a
 * ClusterError, or the stop signal's reason) when the run ended before: nothing finished is
 * lost either way.
 */
export function runSession(options: SessionOptions): Promise<SessionResult> {
  return new Session(options).start()
}

/** The result of a session that never got a link: every job not run, for `why`. */
export function unrunSession(jobs: readonly JobSpec[], why: Error): SessionResult {
  return {
    entries: jobs.map(job => ({
      job,
      attempts: [{ job, result: notRunResult(job, notRunHow(why, undefined)) }]
    })),
    slots: new Map(),
    ended: why
  }
}

/** How an attempt the run's end left without a result is reported. */
function notRunHow(why: Error, running: { worker: string; at: number } | undefined): NotRun {
  const reason = errorMessage(why)
  return running
    ? {
        worker: running.worker,
        status: 'cancelled',
        message: `did not finish: ${reason}`,
        startedAt: running.at
      }
    : { worker: '', status: 'cancelled', message: `not run: ${reason}` }
}

class Session {
  private readonly entries = new Map<string, JobAttempts>()
  /** The planned job's entry for every job id, split jobs included. */
  private readonly entryOf = new Map<string, JobAttempts>()
  /** The spec of every attempt submitted, by id#attempt. */
  private readonly specs = new Map<string, JobSpec>()
  /** Attempts planned or submitted and not yet reported, by id#attempt. */
  private readonly pending = new Map<string, JobSpec>()
  /** Where and since when each pending attempt runs, once the broker says it started. */
  private readonly runningOn = new Map<string, { worker: string; at: number }>()
  private readonly slots = new Map<string, number>()
  private open: number
  private ended = false
  private welcomed = false
  private submitted = false
  private brokerHeartbeats = false
  private lastHeard: number
  private lastError?: string
  private timers: NodeJS.Timeout[] = []
  private readonly handshake: PeerHandshake
  private resolve!: (result: SessionResult) => void

  constructor(private readonly o: SessionOptions) {
    for (const job of o.jobs) {
      if (this.entries.has(job.id)) throw new Error(`the plan has two jobs with id '${job.id}'`)
      const entry: JobAttempts = { job, attempts: [] }
      this.entries.set(job.id, entry)
      this.entryOf.set(job.id, entry)
      this.specs.set(jobKey(job), job)
      this.pending.set(jobKey(job), job)
    }
    this.open = o.jobs.length
    this.lastHeard = o.now()
    this.handshake = new PeerHandshake(o.secret !== undefined ? secretKey(o.secret) : undefined, {
      role: 'runner',
      id: o.runnerId
    })
  }

  start(): Promise<SessionResult> {
    const done = new Promise<SessionResult>(resolve => {
      this.resolve = resolve
    })
    const stop = this.o.stop
    const onStop = (): void => {
      const reason: unknown = stop?.reason
      this.end(reason instanceof Error ? reason : new Error(String(reason ?? 'stopped')))
    }
    if (stop?.aborted) {
      onStop()
      return done
    }
    stop?.addEventListener('abort', onStop, { once: true })
    this.timers.push(
      setTimeout(() => {
        if (!this.welcomed) {
          this.fail(
            `the broker at ${this.o.link.peer} did not answer within ${this.o.welcomeTimeoutMs} ms`
          )
        }
      }, this.o.welcomeTimeoutMs)
    )
    this.o.link.onMessage(raw => {
      if (this.ended) return
      this.lastHeard = this.o.now()
      let message: BrokerToRunner
      try {
        message = brokerToRunner.validate(raw)
      } catch (error) {
        if (error instanceof ProtocolVersionError) return this.fail(error.message)
        return this.log('debug', `ignoring a message from the broker: ${errorMessage(error)}`)
      }
      try {
        this.onMessage(message)
      } catch (error) {
        // A listener that throws must not leave the run hanging.
        this.end(error instanceof Error ? error : new Error(String(error)))
      }
    })
    this.o.link.onClose(error => {
      const why = this.lastError ?? (error ? errorMessage(error) : 'the link closed')
      this.fail(`lost the broker: ${why}`)
    })
    // With a secret the hello waits for the broker's challenge; without, it goes out at once.
    const hello = this.handshake.start()
    if (hello) this.o.link.send(hello)
    return done.finally(() => {
      stop?.removeEventListener('abort', onStop)
      for (const timer of this.timers) clearTimeout(timer)
    })
  }

  private onMessage(message: BrokerToRunner): void {
    switch (message.type) {
      case 'challenge': {
        const answer = this.handshake.onChallenge(message)
        if (answer.error) return this.fail(answer.error)
        if (answer.hello) this.o.link.send(answer.hello)
        return
      }
      case 'welcome':
        return this.onWelcome(message)
      case 'progress':
        for (const event of message.events) this.onProgress(event)
        return
      case 'result':
        return this.onResults(message.results)
      case 'heartbeat':
        this.brokerHeartbeats = true
        return
      case 'error':
        this.lastError = `${message.code}: ${message.message}`
        return this.fail(
          this.welcomed
            ? `the broker reported an error: ${this.lastError}`
            : `the broker refused the runner: ${this.lastError}`
        )
      default:
        unhandled(message)
    }
  }

  private onWelcome(welcome: WelcomeMessage): void {
    if (this.welcomed) return
    const untrusted = this.handshake.checkWelcome(welcome)
    if (untrusted) return this.fail(untrusted)
    const { heartbeatMs } = welcome
    this.welcomed = true
    this.keepAlive(heartbeatMs)
    if ((this.o.waitForWorkers ?? 0) > this.slots.size) {
      const wait = setTimeout(() => {
        // Every worker may have joined (and the jobs gone out) before this fires.
        if (this.submitted) return
        this.log(
          'warning',
          `${this.slots.size} of ${this.o.waitForWorkers} workers joined within ${this.o.waitForWorkersMs ?? 60_000} ms; starting anyway`
        )
        this.submitAll()
      }, this.o.waitForWorkersMs ?? 60_000)
      wait.unref()
      this.timers.push(wait)
      return
    }
    this.submitAll()
  }

  private submitAll(): void {
    if (this.submitted || this.ended) return
    this.submitted = true
    for (const chunk of submitChunks(this.o.jobs)) this.o.link.send({ type: 'submit', jobs: chunk })
    if (this.open === 0) this.complete()
  }

  /**
   * Heartbeats prove the runner is alive. A broker that sends heartbeats and then falls
   * silent for three periods is gone even if the link has not noticed (store transports);
   * one that never sends them is trusted to close the link instead.
   */
  private keepAlive(heartbeatMs: number): void {
    if (!(heartbeatMs > 0)) return
    const period = Math.max(100, Math.floor(heartbeatMs / 3))
    const beat = setInterval(() => {
      this.o.link.send({ type: 'heartbeat', at: this.o.now() })
      const silent = this.o.now() - this.lastHeard
      if (this.brokerHeartbeats && silent > heartbeatMs * 3) {
        this.fail(`lost the broker: silent for ${Math.round(silent / 1000)} s`)
      }
    }, period)
    beat.unref()
    this.timers.push(beat)
  }

  private onProgress(event: ProgressEvent): void {
    const emit = this.o.onEvent
    switch (event.kind) {
      case 'started': {
        const job = this.specs.get(jobKey(event.job))
        if (job && this.pending.has(jobKey(job)))
          this.runningOn.set(jobKey(job), { worker: event.worker, at: event.at })
        if (job) trace(`runner: job started ${job.id}`)
        if (job) emit({ type: 'job-started', at: event.at, job, worker: event.worker })
        return
      }
      case 'worker-joined':
        this.slots.set(event.worker, event.slots)
        if (this.welcomed && this.slots.size >= (this.o.waitForWorkers ?? 0)) this.submitAll()
        emit({
          type: 'worker-joined',
          at: event.at,
          worker: event.worker,
          slots: event.slots,
          labels: event.labels
        })
        return
      case 'worker-left':
        emit({ type: 'worker-left', at: event.at, worker: event.worker, reason: event.reason })
        return
      case 'requeued': {
        const job = this.specs.get(jobKey(event.job))
        if (job) this.runningOn.delete(jobKey(job))
        if (job)
          emit({
            type: 'job-requeued',
            at: event.at,
            job,
            worker: event.worker,
            reason: event.reason
          })
        return
      }
    }
  }

  private onResults(results: JobResult[]): void {
    const retries: JobSpec[] = []
    for (const received of results) {
      const job = this.specs.get(jobKey(received))
      const partRuns = this.o.policy.framework.partRuns?.bind(this.o.policy.framework)
      const result = job ? partResult(job, received, partRuns) : received
      const entry = this.entryOf.get(result.id)
      const own = entry?.attempts.filter(a => a.result.id === result.id) ?? []
      if (!job || !entry || own.some(a => a.result.attempt === result.attempt)) {
        this.log('debug', `ignoring a result for unknown or finished job ${jobKey(result)}`)
        continue
      }
      const previous = own.map(a => a.result.worker)
      entry.attempts.push({ job, result })
      this.pending.delete(jobKey(result))
      this.runningOn.delete(jobKey(result))
      const next = nextAttempts(job, result, this.o.policy, previous)
      const split = next.length > 1 || next.some(n => n.id !== job.id)
      trace(`runner: job finished ${job.id}`)
      this.o.onEvent({
        type: 'job-finished',
        at: this.o.now(),
        job,
        result,
        retry: next.length > 0,
        ...(split ? { split: next } : {})
      })
      for (const retry of next) {
        this.specs.set(jobKey(retry), retry)
        this.pending.set(jobKey(retry), retry)
        this.entryOf.set(retry.id, entry)
        retries.push(retry)
      }
      // This job is final, or lives on as its retries (one, or one per split job).
      this.open += next.length - 1
    }
    for (const chunk of submitChunks(retries)) this.o.link.send({ type: 'submit', jobs: chunk })
    if (this.open === 0) this.complete()
  }

  private complete(): void {
    if (this.ended) return
    // Say done at once: the broker can shut workers down while the runner reports.
    this.o.link.send({ type: 'done' })
    this.end()
  }

  private fail(message: string): void {
    this.end(new ClusterError(message))
  }

  private end(error?: Error): void {
    if (this.ended) return
    this.ended = true
    const closing = this.o.link.close().catch(() => undefined)
    if (error) {
      // Whatever ended the run, what finished stays and every attempt left open is not run.
      for (const [key, job] of this.pending) {
        const result = notRunResult(job, notRunHow(error, this.runningOn.get(key)))
        this.entryOf.get(job.id)?.attempts.push({ job, result })
      }
      this.pending.clear()
      this.resolve({ entries: [...this.entries.values()], slots: this.slots, ended: error })
      return
    }
    // Let the close flush `done` before the caller moves on, but never wait forever on it.
    const limit = new Promise<void>(resolve => {
      const timer = setTimeout(resolve, 10_000)
      timer.unref()
      this.timers.push(timer)
    })
    void Promise.race([closing, limit]).then(() =>
      this.resolve({ entries: [...this.entries.values()], slots: this.slots })
    )
  }

  private log(level: 'debug' | 'warning', message: string): void {
    this.o.onEvent({ type: 'log', at: this.o.now(), level, message })
  }
}
