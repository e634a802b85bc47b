/**
 * A mixed-platform cluster: the go fixture's test binaries are built once for this machine,
 * and a real broker with two in-process workers, one offering this machine's platform and one
 * another architecture (through the worker's platform seam), keeps every job on the first.
 */
import { join } from 'node:path'
import { Broker } from '../../src/broker/broker.js'
import { goFramework } from '../../src/frameworks/go/go.js'
import { hostPlatform, platformLabels } from '../../src/protocol/platform.js'
import type { RunEvent } from '../../src/runner/events.js'
import { runSuite } from '../../src/runner/runner.js'
import { MemoryTransport } from '../../src/transport/memory.js'
import { runWorker, type WorkerExit } from '../../src/worker/worker.js'
import { cleanUp, copyFixture, requireToolchain } from '../frameworks/job-harness.js'

afterAll(cleanUp)

test('binaries built for this machine run only on the worker of its platform', async () => {
  requireToolchain('Go', 'go', ['version'])
  const root = copyFixture('go-suite')
  const host = hostPlatform()
  const other = { os: host.os, arch: host.arch === 'arm64' ? 'x64' : 'arm64' }
  const transport = new MemoryTransport()
  const broker = new Broker({
    listener: await transport.listen('broker'),
    clusterId: 'mixed',
    heartbeatMs: 5000,
    tickMs: 100
  })
  broker.start()
  const workers: Promise<WorkerExit>[] = [
    ['native', host],
    ['foreign', other]
  ].map(([id, platform]) =>
    runWorker({
      id: id as string,
      slots: 2,
      labels: [],
      platform: platform as typeof host,
      connect: () => transport.connect('broker'),
      context: {
        workDir: root,
        jobsRoot: join(root, `.jobs-${id as string}`),
        outputCapBytes: 64 * 1024,
        killGraceMs: 500
      }
    })
  )
  const events: RunEvent[] = []
  try {
    const summary = await runSuite({
      connect: () => transport.connect('broker'),
      framework: goFramework,
      cwd: root,
      args: [],
      timeoutMs: 60_000,
      slots: 4,
      retries: 0,
      failOnFlaky: false,
      onEvent: event => events.push(event)
    })
    const joined = events.flatMap(e => (e.type === 'worker-joined' ? [e] : []))
    expect(Object.fromEntries(joined.map(e => [e.worker, e.labels]))).toEqual({
      native: platformLabels(host),
      foreign: platformLabels(other)
    })
    const started = events.flatMap(e => (e.type === 'job-started' ? [e] : []))
    expect(started.length).toBeGreaterThan(1)
    for (const e of started) {
      expect(e.job.labels).toEqual(platformLabels(host).sort())
      expect(e.worker).toBe('native')
    }
    // The fixture has failing tests; what matters is that every test ran, none errored.
    expect(summary.errored).toBe(0)
    expect(summary.tests).toBeGreaterThan(5)
  } finally {
    await broker.stop('test over')
    await Promise.all(workers)
  }
}, 180_000)
