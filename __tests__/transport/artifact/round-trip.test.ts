/** The artifact transport end to end over the emulator: two jobs, real HTTP, real Azurite. */
import type { Emulator } from '../../../src/emulator/index.js'
import {
  ArtifactTransport,
  ClusterClosedError,
  NoBrokerError,
  Poller
} from '../../../src/transport/artifact/index.js'
import { clientFor, closed, collect, emulator, numbered, numbers } from './helpers.js'

let emu: Emulator
let poller: Poller

beforeAll(async () => {
  emu = await emulator({ jobs: 3 })
})
afterAll(async () => {
  await emu?.stop()
})
beforeEach(() => {
  poller = new Poller({ minMs: 20, maxMs: 200 })
})

function transports(): { broker: ArtifactTransport; worker: ArtifactTransport } {
  const common = { poller, keepaliveMs: 1000, silenceLimitMs: 5000 }
  return {
    broker: new ArtifactTransport({ client: clientFor(emu, 0), ...common }),
    worker: new ArtifactTransport({ client: clientFor(emu, 1), ...common })
  }
}

test('many messages both ways arrive in order; shutdown is a clean close', async () => {
  const { broker, worker } = transports()
  const listener = await broker.listen('rt-1')
  const accepted = new Promise<import('../../../src/transport/link.js').Link>(resolve =>
    listener.onLink(resolve)
  )
  const client = await worker.connect('rt-1', { timeoutMs: 15_000 })
  const server = await accepted
  expect(client.peer).toMatch(/^artifact:/)
  expect(server.peer).toBe(client.peer)

  const atServer = collect(server)
  const atClient = collect(client)
  const count = 300
  for (let i = 0; i < count; i++) client.send(numbered(i))
  for (let i = 0; i < count; i++) server.send(numbered(1000 + i))
  const up = await atServer.until(count)
  const down = await atClient.until(count)
  expect(numbers(up)).toEqual([...Array(count).keys()])
  expect(numbers(down)).toEqual([...Array(count).keys()].map(i => 1000 + i))

  const clientClosed = closed(client)
  await server.close()
  expect(await clientClosed).toBeUndefined()
  expect(await closed(server)).toBeUndefined()

  // The worker job created its -up stream only; the broker listen + one -down.
  expect(worker.stats().artifactsCreated).toBe(1)
  expect(broker.stats().artifactsCreated).toBe(2)
  expect(worker.stats().requests['CreateArtifact']).toBe(1)
  await listener.close()
})

test('a connect after the closed marker fails fast with ClusterClosedError', async () => {
  const { broker, worker } = transports()
  const listener = await broker.listen('rt-2')
  await listener.close()
  const late = new ArtifactTransport({
    client: clientFor(emu, 2),
    poller,
    keepaliveMs: 1000,
    silenceLimitMs: 5000
  })
  await expect(late.connect('rt-2', { timeoutMs: 60_000 })).rejects.toBeInstanceOf(
    ClusterClosedError
  )
  // It looked once and created nothing.
  expect(late.stats().artifactsCreated).toBe(0)
  expect(late.stats().requests['ListArtifacts']).toBe(1)
  expect(worker.stats().artifactsCreated).toBe(0)
})

test('connect gives up with a clear error when no listener appears', async () => {
  const { worker } = transports()
  const attempt = worker.connect('rt-nobody', { timeoutMs: 500 })
  await expect(attempt).rejects.toBeInstanceOf(NoBrokerError)
  await expect(attempt).rejects.toThrow(/no broker of cluster rt-nobody appeared/)
  expect(worker.stats().artifactsCreated).toBe(0)
})
