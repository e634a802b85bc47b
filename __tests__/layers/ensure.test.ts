/** What every layer provider shares (ensureLayers over a cache): once per target, in order. */
import { copyFile } from 'node:fs/promises'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { LayerCache } from '../../src/layers/cache.js'
import { ensureLayers } from '../../src/layers/ensure.js'
import { LayerError } from '../../src/layers/errors.js'
import { ExtractOnce, layerMarker } from '../../src/layers/extract-once.js'
import { packLayer } from '../../src/layers/pack.js'
import { tempDir, writeTree } from './helpers.js'

describe('ensureLayers through a layer cache', () => {
  let t: ReturnType<typeof tempDir>
  let packed: string
  let root: string
  let cache: LayerCache
  let fills: number
  beforeEach(() => {
    t = tempDir()
    packed = join(t.dir, 'packed')
    root = join(t.dir, 'src')
    writeTree(root, { 'bin/tool': 'tool v1', 'lib/a.js': 'a', 'lib/b.js': 'b' })
    cache = new LayerCache({ dir: join(t.dir, 'cache'), maxBytes: 1 << 20 })
    fills = 0
  })
  afterEach(() => t.cleanup())

  /** A provider's ensure: layers come from the packed directory through the cache. */
  const provider = (extractions = new ExtractOnce()) => ({
    ensure: (digests: string[], targetDir: string) =>
      ensureLayers({
        digests,
        targetDir,
        extractions,
        parallel: 4,
        acquire: digest =>
          cache.acquire(digest, async temp => {
            fills++
            await copyFile(join(packed, `${digest}.tar.gz`), temp).catch(() => {
              throw new LayerError(`layer ${digest} is not in ${packed}`)
            })
          })
      })
  })

  test('files land once per target, concurrent calls included', async () => {
    const { digest } = await packLayer(root, ['bin', 'lib'], packed)
    const p = provider()
    const one = join(t.dir, 'one')
    const two = join(t.dir, 'two')
    await Promise.all([p.ensure([digest], one), p.ensure([digest], one), p.ensure([digest], two)])
    expect(fills).toBe(1)
    expect(readFileSync(join(one, 'bin/tool'), 'utf8')).toBe('tool v1')
    expect(readFileSync(join(two, 'lib/b.js'), 'utf8')).toBe('b')
    expect(existsSync(layerMarker(one, digest))).toBe(true)
    // Once extracted, a target is left alone: a job's own change survives another ensure.
    writeFileSync(join(one, 'bin/tool'), 'changed by a job')
    await p.ensure([digest], one)
    expect(readFileSync(join(one, 'bin/tool'), 'utf8')).toBe('changed by a job')
  })

  test('layers are extracted in the order given, later ones winning', async () => {
    const first = (await packLayer(root, ['bin'], packed)).digest
    writeTree(root, { 'bin/tool': 'tool v2' })
    const second = (await packLayer(root, ['bin'], packed)).digest
    const target = join(t.dir, 'target')
    await provider().ensure([first, second], target)
    expect(readFileSync(join(target, 'bin/tool'), 'utf8')).toBe('tool v2')
  })

  test('a layer that cannot be fetched extracts and caches nothing', async () => {
    const missing = '0'.repeat(64)
    const target = join(t.dir, 'target')
    await expect(provider().ensure([missing], target)).rejects.toThrow(LayerError)
    await expect(provider().ensure([missing], target)).rejects.toThrow(/is not in/)
    expect(existsSync(target)).toBe(false)
    expect(await cache.entries()).toEqual([])
  })

  test('a malformed digest is a clear error before anything is fetched', async () => {
    await expect(provider().ensure(['../../etc'], join(t.dir, 'x'))).rejects.toThrow(
      /not a layer digest/
    )
    expect(fills).toBe(0)
  })
})
