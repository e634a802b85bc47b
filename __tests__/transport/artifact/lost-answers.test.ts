/**
 * Writes whose answer is lost after they were applied, over the emulator: a lost CreateArtifact
 * renumbers the listen marker, the down stream and the closed marker (readers find them), and a
 * lost AppendBlock (or stream set-up call) neither loses nor repeats a frame.
 */
import { FaultInjector, type Emulator, type FaultOptions } from '../../../src/emulator/index.js'
import {
  ArtifactTransport,
  ClusterClosedError,
  Poller,
  closedName,
  downName,
  listenName
} from '../../../src/transport/artifact/index.js'
import { AlreadyExistsError, LOST_CREATE_SKIPS } from '../../../src/results-store/index.js'
import type { Link } from '../../../src/transport/link.js'
import { clientFor, closed, collect, emulator, numbered, numbers } from './helpers.js'

let emu: Emulator
let poller: Poller

beforeAll(async () => {
  emu = await emulator({ jobs: 3 })
})
afterAll(async () => {
  emu.setFaults(undefined)
  await emu?.stop()
})
beforeEach(() => {
  poller = new Poller({ minMs: 20, maxMs: 200 })
})

/** A seed whose first decisions for `method` are `pattern` ('lost' is either way of losing). */
function seedFor(method: string, pattern: Array<'lost' | 'none'>): FaultOptions {
  for (let seed = 1; ; seed++) {
    const options = { seed, rateLost: 0.5, methods: [method] }
    const injector = new FaultInjector(options)
    const fits = pattern.every(want => {
      const got = injector.decide('twirp', method).fault
      return want === 'none' ? got === 'none' : got.startsWith('lost-')
    })
    if (fits) return options
  }
}

function transport(job: number): ArtifactTransport {
  return new ArtifactTransport({
    client: clientFor(emu, job),
    poller,
    keepaliveMs: 1000,
    silenceLimitMs: 8000
  })
}

test('a lost CreateArtifact renumbers listen, down and closed; the peers find them', async () => {
  const cluster = 'lost-create'
  const broker = transport(0)
  const worker = transport(1)
  // listen: lost, then our own 409, then `listen.1` goes through.
  emu.setFaults(seedFor('CreateArtifact', ['lost', 'none', 'none']))
  const listener = await broker.listen(cluster)
  const accepted = new Promise<Link>(resolve => listener.onLink(resolve))
  // The worker's up stream goes through; the broker's down is lost once and becomes `down.1`.
  emu.setFaults(seedFor('CreateArtifact', ['none', 'lost', 'none', 'none']))
  const client = await worker.connect(cluster, { timeoutMs: 20_000 })
  const server = await accepted
  emu.setFaults(undefined)

  // While the link is up, the renumbered down stream is the one listed.
  const linkId = client.peer.replace(/^artifact:/, '')
  const during = (await clientFor(emu, 2).listArtifacts()).map(a => a.name)
  expect(during).toContain(`${downName(cluster, linkId)}.1`)
  expect(during).not.toContain(downName(cluster, linkId))
  const atServer = collect(server)
  const atClient = collect(client)
  for (let i = 0; i < 20; i++) client.send(numbered(i))
  for (let i = 0; i < 20; i++) server.send(numbered(100 + i))
  expect(numbers(await atServer.until(20))).toEqual([...Array(20).keys()])
  expect(numbers(await atClient.until(20))).toEqual([...Array(20).keys()].map(i => 100 + i))
  const clientClosed = closed(client)
  await server.close()
  expect(await clientClosed).toBeUndefined()
  await client.close()

  emu.setFaults(seedFor('CreateArtifact', ['lost', 'none', 'none']))
  await listener.close()
  emu.setFaults(undefined)
  // A late worker sees the renumbered closed marker and stops at once.
  await expect(transport(2).connect(cluster, { timeoutMs: 20_000 })).rejects.toBeInstanceOf(
    ClusterClosedError
  )
  // At the end only the renumbered closed marker is left: the streams and the (renumbered)
  // listen marker are deleted, and the burnt names were never finalized, so nobody lists them.
  const names = (await clientFor(emu, 2).listArtifacts()).map(a => a.name)
  expect(names).toContain(`${closedName(cluster)}.1`)
  for (const gone of [
    listenName(cluster),
    `${listenName(cluster)}.1`,
    downName(cluster, linkId),
    `${downName(cluster, linkId)}.1`,
    closedName(cluster)
  ])
    expect(names).not.toContain(gone)
})

/** `tries` creates of the worker's up stream, each lost and then met by our own 409 on retry. */
function lostUpCreates(tries: number): Array<'lost' | 'none'> {
  return Array.from({ length: tries }, () => ['lost', 'none'] as const).flat()
}

test('a worker whose up-stream creates lose their answers over and over still connects', async () => {
  const cluster = 'lost-up'
  const listener = await transport(0).listen(cluster)
  try {
    const accepted = new Promise<Link>(resolve => listener.onLink(resolve))
    // Every fresh link id the worker may skip to is burnt by a lost create, then one goes
    // through, and so does the broker's down stream.
    emu.setFaults(seedFor('CreateArtifact', [...lostUpCreates(LOST_CREATE_SKIPS), 'none', 'none']))
    const client = await transport(1).connect(cluster, { timeoutMs: 20_000 })
    const server = await accepted
    emu.setFaults(undefined)
    const atServer = collect(server)
    client.send(numbered(7))
    expect(numbers(await atServer.until(1))).toEqual([7])
    await server.close()
    await client.close()

    // One more lost create than that: the worker gives up with the store's answer (waiting for
    // the connect deadline would end in a ClusterError).
    emu.setFaults(seedFor('CreateArtifact', lostUpCreates(LOST_CREATE_SKIPS + 1)))
    await expect(transport(2).connect(cluster, { timeoutMs: 20_000 })).rejects.toBeInstanceOf(
      AlreadyExistsError
    )
  } finally {
    emu.setFaults(undefined)
    await listener.close()
  }
})

test('lost AppendBlock answers neither lose nor repeat a frame', async () => {
  const cluster = 'lost-append'
  const broker = transport(0)
  const worker = transport(1)
  const before = emu.counters()
  emu.setFaults({
    seed: 11,
    rateLost: 0.25,
    blob: true,
    methods: ['AppendBlock', 'FinalizeArtifact', 'CreateAppendBlob']
  })
  try {
    const listener = await broker.listen(cluster)
    const accepted = new Promise<Link>(resolve => listener.onLink(resolve))
    const client = await worker.connect(cluster, { timeoutMs: 20_000 })
    const server = await accepted
    const atServer = collect(server)
    // Small groups: many appends, so many lost answers.
    for (let group = 0; group < 15; group++) {
      for (let i = 0; i < 4; i++) client.send(numbered(group * 4 + i))
      await atServer.until(group * 4 + 4)
    }
    expect(numbers(atServer.messages)).toEqual([...Array(60).keys()])
    await server.close()
    await client.close()
    await listener.close()
  } finally {
    emu.setFaults(undefined)
  }
  const after = emu.counters()
  const lost = (key: string): number => (after[key] ?? 0) - (before[key] ?? 0)
  expect(lost('fault:blob:AppendBlock:lost')).toBeGreaterThan(0)
})
