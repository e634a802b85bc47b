/**
 * The pytest session host with real pytest: the fixture suites collected once by squall's
 * plugin, jobs of node ids run on demand, cases as pytest reports them (xfail/xpass, a
 * module skipped at collection, unknown ids), a clean sys.argv, the job's environment set and
 * restored, and an interpreter that aborts mid-job losing nothing already reported.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pytestFramework } from '../../../src/frameworks/pytest/pytest.js'
import {
  PYTEST_SESSION_ARGS,
  pytestSessionHandler
} from '../../../src/frameworks/pytest/session.js'
import type { TestCaseResult } from '../../../src/protocol/types.js'
import type { SessionHandler } from '../../../src/worker/session/host.js'
import {
  cleanUp,
  copyFixture,
  planOptions,
  requireToolchain,
  runAll,
  statusById,
  tempDir
} from '../job-harness.js'

const M = 'tests/test_math.py'
const O = 'tests/test_other.py'

beforeAll(() => {
  requireToolchain('pytest (python3 -m pytest)', 'python3', ['-m', 'pytest', '--version'])
})

const handlers: SessionHandler[] = []
afterAll(async () => {
  for (const handler of handlers.splice(0)) await handler.close?.().catch(() => undefined)
  cleanUp()
})

/** Starts a session in `cwd` with `args`, the way `squall session pytest` would. */
async function startSession(
  cwd: string,
  args: string[] = [],
  env: Record<string, string> = {}
): Promise<SessionHandler> {
  const saved = { ...process.env }
  Object.assign(process.env, env, { [PYTEST_SESSION_ARGS]: JSON.stringify(args) })
  const handler = pytestSessionHandler(cwd)
  handlers.push(handler)
  try {
    await handler.start()
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
    Object.assign(process.env, saved)
  }
  return handler
}

let jobs = 0

/** Runs one job's node ids; env is set the way the session host sets the job's. */
async function runJob(
  handler: SessionHandler,
  tests: string[],
  env: Record<string, string> = {}
): Promise<{ cases: TestCaseResult[]; error?: Error; logs: string[] }> {
  const cases: TestCaseResult[] = []
  const logs: string[] = []
  const saved = { ...process.env }
  Object.assign(process.env, env)
  try {
    await handler.run({
      id: `job-${++jobs}#1`,
      jobDir: tempDir('job'),
      request: { tests },
      emitCase: c => cases.push(c),
      log: text => logs.push(text),
      itemWallMs: () => undefined,
      notice: () => undefined
    })
    return { cases, logs }
  } catch (error) {
    return { cases, logs, error: error as Error }
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
    Object.assign(process.env, saved)
  }
}

test('jobs in one session report what the cold jobs report, collecting once', async () => {
  const root = copyFixture('pytest-suite')
  const items = await pytestFramework.list({ cwd: root, args: [], timeoutMs: 60_000 })
  const ids = items.map(i => i.id)
  // Cold reference: one plain job (a pytest start each costs seconds on a busy machine).
  const oneMs = new Map(ids.map(id => [id, 1]))
  const cold = await runAll(
    pytestFramework.plan(items, { ...planOptions(root, [], 1), timings: oneMs }),
    root
  )
  const planned = pytestFramework.plan(items, {
    ...planOptions(root, [], 2),
    sessionCommand: ['node', 'squall', 'session']
  })
  expect(planned.every(j => j.session?.request !== undefined)).toBe(true)

  const session = await startSession(root)
  const first = await runJob(session, ids.slice(0, 4))
  const second = await runJob(session, ids.slice(4))
  expect(first.error).toBeUndefined()
  expect(second.error).toBeUndefined()
  const warm = [...first.cases, ...second.cases]
  expect(statusById(warm)).toEqual(statusById(cold))
  for (const c of cold) {
    const w = warm.find(x => x.id === c.id)
    expect(w).toMatchObject({ name: c.name, suite: c.suite, file: c.file, line: c.line })
  }
  expect(warm.find(c => c.id === `${M}::test_fails`)?.message).toContain('two and two')
  expect(warm.find(c => c.id === `${M}::test_skipped`)?.message).toBe('not ready')
  expect(warm.find(c => c.id === `${O}::test_slow`)?.durationMs).toBeGreaterThanOrEqual(900)
  expect(warm.find(c => c.id === `${O}::test_prints`)?.output).toContain('hello from test_prints')

  // The same test again in the same session: runs again, from the one collection.
  const again = await runJob(session, [`${M}::test_adds`, `${M}::test_fails`])
  expect(statusById(again.cases)).toEqual({
    [`${M}::test_adds`]: 'passed',
    [`${M}::test_fails`]: 'failed'
  })
}, 240_000)

test('traps: xfail/xpass, a module skipped at collection, unknown ids, argv, env', async () => {
  const root = copyFixture('pytest-traps')
  const imports = join(tempDir('imports'), 'log')
  const items = await pytestFramework.list({ cwd: root, args: [], timeoutMs: 60_000 })
  const ids = items.map(i => i.id)
  expect(ids).toContain('tests/test_needs_module.py')

  const session = await startSession(root, ['-q'], {
    SQUALL_FIXTURE_IMPORT_LOG: imports,
    SQUALL_FIXTURE_BROKEN: '1'
  })
  const expected = 'tests/test_expected.py'
  const one = await runJob(session, [
    `${expected}::test_xfail`,
    `${expected}::test_xpass`,
    `${expected}::test_plain`,
    'tests/test_needs_module.py',
    'tests/test_gone.py::test_missing',
    'tests/test_argv.py::test_argv_is_the_users',
    'tests/test_broken_import.py'
  ])
  expect(one.error).toBeUndefined()
  const byId = new Map(one.cases.map(c => [c.id, c]))
  expect(byId.get(`${expected}::test_xfail`)).toMatchObject({
    status: 'skipped',
    kind: 'xfail',
    message: 'xfail: known bug'
  })
  expect(byId.get(`${expected}::test_xpass`)).toMatchObject({ status: 'passed', kind: 'xpass' })
  expect(byId.get(`${expected}::test_plain`)).toMatchObject({ status: 'passed' })
  expect(byId.get(`${expected}::test_plain`)?.kind).toBeUndefined()
  expect(byId.get('tests/test_needs_module.py')).toMatchObject({
    status: 'skipped',
    file: 'tests/test_needs_module.py'
  })
  expect(byId.get('tests/test_needs_module.py')?.message).toContain('squall_fixture_no_such_module')
  expect(byId.get('tests/test_gone.py::test_missing')).toMatchObject({ status: 'error' })
  expect(byId.get('tests/test_argv.py::test_argv_is_the_users')).toMatchObject({ status: 'passed' })
  // A module that failed at the session's collection is reported as pytest reports it.
  expect(byId.get('tests/test_broken_import.py')).toMatchObject({
    status: 'error',
    message: 'collection failure'
  })
  expect(byId.get('tests/test_broken_import.py')?.output).toContain('broken on purpose')
  expect(one.cases).toHaveLength(7)

  const env = 'tests/test_env.py'
  const two = await runJob(session, [`${env}::test_sees_job_env`, `${env}::test_env_is_restored`], {
    SQUALL_FIXTURE_JOB: 'one'
  })
  const three = await runJob(session, [`${env}::test_env_is_restored`], {
    SQUALL_FIXTURE_JOB: 'two'
  })
  expect(statusById([...two.cases, ...three.cases])).toEqual({
    [`${env}::test_sees_job_env`]: 'passed',
    [`${env}::test_env_is_restored`]: 'passed'
  })
  expect(three.cases).toHaveLength(1)
  // Every test module was imported once, at the one collection.
  const lines = readFileSync(imports, 'utf8').trim().split('\n')
  expect(lines.sort()).toEqual([...new Set(lines)].sort())
  expect(lines).toContain('tests/test_env.py')
}, 120_000)

test('an interpreter that aborts mid-job: the job fails, earlier cases are kept', async () => {
  const root = copyFixture('pytest-traps')
  const session = await startSession(root)
  const abort = 'tests/test_abort.py'
  const run = await runJob(
    session,
    [`${abort}::test_before_abort`, `${abort}::test_abort`, `${abort}::test_after_abort`],
    { SQUALL_FIXTURE_ABORT: '1' }
  )
  expect(run.error?.message).toMatch(/killed by SIGABRT|exited with code/)
  expect(statusById(run.cases)).toEqual({ [`${abort}::test_before_abort`]: 'passed' })
}, 120_000)
