import {
  planBatchJobs,
  narrowJob,
  type BatchJobRecipe
} from '../../../src/frameworks/core/batch-jobs.js'
import { jobPayload, string } from '../../../src/frameworks/core/payload.js'
import type { TestItem } from '../../../src/frameworks/core/framework.js'
import { jobName } from '../../../src/frameworks/core/job-name.js'
import { planFileJobs, retryFileJob, type JobShape } from '../../../src/frameworks/js/jobs.js'

test('one rule: framework, first place, how many more places, the count and a retry', () => {
  expect(jobName('jest', ['src/a.test.js'], 1, 'file')).toBe('jest src/a.test.js (1 file)')
  expect(jobName('jest', ['a', 'b', 'c'], 3, 'file', true)).toBe('jest a +2 more (3 files, retry)')
  expect(jobName('pytest', ['t/a.py', 't/a.py', 't/b.py'], 3, 'test')).toBe(
    'pytest t/a.py +1 more (3 tests)'
  )
})

const options = {
  cwd: '/s',
  args: [],
  timeoutMs: 1000,
  slots: 1,
  timings: new Map(),
  failedBefore: new Set<string>()
}

test('file jobs and test batches are named by the same rule', () => {
  const shape: JobShape = { framework: 'jest', startupMs: 1e6, defaultMs: 1, command: () => 'run' }
  const files: TestItem[] = ['a.test.js', 'b.test.js'].map(id => ({ id, name: id, file: id }))
  const [fileJob] = planFileJobs(files, options, shape, [])
  expect(fileJob?.name).toBe('jest a.test.js +1 more (2 files)')
  expect(retryFileJob(fileJob!, ['b.test.js'], shape).name).toBe('jest b.test.js (1 file, retry)')

  const recipe: BatchJobRecipe<{ pkg: string }> = {
    framework: 'go',
    payload: jobPayload<{ pkg: string }>({ pkg: string }),
    startupMs: 1e6,
    defaultMs: 1,
    dataOf: () => ({ pkg: './p' }),
    command: (_d, tests) => ({ argv: ['go', ...tests] }),
    describe: data => [data.pkg]
  }
  const tests: TestItem[] = ['p::A', 'p::B'].map(id => ({ id, name: id }))
  const [batch] = planBatchJobs(tests, options, recipe)
  expect(batch?.name).toBe('go ./p (2 tests)')
  expect(narrowJob(recipe, batch!, ['p::B']).name).toBe('go ./p (1 test, retry)')
})
