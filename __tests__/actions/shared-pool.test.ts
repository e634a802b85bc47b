/**
 * A shared pool through the workflow simulator and the emulator, from the built bundles: a
 * broker job kept alive for two runner jobs (`runners: 2`), two runner jobs submitting their
 * own suites through the artifact store (`broker: artifacts`; one also adds a worker of its
 * own to the pool), and two worker jobs. Each runner gets its own results; the broker's step ends
 * when both are done, and the workers exit 0 when the pool closes. Then a pool whose second
 * runner never comes is closed by a stop step, and "Re-run all jobs" of a pool re-runs only
 * what each runner failed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
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

function simulated(name: string, runId: string, workspace?: string, attempt = 1): SimulatedJob {
  const job: EmulatorJob = emulator.mintJob(attempt)
  return new SimulatedJob({
    name,
    workspace: workspace ?? join(temp.dir, runId, 'ws'),
    temp: join(temp.dir, runId, `${name}-temp-${attempt}`),
    runtime: job.env,
    runId,
    runAttempt: String(attempt)
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
  // One of B's jobs lasts long enough for B's own worker to join the pool through the store
  // before B is done (else the worker jobs may run all of B while it is still joining).
  writeFileSync(join(ws, 'b.txt'), 'echo b-one\nsleep 8 && echo b-two\necho b-three\n')
  const runner = (file: string, localSlots: string) => ({
    broker: 'artifacts',
    'jobs-file': file,
    'local-slots': localSlots,
    timings: 'false',
    annotations: 'false',
    'junit-path': join(temp.dir, runId, `${file}.xml`)
  })

  const [pool, a, b, w1, w2] = await Promise.all([
    broker.uses('broker', { runners: '2', heartbeat: '10' }),
    // A leaves its work to the pool; B adds a worker of its own to it, through the store too.
    runnerA.uses('runner', runner('a.txt', '0')),
    runnerB.uses('runner', runner('b.txt', '1')),
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
      ['sleep 8 && echo b-two', 'passed']
    ]
  })
  expect(b.summary).not.toContain('a-one')
  expect([...warnings(a), ...warnings(b)]).toEqual([])

  // B's own worker joined the pool under its job's name and was stopped when B was done.
  expect(b.stdout).toContain('local worker on 1 slot(s)')
  expect(pool.stdout).toMatch(/worker suite-b@\w+ joined from artifact:/)
  expect(pool.stdout).toMatch(/worker suite-b@\w+ left/)
  // The worker jobs exit 0 at the close. (Which worker ran which runner's job depends on
  // timing here, B's own worker serving A too; the next test pins the sharing down.)
  for (const w of [w1, w2]) {
    expect(w.code).toBe(0)
    expect(w.commands.filter(c => c.command === 'error')).toEqual([])
  }
}, 300_000)

test('a jest job and a commands job share the pool: each reports its own suite', async () => {
  const runId = `${process.pid}3`
  const jestSuite = resolve('__tests__/fixtures/jest-suite')
  const broker = simulated('pool', runId)
  const commands = simulated('commands', runId)
  // The jest job and the workers check out the fixture (it needs the repository's jest).
  const jest = simulated('jest', runId, jestSuite)
  const workers = [simulated('workers', runId, jestSuite), simulated('workers', runId, jestSuite)]
  writeFileSync(join(commands.options.workspace, 'c.txt'), 'echo c-one\necho c-two\n')
  const junitOf = (name: string) => join(temp.dir, runId, `${name}.xml`)

  const [pool, c, j, ...ws] = await Promise.all([
    broker.uses('broker', { runners: '2' }),
    commands.uses('runner', {
      broker: 'artifacts',
      'jobs-file': 'c.txt',
      'local-slots': '0',
      timings: 'false',
      'junit-path': junitOf('commands')
    }),
    jest.uses('runner', {
      broker: 'artifacts',
      framework: 'jest',
      'local-slots': '0',
      timings: 'false',
      annotations: 'false',
      'junit-path': junitOf('jest')
    }),
    ...workers.map(w => w.uses('worker', { 'wait-timeout': '120s', slots: '2' }))
  ])
  await broker.runPosts()
  expect(pool.code).toBe(0)
  expect(pool.stdout).toContain('finished: all 2 runner(s) are done')

  expect(c.code).toBe(0)
  expect(junit(junitOf('commands'))).toEqual({
    tests: 2,
    cases: [
      ['echo c-one', 'passed'],
      ['echo c-two', 'passed']
    ]
  })
  // The fixture's one failing test fails the jest job, and only it.
  expect(j.code).toBe(1)
  expect(j.outputs).toMatchObject({ failed: '1', skipped: '1' })
  const jestCases = junit(junitOf('jest')).cases
  expect(jestCases.filter(([, outcome]) => outcome === 'failed')).toEqual([
    ['sum knows two and two make five', 'failed']
  ])
  expect(jestCases.map(([name]) => name)).toEqual(
    expect.arrayContaining(['checksum of a list', 'loads', 'takes about a second'])
  )
  expect(jestCases.some(([name]) => name.startsWith('echo'))).toBe(false)
  expect(j.summary).toContain('squall: jest')
  expect(c.summary).not.toContain('squall: jest')
  // No runner has a worker of its own: the worker jobs ran both runners' jobs.
  for (const w of ws) expect(w.code).toBe(0)
  const started = ws.map(w => w.stdout).join('')
  expect(started).toMatch(/starting r1:/)
  expect(started).toMatch(/starting r2:/)
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

test('"Re-run all jobs" of a shared pool: each runner re-runs only what it failed itself', async () => {
  const runId = `${process.pid}4`
  const ws = join(temp.dir, runId, 'ws')
  const attempt = async (n: number) => {
    const jobs = {
      broker: simulated('pool', runId, ws, n),
      a: simulated('suite-a', runId, ws, n),
      b: simulated('suite-b', runId, ws, n),
      worker: simulated('workers', runId, ws, n)
    }
    const runner = (file: string) => ({
      broker: 'artifacts',
      'jobs-file': file,
      'local-slots': '0',
      timings: 'false'
    })
    const [pool, a, b, w] = await Promise.all([
      jobs.broker.uses('broker', { runners: '2' }),
      jobs.a.uses('runner', runner('a.txt')),
      jobs.b.uses('runner', runner('b.txt')),
      jobs.worker.uses('worker', { 'wait-timeout': '120s', slots: '2' })
    ])
    await jobs.broker.runPosts()
    expect([pool.code, w.code]).toEqual([0, 0])
    return { a, b }
  }
  mkdirSync(ws, { recursive: true })
  // Both suites have a job that fails in attempt 1; both jobs files name the same commands.
  writeFileSync(join(ws, 'a.txt'), 'echo same\ntest -f a-fixed\n')
  writeFileSync(join(ws, 'b.txt'), 'echo same\ntest -f b-fixed\necho b-only\n')
  const first = await attempt(1)
  expect(first.a.outputs).toMatchObject({ passed: '1', failed: '1' })
  expect(first.b.outputs).toMatchObject({ passed: '2', failed: '1' })

  // Attempt 2 of every job: A's failure is fixed, B's is not.
  writeFileSync(join(ws, 'a-fixed'), '')
  const second = await attempt(2)
  for (const [runner, carried] of [
    [second.a, 1],
    [second.b, 2]
  ] as const) {
    // Each runner found its own attempt-1 results (not the other's) and ran its one failure.
    expect(runner.stdout).toMatch(/re-running what failed in attempt 1: 1 test\(s\) in 1 job\(s\)/)
    expect(runner.summary).toMatch(
      new RegExp(`### Carried over \\(${carried}\\): from run attempt 1`)
    )
  }
  expect(second.a.code).toBe(0)
  expect(second.a.outputs).toMatchObject({ passed: '2', failed: '0' })
  expect(second.b.code).toBe(1)
  expect(second.b.outputs).toMatchObject({ passed: '2', failed: '1' })
}, 300_000)
