/**
 * A shared pool through the workflow simulator and the emulator, from the built bundles: a
 * broker job kept alive for two runner jobs (`runners: 2`), two runner jobs submitting their
 * own suites through the artifact store (`broker: artifacts`, no local slots: every job runs
 * on the pool), and two worker jobs. Each runner gets its own results; the broker's step ends
 * when both are done, and the workers exit 0 when the pool closes. Then a pool whose second
 * runner never comes is closed by a stop step.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import { startEmulator, type Emulator, type EmulatorJob } from '../../src/emulator/index.js'
import { SimulatedJob, type StepResult } from '../helpers/actions-runner.js'
import { makeTempDir } from '../helpers/cli.js'

let emulator: Emulator
let temp: { dir: string; remove: () => void }

beforeAll(async () => {
  emulator = await startEmulator({ jobs: 0 })
  temp = makeTempDir('squall-pool-')
}, 60_000)
afterAll(async () => {
  await emulator?.stop()
  temp?.remove()
})

function simulated(name: string, runId: string): SimulatedJob {
  const job: EmulatorJob = emulator.mintJob()
  return new SimulatedJob({
    name,
    workspace: join(temp.dir, runId, 'ws'),
    temp: join(temp.dir, runId, `${name}-temp`),
    runtime: job.env,
    runId
  })
}

/** Test names and outcomes of a JUnit file. */
function junit(path: string): { tests: number; cases: [string, string][] } {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
    readFileSync(path, 'utf8')
  ) as { testsuites: { tests: string; testsuite: unknown } }
  const list = <T>(v: T | T[] | undefined): T[] =>
    v === undefined ? [] : Array.isArray(v) ? v : [v]
  const cases = list(doc.testsuites.testsuite as Record<string, unknown>[]).flatMap(s =>
    list(s.testcase as Record<string, unknown>[]).map(
      c =>
        [
          String(c.name),
          c.failure !== undefined || c.error !== undefined ? 'failed' : 'passed'
        ] as [string, string]
    )
  )
  return { tests: Number(doc.testsuites.tests), cases: cases.sort() }
}

const warnings = (step: StepResult): string[] =>
  step.commands.filter(c => c.command === 'warning').map(c => c.message)

test('two runners share one broker job and two worker jobs; each gets its own results', async () => {
  const runId = `${process.pid}1`
  const broker = simulated('pool', runId)
  const runnerA = simulated('suite-a', runId)
  const runnerB = simulated('suite-b', runId)
  const workers = [simulated('workers', runId), simulated('workers', runId)]
  const ws = runnerA.options.workspace
  // Both suites are `commands` suites whose jobs get the same ids: the broker keeps them apart.
  writeFileSync(join(ws, 'a.txt'), 'echo a-one\necho a-two\nexit 3\n')
  writeFileSync(join(ws, 'b.txt'), 'echo b-one\necho b-two\necho b-three\n')
  const runner = (file: string) => ({
    broker: 'artifacts',
    'jobs-file': file,
    'local-slots': '0',
    timings: 'false',
    annotations: 'false',
    'junit-path': join(temp.dir, runId, `${file}.xml`)
  })

  const [pool, a, b, w1, w2] = await Promise.all([
    broker.uses('broker', { runners: '2', heartbeat: '10' }),
    runnerA.uses('runner', runner('a.txt')),
    runnerB.uses('runner', runner('b.txt')),
    ...workers.map(w => w.uses('worker', { 'wait-timeout': '120s', slots: '1' }))
  ])
  const posts = await broker.runPosts()

  // The broker's step kept the pool open until both runners were done, then closed it.
  expect(pool.code).toBe(0)
  expect(pool.outputs['cluster-id']).toBe(`${runId}-1`)
  expect(pool.stdout).toContain('a shared pool for 2 runner(s)')
  expect(pool.stdout).toContain('finished: all 2 runner(s) are done')
  expect(pool.stdout).toMatch(/runner runner-suite-[ab]@\w+ is done; 1 of 2 runner\(s\) finished/)
  expect(posts.map(p => [p.action, p.phase, p.code])).toEqual([['broker', 'post', 0]])

  // Runner A: one failure among its three; its own JUnit, outputs and summary.
  expect(a.code).toBe(1)
  expect(a.outputs).toMatchObject({ passed: '2', failed: '1', flaky: '0', skipped: '0' })
  expect(junit(join(temp.dir, runId, 'a.txt.xml'))).toEqual({
    tests: 3,
    cases: [
      ['echo a-one', 'passed'],
      ['echo a-two', 'passed'],
      ['exit 3', 'failed']
    ]
  })
  expect(a.summary).toContain('squall: commands')
  expect(a.summary).not.toContain('b-one')

  // Runner B: all three passed, none of A's.
  expect(b.code).toBe(0)
  expect(b.outputs).toMatchObject({ passed: '3', failed: '0', flaky: '0', skipped: '0' })
  expect(junit(join(temp.dir, runId, 'b.txt.xml'))).toEqual({
    tests: 3,
    cases: [
      ['echo b-one', 'passed'],
      ['echo b-three', 'passed'],
      ['echo b-two', 'passed']
    ]
  })
  expect(b.summary).not.toContain('a-one')
  expect([...warnings(a), ...warnings(b)]).toEqual([])

  // The work ran on the pool's worker jobs (no local slots), both of which exit 0 at the close.
  for (const w of [w1, w2]) {
    expect(w.code).toBe(0)
    expect(w.commands.filter(c => c.command === 'error')).toEqual([])
  }
  const ran = [w1, w2].map(w => (w.stdout.match(/: (passed|failed) in \d+ ms/g) ?? []).length)
  expect(ran[0]! + ran[1]!).toBeGreaterThanOrEqual(6)
  // The workers served both runners: the broker's ids of their jobs carry each runner's seat.
  const both = `${w1.stdout}${w2.stdout}`
  expect(both).toMatch(/starting r1:/)
  expect(both).toMatch(/starting r2:/)
}, 300_000)

test('a stop step closes a pool whose other runner never came; workers exit 0, late ones too', async () => {
  const runId = `${process.pid}2`
  const broker = simulated('pool', runId)
  const runnerA = simulated('suite-a', runId)
  const worker = simulated('workers', runId)
  writeFileSync(join(runnerA.options.workspace, 'a.txt'), 'echo a-one\n')

  const pool = broker.uses('broker', { runners: '2', heartbeat: '10' })
  const working = worker.uses('worker', { 'wait-timeout': '120s', slots: '1' })
  const a = await runnerA.uses('runner', {
    broker: 'artifacts',
    'jobs-file': 'a.txt',
    'local-slots': '0',
    timings: 'false'
  })
  expect(a.code).toBe(0)
  expect(a.outputs).toMatchObject({ passed: '1', failed: '0' })

  // A later job (`needs` the runner jobs, `if: always()`) closes the pool.
  const stop = await simulated('close', runId).uses('broker', { stop: 'true' })
  expect(stop.code).toBe(0)
  expect(stop.stdout).toContain(`closed the pool of cluster ${runId}-1`)
  const ended = await pool
  expect(ended.code).toBe(0)
  expect(ended.stdout).toContain('the pool was closed: the stop step of job close ran')
  // The worker stayed in the pool for the runner that never came, and exits 0 at the close.
  const w = await working
  expect(w.code).toBe(0)
  expect(w.stdout).toMatch(/: passed in \d+ ms/)

  // A worker that starts after the close finds the closed marker and exits 0.
  const late = await simulated('workers', runId).uses('worker', { 'wait-timeout': '60s' })
  expect(late.code).toBe(0)
  expect(late.commands.filter(c => c.command === 'notice').map(c => c.message)).toEqual([
    expect.stringContaining('has already finished')
  ])
  // A second stop step finds the pool closed already.
  const again = await simulated('close', runId).uses('broker', { stop: 'true' })
  expect(again.code).toBe(0)
  expect(again.stdout).toContain('is closed already')
}, 300_000)
