/**
 * Starts a broker and N workers as separate processes of this same CLI, on one machine.
 * Their logs go to files so the terminal stays readable; the tail is shown when they fail.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { ClusterError } from '../errors.js'

export interface LocalClusterOptions {
  /** How to start this CLI again: `[node, path/to/cli.js]`. */
  self: string[]
  workers: number
  slots: number
  labels: string[]
  workDir: string
  clusterId: string
  logDir: string
  /** Extra arguments for the broker and for each worker (transport selection and so on). */
  brokerArgs?: string[]
  workerArgs?: string[]
  /** How workers reach the broker; default `--broker <its loopback address>`. */
  workerConnect?: string[]
  env?: NodeJS.ProcessEnv
  /** Extra environment per process: `broker`, `worker-1`, … (each its own job in Actions terms). */
  envFor?: (name: string) => NodeJS.ProcessEnv
  /** How long the broker may take to say where it listens. */
  startTimeoutMs?: number
}

export interface ChildExit {
  name: string
  pid: number
  code: number | null
  signal: string | null
}

/** A running local cluster. */
export class LocalCluster {
  private constructor(
    readonly address: string,
    private readonly broker: ChildProcess,
    private readonly workers: ChildProcess[],
    private readonly options: LocalClusterOptions,
    private readonly exits: Map<ChildProcess, Promise<ChildExit>>
  ) {}

  static async start(options: LocalClusterOptions): Promise<LocalCluster> {
    mkdirSync(options.logDir, { recursive: true })
    const exits = new Map<ChildProcess, Promise<ChildExit>>()
    const broker = spawnChild(
      options,
      'broker',
      [
        'broker',
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        '--cluster-id',
        options.clusterId,
        '--announce',
        ...(options.brokerArgs ?? [])
      ],
      exits
    )
    let address: string
    try {
      address = await readAnnouncedAddress(broker, options.startTimeoutMs ?? 30_000)
    } catch (error) {
      broker.kill('SIGKILL')
      const tail = logTail(join(options.logDir, 'broker.log'))
      throw new ClusterError(`the broker did not start: ${(error as Error).message}${tail}`)
    }
    const workers: ChildProcess[] = []
    for (let i = 1; i <= options.workers; i++) {
      const args = [
        'worker',
        ...(options.workerConnect ?? ['--broker', address]),
        '--id',
        `w${i}`,
        '--slots',
        String(options.slots),
        '--working-directory',
        options.workDir,
        ...(options.labels.length > 0 ? ['--labels', options.labels.join(',')] : []),
        ...(options.workerArgs ?? [])
      ]
      workers.push(spawnChild(options, `worker-${i}`, args, exits))
    }
    return new LocalCluster(address, broker, workers, options, exits)
  }

  workerPids(): number[] {
    return this.workers.map(w => w.pid ?? 0)
  }

  /** Waits for every process to exit; kills what is still running after `timeoutMs`. */
  async wait(timeoutMs: number): Promise<ChildExit[]> {
    const all = [this.broker, ...this.workers]
    const timer = setTimeout(() => {
      for (const child of all) if (child.exitCode === null) child.kill('SIGTERM')
    }, timeoutMs)
    const hard = setTimeout(() => {
      for (const child of all) if (child.exitCode === null) child.kill('SIGKILL')
    }, timeoutMs + 5000)
    try {
      return await Promise.all(all.map(child => this.exits.get(child) as Promise<ChildExit>))
    } finally {
      clearTimeout(timer)
      clearTimeout(hard)
    }
  }

  /** Stops everything now (on failure or interrupt). */
  async kill(): Promise<void> {
    for (const child of [this.broker, ...this.workers]) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    }
    await this.wait(5000)
  }

  /** The last lines of each process's log, for error messages. */
  logTails(): string {
    const names = ['broker', ...this.workers.map((_, i) => `worker-${i + 1}`)]
    return names.map(n => logTail(join(this.options.logDir, `${n}.log`), n)).join('')
  }
}

function spawnChild(
  options: LocalClusterOptions,
  name: string,
  args: string[],
  exits: Map<ChildProcess, Promise<ChildExit>>
): ChildProcess {
  const [command, ...prefix] = options.self
  const log = createWriteStream(join(options.logDir, `${name}.log`))
  const child = spawn(command as string, [...prefix, ...args], {
    cwd: options.workDir,
    env: { ...process.env, ...options.env, ...options.envFor?.(name) },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  child.stderr?.pipe(log)
  exits.set(
    child,
    new Promise(resolve => {
      child.on('error', () => undefined)
      child.on('close', (code, signal) => {
        log.end()
        resolve({ name, pid: child.pid ?? 0, code, signal })
      })
    })
  )
  return child
}

/** The broker prints one JSON line `{"squall":"listening","address":…}` on stdout when ready. */
function readAnnouncedAddress(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
    const timer = setTimeout(
      () => reject(new Error(`no address within ${timeoutMs} ms`)),
      timeoutMs
    )
    lines.on('line', line => {
      try {
        const parsed = JSON.parse(line) as { squall?: string; address?: string }
        if (parsed.squall === 'listening' && parsed.address) {
          clearTimeout(timer)
          resolve(parsed.address)
        }
      } catch {
        // Not the announcement: the broker logs to stderr, so ignore anything else.
      }
    })
    child.on('close', code => {
      clearTimeout(timer)
      reject(new Error(`it exited with code ${code}`))
    })
  })
}

function logTail(path: string, name = 'broker', lines = 15): string {
  try {
    const text = readFileSync(path, 'utf8').trimEnd()
    if (text === '') return ''
    const tail = text.split('\n').slice(-lines).join('\n  ')
    return `\n--- ${name} log (${path}) ---\n  ${tail}\n`
  } catch {
    return ''
  }
}
