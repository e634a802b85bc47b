/**
 * "Re-run failed jobs" through the workflow simulator and the emulator: attempt 1 (the
 * coordinator and a worker job) fails; attempt 2 re-runs the coordinator only, as GitHub does
 * (the worker job succeeded), with a runtime token of the new attempt. It must find attempt
 * 1's results artifact, run exactly what failed or did not run, and report the whole suite.
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import { startEmulator, type Emulator, type EmulatorJob } from '../../src/emulator/index.js'
import { ResultsClient } from '../../src/results-store/index.js'
import { getInputs as getBrokerInputs } from '../../src/actions/broker/inputs.js'
import { getInputs as getWorkerInputs } from '../../src/actions/worker/inputs.js'
import { SimulatedJob, resolveAction } from '../helpers/actions-runner.js'
import { makeTempDir } from '../helpers/cli.js'

const suite = resolve('__tests__/fixtures/jest-suite')
let emulator: Emulator
let temp: { dir: string; remove: () => void }

beforeAll(async () => {
  emulator = await startEmulator({ jobs: 2 })
  temp = makeTempDir('squall-rerun-')
}, 60_000)
afterAll(async () => {
  await emulator?.stop()
  temp?.remove()
})

interface Case {
  name: string
  classname: string
  carriedFrom?: number
  outcome: 'passed' | 'failed' | 'skipped'
}

function junitCases(path: string): { tests: number; failures: number; cases: Case[] } {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
    readFileSync(path, 'utf8')
  ) as { testsuites: Record<string, unknown> & { testsuite: unknown } }
  const list = <T>(v: T | T[] | undefined): T[] =>
    v === undefined ? [] : Array.isArray(v) ? v : [v]
  const cases = list(doc.testsuites.testsuite as Record<string, unknown>[]).flatMap(s =>
    list(s.testcase as Record<string, unknown>[]).map(c => {
      const property = (c.properties as { property?: { name: string; value: string } } | undefined)
        ?.property
      return {
        name: String(c.name),
        classname: String(c.classname),
        ...(property?.name === 'squall.carried-over-from-attempt'
          ? { carriedFrom: Number(property.value) }
          : {}),
        outcome:
          c.failure !== undefined || c.error !== undefined
            ? ('failed' as const)
            : c.skipped !== undefined
              ? ('skipped' as const)
              : ('passed' as const)
      }
    })
  )
  return {
    tests: Number(doc.testsuites.tests),
    failures: Number(doc.testsuites.failures) + Number(doc.testsuites.errors),
    cases
  }
}

function simulated(
  name: string,
  job: EmulatorJob,
  runId: string,
  attempt: number,
  env: Record<string, string>
): SimulatedJob {
  return new SimulatedJob({
    name,
    // Both jobs check out the same fixture (it needs the repository's jest); nothing is written there.
    workspace: suite,
    temp: join(temp.dir, `${name}-${attempt}`),
    runtime: job.env,
    runId,
    runAttempt: String(attempt),
    extraEnv: env
  })
}

test('attempt 2 of the coordinator runs exactly what failed in attempt 1 and reports the whole suite', async () => {
  const runId = `${process.pid}7`
  mkdirSync(temp.dir, { recursive: true })
  const inputs = (attempt: number) => ({
    framework: 'jest',
    'local-slots': '1',
    timings: 'false',
    annotations: 'false',
    'junit-path': join(temp.dir, `junit-${attempt}.xml`),
    'junit-artifact': 'junit'
  })

  // Attempt 1: broken.test.js cannot load (a whole file fails), and one test of sum fails.
  const failing = { SQUALL_FIXTURE_BROKEN: '1' }
  const coordinator1 = simulated('coordinator', emulator.jobs[0]!, runId, 1, failing)
  const worker1 = simulated('worker', emulator.jobs[1]!, runId, 1, failing)
  const [main1, w1] = await Promise.all([
    coordinator1.uses('.', inputs(1)),
    worker1.uses('worker', { 'wait-timeout': '60s', slots: '1' })
  ])
  await coordinator1.runPosts()
  expect(main1.code).toBe(1)
  expect(w1.code).toBe(0)
  const first = junitCases(join(temp.dir, 'junit-1.xml'))
  expect(first.cases.some(c => c.carriedFrom !== undefined)).toBe(false)
  const failedFirst = first.cases
    .filter(c => c.outcome === 'failed')
    .map(c => c.name)
    .sort()
  expect(failedFirst).toEqual(['broken.test.js', 'sum knows two and two make five'])

  // The results artifact of attempt 1 holds ids and outcomes only.
  const reader = new ResultsClient({
    resultsUrl: emulator.resultsUrl,
    token: emulator.jobs[0]!.token,
    ids: emulator.jobs[0]!.ids
  })
  expect((await reader.listArtifacts()).map(a => a.name)).toContain(
    `squall-results-${runId}-attempt-1`
  )

  // Attempt 2: "Re-run failed jobs" re-runs the coordinator alone, with a new attempt's token.
  // The file loads now (it runs whole: it had no tests to name); sum's test still fails (it
  // runs alone: jest selects it by name).
  const coordinator2 = simulated('coordinator', emulator.mintJob(2), runId, 2, {})
  const main2 = await coordinator2.uses('.', inputs(2))
  await coordinator2.runPosts()
  expect(main2.code).toBe(1)
  expect(main2.stdout).toMatch(/re-running what failed in attempt 1: 2 test\(s\) in \d+ job\(s\)/)

  const second = junitCases(join(temp.dir, 'junit-2.xml'))
  // The whole suite is reported: attempt 1's tests, the file that could not load now in its
  // own test's place.
  const whole = [...first.cases.map(c => c.name).filter(n => n !== 'broken.test.js'), 'loads']
  expect(second.cases.map(c => c.name).sort()).toEqual(whole.sort())
  expect(second.tests).toBe(whole.length)
  // Exactly the failed tests ran; every passed one is carried over from attempt 1.
  const ran = second.cases.filter(c => c.carriedFrom === undefined)
  expect(ran.map(c => c.name).sort()).toEqual([
    'loads',
    'sum joins strings one day', // skipped in both: a skip carries nothing over
    'sum knows two and two make five'
  ])
  const carried = second.cases.filter(c => c.carriedFrom !== undefined)
  expect(carried.every(c => c.carriedFrom === 1 && c.outcome === 'passed')).toBe(true)
  expect(carried.map(c => c.name).sort()).toEqual(
    first.cases
      .filter(c => c.outcome === 'passed')
      .map(c => c.name)
      .sort()
  )
  expect(second.failures).toBe(1)
  expect(main2.outputs).toMatchObject({ failed: '1' })
  expect(main2.summary).toMatch(/### Carried over \(\d+\): from run attempt 1/)

  // Attempt 2 leaves its own results for an attempt 3, and its JUnit file under its own name.
  expect((await reader.listArtifacts()).map(a => a.name)).toEqual(
    expect.arrayContaining([`squall-results-${runId}-attempt-2`, 'junit', 'junit-attempt-2'])
  )
  expect(main2.commands.filter(c => c.command === 'warning').map(c => c.message)).toEqual([])
}, 300_000)

test('a re-run worker job derives the new attempt’s cluster id, the one the re-run coordinator uses', () => {
  const saved = { ...process.env }
  try {
    Object.assign(process.env, resolveAction('.').inputEnv, resolveAction('worker').inputEnv, {
      GITHUB_RUN_ID: '4242',
      GITHUB_RUN_ATTEMPT: '2'
    })
    expect(getWorkerInputs().clusterId).toBe('4242-2')
    expect(getBrokerInputs().clusterId).toBe('4242-2')
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
    Object.assign(process.env, saved)
  }
})
