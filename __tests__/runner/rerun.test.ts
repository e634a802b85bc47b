import { UsageError } from '../../src/errors.js'
import type { Framework } from '../../src/frameworks/core/framework.js'
import type { JobSpec } from '../../src/protocol/types.js'
import type { RunSummary, TestOutcome } from '../../src/runner/events.js'
import {
  mergeRerun,
  planRerun,
  type PreviousRun,
  type PreviousTest
} from '../../src/runner/rerun.js'
import { parsePreviousRun, resultsRecord } from '../../src/runner/rerun-record.js'
import { job } from './build.js'

/** A framework that narrows by rewriting the job's items and naming the tests it keeps. */
const files: Pick<Framework, 'retryJob' | 'narrowToItems'> = {
  narrowToItems: (j, items) => ({
    ...j,
    name: `files ${items.join(',')}`,
    framework: { name: 'fake', tests: items }
  }),
  retryJob: (j, failed) => ({ ...j, argv: ['--only', ...failed] })
}

const prev = (id: string, outcome: PreviousTest['outcome'], extra: Partial<PreviousTest> = {}) => ({
  id,
  name: id,
  outcome,
  durationMs: 5,
  ...extra
})

function commandJob(id: string): JobSpec {
  return job(id, { framework: { name: 'commands', tests: [id] } })
}

function outcome(id: string, o: TestOutcome['outcome']): TestOutcome {
  return { id, name: id, outcome: o, durationMs: 1, attempts: [] }
}

describe('planRerun', () => {
  test('one job per test: only the failed and the never-run run again', () => {
    const previous: PreviousRun = {
      attempt: 1,
      framework: 'commands',
      tests: [prev('a', 'passed'), prev('b', 'failed'), prev('d', 'timed-out')]
    }
    const plan = planRerun(['a', 'b', 'c', 'd'].map(commandJob), previous, {})
    expect(plan.jobs.map(j => j.id)).toEqual(['b', 'c', 'd'])
    expect(plan.jobs.every(j => j.failedBefore)).toBe(true)
    expect(plan.carried.map(t => [t.id, t.outcome, t.fromAttempt])).toEqual([['a', 'passed', 1]])
    expect([plan.again, plan.uncovered]).toEqual([2, 0])
  })

  test('a batch of files: unreported files run whole, failed tests run alone, passed files not at all', () => {
    const batch = job('batch-1', { framework: { name: 'fake', tests: ['f1', 'f2', 'f3'] } })
    const previous: PreviousRun = {
      attempt: 2,
      framework: 'fake',
      tests: [
        prev('f1::ok', 'passed', { file: 'f1' }),
        prev('f2::ok', 'passed', { file: 'f2' }),
        prev('f2::bad', 'failed', { file: 'f2' })
      ]
    }
    const plan = planRerun([batch], previous, files)
    expect(plan.jobs.map(j => [j.id, j.framework?.tests, j.argv])).toEqual([
      ['batch-1', ['f3'], undefined],
      ['batch-1~failed', ['f2'], ['--only', 'f2::bad']]
    ])
    expect(plan.carried.map(t => t.id)).toEqual(['f1::ok', 'f2::ok'])
  })

  test('a crash of the whole batch runs the batch again whole; without narrowing, whole too', () => {
    const batch = job('batch-1', { framework: { name: 'fake', tests: ['f1', 'f2'] } })
    const crashed: PreviousRun = {
      attempt: 1,
      framework: 'fake',
      tests: [
        prev('f1::ok', 'passed', { file: 'f1' }),
        prev('f2', 'passed', { file: 'f2' }),
        prev('batch-1', 'error', { job: true })
      ]
    }
    expect(planRerun([batch], crashed, files).jobs).toEqual([{ ...batch, failedBefore: true }])
    const oneFailed: PreviousRun = { ...crashed, tests: [prev('f1::x', 'failed', { file: 'f1' })] }
    expect(planRerun([batch], oneFailed, {}).jobs.map(j => j.framework?.tests)).toEqual([
      ['f1', 'f2']
    ])
  })

  test('all passed: nothing runs; flaky runs again only when asked; uncovered failures stay', () => {
    const previous: PreviousRun = {
      attempt: 1,
      framework: 'commands',
      tests: [prev('a', 'passed'), prev('b', 'flaky'), prev('gone', 'failed')]
    }
    const plan = planRerun(['a', 'b'].map(commandJob), previous, {})
    expect(plan.jobs).toEqual([])
    expect(plan.carried.map(t => [t.id, t.outcome])).toEqual([
      ['a', 'passed'],
      ['b', 'flaky'],
      ['gone', 'failed']
    ])
    expect(plan.uncovered).toBe(1)
    expect(
      planRerun(['a', 'b'].map(commandJob), previous, {}, { flakyAgain: true }).jobs.map(j => j.id)
    ).toEqual(['b'])
  })
})

describe('mergeRerun', () => {
  const previous: PreviousRun = {
    attempt: 2,
    framework: 'fake',
    tests: [
      prev('f1::ok', 'passed', { file: 'f1', fromAttempt: 1 }),
      prev('f2::ok', 'passed', { file: 'f2' }),
      prev('f2::bad', 'failed', { file: 'f2' }),
      prev('f2::worse', 'failed', { file: 'f2' })
    ]
  }
  const batch = job('b', { framework: { name: 'fake', tests: ['f1', 'f2'] } })

  test('the whole suite: skipped-by-narrowing keeps its outcome, a fixed failure is flaky, carried are marked', () => {
    const plan = planRerun([batch], previous, files)
    const merged = mergeRerun(
      [outcome('f2::ok', 'skipped'), outcome('f2::bad', 'passed'), outcome('f2::worse', 'failed')],
      plan,
      previous
    )
    const byId = Object.fromEntries(merged.map(t => [t.id, t]))
    expect(merged.map(t => t.id).sort()).toEqual(['f1::ok', 'f2::bad', 'f2::ok', 'f2::worse'])
    expect(byId['f1::ok']).toMatchObject({ outcome: 'passed', fromAttempt: 1 })
    expect(byId['f2::ok']).toMatchObject({ outcome: 'passed', fromAttempt: 2 })
    expect(byId['f2::bad']?.outcome).toBe('flaky')
    expect(byId['f2::bad']?.fromAttempt).toBeUndefined()
    expect(byId['f2::bad']?.attempts[0]).toMatchObject({ attempt: 0, status: 'failed' })
    expect(byId['f2::worse']).toMatchObject({ outcome: 'failed', attempts: [] })
  })
})

describe('results record', () => {
  const summary = { exitCode: 1, runAttempt: 3 } as RunSummary
  const tests: TestOutcome[] = [
    {
      ...outcome('t1', 'failed'),
      file: 'a.test.js',
      attempts: [
        {
          attempt: 1,
          worker: 'w',
          status: 'failed',
          durationMs: 1,
          message: 'secret=xyz',
          output: 'TOKEN=abc'
        }
      ]
    },
    { ...outcome('t2', 'passed'), fromAttempt: 1 }
  ]

  test('keeps ids and outcomes, never output or messages, and reads back', () => {
    const record = resultsRecord('jest', summary, tests)
    const text = JSON.stringify(record)
    expect(text).not.toMatch(/secret=xyz|TOKEN=abc|attempts/)
    expect(parsePreviousRun(text, 'record')).toEqual({
      attempt: 3,
      framework: 'jest',
      tests: [
        { id: 't1', name: 't1', outcome: 'failed', durationMs: 1, file: 'a.test.js' },
        { id: 't2', name: 't2', outcome: 'passed', durationMs: 1, fromAttempt: 1 }
      ]
    })
  })

  test('a JSON result file reads too; anything else is a usage error naming its source', () => {
    const report = {
      version: 1,
      framework: 'commands',
      summary: { runAttempt: 2 },
      tests,
      jobs: []
    }
    expect(parsePreviousRun(JSON.stringify(report), 'r.json')).toMatchObject({
      attempt: 2,
      framework: 'commands'
    })
    expect(() => parsePreviousRun('{', 'r.json')).toThrow(UsageError)
    expect(() =>
      parsePreviousRun(
        '{"version":1,"framework":"x","tests":[{"id":"a","outcome":"odd"}]}',
        'r.json'
      )
    ).toThrow(/r\.json: test 0/)
  })
})
