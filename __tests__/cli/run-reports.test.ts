/**
 * Reports are never lost: whatever ends `squall run` (its broker killed, Ctrl-C), the JUnit
 * and JSON files hold every finished result and every unfinished test as not run, and the
 * exit code says how the run ended (3, 130). A bad report path is refused before the run.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import { cliBundle, runCliProcess } from '../helpers/cli.js'
import { killAll, processesWithEnv, tempDirs, waitUntil } from '../worker/process-helpers.js'

const dirs = tempDirs('squall-reports-')
const leftovers: number[] = []
afterEach(() => {
  killAll(leftovers.splice(0))
  dirs.cleanup()
})

interface JsonTests {
  summary: { exitCode: number; incomplete?: string; passed: number }
  tests: { name: string; outcome: string; attempts: { message?: string }[] }[]
}

/** Two quick jobs that pass and two that would run for minutes, marked with `token`. */
function suite(dir: string, token: string): string {
  const path = join(dir, 'jobs.json')
  writeFileSync(
    path,
    JSON.stringify([
      { name: 'quick one', command: 'echo one' },
      { name: 'quick two', command: 'echo two' },
      { name: 'slow one', command: 'sleep 300', env: { REPORT_TOKEN: token } },
      { name: 'slow two', command: 'sleep 300', env: { REPORT_TOKEN: token } }
    ])
  )
  return path
}

/** Starts `squall run` with its temp dir under `tmp` (where the broker's ready file lands). */
function startRun(dir: string, tmp: string, jobs: string) {
  const child = spawn(
    process.execPath,
    [
      cliBundle,
      'run',
      '--workers',
      '1',
      '--slots',
      '4',
      '--jobs',
      jobs,
      '--junit',
      join(dir, 'out', 'junit.xml'),
      '--json',
      join(dir, 'out', 'summary.json'),
      '--no-timings'
    ],
    { cwd: dir, env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'] }
  )
  const out = { stdout: '', stderr: '' }
  child.stdout.on('data', (d: Buffer) => (out.stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (out.stderr += d.toString()))
  const exited = new Promise<number | null>(resolve => child.on('close', code => resolve(code)))
  return { child, out, exited }
}

/** The reports of a run that ended early: the quick jobs passed, the slow ones did not finish. */
function expectReports(dir: string, why: RegExp, exitCode: number): void {
  const json = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8')) as JsonTests
  expect(json.summary.exitCode).toBe(exitCode)
  expect(json.summary.incomplete).toMatch(why)
  const outcomes = Object.fromEntries(json.tests.map(t => [t.name, t.outcome]))
  expect(outcomes).toEqual({
    'quick one': 'passed',
    'quick two': 'passed',
    'slow one': 'cancelled',
    'slow two': 'cancelled'
  })
  for (const test of json.tests.filter(t => t.outcome === 'cancelled'))
    expect(test.attempts[0]?.message).toMatch(/^(did not finish|not run): /)

  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
    readFileSync(join(dir, 'out', 'junit.xml'), 'utf8')
  ) as { testsuites: { tests: string; errors: string } }
  expect(Number(xml.testsuites.tests)).toBe(4)
  expect(Number(xml.testsuites.errors)).toBe(2)
}

async function untilQuickJobsPassed(out: { stdout: string }): Promise<void> {
  await waitUntil(
    () => /PASS\s+quick one/.test(out.stdout) && /PASS\s+quick two/.test(out.stdout),
    'the quick jobs to pass',
    60_000
  )
}

test('a killed broker still yields JUnit and JSON with the finished results; exit 3', async () => {
  const dir = dirs.make()
  const tmp = join(dir, 'tmp')
  mkdirSync(tmp)
  const token = randomBytes(8).toString('hex')
  const run = startRun(dir, tmp, suite(dir, token))
  try {
    await untilQuickJobsPassed(run.out)
    await waitUntil(() => processesWithEnv('REPORT_TOKEN', token).length >= 2, 'slow jobs', 30_000)
    leftovers.push(...processesWithEnv('REPORT_TOKEN', token))
    // The seam: `squall run` keeps its broker's ready file (with its pid) in its temp dir.
    const [clusterDir] = readdirSync(join(tmp, 'squall'))
    const ready = JSON.parse(
      readFileSync(join(tmp, 'squall', clusterDir as string, 'broker.ready.json'), 'utf8')
    ) as { pid: number }
    process.kill(ready.pid, 'SIGKILL')
    expect(await run.exited).toBe(3)
    expect(run.out.stderr).toMatch(/lost the broker/)
    expectReports(dir, /^lost the broker/, 3)
    expect(run.out.stdout).toMatch(/Incomplete run: lost the broker/)
  } finally {
    run.child.kill('SIGKILL')
  }
}, 120_000)

test('Ctrl-C of squall run writes JUnit and JSON and exits 130', async () => {
  const dir = dirs.make()
  const tmp = join(dir, 'tmp')
  mkdirSync(tmp)
  const token = randomBytes(8).toString('hex')
  const run = startRun(dir, tmp, suite(dir, token))
  try {
    await untilQuickJobsPassed(run.out)
    await waitUntil(() => processesWithEnv('REPORT_TOKEN', token).length >= 2, 'slow jobs', 30_000)
    leftovers.push(...processesWithEnv('REPORT_TOKEN', token))
    run.child.kill('SIGINT')
    expect(await run.exited).toBe(130)
    expectReports(dir, /^interrupted by SIGINT$/, 130)
    // The slow jobs' processes went with the cluster.
    expect(processesWithEnv('REPORT_TOKEN', token)).toEqual([])
  } finally {
    run.child.kill('SIGKILL')
  }
}, 120_000)

test('a report path that is a directory is refused before anything runs (exit 2)', async () => {
  const dir = dirs.make()
  const marker = join(dir, 'ran')
  writeFileSync(join(dir, 'jobs.txt'), `touch '${marker}'\n`)
  const result = await runCliProcess(
    ['run', '--jobs', 'jobs.txt', '--junit', dir, '--json', join(dir, 'summary.json')],
    { cwd: dir }
  )
  expect(result.code).toBe(2)
  expect(result.stderr).toContain(`--junit: '${dir}' is a directory`)
  expect(existsSync(marker)).toBe(false)
  expect(existsSync(join(dir, 'summary.json'))).toBe(false)
})
