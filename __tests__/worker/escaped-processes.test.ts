/**
 * Nothing a job starts outlives it, even a process that left its group with setsid: after the
 * job, and after SIGTERM of the worker running it, no process that carries the job's
 * environment is alive.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Broker } from '../../src/broker/broker.js'
import { PROTOCOL_VERSION, type Message } from '../../src/protocol/messages.js'
import { TcpTransport } from '../../src/transport/tcp.js'
import { runInGroup } from '../../src/worker/process-group.js'
import { cliBundle } from '../helpers/cli.js'
import { killAll, processesWithEnv, tempDirs, waitUntil } from './process-helpers.js'

const dirs = tempDirs('squall-escape-')
const leftovers: number[] = []
afterEach(() => {
  killAll(leftovers.splice(0))
  dirs.cleanup()
})

const linux = process.platform === 'linux'
const onLinux = linux ? test : test.skip

onLinux('a process the job moved out of its group with setsid dies with the job', async () => {
  const token = randomBytes(8).toString('hex')
  const run = await runInGroup({
    argv: ['sh', '-c', 'setsid sleep 300 & echo $!; sleep 0.2'],
    cwd: dirs.make(),
    env: { ...process.env, ESCAPE_TOKEN: token },
    timeoutMs: 20_000,
    killGraceMs: 500,
    outputCapBytes: 4096,
    pipeDrainMs: 200
  })
  const escaped = Number(run.stdout.text.trim())
  expect(escaped).toBeGreaterThan(0)
  leftovers.push(escaped)
  expect(run.exitCode).toBe(0)
  await waitUntil(() => processesWithEnv('ESCAPE_TOKEN', token).length === 0, 'the escapee to die')
})

onLinux(
  'SIGTERM of a worker kills its running job and the process that escaped it',
  async () => {
    const token = randomBytes(8).toString('hex')
    const transport = new TcpTransport()
    const listener = await transport.listen('127.0.0.1:0')
    const broker = new Broker({ listener, clusterId: 'escape', heartbeatMs: 5000, tickMs: 50 })
    broker.start()
    const worker = spawn(
      process.execPath,
      [cliBundle, 'worker', '--broker', listener.address, '--id', 'w-term', '--slots', '1'],
      { cwd: dirs.make(), env: { ...process.env }, stdio: ['ignore', 'ignore', 'pipe'] }
    )
    let log = ''
    worker.stderr.on('data', (d: Buffer) => (log += d.toString()))
    const exited = new Promise<number | null>(resolve => worker.on('close', code => resolve(code)))
    try {
      const runner = await transport.connect(listener.address)
      const messages: Message[] = []
      runner.onMessage(m => messages.push(m))
      runner.send({ type: 'hello', version: PROTOCOL_VERSION, role: 'runner', id: 'r' })
      await waitUntil(() => messages.some(m => m.type === 'welcome'), 'the welcome')
      await waitUntil(() => broker.stats().workers === 1, 'the worker to join', 30_000)
      runner.send({
        type: 'submit',
        jobs: [
          {
            id: 'escaper',
            name: 'escaper',
            command: 'setsid sleep 300 & sleep 300',
            env: { ESCAPE_TOKEN: token },
            timeoutMs: 120_000,
            labels: [],
            layers: [],
            attempt: 1
          }
        ]
      })
      // Both the job's shell and the escaped sleep are running.
      await waitUntil(
        () => processesWithEnv('ESCAPE_TOKEN', token).length >= 3,
        'the job and its escapee to start',
        30_000
      )
      leftovers.push(...processesWithEnv('ESCAPE_TOKEN', token))
      worker.kill('SIGTERM')
      expect(await exited).toBe(143)
      expect(processesWithEnv('ESCAPE_TOKEN', token)).toEqual([])
      expect(log).toMatch(/SIGTERM: stopping running jobs/)
      await runner.close()
    } finally {
      worker.kill('SIGKILL')
      await broker.stop('test over')
    }
  },
  60_000
)

onLinux(
  'Ctrl-C of squall run exits 130 and leaves no job process behind',
  async () => {
    const token = randomBytes(8).toString('hex')
    const dir = dirs.make()
    writeFileSync(
      join(dir, 'jobs.json'),
      JSON.stringify([
        { name: 'escaper', command: 'setsid sleep 300 & sleep 300', env: { ESCAPE_TOKEN: token } }
      ])
    )
    const run = spawn(
      process.execPath,
      [cliBundle, 'run', '--workers', '1', '--slots', '1', '--jobs', 'jobs.json', '--no-timings'],
      { cwd: dir, env: { ...process.env }, stdio: ['ignore', 'ignore', 'pipe'] }
    )
    let stderr = ''
    run.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const exited = new Promise<number | null>(resolve => run.on('close', code => resolve(code)))
    try {
      await waitUntil(
        () => processesWithEnv('ESCAPE_TOKEN', token).length >= 3,
        'the job and its escapee to start',
        40_000
      )
      leftovers.push(...processesWithEnv('ESCAPE_TOKEN', token))
      run.kill('SIGINT')
      expect(await exited).toBe(130)
      expect(stderr).toMatch(/SIGINT: stopping the cluster/)
      expect(processesWithEnv('ESCAPE_TOKEN', token)).toEqual([])
    } finally {
      run.kill('SIGKILL')
    }
  },
  90_000
)
