import { existsSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { checkEntries } from '../../src/layers/entry-checks.js'
import { LayerError, UnsafeEntryError } from '../../src/layers/errors.js'
import { extractLayer } from '../../src/layers/extract.js'
import { rawTarball, tempDir, type RawEntry } from './helpers.js'

/** A harmless first entry: if any attack wrote anything, it would be there. */
const benign: RawEntry = { path: 'first.txt', type: 'File', content: 'first' }

const attacks: Array<[string, RawEntry[], string, RegExp]> = [
  [
    'an absolute path',
    [{ path: '/tmp/squall-pwned.txt', type: 'File', content: 'x' }],
    '/tmp/squall-pwned.txt',
    /absolute path/
  ],
  [
    'a leading ..',
    [{ path: '../escape.txt', type: 'File', content: 'x' }],
    '../escape.txt',
    /'\.\.'/
  ],
  [
    'a .. in the middle',
    [{ path: 'a/../../escape.txt', type: 'File', content: 'x' }],
    'a/../../escape.txt',
    /'\.\.'/
  ],
  [
    'a backslash ..',
    [{ path: 'a\\..\\..\\escape.txt', type: 'File', content: 'x' }],
    'a\\..\\..\\escape.txt',
    /'\.\.'/
  ],
  [
    'a link to an absolute path',
    [{ path: 'etc', type: 'SymbolicLink', linkpath: '/etc' }],
    'etc',
    /absolute path '\/etc'/
  ],
  [
    'a link up and out',
    [{ path: 'd/up', type: 'SymbolicLink', linkpath: '../../..' }],
    'd/up',
    /outside the layer/
  ],
  [
    'a file written through a link',
    [
      { path: 'sub/', type: 'Directory' },
      { path: 'via', type: 'SymbolicLink', linkpath: 'sub' },
      { path: 'via/pwn.txt', type: 'File', content: 'x' }
    ],
    'via/pwn.txt',
    /under the symbolic link 'via'/
  ],
  [
    'two links that escape only together',
    [
      { path: 'a', type: 'SymbolicLink', linkpath: 'b/..' },
      { path: 'b', type: 'SymbolicLink', linkpath: '.' }
    ],
    'a',
    /outside the layer/
  ],
  [
    'a link loop',
    [
      { path: 'x', type: 'SymbolicLink', linkpath: 'y/z' },
      { path: 'y', type: 'SymbolicLink', linkpath: 'x' }
    ],
    'x',
    /loop/
  ],
  ['a hard link', [{ path: 'h', type: 'Link', linkpath: '/etc/passwd' }], 'h', /hard link/],
  ['a character device', [{ path: 'null', type: 'CharacterDevice' }], 'null', /device file/],
  ['a block device', [{ path: 'disk', type: 'BlockDevice' }], 'disk', /device file/],
  ['a named pipe', [{ path: 'pipe', type: 'FIFO' }], 'pipe', /FIFO/],
  [
    'a file that replaces a link',
    [
      { path: 'l', type: 'SymbolicLink', linkpath: 'first.txt' },
      { path: 'l', type: 'File', content: 'x' }
    ],
    'l',
    /replaces a symbolic link/
  ]
]

describe('extractLayer', () => {
  let t: ReturnType<typeof tempDir>
  beforeEach(() => {
    t = tempDir()
  })
  afterEach(() => t.cleanup())

  test.each(attacks)(
    'refuses %s, naming the entry, and writes nothing',
    async (_what, entries, named, reason) => {
      const file = join(t.dir, 'bad.tar.gz')
      rawTarball(file, [benign, ...entries])
      const target = join(t.dir, 'target')
      const failure = await extractLayer(file, target).then(
        () => undefined,
        (error: unknown) => error
      )
      expect(failure).toBeInstanceOf(UnsafeEntryError)
      expect((failure as UnsafeEntryError).entry).toBe(named)
      expect((failure as Error).message).toContain(`'${named}'`)
      expect((failure as Error).message).toMatch(reason)
      expect(existsSync(target) ? readdirSync(target) : []).toEqual([])
      expect(existsSync('/tmp/squall-pwned.txt')).toBe(false)
      expect(existsSync(join(t.dir, 'escape.txt'))).toBe(false)
    }
  )

  test('extracts files, directories and links that stay inside', async () => {
    const file = join(t.dir, 'good.tar.gz')
    rawTarball(file, [
      benign,
      { path: './dir/', type: 'Directory' },
      { path: 'dir/inner.txt', type: 'File', content: 'inner' },
      { path: 'dir/up', type: 'SymbolicLink', linkpath: '../first.txt' },
      { path: 'dir/self', type: 'SymbolicLink', linkpath: '.' }
    ])
    const target = join(t.dir, 'target')
    expect(await extractLayer(file, target)).toEqual({ entries: 5 })
    expect(readFileSync(join(target, 'dir/inner.txt'), 'utf8')).toBe('inner')
    expect(readlinkSync(join(target, 'dir/up'))).toBe('../first.txt')
    expect(readFileSync(join(target, 'dir/up'), 'utf8')).toBe('first')
  })

  test('a file that is not a tarball is a LayerError naming it', async () => {
    const file = join(t.dir, 'junk.tar.gz')
    writeFileSync(file, Buffer.from('\x1f\x8b\x08 this is not gzip at all'))
    await expect(extractLayer(file, join(t.dir, 'target'))).rejects.toThrow(LayerError)
    await expect(extractLayer(file, join(t.dir, 'target'))).rejects.toThrow(file)
  })
})

describe('checkEntries', () => {
  test('links may point anywhere inside, through other links', () => {
    expect(() =>
      checkEntries([
        { path: 'a/b', type: 'SymbolicLink', linkpath: '../c' },
        { path: 'c', type: 'SymbolicLink', linkpath: 'd/e/..' },
        { path: 'd/', type: 'Directory' }
      ])
    ).not.toThrow()
  })

  test('a link inside that leads to a link out is refused', () => {
    expect(() =>
      checkEntries([
        { path: 'in', type: 'SymbolicLink', linkpath: 'out/x' },
        { path: 'out', type: 'SymbolicLink', linkpath: '..' }
      ])
    ).toThrow(/'in'.*outside the layer/)
  })
})
