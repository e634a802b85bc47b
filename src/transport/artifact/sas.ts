/** What a signed URL says about itself: when it stops working. */

/** The expiry (`se`) of a signed URL in ms since the epoch, or undefined when it has none. */
export function signedUrlExpiry(url: string): number | undefined {
  let se: string | null
  try {
    se = new URL(url).searchParams.get('se')
  } catch {
    return undefined
  }
  if (!se) return undefined
  const at = Date.parse(se)
  return Number.isNaN(at) ? undefined : at
}

/**
 * When a writer holding a URL issued at `issuedAt` should move to a new segment: half-way to
 * expiry, so creating the next segment, retries and the last append to this one all fit in
 * the other half. `floorMs` only keeps a nonsensical lifetime from rolling over in a loop.
 */
export function rolloverTime(url: string, issuedAt: number, floorMs = 200): number {
  const expiry = signedUrlExpiry(url)
  if (expiry === undefined) return Infinity
  return issuedAt + Math.max(floorMs, (expiry - issuedAt) / 2)
}
