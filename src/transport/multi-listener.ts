/** One Listener over several: the broker accepts loopback TCP and artifact-store links at once. */
import type { LinkHandler, Listener } from './link.js'

export class MultiListener implements Listener {
  constructor(private readonly listeners: Listener[]) {
    if (listeners.length === 0) throw new Error('MultiListener needs at least one listener')
  }

  /** The first listener's address (loopback TCP when there is one). */
  get address(): string {
    return (this.listeners[0] as Listener).address
  }

  get addresses(): string[] {
    return this.listeners.map(l => l.address)
  }

  onLink(handler: LinkHandler): void {
    for (const listener of this.listeners) listener.onLink(handler)
  }

  async close(): Promise<void> {
    await Promise.all(this.listeners.map(l => l.close()))
  }
}
