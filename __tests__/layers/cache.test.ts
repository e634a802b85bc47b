import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { LayerCache, type FillLayer } from '../../src/layers/cache.js'
import { tempDir } from './helpers.js'

const digestOf = (name: string): string => createHash('sha256').update(name).digest('hex')
const [A, B, C, D] = ['a', 'b', 'c', 'd'].map(digestOf) as [string, string, string, string]

/** A fill that writes 100 bytes and counts its calls. */
function filler(): { fill: FillLayer; calls: number } {
  const state = {
    calls: 0,
    fill: async (temp: string): Promise<void> => {
      state.calls++
      await new Promise(resolve => setTimeout(resolve, 20))
      writeFileSync(temp, Buffer.alloc(100, state.calls))
    }
  }
  return state
}

describe('LayerCache', () => {
  let t: ReturnType<typeof tempDir>
  let clock: number
  const cache = (): LayerCache =>
    new LayerCache({ dir: join(t.dir, 'cache'), maxBytes: 250, now: () => clock })
  const take = async (c: LayerCache, digest: string, fill = filler().fill): Promise<void> => {
    clock += 1000
    await c.withLayer(digest, fill, async () => undefined)
  }
  const cached = async (c: LayerCache): Promise<string[]> => (await c.entries()).map(e => e.digest)

  beforeEach(() => {
    t = tempDir()
    clock = Date.UTC(2024, 0, 1)
  })
  afterEach(() => t.cleanup())

  test('evicts the least recently used layer once past the cap', async () => {
    const c = cache()
    await take(c, A)
    await take(c, B)
    await take(c, A) // A is now more recent than B
    await take(c, C)
    expect(await cached(c)).toEqual([A, C])
  })

  test('the order of last use survives the process (file times)', async () => {
    await take(cache(), A)
    await take(cache(), B)
    const later = cache()
    await take(later, A)
    await take(later, C)
    expect(await cached(later)).toEqual([A, C])
    await take(cache(), D)
    expect(await cached(cache())).toEqual([C, D])
  })

  test('concurrent requests for one digest share one fill', async () => {
    const c = cache()
    const f = filler()
    const files = await Promise.all(
      Array.from({ length: 5 }, () =>
        c.withLayer(A, f.fill, async file => readFileSync(file).length)
      )
    )
    expect(f.calls).toBe(1)
    expect(files).toEqual([100, 100, 100, 100, 100])
    // Already cached: no fill at all.
    await c.withLayer(A, f.fill, async () => undefined)
    expect(f.calls).toBe(1)
  })

  test('a layer in use is not evicted; it goes once released', async () => {
    const c = cache()
    clock += 1000
    const lease = await c.acquire(A, filler().fill)
    await take(c, B)
    await take(c, C)
    // A is the oldest but held, so B goes.
    expect(await cached(c)).toEqual([A, C])
    lease.release()
    await take(c, D)
    expect(await cached(c)).toEqual([C, D])
  })

  test('a failed fill caches nothing and leaves no temp file; the next request tries again', async () => {
    const c = cache()
    await expect(
      c.withLayer(
        A,
        async temp => {
          writeFileSync(temp, 'half')
          throw new Error('network down')
        },
        async () => undefined
      )
    ).rejects.toThrow('network down')
    expect(readdirSync(c.dir)).toEqual([])
    const f = filler()
    await c.withLayer(A, f.fill, async () => undefined)
    expect(f.calls).toBe(1)
    expect(await c.has(A)).toBe(true)
  })

  test('refuses names that are not digests', () => {
    expect(() => cache().pathOf('../../etc/passwd')).toThrow(/not a layer digest/)
  })

  describe('a hit is verified', () => {
    const real = Buffer.from('the real layer bytes')
    const R = createHash('sha256').update(real).digest('hex')
    const honest = (): { fill: FillLayer; calls: number } => {
      const state = {
        calls: 0,
        fill: async (temp: string): Promise<void> => {
          state.calls++
          writeFileSync(temp, real)
        }
      }
      return state
    }
    const withLog = (): { c: LayerCache; warnings: string[] } => {
      const warnings: string[] = []
      const c = new LayerCache({
        dir: join(t.dir, 'cache'),
        maxBytes: 1 << 20,
        now: () => clock,
        log: (level, message) => void (level === 'warning' && warnings.push(message))
      })
      return { c, warnings }
    }

    test('a planted file whose bytes do not match its name is not used, but fetched again', async () => {
      const { c, warnings } = withLog()
      mkdirSync(c.dir, { recursive: true })
      writeFileSync(c.pathOf(R), 'planted bytes, not the layer')
      const f = honest()
      const seen = await c.withLayer(R, f.fill, async file => readFileSync(file))
      expect(f.calls).toBe(1)
      expect(seen).toEqual(real)
      expect(readFileSync(c.pathOf(R))).toEqual(real)
      expect(warnings.join('\n')).toMatch(/does not hash to its name/)
    })

    test('a file that does match (kept from an earlier process) is used without a fetch', async () => {
      const { c, warnings } = withLog()
      mkdirSync(c.dir, { recursive: true })
      writeFileSync(c.pathOf(R), real)
      const f = honest()
      await c.withLayer(R, f.fill, async () => undefined)
      await c.withLayer(R, f.fill, async () => undefined)
      expect(f.calls).toBe(0)
      expect(warnings).toEqual([])
    })

    test('a file changed after it was verified is checked again, even with its times put back', async () => {
      const { c } = withLog()
      const f = honest()
      await c.withLayer(R, f.fill, async () => undefined)
      expect(f.calls).toBe(1)
      const file = c.pathOf(R)
      const before = statSync(file)
      // Same size, same modification time: only the change time (which no one sets) tells.
      writeFileSync(file, Buffer.alloc(real.length, 0x58))
      utimesSync(file, before.atime, before.mtime)
      const seen = await c.withLayer(R, f.fill, async path => readFileSync(path))
      expect(f.calls).toBe(2)
      expect(seen).toEqual(real)
    })
  })
})
