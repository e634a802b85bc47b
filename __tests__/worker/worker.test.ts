import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PROTOCOL_VERSION, type Message } from '../../src/protocol/messages.js'
import type { JobResult, JobSpec } from '../../src/protocol/types.js'
import type { Link } from '../../src/transport/link.js'
import { breakMemoryLink, createMemoryPair } from '../../src/transport/memory.js'
import type { executeJob } from '../../src/worker/executor.js'
import { runWorker, type WorkerExit, type WorkerOptions } from '../../src/worker/worker.js'
import { isAlive, killAll, tempDirs, waitUntil } from './process-helpers.js'

/** The broker's end of the link, played by the test. */
class FakeBroker {
  readonly inbox: Message[] = []
  closed = false
  constructor(readonly link: Link) {
    link.onMessage(m => this.inbox.push(m))
    link.onClose(() => (this.closed = true))
  }
  send(message: Message): void {
    this.link.send(message)
  }
  welcome(heartbeatMs = 10_000): void {
    this.send({ type: 'welcome', version: PROTOCOL_VERSION, clusterId: 'c1', heartbeatMs })
  }
  of<T extends Message['type']>(type: T): Extract<Message, { type: T }>[] {
    return this.inbox.filter((m): m is Extract<Message, { type: T }> => m.type === type)
  }
  results(): JobResult[] {
    return this.of('result').flatMap(m => m.results)
  }
  async waitFor(check: () => boolean, what: string): Promise<void> {
    await waitUntil(check, what)
  }
}

const runKey = (job: JobSpec): string => `${job.id}#${job.attempt}`

/** An executor whose jobs end when the test says (or when aborted). */
class FakeJobs {
  readonly started: JobSpec[] = []
  readonly running = new Map<string, (result: Partial<JobResult>) => void>()
  maxRunning = 0

  readonly execute: typeof executeJob = (job, ctx, signal) =>
    new Promise<JobResult>(resolve => {
      this.started.push(job)
      const end = (fields: Partial<JobResult>): void => {
        if (!this.running.delete(runKey(job))) return
        resolve({
          id: job.id,
          attempt: job.attempt,
          worker: ctx.workerId,
          status: 'passed',
          exitCode: 0,
          signal: null,
          durationMs: 1,
          startedAt: 1,
          stdout: { text: '', truncatedBytes: 0 },
          stderr: { text: '', truncatedBytes: 0 },
          ...fields
        })
      }
      this.running.set(runKey(job), end)
      this.maxRunning = Math.max(this.maxRunning, this.running.size)
      signal?.addEventListener('abort', () =>
        end({ status: 'cancelled', exitCode: null, message: `cancelled: ${String(signal.reason)}` })
      )
    })

  finish(id: string, fields: Partial<JobResult> = {}): void {
    const end = this.running.get(`${id}#1`)
    if (!end) throw new Error(`job ${id} is not running`)
    end(fields)
  }
}

function job(id: string, fields: Partial<JobSpec> = {}): JobSpec {
  return {
    id,
    name: id,
    command: 'true',
    timeoutMs: 10_000,
    labels: [],
    attempt: 1,
    layers: [],
    ...fields
  }
}

function start(options: Partial<WorkerOptions> = {}): {
  broker: FakeBroker
  jobs: FakeJobs
  exit: Promise<WorkerExit>
} {
  const [workerEnd, brokerEnd] = createMemoryPair('memory:worker', 'memory:broker')
  const broker = new FakeBroker(brokerEnd)
  const jobs = new FakeJobs()
  const exit = runWorker({
    id: 'w1',
    slots: 2,
    labels: ['linux'],
    connect: async () => workerEnd,
    execute: jobs.execute,
    context: { jobsRoot: '/nonexistent/squall-jobs', outputCapBytes: 1024, killGraceMs: 100 },
    ...options
  })
  return { broker, jobs, exit }
}

describe('runWorker: joining', () => {
  test('says hello with its id, slots and labels (its platform added); shutdown ends it with 0', async () => {
    const { broker, exit } = start({ slots: 3, platform: { os: 'linux', arch: 'arm64' } })
    await broker.waitFor(() => broker.of('hello').length === 1, 'hello')
    expect(broker.of('hello')[0]).toEqual({
      type: 'hello',
      version: PROTOCOL_VERSION,
      role: 'worker',
      id: 'w1',
      slots: 3,
      labels: ['linux', 'os:linux', 'arch:arm64']
    })
    broker.welcome()
    broker.send({ type: 'shutdown', reason: 'the run is over' })
    expect(await exit).toEqual({ code: 0, reason: 'the run is over' })
    await broker.waitFor(() => broker.closed, 'the link to close')
  })

  test('an error instead of a welcome ends it with 3 and the broker message', async () => {
    const { broker, exit } = start()
    broker.send({ type: 'error', code: 'duplicate-id', message: 'worker id w1 is taken' })
    const result = await exit
    expect(result.code).toBe(3)
    expect(result.reason).toContain('worker id w1 is taken')
  })

  test('an error after the welcome is reported and the worker carries on', async () => {
    const { broker, exit } = start()
    broker.welcome()
    broker.send({ type: 'error', code: 'unexpected', message: 'a worker may not send submit' })
    broker.send({ type: 'shutdown', reason: 'the run is over' })
    expect(await exit).toEqual({ code: 0, reason: 'the run is over' })
  })

  test('a message of another direction is logged naming it and ignored; the worker goes on', async () => {
    const logs: string[] = []
    const { broker, jobs, exit } = start({
      log: (level, message) => logs.push(`${level}: ${message}`)
    })
    broker.welcome()
    // Broker → runner messages, sent to this worker by mistake.
    broker.send({ type: 'result', results: [] })
    broker.send({ type: 'progress', events: [] })
    broker.send({ type: 'assign', jobs: [job('a')] })
    await broker.waitFor(() => jobs.started.length === 1, 'job a to start')
    expect(logs.filter(line => line.includes('does not travel'))).toEqual([
      expect.stringMatching(
        /^warning: .*'result' does not travel broker → worker: it travels broker → runner/
      ),
      expect.stringMatching(
        /^warning: .*'progress' does not travel broker → worker: it travels broker → runner/
      )
    ])
    broker.send({ type: 'shutdown', reason: 'the run is over' })
    expect((await exit).code).toBe(0)
  })

  test('a welcome of another protocol version ends it with 3', async () => {
    const { broker, exit } = start()
    broker.send({
      type: 'welcome',
      version: PROTOCOL_VERSION + 1,
      clusterId: 'c1',
      heartbeatMs: 1000
    })
    const result = await exit
    expect(result.code).toBe(3)
    expect(result.reason).toContain('protocol version mismatch')
  })

  test('no welcome in time ends it with 3 naming the wait', async () => {
    const { exit } = start({ helloTimeoutMs: 100 })
    const result = await exit
    expect(result.code).toBe(3)
    expect(result.reason).toContain('no welcome from the broker within 100 ms')
  })

  test('a failed connect ends it with 3', async () => {
    const result = await runWorker({
      id: 'w1',
      slots: 1,
      labels: [],
      connect: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:9')
      },
      context: { jobsRoot: '/nonexistent', outputCapBytes: 1024, killGraceMs: 100 }
    })
    expect(result.code).toBe(3)
    expect(result.reason).toContain('ECONNREFUSED')
  })
})

describe('runWorker: running jobs', () => {
  test('never runs more than its slots, starts in arrival order, reports every result', async () => {
    const { broker, jobs, exit } = start({ slots: 2 })
    broker.welcome()
    broker.send({ type: 'assign', jobs: [job('a'), job('b'), job('c')] })
    broker.send({ type: 'assign', jobs: [job('d'), job('e')] })
    await waitUntil(() => jobs.running.size === 2, 'two jobs running')
    expect(jobs.started.map(j => j.id)).toEqual(['a', 'b'])
    for (const id of ['b', 'a', 'c', 'd', 'e']) {
      await waitUntil(() => jobs.running.has(`${id}#1`), `${id} to run`)
      jobs.finish(id)
    }
    await broker.waitFor(() => broker.results().length === 5, 'five results')
    expect(jobs.started.map(j => j.id)).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(jobs.maxRunning).toBe(2)
    const started = broker.of('progress').flatMap(m => m.events)
    expect(started.map(e => (e.kind === 'started' ? e.job.id : e.kind))).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e'
    ])
    expect(started.every(e => e.kind === 'started' && e.worker === 'w1')).toBe(true)
    broker.send({ type: 'shutdown', reason: 'done' })
    expect((await exit).code).toBe(0)
  })

  test('results that finish together go out in one message', async () => {
    const { broker, jobs, exit } = start({ slots: 3 })
    broker.welcome()
    broker.send({ type: 'assign', jobs: [job('a'), job('b'), job('c')] })
    await waitUntil(() => jobs.running.size === 3, 'three jobs running')
    jobs.finish('a')
    jobs.finish('b', { status: 'failed', exitCode: 1 })
    jobs.finish('c')
    await broker.waitFor(() => broker.results().length === 3, 'three results')
    expect(broker.of('result')).toHaveLength(1)
    expect(broker.results().map(r => [r.id, r.status, r.worker])).toEqual([
      ['a', 'passed', 'w1'],
      ['b', 'failed', 'w1'],
      ['c', 'passed', 'w1']
    ])
    broker.send({ type: 'shutdown', reason: 'done' })
    await exit
  })

  test('an executor that throws gives an error result, and the worker goes on', async () => {
    const { broker, exit } = start({
      slots: 1,
      execute: async () => {
        throw new Error('disk full')
      }
    })
    broker.welcome()
    broker.send({ type: 'assign', jobs: [job('a'), job('b')] })
    await broker.waitFor(() => broker.results().length === 2, 'two results')
    expect(broker.results().map(r => r.status)).toEqual(['error', 'error'])
    expect(broker.results()[0]?.message).toContain('disk full')
    broker.send({ type: 'shutdown', reason: 'done' })
    await exit
  })

  test('a repeated assignment of the same attempt runs once', async () => {
    const { broker, jobs, exit } = start({ slots: 2 })
    broker.welcome()
    broker.send({ type: 'assign', jobs: [job('a')] })
    broker.send({ type: 'assign', jobs: [job('a'), job('a', { attempt: 2 })] })
    await waitUntil(() => jobs.started.length === 2, 'two starts')
    expect(jobs.started.map(j => [j.id, j.attempt])).toEqual([
      ['a', 1],
      ['a', 2]
    ])
    broker.send({ type: 'shutdown', reason: 'done' })
    await exit
  })
})

describe('runWorker: cancel and shutdown', () => {
  test('cancel stops a running attempt and drops a queued one, each with a result', async () => {
    const { broker, jobs, exit } = start({ slots: 1 })
    broker.welcome()
    broker.send({ type: 'assign', jobs: [job('run'), job('queued'), job('next')] })
    await waitUntil(() => jobs.running.has('run#1'), 'the first job to run')
    broker.send({
      type: 'cancel',
      jobs: [
        { id: 'queued', attempt: 1 },
        { id: 'run', attempt: 1 }
      ],
      reason: 'withdrawn by the runner'
    })
    await broker.waitFor(() => broker.results().length === 2, 'two results')
    const byId = new Map(broker.results().map(r => [r.id, r]))
    expect(byId.get('run')?.status).toBe('cancelled')
    expect(byId.get('run')?.message).toContain('withdrawn by the runner')
    expect(byId.get('queued')?.status).toBe('cancelled')
    expect(byId.get('queued')?.message).toContain('before it started')
    await waitUntil(() => jobs.running.has('next#1'), 'the next job to run')
    expect(jobs.started.map(j => j.id)).toEqual(['run', 'next'])
    broker.send({ type: 'shutdown', reason: 'done' })
    await exit
  })

  test('shutdown stops running jobs, sends their results and exits 0', async () => {
    const { broker, jobs, exit } = start({ slots: 1 })
    broker.welcome()
    broker.send({ type: 'assign', jobs: [job('a'), job('b')] })
    await waitUntil(() => jobs.running.has('a#1'), 'a to run')
    broker.send({ type: 'shutdown', reason: 'the runner is done' })
    expect(await exit).toEqual({ code: 0, reason: 'the runner is done' })
    expect(broker.results().map(r => [r.id, r.status])).toEqual([['a', 'cancelled']])
    expect(broker.of('release').flatMap(m => m.jobs)).toEqual([{ id: 'b', attempt: 1 }])
    expect(jobs.started.map(j => j.id)).toEqual(['a'])
    await broker.waitFor(() => broker.closed, 'the link to close')
  })
})

describe('runWorker: losing the broker', () => {
  test('a broken link kills running jobs and exits 3', async () => {
    const { broker, jobs, exit } = start({ slots: 1 })
    broker.welcome()
    broker.send({ type: 'assign', jobs: [job('a')] })
    await waitUntil(() => jobs.running.has('a#1'), 'a to run')
    breakMemoryLink(broker.link, new Error('connection reset by peer'))
    const result = await exit
    expect(result.code).toBe(3)
    expect(result.reason).toContain('broker lost')
    expect(result.reason).toContain('connection reset by peer')
    expect(jobs.running.size).toBe(0)
  })

  test('a link closed without shutdown exits 3', async () => {
    const { broker, exit } = start()
    broker.welcome()
    await broker.link.close()
    const result = await exit
    expect(result.code).toBe(3)
    expect(result.reason).toContain('broker lost')
  })

  test('a silent broker is lost; the worker heartbeats meanwhile', async () => {
    const { broker, exit } = start()
    broker.welcome(300)
    // Answer until the worker has heartbeated twice, then fall silent.
    const answer = setInterval(() => broker.send({ type: 'heartbeat', at: Date.now() }), 30)
    await broker.waitFor(() => broker.of('heartbeat').length >= 2, 'two heartbeats')
    clearInterval(answer)
    const result = await exit
    expect(result.code).toBe(3)
    expect(result.reason).toContain('broker lost')
    expect(result.reason).toContain('no message for')
  })
})

describe('runWorker: deadline', () => {
  test('jobs that cannot finish before the deadline are released, then it exits 0', async () => {
    const { broker, jobs, exit } = start({ slots: 1, deadline: Date.now() + 120_000 })
    broker.welcome()
    // 'short' fits (30 s margin); 'long' would need 10 min.
    broker.send({
      type: 'assign',
      jobs: [job('short', { timeoutMs: 5_000 }), job('long', { timeoutMs: 3_600_000 })]
    })
    await broker.waitFor(() => broker.of('release').length === 1, 'a release')
    expect(broker.of('release')[0]?.jobs).toEqual([{ id: 'long', attempt: 1 }])
    // Work assigned while draining goes straight back.
    broker.send({ type: 'assign', jobs: [job('late')] })
    await broker.waitFor(() => broker.of('release').length === 2, 'a second release')
    expect(broker.of('release')[1]?.jobs).toEqual([{ id: 'late', attempt: 1 }])
    expect(jobs.started.map(j => j.id)).toEqual(['short'])
    jobs.finish('short')
    const result = await exit
    expect(result.code).toBe(0)
    expect(result.reason).toContain('drained before the deadline')
    expect(broker.results().map(r => r.id)).toEqual(['short'])
  })

  test('jobs still running at the deadline are stopped and reported cancelled', async () => {
    const { broker, jobs, exit } = start({
      slots: 1,
      deadline: Date.now() + 300,
      deadlineMarginMs: 0
    })
    broker.welcome()
    broker.send({ type: 'assign', jobs: [job('a')] })
    const result = await exit
    expect(result.code).toBe(0)
    expect(result.reason).toContain('drained before the deadline')
    expect(jobs.started.map(j => j.id)).toEqual(['a'])
    const [reported] = broker.results()
    expect(reported?.status).toBe('cancelled')
    expect(reported?.message).toContain('deadline')
  })

  test('with no time left for any job, it exits 0 at once', async () => {
    const { broker, exit } = start({ deadline: Date.now() + 1000 })
    broker.welcome()
    const result = await exit
    expect(result.code).toBe(0)
    expect(result.reason).toContain('drained before the deadline')
  })
})

describe('runWorker with real processes', () => {
  const dirs = tempDirs('squall-worker-')
  afterAll(() => dirs.cleanup())

  test('a shutdown leaves no job process behind', async () => {
    const workDir = dirs.make()
    const { executeJob } = await import('../../src/worker/executor.js')
    const { broker, exit } = start({
      slots: 1,
      execute: executeJob,
      context: { workDir, jobsRoot: join(workDir, '.jobs'), outputCapBytes: 4096, killGraceMs: 500 }
    })
    broker.welcome()
    broker.send({
      type: 'assign',
      jobs: [job('sleepy', { command: 'sleep 60 & echo $! > pid; wait' })]
    })
    const pidFile = join(workDir, 'pid')
    await waitUntil(() => readPid(pidFile) !== undefined, 'the job to write its pid')
    const pid = readPid(pidFile) as number
    try {
      broker.send({ type: 'shutdown', reason: 'the run is over' })
      expect((await exit).code).toBe(0)
      expect(broker.results().map(r => [r.id, r.status])).toEqual([['sleepy', 'cancelled']])
      await waitUntil(() => !isAlive(pid), `background sleep ${pid} to die`)
    } finally {
      killAll([pid])
    }
  })
  test('a shutdown ends the warm sessions too', async () => {
    const workDir = dirs.make()
    const { executeJob } = await import('../../src/worker/executor.js')
    const { SessionPool } = await import('../../src/worker/session/pool.js')
    const sessions = new SessionPool({ capacity: 1, killGraceMs: 500 })
    const { broker, exit } = start({
      slots: 1,
      execute: executeJob,
      context: {
        workDir,
        jobsRoot: join(workDir, '.jobs'),
        outputCapBytes: 4096,
        killGraceMs: 500,
        sessions
      }
    })
    broker.welcome()
    const fakeHost = join(process.cwd(), '__tests__/fixtures/session-host/fake-host.mjs')
    broker.send({
      type: 'assign',
      jobs: [
        job('warm', {
          session: {
            key: 'fake',
            argv: [process.execPath, fakeHost],
            request: { cases: [{ id: 'a', status: 'passed' }] }
          }
        })
      ]
    })
    await waitUntil(() => broker.results().length === 1, 'the warm job to finish')
    expect(broker.results().map(r => [r.id, r.status])).toEqual([['warm', 'passed']])
    const [pid] = sessions.pids() as [number]
    try {
      expect(isAlive(pid)).toBe(true)
      broker.send({ type: 'shutdown', reason: 'the run is over' })
      expect((await exit).code).toBe(0)
      expect(isAlive(pid)).toBe(false)
    } finally {
      killAll([pid])
    }
  })
})

function readPid(file: string): number | undefined {
  try {
    const text = readFileSync(file, 'utf8').trim()
    return /^\d+$/.test(text) ? Number(text) : undefined
  } catch {
    return undefined
  }
}
