/** Bounded parallelism without a dependency: at most `limit` calls of `fn` at once. */

/**
 * Runs `fn` on every item, `limit` at a time; results in item order. After a failure no new
 * item starts; it rejects with the first failure once those running have settled, so the
 * caller can clean up after all of them.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  let failure: { error: unknown } | undefined
  const lane = async (): Promise<void> => {
    while (!failure && next < items.length) {
      const index = next++
      try {
        results[index] = await fn(items[index] as T, index)
      } catch (error) {
        failure ??= { error }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane))
  if (failure) throw failure.error
  return results
}
