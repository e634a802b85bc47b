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
import { jobKey } from '../protocol/job-ref.js'
import type { JobResult, JobSpec } from '../protocol/types.js'
import type { Link } from '../transport/link.js'
import type { RunEvent } from './events.js'
import type { JobAttempts } from './outcomes.js'
import { nextAttempts, type JobRetryPolicy } from './retry.js'

/** Jobs per submit message: keeps frames moderate on slow transports. */
export const SUBMIT_CHUNK = 500

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
}

/** A default runner id: host and pid, unique enough in one cluster. */
export function defaultRunnerId(): string {
  return `runner-${hostname()}-${process.pid}`
}

/** Drives one run over `link`; resolves when every job is final, rejects with ClusterError. */
export function runSession(options: SessionOptions): Promise<SessionResult> {
  return new Session(options).start()
}

class Session {
  private readonly entries = new Map<string, JobAttempts>()
  /** The planned job's entry for every job id, split jobs included. */
  private readonly entryOf = new Map<string, JobAttempts>()
  /** The spec of every attempt submitted, by id#attempt. */
  private readonly specs = new Map<string, JobSpec>()
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
  private reject!: (error: Error) => void

  constructor(private readonly o: SessionOptions) {
    for (const job of o.jobs) {
      if (this.entries.has(job.id)) throw new Error(`the plan has two jobs with id '${job.id}'`)
      const entry: JobAttempts = { job, attempts: [] }
      this.entries.set(job.id, entry)
      this.entryOf.set(job.id, entry)
      this.specs.set(jobKey(job), job)
    }
    this.open = o.jobs.length
    this.lastHeard = o.now()
    this.handshake = new PeerHandshake(o.secret !== undefined ? secretKey(o.secret) : undefined, {
      role: 'runner',
      id: o.runnerId
    })
  }

  start(): Promise<SessionResult> {
    const done = new Promise<SessionResult>((resolve, reject) => {
      this.resolve = resolve
      this.reject = reject
    })
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
    const jobs = this.o.jobs
    for (let i = 0; i < jobs.length; i += SUBMIT_CHUNK) {
      this.o.link.send({ type: 'submit', jobs: jobs.slice(i, i + SUBMIT_CHUNK) })
    }
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
    for (const result of results) {
      const job = this.specs.get(jobKey(result))
      const entry = this.entryOf.get(result.id)
      const own = entry?.attempts.filter(a => a.result.id === result.id) ?? []
      if (!job || !entry || own.some(a => a.result.attempt === result.attempt)) {
        this.log('debug', `ignoring a result for unknown or finished job ${jobKey(result)}`)
        continue
      }
      const previous = own.map(a => a.result.worker)
      entry.attempts.push({ job, result })
      const next = nextAttempts(job, result, this.o.policy, previous)
      const split = next.length > 1 || next.some(n => n.id !== job.id)
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
        this.entryOf.set(retry.id, entry)
        retries.push(retry)
      }
      // This job is final, or lives on as its retries (one, or one per split job).
      this.open += next.length - 1
    }
    for (let i = 0; i < retries.length; i += SUBMIT_CHUNK) {
      this.o.link.send({ type: 'submit', jobs: retries.slice(i, i + SUBMIT_CHUNK) })
    }
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
      this.reject(error)
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
