/**
 * Runs one command as the leader of its own process group, so that a time limit, a cancel or
 * the end of the job reaches everything it started. Output is captured within a cap.
 */
import { spawn } from 'node:child_process'
import type { CapturedOutput } from '../protocol/types.js'
import { OutputCapture } from './capture.js'
import { JOB_MARK_ENV, killMarked, newJobMark } from './job-mark.js'

/** Sends `signal` to the group led by `pid`; false when the group is already gone. */
export function signalGroup(pid: number | undefined, signal: NodeJS.Signals): boolean {
  if (!pid) return false
  try {
    process.kill(-pid, signal)
    return true
  } catch {
    return false
  }
}

/** How to run one process. */
export interface GroupRunOptions {
  argv: string[]
  cwd: string
  env: NodeJS.ProcessEnv
  timeoutMs: number
  /** Between SIGTERM and SIGKILL when the run is stopped. */
  killGraceMs: number
  /** Bytes kept per stream. */
  outputCapBytes: number
  /** Aborting stops the run (same escalation as a timeout). */
  signal?: AbortSignal
  /**
   * After the leader exits, how long to wait for stdout/stderr to close: a process that left
   * the group may still hold them, and must not keep us waiting.
   */
  pipeDrainMs?: number
}

/** How a run ended. */
export interface GroupRunOutcome {
  exitCode: number | null
  signal: string | null
  /** We stopped it because the time limit passed. */
  timedOut: boolean
  /** We stopped it because the abort signal fired (and not for the time limit). */
  cancelled: boolean
  /** The process could not be started (e.g. ENOENT); nothing ran. */
  spawnError?: string
  durationMs: number
  stdout: CapturedOutput
  stderr: CapturedOutput
}

const DEFAULT_PIPE_DRAIN_MS = 1000

/** Node fires a longer timer at once (with a warning); clamp to the largest it honours. */
function timerMs(ms: number): number {
  return Math.min(Math.max(0, ms), 2_147_483_647)
}

/** Runs `argv` in a new process group and resolves when it is over; never rejects. */
export function runInGroup(options: GroupRunOptions): Promise<GroupRunOutcome> {
  return new Promise(resolvePromise => {
    const started = performance.now()
    const out = new OutputCapture(options.outputCapBytes)
    const err = new OutputCapture(options.outputCapBytes)
    let timedOut = false
    let cancelled = false
    let exit: { code: number | null; signal: string | null } | undefined
    const timers: { limit?: NodeJS.Timeout; kill?: NodeJS.Timeout; drain?: NodeJS.Timeout } = {}
    let done = false
    // Processes that leave the group still carry this mark in their environment.
    const mark = newJobMark()

    const finish = (spawnError?: string): void => {
      if (done) return
      done = true
      clearTimers()
      killMarked(mark)
      options.signal?.removeEventListener('abort', onAbort)
      child?.stdout?.destroy()
      child?.stderr?.destroy()
      resolvePromise({
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        timedOut,
        cancelled: cancelled && !timedOut,
        durationMs: Math.round(performance.now() - started),
        stdout: out.result(),
        stderr: err.result(),
        ...(spawnError !== undefined ? { spawnError } : {})
      })
    }
    const clearTimers = (): void => {
      clearTimeout(timers.limit)
      clearTimeout(timers.kill)
      clearTimeout(timers.drain)
    }
    const stop = (): void => {
      if (exit || done) return
      signalGroup(child?.pid, 'SIGTERM')
      timers.kill ??= setTimeout(
        () => signalGroup(child?.pid, 'SIGKILL'),
        timerMs(options.killGraceMs)
      )
    }
    const onAbort = (): void => {
      if (exit || done) return
      cancelled = true
      stop()
    }

    let child: ReturnType<typeof spawn> | undefined
    try {
      child = spawn(options.argv[0] as string, options.argv.slice(1), {
        cwd: options.cwd,
        env: { ...options.env, [JOB_MARK_ENV]: mark },
        // Its own process group (and session): signals to -pid reach all it started.
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe']
      })
    } catch (error) {
      // Invalid arguments (e.g. a NUL byte) throw here instead of emitting 'error'.
      finish(error instanceof Error ? error.message : String(error))
      return
    }

    child.stdout?.on('data', (chunk: Buffer) => out.write(chunk))
    child.stderr?.on('data', (chunk: Buffer) => err.write(chunk))
    child.on('error', error => {
      // Only a failed spawn leaves no exit to wait for; later errors (a failed kill) do not end us.
      if (!exit && child?.pid === undefined) finish(error.message)
    })
    child.on('exit', (code, sig) => {
      exit = { code, signal: sig }
      clearTimeout(timers.limit)
      clearTimeout(timers.kill)
      // Whatever the job left running goes with it, in its group or not: no orphans.
      signalGroup(child?.pid, 'SIGKILL')
      killMarked(mark)
      timers.drain = setTimeout(() => finish(), options.pipeDrainMs ?? DEFAULT_PIPE_DRAIN_MS)
    })
    child.on('close', () => {
      if (exit) finish()
    })

    timers.limit = setTimeout(() => {
      if (exit || done) return
      timedOut = true
      stop()
    }, timerMs(options.timeoutMs))
    options.signal?.addEventListener('abort', onAbort, { once: true })
    if (options.signal?.aborted) onAbort()
  })
}
