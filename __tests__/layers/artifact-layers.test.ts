import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob'
import { devAccountKey, devAccountName } from '../../src/emulator/blob-signer.js'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import {
  BlobHttp,
  ResultsClient,
  uploadBlockBlob,
  type CallRetryPolicy
} from '../../src/results-store/index.js'
import { ArtifactLayerProvider, ArtifactLayerPublisher } from '../../src/layers/artifact-layers.js'
import { LayerCache } from '../../src/layers/cache.js'
import { layerArtifactName } from '../../src/layers/digest.js'
import { LayerError } from '../../src/layers/errors.js'
import { packLayer } from '../../src/layers/pack.js'
import { tempDir, writeTree } from './helpers.js'

const quickRetry: CallRetryPolicy = {
  attempts: 12,
  minDelayMs: 10,
  maxDelayMs: 200,
  factor: 2,
  budgetMs: 15_000,
  timeoutMs: 10_000
}

describe('layers through the artifact store (emulator)', () => {
  let emu: Emulator
  let t: ReturnType<typeof tempDir>
  let root: string
  let clusterId: string
  let seq = 0

  const client = (): ResultsClient =>
    ResultsClient.fromEnv(emu.mintJob().env, { retry: quickRetry })
  const publisher = (
    c = client(),
    extra: { blockSize?: number; raceWaitMs?: number; blob?: BlobHttp } = {}
  ): ArtifactLayerPublisher =>
    new ArtifactLayerPublisher({
      client: c,
      clusterId,
      blobRetry: quickRetry,
      workDir: t.dir,
      ...extra
    })
  const provider = (
    cacheDir = join(t.dir, `cache-${seq++}`),
    blob?: BlobHttp
  ): ArtifactLayerProvider =>
    new ArtifactLayerProvider({
      client: client(),
      clusterId,
      blobRetry: quickRetry,
      cache: new LayerCache({ dir: cacheDir, maxBytes: 64 << 20 }),
      blob
    })
  const count = (name: string): number => emu.counters()[name] ?? 0

  beforeAll(async () => {
    emu = await startEmulator({ jobs: 1 })
  }, 60_000)
  afterAll(async () => {
    await emu?.stop()
  })
  beforeEach(() => {
    t = tempDir()
    // A cluster per test, so artifact names never collide between tests of the one run.
    clusterId = `c${seq++}`
    root = join(t.dir, 'src')
    writeTree(root, {
      'dist/app.js': 'console.log(1)\n',
      'dist/data.bin': randomBytes(4096).toString('hex')
    })
    emu.resetCounters()
    emu.setFaults(undefined)
  })
  afterEach(() => t.cleanup())

  test('publishing the same content twice uploads it once', async () => {
    const first = await publisher().publish(root, ['dist'])
    expect(count('twirp:CreateArtifact')).toBe(1)
    expect(count('twirp:FinalizeArtifact')).toBe(1)
    // Another job (another publisher) packs the same bytes: it finds the artifact and stops.
    const second = await publisher().publish(root, ['dist'])
    expect(second).toBe(first)
    expect(count('twirp:CreateArtifact')).toBe(1)
    const listed = await client().listArtifacts({ nameFilter: layerArtifactName(clusterId, first) })
    expect(listed).toHaveLength(1)
  })

  test('two racing publishers both succeed, with one artifact between them', async () => {
    const [a, b] = await Promise.all([
      publisher().publish(root, ['dist']),
      publisher().publish(root, ['dist'])
    ])
    expect(a).toBe(b)
    expect(
      await client().listArtifacts({ nameFilter: layerArtifactName(clusterId, a) })
    ).toHaveLength(1)
    const target = join(t.dir, 'target')
    await provider().ensure([a], target)
    expect(readFileSync(join(target, 'dist/app.js'), 'utf8')).toBe('console.log(1)\n')
  })

  test('a publisher that meets a 409 waits for the other upload to finish', async () => {
    // Pack the layer to learn its digest and bytes, then play the other uploader by hand.
    const packed = await packLayer(root, ['dist'], join(t.dir, 'packed'))
    const other = client()
    const name = layerArtifactName(clusterId, packed.digest)
    const url = await other.createArtifact(name, { mimeType: 'application/gzip' })
    let done = false
    const publishing = publisher(client(), { raceWaitMs: 20_000 })
      .publish(root, ['dist'])
      .finally(() => (done = true))
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(done).toBe(false)
    await uploadBlockBlob(new BlobHttp(), url, packed.file, packed.size, { retry: quickRetry })
    await other.finalizeArtifact(name, packed.size)
    expect(await publishing).toBe(packed.digest)
    expect(count('twirp:CreateArtifact')).toBe(2)
  })

  test('concurrent ensure() calls fetch each layer once and land the files in every target', async () => {
    const digest = await publisher().publish(root, ['dist'])
    emu.resetCounters()
    const p = provider()
    const targets = [join(t.dir, 'a'), join(t.dir, 'a'), join(t.dir, 'b'), join(t.dir, 'c')]
    await Promise.all(targets.map(target => p.ensure([digest], target)))
    expect(count('blob:GetBlob')).toBe(1)
    expect(count('twirp:GetSignedArtifactURL')).toBe(1)
    for (const target of targets) {
      expect(readFileSync(join(target, 'dist/app.js'), 'utf8')).toBe('console.log(1)\n')
    }
    // From the cache from now on, in a new target too.
    await p.ensure([digest], join(t.dir, 'd'))
    expect(count('blob:GetBlob')).toBe(1)
  })

  test('a big layer goes up in blocks and survives injected blob failures', async () => {
    writeTree(root, { 'dist/big.bin': randomBytes(600 * 1024).toString('base64') })
    emu.setFaults({
      seed: 7,
      rate500: 0.3,
      blob: true,
      methods: ['PutBlock', 'PutBlockList', 'GetBlob']
    })
    const digest = await publisher(client(), { blockSize: 128 * 1024 }).publish(root, ['dist'])
    const target = join(t.dir, 'target')
    await provider().ensure([digest], target)
    expect(count('blob:PutBlock')).toBeGreaterThan(6)
    expect(count('fault:blob:500')).toBeGreaterThan(0)
    expect(readFileSync(join(target, 'dist/big.bin'), 'utf8')).toBe(
      readFileSync(join(root, 'dist/big.bin'), 'utf8')
    )
  })

  test('blob requests of layers are counted as the store sees them', async () => {
    writeTree(root, { 'dist/big.bin': randomBytes(300 * 1024).toString('base64') })
    const blob = new BlobHttp()
    const digest = await publisher(client(), { blockSize: 128 * 1024, blob }).publish(root, [
      'dist'
    ])
    await provider(undefined, blob).ensure([digest], join(t.dir, 'target'))
    const counted = blob.requestCounts()
    expect(counted['blob:PutBlock']).toBeGreaterThan(1)
    for (const operation of ['blob:PutBlock', 'blob:PutBlockList', 'blob:GetBlob']) {
      expect(counted[operation]).toBe(count(operation))
    }
    expect(counted['blob:PutBlockList']).toBe(1)
    expect(counted['blob:GetBlob']).toBe(1)
  })

  test('bytes that do not match their digest are refused, and nothing is cached or extracted', async () => {
    // Publish a real layer's bytes under the name of another digest.
    const packed = await packLayer(root, ['dist'], join(t.dir, 'packed'))
    const wrong = createHash('sha256').update('something else').digest('hex')
    const c = client()
    const name = layerArtifactName(clusterId, wrong)
    const url = await c.createArtifact(name, { mimeType: 'application/gzip' })
    await uploadBlockBlob(new BlobHttp(), url, packed.file, packed.size, { retry: quickRetry })
    await c.finalizeArtifact(name, packed.size)
    const cacheDir = join(t.dir, 'cache-mismatch')
    const target = join(t.dir, 'target')
    const failure = await provider(cacheDir)
      .ensure([wrong], target)
      .then(
        () => undefined,
        (error: unknown) => error
      )
    expect(failure).toBeInstanceOf(LayerError)
    expect((failure as Error).message).toContain(wrong)
    expect((failure as Error).message).toContain(packed.digest)
    expect(await new LayerCache({ dir: cacheDir, maxBytes: 1 }).entries()).toEqual([])
    expect(existsSync(join(target, 'dist'))).toBe(false)
  })

  test('a layer nobody published is a clear error', async () => {
    const missing = createHash('sha256').update('never published').digest('hex')
    await expect(provider().ensure([missing], join(t.dir, 'x'))).rejects.toThrow(
      /not in the artifact store/
    )
  })

  test('a blob corrupted in storage is refused, then served again once repaired', async () => {
    const digest = await publisher().publish(root, ['dist'])
    const c = client()
    const name = layerArtifactName(clusterId, digest)
    const [entry] = await c.listArtifacts({ nameFilter: name })
    const signed = new URL(await c.getSignedArtifactUrl(name, entry?.workflowJobRunBackendId))
    // The blob's path in the account, straight from the signed URL: /<account>/<container>/<blob>.
    const [, , container, ...blob] = signed.pathname.split('/').map(decodeURIComponent)
    const service = new BlobServiceClient(
      `${emu.azuriteUrl}/${devAccountName}`,
      new StorageSharedKeyCredential(devAccountName, devAccountKey)
    )
    const blobClient = service
      .getContainerClient(container as string)
      .getBlockBlobClient(blob.join('/'))
    const original = await blobClient.downloadToBuffer()
    const corrupt = Buffer.from(original)
    corrupt[corrupt.length >> 1] = (corrupt[corrupt.length >> 1] as number) ^ 0xff
    await blobClient.uploadData(corrupt)
    const p = provider()
    const target = join(t.dir, 'target')
    await expect(p.ensure([digest], target)).rejects.toThrow(/SHA-256/)
    expect(existsSync(join(target, 'dist'))).toBe(false)
    await blobClient.uploadData(original)
    await p.ensure([digest], target)
    expect(readFileSync(join(target, 'dist/app.js'), 'utf8')).toBe('console.log(1)\n')
  })
})
