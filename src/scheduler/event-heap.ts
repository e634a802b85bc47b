/** A min-heap of timed events for the simulation; equal times leave in insertion order. */

interface Entry<T> {
  at: number
  seq: number
  value: T
}

export class EventHeap<T> {
  private items: Entry<T>[] = []
  private seq = 0

  get size(): number {
    return this.items.length
  }

  push(at: number, value: T): void {
    this.items.push({ at, seq: this.seq++, value })
    let i = this.items.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.less(i, parent)) break
      this.swap(i, parent)
      i = parent
    }
  }

  /** The earliest event, or undefined when empty. */
  pop(): { at: number; value: T } | undefined {
    const top = this.items[0]
    if (!top) return undefined
    const last = this.items.pop() as Entry<T>
    if (this.items.length > 0) {
      this.items[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < this.items.length && this.less(l, m)) m = l
        if (r < this.items.length && this.less(r, m)) m = r
        if (m === i) break
        this.swap(i, m)
        i = m
      }
    }
    return { at: top.at, value: top.value }
  }

  private less(a: number, b: number): boolean {
    const x = this.items[a] as Entry<T>
    const y = this.items[b] as Entry<T>
    return x.at < y.at || (x.at === y.at && x.seq < y.seq)
  }

  private swap(a: number, b: number): void {
    const x = this.items[a] as Entry<T>
    this.items[a] = this.items[b] as Entry<T>
    this.items[b] = x
  }
}
