/**
 * jest through squall: a generated suite of 24 files with skewed (log-normal) durations.
 * Overhead of `squall run` on 1 worker against plain `jest --runInBand`, and makespan ÷ lower
 * bound on 2 workers for squall (first run, then with timing history) against `jest --shard`,
 * all as wall time from start to finish (listing and start-up included on both sides).
 */
import { spawn } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runOnCluster } from './cluster.js'
import { logNormalDurations } from './random.js'
import { fixed, type Row } from './table.js'

const FILES = 24
// Two workers on this two-core machine: jest start-up is CPU-bound, more would only contend.
const WORKERS = 2
const TOTAL_SECONDS = 40
const SEED = 7

export async function frameworksBench(log: (line: string) => void): Promise<Row[]> {
  // Inside the repository so the suite finds the project's jest in node_modules.
  const dir = join(process.cwd(), 'build', 'bench-jest')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, 'tests'), { recursive: true })
  const seconds = logNormalDurations(FILES, 0.9, TOTAL_SECONDS, SEED)
  writeFileSync(join(dir, 'package.json'), '{ "type": "commonjs" }\n')
  writeFileSync(
    join(dir, 'jest.config.cjs'),
    "module.exports = { testEnvironment: 'node', testMatch: ['**/tests/*.test.js'] }\n"
  )
  seconds.forEach((s, i) => {
    const ms = Math.round(s * 1000)
    const tests = [0, 1, 2]
      .map(k => `test('part ${k}', () => new Promise(r => setTimeout(r, ${Math.round(ms / 3)})))`)
      .join('\n')
    writeFileSync(join(dir, 'tests', `file${String(i).padStart(2, '0')}.test.js`), `${tests}\n`)
  })
  const lowerBound = Math.max(TOTAL_SECONDS / WORKERS, Math.max(...seconds)) * 1000
  // Built at run time so the bundler does not take it for an asset to relocate.
  const jest = join(process.cwd(), ...['node_modules', '.bin', 'jest'])
  log(`frameworks: jest, ${FILES} files, ${fixed(TOTAL_SECONDS, 0)} s of tests`)
  try {
    const plain = await time([[jest, '--runInBand', '--ci']], dir)
    log(`  jest --runInBand: ${fixed(plain / 1000, 2)} s`)
    const one = await runOnCluster({ dir, framework: 'jest', workers: 1, slots: 1, timings: false })
    log(`  squall, 1 worker: ${fixed(one.wallMs / 1000, 2)} s`)
    const shards = await time(
      Array.from({ length: WORKERS }, (_, i) => [
        jest,
        '--runInBand',
        '--ci',
        `--shard=${i + 1}/${WORKERS}`
      ]),
      dir
    )
    log(`  jest --shard × ${WORKERS}: ${fixed(shards / 1000, 2)} s`)
    rmSync(join(dir, '.squall'), { recursive: true, force: true })
    const first = await runOnCluster({
      dir,
      framework: 'jest',
      workers: WORKERS,
      slots: 1,
      timings: true
    })
    const second = await runOnCluster({
      dir,
      framework: 'jest',
      workers: WORKERS,
      slots: 1,
      timings: true
    })
    log(
      `  squall × ${WORKERS}: ${fixed(first.wallMs / 1000, 2)} s, then ${fixed(second.wallMs / 1000, 2)} s with history`
    )
    const ratio = (ms: number): string =>
      `${fixed(ms / lowerBound)} (${fixed(ms / 1000, 2)} s / ${fixed(lowerBound / 1000, 2)} s)`
    return [
      {
        section: 'jest',
        case: 'squall run, 1 worker vs jest --runInBand',
        figure: 'wall-time overhead',
        value: `${fixed((100 * (one.wallMs - plain)) / plain, 1)}% (${fixed(one.wallMs / 1000, 2)} s vs ${fixed(plain / 1000, 2)} s)`,
        target: '≤ 15%'
      },
      {
        section: 'jest',
        case: `jest --shard, ${WORKERS} shards`,
        figure: 'makespan ÷ lower bound',
        value: ratio(shards)
      },
      {
        section: 'jest',
        case: `squall, ${WORKERS} workers, first run`,
        figure: 'makespan ÷ lower bound',
        value: ratio(first.wallMs)
      },
      {
        section: 'jest',
        case: `squall, ${WORKERS} workers, with history`,
        figure: 'makespan ÷ lower bound',
        value: ratio(second.wallMs)
      }
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Wall time of running all `commands` at once in `cwd` (whatever their exit codes). */
async function time(commands: string[][], cwd: string): Promise<number> {
  const started = performance.now()
  await Promise.all(
    commands.map(
      ([command, ...args]) =>
        new Promise<void>((resolvePromise, reject) => {
          const child = spawn(command as string, args, { cwd, stdio: 'ignore' })
          child.on('error', reject)
          child.on('close', () => resolvePromise())
        })
    )
  )
  return performance.now() - started
}
