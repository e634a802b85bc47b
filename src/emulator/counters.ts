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
