/**
 * Starts the broker as a detached background process that outlives the step that started it
 * (the broker action), and stops it from the post step.
 */
import { spawn } from 'node:child_process'
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs'
import { ClusterError } from '../errors.js'

export interface BrokerProcessOptions {
  /** `[node, path/to/dist/cli/index.js]`. */
  self: string[]
  clusterId: string
  logFile: string
  readyFile: string
  logLevel: string
  heartbeatSeconds: number
  /** Broker arguments for the transport (e.g. `--transport artifacts`). */
  extraArgs?: string[]
  env?: NodeJS.ProcessEnv
  /** How long the broker may take to be ready. */
  timeoutMs?: number
}

export interface BrokerProcess {
  pid: number
  address: string
  clusterId: string
}

export async function startBrokerProcess(options: BrokerProcessOptions): Promise<BrokerProcess> {
  const [command, ...prefix] = options.self
  const log = openSync(options.logFile, 'a')
  const child = spawn(
    command as string,
    [
      ...prefix,
      'broker',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--cluster-id',
      options.clusterId,
      '--ready-file',
      options.readyFile,
      '--log-level',
      options.logLevel,
      '--heartbeat',
      String(options.heartbeatSeconds),
      ...(options.extraArgs ?? [])
    ],
    { detached: true, stdio: ['ignore', log, log], env: { ...process.env, ...options.env } }
  )
  closeSync(log)
  let exited: number | null | undefined
  child.on('exit', code => (exited = code))
  child.unref()
  const timeoutMs = options.timeoutMs ?? 60_000
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (existsSync(options.readyFile)) {
      const ready = JSON.parse(readFileSync(options.readyFile, 'utf8')) as {
        address: string
        clusterId: string
      }
      return { pid: child.pid as number, address: ready.address, clusterId: ready.clusterId }
    }
    if (exited !== undefined)
      throw new ClusterError(
        `the broker exited with code ${exited} before it was ready; see ${options.logFile}`
      )
    await new Promise(r => setTimeout(r, 100))
  }
  try {
    process.kill(child.pid as number, 'SIGKILL')
  } catch {
    // already gone
  }
  throw new ClusterError(`the broker was not ready within ${timeoutMs} ms; see ${options.logFile}`)
}

/** SIGTERM, then waits (bounded) for the broker to close the cluster and exit. */
export async function stopBrokerProcess(
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
