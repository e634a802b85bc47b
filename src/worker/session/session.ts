/**
 * One warm framework process, worker side: started in its own process group with fd 3 as the
 * control channel, ready within a start-up deadline, then fed one job at a time. Its output
 * goes to whichever capture the running job (or the start-up) holds. A session that crashes,
 * times out or is cancelled is dead for good: its whole group is killed and it is discarded.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Duplex } from 'node:stream'
import { createInterface } from 'node:readline'
import type { CapturedOutput, TestCaseResult } from '../../protocol/types.js'
import { sessionBundleCommand, withOwnCli } from '../../cluster/spawn-cli.js'
import { directSessionLaunchers } from '../../frameworks/session-hosts.js'
import { OutputCapture } from '../capture.js'
import { JOB_MARK_ENV, killMarked, newJobMark } from '../job-mark.js'
import { signalGroup } from '../process-group.js'
import { trace } from '../../trace.js'
import {
  CASES_FILE,
  encodeLine,
  parseSessionLine,
  type SessionMessage,
  type WorkerMessage
} from './messages.js'

/** How to start a session process. */
export interface SessionLaunch {
  key: string
  argv: string[]
  cwd: string
  env: NodeJS.ProcessEnv
}

/** Output captured for one job (or for the start-up). */
interface Captures {
  out: OutputCapture
  err: OutputCapture
}

/** How a job's run in a session ended. */
export interface SessionRunOutcome {
  ended: 'done' | 'crashed' | 'timed-out' | 'cancelled'
  cases: TestCaseResult[]
  done?: Extract<SessionMessage, { t: 'done' }>
  /** How the process ended, when it did. */
  exit?: { code: number | null; signal: string | null }
  durationMs: number
  stdout: CapturedOutput
  stderr: CapturedOutput
}

/** A start-up that failed: why, and what the process printed meanwhile. */
export interface SessionStartFailure {
  error: string
  stdout: CapturedOutput
  stderr: CapturedOutput
}

/** What one run needs besides the message. */
export interface SessionRunOptions {
  timeoutMs: number
  killGraceMs: number
  outputCapBytes: number
  signal?: AbortSignal
}

/**
 * How long after `done` the job's output is still taken as its own. Output and the channel
 * are separate pipes; the hosts hand their output to the OS before they send `done`, so what
 * is left is the worker reading both pipes: a few ms (the session's own children excepted).
 */
const OUTPUT_SETTLE_MS = 5

/** Node fires a longer timer at once (with a warning); clamp to the largest it honours. */
const timerMs = (ms: number): number => Math.min(Math.max(0, ms), 2_147_483_647)

export class Session {
  /** The session host's own pid (from `ready`; the group leader's pid otherwise). */
  pid = 0
  startupMs = 0
  /** Set once the process is gone or being killed; a dead session is never reused. */
  dead = false
  /** Jobs this session has run (1 after the first). */
  jobs = 0
  private captures: Captures
  private exit?: { code: number | null; signal: string | null }
  private readonly exited: Promise<void>
  private listener?: (message: SessionMessage) => void
  private onGone?: () => void

  private constructor(
    readonly key: string,
    private readonly child: ChildProcess,
    private readonly channel: Duplex,
    startCapture: Captures,
    /** The SQUALL_JOB_MARK value of every process the session started. */
    private readonly mark: string
  ) {
    this.captures = startCapture
    child.stdout?.on('data', (chunk: Buffer) => this.captures.out.write(chunk))
    child.stderr?.on('data', (chunk: Buffer) => this.captures.err.write(chunk))
    this.exited = new Promise(resolve => {
      child.on('exit', (code, signal) => {
        this.exit = { code, signal }
        this.dead = true
        // Whatever the session left running goes with it, in its group or escaped: no orphans.
        signalGroup(child.pid, 'SIGKILL')
        killMarked(this.mark)
        this.onGone?.()
        resolve()
      })
    })
    const lines = createInterface({ input: channel, crlfDelay: Infinity })
    lines.on('line', line => {
      const message = parseSessionLine(line)
      if (message) this.listener?.(message)
    })
    // A closed channel with the process still alive is a session we can no longer drive.
    channel.on('close', () => {
      if (this.dead) return
      this.kill()
    })
    channel.on('error', () => undefined)
  }

  /** Starts a session and waits for its `ready`; never rejects. `stop` kills it mid-start. */
  static start(
    launch: SessionLaunch,
    startTimeoutMs: number,
    outputCapBytes: number,
    stop?: AbortSignal
  ): Promise<Session | SessionStartFailure> {
    const capture: Captures = {
      out: new OutputCapture(outputCapBytes),
      err: new OutputCapture(outputCapBytes)
    }
    const failed = (error: string): SessionStartFailure => ({
      error,
      stdout: capture.out.result(),
      stderr: capture.err.result()
    })
    let child: ChildProcess
    // Marks every process the session starts, so those that leave its group are found too.
    const mark = newJobMark()
    try {
      const { argv, env } = resolveLaunch(launch)
      child = spawn(argv[0] as string, argv.slice(1), {
        cwd: launch.cwd,
        env: { ...env, [JOB_MARK_ENV]: mark },
        // Its own process group: a kill reaches everything the tests started.
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe', 'pipe']
      })
    } catch (error) {
      return Promise.resolve(failed(error instanceof Error ? error.message : String(error)))
    }
    const channel = child.stdio[3] as Duplex | null
    if (!channel) {
      signalGroup(child.pid, 'SIGKILL')
      return Promise.resolve(failed('the session has no control channel'))
    }
    const session = new Session(launch.key, child, channel, capture, mark)
    const began = performance.now()
    return new Promise(resolve => {
      let settled = false
      const settle = (value: Session | SessionStartFailure): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        stop?.removeEventListener('abort', onStop)
        session.listener = undefined
        session.onGone = undefined
        resolve(value)
      }
      const timer = setTimeout(() => {
        session.kill()
        settle(failed(`the session was not ready within ${Math.round(startTimeoutMs / 1000)} s`))
      }, timerMs(startTimeoutMs))
      const onStop = (): void => {
        session.kill()
        settle(failed('the session was no longer wanted'))
      }
      if (stop?.aborted) onStop()
      else stop?.addEventListener('abort', onStop, { once: true })
      child.on('error', error => {
        if (child.pid === undefined) settle(failed(error.message))
      })
      session.onGone = () => {
        // Let the last output arrive before it is read.
        setImmediate(() =>
          settle(failed(`the session exited before it was ready (${session.how()})`))
        )
      }
      session.listener = message => {
        if (message.t !== 'ready') return
        session.pid = message.pid
        session.startupMs = Math.round(message.startupMs ?? performance.now() - began)
        trace(`session ready (pid ${message.pid})`)
        settle(session)
      }
    })
  }

  /** Runs one job; resolves when it is done, the session died, or the job was stopped. */
  run(
    message: Extract<WorkerMessage, { t: 'run' }>,
    options: SessionRunOptions
  ): Promise<SessionRunOutcome> {
    const began = performance.now()
    const captures: Captures = {
      out: new OutputCapture(options.outputCapBytes),
      err: new OutputCapture(options.outputCapBytes)
    }
    this.captures = captures
    this.jobs++
    const cases: TestCaseResult[] = []
    const casesFile = join(message.jobDir, CASES_FILE)
    return new Promise(resolve => {
      let settled = false
      let stopped: 'timed-out' | 'cancelled' | undefined
      let finished: SessionRunOutcome['done']
      const settle = (
        ended: SessionRunOutcome['ended'],
        done?: SessionRunOutcome['done']
      ): void => {
        if (settled) return
        settled = true
        clearTimeout(limit)
        options.signal?.removeEventListener('abort', onAbort)
        this.listener = undefined
        this.onGone = undefined
        cases.push(...casesFromFile(casesFile, message.job))
        resolve({
          ended,
          cases,
          ...(done ? { done } : {}),
          ...(this.exit ? { exit: this.exit } : {}),
          durationMs: Math.round(performance.now() - began),
          stdout: captures.out.result(),
          stderr: captures.err.result()
        })
      }
      const stop = (why: 'timed-out' | 'cancelled'): void => {
        if (stopped || settled) return
        stopped = why
        this.kill(options.killGraceMs)
      }
      const onAbort = (): void => stop('cancelled')
      const limit = setTimeout(() => stop('timed-out'), timerMs(options.timeoutMs))
      this.listener = incoming => {
        if (incoming.t === 'case' && incoming.job === message.job) cases.push(incoming.case)
        else if (incoming.t === 'done' && incoming.job === message.job) {
          // Output and the channel are separate pipes: what the job printed just before
          // `done` may still be on its way, so the job's capture stays open a moment longer.
          finished = incoming
          setTimeout(() => settle('done', incoming), OUTPUT_SETTLE_MS)
        }
      }
      // Output written just before the end is still in the pipes: give it a turn to arrive.
      // A job whose `done` arrived before the process went is done all the same.
      this.onGone = () =>
        setTimeout(() => settle(finished ? 'done' : (stopped ?? 'crashed'), finished), 50)
      options.signal?.addEventListener('abort', onAbort, { once: true })
      if (options.signal?.aborted) onAbort()
      if (this.dead) {
        this.onGone()
        return
      }
      this.channel.write(encodeLine({ ...message, casesFile }))
    })
  }

  /** Tells the session to finish; kills its group if it has not exited after `graceMs`. */
  async close(graceMs: number): Promise<void> {
    if (!this.dead) {
      this.channel.write(encodeLine({ t: 'exit' }))
      const timer = setTimeout(() => this.kill(), timerMs(graceMs))
      await this.exited
      clearTimeout(timer)
    }
  }

  /** SIGTERM to the group, SIGKILL after `graceMs` (at once without it). */
  kill(graceMs = 0): void {
    this.dead = true
    const pid = this.child.pid
    if (this.exit) return
    if (graceMs <= 0) {
      signalGroup(pid, 'SIGKILL')
      return
    }
    signalGroup(pid, 'SIGTERM')
    const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), timerMs(graceMs))
    void this.exited.then(() => clearTimeout(timer))
  }

  /** Resolves once the process has exited. */
  gone(): Promise<void> {
    return this.exited
  }

  /** `exited 1`, `killed by SIGKILL`, or `still running`. */
  how(): string {
    if (!this.exit) return 'still running'
    return this.exit.code !== null
      ? `exited ${this.exit.code}`
      : `killed by ${this.exit.signal ?? 'a signal'}`
  }
}

/**
 * What to spawn for `launch`: `squall session <framework>` becomes the framework's own process
 * where it speaks the channel itself (see directSessionLaunchers), else the session bundle
 * beside the CLI (`dist/session/`), else the CLI's own `session` command.
 */
function resolveLaunch(launch: SessionLaunch): { argv: string[]; env: NodeJS.ProcessEnv } {
  const [head, command, name, ...rest] = launch.argv
  const direct = name !== undefined ? directSessionLaunchers[name] : undefined
  const ours = head === 'squall' && command === 'session' && rest.length === 0
  if (ours && direct) return direct(launch.env)
  // The session bundle loads only the host and the handlers, a fraction of the whole CLI.
  const bundle = ours && name !== undefined ? sessionBundleCommand(launch.env) : undefined
  if (bundle) return { argv: [...bundle, name as string], env: launch.env }
  return { argv: withOwnCli(launch.argv, launch.env), env: launch.env }
}

/** The cases a session appended to the job's cases file (see CASES_FILE); none without it. */
function casesFromFile(path: string, job: string): TestCaseResult[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return []
  }
  const out: TestCaseResult[] = []
  // A crash mid-write leaves a partial last line: parseSessionLine ignores it.
  for (const line of text.split('\n')) {
    const message = parseSessionLine(line)
    if (message?.t === 'case' && message.job === job) out.push(message.case)
  }
  return out
}
