import { simulate } from '../../src/scheduler/simulate.js'
import { spec } from './helpers.js'

test('runs every job on a worker that may run it and reports the timeline', () => {
  const run = simulate({
    jobs: [
      { spec: spec('gpu', { labels: ['gpu'], expectedMs: 100 }), actualMs: 100 },
      { spec: spec('a', { expectedMs: 300 }), actualMs: 300 },
      { spec: spec('b', { expectedMs: 200 }), actualMs: 200 }
    ],
    workers: [
      { id: 'cpu', slots: 1 },
      { id: 'g', slots: 1, labels: ['gpu'] }
    ],
    scheduler: { prefetch: 0 }
  })
  expect(run.violations).toEqual([])
  expect(run.unfinished).toBe(0)
  expect(run.timeline.map(t => [t.id, t.worker, t.startedAt, t.endedAt])).toEqual([
    ['a', 'cpu', 0, 300],
    ['gpu', 'g', 0, 100],
    ['b', 'g', 100, 300]
  ])
  expect(run.makespanMs).toBe(300)
})

test('knowing durations beats not knowing them when the long job comes last', () => {
  const durations = [10, 10, 10, 10, 10, 10, 40]
  const makespan = (known: boolean) =>
    simulate({
      jobs: durations.map((d, i) => ({
        spec: spec(`j${i}`, { expectedMs: known ? d : undefined }),
        actualMs: d
      })),
      workers: [
        { id: 'w1', slots: 1 },
        { id: 'w2', slots: 1 }
      ],
      scheduler: { prefetch: 0 }
    }).makespanMs
  expect(makespan(true)).toBe(50)
  expect(makespan(false)).toBe(70)
})

test('a worker that leaves mid-job: the job runs again elsewhere', () => {
  const run = simulate({
    jobs: [{ spec: spec('j'), actualMs: 1000 }],
    workers: [
      { id: 'leaver', slots: 1, leaveAt: 500 },
      { id: 'late', slots: 1, joinAt: 10 }
    ]
  })
  expect(run.timeline.map(t => [t.worker, t.startedAt, t.endedAt, t.status])).toEqual([
    ['leaver', 0, 500, 'error'],
    ['late', 500, 1500, 'passed']
  ])
  expect(run.finished.map(f => [f.result.worker, f.result.status, f.at])).toEqual([
    ['late', 'passed', 1500]
  ])
})

test('a hung worker is dropped after the heartbeat timeout and its job rerun', () => {
  const run = simulate({
    jobs: [{ spec: spec('j'), actualMs: 1000 }],
    workers: [
      { id: 'hangs', slots: 1, hangAt: 100 },
      { id: 'ok', slots: 1, joinAt: 1 }
    ],
    scheduler: { heartbeatTimeoutMs: 2000 },
    tickMs: 500
  })
  expect(run.finished.map(f => f.result.worker)).toEqual(['ok'])
  expect(run.makespanMs).toBeGreaterThan(2000)
})
