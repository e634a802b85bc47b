/**
 * Phase time stamps for profiling a run's fixed costs, off unless `SQUALL_TRACE_FILE` names a
 * file: each process (the CLI, the broker, the workers) appends `<epoch ms> <pid> <what>`
 * lines to it, so one file shows where a small suite's time goes. No effect on behaviour.
 */
import { appendFileSync } from 'node:fs'

/** The variable naming the trace file. */
export const TRACE_ENV = 'SQUALL_TRACE_FILE'

const file = process.env[TRACE_ENV]

/** Records that `what` happened now (and, once per process, when the process started). */
export function trace(what: string): void {
  if (!file) return
  if (!started) {
    started = true
    write(Math.round(performance.timeOrigin), `process start (${process.argv[2] ?? ''})`)
  }
  write(Date.now(), what)
}

let started = false

function write(at: number, what: string): void {
  try {
    appendFileSync(file as string, `${at} ${process.pid} ${what}\n`)
  } catch {
    // A trace that cannot be written is no reason to fail a run.
  }
}
