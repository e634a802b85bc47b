/**
 * `squall run --rerun-failed`: a second local run from the first one's JSON file runs only
 * what failed there and reports the whole suite, the rest carried over.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeTempDir, runCliProcess } from '../helpers/cli.js'

let temp: { dir: string; remove: () => void }
beforeEach(() => {
  temp = makeTempDir()
})
afterEach(() => temp.remove())

interface JsonFile {
  summary: {
    tests: number
    passed: number
    failed: number
    flaky: number
    runAttempt?: number
    carriedOver?: number
  }
  tests: { name: string; outcome: string; fromAttempt?: number }[]
}

test('runs only what failed in the previous JSON result and reports the whole suite', async () => {
  const log = join(temp.dir, 'ran.log')
  const fixed = join(temp.dir, 'fixed')
  const jobs = [
    { name: 'passes', command: `echo passes >> '${log}'` },
    { name: 'fixed later', command: `echo fixed >> '${log}'; test -f '${fixed}'` },
    { name: 'always fails', command: `echo fails >> '${log}'; exit 1` },
    { name: 'passes too', command: `echo too >> '${log}'` }
  ]
  writeFileSync(join(temp.dir, 'jobs.json'), JSON.stringify(jobs))
  const run = (json: string, extra: string[] = []) =>
    runCliProcess(
      ['run', '--workers', '1', '--jobs', 'jobs.json', '--no-timings', '--json', json, ...extra],
      { cwd: temp.dir }
    )
  const first = await run('first.json')
  expect(first.code).toBe(1)
  expect(readFileSync(log, 'utf8').trim().split('\n').sort()).toEqual([
    'fails',
    'fixed',
    'passes',
    'too'
  ])

  writeFileSync(log, '')
  writeFileSync(fixed, '')
  const second = await run('second.json', ['--rerun-failed', 'first.json'])
  expect(second.code).toBe(1)
  expect(readFileSync(log, 'utf8').trim().split('\n').sort()).toEqual(['fails', 'fixed'])
  const report = JSON.parse(readFileSync(join(temp.dir, 'second.json'), 'utf8')) as JsonFile
  expect(report.summary).toMatchObject({
    tests: 4,
    passed: 2,
    failed: 1,
    flaky: 1,
    runAttempt: 2,
    carriedOver: 2
  })
  const outcome = Object.fromEntries(report.tests.map(t => [t.name, [t.outcome, t.fromAttempt]]))
  expect(outcome).toEqual({
    passes: ['passed', 1],
    'passes too': ['passed', 1],
    'fixed later': ['flaky', undefined],
    'always fails': ['failed', undefined]
  })

  // A third run from the second's file carries the first attempt's passes on, unchanged.
  writeFileSync(log, '')
  const third = await run('third.json', ['--rerun-failed', 'second.json'])
  expect(third.code).toBe(1)
  expect(readFileSync(log, 'utf8').trim()).toBe('fails')
  const again = JSON.parse(readFileSync(join(temp.dir, 'third.json'), 'utf8')) as JsonFile
  expect(again.summary).toMatchObject({ tests: 4, runAttempt: 3, carriedOver: 3 })
  expect(again.tests.find(t => t.name === 'passes')?.fromAttempt).toBe(1)
  expect(again.tests.find(t => t.name === 'fixed later')).toMatchObject({
    outcome: 'flaky',
    fromAttempt: 2
  })

  const bad = await run('x.json', ['--rerun-failed', 'missing.json'])
  expect(bad.code).toBe(2)
  expect(bad.stderr).toMatch(/--rerun-failed 'missing\.json': cannot read it/)
}, 240_000)
