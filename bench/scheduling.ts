/**
 * Scheduling quality: a seeded suite of 300 sleep jobs with log-normal durations on 8
 * workers. makespan ÷ lower bound for squall (timings unknown, then known from the first run)
 * and for the two static splits, all measured in the same run.
 */
import { spawn } from 'node:child_process'
import { countSplit, hashSplit } from '../src/scheduler/static-split.js'
import { runOnCluster, tempDir, writeJobs } from './cluster.js'
import { logNormalDurations } from './random.js'
import { fixed, type Row } from './table.js'

const JOBS = 300
const WORKERS = 8
const TOTAL_SECONDS = 96
const SIGMA = 1.0
const SEED = 42

export async function schedulingBench(log: (line: string) => void): Promise<Row[]> {
  const seconds = logNormalDurations(JOBS, SIGMA, TOTAL_SECONDS, SEED).map(
    s => Math.round(s * 1000) / 1000
  )
  const jobs = seconds.map((s, i) => ({ id: `job-${String(i).padStart(3, '0')}`, seconds: s }))
  const total = seconds.reduce((a, b) => a + b, 0)
  const lowerBoundMs = Math.max(total / WORKERS, Math.max(...seconds)) * 1000
  const rows: Row[] = []
  const row = (name: string, ms: number, target?: string): void => {
    rows.push({
      section: 'scheduling',
      case: name,
      figure: 'makespan ÷ lower bound',
      value: `${fixed(ms / lowerBoundMs)} (${fixed(ms / 1000, 2)} s / ${fixed(lowerBoundMs / 1000, 2)} s)`,
      target
    })
  }
  const { dir, remove } = tempDir('squall-bench-sched-')
  try {
    const jobsFile = writeJobs(
      dir,
      jobs.map(j => ({ name: j.id, argv: ['sleep', String(j.seconds)] }))
    )
    log(`scheduling: ${JOBS} jobs, ${fixed(total, 1)} s of work, ${WORKERS} workers`)
    const unknown = await runOnCluster({ dir, jobsFile, workers: WORKERS, slots: 1, timings: true })
    row('squall, timings unknown', unknown.makespanMs)
    log(`  timings unknown: ${fixed(unknown.makespanMs / 1000, 2)} s`)
    const known = await runOnCluster({ dir, jobsFile, workers: WORKERS, slots: 1, timings: true })
    row('squall, timings known', known.makespanMs, '≤ 1.05')
    log(`  timings known: ${fixed(known.makespanMs / 1000, 2)} s`)
    for (const [name, split] of [
      ['static count split (--shard)', countSplit(jobs, WORKERS)],
      ['static hash split', hashSplit(jobs, WORKERS)]
    ] as const) {
      const ms = await runShards(split.map(shard => shard.map(j => j.seconds)))
      row(name, ms)
      log(`  ${name}: ${fixed(ms / 1000, 2)} s`)
    }
  } finally {
    remove()
  }
  return rows
}

/** Runs each shard as one process that sleeps its jobs in order; all shards at once. */
async function runShards(shards: number[][]): Promise<number> {
  const started = performance.now()
  await Promise.all(
    shards.map(
      shard =>
        new Promise<void>((resolve, reject) => {
          const script = shard.map(s => `sleep ${s}`).join('; ') || 'true'
          const child = spawn('sh', ['-c', script], { stdio: 'ignore' })
          child.on('error', reject)
          child.on('close', () => resolve())
        })
    )
  )
  return performance.now() - started
}
