/** The emulator's pure parts: artifact and cache state, faults, blob request naming, counts. */
import { ArtifactStore, maxArtifactsPerJob } from '../../src/emulator/artifact-store.js'
import { blobOperation, emptyRangeSize, sasExpired } from '../../src/emulator/blob-proxy.js'
import { CacheStore } from '../../src/emulator/cache-store.js'
import { requestCounts } from '../../src/emulator/counters.js'
import { FaultInjector, seededRandom } from '../../src/emulator/faults.js'
import { TwirpError } from '../../src/emulator/twirp.js'

const now = new Date('2025-01-01T00:00:00Z')

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (e) {
    if (e instanceof TwirpError) return e.code
    throw e
  }
  return undefined
}

describe('ArtifactStore', () => {
  test('an artifact is listed only once finalized, run-wide, with its size and digest', () => {
    const store = new ArtifactStore()
    const a = store.create({ runId: 'r', jobId: 'j1', name: 'a', version: 4 }, now)
    store.create({ runId: 'r', jobId: 'j2', name: 'b', version: 4 }, now)
    store.create({ runId: 'other', jobId: 'j3', name: 'a', version: 4 }, now)
    expect(store.list('r')).toEqual([])
    store.finalize('r', 'j1', 'a', 42n, 'sha256:ff')
    expect(store.list('r').map(x => [x.name, x.size, x.digest])).toEqual([['a', 42n, 'sha256:ff']])
    expect(store.list('r', undefined, a.id)).toHaveLength(1)
    expect(store.list('r', 'b')).toEqual([])
    expect(codeOf(() => store.finalize('r', 'j1', 'a', 1n))).toBe('failed_precondition')
    expect(codeOf(() => store.finalize('r', 'j2', 'a', 1n))).toBe('not_found')
  })

  test('zip artifacts get a .zip blob and file name, raw files keep theirs', () => {
    const store = new ArtifactStore()
    const zip = store.create(
      { runId: 'r', jobId: 'j', name: 'bundle', version: 7, mimeType: 'application/zip' },
      now
    )
    const raw = store.create(
      { runId: 'r', jobId: 'j', name: 'out.txt', version: 7, mimeType: 'text/plain' },
      now
    )
    expect([zip.blobName.endsWith('.zip'), zip.fileName]).toEqual([true, 'bundle.zip'])
    expect([raw.blobName.endsWith('.zip'), raw.fileName]).toEqual([false, 'out.txt'])
  })

  test('delete frees the name; the per-job limit counts creations, not live artifacts', () => {
    const store = new ArtifactStore()
    for (let i = 0; i < maxArtifactsPerJob; i++) {
      store.create({ runId: 'r', jobId: 'j', name: `n${i}`, version: 4 }, now)
      if (i === 0) store.delete('r', 'j', 'n0')
    }
    expect(
      codeOf(() => store.create({ runId: 'r', jobId: 'j', name: 'n0', version: 4 }, now))
    ).toBe('resource_exhausted')
    expect(store.createdPerJob()).toEqual({ 'r:j': maxArtifactsPerJob })
    expect(
      codeOf(() => store.create({ runId: 'r', jobId: 'k', name: 'n0', version: 4 }, now))
    ).toBeUndefined()
    expect(codeOf(() => store.delete('r', 'j', 'n0'))).toBe('not_found')
  })
})

describe('CacheStore', () => {
  function saved(store: CacheStore, key: string, version = 'v', scope = ''): void {
    store.create(key, version, scope, now)
    store.finalize(key, version, scope, 10n)
  }

  test('exact key first, then key prefix, then restore keys in order, newest first', () => {
    const store = new CacheStore()
    saved(store, 'deps-a-1')
    saved(store, 'deps-a-2')
    saved(store, 'deps-b-1')
    saved(store, 'deps-a-1x')
    expect(store.lookup('deps-a-1', [], 'v', [''])?.key).toBe('deps-a-1')
    expect(store.lookup('deps-a-', [], 'v', [''])?.key).toBe('deps-a-1x')
    expect(store.lookup('none', ['deps-b-', 'deps-a-'], 'v', [''])?.key).toBe('deps-b-1')
    expect(store.lookup('none', ['nothing'], 'v', [''])).toBeUndefined()
    expect(store.lookup('deps-a-1', [], 'other-version', [''])).toBeUndefined()
  })

  test('entries are scoped by ref and searched in the order of the scopes given', () => {
    const store = new CacheStore()
    saved(store, 'k', 'v', 'refs/heads/main')
    saved(store, 'k-feature', 'v', 'refs/heads/feature')
    expect(store.lookup('k', [], 'v', ['refs/heads/feature', 'refs/heads/main'])?.key).toBe(
      'k-feature'
    )
    expect(store.lookup('k', [], 'v', ['refs/heads/main'])?.key).toBe('k')
    expect(store.lookup('k', [], 'v', ['refs/heads/other'])).toBeUndefined()
  })

  test('a pending entry is invisible; duplicates are 409; bad keys 400', () => {
    const store = new CacheStore()
    store.create('k', 'v', '', now)
    expect(store.lookup('k', [], 'v', [''])).toBeUndefined()
    expect(codeOf(() => store.create('k', 'v', '', now))).toBe('already_exists')
    expect(codeOf(() => store.create('k', 'v', 'refs/heads/x', now))).toBeUndefined()
    expect(codeOf(() => store.create('a,b', 'v', '', now))).toBe('invalid_argument')
    expect(codeOf(() => store.create('x'.repeat(513), 'v', '', now))).toBe('invalid_argument')
    expect(codeOf(() => store.finalize('missing', 'v', '', 1n))).toBe('not_found')
  })
})

describe('faults', () => {
  test('the PRNG is a pure function of its seed', () => {
    const a = seededRandom(5)
    const b = seededRandom(5)
    const xs = Array.from({ length: 100 }, () => a())
    expect(Array.from({ length: 100 }, () => b())).toEqual(xs)
    expect(xs.every(x => x >= 0 && x < 1)).toBe(true)
  })

  test('decisions respect kind, method filter and rates', () => {
    const f = new FaultInjector({ seed: 3, rate429: 1, latencyMs: 20, methods: ['CreateArtifact'] })
    expect(f.decide('twirp', 'CreateArtifact')).toEqual({ latencyMs: 20, fault: '429' })
    expect(f.decide('twirp', 'ListArtifacts')).toEqual({ latencyMs: 0, fault: 'none' })
    expect(f.decide('blob', 'CreateArtifact').fault).toBe('none')
    expect(() => new FaultInjector({ seed: 1, rate500: 2 })).toThrow(/rate500/)
  })
})

describe('blob proxy helpers', () => {
  test.each([
    ['PUT', '/a/b?sv=x', { 'x-ms-blob-type': 'AppendBlob' }, 'CreateAppendBlob'],
    ['PUT', '/a/b?sv=x', { 'x-ms-blob-type': 'BlockBlob' }, 'PutBlob'],
    ['PUT', '/a/b?comp=appendblock', {}, 'AppendBlock'],
    ['PUT', '/a/b?comp=block&blockid=x', {}, 'PutBlock'],
    ['PUT', '/a/b?comp=blocklist', {}, 'PutBlockList'],
    ['GET', '/a/b', { range: 'bytes=0-' }, 'GetBlobRange'],
    ['GET', '/a/b', { 'x-ms-range': 'bytes=0-' }, 'GetBlobRange'],
    ['GET', '/a/b', {}, 'GetBlob'],
    ['HEAD', '/a/b', {}, 'GetBlobProperties'],
    ['GET', '/a?comp=list', {}, 'GET list']
  ])('%s %s is %s', (method, url, headers, name) => {
    expect(blobOperation(method, url, headers)).toBe(name)
  })

  test('an empty 206 at the end of the blob is recognised', () => {
    expect(emptyRangeSize(206, 'bytes 5-4/5')).toBe(5)
    expect(emptyRangeSize(206, 'bytes 0--1/0')).toBe(0)
    expect(emptyRangeSize(206, 'bytes 0-4/5')).toBeUndefined()
    expect(emptyRangeSize(200, 'bytes 5-4/5')).toBeUndefined()
  })

  test('SAS expiry is read from se', () => {
    const url = '/a/b?se=2025-01-01T00%3A00%3A00Z&sig=abc'
    expect(sasExpired(url, Date.parse('2024-12-31T23:59:59Z'))).toBeUndefined()
    expect(sasExpired(url, Date.parse('2025-01-01T00:00:01Z'))).toMatch(/Signed expiry time/)
    expect(
      sasExpired('/a/b?se=2025-01-01T00%3A00%3A00Z', Date.parse('2026-01-01T00:00:00Z'))
    ).toBeUndefined()
  })
})

describe('requestCounts', () => {
  test('sums Twirp and blob requests by method, leaving out totals, faults and statuses', () => {
    const counts = requestCounts({
      'artifacts-created:job-1': 2,
      'blob-status:201': 4,
      'blob:AppendBlock': 3,
      'blob:CreateAppendBlob': 1,
      'blob:requests': 4,
      'fault:twirp:drop': 1,
      'twirp-error:CreateArtifact:already_exists': 1,
      'twirp:CreateArtifact': 2,
      'twirp:requests': 2
    })
    expect(counts.byMethod).toEqual({
      'blob:AppendBlock': 3,
      'blob:CreateAppendBlob': 1,
      'twirp:CreateArtifact': 2
    })
    expect(counts.total).toBe(6)
  })
})

describe('ArtifactStore across run attempts', () => {
  test('a later attempt lists, reads and keeps the names of earlier attempts; other runs stay apart', () => {
    const store = new ArtifactStore()
    store.linkAttempt('r-2', 'r')
    store.create({ runId: 'r', jobId: 'j1', name: 'a', version: 4 }, now)
    store.finalize('r', 'j1', 'a', 1n)
    store.create({ runId: 'other', jobId: 'j9', name: 'x', version: 4 }, now)
    store.finalize('other', 'j9', 'x', 1n)
    // Listed to attempt 2 with the ids it was created under.
    expect(store.list('r-2').map(a => [a.name, a.runId, a.jobId])).toEqual([['a', 'r', 'j1']])
    expect(store.get('r', 'j1', 'a').name).toBe('a')
    expect(codeOf(() => store.get('r-2', 'j1', 'a'))).toBe('not_found')
    expect(
      codeOf(() => store.create({ runId: 'r-2', jobId: 'j2', name: 'a', version: 4 }, now))
    ).toBe('already_exists')
    store.create({ runId: 'r-2', jobId: 'j2', name: 'b', version: 4 }, now)
    store.finalize('r-2', 'j2', 'b', 1n)
    expect(store.list('r').map(a => a.name)).toEqual(['a', 'b'])
    expect([store.sameRun('r', 'r-2'), store.sameRun('r', 'other')]).toEqual([true, false])
  })
})
