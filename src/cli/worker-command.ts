/** `squall worker`: a worker that pulls jobs from a broker over TCP. */
import { Command } from 'commander'
import { availableParallelism, hostname, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseLogLevel, streamLog, type LogLevel } from '../log.js'
import { TcpTransport } from '../transport/tcp.js'
import { runWorker } from '../worker/worker.js'
import { durationToMs, hostPort, labelList, positiveInt, secondsToMs } from './parse.js'

interface WorkerFlags {
  broker: string
  id?: string
  slots: number
  labels: string[]
  workingDirectory?: string
  maxRuntime?: number
  connectTimeout: number
  keepJobDirs: boolean
  logLevel: LogLevel
}

export function workerCommand(setExit: (code: number) => void): Command {
  return new Command('worker')
    .description('Run a worker that takes jobs from a broker.')
    .requiredOption('--broker <host:port>', 'where the broker listens', hostPort('--broker'))
    .option('--id <id>', 'worker id, unique in the cluster (default: host-pid)')
    .option('--slots <k>', 'jobs run at once', positiveInt('--slots'), availableParallelism())
    .option('--labels <a,b>', 'labels this worker offers', labelList('--labels'), [])
    .option('--working-directory <dir>', 'where jobs run (default: a fresh directory per job)')
    .option('--max-runtime <duration>', 'stop taking work before this much time (e.g. 5h30m)', durationToMs('--max-runtime'))
    .option('--connect-timeout <seconds>', 'how long to wait for the broker', secondsToMs('--connect-timeout'), 30_000)
    .option('--keep-job-dirs', 'keep each job directory after it ran', false)
    .option('--log-level <level>', 'debug, info, warning or error', v => parseLogLevel(v), 'info')
    .action(async (flags: WorkerFlags) => {
      setExit(await startWorker(flags))
    })
}

async function startWorker(flags: WorkerFlags): Promise<number> {
  const id = flags.id ?? `${hostname()}-${process.pid}`
  const log = streamLog(process.stderr, `worker ${id}`, flags.logLevel)
  const transport = new TcpTransport()
  const exit = await runWorker({
    id,
    slots: flags.slots,
    labels: flags.labels,
    connect: () => transport.connect(flags.broker, { timeoutMs: flags.connectTimeout }),
    context: {
      workDir: flags.workingDirectory ? resolve(flags.workingDirectory) : undefined,
      jobsRoot: join(tmpdir(), `squall-jobs-${process.pid}`),
      outputCapBytes: 1024 * 1024,
      killGraceMs: 5000,
      keepJobDir: flags.keepJobDirs
    },
    deadline: flags.maxRuntime ? Date.now() + flags.maxRuntime : undefined,
    log
  })
  log(exit.code === 0 ? 'info' : 'error', `exiting: ${exit.reason}`)
  return exit.code
}
