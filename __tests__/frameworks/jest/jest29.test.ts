/**
 * A suite on jest 29 through the built CLI, as a user of an older jest runs it: jest 29's
 * `jest` package does not export `buildArgv` (jest 30's does), and jest's bin sets
 * `NODE_ENV=test` where it is unset. squall's warm sessions must do both and report exactly
 * what jest 29 alone reports.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { makeTempDir, runCliProcess } from '../../helpers/cli.js'

interface Report {
  summary: { passed: number; failed: number; skipped: number; flaky: number }
  tests: { name: string; outcome: string; file?: string }[]
}

interface JestJson {
  testResults: { name: string; assertionResults: { fullName: string; status: string }[] }[]
}

/** The fixture is a package of its own: the repository's `npm ci` installs its jest 29. */
const cwd = resolve('__tests__/fixtures/jest29-suite')
const jest29 = join(cwd, 'node_modules', 'jest')
/** Our environment less what a jest run of our own set: the suite's jest decides. */
const clean = { NODE_ENV: undefined, JEST_WORKER_ID: undefined, NODE_OPTIONS: undefined }

test('jest 29: the warm session runs the suite and counts what jest 29 alone counts', async () => {
  expect(JSON.parse(readFileSync(join(jest29, 'package.json'), 'utf8')).version).toMatch(/^29\./)
  const temp = makeTempDir('squall-jest29-')
  try {
    // jest 29 alone.
    const ownJson = join(temp.dir, 'own.json')
    const env: NodeJS.ProcessEnv = { ...process.env }
    for (const key of Object.keys(clean)) delete env[key]
    const own = spawnSync(
      process.execPath,
      [join(jest29, 'bin', 'jest.js'), '--ci', '--json', '--outputFile', ownJson],
      { cwd, env, encoding: 'utf8' }
    )
    expect(own.status).toBe(1)
    const alone = (JSON.parse(readFileSync(ownJson, 'utf8')) as JestJson).testResults
      .flatMap(file => file.assertionResults.map(a => `${a.fullName}: ${a.status}`))
      .map(line => line.replace(/: pending$/, ': skipped'))
      .sort()
    expect(alone).toHaveLength(7)

    // squall, one worker with two warm slots.
    const json = join(temp.dir, 'out.json')
    const result = await runCliProcess(
      [
        'run',
        '--framework',
        'jest',
        '--workers',
        '1',
        '--slots',
        '2',
        '--json',
        json,
        '--no-timings',
        '--cwd',
        cwd
      ],
      { cwd, timeoutMs: 120_000, env: clean }
    )
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report
    expect({ code: result.code, summary: report.summary }).toMatchObject({
      code: 1,
      summary: { passed: 5, failed: 1, skipped: 1, flaky: 0 }
    })
    const ours = report.tests.map(t => `${t.name}: ${t.outcome}`).sort()
    expect(ours).toEqual(alone)
    // The session ran it: the run says so (a cold fallback would not name the session).
    expect(result.stdout + result.stderr).not.toMatch(/buildArgv/)
  } finally {
    temp.remove()
  }
}, 150_000)
