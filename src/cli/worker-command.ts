/**
 * `squall worker`: a worker that takes jobs from a broker, over TCP (`--broker HOST:PORT`) or
 * through the run's artifact store (`--transport artifacts`, the cluster id naming the broker).
 */
import { Command, Option } from 'commander'
import { randomBytes } from 'node:crypto'
import { availableParallelism, hostname } from 'node:os'
import { resolve } from 'node:path'
import { ClusterError, UsageError, errorMessage, exitCodeFor, signalExitCode } from '../errors.js'
import { workerStop } from '../stop-signals.js'
import { clusterIdOr } from '../protocol/cluster-id.js'
import { workerIdFor } from '../protocol/worker-name.js'
import { parseLogLevel, streamLog, type Log, type LogLevel } from '../log.js'
import type { Link } from '../transport/link.js'
import { ClusterClosedError, NoBrokerError } from '../transport/artifact/index.js'
import { TcpTransport } from '../transport/tcp.js'
import { workerContext } from '../worker/context.js'
import { runWorker } from '../worker/worker.js'
import { SessionPool } from '../worker/session/pool.js'
import { parseWarmSession, prewarmSessions, type WarmSession } from '../worker/session/prewarm.js'
import { artifactLayerProvider } from '../layers/artifact-store-layers.js'
import { readBrokerReady } from '../cluster/spawn-cli.js'
import { trace } from '../trace.js'
import { durationToMs, envNameList, hostPort, labelList, positiveInt } from './parse.js'
import { clusterSecret, secretFileHelp } from './secret.js'
import { artifactTransport, transportName, type TransportName } from './transports.js'

interface WorkerFlags {
  broker?: string
  transport: TransportName
  clusterId?: string
  id?: string
  name?: string
  slots: number
  labels: string[]
  workingDirectory?: string
  maxRuntime?: number
  waitTimeout: number
  keepJobDirs: boolean
  passEnv: string[]
  secretFile?: string
  layerStore?: 'none' | 'artifacts'
  cacheDir?: string
  logLevel: LogLevel
  warmSession?: WarmSession
  brokerReadyFile?: string
}

export function workerCommand(setExit: (code: number) => void): Command {
  return (
    new Command('worker')
      .description('Run a worker that takes jobs from a broker.')
      .option('--broker <host:port>', 'where the broker listens (tcp)', hostPort('--broker'))
      .option(
        '--transport <name>',
        "tcp, or artifacts (the run's artifact store)",
        transportName('--transport'),
        'tcp'
      )
      .option(
        '--cluster-id <id>',
        "the broker's cluster id (artifacts; default: run id and attempt in Actions, else local-<attempt>)"
      )
      .option('--id <id>', 'worker id, unique in the cluster (default: the name and a suffix)')
      .option(
        '--name <name>',
        'the name reports show for this worker (default: host-pid), e.g. gpu-box-1'
      )
      .option('--slots <k>', 'jobs run at once', positiveInt('--slots'), availableParallelism())
      .option(
        '--labels <a,b>',
        'labels this worker offers (its os:/arch: labels are added unless given)',
        labelList('--labels'),
        []
      )
      .option('--working-directory <dir>', 'where jobs run (default: a fresh directory per job)')
      .option(
        '--max-runtime <duration>',
        'stop taking work after this long (e.g. 5h30m)',
        durationToMs('--max-runtime')
      )
      .addOption(
        new Option('--wait-timeout <duration>', 'how long to wait for a broker (e.g. 30s, 10m)')
          .argParser(durationToMs('--wait-timeout'))
          // Kept in ms; help shows it the way it is given.
          .default(30_000, '30s')
      )
      .option('--keep-job-dirs', 'keep each job directory after it ran', false)
      .option(
        '--pass-env <a,b>',
        'credential variables jobs get anyway (by default jobs never see ACTIONS_RUNTIME_TOKEN, ACTIONS_*_URL, ACTIONS_ID_TOKEN_REQUEST_* or the cluster secret)',
        envNameList('--pass-env'),
        []
      )
      .option(
        '--layer-store <store>',
        'where layers come from: artifacts (default with --transport artifacts) or none',
        layerStore
      )
      .option('--secret-file <path>', secretFileHelp)
      .option('--cache-dir <dir>', 'the layer cache (default ~/.cache/squall-layers)')
      .option('--log-level <level>', 'debug, info, warning or error', v => parseLogLevel(v), 'info')
      // Set by `squall run`, which knows the session its plan will ask for: the worker starts
      // it in every slot while it connects and the runner lists the suite.
      .addOption(new Option('--warm-session <json>').argParser(parseWarmSession).hideHelp())
      // Set by `squall run`, which starts the workers with the broker: its address is in the
      // broker's ready file once it listens.
      .addOption(new Option('--broker-ready-file <path>').hideHelp())
      .action(async (flags: WorkerFlags) => {
        setExit(await startWorker(flags))
      })
  )
}

async function startWorker(flags: WorkerFlags): Promise<number> {
  // Checked before anything starts (the layer store reads the runtime's variables).
  if (flags.transport === 'artifacts' && flags.broker)
    throw new UsageError(
      '--broker: not used with --transport artifacts (the cluster id names the broker)'
    )
  const id =
    flags.id ??
    (flags.name !== undefined
      ? workerIdFor(flags.name, randomBytes(3).toString('hex'))
      : `${hostname()}-${process.pid}`)
  const log = streamLog(process.stderr, `worker ${id}`, flags.logLevel)
  const startedAt = Date.now()
  const secret = clusterSecret(flags.secretFile)
  const context = workerContext({
    workDir: flags.workingDirectory ? resolve(flags.workingDirectory) : undefined,
    keepJobDir: flags.keepJobDirs,
    passEnv: flags.passEnv,
    layers:
      (flags.layerStore ?? (flags.transport === 'artifacts' ? 'artifacts' : 'none')) === 'artifacts'
        ? artifactLayerProvider({ clusterId: clusterIdOf(flags), cacheDir: flags.cacheDir, log })
        : undefined
  })
  const sessions = new SessionPool({ capacity: flags.slots, killGraceMs: context.killGraceMs })
  trace('worker: prewarming')
  if (flags.warmSession && prewarmSessions(sessions, flags.warmSession, context, id)) {
    log('debug', `starting ${flags.slots} warm session(s) ahead of the first job`)
  }
  let link: Link
  try {
    link = await connect(flags, log)
  } catch (error) {
    await sessions.close()
    if (error instanceof ClusterClosedError) {
      log('info', `${error.message}; nothing to do`)
      return exitCodeFor({ kind: 'worker', end: 'closed' })
    }
    if (error instanceof UsageError) throw error
    log('error', errorMessage(error))
    // From the command line a worker is started for a broker: none in time is a failure.
    return exitCodeFor(
      error instanceof NoBrokerError
        ? { kind: 'worker', end: 'no-broker', required: true }
        : { kind: 'worker', end: 'lost' }
    )
  }
  trace('worker: connected')
  // From here on a signal stops the worker in order: running jobs (their whole trees) are
  // killed, jobs not started go back to the broker, and the exit says why.
  const stopper = workerStop(id, log)
  const exit = await runWorker({
    id,
    stop: stopper.signal,
    slots: flags.slots,
    labels: flags.labels,
    connect: async () => link,
    secret,
    context: { ...context, sessions },
    deadline: flags.maxRuntime ? startedAt + flags.maxRuntime : undefined,
    log
  })
  trace('worker: done')
  stopper.release()
  const received = stopper.received()
  if (received) {
    log('info', `exiting: ${exit.reason}`)
    return signalExitCode(received)
  }
  log(exit.code === 0 ? 'info' : 'error', `exiting: ${exit.reason}`)
  return exit.code
}

function layerStore(value: string): 'none' | 'artifacts' {
  if (value === 'none' || value === 'artifacts') return value
  throw new UsageError(`--layer-store: '${value}' is not a layer store; expected artifacts or none`)
}

function clusterIdOf(flags: WorkerFlags): string {
  return clusterIdOr(flags.clusterId, '--cluster-id')
}

/** Connects, retrying a refused TCP connection until the wait timeout (the broker may be starting). */
async function connect(flags: WorkerFlags, log: Log): Promise<Link> {
  if (flags.transport === 'artifacts') {
    const clusterId = clusterIdOf(flags)
    log('info', `waiting up to ${Math.round(flags.waitTimeout / 1000)} s for cluster ${clusterId}`)
    return artifactTransport(log).connect(clusterId, { timeoutMs: flags.waitTimeout })
  }
  const deadline = Date.now() + flags.waitTimeout
  const broker = flags.broker ?? (await brokerFromReadyFile(flags, deadline))
  if (!broker)
    throw new UsageError('--broker: required with --transport tcp (HOST:PORT of the broker)')
  const transport = new TcpTransport()
  for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
    try {
      return await transport.connect(broker, {
        timeoutMs: Math.max(1000, deadline - Date.now())
      })
    } catch (error) {
      if (!(error instanceof ClusterError) || Date.now() + delay >= deadline) throw error
      log('debug', `${errorMessage(error)}; retrying in ${delay} ms`)
      await new Promise(r => setTimeout(r, delay))
    }
  }
}

/** The address in `--broker-ready-file` once the broker wrote it (undefined without it). */
async function brokerFromReadyFile(
  flags: WorkerFlags,
  deadline: number
): Promise<string | undefined> {
  const file = flags.brokerReadyFile
  if (file === undefined) return undefined
  for (;;) {
    const ready = readBrokerReady(file)
    if (ready) return ready.address
    if (Date.now() >= deadline) {
      throw new ClusterError(
        `--broker-ready-file: no broker wrote ${file} within ${Math.round(flags.waitTimeout / 1000)} s`
      )
    }
    await new Promise(r => setTimeout(r, 25))
  }
}
