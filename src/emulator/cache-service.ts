/**
 * `github.actions.results.api.v1.CacheService` handlers (cache service v2). Entries are
 * scoped by the branch refs in the request's `metadata.scope` when present.
 */
import type { BackendIds } from '../results-store/index.js'
import type { Handler } from './artifact-service.js'
import { cacheContainer, containerUrls, type BlobSigner, type UrlLifetimes } from './blob-signer.js'
import type { CacheStore } from './cache-store.js'
import {
  TwirpError,
  field,
  int64Field,
  stringField,
  stringListField,
  type Fields
} from './twirp.js'

/** What the handlers need from the emulator. */
export interface CacheServiceContext {
  store: CacheStore
  signer: BlobSigner
  /** Current lifetimes of signed URLs (mutable: `setUrlLifetimes`). */
  lifetimes: UrlLifetimes
  now(): Date
}

/** The scopes named in `metadata.scope`, in order; [''] when the request names none. */
export function requestScopes(body: Fields): string[] {
  const metadata = field(body, 'metadata')
  if (typeof metadata !== 'object' || metadata === null) return ['']
  const scopes = field(metadata as Fields, 'scope')
  if (!Array.isArray(scopes)) return ['']
  const names = scopes
    .map(s => (typeof s === 'object' && s !== null ? field(s as Fields, 'scope') : undefined))
    .filter((s): s is string => typeof s === 'string' && s !== '')
  return names.length > 0 ? names : ['']
}

/** Builds the CacheService method table. */
export function cacheService(ctx: CacheServiceContext): Record<string, Handler> {
  const urls = containerUrls(ctx.signer, cacheContainer, ctx.lifetimes)
  return {
    async CreateCacheEntry(_caller: BackendIds, body) {
      const entry = ctx.store.create(
        stringField(body, 'key'),
        stringField(body, 'version'),
        requestScopes(body)[0],
        ctx.now()
      )
      return { ok: true, signed_upload_url: urls.upload(entry.blobName) }
    },

    async FinalizeCacheEntryUpload(_caller: BackendIds, body) {
      const sizeBytes = int64Field(body, 'size_bytes')
      if (sizeBytes < 0n)
        throw new TwirpError('invalid_argument', 'size_bytes must not be negative')
      const entry = ctx.store.finalize(
        stringField(body, 'key'),
        stringField(body, 'version'),
        requestScopes(body)[0],
        sizeBytes
      )
      return { ok: true, entry_id: entry.id.toString() }
    },

    async GetCacheEntryDownloadURL(_caller: BackendIds, body) {
      const key = stringField(body, 'key')
      const version = stringField(body, 'version')
      if (!key || !version) throw new TwirpError('invalid_argument', 'key and version are required')
      const entry = ctx.store.lookup(
        key,
        stringListField(body, 'restore_keys'),
        version,
        requestScopes(body)
      )
      // A miss is an ordinary answer, not an error: the client reads `ok: false` as a miss.
      if (!entry) return { ok: false, signed_download_url: '', matched_key: '' }
      return {
        ok: true,
        signed_download_url: urls.download(entry.blobName),
        matched_key: entry.key
      }
    }
  }
}
