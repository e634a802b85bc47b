/**
 * The local cluster with real processes: a worker killed with SIGKILL mid-run loses no job,
 * and losing the broker is a cluster failure, not a hang.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { LocalCluster } from '../../src/cluster/local-cluster.js'
import { ClusterError } from '../../src/errors.js'
import { getFramework } from '../../src/frameworks/index.js'
import type { RunEvent } from '../../src/runner/events.js'
import { runSuite } from '../../src/runner/runner.js'
import { TcpTransport } from '../../src/transport/tcp.js'
import { cliBundle, makeTempDir } from '../helpers/cli.js'

let temp: { dir: string; remove: () => void }
beforeEach(() => {
  temp = makeTempDir()
})
afterEach(() => temp.remove())

async function startCluster(workers: number): Promise<LocalCluster> {
  return LocalCluster.start({
    self: [process.execPath, cliBundle],
    workers,
    slots: 2,
    labels: [],
    workDir: temp.dir,
    clusterId: `test-${process.pid}`,
    logDir: join(temp.dir, 'logs'),
    // Short heartbeats so a vanished peer is noticed quickly.
    brokerArgs: ['--heartbeat', '3'],
    workerArgs: []
  })
}

function suite(count: number, seconds: number): string {
  const path = join(temp.dir, 'jobs.json')
  writeFileSync(
    path,
    JSON.stringify(
      Array.from({ length: count }, (_, i) => ({
        name: `job-${i}`,
        argv: ['sleep', String(seconds)]
      }))
    )
  )
  return path
}

test('a worker killed with SIGKILL mid-run loses no job', async () => {
  const cluster = await startCluster(3)
  const jobsFile = suite(18, 0.5)
  const [victim] = cluster.workerPids()
  let killed = false
  const finished = new Map<string, number>()
  const onEvent = (event: RunEvent): void => {
    if (event.type === 'job-started' && event.worker === 'local-1' && !killed) {
      killed = true
      process.kill(victim as number, 'SIGKILL')
    }
    if (event.type === 'test-finished')
      finished.set(event.test.name, (finished.get(event.test.name) ?? 0) + 1)
  }
  const transport = new TcpTransport()
  const summary = await runSuite({
    connect: () => transport.connect(cluster.address),
    framework: getFramework('commands'),
    cwd: temp.dir,
    args: [],
    jobsFile,
    timeoutMs: 60_000,
    slots: 6,
    retries: 0,
    failOnFlaky: false,
    timingsPath: '',
    onEvent
  })
  await cluster.wait(20_000)
  expect(killed).toBe(true)
  expect(summary.passed).toBe(18)
  expect(summary.exitCode).toBe(0)
  expect(finished.size).toBe(18)
  expect([...finished.values()].every(n => n === 1)).toBe(true)
}, 90_000)

test('losing the broker mid-run is a ClusterError, not a hang', async () => {
  const cluster = await startCluster(1)
  const jobsFile = suite(4, 5)
  const transport = new TcpTransport()
  const run = runSuite({
    connect: () => transport.connect(cluster.address),
    framework: getFramework('commands'),
    cwd: temp.dir,
    args: [],
    jobsFile,
    timeoutMs: 60_000,
    slots: 2,
    retries: 0,
    failOnFlaky: false,
    timingsPath: '',
    onEvent: event => {
      if (event.type === 'job-started') void cluster.kill()
    }
  })
  await expect(run).rejects.toBeInstanceOf(ClusterError)
  await cluster.kill()
}, 60_000)
