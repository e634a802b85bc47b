/**
 * Layers against the emulator: upload (publish) and download (ensure, cold cache) throughput
 * of a ~64 MiB layer, beside raw Blob PUT and GET of the same bytes straight to Azurite, in
 * the same run. Layer traffic goes through the emulator's counting proxy and the results
 * service, as a worker's would; the raw figures are the ceiling the storage allows.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { startEmulator } from '../src/emulator/index.js'
import {
  BlobSigner,
  deleteBlob,
  devAccountName,
  resultsContainer
} from '../src/emulator/blob-signer.js'
import { ResultsClient } from '../src/results-store/index.js'
import { ArtifactLayerProvider, ArtifactLayerPublisher } from '../src/layers/artifact-layers.js'
import { LayerCache } from '../src/layers/cache.js'
import { layerArtifactName } from '../src/layers/digest.js'
import { packLayer } from '../src/layers/pack.js'
import { tempDir } from './cluster.js'
import { fixed, type Row } from './table.js'

const MIB = 1024 * 1024
const LAYER_MIB = 64
const ROUNDS = 3

export async function layersBench(log: (line: string) => void): Promise<Row[]> {
  const { dir, remove } = tempDir('squall-bench-layers-')
  const emulator = await startEmulator({ jobs: 2 })
  try {
    // Random bytes do not compress: the tarball is as big as the content, the honest case.
    const src = join(dir, 'src')
    mkdirSync(join(src, 'out'), { recursive: true })
    for (let i = 0; i < 8; i++)
      writeFileSync(join(src, 'out', `part-${i}.bin`), randomBytes((LAYER_MIB / 8) * MIB))
    const packStarted = performance.now()
    const packed = await packLayer(src, ['out'], join(dir, 'packed'))
    const packMs = performance.now() - packStarted
    const mb = packed.size / MIB
    log(`layers: ${fixed(mb, 1)} MiB layer, packed in ${fixed(packMs / 1000, 2)} s`)
    const bytes = readFileSync(packed.file)
    const client = (i: number): ResultsClient =>
      new ResultsClient({
        resultsUrl: emulator.resultsUrl,
        token: emulator.jobs[i]!.token,
        ids: emulator.jobs[i]!.ids
      })
    const direct = new BlobSigner(`${emulator.azuriteUrl}/${devAccountName}`)

    const rawPut: number[] = []
    const rawGet: number[] = []
    const up: number[] = []
    const down: number[] = []
    const extract: number[] = []
    for (let round = 0; round < ROUNDS; round++) {
      const blobName = `bench/raw-${randomUUID()}`
      const url = direct.uploadUrl(resultsContainer, blobName, 60 * 60 * 1000)
      rawPut.push(await timed(() => rawRequest(url, 'PUT', bytes)))
      rawGet.push(await timed(() => rawRequest(url, 'GET')))
      // Azurite keeps blobs in memory: free each round's before the next.
      await deleteBlob(emulator.azuriteUrl, resultsContainer, blobName)

      const clusterId = `bench-layers-${round}`
      const publisher = new ArtifactLayerPublisher({ client: client(0), clusterId })
      up.push(await timed(() => publisher.publishPacked(packed)))
      const provider = new ArtifactLayerProvider({
        client: client(1),
        clusterId,
        cache: new LayerCache({ dir: join(dir, `cache-${round}`), maxBytes: 4 * LAYER_MIB * MIB })
      })
      down.push(await timed(() => provider.ensure([packed.digest], join(dir, `target-${round}`))))
      // A second worker process on the same cache: no download, only the extraction.
      const cached = new ArtifactLayerProvider({
        client: client(1),
        clusterId,
        cache: new LayerCache({ dir: join(dir, `cache-${round}`), maxBytes: 4 * LAYER_MIB * MIB })
      })
      extract.push(await timed(() => cached.ensure([packed.digest], join(dir, `target-${round}b`))))
      await rm(join(dir, `target-${round}`), { recursive: true })
      await rm(join(dir, `target-${round}b`), { recursive: true })
      await client(0).deleteArtifact(layerArtifactName(clusterId, packed.digest))
      log(
        `  round ${round + 1}: raw put ${ms(rawPut)} get ${ms(rawGet)}, layer up ${ms(up)} down ${ms(down)} extract ${ms(extract)}`
      )
    }
    const rate = (samples: number[]): string => `${fixed(mb / (median(samples) / 1000), 0)} MiB/s`
    const row = (c: string, figure: string, value: string): Row => ({
      section: 'layers',
      case: c,
      figure,
      value
    })
    const size = `${fixed(mb, 0)} MiB`
    return [
      row(`pack ${size} (tar + gzip + sha256)`, 'MiB/s', fixed(mb / (packMs / 1000), 0)),
      row(`raw Blob PUT ${size}, straight to Azurite`, `median of ${ROUNDS}`, rate(rawPut)),
      row(`layer upload ${size} (list, create, blocks, finalize)`, `median of ${ROUNDS}`, rate(up)),
      row(`raw Blob GET ${size}, straight to Azurite`, `median of ${ROUNDS}`, rate(rawGet)),
      row(
        `layer download ${size} (URL, GET, sha256, cache, extract)`,
        `median of ${ROUNDS}`,
        rate(down)
      ),
      row(
        `layer ensure ${size} from the cache (check + extract)`,
        `median of ${ROUNDS}`,
        rate(extract)
      ),
      row(
        'layer vs raw',
        'upload / download',
        `${fixed(median(rawPut) / median(up), 2)} / ${fixed(median(rawGet) / median(down), 2)} of raw`
      )
    ]
  } finally {
    await emulator.stop()
    remove()
  }
}

/** One raw Blob REST request on a signed URL, body read to the end. */
async function rawRequest(url: string, method: 'PUT' | 'GET', body?: Buffer): Promise<void> {
  const response = await fetch(url, {
    method,
    headers: {
      'x-ms-version': '2023-11-03',
      ...(method === 'PUT' ? { 'x-ms-blob-type': 'BlockBlob' } : {})
    },
    body
  })
  const data = await response.arrayBuffer()
  if (!response.ok) throw new Error(`raw ${method}: HTTP ${response.status}`)
  if (method === 'GET' && data.byteLength === 0) throw new Error('raw GET: empty blob')
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await fn()
  return performance.now() - started
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

function ms(samples: number[]): string {
  return `${fixed(samples[samples.length - 1] as number, 0)} ms`
}
