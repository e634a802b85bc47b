/**
 * The jest suite: a slow transform (a busy wait per test file, cacheable by jest's cache,
 * which lives under the temporary directory as jest's default does) and skewed files: one
 * file holds ~40% of the test time, the rest are log-normal.
 * SQUALL_BENCH_JEST_CACHE=0 passes `--no-cache` to every jest run (a transform that cannot be
 * cached, paid at every start).
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dominantDurations, intBetween, mulberry32 } from './random.js'
import {
  PROBE_FILES,
  freshSuiteDir,
  jsBurn,
  put,
  putProbeFiles,
  splitMs,
  type BenchSuite,
  type Counts
} from './suite.js'

const SEED = 11
/** Busy wait per test file in the transform, ms (paid once per file while the cache is cold). */
const TRANSFORM_MS = 150
const CACHE_NAME = 'squall-bench-jest-cache'

/** Test-file source: `tests` sleeps, plus a skipped and a todo test in two files. */
function testFile(index: number, sleeps: number[]): string {
  const lines = sleeps.map(
    (ms, k) => `test('part ${k}', () => new Promise(resolve => setTimeout(resolve, ${ms})))`
  )
  if (index === 1) lines.push("test.skip('skipped', () => {})")
  if (index === 2) lines.push("test.todo('todo')")
  return `${lines.join('\n')}\n`
}

export function jestSuite(scale: number): BenchSuite {
  const dir = freshSuiteDir('jest')
  const files = Math.max(4, Math.round(40 * scale))
  const random = mulberry32(SEED)
  let workMs = 0
  let longestUnitMs = 0
  let tests = 0
  dominantDurations(files, 0.4, 24_000 * scale, SEED).forEach((ms, i) => {
    const sleeps = splitMs(ms, intBetween(random, 3, 8))
    const fileMs = sleeps.reduce((a, b) => a + b, 0) + TRANSFORM_MS
    workMs += fileMs
    longestUnitMs = Math.max(longestUnitMs, fileMs)
    tests += sleeps.length + (i === 1 || i === 2 ? 1 : 0)
    put(dir, `tests/file${String(i).padStart(3, '0')}.test.js`, testFile(i, sleeps))
  })
  put(dir, 'probe/startup.test.js', "test('starts', () => {})\n")
  putProbeFiles(dir, "test('starts', () => {})\n")
  put(dir, 'package.json', '{ "type": "commonjs" }\n')
  put(
    dir,
    'jest.config.cjs',
    `const { join } = require('node:path')
const { tmpdir } = require('node:os')
module.exports = {
  testEnvironment: 'node',
  testMatch: process.env.SQUALL_BENCH_PROBE ? [\`<rootDir>/\${process.env.SQUALL_BENCH_PROBE}/*.test.js\`] : ['<rootDir>/tests/*.test.js'],
  transform: { '\\\\.js$': '<rootDir>/slow-transform.cjs' },
  // Under the temporary directory, as jest's default is: the run's TMPDIR decides if it is warm.
  cacheDirectory: join(tmpdir(), '${CACHE_NAME}')
}
`
  )
  put(
    dir,
    'slow-transform.cjs',
    `const { createHash } = require('node:crypto')
const MS = ${TRANSFORM_MS}
${jsBurn('burn')}
module.exports = {
  getCacheKey(source, path) {
    return createHash('sha256').update(\`slow-\${MS}\\0\${path}\\0\`).update(source).digest('hex')
  },
  process(source, path) {
    if (/[\\\\/]tests[\\\\/]file\\d+\\.test\\.js$/.test(path)) burn(MS)
    return { code: source }
  }
}
`
  )
  // Built at run time so the bundler does not take it for an asset to relocate.
  const jest = join(process.cwd(), ...['node_modules', '.bin', 'jest'])
  const passThrough = process.env.SQUALL_BENCH_JEST_CACHE === '0' ? ['--no-cache'] : []
  const squallTmp = join(dir, '.tmp')
  return {
    framework: 'jest',
    dir,
    describe: `${files} files, ${tests} tests, transform ${TRANSFORM_MS} ms/file`,
    workMs,
    longestUnitMs,
    tests,
    units: files,
    passThrough,
    probe: () => ({
      argv: [jest, '--ci', '--maxWorkers=1', ...passThrough],
      env: { SQUALL_BENCH_PROBE: 'probe' }
    }),
    perUnitProbe: () => ({
      command: {
        argv: [jest, '--ci', '--maxWorkers=1', ...passThrough],
        env: { SQUALL_BENCH_PROBE: 'probe-many' }
      },
      units: PROBE_FILES
    }),
    ownUnavailable: () => undefined,
    own: report => ({
      argv: [jest, '--ci', '--maxWorkers=2', '--json', '--outputFile', report, ...passThrough]
    }),
    ownCounts: report => jsReportCounts(report),
    shard: (index, total) => ({
      argv: [jest, '--ci', '--maxWorkers=1', `--shard=${index}/${total}`, ...passThrough]
    }),
    // squall's jest sessions keep their cache under squall's cache dir (TMPDIR's): the suite's
    // own, so clearing it makes squall's runs as cold as jest's own.
    env: { TMPDIR: squallTmp },
    clearCaches: () => {
      rmSync(join(tmpdir(), CACHE_NAME), { recursive: true, force: true })
      rmSync(squallTmp, { recursive: true, force: true })
      mkdirSync(squallTmp, { recursive: true })
    }
  }
}

/** Counts from a jest-style JSON report (jest's `--json`, vitest's json reporter). */
export function jsReportCounts(report: string): Counts {
  const r = JSON.parse(readFileSync(report, 'utf8')) as Record<string, number | undefined>
  return {
    passed: r.numPassedTests ?? 0,
    failed: r.numFailedTests ?? 0,
    skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0)
  }
}
