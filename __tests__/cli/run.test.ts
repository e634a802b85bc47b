/**
 * `squall run` end to end: the built CLI starts a broker and workers as processes on loopback
 * and reports passing, failing, timing-out and flaky commands in the terminal, JUnit and JSON.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import { makeTempDir, runCliProcess } from '../helpers/cli.js'

let temp: { dir: string; remove: () => void }
beforeEach(() => {
  temp = makeTempDir()
})
afterEach(() => temp.remove())

function mixedSuite(dir: string): string {
  const flag = join(dir, 'flaky-once')
  const jobs = [
    { name: 'passes', command: 'echo all good' },
    { name: 'fails', command: "echo 'expected 2, got 3' >&2; exit 1" },
    { name: 'times out', command: 'sleep 30', timeout: 1 },
    {
      name: 'flaky',
      command: `if [ -f '${flag}' ]; then echo second; else touch '${flag}'; exit 1; fi`
    },
    { name: 'argv', argv: ['node', '-e', 'process.exit(0)'] },
    { name: 'env', command: 'test "$GREETING" = hello', env: { GREETING: 'hello' } }
  ]
  const path = join(dir, 'jobs.json')
  writeFileSync(path, JSON.stringify(jobs))
  return path
}

test('reports every outcome in the terminal, JUnit and JSON, and exits 1', async () => {
  const jobs = mixedSuite(temp.dir)
  const junit = join(temp.dir, 'out', 'junit.xml')
  const json = join(temp.dir, 'out', 'summary.json')
  const result = await runCliProcess(
    [
      'run',
      '--workers',
      '4',
      '--slots',
      '1',
      '--jobs',
      jobs,
      '--retries',
      '1',
      '--junit',
      junit,
      '--json',
      json,
      '--cwd',
      temp.dir
    ],
    { cwd: temp.dir }
  )
  expect(result.code).toBe(1)
  expect(result.stdout).toMatch(/3 passed, 2 failed/)
  expect(result.stdout).toMatch(/flaky/i)

  const summary = JSON.parse(readFileSync(json, 'utf8')) as {
    summary: { passed: number; failed: number; flaky: number; exitCode: number }
    tests: { name: string; outcome: string }[]
  }
  const outcomes = Object.fromEntries(summary.tests.map(t => [t.name, t.outcome]))
  expect(outcomes).toEqual({
    passes: 'passed',
    fails: 'failed',
    'times out': 'timed-out',
    flaky: 'flaky',
    argv: 'passed',
    env: 'passed'
  })
  expect(summary.summary.flaky).toBe(1)

  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
    readFileSync(junit, 'utf8')
  ) as { testsuites: { tests: string; testsuite: unknown } }
  expect(Number(xml.testsuites.tests)).toBe(6)
  const text = readFileSync(junit, 'utf8')
  expect(text).toContain('flakyFailure')
  expect(text).toContain('expected 2, got 3')
}, 90_000)

test('all passing suite exits 0 and writes timing history', async () => {
  const path = join(temp.dir, 'jobs.txt')
  writeFileSync(path, '# two commands\necho one\n\necho two\n')
  const result = await runCliProcess(['run', '--workers', '2', '--jobs', path, '--cwd', temp.dir], {
    cwd: temp.dir
  })
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  expect(result.stdout).toMatch(/2 passed, 0 failed/)
  const timings = JSON.parse(readFileSync(join(temp.dir, '.squall', 'timings.json'), 'utf8')) as {
    items: Record<string, unknown>
  }
  expect(Object.keys(timings.items)).toHaveLength(2)
}, 60_000)

test('a bad jobs file is a usage error (exit 2) naming the index and field', async () => {
  const path = join(temp.dir, 'jobs.json')
  writeFileSync(path, JSON.stringify([{ name: 'ok', command: 'true' }, { name: 'broken' }]))
  const result = await runCliProcess(['run', '--jobs', path, '--cwd', temp.dir], { cwd: temp.dir })
  expect(result.code).toBe(2)
  expect(result.stderr).toMatch(/jobs\.json/)
  expect(result.stderr).toMatch(/\b1\b/)
}, 60_000)

test('bad option values are usage errors naming the option and value', async () => {
  const result = await runCliProcess(['run', '--workers', 'zero'])
  expect(result.code).toBe(2)
  expect(result.stderr).toContain("--workers: 'zero' is not a whole number of at least 1")
  const unknown = await runCliProcess(['run', '--framework', 'nope', '--jobs', 'x'])
  expect(unknown.code).toBe(2)
  expect(unknown.stderr).toMatch(/unknown framework 'nope'/)
})
