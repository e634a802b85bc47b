/** In-process transport for tests: links are pairs of queues, delivery is asynchronous. */
import type { Message } from '../protocol/messages.js'
import type {
  CloseHandler,
  Link,
  LinkHandler,
  Listener,
  MessageHandler,
  Transport
} from './link.js'

class MemoryLink implements Link {
  other?: MemoryLink
  private handler?: MessageHandler
  private held: Message[] = []
  private closeHandlers: CloseHandler[] = []
  private closed = false
  private closeError?: Error

  constructor(readonly peer: string) {}

  send(message: Message): void {
    if (this.closed) return
    // Round-trip through JSON so tests see what a real wire would carry.
    const copy = JSON.parse(JSON.stringify(message)) as Message
    const target = this.other
    queueMicrotask(() => target?.deliver(copy))
  }

  deliver(message: Message): void {
    if (this.closed) return
    if (this.handler) this.handler(message)
    else this.held.push(message)
  }

  onMessage(handler: MessageHandler): void {
    this.handler = handler
    const held = this.held
    this.held = []
    for (const message of held) handler(message)
  }

  onClose(handler: CloseHandler): void {
    if (this.closed) queueMicrotask(() => handler(this.closeError))
    else this.closeHandlers.push(handler)
  }

  async close(): Promise<void> {
    this.end()
    const other = this.other
    // Let messages already sent reach the peer before it learns of the close.
    queueMicrotask(() => queueMicrotask(() => other?.end()))
  }

  /** Ends this side as if the connection broke. */
  fail(error: Error): void {
    this.end(error)
    const other = this.other
    queueMicrotask(() => other?.end(error))
  }

  private end(error?: Error): void {
    if (this.closed) return
    this.closed = true
    this.closeError = error
    const handlers = this.closeHandlers
    this.closeHandlers = []
    for (const h of handlers) h(error)
  }
}

/** Two connected links: what one sends, the other receives. */
export function createMemoryPair(a = 'memory:a', b = 'memory:b'): [Link, Link] {
  const left = new MemoryLink(b)
  const right = new MemoryLink(a)
  left.other = right
  right.other = left
  return [left, right]
}

/** Breaks a memory link as a dropped connection would (both sides see an error). */
export function breakMemoryLink(link: Link, error = new Error('connection reset')): void {
  if (link instanceof MemoryLink) link.fail(error)
}

class MemoryListener implements Listener {
  private handler?: LinkHandler
  private held: Link[] = []
  closed = false
  constructor(readonly address: string) {}

  accept(link: Link): void {
    if (this.handler) this.handler(link)
    else this.held.push(link)
  }

  onLink(handler: LinkHandler): void {
    this.handler = handler
    const held = this.held
    this.held = []
    for (const link of held) handler(link)
  }

  async close(): Promise<void> {
    this.closed = true
  }
}

/** A transport whose addresses live in one process. */
export class MemoryTransport implements Transport {
  readonly name = 'memory'
  private listeners = new Map<string, MemoryListener>()
  private counter = 0

  async listen(address?: string): Promise<Listener> {
    const name = address ?? `memory-${++this.counter}`
    const listener = new MemoryListener(name)
    this.listeners.set(name, listener)
    return listener
  }

  async connect(address: string): Promise<Link> {
    const listener = this.listeners.get(address)
    if (!listener || listener.closed) throw new Error(`no memory listener at ${address}`)
    const n = ++this.counter
    const [client, server] = createMemoryPair(`memory:client-${n}`, address)
    listener.accept(server)
    return client
  }
}
