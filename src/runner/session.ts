/**
 * The runner's side of one link to the broker: hello → welcome → submit → progress and
 * results (with retries) until every job has its final attempt, then `done`. Turns broker
 * messages into run events; knows nothing of listing, planning or history.
 */
import { hostname } from 'node:os'
import { ClusterError, errorMessage } from '../errors.js'
import { PROTOCOL_VERSION, type Message, type ProgressEvent } from '../protocol/messages.js'
import { jobKey } from '../protocol/job-ref.js'
import type { JobResult, JobSpec } from '../protocol/types.js'
import type { Link } from '../transport/link.js'
import type { RunEvent } from './events.js'
import type { JobAttempts } from './outcomes.js'
import { nextAttempt, type JobRetryPolicy } from './retry.js'

/** Jobs per submit message: keeps frames moderate on slow transports. */
export const SUBMIT_CHUNK = 500

export interface SessionOptions {
  link: Link
  jobs: JobSpec[]
  policy: JobRetryPolicy
  runnerId: string
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
  private resolve!: (result: SessionResult) => void
  private reject!: (error: Error) => void

  constructor(private readonly o: SessionOptions) {
    for (const job of o.jobs) {
      if (this.entries.has(job.id)) throw new Error(`the plan has two jobs with id '${job.id}'`)
      this.entries.set(job.id, { job, attempts: [] })
      this.specs.set(jobKey(job), job)
    }
    this.open = o.jobs.length
    this.lastHeard = o.now()
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
    this.o.link.onMessage(message => {
      if (this.ended) return
      this.lastHeard = this.o.now()
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
    this.o.link.send({
      type: 'hello',
      version: PROTOCOL_VERSION,
      role: 'runner',
      id: this.o.runnerId
    })
    return done.finally(() => {
      for (const timer of this.timers) clearTimeout(timer)
    })
  }

  private onMessage(message: Message): void {
    switch (message.type) {
      case 'welcome':
        return this.onWelcome(message.heartbeatMs)
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
        this.log('debug', `ignoring '${message.type}' from the broker`)
    }
  }

  private onWelcome(heartbeatMs: number): void {
    if (this.welcomed) return
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
      const entry = this.entries.get(result.id)
      if (!job || !entry || entry.attempts.some(a => a.result.attempt === result.attempt)) {
        this.log('debug', `ignoring a result for unknown or finished job ${jobKey(result)}`)
        continue
      }
      const previous = entry.attempts.map(a => a.result.worker)
      entry.attempts.push({ job, result })
      const retry = nextAttempt(job, result, this.o.policy, previous)
      this.o.onEvent({
        type: 'job-finished',
        at: this.o.now(),
        job,
        result,
        retry: retry !== undefined
      })
      if (retry) {
        this.specs.set(jobKey(retry), retry)
        retries.push(retry)
      } else this.open--
    }
    if (retries.length > 0) this.o.link.send({ type: 'submit', jobs: retries })
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
