/** Starting the bench's processes: timed, output kept in a log file, nothing left behind. */
import { spawn } from 'node:child_process'
import { closeSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Command } from './suite.js'

/** A bound no bench process should reach on an idle machine; past it the whole group dies. */
const LIMIT_MS = 20 * 60_000

export interface Timed {
  wallMs: number
  /** Exit code of each command, in order (null: killed by a signal). */
  codes: (number | null)[]
}

/**
 * Runs `commands` at once in `cwd` and returns the wall time until the last one ended.
 * Output of all goes to `logFile` (appended), for a look when a figure seems off.
 */
export async function runAll(commands: Command[], cwd: string, logFile: string): Promise<Timed> {
  mkdirSync(dirname(logFile), { recursive: true })
  const fd = openSync(logFile, 'a')
  const started = performance.now()
  try {
    const codes = await Promise.all(commands.map(c => runOne(c, cwd, fd)))
    return { wallMs: performance.now() - started, codes }
  } finally {
    closeSync(fd)
  }
}

function runOne(command: Command, cwd: string, fd: number): Promise<number | null> {
  const [file, ...args] = command.argv as [string, ...string[]]
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd,
      // Logs are files: no colours (pytest takes any FORCE_COLOR, even 0, as a yes).
      env: { ...withoutForceColor(process.env), NO_COLOR: '1', ...command.env },
      stdio: ['ignore', fd, fd],
      // Its own group, so a stuck run is killed whole (workers and all).
      detached: true
    })
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
      } catch {
        // the group is gone already
      }
    }, LIMIT_MS)
    child.on('error', error => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', code => {
      clearTimeout(timer)
      resolve(code)
    })
  })
}

/** The fastest of `times` runs of `command` (a start-up probe: noise only adds). */
export async function fastestOf(
  times: number,
  command: Command,
  cwd: string,
  logFile: string
): Promise<Timed> {
  let best: Timed | undefined
  for (let i = 0; i < times; i++) {
    const run = await runAll([command], cwd, logFile)
    if (best === undefined || run.wallMs < best.wallMs) best = run
  }
  return best as Timed
}

function withoutForceColor(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _ignored, ...rest } = env
  return rest
}
