/**
 * The one way squall starts its own CLI as a child process: the local cluster's broker and
 * workers, the broker action's background broker and the coordinator's local worker. One
 * self command, one log file per child (stdout and stderr), one readiness signal (the
 * broker's `--ready-file`).
 */
import { spawn } from 'node:child_process'
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ClusterError } from '../errors.js'

/** Names the CLI bundle to start instead of the one beside the running bundle. */
export const CLI_ENV = 'SQUALL_CLI'

/**
 * `[node, dist/cli/index.js]`. Inside an ncc bundle import.meta.url is the bundle itself, so
 * from any `dist/<name>/index.js` (the CLI's own included) the CLI is `../cli/index.js`.
 */
export function cliCommand(env: NodeJS.ProcessEnv = process.env): string[] {
  const override = env[CLI_ENV]
  if (override) return [process.execPath, override]
  return [process.execPath, join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'index.js')]
}

/**
 * `[node, dist/session/index.js]`: the session bundle beside the CLI that `cliCommand` starts
 * (a worker's warm sessions), or undefined where there is none (the CLI's own `session`
 * command then serves).
 */
export function sessionBundleCommand(env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  const [node, cli] = cliCommand(env) as [string, string]
  const bundle = join(dirname(cli), '..', 'session', 'index.js')
  return existsSync(bundle) ? [node, bundle] : undefined
}

/**
 * An argv whose first word is `squall` runs the CLI of whoever spawns it: a job planned on the
 * coordinator names no path of that machine, and each worker starts its own bundle.
 */
export function withOwnCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env
): string[] {
  return argv[0] === 'squall' ? [...cliCommand(env), ...argv.slice(1)] : [...argv]
}

export interface ChildExit {
  name: string
  pid: number
  code: number | null
  signal: string | null
}

export interface SpawnCliOptions {
  /** What the child is (`broker`, `worker-1`): names its exit. */
  name: string
  /** CLI arguments: `['worker', '--broker', …]`. */
  args: string[]
  /** stdout and stderr are appended here. */
  logFile: string
  cwd?: string
  /** Over this process's environment. */
  env?: NodeJS.ProcessEnv
  /** Outlives this process (the broker action's broker lives on into the post step). */
  detached?: boolean
  /** How to start the CLI; default `cliCommand()`. */
  self?: string[]
}

/** A running copy of the CLI. */
export interface CliChild {
  name: string
  pid: number
  logFile: string
  /** Resolves once it has exited; never rejects. */
  exited: Promise<ChildExit>
  running(): boolean
  signal(signal: NodeJS.Signals): void
}

export function spawnCli(options: SpawnCliOptions): CliChild {
  const [command, ...prefix] = options.self ?? cliCommand()
  const log = openSync(options.logFile, 'a')
  const child = spawn(command as string, [...prefix, ...options.args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', log, log],
    detached: options.detached === true
  })
  closeSync(log)
  let done = false
  const exited = new Promise<ChildExit>(resolve => {
    const end = (code: number | null, signal: string | null): void => {
      if (done) return
      done = true
      resolve({ name: options.name, pid: child.pid ?? 0, code, signal })
    }
    child.on('error', () => end(null, null))
    child.on('exit', end)
  })
  if (options.detached) child.unref()
  return {
    name: options.name,
    pid: child.pid ?? 0,
    logFile: options.logFile,
    exited,
    running: () => !done,
    signal: signal => {
      if (!done) child.kill(signal)
    }
  }
}

/** What the broker writes to its `--ready-file` once it listens. */
export interface BrokerReady {
  address: string
  clusterId: string
  pid: number
}

/**
 * Waits for a broker started with `--ready-file <readyFile>` to be ready. Rejects with a
 * ClusterError (and kills the broker) when it exits first or is not ready in time.
 */
export async function waitUntilReady(
  broker: CliChild,
  readyFile: string,
  timeoutMs: number
): Promise<BrokerReady> {
  const deadline = Date.now() + timeoutMs
  let exit: ChildExit | undefined
  void broker.exited.then(e => (exit = e))
  for (;;) {
    const ready = readBrokerReady(readyFile)
    if (ready) return ready
    if (exit !== undefined)
      throw new ClusterError(
        `the broker exited with ${exit.code ?? exit.signal} before it was ready; see ${broker.logFile}`
      )
    if (Date.now() >= deadline) break
    await new Promise(r => setTimeout(r, 50))
  }
  broker.signal('SIGKILL')
  throw new ClusterError(`the broker was not ready within ${timeoutMs} ms; see ${broker.logFile}`)
}

/** The broker's ready file, or undefined while it is not there yet. */
export function readBrokerReady(path: string): BrokerReady | undefined {
  try {
    // The broker writes the file whole and renames it: it is absent or complete.
    return JSON.parse(readFileSync(path, 'utf8')) as BrokerReady
  } catch {
    return undefined
  }
}

/**
 * Stops a process started by an earlier step, by pid: SIGTERM, then SIGKILL after
 * `timeoutMs`. 'gone' when it had already exited.
 */
export async function stopByPid(
  pid: number,
  timeoutMs = 30_000
): Promise<'stopped' | 'gone' | 'killed'> {
  if (!alive(pid)) return 'gone'
  process.kill(pid, 'SIGTERM')
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (!alive(pid)) return 'stopped'
    await new Promise(r => setTimeout(r, 100))
  }
  process.kill(pid, 'SIGKILL')
  return 'killed'
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/**
 * The arguments that start a broker on loopback TCP (a free port) for cluster `clusterId`,
 * writing `{address, clusterId, pid}` to `readyFile` once it listens; `extra` adds options.
 */
export function loopbackBrokerArgs(
  clusterId: string,
  readyFile: string,
  extra: readonly string[] = []
): string[] {
  return [
    'broker',
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--cluster-id',
    clusterId,
    '--ready-file',
    readyFile,
    ...extra
  ]
}
