import { jest } from '@jest/globals'
import { PassThrough } from 'node:stream'
import { replay } from '../../src/report/replay.js'
import {
  attemptOutcome,
  TerminalReporter,
  type TerminalOptions
} from '../../src/report/terminal.js'
import {
  emptyOutput,
  type JobResult,
  type JobSpec,
  type TestCaseResult
} from '../../src/protocol/types.js'
import type { RunEvent } from '../../src/runner/events.js'
import { recordedRun, summary, t0 } from './recorded-run.js'

const CLEAR = '\r\u001b[2K'

/** Runs the recording through a reporter; returns everything it wrote. */
async function render(
  options: Omit<TerminalOptions, 'out'>,
  events: RunEvent[] = recordedRun()
): Promise<string> {
  const out = new PassThrough()
  const chunks: Buffer[] = []
  out.on('data', (chunk: Buffer) => chunks.push(chunk))
  await replay(events, [new TerminalReporter({ out, ...options })])
  return Buffer.concat(chunks).toString('utf8')
}

/** A clock that moves one second per call, so every redraw is due. */
function ticking(): () => number {
  let now = t0
  return () => (now += 1000)
}

/** What a terminal would show: each \r + clear-line wipes the current line. */
function screen(output: string): string[] {
  const lines: string[] = []
  let current = ''
  for (let i = 0; i < output.length; i++) {
    if (output.startsWith(CLEAR, i)) {
      current = ''
      i += CLEAR.length - 1
    } else if (output[i] === '\n') {
      lines.push(current)
      current = ''
    } else current += output[i]
  }
  if (current !== '') lines.push(current)
  return lines
}

const lastLine = (output: string): string => output.trimEnd().split('\n').pop() ?? ''

describe('not a TTY', () => {
  test('one plain line per finished attempt, with status, name, duration, worker and retrying', async () => {
    const output = await render({ tty: false })
    const lines = output.split('\n')
    expect(lines).toContain('PASS    src/math.test.ts (260ms, w-1)')
    expect(lines).toContain('FAIL    src/io.test.ts (400ms, w-2): exit code 1 — retrying')
    expect(lines).toContain('FAIL    src/net.test.ts (950ms, w-1): exit code 1 — retrying')
    expect(lines).toContain('FAIL    src/io.test.ts (330ms, w-1, attempt 2): exit code 1')
    expect(lines).toContain('FLAKY   src/net.test.ts (870ms, w-2, attempt 2)')
    expect(lines).toContain('TIMEOUT src/slow.test.ts (5.0s, w-2): timed out after 5.0s')
    expect(lines).toContain(
      'ERROR   src/boom.test.ts (0ms, no worker): could not start: spawn jest ENOENT'
    )
  })

  test('worker joins and leaves, requeues and logs (not debug) get a line', async () => {
    const lines = (await render({ tty: false })).split('\n')
    expect(lines).toContain('worker w-1 joined (2 slots)')
    expect(lines).toContain('worker w-2 joined (1 slot, labels linux, gpu)')
    expect(lines).toContain('worker w-3 left: no heartbeat for 30s')
    expect(lines).toContain('requeued src/slow.test.ts from w-3: worker w-3 left')
    expect(lines).toContain('info: retrying src/io.test.ts (1 failed test)')
    expect(lines.some(l => l.includes('queue depth'))).toBe(false)
    expect(lines.some(l => l.includes('queue depth'))).toBe(false)
  })

  test('no carriage returns and no colour', async () => {
    const output = await render({ tty: false })
    expect(output).not.toContain('\r')
    expect(output).not.toContain('\u001b')
  })

  test('the summary lists failures with message and output tail, flaky and slowest tests', async () => {
    const output = await render({ tty: false })
    const summaryText = output.slice(output.indexOf('Failures (3):'))
    expect(summaryText).toMatch(
      /FAIL io › reads <file> & "quotes" src\/io\.test\.ts:12 \(2 attempts\)/
    )
    expect(summaryText).toContain(
      '      expected 2, got 3\n          at Object.<anonymous> (src/io.test.ts:12:5)'
    )
    // Output is indented under a bar and cleaned of colours.
    expect(summaryText).toContain('      │ reading red file bell')
    // A long output shows its tail.
    expect(summaryText).toContain('      │ … 10 earlier lines …\n      │ slow line 11')
    expect(summaryText).toContain('      │ slow line 30')
    expect(summaryText).not.toContain('slow line 10\n')
    expect(summaryText).toMatch(/TIMEOUT src\/slow\.test\.ts\n\s+timed out after 5\.0s/)
    expect(summaryText).toMatch(/ERROR src\/boom\.test\.ts\n\s+could not start/)
    expect(summaryText).toContain(
      'Flaky (1), passed on a retry:\n  net › connects (failed 1 of 2 attempts): ECONNRESET'
    )
    const slowest = summaryText.slice(summaryText.indexOf('Slowest:')).split('\n').slice(1, 4)
    expect(slowest).toEqual([
      '      5.0s  src/slow.test.ts',
      '     850ms  net › connects',
      '     310ms  io › reads <file> & "quotes"'
    ])
    expect(summaryText).toContain(
      '8 tests in 5 jobs, 42.1s on 3 workers; of the failed: 1 timed out, 1 errored'
    )
  })

  test('the last line counts passed and failed, then flaky and skipped', async () => {
    const output = await render({ tty: false })
    expect(lastLine(output)).toBe(
      `${summary.passed} passed, ${summary.failed + summary.errored} failed, ${summary.flaky} flaky, ${summary.skipped} skipped`
    )
    expect(lastLine(output)).toMatch(/^\d+ passed, \d+ failed(, \d+ flaky)?(, \d+ skipped)?$/)
  })

  test('slowest: 0 leaves the slowest list out; 2 keeps two', async () => {
    expect(await render({ tty: false, slowest: 0 })).not.toContain('Slowest:')
    const two = await render({ tty: false, slowest: 2 })
    expect(two.slice(two.indexOf('Slowest:')).split('\n')[3]).toBe('')
  })

  test('an all-passing run ends with its totals alone', async () => {
    const passing: RunEvent[] = [
      { type: 'run-started', at: t0, framework: 'commands', jobs: 1, tests: 1 },
      {
        type: 'run-finished',
        at: t0 + 10,
        summary: {
          ...summary,
          tests: 1,
          jobs: 1,
          passed: 1,
          failed: 0,
          flaky: 0,
          skipped: 0,
          errored: 0,
          exitCode: 0
        },
        tests: [{ id: 'a', name: 'a', outcome: 'passed', durationMs: 5, attempts: [] }]
      }
    ]
    const output = await render({ tty: false }, passing)
    expect(lastLine(output)).toBe('1 passed, 0 failed')
    expect(output).not.toContain('Failures')
    expect(output).not.toContain('Flaky')
  })
})

describe('on a TTY', () => {
  test('a live progress line with done/total, failed, running and elapsed', async () => {
    const output = await render({ tty: true, color: false, now: ticking() })
    expect(output).toContain(`${CLEAR}0/5 jobs · 0 failed · 1 running · `)
    expect(output).toMatch(
      new RegExp(`${CLEAR.replace('[', '\\[')}1/5 jobs · 0 failed · 3 running · \\d+(\\.\\d)?s`)
    )
    // The last progress drawn before the summary has every job done.
    const progress = output.split(CLEAR).filter(part => /^\d+\/5 jobs/.test(part))
    expect(progress.at(-1)).toMatch(/^5\/5 jobs · 3 failed · 0 running · /)
  })

  test('passing attempts stay off the screen; failures and workers are printed above the line', async () => {
    const lines = screen(await render({ tty: true, color: false, now: ticking() }))
    expect(lines.some(l => l.startsWith('PASS'))).toBe(false)
    expect(lines).toContain('FAIL    src/io.test.ts (400ms, w-2): exit code 1 — retrying')
    expect(lines).toContain('FLAKY   src/net.test.ts (870ms, w-2, attempt 2)')
    expect(lines).toContain('worker w-1 joined (2 slots)')
    // Nothing is left of the progress line once the summary is out.
    expect(lines.at(-1)).toBe(
      `${summary.passed} passed, ${summary.failed + summary.errored} failed, ${summary.flaky} flaky, ${summary.skipped} skipped`
    )
    expect(lines.some(l => /jobs · /.test(l))).toBe(false)
  })

  test('verbose shows passing attempts too', async () => {
    const lines = screen(await render({ tty: true, color: false, verbose: true, now: ticking() }))
    expect(lines).toContain('PASS    src/math.test.ts (260ms, w-1)')
    expect(lines).toContain('debug: queue depth 3')
  })

  test('redraws are throttled: a burst within 100ms draws once', async () => {
    const frozen = (): number => t0
    const output = await render({ tty: true, color: false, now: frozen })
    expect(output.split(CLEAR).filter(part => /^\d+\/5 jobs/.test(part))).toHaveLength(1)
  })

  test('after a burst, the latest counts are drawn once the throttle allows', async () => {
    jest.useFakeTimers({ now: t0, doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] })
    try {
      const out = new PassThrough()
      let written = ''
      out.on('data', (chunk: Buffer) => (written += chunk.toString()))
      const reporter = new TerminalReporter({ out, tty: true, color: false })
      const events = recordedRun()
      // Everything up to the first three finished attempts, at one instant.
      const upTo = events.findIndex(
        e => e.type === 'job-started' && e.job.id === 'j-io' && e.job.attempt === 2
      )
      for (const event of events.slice(0, upTo)) reporter.onEvent(event)
      await new Promise(resolve => setImmediate(resolve))
      const drawn = (): string[] => written.split(CLEAR).filter(part => /^\d+\/5 jobs/.test(part))
      expect(drawn()).toHaveLength(1)
      jest.advanceTimersByTime(150)
      await new Promise(resolve => setImmediate(resolve))
      expect(drawn().at(-1)).toMatch(/^1\/5 jobs · 0 failed · 1 running · 100ms$/)
      // The clock keeps ticking while nothing happens.
      jest.advanceTimersByTime(2000)
      await new Promise(resolve => setImmediate(resolve))
      expect(drawn().at(-1)).toMatch(/^1\/5 jobs · 0 failed · 1 running · 2\.\ds$/)
      await reporter.finish()
    } finally {
      jest.useRealTimers()
    }
  })

  test('colour marks statuses when asked for', async () => {
    const output = await render({ tty: true, color: true, now: ticking() })
    expect(output).toContain('\u001b[31mFAIL   \u001b[0m')
    expect(output).toContain('\u001b[33mFLAKY  \u001b[0m')
  })
})

describe('what the lists count', () => {
  test('the opening line says files when the framework plans files', async () => {
    const events = recordedRun().map(e =>
      e.type === 'run-started' ? { ...e, unit: 'file' as const } : e
    )
    expect((await render({ tty: false }, events)).split('\n')[0]).toBe(
      'squall: 8 files in 5 jobs (jest)'
    )
    // Without a unit (an older recording) the items are tests.
    expect((await render({ tty: false })).split('\n')[0]).toBe('squall: 8 tests in 5 jobs (jest)')
  })

  test('a whole-job entry is not among the slowest tests (it still counts as a failure)', async () => {
    const events = recordedRun().map(e =>
      e.type === 'run-finished'
        ? {
            ...e,
            tests: e.tests.map(t => (t.id.includes('slow') ? { ...t, job: true as const } : t))
          }
        : e
    )
    const before = await render({ tty: false })
    const text = await render({ tty: false }, events)
    const slowestOf = (out: string): string =>
      out.slice(out.indexOf('Slowest:'), out.lastIndexOf('\n\n'))
    expect(slowestOf(before)).toContain('src/slow.test.ts')
    expect(slowestOf(text)).not.toContain('src/slow.test.ts')
    expect(text.slice(text.indexOf('Failures'), text.indexOf('Slowest:'))).toContain(
      'src/slow.test.ts'
    )
  })
})

describe('attemptOutcome', () => {
  const base: JobResult = {
    id: 'j',
    attempt: 2,
    worker: 'w-1',
    status: 'passed',
    exitCode: 0,
    signal: null,
    durationMs: 10,
    startedAt: t0,
    stdout: emptyOutput,
    stderr: emptyOutput
  }
  const withCases = (...statuses: TestCaseResult['status'][]): JobResult => ({
    ...base,
    cases: statuses.map((status, i) => ({ id: `t${i}`, name: `t${i}`, status, durationMs: 1 }))
  })

  test.each<[string, string, JobResult]>([
    ['a first attempt that passed', 'passed', { ...base, attempt: 1 }],
    ['a retry that failed', 'failed', { ...base, status: 'failed', exitCode: 1 }],
    ['a retry with no per-test results', 'flaky', base],
    ['a retry in which a test that failed before passed', 'flaky', withCases('skipped', 'passed')],
    // A file a crash never reached, run again on its own: nothing in it failed before.
    ['a retry whose passing tests never failed', 'passed', { ...withCases('passed'), id: 'k' }],
    // A retry by name that matched nothing: the test it was meant to rerun is still failed.
    ['a retry whose cases were all skipped', 'skipped', withCases('skipped', 'skipped')],
    ['a retry with an empty case list', 'passed', withCases()]
  ])('%s → %s', (_what, outcome, result) => {
    expect(attemptOutcome(result, new Set(result.id === 'j' ? ['t1'] : []))).toBe(outcome)
  })

  test('the job line of a retry that only skipped never says FLAKY', async () => {
    const spec: JobSpec = {
      id: 'j-props',
      name: 'vitest p.test.ts',
      command: 'vitest',
      timeoutMs: 1000,
      labels: [],
      layers: [],
      attempt: 2
    }
    const skippedOnly: JobResult = {
      ...withCases('skipped'),
      id: spec.id,
      cases: [{ id: 'p::prop (with seed=2)', name: 'prop', status: 'skipped', durationMs: 0 }]
    }
    const output = await render({ tty: false }, [
      { type: 'run-started', at: t0, framework: 'vitest', jobs: 1, tests: 1 },
      { type: 'job-finished', at: t0, job: spec, result: skippedOnly, retry: false }
    ])
    expect(output).toContain('SKIP    vitest p.test.ts (10ms, w-1, attempt 2)')
    expect(output).not.toContain('FLAKY')
  })
})
