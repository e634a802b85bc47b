/** The artifact transport under injected faults and at rest, over the emulator. */
import type { Emulator } from '../../../src/emulator/index.js'
import { LinkClosedError } from '../../../src/errors.js'
import { ArtifactLink } from '../../../src/transport/artifact/artifact-link.js'
import { ArtifactTransport, Poller } from '../../../src/transport/artifact/index.js'
import type { Link, Listener } from '../../../src/transport/link.js'
import { clientFor, closed, collect, emulator, numbered, numbers } from './helpers.js'

let emu: Emulator
const cleanup: Array<Link | Listener> = []

beforeAll(async () => {
  emu = await emulator({ jobs: 2 })
})
afterAll(async () => {
  emu.setFaults(undefined)
  for (const c of cleanup.splice(0)) await c.close().catch(() => undefined)
  await emu?.stop()
})

async function pair(
  cluster: string,
  options: Partial<ConstructorParameters<typeof ArtifactTransport>[0]> = {}
): Promise<{ client: Link; server: Link; broker: ArtifactTransport; worker: ArtifactTransport }> {
  const poller = new Poller({ minMs: 20, maxMs: 300 })
  const common = { poller, keepaliveMs: 1000, silenceLimitMs: 10_000, ...options }
  const broker = new ArtifactTransport({ client: clientFor(emu, 0), ...common })
  const worker = new ArtifactTransport({ client: clientFor(emu, 1), ...common })
  const listener = await broker.listen(cluster)
  const accepted = new Promise<Link>(resolve => listener.onLink(resolve))
  const client = await worker.connect(cluster, { timeoutMs: 20_000 })
  const server = await accepted
  cleanup.push(client, server, listener)
  return { client, server, broker, worker }
}

function total(...transports: ArtifactTransport[]): number {
  let sum = 0
  for (const t of transports) for (const n of Object.values(t.stats().requests)) sum += n
  return sum
}

test('seeded 429, 500 and dropped connections lose and duplicate nothing', async () => {
  const before = emu.counters()
  emu.setFaults({ seed: 42, rate429: 0.08, rate500: 0.08, rateDrop: 0.05, blob: true })
  try {
    // The closing side waits for the peer's answer before it deletes the streams; under these
    // faults (retries with back-off) the answer can take longer than the test poller's short
    // default wait, so the wait is the production one's order (seconds, ended by the answer).
    // So is the silence limit (60 s): under these faults, on a loaded machine, the server once
    // read nothing of a new link for 10 s, the limit this file's other links use (a CI run:
    // "no data and no keepalive … for 10 s"). Silence is the idle tests' to check; this one
    // checks what arrives.
    const { client, server } = await pair('faults', {
      maxAppendsPerSegment: 6,
      lingerMs: 20_000,
      silenceLimitMs: 60_000
    })
    const atServer = collect(server)
    const atClient = collect(client)
    for (let group = 0; group < 6; group++) {
      for (let i = 0; i < 10; i++) client.send(numbered(group * 10 + i))
      server.send(numbered(1000 + group))
      await atServer.until(group * 10 + 10)
    }
    expect(numbers(await atServer.until(60))).toEqual([...Array(60).keys()])
    expect(numbers(await atClient.until(6))).toEqual([...Array(6).keys()].map(i => 1000 + i))
    const clientClosed = closed(client)
    await server.close()
    expect(await clientClosed).toBeUndefined()
  } finally {
    emu.setFaults(undefined)
  }
  // The faults did happen, on both the service and the blobs.
  const after = emu.counters()
  const injected = (prefix: string): number =>
    Object.entries(after)
      .filter(([k]) => k.startsWith(prefix))
      .reduce((sum, [k, v]) => sum + v - (before[k] ?? 0), 0)
  expect(injected('fault:twirp:')).toBeGreaterThan(0)
  expect(injected('fault:blob:')).toBeGreaterThan(0)
})

test('an idle link makes few requests', async () => {
  const { client, server, broker, worker } = await pair('idle', {
    pollMaxMs: 500,
    keepaliveMs: 1500,
    silenceLimitMs: 5000
  })
  const atServer = collect(server)
  client.send(numbered(1))
  await atServer.until(1)
  // Let the polls back off to their cap, then count over three idle seconds.
  await new Promise(r => setTimeout(r, 1500))
  const start = total(broker, worker)
  await new Promise(r => setTimeout(r, 3000))
  const idle = total(broker, worker) - start
  // Two readers and the listener's watcher at ≤ 1 per 400 ms, keepalives every 1.5 s a side:
  // about 30. A loop without a sleep would make thousands.
  expect(idle).toBeGreaterThan(0)
  expect(idle).toBeLessThanOrEqual(45)
  // And the link is still healthy: keepalives kept the silence limit away.
  client.send(numbered(2))
  expect(numbers(await atServer.until(2))).toEqual([1, 2])
})

test('a peer gone silent fails the link with a clear error once the silence limit passes', async () => {
  const { client, server } = await pair('silent', { keepaliveMs: 500, silenceLimitMs: 2500 })
  const atServer = collect(server)
  client.send(numbered(1))
  await atServer.until(1)
  // The worker dies without a shutdown frame: its writer simply stops.
  ;(client as ArtifactLink).fail(new Error('process killed'))
  const error = await closed(server)
  expect(error).toBeInstanceOf(LinkClosedError)
  expect(error?.message).toMatch(
    /no data and no keepalive on stream squall-silent-\w+-up .*silence limit of 2500 ms/
  )
})
