/**
 * Finds a job's processes that left its process group (setsid, double fork, setpgid): each job
 * runs with SQUALL_JOB_MARK=<random> in its environment, which every descendant inherits
 * unless it clears its environment on purpose, and after the job the worker kills every
 * process whose environment holds the mark. Linux only (/proc); elsewhere a clean no-op.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync, readdirSync } from 'node:fs'

/** The variable that marks a job's processes. */
export const JOB_MARK_ENV = 'SQUALL_JOB_MARK'

/** A fresh mark for one job attempt. */
export function newJobMark(): string {
  return randomBytes(12).toString('hex')
}

/** Pids of live processes whose environment holds `mark` (those we may read: our own). */
export function markedProcesses(mark: string): number[] {
  let names: string[]
  try {
    names = readdirSync('/proc')
  } catch {
    return []
  }
  const needle = Buffer.from(`\0${JOB_MARK_ENV}=${mark}\0`)
  const first = Buffer.from(`${JOB_MARK_ENV}=${mark}\0`)
  const found: number[] = []
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue
    const pid = Number(name)
    if (pid === process.pid) continue
    let environ: Buffer
    try {
      environ = readFileSync(`/proc/${name}/environ`)
    } catch {
      continue // gone, or another user's
    }
    if (environ.includes(needle) || environ.subarray(0, first.length).equals(first)) found.push(pid)
  }
  return found
}

/**
 * Kills every process that carries `mark`, a few passes over, since one may fork while we look.
 * Returns how many were killed.
 */
export function killMarked(mark: string, passes = 3): number {
  let killed = 0
  for (let i = 0; i < passes; i++) {
    const pids = markedProcesses(mark)
    if (pids.length === 0) break
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL')
        killed++
      } catch {
        // already gone
      }
    }
  }
  return killed
}
