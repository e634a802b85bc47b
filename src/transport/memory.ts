/** In-process transport for tests: links are pairs of queues, delivery is asynchronous. */
import type { Message } from '../protocol/messages.js'
import { CloseOnce, Handoff } from './handoff.js'
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
  private readonly inbox = new Handoff<Message>()
  private readonly closing = new CloseOnce()

  constructor(readonly peer: string) {}

  send(message: Message): void {
    if (this.closing.done) return
    // Round-trip through JSON so tests see what a real wire would carry.
    const copy = JSON.parse(JSON.stringify(message)) as Message
    const target = this.other
    queueMicrotask(() => target?.deliver(copy))
  }

  deliver(message: Message): void {
    if (!this.closing.done) this.inbox.push(message)
  }

  onMessage(handler: MessageHandler): void {
    this.inbox.setHandler(handler)
  }

  onClose(handler: CloseHandler): void {
    this.closing.onClose(handler)
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
    this.closing.close(error)
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
  private readonly links = new Handoff<Link>()
  closed = false
  constructor(readonly address: string) {}

  accept(link: Link): void {
    this.links.push(link)
  }

  onLink(handler: LinkHandler): void {
    this.links.setHandler(handler)
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
