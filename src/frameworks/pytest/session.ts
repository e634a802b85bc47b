/**
 * The pytest session host. pytest runs in its own interpreter, so this host starts
 * `python3 -m pytest -p squall_pytest <args…>` once, with a channel of its own on the
 * interpreter's fd 3, and relays: squall's plugin (python/squall_pytest.py) collects once,
 * says `ready`, then runs each request's node ids with pytest's own runtest protocol and
 * streams a case per test. The interpreter's output goes straight to the worker's capture.
 * If the interpreter dies mid-job the job's run rejects, and the host ends as a crash.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import type { Duplex } from 'node:stream'
import type { HostJob, SessionHandler } from '../../worker/session/host.js'
import { CONTROL_FD, encodeLine, parseSessionLine } from '../../worker/session/messages.js'
import type { SessionMessage } from '../../worker/session/messages.js'
import { PYTEST_PLUGIN, pytestPluginEnv } from './plugin.js'
import { sessionArgsOf, takeSessionArgs } from '../core/session-args.js'

/** The session's own variable carrying the user's pytest arguments (JSON array). */
export const PYTEST_SESSION_ARGS = 'SQUALL_PYTEST_SESSION_ARGS'

/** The interpreter, the same as the listing and the cold jobs use. */
const PYTHON = 'python3'

/** The interpreter's argv for the user's `args` (options and paths, as the listing had them). */
export function pytestSessionArgv(args: readonly string[]): string[] {
  // The cache plugin is off as in cold jobs: parallel sessions would race on its files.
  return [PYTHON, '-m', 'pytest', '-p', PYTEST_PLUGIN, '-p', 'no:cacheprovider', ...args]
}

/**
 * How a worker starts the session without this host: the interpreter itself, speaking the
 * channel through squall's plugin. It saves a node start per slot (the host only relays).
 * `env` is the session's environment, the user's arguments in PYTEST_SESSION_ARGS.
 */
export function pytestDirectLaunch(env: NodeJS.ProcessEnv): {
  argv: string[]
  env: NodeJS.ProcessEnv
} {
  const args = sessionArgsOf(PYTEST_SESSION_ARGS, env[PYTEST_SESSION_ARGS])
  const { [PYTEST_SESSION_ARGS]: _taken, ...rest } = env
  return {
    argv: pytestSessionArgv(args),
    env: pytestPluginEnv(rest, {
      SQUALL_PYTEST_CHANNEL_FD: String(CONTROL_FD),
      SQUALL_PYTEST_ARGS: JSON.stringify(args)
    })
  }
}

/** The pytest host for the suite at `cwd`; the user's arguments come in PYTEST_SESSION_ARGS. */
export function pytestSessionHandler(cwd: string): SessionHandler {
  let child: ChildProcess | undefined
  let channel: Duplex | undefined
  let listener: ((message: SessionMessage) => void) | undefined
  let gone: ((why: string) => void) | undefined
  let exitText = ''

  const wait = <T>(
    onMessage: (message: SessionMessage, settle: (value: T) => void) => void
  ): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const settle = (value: T): void => {
        listener = undefined
        gone = undefined
        resolve(value)
      }
      listener = message => onMessage(message, settle)
      gone = why => {
        listener = undefined
        gone = undefined
        reject(new Error(why))
      }
      if (exitText) gone(exitText)
    })

  return {
    async start() {
      const args = takeSessionArgs(PYTEST_SESSION_ARGS)
      const [command, ...rest] = pytestSessionArgv(args) as [string, ...string[]]
      child = spawn(command, rest, {
        cwd,
        env: pytestPluginEnv(process.env, {
          SQUALL_PYTEST_CHANNEL_FD: String(CONTROL_FD),
          // What tests see as sys.argv[1:]: the user's arguments, nothing of squall's.
          SQUALL_PYTEST_ARGS: JSON.stringify(args)
        }),
        stdio: ['ignore', 'inherit', 'inherit', 'pipe']
      })
      channel = child.stdio[CONTROL_FD] as Duplex
      channel.on('error', () => undefined)
      createInterface({ input: channel, crlfDelay: Infinity }).on('line', line => {
        const message = parseSessionLine(line)
        if (message) listener?.(message)
      })
      child.on('error', error => {
        exitText = `cannot run ${command}: ${error.message}`
        gone?.(exitText)
      })
      // 'close', not 'exit': the channel's last lines (cases sent just before a crash) first.
      child.on('close', (code, signal) => {
        exitText = `pytest (${command}) ${code !== null ? `exited with code ${code}` : `was killed by ${String(signal)}`}`
        gone?.(exitText)
      })
      await wait<undefined>((message, settle) => {
        if (message.t === 'ready') settle(undefined)
      })
    },

    async run(job: HostJob) {
      const done = wait<{ note?: string }>((message, settle) => {
        if (message.t === 'case' && message.job === job.id) job.emitCase(message.case)
        else if (message.t === 'log') job.log(message.text)
        else if (message.t === 'done' && message.job === job.id) {
          settle(message.note ? { note: message.note } : {})
        }
      })
      // The host already made process.env the job's: the interpreter takes the same.
      const env = Object.fromEntries(
        Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)
      )
      channel?.write(
        encodeLine({ t: 'run', job: job.id, jobDir: job.jobDir, env, request: job.request })
      )
      return done
    },

    async close() {
      if (!child || exitText) return
      const exited = new Promise<void>(resolve => child?.once('close', () => resolve()))
      channel?.write(encodeLine({ t: 'exit' }))
      await exited
    }
  }
}
