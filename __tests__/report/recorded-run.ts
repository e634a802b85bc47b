/**
 * A recorded run as the runner would emit it: three workers (one lost mid-run), five jobs of a
 * jest-like suite, and every outcome — passed, failed after a retry, flaky, skipped, timed out
 * and an error before any worker took the job. Output carries what reporters must clean up:
 * colours, a bell, XML metacharacters and an unpaired surrogate.
 */
import type { JobResult, JobSpec, TestCaseResult } from '../../src/protocol/types.js'
import type { RunEvent, RunSummary, TestOutcome } from '../../src/runner/events.js'

export const t0 = Date.UTC(2026, 0, 2, 3, 4, 5)

export const ioMessage = 'expected 2, got 3\n    at Object.<anonymous> (src/io.test.ts:12:5)'
export const ioOutput =
  'reading \u001b[31mred\u001b[0m file\u0007 bell\n<tag attr="v"> & \'apos\' \ud800 done'
export const slowOutput = Array.from({ length: 30 }, (_, i) => `slow line ${i + 1}`).join('\n')

function job(id: string, name: string, attempt = 1, tests?: string[]): JobSpec {
  return {
    id,
    name,
    command: `jest ${name}`,
    timeoutMs: 5000,
    labels: [],
    layers: [],
    attempt,
    ...(tests ? { framework: { name: 'jest', tests } } : {})
  }
}

function result(
  spec: JobSpec,
  worker: string,
  status: JobResult['status'],
  durationMs: number,
  extra: Partial<JobResult> = {}
): JobResult {
  return {
    id: spec.id,
    attempt: spec.attempt,
    worker,
    status,
    exitCode: status === 'passed' ? 0 : status === 'failed' ? 1 : null,
    signal: status === 'timed-out' ? 'SIGKILL' : null,
    durationMs,
    startedAt: worker === '' ? 0 : t0 + 1000,
    stdout: { text: '', truncatedBytes: 0 },
    stderr: { text: '', truncatedBytes: 0 },
    ...extra
  }
}

const testCase = (
  id: string,
  name: string,
  suite: string,
  line: number,
  status: TestCaseResult['status'],
  durationMs: number,
  extra: Partial<TestCaseResult> = {}
): TestCaseResult => ({
  id,
  name,
  suite,
  file: `src/${suite}.test.ts`,
  line,
  status,
  durationMs,
  ...extra
})

const adds = testCase('math::adds', 'adds', 'math', 3, 'passed', 120)
const subtracts = testCase('math::subtracts', 'subtracts', 'math', 7, 'passed', 80)
const divides = testCase('math::divides', 'divides', 'math', 11, 'skipped', 0, { message: 'todo' })
const reads1 = testCase('io::reads', 'reads <file> & "quotes"', 'io', 12, 'failed', 300, {
  message: ioMessage,
  output: ioOutput
})
const reads2 = { ...reads1, durationMs: 310 }
const writes = testCase('io::writes', 'writes', 'io', 20, 'passed', 40)
const connects1 = testCase('net::connects', 'connects', 'net', 5, 'failed', 900, {
  message: 'ECONNRESET',
  output: 'socket hang up'
})
const connects2 = testCase('net::connects', 'connects', 'net', 5, 'passed', 850)

const math = job('j-math', 'src/math.test.ts', 1, [
  'math::adds',
  'math::subtracts',
  'math::divides'
])
const io1 = job('j-io', 'src/io.test.ts', 1, ['io::reads', 'io::writes'])
const io2 = job('j-io', 'src/io.test.ts', 2, ['io::reads'])
const net1 = job('j-net', 'src/net.test.ts', 1, ['net::connects'])
const net2 = job('j-net', 'src/net.test.ts', 2, ['net::connects'])
const slow = job('j-slow', 'src/slow.test.ts')
const boom = job('j-boom', 'src/boom.test.ts')

export const tests: TestOutcome[] = [
  outcome(adds, 'passed', [['w-1', adds]]),
  outcome(subtracts, 'passed', [['w-1', subtracts]]),
  outcome(divides, 'skipped', [['w-1', divides]]),
  outcome(reads2, 'failed', [
    ['w-2', reads1],
    ['w-1', reads2]
  ]),
  outcome(writes, 'passed', [['w-2', writes]]),
  outcome(connects2, 'flaky', [
    ['w-1', connects1],
    ['w-2', connects2]
  ]),
  {
    id: 'j-slow',
    name: 'src/slow.test.ts',
    outcome: 'timed-out',
    durationMs: 5000,
    attempts: [
      {
        attempt: 1,
        worker: 'w-2',
        status: 'timed-out',
        durationMs: 5000,
        message: 'timed out after 5.0s',
        output: slowOutput
      }
    ]
  },
  {
    id: 'j-boom',
    name: 'src/boom.test.ts',
    outcome: 'error',
    durationMs: 0,
    attempts: [
      {
        attempt: 1,
        worker: '',
        status: 'error',
        durationMs: 0,
        message: 'could not start: spawn jest ENOENT'
      }
    ]
  }
]

function outcome(
  last: TestCaseResult,
  value: TestOutcome['outcome'],
  attempts: [string, TestCaseResult][]
): TestOutcome {
  return {
    id: last.id,
    name: last.name,
    suite: last.suite,
    file: last.file,
    line: last.line,
    outcome: value,
    durationMs: last.durationMs,
    attempts: attempts.map(([worker, c], i) => ({
      attempt: i + 1,
      worker,
      status: c.status,
      durationMs: c.durationMs,
      ...(c.message ? { message: c.message } : {}),
      ...(c.output ? { output: c.output } : {})
    }))
  }
}

const count = (...outcomes: string[]): number =>
  tests.filter(t => outcomes.includes(t.outcome)).length

export const summary: RunSummary = {
  startedAt: t0,
  durationMs: 42_100,
  jobs: 5,
  tests: tests.length,
  passed: count('passed'),
  failed: count('failed'),
  flaky: count('flaky'),
  skipped: count('skipped'),
  errored: count('timed-out', 'error', 'cancelled'),
  exitCode: 1,
  workers: [
    { id: 'w-1', jobs: 3, busyMs: 1400, slots: 2 },
    { id: 'w-2', jobs: 3, busyMs: 6500, slots: 1 },
    { id: 'w-3', jobs: 0, busyMs: 0, slots: 1 }
  ]
}

/** Every job-finished event, in order: what per-attempt reporters must list. */
export const attempts: { job: JobSpec; result: JobResult; retry: boolean }[] = [
  {
    job: math,
    result: result(math, 'w-1', 'passed', 260, { cases: [adds, subtracts, divides] }),
    retry: false
  },
  {
    job: io1,
    result: result(io1, 'w-2', 'failed', 400, {
      cases: [reads1, writes],
      stderr: { text: ioOutput, truncatedBytes: 0 }
    }),
    retry: true
  },
  { job: net1, result: result(net1, 'w-1', 'failed', 950, { cases: [connects1] }), retry: true },
  { job: io2, result: result(io2, 'w-1', 'failed', 330, { cases: [reads2] }), retry: false },
  { job: net2, result: result(net2, 'w-2', 'passed', 870, { cases: [connects2] }), retry: false },
  {
    job: slow,
    result: result(slow, 'w-2', 'timed-out', 5000, {
      message: 'timed out after 5.0s',
      stdout: { text: slowOutput, truncatedBytes: 0 }
    }),
    retry: false
  },
  {
    job: boom,
    result: result(boom, '', 'error', 0, { message: 'could not start: spawn jest ENOENT' }),
    retry: false
  }
]

/** The whole recording, in emission order. */
export function recordedRun(): RunEvent[] {
  const at = (s: number): number => t0 + s * 1000
  const finished = (i: number, s: number): RunEvent => ({
    type: 'job-finished',
    at: at(s),
    ...(attempts[i] as (typeof attempts)[number])
  })
  const testDone = (i: number, s: number): RunEvent => ({
    type: 'test-finished',
    at: at(s),
    test: tests[i] as TestOutcome
  })
  return [
    { type: 'run-started', at: at(0), framework: 'jest', jobs: 5, tests: 8 },
    { type: 'jobs-planned', at: at(0), jobs: [math, io1, net1, slow, boom] },
    { type: 'worker-joined', at: at(1), worker: 'w-1', slots: 2, labels: [] },
    { type: 'worker-joined', at: at(1), worker: 'w-2', slots: 1, labels: ['linux', 'gpu'] },
    { type: 'worker-joined', at: at(1), worker: 'w-3', slots: 1, labels: [] },
    { type: 'job-started', at: at(2), job: slow, worker: 'w-3' },
    { type: 'job-started', at: at(2), job: math, worker: 'w-1' },
    { type: 'job-started', at: at(2), job: io1, worker: 'w-2' },
    { type: 'job-started', at: at(2), job: net1, worker: 'w-1' },
    finished(0, 3),
    testDone(0, 3),
    testDone(1, 3),
    testDone(2, 3),
    { type: 'worker-left', at: at(4), worker: 'w-3', reason: 'no heartbeat for 30s' },
    { type: 'job-requeued', at: at(4), job: slow, worker: 'w-3', reason: 'worker w-3 left' },
    finished(1, 5),
    testDone(4, 5),
    { type: 'log', at: at(5), level: 'info', message: 'retrying src/io.test.ts (1 failed test)' },
    { type: 'log', at: at(5), level: 'debug', message: 'queue depth 3' },
    { type: 'job-started', at: at(5), job: io2, worker: 'w-1' },
    finished(2, 6),
    { type: 'job-started', at: at(6), job: net2, worker: 'w-2' },
    finished(3, 7),
    testDone(3, 7),
    finished(4, 8),
    testDone(5, 8),
    finished(6, 8),
    testDone(7, 8),
    { type: 'job-started', at: at(9), job: slow, worker: 'w-2' },
    finished(5, 14),
    testDone(6, 14),
    { type: 'run-finished', at: at(42), summary, tests }
  ]
}
