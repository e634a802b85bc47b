/**
 * Bad input gets exit 2 and a clear message. A table of bad inputs (./bad-input-table.ts) runs
 * in-process through the real parsers and validators (CLI flags through the CLI's own entry,
 * jobs files through the commands framework and the runner, action inputs through each
 * action's inputs module driven by `INPUT_*`, frames through the decoder); a handful more go
 * through the built CLI as a process, to prove the exit code a user sees.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { getRunnerInputs } from '../../src/actions/runner/inputs.js'
import { getInputs as getWorkerInputs } from '../../src/actions/worker/inputs.js'
import { getInputs as getBrokerInputs } from '../../src/actions/broker/inputs.js'
import { getPoolInputs } from '../../src/actions/broker/pool-inputs.js'
import { getBrokerReach } from '../../src/actions/runner/reach-inputs.js'
import { runCli } from '../../src/cli/program.js'
import { errorMessage, exitCodeFor } from '../../src/errors.js'
import { TerminalReporter } from '../../src/report/terminal.js'
import { emptyOutput } from '../../src/protocol/types.js'
import { parseJobsFile } from '../../src/frameworks/commands/commands.js'
import { runCliProcess } from '../helpers/cli.js'
import { rows, withInputs, type Ending } from './bad-input-table.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'squall-bad-input-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** The CLI's own entry in this process, with what it writes to stderr captured. */
async function cli(argv: string[]): Promise<Ending> {
  let stderr = ''
  const write = process.stderr.write.bind(process.stderr)
  process.stderr.write = ((chunk: string | Uint8Array): boolean => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()
    return true
  }) as typeof process.stderr.write
  try {
    const code = await runCli(argv)
    return { code, message: stderr }
  } finally {
    process.stderr.write = write
  }
}

function inProcess(run: (dir: string) => unknown): (dir: string) => Promise<Ending> {
  return async where => {
    try {
      await run(where)
      return { code: 0, message: '' }
    } catch (error) {
      return { code: exitCodeFor({ kind: 'error', error }), message: errorMessage(error) }
    }
  }
}

const action =
  (yml: string, read: () => unknown, base: Record<string, string> = {}) =>
  (inputs: Record<string, string>) =>
  () =>
    withInputs(resolve(yml), { ...base, ...inputs }, read)

const table = rows({
  cli,
  inProcess,
  actions: {
    // The commands framework needs a jobs file; each row breaks one other input.
    runner: action('runner/action.yml', () => [getRunnerInputs(), getBrokerReach()], {
      'jobs-file': 'jobs.json'
    }),
    worker: action('worker/action.yml', getWorkerInputs),
    broker: action('broker/action.yml', () => [getBrokerInputs(), getPoolInputs()])
  },
  root: process.getuid?.() === 0
})

test('the table holds at least 100 bad inputs', () => {
  expect(table.length).toBeGreaterThanOrEqual(100)
})

test.each(table.map(row => [row.what, row] as const))('%s', async (_what, row) => {
  const ending = await row.run(dir)
  expect(ending.code).toBe(row.code)
  for (const name of row.names(dir)) expect(ending.message).toContain(name)
})

describe('good input next to the bad', () => {
  test('a jobs file with a byte-order mark is read as JSON', () => {
    expect(parseJobsFile('\ufeff[{"name":"x","command":"true"}]', 'jobs.json')).toEqual([
      { name: 'x', command: 'true' }
    ])
  })

  test('action defaults pass their own checks', () => {
    withInputs(resolve('worker/action.yml'), {}, () =>
      expect(getWorkerInputs()).toMatchObject({
        cacheSizeBytes: 2 * 1024 ** 3,
        maxRuntimeMs: 6 * 3_600_000
      })
    )
  })
})

test('a job name with terminal escape codes is printed without them', () => {
  let out = ''
  const reporter = new TerminalReporter({
    out: { write: (text: string) => (out += text) } as unknown as NodeJS.WritableStream,
    tty: false,
    color: false
  })
  const name = 'evil\u001b[2J\u001b[31m\u0007name\r'
  const job = {
    id: 'evil',
    name,
    timeoutMs: 1000,
    labels: [],
    attempt: 1,
    layers: [],
    command: 'false'
  }
  reporter.onEvent({
    type: 'job-finished',
    at: 1,
    job,
    retry: false,
    result: {
      id: 'evil',
      attempt: 1,
      worker: 'w1\u001b]0;title\u0007',
      status: 'failed',
      exitCode: 1,
      signal: null,
      durationMs: 5,
      startedAt: 1,
      stdout: emptyOutput,
      stderr: emptyOutput
    }
  })
  // eslint-disable-next-line no-control-regex -- the point is that none are left
  expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/)
  expect(out).toContain('evilname')
})

describe('through the built CLI', () => {
  const jobs = (name: string, content: string | Buffer): string => {
    writeFileSync(join(dir, name), content)
    return name
  }

  test.each([
    [
      'a binary jobs file',
      () => jobs('jobs.bin', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1])),
      /--jobs: '.*jobs\.bin' is binary/
    ],
    [
      'one JSON object',
      () => jobs('jobs.json', '{"name":"x","command":"true"}'),
      /jobs\.json: expected a JSON array of jobs, got an object/
    ],
    [
      'an empty jobs file',
      () => jobs('jobs.txt', ''),
      /found no tests in '.*jobs\.txt'.*--pass-with-no-tests/
    ],
    [
      'a FIFO',
      () => {
        execFileSync('mkfifo', [join(dir, 'jobs.fifo')])
        return 'jobs.fifo'
      },
      /--jobs: '.*jobs\.fifo' is not a regular file \(a FIFO\)/
    ]
  ])(
    '%s as --jobs is exit 2',
    async (_what, make, message) => {
      const result = await runCliProcess(
        ['run', '--workers', '1', '--no-timings', '--jobs', make()],
        {
          cwd: dir,
          timeoutMs: 60_000
        }
      )
      expect(result.stderr).toMatch(message)
      expect(result.code).toBe(2)
    },
    60_000
  )

  test('an empty suite passes with --pass-with-no-tests', async () => {
    writeFileSync(join(dir, 'jobs.txt'), '# nothing yet\n')
    const result = await runCliProcess(
      ['run', '--workers', '1', '--no-timings', '--pass-with-no-tests', '--jobs', 'jobs.txt'],
      { cwd: dir }
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/no tests/)
  }, 60_000)

  test.each([
    [['run', '--timeout', '0.0001'], "--timeout: '0.0001' is not at least 1 ms"],
    [['run', '--cwd', '/etc/hostname'], "--cwd: '/etc/hostname' is not a directory"],
    [['worker', '--slots', '0'], "--slots: '0' is not a whole number of at least 1"],
    [['broker', '--port', '70000'], "--port: '70000'"]
  ])('squall %j is exit 2', async (argv, message) => {
    const result = await runCliProcess(argv, { cwd: dir })
    expect(result.stderr).toContain(message)
    expect(result.code).toBe(2)
  })

  test('help prints second-valued defaults in seconds', async () => {
    const run = await runCliProcess(['run', '--help'])
    expect(run.stdout).toMatch(/--timeout <seconds>\s+limit for one job \(default: 600\)/)
    const broker = await runCliProcess(['broker', '--help'])
    expect(broker.stdout).toMatch(/\(default: 30\)/)
    expect(`${run.stdout}${broker.stdout}`).not.toMatch(/000\)/)
  })
})
