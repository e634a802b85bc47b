/**
 * One small suite through a real broker, worker and runner that share nothing but the emulated
 * artifact store (three jobs of one run, real HTTP, real Azurite): once clean, then under seeded
 * faults for 20 seeds, lost answers included. Every run must give the clean run's results.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Broker } from '../../src/broker/broker.js'
import { startEmulator, type Emulator, type FaultOptions } from '../../src/emulator/index.js'
import { commandsFramework } from '../../src/frameworks/commands/commands.js'
import type { Log } from '../../src/log.js'
import type { RunEvent, RunSummary } from '../../src/runner/events.js'
import { runSuite } from '../../src/runner/runner.js'
import { ResultsClient, type CallRetryPolicy } from '../../src/results-store/index.js'
import { ArtifactTransport, Poller } from '../../src/transport/artifact/index.js'
import { runWorker } from '../../src/worker/worker.js'

/** Quick retries with a budget that outlasts a run of bad luck at these rates. */
const retry: CallRetryPolicy = {
  attempts: 15,
  minDelayMs: 5,
  maxDelayMs: 100,
  factor: 2,
  budgetMs: 20_000,
  timeoutMs: 5_000
}

/** Moderate rates; SQUALL_FAULT_SCALE multiplies them for a harder run by hand. */
const scale = Number(process.env.SQUALL_FAULT_SCALE ?? 1)
const faultsOf = (seed: number): FaultOptions => ({
  seed,
  rate429: 0.04 * scale,
  rate500: 0.04 * scale,
  rateDrop: 0.03 * scale,
  rateLost: 0.06 * scale,
  blob: true
})

/** SQUALL_FAULT_SEEDS runs fewer or more seeds by hand. */
const seeds = Number(process.env.SQUALL_FAULT_SEEDS ?? 20)
/** SQUALL_FAULT_FIRST starts at another seed (to repeat one that failed). */
const first = Number(process.env.SQUALL_FAULT_FIRST ?? 1)

let emu: Emulator
let dir: string
let jobsFile: string

beforeAll(async () => {
  emu = await startEmulator({ jobs: 0 })
  dir = mkdtempSync(join(tmpdir(), 'squall-seeded-'))
  jobsFile = join(dir, 'jobs.json')
  writeFileSync(
    jobsFile,
    JSON.stringify([
      { name: 'passes', command: 'echo all good' },
      { name: 'fails', command: "echo 'expected 2, got 3' >&2; exit 1" },
      { name: 'prints', command: 'for i in 1 2 3; do echo line $i; done; echo warn >&2; exit 2' },
      { name: 'argv', argv: ['node', '-e', 'process.exit(0)'] },
      { name: 'env', command: 'test "$GREETING" = hello', env: { GREETING: 'hello' } }
    ])
  )
})
afterAll(async () => {
  await emu?.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** What must not change with faults: per-test outcomes, messages and output, and the counts. */
interface Results {
  tests: Record<string, unknown>
  counts: Partial<RunSummary>
}

/** Runs the suite on a fresh cluster (three fresh jobs of the run) with `faults`, or none. */
async function runOnce(clusterId: string, faults?: FaultOptions): Promise<Results> {
  const started = Date.now()
  const logOf =
    (who: string): Log =>
    (level, message) =>
      lines.push(`${Date.now() - started} ms ${who} ${level}: ${message}`)
  const client = (who: string): ResultsClient =>
    ResultsClient.fromEnv(emu.mintJob().env, { retry, log: logOf(who) })
  const poller = new Poller({ minMs: 15, maxMs: 150 })
  const transport = (who: string): ArtifactTransport =>
    new ArtifactTransport({
      client: client(who),
      log: logOf(who),
      poller,
      keepaliveMs: 1000,
      silenceLimitMs: 15_000,
      blobRetry: retry
    })
  emu.setFaults(faults)
  const brokerSide = transport('broker')
  const workerSide = transport('worker')
  const runnerSide = transport('runner')
  const listener = await brokerSide.listen(clusterId)
  const broker = new Broker({
    listener,
    clusterId,
    heartbeatMs: 8000,
    tickMs: 50,
    log: logOf('broker')
  })
  broker.start()
  const worker = runWorker({
    id: 'w1',
    slots: 5,
    labels: [],
    connect: () => workerSide.connect(clusterId, { timeoutMs: 30_000 }),
    batchMs: 5,
    log: logOf('worker'),
    context: {
      workDir: dir,
      jobsRoot: join(dir, `jobs-${clusterId}`),
      outputCapBytes: 64 * 1024,
      killGraceMs: 500
    }
  })
  const events: RunEvent[] = []
  try {
    const summary = await runSuite({
      connect: () => runnerSide.connect(clusterId, { timeoutMs: 30_000 }),
      framework: commandsFramework,
      cwd: dir,
      args: [],
      jobsFile,
      timeoutMs: 30_000,
      slots: 5,
      retries: 0,
      failOnFlaky: false,
      timingsPath: '',
      onEvent: event => {
        events.push(event)
        if (event.type === 'log') lines.push(`${Date.now() - started} ms runner: ${event.message}`)
      }
    })
    const exit = await worker
    expect({ clusterId, exit: exit.code }).toEqual({ clusterId, exit: 0 })
    const tests = events.flatMap(e => (e.type === 'test-finished' ? [e.test] : []))
    return {
      tests: Object.fromEntries(
        tests.map(t => [
          t.name,
          {
            outcome: t.outcome,
            attempts: t.attempts.map(a => ({
              status: a.status,
              message: a.message,
              output: a.output
            }))
          }
        ])
      ),
      counts: {
        jobs: summary.jobs,
        tests: summary.tests,
        passed: summary.passed,
        failed: summary.failed,
        flaky: summary.flaky,
        skipped: summary.skipped,
        errored: summary.errored,
        exitCode: summary.exitCode
      }
    }
  } finally {
    emu.setFaults(undefined)
    await broker.stop('test over')
    await worker
  }
}

/** What the pieces of the run in progress logged, for the message of a hung run. */
let lines: string[] = []

/**
 * `run`, or a failure naming `what` when it hangs (a lost answer that is never recovered),
 * with the last lines the pieces logged.
 */
async function within<T>(ms: number, what: string, run: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  lines = []
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const tail = lines.slice(-40).join('\n  ')
      reject(new Error(`${what} did not finish within ${ms} ms; last log lines:\n  ${tail}`))
    }, ms)
  })
  try {
    return await Promise.race([run, hang])
  } finally {
    clearTimeout(timer)
  }
}

test('20 seeds of faults, lost answers included, give the clean run results', async () => {
  const clean = await within(60_000, 'the clean run', runOnce('clean'))
  // The suite is what it says: two passes and a pass by argv, two failures with their output.
  expect(clean.counts).toEqual({
    jobs: 5,
    tests: 5,
    passed: 3,
    failed: 2,
    flaky: 0,
    skipped: 0,
    errored: 0,
    exitCode: 1
  })
  expect(JSON.stringify(clean.tests['prints'])).toContain('line 3')

  const before = emu.counters()
  for (let seed = first; seed < first + seeds; seed++) {
    const faulted = await within(60_000, `seed ${seed}`, runOnce(`seed${seed}`, faultsOf(seed)))
    expect({ seed, ...faulted }).toEqual({ seed, ...clean })
  }
  // Faults of every kind were injected, on the service and on the blobs.
  const after = emu.counters()
  const injected = (key: string): number => (after[key] ?? 0) - (before[key] ?? 0)
  const sum = (...keys: string[]): number => keys.reduce((n, k) => n + injected(k), 0)
  expect(sum('fault:twirp:429', 'fault:blob:503')).toBeGreaterThan(0)
  expect(sum('fault:twirp:500', 'fault:blob:500')).toBeGreaterThan(0)
  expect(sum('fault:twirp:drop', 'fault:blob:drop')).toBeGreaterThan(0)
  expect(sum('fault:twirp:lost-drop', 'fault:twirp:lost-500')).toBeGreaterThan(0)
  expect(sum('fault:blob:lost-drop', 'fault:blob:lost-500')).toBeGreaterThan(0)
  // Lost answers hit the writes this test is about.
  expect(
    sum('fault:twirp:CreateArtifact:lost', 'fault:twirp:FinalizeArtifact:lost')
  ).toBeGreaterThan(0)
  expect(sum('fault:blob:AppendBlock:lost')).toBeGreaterThan(0)
}, 300_000)
