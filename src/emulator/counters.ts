/** Request counters: plain named integers, so a benchmark can diff two snapshots. */
export class Counters {
  private readonly values = new Map<string, number>()

  add(name: string, by = 1): void {
    this.values.set(name, (this.values.get(name) ?? 0) + by)
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.values].sort(([a], [b]) => a.localeCompare(b)))
  }

  reset(): void {
    this.values.clear()
  }
}

/** Twirp and blob requests by method, and their sum, out of a snapshot of the counters. */
export function requestCounts(counters: Record<string, number>): {
  byMethod: Record<string, number>
  total: number
} {
  const byMethod: Record<string, number> = {}
  let total = 0
  for (const [key, value] of Object.entries(counters)) {
    // The running totals (`twirp:requests`, `blob:requests`) would count every request twice.
    if ((key.startsWith('twirp:') || key.startsWith('blob:')) && !key.endsWith(':requests')) {
      byMethod[key] = value
      total += value
    }
  }
  return { byMethod, total }
}
