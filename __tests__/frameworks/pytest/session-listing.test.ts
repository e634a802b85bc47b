/**
 * A pytest session started ahead lists the suite for the runner (real pytest): the listing it
 * writes gives exactly the items `--collect-only` gives, modules skipped or broken at
 * collection included; without one (a session that cannot collect, no session at all) the
 * runner lists by itself and reports what pytest says.
 */
import { join } from 'node:path'
import { failedMarker } from '../../../src/frameworks/core/session-listing.js'
import { pytestFramework } from '../../../src/frameworks/pytest/pytest.js'
import {
  PYTEST_SESSION_ARGS,
  pytestSessionHandler
} from '../../../src/frameworks/pytest/session.js'
import type { SessionHandler } from '../../../src/worker/session/host.js'
import { writeFileSync } from 'node:fs'
import { cleanUp, copyFixture, requireToolchain, tempDir } from '../job-harness.js'

beforeAll(() => {
  requireToolchain('pytest (python3 -m pytest)', 'python3', ['-m', 'pytest', '--version'])
})

const handlers: SessionHandler[] = []
afterAll(async () => {
  for (const handler of handlers.splice(0)) await handler.close?.().catch(() => undefined)
  cleanUp()
})

/** Runs `body` with `env` added to process.env (the session host and the listing read it). */
async function withEnv<T>(env: Record<string, string>, body: () => Promise<T>): Promise<T> {
  const saved = { ...process.env }
  Object.assign(process.env, env)
  try {
    return await body()
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
    Object.assign(process.env, saved)
  }
}

/** The listing a warm session's spec asks for, as the worker would start it. */
async function listingSession(cwd: string, listFile: string, env: Record<string, string>) {
  const spec = await pytestFramework.warmSession?.({
    cwd,
    args: [],
    sessionCommand: ['squall', 'session'],
    listFile
  })
  expect(spec?.listFile).toBe(listFile)
  const handler = pytestSessionHandler(cwd)
  handlers.push(handler)
  const started = withEnv({ ...env, ...spec?.env, [PYTEST_SESSION_ARGS]: '[]' }, () =>
    handler.start()
  )
  return { handler, started }
}

test('the listing of a session started ahead is the listing --collect-only gives', async () => {
  const root = copyFixture('pytest-traps')
  // A module broken at collection and one skipped there: both are items of the listing.
  const env = { SQUALL_FIXTURE_BROKEN: '1' }
  const cold = await withEnv(env, () =>
    pytestFramework.list({ cwd: root, args: [], timeoutMs: 60_000 })
  )
  expect(cold.map(i => i.id)).toEqual(
    expect.arrayContaining(['tests/test_needs_module.py', 'tests/test_broken_import.py'])
  )
  const file = join(tempDir('listing'), 'session-listing.json')
  const { started } = await listingSession(root, file, env)
  // The runner waits for the file the session writes just before it is ready.
  const fromSession = await pytestFramework.list({
    cwd: root,
    args: [],
    timeoutMs: 60_000,
    sessionListing: { file, alive: () => true }
  })
  await started
  expect(fromSession).toEqual(cold)
}, 120_000)

test('no listing from a session: the runner lists and reports what pytest says', async () => {
  const root = copyFixture('pytest-traps')
  const file = join(tempDir('listing'), 'session-listing.json')
  // A worker whose session could not start says so beside the file.
  writeFileSync(failedMarker(file), 'cannot run python3\n')
  const listed = await pytestFramework.list({
    cwd: root,
    args: [],
    timeoutMs: 60_000,
    sessionListing: { file, alive: () => true }
  })
  expect(listed.map(i => i.id)).toContain('tests/test_expected.py::test_plain')

  // A path that does not exist: the session ends before its loop and writes nothing; the
  // workers gone, the runner's own listing gives pytest's usage error.
  const missing = join(tempDir('listing'), 'never.json')
  await expect(
    pytestFramework.list({
      cwd: root,
      args: ['tests/no_such_file.py'],
      timeoutMs: 60_000,
      sessionListing: { file: missing, alive: () => false }
    })
  ).rejects.toThrow(/pytest --collect-only failed \(exit code 4\)/)
}, 120_000)
