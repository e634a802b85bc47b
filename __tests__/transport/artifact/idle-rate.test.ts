/**
 * What an idle link costs, counted by the emulator: the transport's default pace run three
 * times faster (every interval divided by 3), so 20 s of real time stand for one minute.
 * The assertion is on counts of requests, not on timings.
 */
import type { Emulator } from '../../../src/emulator/index.js'
import { requestCounts } from '../../../src/emulator/index.js'
import { ArtifactTransport, defaultPace, Poller } from '../../../src/transport/artifact/index.js'
import type { Message } from '../../../src/protocol/messages.js'
import type { Link } from '../../../src/transport/link.js'
import { clientFor, collect, emulator, numbered, numbers } from './helpers.js'

const speedup = 3
/** The broker's default heartbeat (`squall broker --heartbeat`, 30 s): each side beats every 10 s. */
const heartbeatEveryMs = 30_000 / 3 / speedup
const sleep = (ms: number): Promise<void> => new Promise(r => setTimeout(r, ms))

/** Resolves once heartbeat `n` is among `messages` (the link's close fails the test by timeout). */
async function arrived(messages: Message[], n: number): Promise<void> {
  while (!numbers(messages).includes(n)) await sleep(25)
}

let emu: Emulator
beforeAll(async () => {
  emu = await emulator({ jobs: 2 })
})
afterAll(async () => {
  await emu?.stop()
})

test('an idle link with heartbeats costs at most 60 requests a minute, both ends and the listener', async () => {
  const poller = new Poller({
    minMs: defaultPace.pollMinMs / speedup,
    maxMs: defaultPace.pollMaxMs / speedup
  })
  const common = {
    poller,
    keepaliveMs: defaultPace.keepaliveMs / speedup,
    silenceLimitMs: defaultPace.silenceLimitMs / speedup
  }
  const broker = new ArtifactTransport({ client: clientFor(emu, 0), ...common })
  const worker = new ArtifactTransport({ client: clientFor(emu, 1), ...common })
  const listener = await broker.listen('idle-rate')
  const accepted = new Promise<Link>(resolve => listener.onLink(resolve))
  const client = await worker.connect('idle-rate', { timeoutMs: 20_000 })
  const server = await accepted
  const atServer = collect(server)
  const atClient = collect(client)
  client.send(numbered(1))
  await atServer.until(1)
  const beats = setInterval(() => {
    client.send({ type: 'heartbeat', at: Date.now() })
    server.send({ type: 'heartbeat', at: Date.now() })
  }, heartbeatEveryMs)
  try {
    // Backing off from the quick pace to the cap takes a few seconds; then count a "minute".
    await sleep(12_000 / speedup)
    const before = requestCounts(emu.counters())
    const workerLists = worker.stats().requests['ListArtifacts'] ?? 0
    await sleep(60_000 / speedup)
    const after = requestCounts(emu.counters())
    const perMinute = after.total - before.total
    const by = (key: string): number => (after.byMethod[key] ?? 0) - (before.byMethod[key] ?? 0)
    // Reads, appends (the heartbeats) and the listener's lists all happened, and few of each.
    expect(by('blob:GetBlobRange')).toBeGreaterThan(0)
    expect(by('blob:AppendBlock')).toBeGreaterThanOrEqual(2 * 5)
    expect(by('twirp:ListArtifacts')).toBeGreaterThan(0)
    expect(by('twirp:ListArtifacts')).toBeLessThanOrEqual(10)
    expect(perMinute).toBeLessThanOrEqual(60)
    // Only the broker's listener lists: a connected worker has no new peer to look for.
    expect(worker.stats().requests['ListArtifacts'] ?? 0).toBe(workerLists)
  } finally {
    clearInterval(beats)
  }
  // Still healthy both ways after the idle minute (heartbeats arrived as messages too).
  client.send(numbered(2))
  server.send(numbered(3))
  await arrived(atServer.messages, 2)
  await arrived(atClient.messages, 3)
  expect(atServer.messages.some(m => m.type === 'heartbeat' && m.at > 1000)).toBe(true)
  await client.close()
  await server.close()
  await listener.close()
}, 60_000)
