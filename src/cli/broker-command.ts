/**
 * `squall broker`: the broker on its own. Over TCP for self-hosted machines and the local
 * cluster; with `--transport artifacts` it also accepts workers of other jobs of the run
 * through the artifact store (and still listens on loopback TCP for steps of its own job).
 */
import { Command, Option } from 'commander'
import { renameSync, writeFileSync } from 'node:fs'
import { Broker } from '../broker/broker.js'
import { UsageError, exitCodeFor } from '../errors.js'
import { clusterIdOr } from '../protocol/cluster-id.js'
import { parseLogLevel, streamLog, type LogLevel } from '../log.js'
import type { Listener } from '../transport/link.js'
import { MultiListener } from '../transport/multi-listener.js'
import { TcpTransport, isLoopbackHost } from '../transport/tcp.js'
import { listenPort, nonNegativeInt, secondsToMs } from './parse.js'
import { clusterSecret, secretFileHelp } from './secret.js'
import { artifactTransport, transportName, type TransportName } from './transports.js'
import { trace } from '../trace.js'

interface BrokerFlags {
  host: string
  port: number
  clusterId?: string
  transport: TransportName
  heartbeat: number
  readyFile?: string
  secretFile?: string
  runners: number
  logLevel: LogLevel
}

export function brokerCommand(setExit: (code: number) => void): Command {
  return new Command('broker')
    .description('Run a broker that workers and one runner (or --runners N) connect to.')
    .option('--host <host>', 'TCP address to listen on', '127.0.0.1')
    .option('--port <port>', 'TCP port to listen on (0: any free port)', listenPort('--port'), 7700)
    .option(
      '--transport <name>',
      "tcp, or artifacts (the run's artifact store, plus TCP)",
      transportName('--transport'),
      'tcp'
    )
    .option(
      '--cluster-id <id>',
      'name of this cluster (default: run id and attempt in Actions, else local-<attempt>)'
    )
    .addOption(
      new Option('--heartbeat <seconds>', 'a peer silent this long is gone')
        .argParser(secondsToMs('--heartbeat'))
        // Kept in ms; help shows it the way it is given.
        .default(30_000, '30')
    )
    .option(
      '--runners <n>',
      'runners that share this broker (a pool in its own job): the run is over once each is done; 0: one runner',
      nonNegativeInt('--runners'),
      0
    )
    .option('--ready-file <path>', 'write {"address","clusterId","pid"} to this file when ready')
    .option('--secret-file <path>', secretFileHelp)
    .option('--log-level <level>', 'debug, info, warning or error', v => parseLogLevel(v), 'info')
    .action(async (flags: BrokerFlags) => {
      setExit(await runBroker(flags))
    })
}

async function runBroker(flags: BrokerFlags): Promise<number> {
  const log = streamLog(process.stderr, 'broker', flags.logLevel)
  const secret = clusterSecret(flags.secretFile)
  if (secret === undefined && !isLoopbackHost(flags.host)) {
    throw new UsageError(
      `--host: '${flags.host}' is reachable from other machines, and a broker without a cluster secret would let anyone there run commands; set SQUALL_CLUSTER_SECRET or --secret-file (or listen on 127.0.0.1)`
    )
  }
  const clusterId = clusterIdOr(flags.clusterId, '--cluster-id')
  const tcp = await new TcpTransport().listen(`${flags.host}:${flags.port}`)
  const listeners: Listener[] = [tcp]
  const artifacts = flags.transport === 'artifacts' ? artifactTransport(log) : undefined
  if (artifacts) listeners.push(await artifacts.listen(clusterId))
  const listener = listeners.length > 1 ? new MultiListener(listeners) : tcp
  const broker = new Broker({
    listener,
    clusterId,
    heartbeatMs: flags.heartbeat,
    secret,
    runners: flags.runners,
    scheduler: { heartbeatTimeoutMs: flags.heartbeat },
    log
  })
  broker.start()
  trace('broker: listening')
  log(
    'info',
    `cluster ${clusterId} listening on ${tcp.address}${artifacts ? ' and the artifact store' : ''}${secret !== undefined ? ' (peers must prove the cluster secret)' : ''}${flags.runners > 0 ? `; a shared pool for ${flags.runners} runner(s)` : ''}`
  )
  if (flags.readyFile) {
    const ready = { address: tcp.address, clusterId, pid: process.pid }
    // Written whole and renamed, so a reader never sees half a file.
    writeFileSync(`${flags.readyFile}.tmp`, JSON.stringify(ready))
    renameSync(`${flags.readyFile}.tmp`, flags.readyFile)
  }
  const stop = (signal: string): void => {
    log('info', `${signal}: stopping`)
    void broker.stop(`broker received ${signal}`)
  }
  process.once('SIGTERM', () => stop('SIGTERM'))
  process.once('SIGINT', () => stop('SIGINT'))
  const outcome = await broker.finished
  await broker.stop(outcome.reason)
  if (artifacts) {
    const stats = artifacts.stats()
    log(
      'info',
      `artifact store: ${stats.artifactsCreated} artifact(s) created, requests ${JSON.stringify(stats.requests)}`
    )
  }
  log(outcome.ok ? 'info' : 'error', `finished: ${outcome.reason}`)
  return exitCodeFor({ kind: 'broker', ok: outcome.ok })
}
