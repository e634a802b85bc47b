/** Static splits to compare against: what `--shard i/n` and hash-based splitters do. */

/** Contiguous shards of (nearly) equal count over the jobs sorted by id, like `--shard i/n`. */
export function countSplit<T extends { id: string }>(jobs: readonly T[], n: number): T[][] {
  const sorted = [...jobs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const shards: T[][] = Array.from({ length: n }, () => [])
  const base = Math.floor(sorted.length / n)
  const extra = sorted.length % n
  let index = 0
  for (let i = 0; i < n; i++) {
    const size = base + (i < extra ? 1 : 0)
    shards[i] = sorted.slice(index, index + size)
    index += size
  }
  return shards
}

/** Shards by a stable hash (FNV-1a) of the id. */
export function hashSplit<T extends { id: string }>(jobs: readonly T[], n: number): T[][] {
  const shards: T[][] = Array.from({ length: n }, () => [])
  for (const job of jobs) shards[fnv1a(job.id) % n]?.push(job)
  return shards
}

export function fnv1a(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash >>> 0
}
