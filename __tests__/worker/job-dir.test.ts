/** A job's environment: what changes from one job attempt to the next is PER_JOB_VARIABLES. */
import type { JobSpec } from '../../src/protocol/types.js'
import { jobEnvironment, PER_JOB_VARIABLES } from '../../src/worker/job-dir.js'

test('two attempts of jobs with the same env differ in exactly PER_JOB_VARIABLES', () => {
  const job = { id: 'one', attempt: 1, env: { OWN: 'x' } } as unknown as JobSpec
  const base = { PATH: '/usr/bin', HOME: '/home/u' }
  const a = jobEnvironment(base, job, '/jobs/one-1', 'w1', { cacheDir: '/cache' })
  const b = jobEnvironment(base, { ...job, id: 'two', attempt: 2 }, '/jobs/two-2', 'w1', {
    cacheDir: '/cache'
  })
  const differ = Object.keys({ ...a, ...b }).filter(key => a[key] !== b[key])
  expect(differ.sort()).toEqual([...PER_JOB_VARIABLES].sort())
  expect(a.OWN).toBe('x')
})
