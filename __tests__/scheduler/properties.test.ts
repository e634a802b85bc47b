/** Property tests: the scheduler's invariants under random events, and its makespan bound. */
import fc from 'fast-check'
import { Scheduler } from '../../src/scheduler/scheduler.js'
import { simulate, type SimJob, type SimWorker } from '../../src/scheduler/simulate.js'
import type { SchedulerAction, SchedulerEvent } from '../../src/scheduler/types.js'
import type { JobRef, JobStatus } from '../../src/protocol/types.js'
import { resultOf, spec } from './helpers.js'

const key = (r: JobRef): string => `${r.id}#${r.attempt}`
const LABELS = ['a', 'b']
const labelSet = fc.subarray(LABELS)
const workerIndex = fc.integer({ min: 0, max: 3 })

const op = fc.oneof(
  fc.record({
    op: fc.constant('join' as const),
    w: workerIndex,
    slots: fc.integer({ min: 1, max: 3 }),
    labels: labelSet
  }),
  fc.record({ op: fc.constant('leave' as const), w: workerIndex }),
  fc.record({ op: fc.constant('beat' as const), w: workerIndex }),
  fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 2500 }) }),
  fc.record({
    op: fc.constant('submit' as const),
    jobs: fc.array(
      fc.record({
        id: fc.integer({ min: 0, max: 11 }),
        attempt: fc.integer({ min: 1, max: 2 }),
        labels: labelSet,
        expectedMs: fc.option(fc.integer({ min: 1, max: 5000 }), { nil: undefined }),
        timeoutMs: fc.integer({ min: 100, max: 5000 }),
        avoid: fc.subarray(['w0', 'w1', 'w2', 'w3'])
      }),
      { minLength: 1, maxLength: 4 }
    )
  }),
  fc.record({ op: fc.constant('start' as const), w: workerIndex, i: fc.nat() }),
  fc.record({
    op: fc.constant('result' as const),
    w: workerIndex,
    i: fc.nat(),
    status: fc.constantFrom<JobStatus>('passed', 'failed', 'timed-out', 'cancelled')
  }),
  fc.record({
    op: fc.constant('stray' as const),
    w: workerIndex,
    id: fc.integer({ min: 0, max: 11 })
  }),
  fc.record({
    op: fc.constant('release' as const),
    w: workerIndex,
    n: fc.integer({ min: 0, max: 3 })
  }),
  fc.record({
    op: fc.constant('cancel' as const),
    ids: fc.array(fc.integer({ min: 0, max: 11 }), { maxLength: 3 })
  })
)

const options = fc.record({
  prefetch: fc.integer({ min: 0, max: 2 }),
  maxLostAttempts: fc.integer({ min: 0, max: 2 }),
  heartbeatTimeoutMs: fc.constant(2000),
  timeoutGraceMs: fc.constant(500),
  unrunnableAfterMs: fc.constant(1500)
})

test('every submitted job ends exactly once; capacity and labels always hold', () => {
  fc.assert(
    fc.property(options, fc.array(op, { maxLength: 60 }), (opts, ops) => {
      const s = new Scheduler(opts)
      const workers = new Map<string, { slots: number; labels: string[]; draining: boolean }>()
      const given = new Map<string, JobRef[]>()
      const submitted = new Set<string>()
      const ended = new Map<string, number>()
      let now = 0
      const feed = (event: SchedulerEvent): void => {
        const actions: SchedulerAction[] = s.handle(event)
        for (const a of actions) {
          if (a.type === 'assign') {
            const w = workers.get(a.worker)
            expect(w).toBeDefined()
            expect(w?.draining).toBe(false)
            for (const job of a.jobs) {
              expect(job.labels.every(l => w?.labels.includes(l))).toBe(true)
              expect(submitted.has(key(job))).toBe(true)
              expect(ended.has(key(job))).toBe(false)
            }
            given.set(a.worker, [...(given.get(a.worker) ?? []), ...a.jobs])
          }
          if (a.type === 'drop-worker') workers.delete(a.worker)
          if (a.type === 'finished') {
            const k = key(a.result)
            expect(submitted.has(k)).toBe(true)
            ended.set(k, (ended.get(k) ?? 0) + 1)
          }
        }
        for (const w of s.snapshot().workers) {
          expect(w.assigned).toBeLessThanOrEqual(w.slots + opts.prefetch)
        }
      }
      const pickGiven = (w: string, i: number): JobRef | undefined => {
        const list = given.get(w) ?? []
        return list.length > 0 ? list[i % list.length] : undefined
      }
      for (const o of ops) {
        now += 1
        switch (o.op) {
          case 'join':
            workers.set(`w${o.w}`, { slots: o.slots, labels: o.labels, draining: false })
            feed({
              type: 'worker-joined',
              now,
              worker: `w${o.w}`,
              slots: o.slots,
              labels: o.labels
            })
            break
          case 'leave':
            workers.delete(`w${o.w}`)
            feed({ type: 'worker-left', now, worker: `w${o.w}`, reason: 'left' })
            break
          case 'beat':
            feed({ type: 'heartbeat', now, worker: `w${o.w}` })
            break
          case 'tick':
            now += o.ms
            feed({ type: 'tick', now })
            break
          case 'submit': {
            const jobs = o.jobs.map(j =>
              spec(`j${j.id}`, {
                attempt: j.attempt,
                labels: j.labels,
                expectedMs: j.expectedMs,
                timeoutMs: j.timeoutMs,
                avoidWorkers: j.avoid
              })
            )
            for (const j of jobs) submitted.add(key(j))
            feed({ type: 'submitted', now, jobs })
            break
          }
          case 'start': {
            const job = pickGiven(`w${o.w}`, o.i)
            if (job)
              feed({
                type: 'started',
                now,
                worker: `w${o.w}`,
                job: { id: job.id, attempt: job.attempt }
              })
            break
          }
          case 'result': {
            const job = pickGiven(`w${o.w}`, o.i)
            if (job) feed({ type: 'result', now, result: resultOf(job, `w${o.w}`, o.status) })
            break
          }
          case 'stray':
            feed({ type: 'result', now, result: resultOf({ id: `j${o.id}` }, `w${o.w}`) })
            break
          case 'release': {
            const w = workers.get(`w${o.w}`)
            if (w) w.draining = true
            const jobs = (given.get(`w${o.w}`) ?? [])
              .slice(-o.n)
              .map(j => ({ id: j.id, attempt: j.attempt }))
            feed({ type: 'released', now, worker: `w${o.w}`, jobs })
            break
          }
          case 'cancel':
            feed({
              type: 'cancelled',
              now,
              jobs: o.ids.map(id => ({ id: `j${id}`, attempt: 1 })),
              reason: 'withdrawn'
            })
            break
        }
      }
      // Withdraw everything; past the grace nothing may be left open.
      feed({
        type: 'cancelled',
        now,
        jobs: [...submitted].map(k => ({
          id: k.split('#')[0] as string,
          attempt: Number(k.split('#')[1])
        })),
        reason: 'end'
      })
      now += 500 + 1
      for (const w of workers.keys()) feed({ type: 'heartbeat', now, worker: w })
      feed({ type: 'tick', now })
      expect(s.pending()).toBe(0)
      expect([...ended.keys()].sort()).toEqual([...submitted].sort())
      expect([...ended.values()].every(n => n === 1)).toBe(true)
    }),
    { seed: 20261123, numRuns: 300 }
  )
})

const simWorker = fc.record({
  slots: fc.integer({ min: 1, max: 3 }),
  labels: labelSet,
  joinAt: fc.integer({ min: 0, max: 20_000 }),
  leaveAt: fc.option(fc.integer({ min: 0, max: 60_000 }), { nil: undefined }),
  hangAt: fc.option(fc.integer({ min: 0, max: 60_000 }), { nil: undefined })
})
const simJob = fc.record({
  actualMs: fc.integer({ min: 1, max: 20_000 }),
  expected: fc.option(fc.integer({ min: 1, max: 20_000 }), { nil: undefined }),
  labels: labelSet,
  submitAt: fc.integer({ min: 0, max: 10_000 })
})

test('simulated runs with joins, leaves and hangs: no broken rule, every job ends once', () => {
  fc.assert(
    fc.property(
      fc.array(simWorker, { minLength: 1, maxLength: 5 }),
      fc.array(simJob, { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 0, max: 2 }),
      (workerDefs, jobDefs, prefetch) => {
        // One worker that stays, so every job ends (runs, or ends as unrunnable).
        const workers: SimWorker[] = [
          { id: 'anchor', slots: 1, labels: ['a'] },
          ...workerDefs.map((w, i) => ({ id: `w${i}`, ...w }))
        ]
        const jobs: SimJob[] = jobDefs.map((j, i) => ({
          spec: spec(`j${i}`, { expectedMs: j.expected, labels: j.labels, timeoutMs: 60_000 }),
          actualMs: j.actualMs,
          submitAt: j.submitAt
        }))
        const run = simulate({
          jobs,
          workers,
          scheduler: {
            prefetch,
            heartbeatTimeoutMs: 3000,
            unrunnableAfterMs: 5000,
            maxLostAttempts: 5
          },
          limitMs: 1e8
        })
        expect(run.violations).toEqual([])
        expect(run.unfinished).toBe(0)
        expect(run.finished.map(f => f.result.id).sort()).toEqual(jobs.map(j => j.spec.id).sort())
        for (const f of run.finished) {
          if (f.result.status === 'passed') continue
          expect(f.result.status).toBe('error')
          expect(f.result.message).toMatch(/label|lost attempts/)
        }
        // No worker ever ran more jobs at once than it has slots.
        for (const w of workers) {
          const runs = run.timeline.filter(r => r.worker === w.id)
          for (const r of runs) {
            const overlapping = runs.filter(
              o => o.startedAt <= r.startedAt && (o.endedAt ?? Infinity) > r.startedAt
            )
            expect(overlapping.length).toBeLessThanOrEqual(w.slots)
          }
        }
      }
    ),
    { seed: 42, numRuns: 200 }
  )
})

/** The optimal makespan of identical machines, by branch and bound (small inputs only). */
function optimalMakespan(durations: number[], machines: number): number {
  const jobs = [...durations].sort((a, b) => b - a)
  const loads = new Array<number>(machines).fill(0)
  let best = jobs.reduce((a, b) => a + b, 0)
  const place = (i: number, current: number): void => {
    if (current >= best) return
    if (i === jobs.length) {
      best = current
      return
    }
    const tried = new Set<number>()
    for (let m = 0; m < machines; m++) {
      const load = loads[m] as number
      if (tried.has(load)) continue
      tried.add(load)
      loads[m] = load + (jobs[i] as number)
      place(i + 1, Math.max(current, loads[m] as number))
      loads[m] = load
    }
  }
  place(0, 0)
  return best
}

function knownRun(durations: number[], workers: number, slots: number, prefetch: number): number {
  const run = simulate({
    jobs: durations.map((d, i) => ({ spec: spec(`j${i}`, { expectedMs: d }), actualMs: d })),
    workers: Array.from({ length: workers }, (_, i) => ({ id: `w${i}`, slots })),
    scheduler: { prefetch }
  })
  expect(run.unfinished).toBe(0)
  return run.makespanMs
}

test('durations known and accurate, identical workers: makespan within 4/3 − 1/(3m) of optimal', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 10 }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 2 }),
      (durations, workers, slots) => {
        const m = workers * slots
        const opt = optimalMakespan(durations, m)
        const makespan = knownRun(durations, workers, slots, 0)
        expect(makespan).toBeLessThanOrEqual((4 / 3 - 1 / (3 * m)) * opt + 1e-9)
      }
    ),
    { seed: 7, numRuns: 300 }
  )
})

test('durations known, many jobs: never worse than list scheduling allows, near the lower bound', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 120 }),
      fc.integer({ min: 1, max: 8 }),
      fc.integer({ min: 0, max: 1 }),
      (durations, m, prefetch) => {
        const total = durations.reduce((a, b) => a + b, 0)
        const longest = Math.max(...durations)
        const lowerBound = Math.max(total / m, longest)
        const makespan = knownRun(durations, m, 1, prefetch)
        // Graham: a worker is never idle while work waits, so no job starts after total/m.
        expect(makespan).toBeLessThanOrEqual(total / m + (1 - 1 / m) * longest + 1e-9)
        expect(makespan).toBeGreaterThanOrEqual(lowerBound - 1e-9)
      }
    ),
    { seed: 11, numRuns: 200 }
  )
})
