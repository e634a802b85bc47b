/**
 * Streams over append blobs against the emulator: blocks that end mid-frame, rollover by the
 * append limit and by the upload URL's lifetime, download URLs renewed after a 403.
 */
import type { Emulator } from '../../../src/emulator/index.js'
import { BlobError, BlobHttp, defaultCallRetryPolicy } from '../../../src/results-store/index.js'
import {
  encodeFrame,
  encodeMessage,
  FrameKind,
  decodeMessage
} from '../../../src/protocol/framing.js'
import type { Message } from '../../../src/protocol/messages.js'
import {
  createAppendArtifact,
  type StoreContext
} from '../../../src/transport/artifact/artifacts.js'
import { ArtifactTransport, Poller } from '../../../src/transport/artifact/index.js'
import { StreamReader } from '../../../src/transport/artifact/stream-reader.js'
import { StreamWriter } from '../../../src/transport/artifact/stream-writer.js'
import type { Link, Listener } from '../../../src/transport/link.js'
import { clientFor, closed, collect, emulator, numbered, numbers, quickRetry } from './helpers.js'

let emu: Emulator

beforeAll(async () => {
  emu = await emulator({ jobs: 2 })
})
afterAll(async () => {
  await emu?.stop()
})
const listeners: Listener[] = []
const links: Link[] = []
afterEach(async () => {
  for (const link of links.splice(0)) await link.close()
  for (const listener of listeners.splice(0)) await listener.close()
  emu.setUrlLifetimes({ uploadUrlTtlMs: 6 * 3600_000, downloadUrlTtlMs: 600_000 })
})

function context(job: number): StoreContext {
  return {
    client: clientFor(emu, job),
    blob: new BlobHttp(),
    blobRetry: { ...defaultCallRetryPolicy, ...quickRetry }
  }
}

test('a reader takes frames split anywhere across append blocks', async () => {
  const writer = context(0)
  const created = await createAppendArtifact(writer, 'mid-frame')
  const bytes = Buffer.concat([
    encodeMessage(numbered(1)),
    encodeFrame(FrameKind.keepalive),
    encodeMessage(numbered(2)),
    encodeMessage(numbered(3)),
    encodeFrame(FrameKind.shutdown)
  ])
  // Cut points inside a length prefix, inside a header, inside a payload.
  const cuts = [2, 5, 9, 30, bytes.length - 3, bytes.length]
  const got: Message[] = []
  let ended: Error | undefined | 'open' = 'open'
  const reader = new StreamReader(context(1), {
    stream: 'mid-frame',
    silenceLimitMs: 30_000,
    onFrame: frame => {
      got.push(decodeMessage(frame))
    },
    onEnd: error => {
      ended = error
    }
  })
  let position = 0
  const seen: number[] = []
  for (const cut of cuts) {
    await writer.blob.appendBlock(
      created.uploadUrl,
      bytes.subarray(position, cut),
      position,
      AbortSignal.timeout(5000)
    )
    position = cut
    expect(await reader.poll()).not.toBe('idle')
    seen.push(got.length)
  }
  expect(numbers(got)).toEqual([1, 2, 3])
  // Messages appeared only once their last byte had arrived.
  expect(seen[0]).toBe(0)
  expect(ended).toBeUndefined()
  expect(await reader.poll()).toBe('done')
})

/** Blob calls where the answer of the first append is lost after the store applied it. */
class LosingFirstAnswer extends BlobHttp {
  lost = 0
  override async appendBlock(
    url: string,
    data: Buffer,
    position: number,
    signal: AbortSignal
  ): Promise<void> {
    await super.appendBlock(url, data, position, signal)
    if (this.lost++ === 0)
      throw new BlobError(
        'AppendBlock',
        undefined,
        undefined,
        'AppendBlock: fetch failed (ECONNRESET)'
      )
  }
}

test('an append whose answer was lost is not written twice', async () => {
  const blob = new LosingFirstAnswer()
  const ctx = { ...context(0), blob }
  const writer = await StreamWriter.create(ctx, 'lost-answer', { keepaliveMs: 60_000 })
  for (let i = 0; i < 3; i++) writer.write(encodeMessage(numbered(i)))
  await writer.close()
  const got: Message[] = []
  let ended: Error | undefined | 'open' = 'open'
  const reader = new StreamReader(context(1), {
    stream: 'lost-answer',
    silenceLimitMs: 30_000,
    onFrame: frame => {
      got.push(decodeMessage(frame))
    },
    onEnd: error => {
      ended = error
    }
  })
  expect(await reader.poll()).toBe('done')
  expect(ended).toBeUndefined()
  expect(numbers(got)).toEqual([0, 1, 2])
  // The retry was refused by its append position, and the length check found the bytes there.
  expect(blob.requestCounts()['blob:GetBlobProperties']).toBe(1)
})

async function pair(
  cluster: string,
  options: Partial<ConstructorParameters<typeof ArtifactTransport>[0]> = {}
): Promise<{ client: Link; server: Link; broker: ArtifactTransport; worker: ArtifactTransport }> {
  // Listeners are closed after each test, so no watcher outlives it.
  const poller = new Poller({ minMs: 20, maxMs: 200 })
  const log = process.env['SQUALL_TEST_LOG']
    ? (level: string, msg: string) => console.log(level, msg)
    : undefined
  const common = { poller, keepaliveMs: 1000, silenceLimitMs: 8000, log, ...options }
  const broker = new ArtifactTransport({ client: clientFor(emu, 0), ...common })
  const worker = new ArtifactTransport({ client: clientFor(emu, 1), ...common })
  const listener = await broker.listen(cluster)
  const accepted = new Promise<Link>(resolve => listener.onLink(resolve))
  const client = await worker.connect(cluster, { timeoutMs: 15_000 })
  const server = await accepted
  listeners.push(listener)
  links.push(client, server)
  return { client, server, broker, worker }
}

const sleep = (ms: number): Promise<void> => new Promise(r => setTimeout(r, ms))

/** Names of the `-up` stream segments of a cluster. */
async function upSegments(cluster: string): Promise<string[]> {
  const all = await clientFor(emu, 0).listArtifacts()
  return all
    .map(a => a.name)
    .filter(n => n.startsWith(`squall-${cluster}-`) && /-up(\.\d+)?$/.test(n))
}

test('a tiny append limit rolls streams over without loss or duplication', async () => {
  const { client, server, worker } = await pair('roll-appends', { maxAppendsPerSegment: 3 })
  const atServer = collect(server)
  const atClient = collect(client)
  // Sent in groups, each once the one before has arrived: many appends, so many segments.
  for (let group = 0; group < 8; group++) {
    for (let i = 0; i < 5; i++) client.send(numbered(group * 5 + i))
    server.send(numbered(100 + group))
    await atServer.until(group * 5 + 5)
    await atClient.until(group + 1)
  }
  expect(numbers(await atServer.until(40))).toEqual([...Array(40).keys()])
  expect(numbers(await atClient.until(8))).toEqual([...Array(8).keys()].map(i => 100 + i))
  const up = await upSegments('roll-appends')
  expect(up.length).toBeGreaterThan(2)
  // Each segment of the worker's stream counts against the worker job's artifacts, no more.
  expect(worker.stats().artifactsCreated).toBe(up.length)
  await client.close()
  expect(await closed(server)).toBeUndefined()
})

test('short upload URLs roll over before they expire, idle or busy', async () => {
  emu.setUrlLifetimes({ uploadUrlTtlMs: 3000 })
  const { client, server } = await pair('roll-time', { keepaliveMs: 5000, silenceLimitMs: 10_000 })
  const atServer = collect(server)
  client.send(numbered(0))
  await atServer.until(1)
  // Idle past the first URL's expiry: only a rollover made ahead of time keeps the stream alive.
  await sleep(4000)
  for (let i = 1; i < 20; i++) {
    client.send(numbered(i))
    await sleep(50)
  }
  expect(numbers(await atServer.until(20))).toEqual([...Array(20).keys()])
  const up = await upSegments('roll-time')
  expect(up.length).toBeGreaterThan(1)
  const clientClosed = closed(client)
  await server.close()
  expect(await clientClosed).toBeUndefined()
})

test('a reader renews its download URL after a 403 and goes on', async () => {
  emu.setUrlLifetimes({ downloadUrlTtlMs: 2000 })
  const before = emu.counters()['blob-status:GetBlobRange:403'] ?? 0
  const { client, server, broker } = await pair('renew')
  const atServer = collect(server)
  for (let i = 0; i < 12; i++) {
    client.send(numbered(i))
    await sleep(350)
  }
  expect(numbers(await atServer.until(12))).toEqual([...Array(12).keys()])
  expect((emu.counters()['blob-status:GetBlobRange:403'] ?? 0) - before).toBeGreaterThan(0)
  expect(broker.stats().requests['GetSignedArtifactURL']).toBeGreaterThan(1)
  await client.close()
  expect(await closed(server)).toBeUndefined()
})
