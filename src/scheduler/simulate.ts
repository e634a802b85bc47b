/**
 * A pure discrete-event simulation: a Scheduler driving simulated workers that run jobs for
 * their *actual* durations (the scheduler only sees `expectedMs`). No latency, no timers.
 * Property tests check the scheduler's invariants through it; benchmarks compare makespans.
 */
import { emptyOutput, type JobResult, type JobSpec, type JobStatus } from '../protocol/types.js'
import { EventHeap } from './event-heap.js'
import { Scheduler } from './scheduler.js'
import { jobKey } from '../protocol/job-ref.js'
import { hasLabels } from './state.js'
import type { SchedulerAction, SchedulerEvent, SchedulerOptions } from './types.js'

/** A job and how long it really runs (ms). */
export interface SimJob {
  spec: JobSpec
  actualMs: number
  /** When the runner submits it; default 0. */
  submitAt?: number
}

/** A simulated worker. */
export interface SimWorker {
  id: string
  slots: number
  labels?: string[]
  /** Default 0. */
  joinAt?: number
  /** Disconnects cleanly at this time. */
  leaveAt?: number
  /** From this time on it sends nothing at all (a wedged machine). */
  hangAt?: number
}

export interface SimulationInput {
  jobs: SimJob[]
  workers: SimWorker[]
  scheduler?: Partial<SchedulerOptions>
  /** Scheduler tick period, ms; default 1000. */
  tickMs?: number
  /** Simulated time after which the simulation gives up; default 10^10 ms. */
  limitMs?: number
  /**
   * Workers that join at a submission's time join before it (a runner that waits for its
   * workers); default false: the submission comes first.
   */
  joinsFirst?: boolean
}

/** One run of one attempt on one worker (cut short runs included). */
export interface SimRun {
  id: string
  attempt: number
  worker: string
  startedAt: number
  endedAt?: number
  status?: JobStatus
}

export interface SimulationResult {
  /** Time the last job finished (0 when none did). */
  makespanMs: number
  /** Every `finished` action's result, in order. */
  finished: { at: number; result: JobResult }[]
  timeline: SimRun[]
  /** Submitted attempts that never finished before `limitMs`. */
  unfinished: number
  /** Broken rules seen while running (held past slots+prefetch, label mismatch, …). */
  violations: string[]
}

interface WorkerSim {
  def: SimWorker
  labels: Set<string>
  connected: boolean
  hung: boolean
  queue: JobSpec[]
  running: Map<string, SimRun>
}

type SimEvent =
  | { kind: 'submit'; jobs: JobSpec[] }
  | { kind: 'join'; worker: string }
  | { kind: 'leave'; worker: string }
  | { kind: 'hang'; worker: string }
  | { kind: 'complete'; worker: string; run: SimRun }
  | { kind: 'tick' }

/** Runs the simulation to the end (every job finished) or to `limitMs`. */
export function simulate(input: SimulationInput): SimulationResult {
  const options = input.scheduler ?? {}
  const prefetch = options.prefetch ?? 1
  const scheduler = new Scheduler(options)
  const tickMs = input.tickMs ?? 1000
  const limitMs = input.limitMs ?? 1e10
  const actual = new Map(input.jobs.map(j => [jobKey(j.spec), j.actualMs]))
  const workers = new Map<string, WorkerSim>()
  const heap = new EventHeap<SimEvent>()
  const result: SimulationResult = {
    makespanMs: 0,
    finished: [],
    timeline: [],
    unfinished: 0,
    violations: []
  }
  let now = 0
  let submitsLeft = 0

  const bySubmit = new Map<number, JobSpec[]>()
  for (const job of input.jobs) {
    const at = job.submitAt ?? 0
    bySubmit.set(at, [...(bySubmit.get(at) ?? []), job.spec])
  }
  const pushSubmits = (): void => {
    for (const [at, jobs] of bySubmit) {
      heap.push(at, { kind: 'submit', jobs })
      submitsLeft++
    }
  }
  if (input.joinsFirst !== true) pushSubmits()
  for (const def of input.workers) {
    workers.set(def.id, {
      def,
      labels: new Set(def.labels ?? []),
      connected: false,
      hung: false,
      queue: [],
      running: new Map()
    })
    heap.push(def.joinAt ?? 0, { kind: 'join', worker: def.id })
    if (def.leaveAt !== undefined) heap.push(def.leaveAt, { kind: 'leave', worker: def.id })
    if (def.hangAt !== undefined) heap.push(def.hangAt, { kind: 'hang', worker: def.id })
  }
  if (input.joinsFirst === true) pushSubmits()
  heap.push(0, { kind: 'tick' })

  const inbox: SchedulerEvent[] = []
  const feed = (event: SchedulerEvent): void => {
    inbox.push(event)
    while (inbox.length > 0)
      for (const action of scheduler.handle(inbox.shift() as SchedulerEvent)) apply(action)
  }

  const apply = (action: SchedulerAction): void => {
    switch (action.type) {
      case 'assign': {
        const w = workers.get(action.worker)
        if (!w?.connected) {
          result.violations.push(`assigned to ${action.worker}, which is not connected`)
          return
        }
        for (const spec of action.jobs) {
          if (!hasLabels(w.labels, spec.labels))
            result.violations.push(`${spec.id} needs [${spec.labels}] but went to ${w.def.id}`)
        }
        if (w.hung) return
        w.queue.push(...action.jobs)
        if (w.queue.length + w.running.size > w.def.slots + prefetch) {
          result.violations.push(
            `${w.def.id} holds ${w.queue.length + w.running.size} jobs with ${w.def.slots} slot(s)`
          )
        }
        pump(w)
        break
      }
      case 'cancel': {
        const w = workers.get(action.worker)
        if (!w?.connected || w.hung) return
        for (const ref of action.jobs) {
          const key = jobKey(ref)
          const run = w.running.get(key)
          if (run) {
            w.running.delete(key)
            end(run, 'cancelled')
            inbox.push(resultEvent(w, run, 'cancelled'))
          }
          const index = w.queue.findIndex(j => jobKey(j) === key)
          if (index >= 0) {
            w.queue.splice(index, 1)
            inbox.push(
              resultEvent(
                w,
                { id: ref.id, attempt: ref.attempt, worker: w.def.id, startedAt: now },
                'cancelled'
              )
            )
          }
        }
        pump(w)
        break
      }
      case 'drop-worker': {
        const w = workers.get(action.worker)
        if (w) disconnect(w)
        break
      }
      case 'requeued':
        break
      case 'finished':
        result.finished.push({ at: now, result: action.result })
        result.makespanMs = Math.max(result.makespanMs, now)
        break
    }
  }

  const end = (run: SimRun, status: JobStatus): void => {
    run.endedAt = now
    run.status = status
  }

  const resultEvent = (w: WorkerSim, run: SimRun, status: JobStatus): SchedulerEvent => ({
    type: 'result',
    now,
    result: {
      id: run.id,
      attempt: run.attempt,
      worker: w.def.id,
      status,
      exitCode: status === 'passed' ? 0 : null,
      signal: null,
      durationMs: now - run.startedAt,
      startedAt: run.startedAt,
      stdout: emptyOutput,
      stderr: emptyOutput
    }
  })

  const pump = (w: WorkerSim): void => {
    while (w.running.size < w.def.slots && w.queue.length > 0) {
      const spec = w.queue.shift() as JobSpec
      const run: SimRun = { id: spec.id, attempt: spec.attempt, worker: w.def.id, startedAt: now }
      w.running.set(jobKey(spec), run)
      result.timeline.push(run)
      heap.push(now + (actual.get(jobKey(spec)) ?? 0), { kind: 'complete', worker: w.def.id, run })
      inbox.push({
        type: 'started',
        now,
        worker: w.def.id,
        job: { id: spec.id, attempt: spec.attempt }
      })
    }
  }

  const disconnect = (w: WorkerSim): void => {
    w.connected = false
    for (const run of w.running.values()) end(run, 'error')
    w.running.clear()
    w.queue = []
  }

  while (heap.size > 0) {
    const next = heap.pop() as { at: number; value: SimEvent }
    if (next.at > limitMs) break
    now = next.at
    const event = next.value
    switch (event.kind) {
      case 'submit':
        submitsLeft--
        feed({ type: 'submitted', now, jobs: event.jobs })
        break
      case 'join': {
        const w = workers.get(event.worker) as WorkerSim
        w.connected = true
        feed({
          type: 'worker-joined',
          now,
          worker: w.def.id,
          slots: w.def.slots,
          labels: [...w.labels]
        })
        break
      }
      case 'leave': {
        const w = workers.get(event.worker) as WorkerSim
        if (!w.connected) break
        disconnect(w)
        feed({ type: 'worker-left', now, worker: w.def.id, reason: 'left' })
        break
      }
      case 'hang': {
        const w = workers.get(event.worker) as WorkerSim
        w.hung = true
        break
      }
      case 'complete': {
        const w = workers.get(event.worker) as WorkerSim
        const key = jobKey(event.run)
        // Stale: the run was cancelled, or the worker left or hung meanwhile.
        if (!w.connected || w.hung || w.running.get(key) !== event.run) break
        w.running.delete(key)
        end(event.run, 'passed')
        inbox.push(resultEvent(w, event.run, 'passed'))
        pump(w)
        feed({ type: 'heartbeat', now, worker: w.def.id })
        break
      }
      case 'tick':
        for (const w of workers.values()) {
          if (w.connected && !w.hung) inbox.push({ type: 'heartbeat', now, worker: w.def.id })
        }
        feed({ type: 'tick', now })
        if (scheduler.pending() > 0 || submitsLeft > 0) heap.push(now + tickMs, { kind: 'tick' })
        break
    }
    for (const w of workers.values()) {
      if (w.running.size > w.def.slots)
        result.violations.push(`${w.def.id} runs ${w.running.size} jobs at once`)
    }
    if (scheduler.pending() === 0 && submitsLeft === 0) break
  }
  result.unfinished = scheduler.pending() + input.jobs.filter(j => (j.submitAt ?? 0) > now).length
  return result
}
