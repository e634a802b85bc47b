/**
 * Which tarball entries a layer may hold, decided from headers alone before anything is
 * written: regular files, directories and symbolic links whose targets stay inside the
 * layer, at relative paths without `..`, none of them under a symbolic link. Pure logic.
 */
import { UnsafeEntryError } from './errors.js'

/** What extraction needs to know of one entry. */
export interface EntryHeader {
  /** The path as the archive spells it. */
  path: string
  /** The tar type name (`File`, `Directory`, `SymbolicLink`, `Link`, `CharacterDevice`…). */
  type: string
  /** The target of a link entry. */
  linkpath?: string
}

const fileTypes = new Set(['File', 'OldFile', 'ContiguousFile'])
/** Symlink chains longer than this are refused (the kernel's own limit is 40). */
const maxHops = 40

/**
 * Throws an UnsafeEntryError naming the first entry (in archive order) that is refused.
 * Symbolic links are resolved against every link of the archive, so a link whose target
 * is harmless on its own but not once a later link exists is caught too.
 */
export function checkEntries(entries: EntryHeader[]): void {
  const links = new Map<string, string>()
  const paths: string[] = []
  for (const entry of entries) {
    const path = checkPath(entry)
    paths.push(path)
    if (entry.type === 'SymbolicLink') {
      if (links.has(path))
        throw new UnsafeEntryError(entry.path, 'a second symbolic link at one path')
      links.set(path, entry.linkpath ?? '')
    }
  }
  entries.forEach((entry, i) => {
    const path = paths[i] as string
    const segments = path === '' ? [] : path.split('/')
    for (let n = 1; n < segments.length; n++) {
      const prefix = segments.slice(0, n).join('/')
      if (links.has(prefix)) {
        throw new UnsafeEntryError(
          entry.path,
          `it lies under the symbolic link '${prefix}' of this layer`
        )
      }
    }
    if (entry.type !== 'SymbolicLink' && links.has(path)) {
      throw new UnsafeEntryError(entry.path, 'it replaces a symbolic link of this layer')
    }
    if (entry.type === 'SymbolicLink') checkLinkTarget(entry, segments.slice(0, -1), links)
  })
}

/** The entry's normalised relative path ('' for the root itself); throws if it is refused. */
function checkPath(entry: EntryHeader): string {
  const raw = entry.path
  if (raw === '' || raw.includes('\0'))
    throw new UnsafeEntryError(raw, 'an empty or NUL-bearing path')
  if (raw.startsWith('/') || raw.startsWith('\\') || /^[A-Za-z]:/.test(raw)) {
    throw new UnsafeEntryError(raw, 'an absolute path')
  }
  // Backslashes are separators on some systems: a `..` between them counts too.
  const segments = raw.split(/[/\\]/).filter(s => s !== '' && s !== '.')
  if (segments.includes('..')) throw new UnsafeEntryError(raw, "a '..' path component")
  if (!fileTypes.has(entry.type) && entry.type !== 'Directory' && entry.type !== 'SymbolicLink') {
    throw new UnsafeEntryError(raw, refusedType(entry.type))
  }
  if (segments.length === 0 && entry.type !== 'Directory') {
    throw new UnsafeEntryError(raw, 'a non-directory entry at the root')
  }
  return raw
    .split('/')
    .filter(s => s !== '' && s !== '.')
    .join('/')
}

function refusedType(type: string): string {
  switch (type) {
    case 'Link':
      return 'a hard link (layers hold files, directories and symbolic links)'
    case 'CharacterDevice':
    case 'BlockDevice':
      return `a device file (${type})`
    case 'FIFO':
      return 'a named pipe (FIFO)'
    default:
      return `an unsupported entry type (${type})`
  }
}

/** Resolves the link as the kernel would, through the archive's other links. */
function checkLinkTarget(entry: EntryHeader, dir: string[], links: Map<string, string>): void {
  const target = entry.linkpath ?? ''
  if (target === '') throw new UnsafeEntryError(entry.path, 'a symbolic link without a target')
  const stack = [...dir]
  let queue = target.split('/')
  if (target.startsWith('/') || /^[A-Za-z]:/.test(target)) {
    throw new UnsafeEntryError(entry.path, `a symbolic link to the absolute path '${target}'`)
  }
  let hops = 0
  while (queue.length > 0) {
    const segment = queue.shift() as string
    if (segment === '' || segment === '.') continue
    if (segment === '..') {
      if (stack.length === 0) {
        throw new UnsafeEntryError(entry.path, `a symbolic link to '${target}', outside the layer`)
      }
      stack.pop()
      continue
    }
    stack.push(segment)
    const next = links.get(stack.join('/'))
    if (next === undefined) continue
    if (++hops > maxHops) {
      throw new UnsafeEntryError(
        entry.path,
        `a symbolic link to '${target}' through a loop of links`
      )
    }
    if (next.startsWith('/') || /^[A-Za-z]:/.test(next)) {
      throw new UnsafeEntryError(
        entry.path,
        `a symbolic link to '${target}', which leads to an absolute path`
      )
    }
    stack.pop()
    queue = [...next.split('/'), ...queue]
  }
}
