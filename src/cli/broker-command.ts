/** `squall broker`: the broker on its own, for self-hosted machines and the local cluster. */
import { Command } from 'commander'
import { randomBytes } from 'node:crypto'
import { Broker } from '../broker/broker.js'
import { ExitCode } from '../errors.js'
import { parseLogLevel, streamLog, type LogLevel } from '../log.js'
import { TcpTransport } from '../transport/tcp.js'
import { nonNegativeInt, secondsToMs } from './parse.js'

interface BrokerFlags {
  host: string
  port: number
  clusterId?: string
  heartbeat: number
  announce: boolean
  logLevel: LogLevel
}

export function brokerCommand(setExit: (code: number) => void): Command {
  return new Command('broker')
    .description('Run a broker that workers and one runner connect to over TCP.')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', nonNegativeInt('--port'), 7700)
    .option('--cluster-id <id>', 'name of this cluster (default: random)')
    .option('--heartbeat <seconds>', 'a peer silent this long is gone', secondsToMs('--heartbeat'), 30_000)
    .option('--announce', 'print {"squall":"listening",…} on stdout when ready', false)
    .option('--log-level <level>', 'debug, info, warning or error', v => parseLogLevel(v), 'info')
    .action(async (flags: BrokerFlags) => {
      setExit(await runBroker(flags))
    })
}

async function runBroker(flags: BrokerFlags): Promise<number> {
  const log = streamLog(process.stderr, 'broker', flags.logLevel)
  const clusterId = flags.clusterId ?? `c-${randomBytes(4).toString('hex')}`
  const listener = await new TcpTransport().listen(`${flags.host}:${flags.port}`)
  const broker = new Broker({
    listener,
    clusterId,
    heartbeatMs: flags.heartbeat,
    scheduler: { heartbeatTimeoutMs: flags.heartbeat },
    log
  })
  broker.start()
  log('info', `cluster ${clusterId} listening on ${listener.address}`)
  if (flags.announce) {
    process.stdout.write(`${JSON.stringify({ squall: 'listening', address: listener.address, clusterId })}\n`)
  }
  const stop = (signal: string): void => {
    log('info', `${signal}: stopping`)
    void broker.stop(`broker received ${signal}`)
  }
  process.once('SIGTERM', () => stop('SIGTERM'))
  process.once('SIGINT', () => stop('SIGINT'))
  const outcome = await broker.finished
  await broker.stop(outcome.reason)
  log(outcome.ok ? 'info' : 'error', `finished: ${outcome.reason}`)
  return outcome.ok ? ExitCode.ok : ExitCode.cluster
}
