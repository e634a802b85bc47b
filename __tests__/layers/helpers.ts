/** Shared setup of the layer tests: temp dirs, small file trees, hand-made tarballs. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { Header } from 'tar'

/** A temp dir removed by `cleanup()`. */
export function tempDir(prefix = 'squall-layers-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Writes a tree: strings are files, `{ link }` symbolic links. Parent dirs are created. */
export function writeTree(root: string, tree: Record<string, string | { link: string }>): void {
  for (const [path, content] of Object.entries(tree)) {
    const at = join(root, path)
    mkdirSync(dirname(at), { recursive: true })
    if (typeof content === 'string') writeFileSync(at, content)
    else symlinkSync(content.link, at)
  }
}

/** One entry of a hand-made tarball. */
export interface RawEntry {
  path: string
  type: 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'CharacterDevice' | 'BlockDevice' | 'FIFO'
  linkpath?: string
  content?: string
}

/**
 * A gzipped tarball written header by header, so it can hold what a packer never would
 * (absolute paths, `..`, links out, devices).
 */
export function rawTarball(file: string, entries: RawEntry[]): void {
  const blocks: Buffer[] = []
  for (const entry of entries) {
    const data = Buffer.from(entry.content ?? '')
    const header = new Header({
      path: entry.path,
      type: entry.type,
      linkpath: entry.linkpath,
      size: data.length,
      mode: entry.type === 'Directory' ? 0o755 : 0o644,
      mtime: new Date(0)
    })
    header.encode()
    blocks.push(header.block as Buffer)
    if (data.length > 0) {
      const padded = Buffer.alloc(Math.ceil(data.length / 512) * 512)
      data.copy(padded)
      blocks.push(padded)
    }
  }
  blocks.push(Buffer.alloc(1024))
  writeFileSync(file, gzipSync(Buffer.concat(blocks)))
}
