/**
 * The vitest suite, of the jest suite's shape: a slow transform (a Vite plugin busy-waiting
 * per test file; Vite keeps no transform cache between runs, so every run pays it) and skewed
 * files, one ~40% of the test time. Expected-fail, skipped and todo tests are in it too.
 */
import { join } from 'node:path'
import { jsReportCounts } from './suite-jest.js'
import { dominantDurations, intBetween, mulberry32 } from './random.js'
import {
  PROBE_FILES,
  freshSuiteDir,
  jsBurn,
  put,
  putProbeFiles,
  splitMs,
  type BenchSuite
} from './suite.js'

const SEED = 13
/** Busy wait per test file in the plugin's transform, ms. */
const TRANSFORM_MS = 150

function testFile(index: number, sleeps: number[]): string {
  const lines = [
    "import { test } from 'vitest'",
    ...sleeps.map(
      (ms, k) => `test('part ${k}', () => new Promise(resolve => setTimeout(resolve, ${ms})))`
    )
  ]
  if (index === 1) lines.push("test.skip('skipped', () => {})")
  if (index === 2) lines.push("test.todo('todo')")
  if (index === 3) lines.push("test.fails('expected to fail', () => { throw new Error('no') })")
  return `${lines.join('\n')}\n`
}

export function vitestSuite(scale: number): BenchSuite {
  const dir = freshSuiteDir('vitest')
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
    tests += sleeps.length + (i >= 1 && i <= 3 ? 1 : 0)
    put(dir, `tests/file${String(i).padStart(3, '0')}.test.js`, testFile(i, sleeps))
  })
  put(dir, 'probe/startup.test.js', "import { test } from 'vitest'\ntest('starts', () => {})\n")
  putProbeFiles(dir, "import { test } from 'vitest'\ntest('starts', () => {})\n")
  put(dir, 'package.json', '{ "type": "module" }\n')
  put(
    dir,
    'vitest.config.mjs',
    `import { defineConfig } from 'vitest/config'
${jsBurn('burn')}
export default defineConfig({
  plugins: [
    {
      name: 'slow-transform',
      transform(code, id) {
        if (/[\\\\/]tests[\\\\/]file\\d+\\.test\\.js$/.test(id)) burn(${TRANSFORM_MS})
        return null
      }
    }
  ],
  test: {
    // The suite's own choice, so the framework's run and squall's run the same pool.
    pool: 'threads',
    include: process.env.SQUALL_BENCH_PROBE ? [\`\${process.env.SQUALL_BENCH_PROBE}/*.test.js\`] : ['tests/*.test.js']
  }
})
`
  )
  // Built at run time so the bundler does not take it for an asset to relocate.
  const vitest = join(process.cwd(), ...['node_modules', '.bin', 'vitest'])
  return {
    framework: 'vitest',
    dir,
    describe: `${files} files, ${tests} tests, transform ${TRANSFORM_MS} ms/file`,
    workMs,
    longestUnitMs,
    tests,
    units: files,
    passThrough: [],
    probe: () => ({
      argv: [vitest, 'run', '--pool=threads', '--maxWorkers=1', '--minWorkers=1'],
      env: { SQUALL_BENCH_PROBE: 'probe' }
    }),
    perUnitProbe: () => ({
      command: {
        argv: [vitest, 'run', '--pool=threads', '--maxWorkers=1', '--minWorkers=1'],
        env: { SQUALL_BENCH_PROBE: 'probe-many' }
      },
      units: PROBE_FILES
    }),
    ownUnavailable: () => undefined,
    own: report => ({
      argv: [
        vitest,
        'run',
        '--pool=threads',
        '--maxWorkers=2',
        '--minWorkers=2',
        '--reporter=json',
        '--outputFile',
        report
      ]
    }),
    ownCounts: report => jsReportCounts(report),
    shard: (index, total) => ({
      argv: [
        vitest,
        'run',
        '--pool=threads',
        '--maxWorkers=1',
        '--minWorkers=1',
        `--shard=${index}/${total}`
      ]
    }),
    clearCaches: () => undefined
  }
}
