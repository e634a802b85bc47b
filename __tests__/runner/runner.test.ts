/**
 * runSuite over the in-memory transport against a scripted broker: the whole runner loop
 * (list, history, plan, submit, progress, results, retries, outcomes, history saved) without
 * processes.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClusterError, InterruptedError, UsageError } from '../../src/errors.js'
import { commandsFramework } from '../../src/frameworks/commands/commands.js'
import type { Framework, TestItem } from '../../src/frameworks/core/framework.js'
import type { RunEvent } from '../../src/runner/events.js'
import { runSuite, type RunOptions } from '../../src/runner/runner.js'
import { FakeBroker, type FakeBrokerOptions } from './fake-broker.js'
import { testCase } from './build.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'squall-runner-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function jobsFile(jobs: unknown[]): string {
  const path = join(dir, 'jobs.json')
  writeFileSync(path, JSON.stringify(jobs))
  return path
}

const three = [
  { name: 'one', command: 'true' },
  { name: 'two', command: 'true' },
  { name: 'three', argv: ['true'] }
]

function setup(
  broker: FakeBrokerOptions = {},
  overrides: Partial<RunOptions> = {}
): { broker: FakeBroker; events: RunEvent[]; options: RunOptions } {
  const fake = new FakeBroker(broker)
  const events: RunEvent[] = []
  let clock = 1000
  const options: RunOptions = {
    connect: fake.connect,
    framework: commandsFramework,
    cwd: dir,
    args: [],
    jobsFile: overrides.jobsFile ?? jobsFile(three),
    timeoutMs: 30_000,
    slots: 4,
    retries: 0,
    failOnFlaky: false,
    runnerId: 'runner-test',
    onEvent: event => events.push(event),
    now: () => (clock += 10),
    ...overrides
  }
  return { broker: fake, events, options }
}

const types = (events: RunEvent[]): string[] => events.map(e => e.type)

test('a passing suite: events in order, done sent, history saved', async () => {
  const { broker, events, options } = setup()
  const summary = await runSuite(options)
  expect(summary).toMatchObject({ jobs: 3, tests: 3, passed: 3, failed: 0, flaky: 0, exitCode: 0 })
  expect(summary.workers.map(w => w.id)).toEqual(['w1', 'w2'])
  expect(summary.workers.reduce((n, w) => n + w.jobs, 0)).toBe(3)

  const order = types(events)
  expect(order.slice(0, 2)).toEqual(['run-started', 'jobs-planned'])
  expect(order.filter(t => t === 'worker-joined')).toHaveLength(2)
  expect(order.filter(t => t === 'job-started')).toHaveLength(3)
  expect(order.filter(t => t === 'job-finished')).toHaveLength(3)
  expect(order.slice(-4)).toEqual([
    'test-finished',
    'test-finished',
    'test-finished',
    'run-finished'
  ])
  expect(events[0]).toMatchObject({ type: 'run-started', framework: 'commands', jobs: 3, tests: 3 })

  expect(broker.received[0]).toEqual({
    type: 'hello',
    version: 2,
    role: 'runner',
    id: 'runner-test'
  })
  expect(broker.received.filter(m => m.type === 'submit')).toHaveLength(1)
  expect(broker.received.at(-1)).toEqual({ type: 'done' })

  const history = JSON.parse(readFileSync(join(dir, '.squall', 'timings.json'), 'utf8')) as {
    items: Record<string, { samples: number[]; failed: boolean }>
  }
  expect(history.items).toEqual({
    one: { samples: [40], failed: false },
    two: { samples: [40], failed: false },
    three: { samples: [40], failed: false }
  })
})

test('history from the last run reaches the next plan', async () => {
  await runSuite(setup().options)
  const { events, options } = setup()
  await runSuite(options)
  const planned = events.find(e => e.type === 'jobs-planned')
  expect(planned?.type === 'jobs-planned' && planned.jobs.map(j => j.expectedMs)).toEqual([
    40, 40, 40
  ])
})

test('fail then pass on retry is flaky; the retry avoids the first worker', async () => {
  const script = (job: { id: string; attempt: number }) =>
    job.id === 'two' && job.attempt === 1 ? { status: 'failed' as const, worker: 'w1' } : {}
  const { broker, events, options } = setup({ script }, { retries: 1 })
  const summary = await runSuite(options)
  expect(summary).toMatchObject({ tests: 3, passed: 2, flaky: 1, failed: 0, exitCode: 0 })

  const retry = broker.submitted().find(j => j.attempt === 2)
  expect(retry).toMatchObject({ id: 'two', attempt: 2, avoidWorkers: ['w1'], failedBefore: true })
  const finished = events.filter(e => e.type === 'job-finished')
  expect(
    finished.map(e => e.type === 'job-finished' && [e.job.id, e.result.attempt, e.retry])
  ).toEqual([
    ['one', 1, false],
    ['two', 1, true],
    ['three', 1, false],
    ['two', 2, false]
  ])
  const test = events.find(e => e.type === 'test-finished' && e.test.id === 'two')
  expect(test?.type === 'test-finished' && test.test.outcome).toBe('flaky')
  // A flaky item is scheduled early next time.
  const history = JSON.parse(readFileSync(join(dir, '.squall', 'timings.json'), 'utf8')) as {
    items: Record<string, { failed: boolean }>
  }
  expect(history.items.two?.failed).toBe(true)
})

test('failOnFlaky turns a flaky run into exit 1', async () => {
  const script = (job: { id: string; attempt: number }) =>
    job.id === 'one' && job.attempt === 1 ? { status: 'failed' as const } : {}
  const { options } = setup({ script }, { retries: 1, failOnFlaky: true })
  expect((await runSuite(options)).exitCode).toBe(1)
})

test('a failure with no retries left fails the run with exit 1', async () => {
  const script = (job: { id: string }) =>
    job.id === 'three' ? { status: 'timed-out' as const } : {}
  const { broker, options } = setup({ script }, { retries: 0 })
  const summary = await runSuite(options)
  expect(summary).toMatchObject({ passed: 2, errored: 1, exitCode: 1 })
  expect(broker.submitted()).toHaveLength(3)
})

test('duplicate results are ignored', async () => {
  const { events, options } = setup({ duplicate: true })
  const summary = await runSuite(options)
  expect(summary.tests).toBe(3)
  expect(events.filter(e => e.type === 'job-finished')).toHaveLength(3)
})

test('a link lost mid-run is a ClusterError; the summary keeps what finished, no pass is faked', async () => {
  const script = (job: { id: string }) => (job.id === 'three' ? ('break' as const) : {})
  const { events, options } = setup({ script })
  const run = runSuite(options)
  await expect(run).rejects.toThrow(ClusterError)
  await expect(run).rejects.toThrow(/^lost the broker: connection reset by peer$/)
  // The reports still get the run: finished results kept, the rest not run, marked incomplete.
  const finished = events.find(e => e.type === 'run-finished')
  if (finished?.type !== 'run-finished') throw new Error('no run-finished event')
  expect(finished.summary).toMatchObject({
    incomplete: 'lost the broker: connection reset by peer',
    exitCode: 3,
    passed: 2,
    errored: 1
  })
  const outcomes = Object.fromEntries(finished.tests.map(t => [t.id, t.outcome]))
  expect(outcomes).toEqual({ one: 'passed', two: 'passed', three: 'cancelled' })
  const three = finished.tests.find(t => t.id === 'three')
  expect(three?.attempts[0]?.message).toMatch(/^(not run|did not finish): lost the broker/)
  // An incomplete run leaves no timing history.
  expect(existsSync(join(dir, '.squall', 'timings.json'))).toBe(false)
})

test('a stop (Ctrl-C) ends the run with its reason after run-finished, every open job not run', async () => {
  const stopper = new AbortController()
  const { broker, events, options } = setup(
    { script: job => (job.id === 'one' ? {} : 'silent') },
    {
      stop: stopper.signal,
      onEvent: event => {
        events.push(event)
        if (event.type === 'job-finished') stopper.abort(new InterruptedError('SIGINT'))
      }
    }
  )
  const run = runSuite(options)
  await expect(run).rejects.toBeInstanceOf(InterruptedError)
  const finished = events.find(e => e.type === 'run-finished')
  if (finished?.type !== 'run-finished') throw new Error('no run-finished event')
  expect(finished.summary).toMatchObject({ incomplete: 'interrupted by SIGINT', exitCode: 130 })
  expect(Object.fromEntries(finished.tests.map(t => [t.id, t.outcome]))).toEqual({
    one: 'passed',
    two: 'cancelled',
    three: 'cancelled'
  })
  expect(broker.received.map(m => m.type)).not.toContain('done')
})

test('a stop before the broker answers reports every planned job as not run', async () => {
  const stopper = new AbortController()
  stopper.abort(new InterruptedError('SIGTERM'))
  const { broker, events, options } = setup({}, { stop: stopper.signal })
  await expect(runSuite(options)).rejects.toThrow('interrupted by SIGTERM')
  expect(broker.connects).toBe(0)
  const finished = events.find(e => e.type === 'run-finished')
  if (finished?.type !== 'run-finished') throw new Error('no run-finished event')
  expect(finished.tests.map(t => t.outcome)).toEqual(['cancelled', 'cancelled', 'cancelled'])
  expect(finished.summary.exitCode).toBe(143)
})

test('a refusing broker is a ClusterError naming its reason', async () => {
  const { options } = setup({ refuse: true })
  await expect(runSuite(options)).rejects.toThrow(
    new ClusterError('the broker refused the runner: busy: another runner is attached')
  )
})

test('a broker that never answers the hello is a ClusterError', async () => {
  const { options } = setup({ mute: true }, { welcomeTimeoutMs: 200 })
  await expect(runSuite(options)).rejects.toThrow(/did not answer within 200 ms/)
})

test('a broker that heartbeats and then falls silent is lost; the runner sends heartbeats', async () => {
  const { broker, options } = setup(
    { heartbeatMs: 100, heartbeatOnce: true, script: () => 'silent' },
    // Real time here: silence is measured on the clock.
    { now: Date.now }
  )
  await expect(runSuite(options)).rejects.toThrow(/^lost the broker: silent for \d+ s$/)
  expect(broker.received.some(m => m.type === 'heartbeat')).toBe(true)
})

test('an unreachable broker is a ClusterError, after a report of every job not run', async () => {
  const { options } = setup(
    {},
    {
      connect: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:1')
      }
    }
  )
  await expect(runSuite(options)).rejects.toThrow(
    new ClusterError('cannot reach the broker: connect ECONNREFUSED 127.0.0.1:1')
  )
})

test('an unreachable broker still ends the event stream with every job not run', async () => {
  const { events, options } = setup(
    {},
    {
      connect: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:1')
      }
    }
  )
  await expect(runSuite(options)).rejects.toBeInstanceOf(ClusterError)
  const finished = events.find(e => e.type === 'run-finished')
  if (finished?.type !== 'run-finished') throw new Error('no run-finished event')
  expect(finished.summary.incomplete).toBe(
    'cannot reach the broker: connect ECONNREFUSED 127.0.0.1:1'
  )
  expect(finished.tests.map(t => [t.id, t.outcome, t.attempts[0]?.message])).toEqual(
    ['one', 'two', 'three'].map(id => [
      id,
      'cancelled',
      'not run: cannot reach the broker: connect ECONNREFUSED 127.0.0.1:1'
    ])
  )
})

test('a bad jobs file is a UsageError before connecting', async () => {
  const { broker, options } = setup({}, { jobsFile: jobsFile([{ name: 'broken' }]) })
  await expect(runSuite(options)).rejects.toThrow(UsageError)
  expect(broker.connects).toBe(0)
})

test('an empty suite is a UsageError naming the jobs file, before connecting', async () => {
  const path = jobsFile([])
  const { broker, options } = setup({}, { jobsFile: path })
  const run = runSuite(options)
  await expect(run).rejects.toBeInstanceOf(UsageError)
  await expect(run).rejects.toThrow(`found no tests in '${path}'`)
  await expect(run).rejects.toThrow('--pass-with-no-tests')
  expect(broker.connects).toBe(0)
})

test('with passWithNoTests an empty suite passes with a warning and still tells the broker it is done', async () => {
  const { broker, events, options } = setup({}, { jobsFile: jobsFile([]), passWithNoTests: true })
  const summary = await runSuite(options)
  expect(summary).toMatchObject({ jobs: 0, tests: 0, exitCode: 0 })
  expect(
    events.some(e => e.type === 'log' && e.level === 'warning' && /no tests/.test(e.message))
  ).toBe(true)
  expect(broker.received.map(m => m.type)).toEqual(['hello', 'done'])
})

test('a corrupt history file is a warning, then replaced', async () => {
  const path = join(dir, 'history.json')
  writeFileSync(path, '{"version": 1, "items": ')
  const { events, options } = setup({}, { timingsPath: path })
  expect((await runSuite(options)).exitCode).toBe(0)
  expect(
    events.some(e => e.type === 'log' && e.level === 'warning' && e.message.includes(path))
  ).toBe(true)
  expect(
    Object.keys((JSON.parse(readFileSync(path, 'utf8')) as { items: object }).items)
  ).toHaveLength(3)
})

test("timingsPath '' neither reads nor writes history", async () => {
  const { options } = setup({}, { timingsPath: '' })
  await runSuite(options)
  expect(existsSync(join(dir, '.squall'))).toBe(false)
})

test('per-case results: a failing case retried alone and then passing is flaky', async () => {
  // A framework that batches two files into one job and narrows retries to failing cases.
  const framework: Framework = {
    name: 'cases',
    list: async (): Promise<TestItem[]> => [
      { id: 'a.test', name: 'a.test' },
      { id: 'b.test', name: 'b.test' }
    ],
    plan: items => [
      {
        id: 'batch-1',
        name: 'batch 1',
        argv: ['run', ...items.map(i => i.id)],
        timeoutMs: 1000,
        labels: [],
        attempt: 1,
        layers: [],
        framework: { name: 'cases', tests: items.map(i => i.id) }
      }
    ],
    retryJob: (job, failed) => ({ ...job, argv: ['run', '--only', ...failed] })
  }
  const script = (job: { attempt: number; argv?: string[] }) =>
    job.attempt === 1
      ? {
          status: 'failed' as const,
          cases: [
            testCase('a.test::x', 'passed', { file: 'a.test' }),
            testCase('b.test::y', 'failed', { file: 'b.test' })
          ]
        }
      : { status: 'passed' as const, cases: [testCase('b.test::y', 'passed', { file: 'b.test' })] }
  const { broker, events, options } = setup({ script }, { framework, retries: 2 })
  const summary = await runSuite(options)
  expect(summary).toMatchObject({ jobs: 1, tests: 2, passed: 1, flaky: 1, exitCode: 0 })
  expect(broker.submitted().map(j => j.argv)).toEqual([
    ['run', 'a.test', 'b.test'],
    ['run', '--only', 'b.test::y']
  ])
  const finished = events
    .filter(e => e.type === 'test-finished')
    .map(e => e.type === 'test-finished' && [e.test.id, e.test.outcome])
  expect(finished).toEqual([
    ['a.test::x', 'passed'],
    ['b.test::y', 'flaky']
  ])
})

test('a crashed batch runs its unreported files one per job: the culprit alone is an error', async () => {
  const files = ['a.test', 'b.test', 'c.test', 'd.test']
  const framework: Framework = {
    name: 'cases',
    list: async (): Promise<TestItem[]> => files.map(id => ({ id, name: id })),
    plan: items => [
      {
        id: 'batch-1',
        name: 'batch 1',
        argv: ['run', ...items.map(i => i.id)],
        timeoutMs: 1000,
        labels: [],
        attempt: 1,
        layers: [],
        framework: { name: 'cases', tests: items.map(i => i.id) }
      }
    ],
    narrowToItems: (job, items) => ({
      ...job,
      name: `run ${items.join(' ')}`,
      argv: ['run', ...items],
      framework: { name: 'cases', tests: items }
    })
  }
  const passing = (file: string) => testCase(`${file}::t`, 'passed', { file })
  // b.test ends the process whenever it runs; a.test finished before it did.
  const script = (job: { id: string; argv?: string[] }) =>
    job.argv?.includes('b.test')
      ? {
          status: 'error' as const,
          message: 'session exited with code 1',
          stderr: { text: 'b: about to call process.exit(1)\n', truncatedBytes: 0 },
          cases: job.argv.includes('a.test') ? [passing('a.test')] : []
        }
      : { status: 'passed' as const, cases: (job.argv ?? []).slice(1).map(passing) }
  const { broker, events, options } = setup({ script }, { framework, retries: 1 })
  const summary = await runSuite(options)
  expect(summary).toMatchObject({ jobs: 1, tests: 4, passed: 3, errored: 1, exitCode: 1 })
  expect(broker.submitted().map(j => [j.id, j.attempt, j.argv])).toEqual([
    ['batch-1', 1, ['run', ...files]],
    ['batch-1~1', 2, ['run', 'b.test']],
    ['batch-1~2', 2, ['run', 'c.test']],
    ['batch-1~3', 2, ['run', 'd.test']]
  ])
  const split = events.find(e => e.type === 'job-finished' && e.job.id === 'batch-1')
  expect(split?.type === 'job-finished' && split.split?.map(j => j.id)).toEqual([
    'batch-1~1',
    'batch-1~2',
    'batch-1~3'
  ])
  expect(events.filter(e => e.type === 'job-finished')).toHaveLength(4)
  const finished = events.flatMap(e => (e.type === 'test-finished' ? [e.test] : []))
  expect(finished.map(t => [t.id, t.outcome])).toEqual([
    ['a.test::t', 'passed'],
    ['c.test::t', 'passed'],
    ['d.test::t', 'passed'],
    ['b.test', 'error']
  ])
  expect(finished[3]?.attempts.map(a => a.message)).toEqual([
    expect.stringContaining('b: about to call process.exit(1)'),
    expect.stringContaining('session exited with code 1')
  ])
  expect(broker.received.at(-1)).toEqual({ type: 'done' })
  // The split jobs' timings reach history under their items.
  const history = JSON.parse(readFileSync(join(dir, '.squall', 'timings.json'), 'utf8')) as {
    items: Record<string, { samples: number[]; failed: boolean }>
  }
  expect(history.items['c.test']?.samples).toEqual([40])
  expect(history.items['b.test']).toMatchObject({ failed: true })
})

test('waitForWorkers holds the submission until enough workers joined, then starts anyway', async () => {
  const enough = setup({ workers: ['w1', 'w2'] }, { waitForWorkers: 2, waitForWorkersMs: 60_000 })
  expect((await runSuite(enough.options)).exitCode).toBe(0)
  expect(enough.events.some(e => e.type === 'log' && e.level === 'warning')).toBe(false)

  const short = setup({ workers: ['w1', 'w2'] }, { waitForWorkers: 3, waitForWorkersMs: 200 })
  expect((await runSuite(short.options)).exitCode).toBe(0)
  const warning = short.events.find(e => e.type === 'log' && e.level === 'warning')
  expect(warning && warning.type === 'log' ? warning.message : '').toMatch(
    /2 of 3 workers joined within 200 ms/
  )
  expect(short.broker.submitted()).toHaveLength(3)
})

test('no "starting anyway" warning when every worker joined before the wait ran out', async () => {
  // The jobs outlast the wait: the wait's timer must not speak up in the middle of the run.
  const { events, options } = setup(
    { workers: ['w1', 'w2'], resultDelayMs: 150 },
    { waitForWorkers: 2, waitForWorkersMs: 30 }
  )
  expect((await runSuite(options)).exitCode).toBe(0)
  expect(events.filter(e => e.type === 'log' && e.level === 'warning')).toEqual([])
})

test('tests a framework leaves out on purpose reach the summary with their count', async () => {
  const framework: Framework = {
    ...commandsFramework,
    list: async options => {
      options.onLeftOut?.('benchmarks', 2)
      options.onLeftOut?.('benchmarks', 1)
      return commandsFramework.list(options)
    }
  }
  const { options } = setup({}, { framework })
  expect((await runSuite(options)).leftOut).toEqual({ benchmarks: 3 })
  const { options: plain } = setup()
  expect((await runSuite(plain)).leftOut).toBeUndefined()
})
