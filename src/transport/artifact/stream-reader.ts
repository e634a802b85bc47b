/**
 * The reading end of a stream, polled by the Poller: range reads from the offset reached,
 * with If-None-Match on the last ETag, frames decoded across block boundaries, next-segment
 * frames followed, a shutdown frame ending the stream cleanly. A signed URL that stops
 * working (403) is renewed; silence past the limit ends the stream with an error. A keyed
 * stream starts with the writer's public key and carries only sealed frames after it; a stream
 * deleted under us (the cluster is over) ends at once.
 */
import { LinkClosedError } from '../../errors.js'
import { BlobError, describeNetworkError, NotFoundError } from '../../results-store/index.js'
import { FrameDecoder, FrameKind, type Frame } from '../../protocol/framing.js'
import type { StoreContext } from './artifacts.js'
import type { Opener } from './link-crypto.js'
import type { PollOutcome, PollTask } from './poller.js'

/** Where a reader starts and how it reports. */
export interface StreamReaderOptions {
  /** The stream's name (its first segment). */
  stream: string
  /** The segment to start at when not the stream's own name (its writer renumbered it). */
  segment?: string
  /** The job that writes the stream, when known (from ListArtifacts); looked up otherwise. */
  jobBackendId?: string
  /** No bytes at all for this long ends the stream with an error. */
  silenceLimitMs: number
  /** One read gives up after this long (the poller tries again later). */
  readTimeoutMs?: number
  /**
   * Every frame of kind message, in order. `false` says it was liveness only (a heartbeat):
   * keep the idle pace, as for a keepalive.
   */
  onFrame: (frame: Frame) => boolean | void
  /**
   * A keyed stream: called with its first frame (the writer's public key); returns the Opener
   * of every later frame, or throws ProtocolError. Without it frames are read as they are.
   */
  onKey?: (keyFrame: Frame) => Opener
  /** Once: no error after a shutdown frame, an error when the stream failed. */
  onEnd: (error?: Error) => void
}

/** Reads one stream; register it with a Poller. */
export class StreamReader implements PollTask {
  private segment: string
  private jobBackendId?: string
  private url?: string
  private offset = 0
  private etag?: string
  private decoder = new FrameDecoder()
  private lastHeard = Date.now()
  private lastProblem?: string
  private ended = false
  /** A 403 sent us for a new URL and no read has worked since. */
  private renewing = false
  private opener?: Opener
  /** A read has worked once: a 404 after that means the stream was deleted. */
  private seen = false

  constructor(
    private readonly ctx: StoreContext,
    private readonly options: StreamReaderOptions
  ) {
    this.segment = options.segment ?? options.stream
    this.jobBackendId = options.jobBackendId
  }

  /** The segment being read (for logs and tests). */
  get currentSegment(): string {
    return this.segment
  }

  /** Stops reading without reporting an end (the link is closing from this side). */
  cancel(): void {
    this.ended = true
  }

  async poll(): Promise<PollOutcome> {
    if (this.ended) return 'done'
    try {
      const url = this.url ?? (await this.renewUrl())
      if (this.ended) return 'done'
      const signal = AbortSignal.timeout(this.options.readTimeoutMs ?? 30_000)
      const read = await this.ctx.blob.readFrom(url, this.offset, this.etag, signal)
      if (this.ended) return 'done'
      if (read.etag) this.etag = read.etag
      this.renewing = false
      this.seen = true
      if (read.data.length === 0) return this.quiet()
      this.offset += read.data.length
      this.lastHeard = Date.now()
      this.lastProblem = undefined
      const progressed = this.take(this.decoder.push(read.data))
      if (this.ended) return 'done'
      // Keepalives alone say the peer is idle: keep the idle pace. Half a frame says the rest
      // is on its way.
      return progressed || this.decoder.buffered > 0 ? 'active' : 'idle'
    } catch (error) {
      if (this.ended) return 'done'
      if (error instanceof Error && error.name === 'ProtocolError') {
        this.end(error)
        return 'done'
      }
      this.lastProblem = describeNetworkError(error)
      if (error instanceof NotFoundError && this.seen) {
        // The artifact itself is gone: its cluster is over and its broker deleted the streams.
        this.end(new LinkClosedError(`stream ${this.segment} was deleted: its cluster has ended`))
        return 'done'
      }
      if (error instanceof BlobError && (error.status === 403 || error.status === 404)) {
        // An expired URL: ask for a fresh one soon; once only, so a URL refused at once
        // (not an expiry) falls back to the idle pace.
        const first = this.url !== undefined && !this.renewing
        this.url = undefined
        this.renewing = true
        if (first) return 'active'
      }
      return this.quiet()
    }
  }

  /** Nothing new: fine until the silence limit. */
  private quiet(): PollOutcome {
    const silent = Date.now() - this.lastHeard
    if (silent <= this.options.silenceLimitMs) return 'idle'
    const problem = this.lastProblem ? ` (last problem: ${this.lastProblem})` : ''
    this.end(
      new LinkClosedError(
        `no data and no keepalive on stream ${this.segment} for ${Math.round(silent / 1000)} s, past the silence limit of ${this.options.silenceLimitMs} ms${problem}`
      )
    )
    return 'done'
  }

  private async renewUrl(): Promise<string> {
    if (!this.jobBackendId) {
      const [entry] = await this.ctx.client.listArtifacts({ nameFilter: this.segment })
      if (!entry)
        throw new NotFoundError({
          method: 'ListArtifacts',
          status: 200,
          attempts: 1,
          detail: `no artifact ${this.segment}`
        })
      this.jobBackendId = entry.workflowJobRunBackendId
    }
    this.url = await this.ctx.client.getSignedArtifactUrl(this.segment, this.jobBackendId)
    return this.url
  }

  /** The plain frame behind a wire frame: the key frame is taken, sealed frames opened. */
  private unwrap(frame: Frame): Frame | undefined {
    const { onKey } = this.options
    if (!onKey) return frame
    if (this.opener) return this.opener.open(frame)
    this.opener = onKey(frame)
    return undefined
  }

  /** Handles frames in order; true when one was more than a keepalive. */
  private take(wire: Frame[]): boolean {
    let progressed = false
    for (const sealed of wire) {
      if (this.ended) return true
      const frame = this.unwrap(sealed)
      if (!frame) {
        progressed = true
        continue
      }
      switch (frame.kind) {
        case FrameKind.message:
          if (this.options.onFrame(frame) !== false) progressed = true
          break
        case FrameKind.keepalive:
          break
        case FrameKind.shutdown:
          this.end()
          return true
        case FrameKind.nextSegment:
          this.follow(frame.payload.toString('utf8'))
          // Nothing follows a next-segment frame in its segment.
          return true
      }
    }
    return progressed
  }

  private follow(next: string): void {
    if (!next.startsWith(`${this.options.stream}.`)) {
      this.end(
        new LinkClosedError(
          `stream ${this.segment} names '${next}' as its next segment, not one of ${this.options.stream}`
        )
      )
      return
    }
    this.segment = next
    this.url = undefined
    this.offset = 0
    this.etag = undefined
    this.decoder = new FrameDecoder()
  }

  private end(error?: Error): void {
    if (this.ended) return
    this.ended = true
    this.options.onEnd(error)
  }
}
