/** Seeded randomness so every benchmark run uses the same synthetic suite. */

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Log-normal samples (Box–Muller), scaled so they add up to `total`. */
export function logNormalDurations(
  count: number,
  sigma: number,
  total: number,
  seed: number
): number[] {
  const random = mulberry32(seed)
  const raw: number[] = []
  for (let i = 0; i < count; i++) {
    const u = Math.max(random(), 1e-12)
    const v = random()
    raw.push(Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)))
  }
  const sum = raw.reduce((a, b) => a + b, 0)
  return raw.map(x => (x * total) / sum)
}

/**
 * `count` durations adding up to `total`: the first is `share` of it (a dominant file, the
 * one that bounds a file-per-worker split), the rest log-normal (`sigma` 0.9) over the remainder.
 */
export function dominantDurations(
  count: number,
  share: number,
  total: number,
  seed: number
): number[] {
  if (count <= 1) return [total]
  return [share * total, ...logNormalDurations(count - 1, 0.9, (1 - share) * total, seed)]
}

/** An integer in [low, high], from a seeded `random`. */
export function intBetween(random: () => number, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1))
}
