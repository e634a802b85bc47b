import { chmodSync, readFileSync, readlinkSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { UsageError } from '../../src/errors.js'
import { extractLayer, readEntries } from '../../src/layers/extract.js'
import { hashFile } from '../../src/layers/digest.js'
import { layerEntries, packLayer } from '../../src/layers/pack.js'
import { tempDir, writeTree } from './helpers.js'

const tree = {
  'build/a.txt': 'alpha',
  'build/sub/b.txt': 'beta',
  'build/link': { link: 'sub/b.txt' },
  'tool.sh': '#!/bin/sh\necho hi\n',
  'other/c.txt': 'not packed'
}

describe('packLayer', () => {
  let t: ReturnType<typeof tempDir>
  beforeEach(() => {
    t = tempDir()
  })
  afterEach(() => t.cleanup())

  test('the same content gives the same digest, whatever the times, modes and order', async () => {
    const one = join(t.dir, 'one')
    const two = join(t.dir, 'two')
    writeTree(one, tree)
    // The second copy is written in another order, with other times and group/other bits.
    writeTree(two, Object.fromEntries(Object.entries(tree).reverse()))
    utimesSync(join(two, 'build/a.txt'), new Date(2020, 1, 1), new Date(2020, 1, 1))
    chmodSync(join(two, 'build/a.txt'), 0o664)
    const a = await packLayer(one, ['tool.sh', 'build'], join(t.dir, 'out-a'))
    const b = await packLayer(two, ['build', 'tool.sh', 'build/sub'], join(t.dir, 'out-b'))
    expect(a.digest).toMatch(/^[0-9a-f]{64}$/)
    expect(b.digest).toBe(a.digest)
    expect((await hashFile(a.file)).digest).toBe(a.digest)
    expect(a.file).toBe(join(t.dir, 'out-a', `${a.digest}.tar.gz`))
    expect(a.size).toBe(statSync(a.file).size)
  })

  test('a changed byte, or a changed executable bit, changes the digest', async () => {
    const root = join(t.dir, 'src')
    writeTree(root, tree)
    const first = await packLayer(root, ['build', 'tool.sh'], join(t.dir, 'out'))
    writeFileSync(join(root, 'build/sub/b.txt'), 'betA')
    const second = await packLayer(root, ['build', 'tool.sh'], join(t.dir, 'out'))
    expect(second.digest).not.toBe(first.digest)
    chmodSync(join(root, 'tool.sh'), 0o755)
    const third = await packLayer(root, ['build', 'tool.sh'], join(t.dir, 'out'))
    expect(third.digest).not.toBe(second.digest)
  })

  test('entries are sorted, links kept as links, modes normalised; extraction restores them', async () => {
    const root = join(t.dir, 'src')
    writeTree(root, tree)
    chmodSync(join(root, 'tool.sh'), 0o700)
    const packed = await packLayer(root, ['tool.sh', 'build'], join(t.dir, 'out'))
    const entries = await readEntries(packed.file)
    expect(entries.map(e => `${e.type} ${e.path}`)).toEqual([
      'Directory build/',
      'File build/a.txt',
      'SymbolicLink build/link',
      'Directory build/sub/',
      'File build/sub/b.txt',
      'File tool.sh'
    ])
    const target = join(t.dir, 'target')
    await extractLayer(packed.file, target)
    expect(readlinkSync(join(target, 'build/link'))).toBe('sub/b.txt')
    expect(readFileSync(join(target, 'build/link'), 'utf8')).toBe('beta')
    expect(statSync(join(target, 'tool.sh')).mode & 0o777).toBe(0o755)
    expect(statSync(join(target, 'build/a.txt')).mode & 0o111).toBe(0)
    expect(() => statSync(join(target, 'other'))).toThrow()
  })

  test("'.' packs the whole root", async () => {
    const root = join(t.dir, 'src')
    writeTree(root, { 'x.txt': 'x', 'd/y.txt': 'y' })
    expect((await layerEntries(root, ['.'])).map(e => e.path)).toEqual(['d', 'd/y.txt', 'x.txt'])
  })

  test('paths outside the root are refused, through a link too', async () => {
    const root = join(t.dir, 'src')
    writeTree(root, { ...tree, 'out-link': { link: '../elsewhere' } })
    writeTree(join(t.dir, 'elsewhere'), { 'secret.txt': 's' })
    await expect(packLayer(root, ['../elsewhere'], join(t.dir, 'out'))).rejects.toThrow(
      /outside the root/
    )
    await expect(packLayer(root, [join(t.dir, 'elsewhere')], join(t.dir, 'out'))).rejects.toThrow(
      UsageError
    )
    await expect(packLayer(root, ['out-link/secret.txt'], join(t.dir, 'out'))).rejects.toThrow(
      /through a symbolic link/
    )
    // The link itself would be packed as a link to outside the layer: refused as well.
    await expect(packLayer(root, ['out-link'], join(t.dir, 'out'))).rejects.toThrow(
      /outside the layer/
    )
    await expect(packLayer(root, ['missing'], join(t.dir, 'out'))).rejects.toThrow(/does not exist/)
  })
})
