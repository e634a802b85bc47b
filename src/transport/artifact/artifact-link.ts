/**
 * A Link over two artifact streams: messages we send are frames appended to our writer's
 * stream; messages we receive come from a reader on the peer's stream, polled by the Poller.
 * A shutdown frame from the peer is a clean close; silence or a failed writer is an error.
 * Keys are agreed when the peer's first frame (its public key) arrives; our frames wait for
 * them. Heartbeats are liveness only: they neither wake our reader nor keep it at the quick pace.
 * Closing is a handshake (each side's shutdown frame answers the other's), so the side that
 * owns the clean-up deletes the streams only once both ends have stopped reading them.
 */
import { decodeMessage, encodeMessage, type Frame } from '../../protocol/framing.js'
import type { Message } from '../../protocol/messages.js'
import type { Log } from '../../log.js'
import { CloseOnce } from '../handoff.js'
import type { CloseHandler, Link, MessageHandler } from '../link.js'
import type { StoreContext } from './artifacts.js'
import type { Direction, LinkKeys } from './link-crypto.js'
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
  /** Our key pair (its public key is already our stream's first frame). */
  keys: LinkKeys
  /** The link's two stream names, and which one we write. */
  streams: { up: string; down: string }
  ours: Direction
  /** After our shutdown, how long to wait for the peer's before ending anyway. */
  lingerMs: number
  /** Run once both ends are done (deleting the streams); its failure is only logged. */
  cleanup?: () => Promise<void>
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
  private readonly lingerMs: number
  private readonly cleanup?: () => Promise<void>
  private peerDone = false
  private peerDoneWaiter?: () => void
  private cleaned = false

  constructor(options: ArtifactLinkOptions) {
    this.peer = options.peer
    this.writer = options.writer
    this.log = options.log
    this.lingerMs = options.lingerMs
    this.cleanup = options.cleanup
    const { keys, streams, ours } = options
    this.reader = new StreamReader(options.ctx, {
      stream: options.inbound.stream,
      segment: options.inbound.segment,
      jobBackendId: options.inbound.jobBackendId,
      silenceLimitMs: options.silenceLimitMs,
      onKey: frame => {
        const { sealer, opener } = keys.agree(frame, streams, ours)
        this.writer.seal(sealer)
        return opener
      },
      onFrame: frame => this.receive(frame),
      onEnd: error => this.peerEnded(error)
    })
    this.handle = options.poller.add(this.reader, options.intervals)
  }

  send(message: Message): void {
    if (this.ending.done || this.closing) return
    this.writer.write(encodeMessage(message))
    // An answer usually follows a message: look for it at the quick pace again. A heartbeat
    // expects none.
    if (message.type !== 'heartbeat') this.handle.wake()
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
      await this.writer.close()
      // The peer answers our shutdown with its own once it has read it: until then it may
      // still read our stream, so the side that deletes the streams waits (bounded) for it.
      if (this.cleanup && !this.peerDone) {
        this.handle.wake()
        await new Promise<void>(resolve => {
          const timer = setTimeout(resolve, this.lingerMs)
          this.peerDoneWaiter = () => {
            clearTimeout(timer)
            resolve()
          }
        })
      }
      this.reader.cancel()
      this.handle.remove()
      this.end()
      await this.clean()
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
    this.markPeerDone()
    void this.clean()
  }

  /** False for a heartbeat: liveness, not traffic worth polling quickly for. */
  private receive(frame: Frame): boolean {
    // A ProtocolError thrown here ends the stream with it (the reader catches it).
    const message = decodeMessage(frame)
    if (this.ending.done || this.closing) return false
    if (this.handler) this.deliver(this.handler, message)
    else this.held.push(message)
    return message.type !== 'heartbeat'
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
    this.markPeerDone()
    if (this.closing) return
    // The peer shut its stream: nobody reads ours any more, so drop what is queued and answer
    // with our shutdown, which tells the peer it may delete the streams.
    this.handle.remove()
    this.end()
    void this.writer.finish().then(() => this.clean())
  }

  private markPeerDone(): void {
    this.peerDone = true
    this.peerDoneWaiter?.()
  }

  /** Deletes the streams once (where this side owns them). */
  private async clean(): Promise<void> {
    if (this.cleaned || !this.cleanup) return
    this.cleaned = true
    try {
      await this.cleanup()
    } catch (error) {
      this.log?.(
        'warning',
        `could not delete the streams of link ${this.peer}: ${(error as Error).message}`
      )
    }
  }

  private end(error?: Error): void {
    this.ending.close(error)
  }
}
