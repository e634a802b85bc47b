import { commandsFramework } from '../../src/frameworks/commands/commands.js'
import { markJobOutcomes } from '../../src/runner/job-outcomes.js'
import { computeOutcomes } from '../../src/runner/outcomes.js'
import { job, result, testCase } from './build.js'

const perTest = { parse: async () => undefined }

test('a batch that failed as a whole is marked; its tests and other jobs are not', () => {
  const batch = job('jest-abc', { framework: { name: 'jest', tests: ['a.test.js', 'b.test.js'] } })
  const crashed = job('jest-def', { framework: { name: 'jest', tests: ['c.test.js'] } })
  const entries = [
    {
      job: batch,
      attempts: [
        {
          job: batch,
          result: result(batch, {
            cases: [
              testCase('a.test.js::x', 'passed', { file: 'a.test.js' }),
              testCase('b.test.js::y', 'passed', { file: 'b.test.js' })
            ]
          })
        }
      ]
    },
    {
      // Its one file reported, and then the job crashed: only the job can carry that failure.
      job: crashed,
      attempts: [
        {
          job: crashed,
          result: result(crashed, {
            status: 'error',
            message: 'boom',
            cases: [testCase('c.test.js::z', 'passed', { file: 'c.test.js' })]
          })
        }
      ]
    }
  ]
  const marked = markJobOutcomes(computeOutcomes(entries), entries, perTest)
  expect(marked.map(t => [t.id, t.job ?? false])).toEqual([
    ['a.test.js::x', false],
    ['b.test.js::y', false],
    ['c.test.js::z', false],
    ['jest-def', true]
  ])
})

test('a framework without per-test results runs one test per job: those are tests', () => {
  const one = job('lint')
  const entries = [{ job: one, attempts: [{ job: one, result: result(one) }] }]
  const marked = markJobOutcomes(computeOutcomes(entries), entries, commandsFramework)
  expect(marked).toHaveLength(1)
  expect(marked[0]?.job).toBeUndefined()
})
