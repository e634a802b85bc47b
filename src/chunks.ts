/** Splitting a list into runs bounded in weight (bytes) and count: one owner for both uses. */

/**
 * `items` in order, cut into runs of at most `maxCount` items whose `weigh`ts add up to at most
 * `maxWeight` (an item heavier than that alone is a run of its own).
 */
export function chunksOf<T>(
  items: Iterable<T>,
  weigh: (item: T) => number,
  maxWeight: number,
  maxCount = Number.POSITIVE_INFINITY
): T[][] {
  const chunks: T[][] = []
  let chunk: T[] = []
  let weight = 0
  for (const item of items) {
    const w = weigh(item)
    if (chunk.length > 0 && (chunk.length >= maxCount || weight + w > maxWeight)) {
      chunks.push(chunk)
      chunk = []
      weight = 0
    }
    chunk.push(item)
    weight += w
  }
  if (chunk.length > 0) chunks.push(chunk)
  return chunks
}
