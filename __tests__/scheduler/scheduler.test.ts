import { Scheduler } from '../../src/scheduler/scheduler.js'
import type { SchedulerAction } from '../../src/scheduler/types.js'
import { assigned, finished, ofType, resultOf, spec } from './helpers.js'

const opts = {
  prefetch: 0,
  heartbeatTimeoutMs: 1000,
  timeoutGraceMs: 100,
  unrunnableAfterMs: 500,
  maxLostAttempts: 2
}

/** Runs every queued job on one 1-slot worker and returns the order they were assigned in. */
function drainOrder(s: Scheduler, first: SchedulerAction[], worker = 'w'): string[] {
  const order: string[] = []
  let actions = first
  for (let now = 1; ; now++) {
    const ids = assigned(actions)[worker] ?? []
    if (ids.length === 0) return order
    order.push(...ids)
    actions = []
    for (const id of ids)
      actions.push(...s.handle({ type: 'result', now, result: resultOf({ id }, worker) }))
  }
}

describe('priority', () => {
  test('unknown durations first, then longest expected, then failed before, then submission order', () => {
    const s = new Scheduler(opts)
    s.handle({
      type: 'submitted',
      now: 0,
      jobs: [
        spec('short', { expectedMs: 10 }),
        spec('long', { expectedMs: 1000 }),
        spec('unknown-1'),
        spec('mid-a', { expectedMs: 100 }),
        spec('mid-b', { expectedMs: 100, failedBefore: true }),
        spec('unknown-2'),
        spec('mid-c', { expectedMs: 100 })
      ]
    })
    const first = s.handle({ type: 'worker-joined', now: 0, worker: 'w', slots: 1, labels: [] })
    expect(drainOrder(s, first)).toEqual([
      'unknown-1',
      'unknown-2',
      'long',
      'mid-b',
      'mid-a',
      'mid-c',
      'short'
    ])
  })

  test('the longest jobs spread over workers first', () => {
    const s = new Scheduler(opts)
    s.handle({ type: 'worker-joined', now: 0, worker: 'a', slots: 2, labels: [] })
    s.handle({ type: 'worker-joined', now: 0, worker: 'b', slots: 2, labels: [] })
    const actions = s.handle({
      type: 'submitted',
      now: 0,
      jobs: [1, 2, 3, 4, 5].map(n => spec(`j${n}`, { expectedMs: n }))
    })
    expect(assigned(actions)).toEqual({ a: ['j5', 'j3'], b: ['j4', 'j2'] })
  })
})

describe('labels', () => {
  test('a job only goes to workers offering all of its labels', () => {
    const s = new Scheduler(opts)
    s.handle({ type: 'worker-joined', now: 0, worker: 'plain', slots: 4, labels: ['linux'] })
    const none = s.handle({
      type: 'submitted',
      now: 0,
      jobs: [spec('gpu', { labels: ['linux', 'gpu'] })]
    })
    expect(assigned(none)).toEqual({})
    const later = s.handle({
      type: 'worker-joined',
      now: 1,
      worker: 'big',
      slots: 1,
      labels: ['gpu', 'linux', 'x']
    })
    expect(assigned(later)).toEqual({ big: ['gpu'] })
  })

  test('a worker prefers the jobs only it can run over more urgent jobs anyone can run', () => {
    const s = new Scheduler(opts)
    s.handle({ type: 'worker-joined', now: 0, worker: 'gpu', slots: 1, labels: ['gpu'] })
    s.handle({ type: 'worker-joined', now: 0, worker: 'cpu', slots: 1, labels: [] })
    const jobs = [
      ...[1, 2, 3, 4].map(n => spec(`long${n}`, { expectedMs: 10_000 })),
      spec('gpu-short', { expectedMs: 5, labels: ['gpu'] })
    ]
    const actions = s.handle({ type: 'submitted', now: 0, jobs })
    expect(assigned(actions)).toEqual({ gpu: ['gpu-short'], cpu: ['long1'] })
    // Once its special work is done, the gpu worker helps with the rest.
    const next = s.handle({ type: 'result', now: 5, result: resultOf({ id: 'gpu-short' }, 'gpu') })
    expect(assigned(next)).toEqual({ gpu: ['long2'] })
  })

  test('among special jobs, those fewer workers can run come first', () => {
    const s = new Scheduler(opts)
    s.handle({ type: 'worker-joined', now: 0, worker: 'a', slots: 1, labels: ['x', 'y'] })
    s.handle({ type: 'worker-joined', now: 0, worker: 'b', slots: 1, labels: ['x'] })
    s.handle({ type: 'worker-joined', now: 0, worker: 'c', slots: 1, labels: [] })
    const actions = s.handle({
      type: 'submitted',
      now: 0,
      jobs: [
        spec('any', { expectedMs: 100 }),
        spec('x', { expectedMs: 50, labels: ['x'] }),
        spec('xy', { expectedMs: 1, labels: ['x', 'y'] })
      ]
    })
    expect(assigned(actions)).toEqual({ a: ['xy'], b: ['x'], c: ['any'] })
  })
})

describe('prefetch', () => {
  test('a worker holds at most slots + prefetch, and only while the queue is long', () => {
    const s = new Scheduler({ ...opts, prefetch: 1 })
    s.handle({ type: 'worker-joined', now: 0, worker: 'a', slots: 1, labels: [] })
    s.handle({ type: 'worker-joined', now: 0, worker: 'b', slots: 1, labels: [] })
    const jobs = Array.from({ length: 5 }, (_, i) => spec(`j${i}`, { expectedMs: 100 - i }))
    const first = s.handle({ type: 'submitted', now: 0, jobs })
    // 2 slots filled; 3 queued > 2 slots: one more may be prefetched, leaving 2 for the tail.
    expect(assigned(first)).toEqual({ a: ['j0', 'j2'], b: ['j1'] })
    expect(s.snapshot().queued).toBe(2)
    const next = s.handle({ type: 'result', now: 1, result: resultOf({ id: 'j1' }, 'b') })
    // Queue 2 is not longer than 2 slots: b only fills its free slot.
    expect(assigned(next)).toEqual({ b: ['j3'] })
    for (const w of s.snapshot().workers) expect(w.assigned).toBeLessThanOrEqual(w.slots + 1)
  })

  test('an idle worker takes a job prefetched by another, which is told to drop it', () => {
    const s = new Scheduler({ ...opts, prefetch: 1 })
    s.handle({
      type: 'submitted',
      now: 0,
      jobs: [
        spec('1', { expectedMs: 3 }),
        spec('2', { expectedMs: 2 }),
        spec('3', { expectedMs: 1 })
      ]
    })
    // Alone, the first worker fills its slot and prefetches one.
    expect(
      assigned(s.handle({ type: 'worker-joined', now: 0, worker: 'a', slots: 1, labels: [] }))
    ).toEqual({ a: ['1', '2'] })
    const joined = s.handle({ type: 'worker-joined', now: 1, worker: 'b', slots: 2, labels: [] })
    expect(assigned(joined)).toEqual({ b: ['3', '2'] })
    expect(ofType(joined, 'cancel')).toEqual([
      {
        type: 'cancel',
        worker: 'a',
        jobs: [{ id: '2', attempt: 1 }],
        reason: expect.stringContaining('moved to b')
      }
    ])
    // a's answer for the moved job is stale.
    expect(
      finished(
        s.handle({ type: 'result', now: 2, result: resultOf({ id: '2' }, 'a', 'cancelled') })
      )
    ).toEqual([])
    expect(s.holds('b', { id: '2', attempt: 1 })).toBe(true)
  })

  test('no prefetch when the queue fits in the free slots', () => {
    const s = new Scheduler({ ...opts, prefetch: 2 })
    s.handle({ type: 'worker-joined', now: 0, worker: 'a', slots: 2, labels: [] })
    const actions = s.handle({ type: 'submitted', now: 0, jobs: [spec('1'), spec('2'), spec('3')] })
    expect(assigned(actions)).toEqual({ a: ['1', '2'] })
  })
})

describe('avoidWorkers', () => {
  test('a job skips avoided workers while another can run it, even a busy one', () => {
    const s = new Scheduler(opts)
    s.handle({ type: 'worker-joined', now: 0, worker: 'a', slots: 1, labels: [] })
    s.handle({ type: 'worker-joined', now: 0, worker: 'b', slots: 1, labels: [] })
    s.handle({
      type: 'submitted',
      now: 0,
      jobs: [spec('busy-a', { expectedMs: 10 }), spec('busy-b', { expectedMs: 9 })]
    })
    const retry = s.handle({
      type: 'submitted',
      now: 0,
      jobs: [
        spec('retry', { expectedMs: 100, attempt: 2, avoidWorkers: ['a'] }),
        spec('other', { expectedMs: 1 })
      ]
    })
    expect(assigned(retry)).toEqual({})
    const freeA = s.handle({ type: 'result', now: 1, result: resultOf({ id: 'busy-a' }, 'a') })
    expect(assigned(freeA)).toEqual({ a: ['other'] })
    const freeB = s.handle({ type: 'result', now: 2, result: resultOf({ id: 'busy-b' }, 'b') })
    expect(assigned(freeB)).toEqual({ b: ['retry'] })
  })

  test('falls back to an avoided worker when no other connected worker can run the job', () => {
    const s = new Scheduler(opts)
    s.handle({ type: 'worker-joined', now: 0, worker: 'a', slots: 1, labels: ['gpu'] })
    s.handle({ type: 'worker-joined', now: 0, worker: 'b', slots: 1, labels: [] })
    const actions = s.handle({
      type: 'submitted',
      now: 0,
      jobs: [spec('r', { labels: ['gpu'], avoidWorkers: ['a'] })]
    })
    expect(assigned(actions)).toEqual({ a: ['r'] })
  })
})

describe('lost workers', () => {
  test('a worker that leaves gives its jobs back; its late result is ignored', () => {
    const s = new Scheduler(opts)
    s.handle({ type: 'worker-joined', now: 0, worker: 'a', slots: 1, labels: [] })
    s.handle({ type: 'submitted', now: 0, jobs: [spec('j')] })
    s.handle({ type: 'started', now: 1, worker: 'a', job: { id: 'j', attempt: 1 } })
    const left = s.handle({ type: 'worker-left', now: 2, worker: 'a', reason: 'link reset' })
    expect(ofType(left, 'requeued')).toEqual([
      {
        type: 'requeued',
        job: { id: 'j', attempt: 1 },
        worker: 'a',
        reason: expect.stringContaining('link reset')
      }
    ])
    const joined = s.handle({ type: 'worker-joined', now: 3, worker: 'b', slots: 1, labels: [] })
    expect(assigned(joined)).toEqual({ b: ['j'] })
    expect(
      finished(s.handle({ type: 'result', now: 4, result: resultOf({ id: 'j' }, 'a') }))
    ).toEqual([])
    const done = finished(s.handle({ type: 'result', now: 5, result: resultOf({ id: 'j' }, 'b') }))
    expect(done.map(r => [r.id, r.worker, r.status])).toEqual([['j', 'b', 'passed']])
    expect(
      finished(s.handle({ type: 'result', now: 6, result: resultOf({ id: 'j' }, 'b') }))
    ).toEqual([])
    expect(s.pending()).toBe(0)
  })

  test('past maxLostAttempts the job ends as error saying why', () => {
    const s = new Scheduler(opts)
    s.handle({ type: 'submitted', now: 0, jobs: [spec('j')] })
    let ended: ReturnType<typeof finished> = []
    for (let i = 0; i < 3; i++) {
      s.handle({ type: 'worker-joined', now: i, worker: `w${i}`, slots: 1, labels: [] })
      ended = finished(
        s.handle({ type: 'worker-left', now: i, worker: `w${i}`, reason: 'crashed' })
      )
    }
    expect(ended).toHaveLength(1)
    expect(ended[0]).toMatchObject({ id: 'j', status: 'error', worker: 'w2' })
    expect(ended[0]?.message).toMatch(/3 lost attempts \(limit 2\)/)
    expect(s.pending()).toBe(0)
  })

  test('a silent worker is dropped on tick and its jobs requeued', () => {
    const s = new Scheduler(opts)
    s.handle({ type: 'worker-joined', now: 0, worker: 'a', slots: 1, labels: [] })
    s.handle({ type: 'worker-joined', now: 0, worker: 'b', slots: 1, labels: [] })
    s.handle({
      type: 'submitted',
      now: 0,
      jobs: [spec('j1', { expectedMs: 2 }), spec('j2', { expectedMs: 1 })]
    })
    s.handle({ type: 'heartbeat', now: 900, worker: 'b' })
    expect(s.handle({ type: 'tick', now: 1000 })).toEqual([])
    const actions = s.handle({ type: 'tick', now: 1001 })
    expect(ofType(actions, 'drop-worker').map(a => a.worker)).toEqual(['a'])
    expect(ofType(actions, 'requeued').map(a => a.job.id)).toEqual(['j1'])
    expect(s.snapshot().workers.map(w => w.id)).toEqual(['b'])
  })
})

describe('timeouts', () => {
  test('a job overrunning timeout + grace is cancelled, counted lost, and avoids that worker', () => {
    const s = new Scheduler(opts)
    s.handle({ type: 'worker-joined', now: 0, worker: 'a', slots: 1, labels: [] })
    s.handle({ type: 'submitted', now: 0, jobs: [spec('j', { timeoutMs: 1000 })] })
    s.handle({ type: 'started', now: 10, worker: 'a', job: { id: 'j', attempt: 1 } })
    s.handle({ type: 'heartbeat', now: 1100, worker: 'a' })
    expect(s.handle({ type: 'tick', now: 1110 })).toEqual([])
    s.handle({ type: 'worker-joined', now: 1110, worker: 'b', slots: 1, labels: [] })
    const actions = s.handle({ type: 'tick', now: 1111 })
    expect(ofType(actions, 'cancel')).toEqual([
      {
        type: 'cancel',
        worker: 'a',
        jobs: [{ id: 'j', attempt: 1 }],
        reason: expect.stringContaining('timeout 1000 ms')
      }
    ])
    expect(ofType(actions, 'requeued')).toHaveLength(1)
    expect(assigned(actions)).toEqual({ b: ['j'] })
  })

  test('without a started event the clock runs from assignment, but not while prefetched', () => {
    const s = new Scheduler({ ...opts, prefetch: 1 })
    s.handle({ type: 'worker-joined', now: 0, worker: 'a', slots: 1, labels: [] })
    s.handle({
      type: 'submitted',
      now: 0,
      jobs: ['1', '2', '3'].map(id => spec(id, { timeoutMs: 1000 }))
    })
    expect(s.snapshot().workers[0]?.assigned).toBe(2)
    s.handle({ type: 'started', now: 0, worker: 'a', job: { id: '1', attempt: 1 } })
    s.handle({ type: 'result', now: 900, result: resultOf({ id: '1' }, 'a') })
    // Job 2 waited 900 ms behind job 1: its clock started at 900, not 0.
    expect(ofType(s.handle({ type: 'tick', now: 1500 }), 'cancel')).toEqual([])
    s.handle({ type: 'heartbeat', now: 1900, worker: 'a' })
    expect(ofType(s.handle({ type: 'tick', now: 2001 }), 'cancel').map(a => a.jobs[0]?.id)).toEqual(
      ['2']
    )
  })
})

describe('unrunnable jobs', () => {
  test('end as error naming the labels nobody offers, after unrunnableAfterMs', () => {
    const s = new Scheduler(opts)
    s.handle({ type: 'worker-joined', now: 0, worker: 'a', slots: 1, labels: ['linux'] })
    s.handle({ type: 'submitted', now: 0, jobs: [spec('j', { labels: ['linux', 'arm64'] })] })
    expect(finished(s.handle({ type: 'tick', now: 499 }))).toEqual([])
    const ended = finished(s.handle({ type: 'tick', now: 500 }))
    expect(ended).toHaveLength(1)
    expect(ended[0]?.status).toBe('error')
    expect(ended[0]?.message).toContain('[arm64]')
    expect(ended[0]?.message).not.toContain('[linux, arm64]')
  })

  test('the clock restarts from the last time a capable worker was connected', () => {
    const s = new Scheduler(opts)
    s.handle({ type: 'worker-joined', now: 0, worker: 'plain', slots: 1, labels: [] })
    s.handle({ type: 'worker-joined', now: 0, worker: 'gpu', slots: 1, labels: ['gpu'] })
    s.handle({
      type: 'submitted',
      now: 0,
      jobs: [spec('busy', { labels: ['gpu'] }), spec('j', { labels: ['gpu'] })]
    })
    s.handle({ type: 'heartbeat', now: 400, worker: 'plain' })
    s.handle({ type: 'worker-left', now: 400, worker: 'gpu', reason: 'gone' })
    expect(finished(s.handle({ type: 'tick', now: 899 }))).toEqual([])
    expect(
      finished(s.handle({ type: 'tick', now: 900 }))
        .map(r => r.id)
        .sort()
    ).toEqual(['busy', 'j'])
  })

  test('with no worker connected at all, jobs wait for workers to come', () => {
    const s = new Scheduler(opts)
    s.handle({ type: 'submitted', now: 0, jobs: [spec('j', { labels: ['gpu'] })] })
    expect(finished(s.handle({ type: 'tick', now: 10_000 }))).toEqual([])
    s.handle({ type: 'worker-joined', now: 10_000, worker: 'a', slots: 1, labels: [] })
    expect(finished(s.handle({ type: 'tick', now: 10_499 }))).toEqual([])
    expect(finished(s.handle({ type: 'tick', now: 10_500 }))).toHaveLength(1)
  })
})

describe('release', () => {
  test('released jobs go back without counting a lost attempt; the worker drains', () => {
    const s = new Scheduler({ ...opts, maxLostAttempts: 0, prefetch: 1 })
    s.handle({ type: 'worker-joined', now: 0, worker: 'a', slots: 1, labels: [] })
    s.handle({ type: 'submitted', now: 0, jobs: ['1', '2', '3'].map(id => spec(id)) })
    s.handle({ type: 'started', now: 1, worker: 'a', job: { id: '1', attempt: 1 } })
    const released = s.handle({
      type: 'released',
      now: 2,
      worker: 'a',
      jobs: [
        { id: '2', attempt: 1 },
        { id: '1', attempt: 1 }
      ],
      reason: 'deadline'
    })
    expect(ofType(released, 'requeued').map(a => a.job.id)).toEqual(['2'])
    expect(assigned(released)).toEqual({})
    expect(s.snapshot().workers[0]).toMatchObject({ id: 'a', draining: true, assigned: 1 })
    expect(
      assigned(s.handle({ type: 'result', now: 3, result: resultOf({ id: '1' }, 'a') }))
    ).toEqual({})
    const joined = s.handle({ type: 'worker-joined', now: 4, worker: 'b', slots: 2, labels: [] })
    expect(assigned(joined)).toEqual({ b: ['2', '3'] })
    const ends = ['2', '3'].flatMap(id =>
      finished(s.handle({ type: 'result', now: 5, result: resultOf({ id }, 'b') }))
    )
    expect(ends.map(r => r.status)).toEqual(['passed', 'passed'])
  })
})

describe('cancel', () => {
  test('queued jobs finish as cancelled at once; held ones when the worker answers', () => {
    const s = new Scheduler(opts)
    s.handle({ type: 'worker-joined', now: 0, worker: 'a', slots: 1, labels: [] })
    s.handle({ type: 'submitted', now: 0, jobs: [spec('run'), spec('wait')] })
    const actions = s.handle({
      type: 'cancelled',
      now: 1,
      jobs: [
        { id: 'run', attempt: 1 },
        { id: 'wait', attempt: 1 }
      ],
      reason: 'fail fast'
    })
    expect(finished(actions).map(r => [r.id, r.status])).toEqual([['wait', 'cancelled']])
    expect(ofType(actions, 'cancel')).toEqual([
      { type: 'cancel', worker: 'a', jobs: [{ id: 'run', attempt: 1 }], reason: 'fail fast' }
    ])
    expect(s.pending()).toBe(1)
    const answer = finished(
      s.handle({ type: 'result', now: 2, result: resultOf({ id: 'run' }, 'a', 'failed') })
    )
    expect(answer.map(r => [r.id, r.status])).toEqual([['run', 'cancelled']])
    expect(answer[0]?.message).toContain('fail fast')
    expect(s.pending()).toBe(0)
  })

  test('a worker that never confirms the cancel: finished as cancelled after the grace', () => {
    const s = new Scheduler(opts)
    s.handle({ type: 'worker-joined', now: 0, worker: 'a', slots: 1, labels: [] })
    s.handle({ type: 'submitted', now: 0, jobs: [spec('run')] })
    s.handle({ type: 'cancelled', now: 10, jobs: [{ id: 'run', attempt: 1 }], reason: 'stop' })
    s.handle({ type: 'cancelled', now: 20, jobs: [{ id: 'run', attempt: 1 }], reason: 'again' })
    expect(finished(s.handle({ type: 'tick', now: 110 }))).toEqual([])
    const ended = finished(s.handle({ type: 'tick', now: 111 }))
    expect(ended.map(r => r.status)).toEqual(['cancelled'])
    expect(
      finished(s.handle({ type: 'result', now: 112, result: resultOf({ id: 'run' }, 'a') }))
    ).toEqual([])
  })
})

describe('exactly once', () => {
  test('duplicate submissions are ignored; a new attempt is a new job', () => {
    const s = new Scheduler(opts)
    s.handle({ type: 'submitted', now: 0, jobs: [spec('j'), spec('j')] })
    s.handle({ type: 'submitted', now: 0, jobs: [spec('j'), spec('j', { attempt: 2 })] })
    expect(s.pending()).toBe(2)
    expect(s.snapshot().queued).toBe(2)
  })

  test('a worker that reconnects under the same id gives back what it held', () => {
    const s = new Scheduler(opts)
    s.handle({ type: 'worker-joined', now: 0, worker: 'a', slots: 1, labels: [] })
    s.handle({ type: 'submitted', now: 0, jobs: [spec('j')] })
    const again = s.handle({ type: 'worker-joined', now: 1, worker: 'a', slots: 1, labels: [] })
    expect(ofType(again, 'requeued')).toHaveLength(1)
    expect(assigned(again)).toEqual({ a: ['j'] })
    expect(s.holds('a', { id: 'j', attempt: 1 })).toBe(true)
  })
})
