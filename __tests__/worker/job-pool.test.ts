import type { JobResult, JobSpec } from '../../src/protocol/types.js'
import type { executeJob } from '../../src/worker/executor.js'
import { JobPool } from '../../src/worker/job-pool.js'

function job(id: string, timeoutMs = 1000): JobSpec {
  return { id, name: id, command: 'true', timeoutMs, labels: [], attempt: 1, layers: [] }
}

function pool(execute: typeof executeJob, slots = 1) {
  const finished: JobResult[] = []
  const started: string[] = []
  const jobs = new JobPool({
    slots,
    execute,
    context: { workerId: 'w', jobsRoot: '/nonexistent', outputCapBytes: 10, killGraceMs: 10 },
    onStarted: j => started.push(j.id),
    onFinished: (_, result) => finished.push(result)
  })
  return { jobs, finished, started }
}

const never: typeof executeJob = () => new Promise<JobResult>(() => undefined)

describe('JobPool', () => {
  test('an executor that throws at once still yields an error result', async () => {
    const { jobs, finished } = pool(() => {
      throw new Error('cannot fork')
    })
    jobs.enqueue(job('a'))
    jobs.fill(() => true)
    await jobs.settle(5000)
    expect(finished.map(r => [r.id, r.status, r.worker])).toEqual([['a', 'error', 'w']])
    expect(finished[0]?.message).toContain('cannot fork')
  })

  test('fill stops at the first job refused and leaves it queued', () => {
    const { jobs, started } = pool(never, 3)
    for (const id of ['a', 'b', 'c']) jobs.enqueue(job(id, id === 'b' ? 99 : 1))
    const refused = jobs.fill(j => j.timeoutMs < 50)
    expect(refused?.id).toBe('b')
    expect(started).toEqual(['a'])
    expect(jobs.queued.map(j => j.id)).toEqual(['b', 'c'])
    expect(jobs.has({ id: 'a', attempt: 1 })).toBe(true)
    expect(jobs.has({ id: 'c', attempt: 1 })).toBe(true)
    expect(jobs.has({ id: 'c', attempt: 2 })).toBe(false)
  })

  test('settle gives up after its bound and says how many still run', async () => {
    const { jobs } = pool(never, 2)
    jobs.enqueue(job('a'))
    jobs.enqueue(job('b'))
    jobs.fill(() => true)
    expect(await jobs.settle(20)).toBe(2)
  })
})
