import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Framework } from '../../src/frameworks/core/framework.js'
import { getFramework } from '../../src/frameworks/index.js'
import type { LayerProvider } from '../../src/layers/provider.js'
import type { JobSpec, TestCaseResult } from '../../src/protocol/types.js'
import { executeJob, type ExecuteContext } from '../../src/worker/executor.js'
import { isAlive, killAll, tempDirs, waitUntil } from './process-helpers.js'

const dirs = tempDirs('squall-exec-')
const leftovers: number[] = []
let jobsRoot: string

beforeEach(() => {
  jobsRoot = join(dirs.make(), 'jobs')
})
afterAll(() => {
  killAll(leftovers)
  dirs.cleanup()
})

function job(fields: Partial<JobSpec>): JobSpec {
  return { id: 'j1', name: 'j1', timeoutMs: 30_000, labels: [], attempt: 1, layers: [], ...fields }
}

function context(fields: Partial<ExecuteContext> = {}): ExecuteContext {
  return { workerId: 'w1', jobsRoot, outputCapBytes: 1024 * 1024, killGraceMs: 500, ...fields }
}

/** Pids a job printed, one per line, remembered for cleanup. */
function pidsIn(text: string): number[] {
  const pids = text
    .split('\n')
    .filter(line => /^\d+$/.test(line))
    .map(Number)
  leftovers.push(...pids)
  return pids
}

describe('executeJob: exits and output', () => {
  test('exit 0 passes and captures both streams', async () => {
    const result = await executeJob(job({ command: 'echo out; echo err >&2' }), context())
    expect(result).toMatchObject({
      id: 'j1',
      attempt: 1,
      worker: 'w1',
      status: 'passed',
      exitCode: 0,
      signal: null,
      stdout: { text: 'out\n', truncatedBytes: 0 },
      stderr: { text: 'err\n', truncatedBytes: 0 }
    })
    expect(result.message).toBeUndefined()
    expect(result.startedAt).toBeGreaterThan(0)
  })

  test('a non-zero exit fails with its code', async () => {
    const result = await executeJob(job({ command: 'exit 3' }), context())
    expect(result.status).toBe('failed')
    expect(result.exitCode).toBe(3)
  })

  test('a job killed by a signal it did not get from us fails and names the signal', async () => {
    const result = await executeJob(job({ command: 'kill -KILL $$' }), context())
    expect(result.status).toBe('failed')
    expect(result.signal).toBe('SIGKILL')
    expect(result.exitCode).toBeNull()
  })

  test('argv runs without a shell', async () => {
    const result = await executeJob(job({ argv: ['printf', '%s|', 'a b', '$HOME'] }), context())
    expect(result.status).toBe('passed')
    expect(result.stdout.text).toBe('a b|$HOME|')
  })

  test('a missing program is an error naming it', async () => {
    const result = await executeJob(
      job({ argv: ['/nonexistent/squall-no-such-binary', 'x'] }),
      context()
    )
    expect(result.status).toBe('error')
    expect(result.message).toContain('/nonexistent/squall-no-such-binary')
    expect(result.message).toContain('ENOENT')
  })

  test('a job with neither command nor argv is an error', async () => {
    const result = await executeJob(job({}), context())
    expect(result.status).toBe('error')
    expect(result.message).toContain('neither a command nor an argv')
  })

  test('output beyond the cap keeps its head and tail and counts the cut', async () => {
    const command = `printf START; head -c 100000 /dev/zero | tr '\\0' x; printf END`
    const result = await executeJob(job({ command }), context({ outputCapBytes: 1000 }))
    expect(result.status).toBe('passed')
    expect(result.stdout.text.startsWith('STARTxxx')).toBe(true)
    expect(result.stdout.text.endsWith('xxxEND')).toBe(true)
    expect(result.stdout.truncatedBytes).toBe(100_008 - 1000)
    expect(result.stdout.text).toContain(`\n… [${100_008 - 1000} bytes cut] …\n`)
  })
})

describe('executeJob: directories and environment', () => {
  test('sets the SQUALL_* variables, TMPDIR and the job env; runs in the fresh dir', async () => {
    const command =
      'echo "$SQUALL_JOB_DIR|$SQUALL_JOB_ID|$SQUALL_ATTEMPT|$SQUALL_WORKER|$TMPDIR|$EXTRA|$(pwd -P)"'
    const result = await executeJob(
      job({ id: 'suite/a b', attempt: 2, command, env: { EXTRA: 'yes' } }),
      context({ workerId: 'w7' })
    )
    expect(result.status).toBe('passed')
    const [dir, id, attempt, worker, tmp, extra, cwd] = result.stdout.text.trim().split('|')
    expect(dir?.startsWith(jobsRoot)).toBe(true)
    expect([id, attempt, worker, extra]).toEqual(['suite/a b', '2', 'w7', 'yes'])
    expect(tmp).toBe(join(dir as string, 'tmp'))
    expect(cwd?.endsWith(dir?.slice(jobsRoot.length) as string)).toBe(true)
    // The directory is gone afterwards.
    expect(existsSync(dir as string)).toBe(false)
  })

  test('each attempt gets a fresh directory; keepJobDir keeps it', async () => {
    const command = 'ls -A "$SQUALL_JOB_DIR"; touch "$SQUALL_JOB_DIR/left-behind"'
    const first = await executeJob(job({ command }), context({ keepJobDir: true }))
    const second = await executeJob(job({ command }), context({ keepJobDir: true }))
    expect(first.stdout.text).toBe('tmp\n')
    expect(second.stdout.text).toBe('tmp\n')
    const kept = readdirSync(jobsRoot)
    expect(kept).toHaveLength(2)
    for (const dir of kept)
      expect(readdirSync(join(jobsRoot, dir)).sort()).toEqual(['left-behind', 'tmp'])
  })

  test('cwd resolves against the working directory', async () => {
    const workDir = dirs.make()
    mkdirSync(join(workDir, 'pkg', 'sub'), { recursive: true })
    const result = await executeJob(
      job({ command: 'pwd -P', cwd: 'pkg/sub' }),
      context({ workDir })
    )
    expect(result.stdout.text.trim().endsWith(join('pkg', 'sub'))).toBe(true)
  })

  test('a missing cwd is an error naming the path', async () => {
    const workDir = dirs.make()
    const result = await executeJob(job({ command: 'true', cwd: 'nope' }), context({ workDir }))
    expect(result.status).toBe('error')
    expect(result.message).toContain(join(workDir, 'nope'))
  })
})

describe('executeJob: stopping jobs', () => {
  test('a timeout kills the whole group, grandchildren included', async () => {
    const result = await executeJob(
      job({ command: 'sleep 60 & echo $!; sleep 60; echo never', timeoutMs: 300 }),
      context()
    )
    expect(result.status).toBe('timed-out')
    expect(result.message).toContain('300ms')
    const [pid] = pidsIn(result.stdout.text)
    expect(pid).toBeDefined()
    await waitUntil(() => !isAlive(pid as number), `background sleep ${pid} to die`)
    expect(result.stdout.text).not.toContain('never')
  })

  test('a job that ignores SIGTERM is killed after the grace', async () => {
    const result = await executeJob(
      job({ command: "trap '' TERM; echo $$; sleep 60", timeoutMs: 300 }),
      context({ killGraceMs: 200 })
    )
    expect(result.status).toBe('timed-out')
    const [pid] = pidsIn(result.stdout.text)
    expect(isAlive(pid as number)).toBe(false)
  })

  test('what a passing job left in the background does not outlive it', async () => {
    const result = await executeJob(job({ command: 'sleep 100 & echo $!' }), context())
    expect(result.status).toBe('passed')
    const [pid] = pidsIn(result.stdout.text)
    await waitUntil(() => !isAlive(pid as number), `background sleep ${pid} to die`)
  })

  test('a process that left the group and holds the pipe does not hang the job', async () => {
    // setsid puts the sleep in its own session: the group kill cannot reach it.
    const result = await executeJob(
      job({ command: 'setsid sleep 30 & echo $!; sleep 0.1' }),
      context({ pipeDrainMs: 200 })
    )
    expect(result.status).toBe('passed')
    killAll(pidsIn(result.stdout.text))
  })

  test('aborting cancels the running job with the reason', async () => {
    const abort = new AbortController()
    const workDir = dirs.make()
    const running = executeJob(
      job({ command: 'sleep 60 & echo $! > started; wait' }),
      context({ workDir }),
      abort.signal
    )
    await waitUntil(() => existsSync(join(workDir, 'started')), 'the job to start')
    abort.abort('the run was cancelled')
    const result = await running
    expect(result.status).toBe('cancelled')
    expect(result.message).toBe('cancelled: the run was cancelled')
  })

  test('a job aborted before it starts does not run', async () => {
    const abort = new AbortController()
    abort.abort('too late')
    const workDir = dirs.make()
    const result = await executeJob(
      job({ command: 'touch ran' }),
      context({ workDir }),
      abort.signal
    )
    expect(result.status).toBe('cancelled')
    expect(existsSync(join(workDir, 'ran'))).toBe(false)
  })
})

describe('executeJob: layers', () => {
  test('layers are ensured in the working directory before the job runs', async () => {
    const calls: [string[], string][] = []
    const layers: LayerProvider = {
      ensure: async (digests, target) => {
        calls.push([digests, target])
        writeFileSync(join(target, 'from-layer.txt'), 'layer content')
      }
    }
    const workDir = dirs.make()
    const result = await executeJob(
      job({ command: 'cat from-layer.txt', layers: ['sha256:aa'] }),
      context({ workDir, layers })
    )
    expect(calls).toEqual([[['sha256:aa'], workDir]])
    expect(result.stdout.text).toBe('layer content')
  })

  test('a layer failure is an error with its message', async () => {
    const layers: LayerProvider = {
      ensure: async () => {
        throw new Error('digest mismatch for sha256:aa')
      }
    }
    const result = await executeJob(
      job({ command: 'true', layers: ['sha256:aa'] }),
      context({ layers })
    )
    expect(result.status).toBe('error')
    expect(result.message).toContain('digest mismatch for sha256:aa')
  })

  test('layers without a provider are an error saying so', async () => {
    const result = await executeJob(job({ command: 'true', layers: ['sha256:aa'] }), context())
    expect(result.status).toBe('error')
    expect(result.message).toContain('no layer provider')
  })
})

describe('executeJob: per-test results', () => {
  // Reads cases the job wrote to $SQUALL_JOB_DIR/cases.json; throws on a broken file.
  const fake: Framework = {
    name: 'fake-cases-for-executor-test',
    list: async () => [],
    plan: () => [],
    parse: async execution => {
      const { readFile } = await import('node:fs/promises')
      const text = await readFile(join(execution.jobDir, 'cases.json'), 'utf8')
      return JSON.parse(text) as TestCaseResult[]
    }
  }
  // The built-in table, with the fake beside it.
  const frameworks = (name: string): Framework => (name === fake.name ? fake : getFramework(name))

  const cases = (status: string): string =>
    `echo '[{"id":"a","name":"a","status":"passed","durationMs":1},{"id":"b","name":"b","status":"${status}","durationMs":2}]' > "$SQUALL_JOB_DIR/cases.json"`

  test('cases come back with the result', async () => {
    const result = await executeJob(
      job({ command: cases('passed'), framework: { name: fake.name } }),
      context({ frameworks })
    )
    expect(result.status).toBe('passed')
    expect(result.cases?.map(c => [c.id, c.status])).toEqual([
      ['a', 'passed'],
      ['b', 'passed']
    ])
  })

  test('a failing case fails a job that exited 0', async () => {
    const result = await executeJob(
      job({ command: cases('failed'), framework: { name: fake.name } }),
      context({ frameworks })
    )
    expect(result.exitCode).toBe(0)
    expect(result.status).toBe('failed')
    expect(result.cases).toHaveLength(2)
  })

  test('a parse failure keeps the job result and notes it', async () => {
    const result = await executeJob(
      job({ command: 'exit 4', framework: { name: fake.name } }),
      context({ frameworks })
    )
    expect(result.status).toBe('failed')
    expect(result.exitCode).toBe(4)
    expect(result.message).toContain('could not read per-test results')
    expect(result.cases).toBeUndefined()
  })

  test('an unknown framework is noted, not fatal', async () => {
    const result = await executeJob(
      job({ command: 'true', framework: { name: 'no-such-framework' } }),
      context({ frameworks })
    )
    expect(result.status).toBe('passed')
    expect(result.message).toContain('no-such-framework')
  })
})
