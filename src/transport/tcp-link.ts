/** One TCP socket as a Link: message frames both ways, the Link contract to the letter. */
import type { Socket } from 'node:net'
import { LinkClosedError, ProtocolError } from '../errors.js'
import {
  DEFAULT_MAX_FRAME_BYTES,
  FrameDecoder,
  decodeMessage,
  encodeMessage
} from '../protocol/framing.js'
import type { Message } from '../protocol/messages.js'
import type { CloseHandler, Link, MessageHandler } from './link.js'

/** How long close() waits for the peer to close its side before dropping the socket. */
const CLOSE_GRACE_MS = 2000

/**
 * Limits on a peer that has not proved who it is yet (an accepted socket before the broker
 * admitted its hello): without them, a few connections sending the start of huge frames hold
 * gigabytes, and idle ones hold sockets forever.
 */
export interface UntrustedLimits {
  /** Largest frame accepted before trust(). */
  maxFrameBytes: number
  /** trust() must come within this long, or the link fails. */
  handshakeMs: number
}

export class TcpLink implements Link {
  private handler?: MessageHandler
  private held: Message[] = []
  private closeHandlers: CloseHandler[] = []
  /** open → closing (close() called, flushing) → closed (handlers fired). */
  private state: 'open' | 'closing' | 'closed' = 'open'
  private closeError?: Error
  private readonly decoder: FrameDecoder
  private readonly socketClosed: Promise<void>
  private handshakeTimer?: NodeJS.Timeout
  private untrusted: boolean

  /** `untrusted`: limits that hold until trust() (accepted sockets); none for the connecting side. */
  constructor(
    private readonly socket: Socket,
    readonly peer: string,
    untrusted?: UntrustedLimits
  ) {
    this.untrusted = untrusted !== undefined
    this.decoder = new FrameDecoder(untrusted ? { maxFrameBytes: untrusted.maxFrameBytes } : {})
    if (untrusted) {
      this.handshakeTimer = setTimeout(
        () =>
          this.fail(
            new ProtocolError(
              `${peer} did not complete the handshake within ${untrusted.handshakeMs} ms`
            )
          ),
        untrusted.handshakeMs
      )
      this.handshakeTimer.unref()
    }
    socket.setNoDelay(true)
    socket.on('data', (chunk: Buffer) => this.receive(chunk))
    // The peer is done (every 'data' came before this). Finishing now, not at 'close', keeps a
    // send() in between from writing after the end and turning a clean close into an error.
    socket.on('end', () => {
      const held = this.decoder.buffered
      this.finish(
        held > 0
          ? new ProtocolError(
              `${peer} closed the connection in the middle of a frame (${held} bytes held)`
            )
          : undefined
      )
    })
    socket.on('error', error =>
      this.finish(
        new LinkClosedError(`connection with ${peer} failed: ${error.message}`, { cause: error })
      )
    )
    this.socketClosed = new Promise(resolve =>
      socket.once('close', () => {
        this.finish()
        resolve()
      })
    )
  }

  send(message: Message): void {
    if (this.state !== 'open') return
    const frame = encodeMessage(message)
    if (frame.length - 4 > DEFAULT_MAX_FRAME_BYTES) {
      // The peer would refuse it and close the link; failing here names the culprit.
      this.fail(
        new ProtocolError(
          `cannot send a '${message.type}' message of ${frame.length - 4} bytes to ${this.peer}: frames are limited to ${DEFAULT_MAX_FRAME_BYTES} bytes`
        )
      )
      return
    }
    this.socket.write(frame)
  }

  /** Still held to the untrusted limits (neither trusted nor closed): for the listener's cap. */
  get pending(): boolean {
    return this.untrusted && this.state === 'open'
  }

  trust(): void {
    this.untrusted = false
    clearTimeout(this.handshakeTimer)
    this.handshakeTimer = undefined
    this.decoder.setMaxFrameBytes(DEFAULT_MAX_FRAME_BYTES)
  }

  onMessage(handler: MessageHandler): void {
    this.handler = handler
    const held = this.held
    this.held = []
    for (const message of held) handler(message)
  }

  onClose(handler: CloseHandler): void {
    if (this.state === 'closed') queueMicrotask(() => handler(this.closeError))
    else this.closeHandlers.push(handler)
  }

  async close(): Promise<void> {
    if (this.state === 'open') {
      this.state = 'closing'
      // end() sends what is queued, then FIN; the socket closes once the peer ends too.
      this.socket.end()
      this.destroyLater()
    }
    await this.socketClosed
  }

  private receive(chunk: Buffer): void {
    if (this.state !== 'open') return
    let frames
    try {
      frames = this.decoder.push(chunk)
    } catch (error) {
      this.fail(error as Error)
      return
    }
    for (const frame of frames) {
      let message: Message
      try {
        message = decodeMessage(frame)
      } catch (error) {
        this.fail(error as Error)
        return
      }
      if (this.handler) this.handler(message)
      else this.held.push(message)
      // A handler may have closed the link: later messages are not for it.
      if (this.state !== 'open') return
    }
  }

  /** The peer spoke something we cannot accept: tell it why (best effort), then hang up. */
  private fail(error: Error): void {
    if (this.state === 'closed') return
    if (this.state === 'open' && error instanceof ProtocolError) {
      this.socket.write(encodeMessage({ type: 'error', code: 'protocol', message: error.message }))
    }
    this.finish(error)
    this.socket.end()
    this.destroyLater()
  }

  private destroyLater(): void {
    // A peer that never closes its side must not hold the socket (or close()) forever.
    const timer = setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS)
    timer.unref()
    this.socket.once('close', () => clearTimeout(timer))
  }

  private finish(error?: Error): void {
    if (this.state === 'closed') return
    this.state = 'closed'
    clearTimeout(this.handshakeTimer)
    this.closeError = error
    const handlers = this.closeHandlers
    this.closeHandlers = []
    for (const handler of handlers) handler(error)
  }
}
