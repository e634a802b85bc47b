/**
 * The two small state machines every link and listener has: items that arrive before anyone
 * listens are held and handed over in order, and a close that happens once and reaches every
 * close handler, even one added later.
 */
import type { CloseHandler } from './link.js'

/** Holds items until a handler is set, then hands them over in order, and the rest as they come. */
export class Handoff<T> {
  private handler?: (item: T) => void
  private held: T[] = []

  push(item: T): void {
    if (this.handler) this.handler(item)
    else this.held.push(item)
  }

  /** Sets the one handler; what was held goes to it at once. */
  setHandler(handler: (item: T) => void): void {
    this.handler = handler
    const held = this.held
    this.held = []
    for (const item of held) handler(item)
  }
}

/** A close that happens once. Handlers added after it hear of it on a later microtask. */
export class CloseOnce {
  private handlers: CloseHandler[] = []
  private error?: Error
  private closed = false

  get done(): boolean {
    return this.closed
  }

  onClose(handler: CloseHandler): void {
    if (this.closed) queueMicrotask(() => handler(this.error))
    else this.handlers.push(handler)
  }

  /** Closes (with the error that broke it, if any); false when it was already closed. */
  close(error?: Error): boolean {
    if (this.closed) return false
    this.closed = true
    this.error = error
    const handlers = this.handlers
    this.handlers = []
    for (const handler of handlers) handler(error)
    return true
  }
}
