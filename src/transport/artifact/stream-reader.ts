/**
 * The reading end of a stream, polled by the Poller: range reads from the offset reached,
 * with If-None-Match on the last ETag, frames decoded across block boundaries, next-segment
 * frames followed, a shutdown frame ending the stream cleanly. A signed URL that stops
 * working (403) is renewed; silence past the limit ends the stream with an error.
 */
import { LinkClosedError } from '../../errors.js'
import { BlobError, describeNetworkError, NotFoundError } from '../../results-store/index.js'
import { FrameDecoder, FrameKind, type Frame } from '../../protocol/framing.js'
import type { StoreContext } from './artifacts.js'
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
  /** Every frame of kind message, in order. */
  onFrame: (frame: Frame) => void
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

  /** Handles frames in order; true when one was more than a keepalive. */
  private take(frames: Frame[]): boolean {
    let progressed = false
    for (const frame of frames) {
      if (this.ended) return true
      switch (frame.kind) {
        case FrameKind.message:
          this.options.onFrame(frame)
          progressed = true
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
