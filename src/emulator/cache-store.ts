/**
 * The cache service's entries, as pure state. An entry is reserved by CreateCacheEntry and
 * becomes visible when finalized. Lookup follows the documented order: per scope, an exact
 * key match, then a prefix match of the key, then each restore key as a prefix; newest first;
 * the version must match.
 */
import { createHash } from 'node:crypto'
import { TwirpError } from './twirp.js'

/** One cache entry. */
export interface CacheEntry {
  id: bigint
  key: string
  version: string
  /** The branch ref the entry belongs to; '' when the request named none. */
  scope: string
  blobName: string
  createdAt: Date
  finalized: boolean
  sizeBytes: bigint
}

/** The cache client refuses longer keys; the service does too. */
export const maxCacheKeyLength = 512

function validateKey(key: string): void {
  if (key === '' || key.length > maxCacheKeyLength || key.includes(',')) {
    throw new TwirpError(
      'invalid_argument',
      `cache key must be 1 to ${maxCacheKeyLength} characters without commas`
    )
  }
}

/** Cache entries of every scope. */
export class CacheStore {
  private readonly entries: CacheEntry[] = []
  private nextId = 2_000_000_001n
  /** Keeps creation order total even when two entries share a millisecond. */
  private sequence = 0
  private readonly order = new Map<CacheEntry, number>()

  /** Reserves an entry; 409 when key+version already exists in the scope. */
  create(key: string, version: string, scope: string, now: Date): CacheEntry {
    validateKey(key)
    if (version === '') throw new TwirpError('invalid_argument', 'cache version is required')
    if (this.entries.some(e => e.key === key && e.version === version && e.scope === scope)) {
      throw new TwirpError(
        'already_exists',
        'cache entry with the same key, version, and scope already exists'
      )
    }
    const id = this.nextId++
    const hash = createHash('sha256').update(`${scope}\n${key}\n${version}`).digest('hex')
    const entry: CacheEntry = {
      id,
      key,
      version,
      scope,
      blobName: `${id}-${hash.slice(0, 24)}`,
      createdAt: now,
      finalized: false,
      sizeBytes: 0n
    }
    this.entries.push(entry)
    this.order.set(entry, this.sequence++)
    return entry
  }

  /** Finalizes the reserved entry; 404 when there is none to finalize. */
  finalize(key: string, version: string, scope: string, sizeBytes: bigint): CacheEntry {
    const entry = this.entries.find(
      e => e.key === key && e.version === version && e.scope === scope && !e.finalized
    )
    if (!entry) throw new TwirpError('not_found', 'cache entry not found')
    entry.finalized = true
    entry.sizeBytes = sizeBytes
    return entry
  }

  /** The entry a restore gets, or undefined for a miss. `scopes` in order of preference. */
  lookup(
    key: string,
    restoreKeys: string[],
    version: string,
    scopes: string[]
  ): CacheEntry | undefined {
    for (const scope of scopes) {
      const candidates = this.entries
        .filter(e => e.finalized && e.version === version && e.scope === scope)
        .sort((a, b) => (this.order.get(b) ?? 0) - (this.order.get(a) ?? 0))
      const found =
        candidates.find(e => e.key === key) ??
        candidates.find(e => e.key.startsWith(key)) ??
        firstPrefixMatch(candidates, restoreKeys)
      if (found) return found
    }
    return undefined
  }
}

function firstPrefixMatch(candidates: CacheEntry[], prefixes: string[]): CacheEntry | undefined {
  for (const prefix of prefixes) {
    const found = candidates.find(e => e.key.startsWith(prefix))
    if (found) return found
  }
  return undefined
}
