/**
 * The transport seam. A Link carries Messages both ways between two processes; a Listener
 * accepts Links. TCP, in-memory and the artifact store all implement these.
 */
import type { Message } from '../protocol/messages.js'

export type MessageHandler = (message: Message) => void
/** `error` is set when the link failed rather than closed cleanly. */
export type CloseHandler = (error?: Error) => void

export interface Link {
  /** Who is on the other side, for logs (e.g. `127.0.0.1:5123`, `artifact:w3`). */
  readonly peer: string
  /**
   * Queues a message. Never throws for a closed link (the message is dropped and the close
   * handler has fired or will fire). Order is preserved.
   */
  send(message: Message): void
  /** Messages received before a handler is set are held and delivered once it is set. */
  onMessage(handler: MessageHandler): void
  /** Called once, when the link ends for any reason. Called at once if it has already ended. */
  onClose(handler: CloseHandler): void
  /** Flushes what was sent, then closes. Idempotent. */
  close(): Promise<void>
  /**
   * The peer proved who it is (the broker admitted its hello): lift the limits the transport
   * puts on unauthenticated peers (a small frame size, a handshake deadline). Optional: links
   * without such limits need not implement it.
   */
  trust?(): void
}

export type LinkHandler = (link: Link) => void

export interface Listener {
  /** Where peers connect, in the form `Transport.connect` takes (e.g. `127.0.0.1:5123`). */
  readonly address: string
  /** Links accepted before a handler is set are held and delivered once it is set. */
  onLink(handler: LinkHandler): void
  /** Stops accepting; links already accepted stay open. Idempotent. */
  close(): Promise<void>
}

export interface Transport {
  readonly name: string
  listen(address?: string): Promise<Listener>
  connect(address: string, options?: { timeoutMs?: number }): Promise<Link>
}
