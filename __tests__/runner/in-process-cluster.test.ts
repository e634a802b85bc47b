/**
 * runSuite against the real broker and real workers in this process (in-memory transport),
 * running real shell commands: every outcome of the commands framework end to end.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Broker } from '../../src/broker/broker.js'
import { commandsFramework } from '../../src/frameworks/commands/commands.js'
import type { RunEvent, TestOutcome } from '../../src/runner/events.js'
import { runSuite } from '../../src/runner/runner.js'
import { MemoryTransport } from '../../src/transport/memory.js'
import { runWorker, type WorkerExit } from '../../src/worker/worker.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'squall-cluster-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

test('pass, fail, timeout, flaky, argv and env through a real broker and workers', async () => {
  const flag = join(dir, 'flaky-once')
  const jobsFile = join(dir, 'jobs.json')
  writeFileSync(
    jobsFile,
    JSON.stringify([
      { name: 'passes', command: 'echo all good' },
      { name: 'fails', command: "echo 'expected 2, got 3' >&2; exit 1" },
      { name: 'times out', command: 'sleep 30', timeout: 1 },
      {
        name: 'flaky',
        command: `if [ -f '${flag}' ]; then echo second; else touch '${flag}'; exit 1; fi`
      },
      { name: 'argv', argv: ['node', '-e', 'process.exit(0)'] },
      { name: 'env', command: 'test "$GREETING" = hello', env: { GREETING: 'hello' } }
    ])
  )
  const transport = new MemoryTransport()
  const listener = await transport.listen('broker')
  const broker = new Broker({ listener, clusterId: 'test', heartbeatMs: 5000, tickMs: 100 })
  broker.start()
  const workers: Promise<WorkerExit>[] = ['w1', 'w2'].map(id =>
    runWorker({
      id,
      slots: 2,
      labels: [],
      connect: () => transport.connect('broker'),
      context: {
        workDir: dir,
        jobsRoot: join(dir, `jobs-${id}`),
        outputCapBytes: 64 * 1024,
        killGraceMs: 500
      }
    })
  )
  const events: RunEvent[] = []
  try {
    const summary = await runSuite({
      connect: () => transport.connect('broker'),
      framework: commandsFramework,
      cwd: dir,
      args: [],
      jobsFile,
      timeoutMs: 30_000,
      slots: 4,
      retries: 1,
      failOnFlaky: false,
      onEvent: event => events.push(event)
    })
    const tests = events.flatMap(e => (e.type === 'test-finished' ? [e.test] : []))
    expect(Object.fromEntries(tests.map(t => [t.name, t.outcome]))).toEqual({
      passes: 'passed',
      fails: 'failed',
      'times out': 'timed-out',
      flaky: 'flaky',
      argv: 'passed',
      env: 'passed'
    })
    expect(summary).toMatchObject({
      jobs: 6,
      tests: 6,
      passed: 3,
      failed: 1,
      flaky: 1,
      errored: 1,
      exitCode: 1
    })
    const fails = tests.find(t => t.name === 'fails') as TestOutcome
    expect(fails.attempts).toHaveLength(2)
    expect(fails.attempts[0]?.message).toBe('exit code 1: expected 2, got 3')
    // Retries went to the other worker.
    expect(fails.attempts[0]?.worker).not.toBe(fails.attempts[1]?.worker)
    expect(summary.workers.map(w => w.id)).toEqual(['w1', 'w2'])
    const history = JSON.parse(readFileSync(join(dir, '.squall', 'timings.json'), 'utf8')) as {
      items: Record<string, { failed: boolean }>
      startup: Record<string, { runMs?: number[] }>
    }
    // The run's time outside its jobs (listing, planning, reports): one sample, within the run.
    const runMs = history.startup.commands?.runMs ?? []
    expect(runMs).toHaveLength(1)
    expect(runMs[0]).toBeGreaterThanOrEqual(0)
    expect(runMs[0]).toBeLessThan(summary.durationMs)
    expect(Object.keys(history.items).sort()).toEqual([
      'argv',
      'env',
      'fails',
      'flaky',
      'passes',
      'times-out'
    ])
    expect(history.items.flaky?.failed).toBe(true)
    expect(history.items.passes?.failed).toBe(false)
    // Done reaches the workers: they exit 0.
    expect((await Promise.all(workers)).map(w => w.code)).toEqual([0, 0])
  } finally {
    await broker.stop('test over')
    await Promise.all(workers)
  }
}, 60_000)
