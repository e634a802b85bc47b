/**
 * Overhead: 2,000 trivial jobs (`true`) through the local cluster against spawning the same
 * 2,000 processes directly with the same parallelism.
 */
import { spawn } from 'node:child_process'
import { runOnCluster, tempDir, writeJobs } from './cluster.js'
import { fixed, type Row } from './table.js'

const JOBS = 2000
const WORKERS = 2
const SLOTS = 2

export async function overheadBench(log: (line: string) => void): Promise<Row[]> {
  const parallelism = WORKERS * SLOTS
  const { dir, remove } = tempDir('squall-bench-overhead-')
  try {
    const jobsFile = writeJobs(
      dir,
      Array.from({ length: JOBS }, (_, i) => ({ name: `true-${i}`, argv: ['true'] }))
    )
    log(`overhead: ${JOBS} × true, ${WORKERS} workers × ${SLOTS} slots`)
    const direct = await spawnDirect(JOBS, parallelism)
    log(`  direct: ${fixed(direct / 1000, 2)} s`)
    const run = await runOnCluster({
      dir,
      jobsFile,
      workers: WORKERS,
      slots: SLOTS,
      timings: false
    })
    log(`  cluster: ${fixed(run.makespanMs / 1000, 2)} s`)
    const added = (run.makespanMs - direct) / JOBS
    return [
      {
        section: 'overhead',
        case: `direct spawn, ${parallelism} at once`,
        figure: 'jobs/s',
        value: fixed((JOBS / direct) * 1000, 0)
      },
      {
        section: 'overhead',
        case: `squall run, ${WORKERS}×${SLOTS} slots`,
        figure: 'jobs/s',
        value: fixed((JOBS / run.makespanMs) * 1000, 0)
      },
      {
        section: 'overhead',
        case: 'squall vs direct',
        figure: 'added wall ms per job',
        value: fixed(added, 2),
        target: '≤ 5'
      },
      {
        section: 'overhead',
        case: 'squall vs direct',
        figure: 'added ms per job per slot',
        value: fixed(added * parallelism, 2)
      }
    ]
  } finally {
    remove()
  }
}

async function spawnDirect(count: number, parallelism: number): Promise<number> {
  const started = performance.now()
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < count) {
      next++
      await new Promise<void>((resolve, reject) => {
        const child = spawn('true', [], { stdio: 'ignore', detached: true })
        child.on('error', reject)
        child.on('close', () => resolve())
      })
    }
  }
  await Promise.all(Array.from({ length: parallelism }, lane))
  return performance.now() - started
}
