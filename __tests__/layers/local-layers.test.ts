import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { LayerCache } from '../../src/layers/cache.js'
import { LayerError } from '../../src/layers/errors.js'
import { layerMarker } from '../../src/layers/extract-once.js'
import { LocalLayerProvider, LocalLayerPublisher } from '../../src/layers/local-layers.js'
import { tempDir, writeTree } from './helpers.js'

describe('local layers over a shared directory', () => {
  let t: ReturnType<typeof tempDir>
  let shared: string
  let root: string
  beforeEach(() => {
    t = tempDir()
    shared = join(t.dir, 'shared')
    root = join(t.dir, 'src')
    writeTree(root, { 'bin/tool': 'tool v1', 'lib/a.js': 'a', 'lib/b.js': 'b' })
  })
  afterEach(() => t.cleanup())

  test('publish, then ensure: files land once per target, concurrent calls included', async () => {
    const digest = await new LocalLayerPublisher(shared).publish(root, ['bin', 'lib'])
    expect(readdirSync(shared)).toEqual([`${digest}.tar.gz`])
    const provider = new LocalLayerProvider({ dir: shared })
    const one = join(t.dir, 'one')
    const two = join(t.dir, 'two')
    await Promise.all([
      provider.ensure([digest], one),
      provider.ensure([digest], one),
      provider.ensure([digest], two)
    ])
    expect(readFileSync(join(one, 'bin/tool'), 'utf8')).toBe('tool v1')
    expect(readFileSync(join(two, 'lib/b.js'), 'utf8')).toBe('b')
    expect(existsSync(layerMarker(one, digest))).toBe(true)
    // Once extracted, a target is left alone: a job's own change survives another ensure.
    writeFileSync(join(one, 'bin/tool'), 'changed by a job')
    await provider.ensure([digest], one)
    expect(readFileSync(join(one, 'bin/tool'), 'utf8')).toBe('changed by a job')
  })

  test('layers are extracted in the order given, later ones winning', async () => {
    const publisher = new LocalLayerPublisher(shared)
    const first = await publisher.publish(root, ['bin'])
    writeTree(root, { 'bin/tool': 'tool v2' })
    const second = await publisher.publish(root, ['bin'])
    const target = join(t.dir, 'target')
    await new LocalLayerProvider({ dir: shared }).ensure([first, second], target)
    expect(readFileSync(join(target, 'bin/tool'), 'utf8')).toBe('tool v2')
  })

  test('a corrupt shared file is refused and nothing is extracted or cached', async () => {
    const digest = await new LocalLayerPublisher(shared).publish(root, ['lib'])
    const file = join(shared, `${digest}.tar.gz`)
    const bytes = readFileSync(file)
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] as number) ^ 0xff
    writeFileSync(file, bytes)
    const cache = new LayerCache({ dir: join(t.dir, 'cache'), maxBytes: 1 << 20 })
    for (const provider of [
      new LocalLayerProvider({ dir: shared }),
      new LocalLayerProvider({ dir: shared, cache })
    ]) {
      const target = join(t.dir, 'target')
      await expect(provider.ensure([digest], target)).rejects.toThrow(LayerError)
      await expect(provider.ensure([digest], target)).rejects.toThrow(/SHA-256/)
      expect(existsSync(join(target, 'lib'))).toBe(false)
    }
    expect(await cache.entries()).toEqual([])
  })

  test('a missing layer and a malformed digest are clear errors', async () => {
    const provider = new LocalLayerProvider({ dir: shared })
    await expect(provider.ensure(['0'.repeat(64)], join(t.dir, 'x'))).rejects.toThrow(
      /not in the shared layer directory/
    )
    await expect(provider.ensure(['../../etc'], join(t.dir, 'x'))).rejects.toThrow(
      /not a layer digest/
    )
  })
})
