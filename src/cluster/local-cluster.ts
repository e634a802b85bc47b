/**
 * A broker and workers on this machine, each a child process of this same CLI (or a running
 * broker and local workers joining it). Logs go to files so the terminal stays readable;
 * their tails are shown when something fails.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { ClusterError, errorMessage } from '../errors.js'
import {
  loopbackBrokerArgs,
  spawnCli,
  waitUntilReady,
  type ChildExit,
  type CliChild
} from './spawn-cli.js'

export type { ChildExit } from './spawn-cli.js'

export interface LocalClusterOptions {
  /** How to start this CLI again; default `cliCommand()`. */
  self?: string[]
  /**
   * A running broker's loopback address; absent: a broker is started here; '' with
   * `workerConnect`: the broker runs elsewhere (another job) and the workers reach it so.
   */
  brokerAddress?: string
  workers: number
  slots: number
  labels: string[]
  workDir: string
  clusterId: string
  logDir: string
  /** Worker ids in the cluster; default `local-1`, `local-2`, … (the names reports show). */
  workerId?: (index: number) => string
  /** Extra arguments for the broker and for each worker (transport selection and so on). */
  brokerArgs?: string[]
  workerArgs?: string[]
  /** How workers reach the broker; default `--broker <its loopback address>`. */
  workerConnect?: string[]
  env?: NodeJS.ProcessEnv
  /** Extra environment per process: `broker`, `worker-1`, … (each its own job in Actions terms). */
  envFor?: (name: string) => NodeJS.ProcessEnv
  /** How long the broker may take to be ready. */
  startTimeoutMs?: number
}

/** A running local cluster. */
export class LocalCluster {
  private constructor(
    readonly address: string,
    private readonly broker: CliChild | undefined,
    private readonly workers: CliChild[]
  ) {}

  static async start(options: LocalClusterOptions): Promise<LocalCluster> {
    mkdirSync(options.logDir, { recursive: true })
    const start = (name: string, args: string[]): CliChild =>
      spawnCli({
        name,
        args,
        logFile: join(options.logDir, `${name}.log`),
        cwd: options.workDir,
        env: { ...options.env, ...options.envFor?.(name) },
        self: options.self
      })
    let broker: CliChild | undefined
    let address = options.brokerAddress
    const workers: CliChild[] = []
    if (address === undefined) {
      const readyFile = join(options.logDir, 'broker.ready.json')
      // A file left by an earlier run would send the workers to a broker that is gone.
      rmSync(readyFile, { force: true })
      broker = start('broker', loopbackBrokerArgs(options.clusterId, readyFile, options.brokerArgs))
      // Over TCP the workers start with the broker and read its address from the ready
      // file: their start-up (and their warm sessions') need not wait for the broker's.
      if (options.workerConnect === undefined) {
        startWorkers(options, ['--broker-ready-file', readyFile], start, workers)
      }
      try {
        address = (await waitUntilReady(broker, readyFile, options.startTimeoutMs ?? 30_000))
          .address
      } catch (error) {
        for (const worker of workers) worker.signal('SIGTERM')
        throw new ClusterError(
          `the broker did not start: ${errorMessage(error)}${logTail(broker.logFile, 'broker')}`
        )
      }
    }
    if (workers.length === 0) {
      startWorkers(options, options.workerConnect ?? ['--broker', address], start, workers)
    }
    return new LocalCluster(address, broker, workers)
  }

  workerPids(): number[] {
    return this.workers.map(w => w.pid)
  }

  /** Whether a worker started here still runs. */
  workersRunning(): boolean {
    return this.workers.some(w => w.running())
  }

  /** Log files of the workers, in order. */
  workerLogs(): string[] {
    return this.workers.map(w => w.logFile)
  }

  /**
   * Waits for every process to exit: SIGTERM to what still runs after `timeoutMs`, SIGKILL
   * 5 s later.
   */
  async wait(timeoutMs: number): Promise<ChildExit[]> {
    const all = this.children()
    const timer = setTimeout(() => {
      for (const child of all) child.signal('SIGTERM')
    }, timeoutMs)
    const hard = setTimeout(() => {
      for (const child of all) child.signal('SIGKILL')
    }, timeoutMs + 5000)
    try {
      return await Promise.all(all.map(child => child.exited))
    } finally {
      clearTimeout(timer)
      clearTimeout(hard)
    }
  }

  /** Stops everything now (on failure or interrupt). */
  async kill(): Promise<void> {
    for (const child of this.children()) child.signal('SIGTERM')
    await this.wait(5000)
  }

  /** The last lines of each process's log, for error messages. */
  logTails(): string {
    return this.children()
      .map(c => logTail(c.logFile, c.name))
      .join('')
  }

  private children(): CliChild[] {
    return this.broker ? [this.broker, ...this.workers] : [...this.workers]
  }
}

function logTail(path: string, name: string, lines = 15): string {
  try {
    const text = readFileSync(path, 'utf8').trimEnd()
    if (text === '') return ''
    const tail = text.split('\n').slice(-lines).join('\n  ')
    return `\n--- ${name} log (${path}) ---\n  ${tail}\n`
  } catch {
    return ''
  }
}

/** Starts the local workers, each reaching the broker as `connect` says. */
function startWorkers(
  options: LocalClusterOptions,
  connect: string[],
  start: (name: string, args: string[]) => CliChild,
  into: CliChild[]
): void {
  for (let i = 1; i <= options.workers; i++) {
    const args = [
      'worker',
      ...connect,
      '--id',
      options.workerId?.(i) ?? `local-${i}`,
      '--slots',
      String(options.slots),
      '--working-directory',
      options.workDir,
      ...(options.labels.length > 0 ? ['--labels', options.labels.join(',')] : []),
      ...(options.workerArgs ?? [])
    ]
    into.push(start(`worker-${i}`, args))
  }
}
