/**
 * A Link over two artifact streams: messages we send are frames appended to our writer's
 * stream; messages we receive come from a reader on the peer's stream, polled by the Poller.
 * A shutdown frame from the peer is a clean close; silence or a failed writer is an error.
 */
import { decodeMessage, encodeMessage, type Frame } from '../../protocol/framing.js'
import type { Message } from '../../protocol/messages.js'
import type { Log } from '../../log.js'
import { CloseOnce } from '../handoff.js'
import type { CloseHandler, Link, MessageHandler } from '../link.js'
import type { StoreContext } from './artifacts.js'
import type { PollHandle, PollIntervals, Poller } from './poller.js'
import { StreamReader } from './stream-reader.js'
import type { StreamWriter } from './stream-writer.js'

/** How to build an ArtifactLink. */
export interface ArtifactLinkOptions {
  peer: string
  ctx: StoreContext
  poller: Poller
  intervals: PollIntervals
  /** Our outgoing stream, already created. Its onError must call `fail` (see `bindWriter`). */
  writer: StreamWriter
  /** The peer's stream, the segment to start at (default: its first) and the job that writes it. */
  inbound: { stream: string; segment?: string; jobBackendId?: string }
  silenceLimitMs: number
  log?: Log
}

/** One connection: our stream out, the peer's stream in. */
export class ArtifactLink implements Link {
  readonly peer: string
  private readonly writer: StreamWriter
  private readonly reader: StreamReader
  private readonly handle: PollHandle
  private readonly log?: Log
  private handler?: MessageHandler
  private held: Message[] = []
  private readonly ending = new CloseOnce()
  private closing?: Promise<void>

  constructor(options: ArtifactLinkOptions) {
    this.peer = options.peer
    this.writer = options.writer
    this.log = options.log
    this.reader = new StreamReader(options.ctx, {
      stream: options.inbound.stream,
      segment: options.inbound.segment,
      jobBackendId: options.inbound.jobBackendId,
      silenceLimitMs: options.silenceLimitMs,
      onFrame: frame => this.receive(frame),
      onEnd: error => this.peerEnded(error)
    })
    this.handle = options.poller.add(this.reader, options.intervals)
  }

  send(message: Message): void {
    if (this.ending.done || this.closing) return
    this.writer.write(encodeMessage(message))
    // An answer usually follows a message: look for it at the quick pace again.
    this.handle.wake()
  }

  onMessage(handler: MessageHandler): void {
    this.handler = handler
    const held = this.held
    this.held = []
    for (const message of held) this.deliver(handler, message)
  }

  onClose(handler: CloseHandler): void {
    this.ending.onClose(handler)
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.reader.cancel()
      this.handle.remove()
      await this.writer.close()
      this.end()
    })()
    return this.closing
  }

  /** Ends the link with an error (our writer failed). */
  fail(error: Error): void {
    this.log?.('warning', `link ${this.peer} failed: ${error.message}`)
    this.reader.cancel()
    this.handle.remove()
    this.writer.stop()
    this.end(error)
  }

  private receive(frame: Frame): void {
    // A ProtocolError thrown here ends the stream with it (the reader catches it).
    const message = decodeMessage(frame)
    if (this.ending.done) return
    if (this.handler) this.deliver(this.handler, message)
    else this.held.push(message)
  }

  private deliver(handler: MessageHandler, message: Message): void {
    try {
      handler(message)
    } catch (error) {
      // A handler's bug must not look like a broken stream.
      this.log?.('error', `message handler of link ${this.peer} threw: ${(error as Error).message}`)
    }
  }

  private peerEnded(error?: Error): void {
    if (error) {
      this.fail(error)
      return
    }
    // The peer shut its stream: nobody reads ours any more, so drop what is queued.
    this.writer.stop()
    this.end()
  }

  private end(error?: Error): void {
    this.ending.close(error)
  }
}
