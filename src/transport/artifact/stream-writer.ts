/**
 * The writing end of a stream: frames appended to a chain of append-blob segments. Pending
 * frames go out together in one append block (≤ 4 MiB). Before a segment nears the append
 * limit or its upload URL's expiry, the writer creates the next segment and appends a
 * next-segment frame naming it as the old one's last frame. Keepalive frames fill idle time;
 * a shutdown frame ends the stream. A keyed stream starts with our public key in the clear and
 * holds every other frame until it has a Sealer, then seals each one (see link-crypto.ts).
 */
import { FrameKind, encodeFrame } from '../../protocol/framing.js'
import {
  AlreadyExistsError,
  AttemptError,
  BlobError,
  LOST_CREATE_SKIPS,
  retryBlob
} from '../../results-store/index.js'
import { createAppendArtifact, type CreatedArtifact, type StoreContext } from './artifacts.js'
import type { Sealer } from './link-crypto.js'
import { segmentName } from './names.js'
import { rolloverTime } from './sas.js'

/** Limits and timings of a writer. */
export interface StreamWriterOptions {
  /** Appends per segment before rolling over (the service refuses past 50,000). */
  maxAppends?: number
  /** Bytes per append block (the service's limit is 4 MiB). */
  maxBlockBytes?: number
  /** A keepalive frame goes out after this long without an append. */
  keepaliveMs?: number
  /** Called once if the stream fails for good (the retry budget of an append is spent). */
  onError?: (error: Error) => void
  /**
   * When a create of ours whose answer was lost took the stream's name, start at its next
   * segment (`<stream>.1`…) instead of failing; the reader must then start at the first
   * segment it lists.
   */
  renumberFirst?: boolean
  /**
   * A keyed stream: this frame (our public key) goes first, and the rest waits for `seal`.
   * Without it frames go out as they are (only tests of the stream mechanics do that).
   */
  keyFrame?: Buffer
}

interface Segment extends CreatedArtifact {
  index: number
  length: number
  appends: number
  rolloverAt: number
}

const MiB = 1024 * 1024
/** Bytes a sealed frame adds to the plain frame it carries (see Sealer.seal). */
const SEAL_OVERHEAD = 25

/** Writes frames to a stream artifact and its rollover segments. */
export class StreamWriter {
  private readonly maxAppends: number
  private readonly maxBlockBytes: number
  private readonly keepaliveMs: number
  private pending: Buffer[] = []
  private pumping?: Promise<void>
  private keepaliveTimer?: NodeJS.Timeout
  private rolloverTimer?: NodeJS.Timeout
  private rolloverDue = false
  private closing?: Promise<void>
  private failure?: Error
  private stopped = false
  private sealer?: Sealer

  private constructor(
    private readonly ctx: StoreContext,
    readonly stream: string,
    private segment: Segment,
    private readonly options: StreamWriterOptions
  ) {
    this.maxAppends = Math.max(3, options.maxAppends ?? 40_000)
    this.maxBlockBytes = Math.max(64, Math.min(options.maxBlockBytes ?? 4 * MiB, 4 * MiB))
    this.keepaliveMs = options.keepaliveMs ?? 15_000
    this.armTimers()
  }

  /** Creates the stream's first segment; AlreadyExistsError when the name is taken (see renumberFirst). */
  static async create(
    ctx: StoreContext,
    stream: string,
    options: StreamWriterOptions = {}
  ): Promise<StreamWriter> {
    const created = await createAppendArtifact(ctx, stream, { renumber: options.renumberFirst })
    const writer = new StreamWriter(ctx, stream, toSegment(created, created.number), options)
    if (options.keyFrame) {
      try {
        await writer.append(options.keyFrame)
      } catch (error) {
        writer.stop()
        throw error
      }
    }
    return writer
  }

  /** From now on frames go out sealed (a keyed stream sends nothing before this). */
  seal(sealer: Sealer): void {
    this.sealer = sealer
    void this.drain()
  }

  /** Whether frames can go out: a keyed stream needs its Sealer first. */
  private get ready(): boolean {
    return this.sealer !== undefined || this.options.keyFrame === undefined
  }

  /** The segment being written (for logs and tests). */
  get currentSegment(): string {
    return this.segment.name
  }

  /** Queues one frame. Dropped once the writer is closing, failed or stopped. */
  write(frame: Buffer): void {
    if (this.closing || this.failure || this.stopped) return
    this.enqueue(frame)
  }

  /** Sends what is queued and a shutdown frame. Resolves when done or failed; never rejects. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (!this.failure && !this.stopped) this.enqueue(encodeFrame(FrameKind.shutdown))
      // Keys never agreed: nothing can go out, and nobody could read it.
      if (this.ready) await this.drain()
      this.stop()
    })()
    return this.closing
  }

  /** Drops what is queued and sends only a shutdown frame (the peer has stopped reading). */
  finish(): Promise<void> {
    if (!this.closing) this.pending = []
    return this.close()
  }

  /** Stops at once, dropping what is queued (the peer is gone or the link failed). */
  stop(): void {
    this.stopped = true
    this.pending = []
    clearTimeout(this.keepaliveTimer)
    clearTimeout(this.rolloverTimer)
  }

  private enqueue(frame: Buffer): void {
    this.pending.push(frame)
    void this.drain()
  }

  /** Runs the pump if it is not running; resolves when the queue is empty. */
  private async drain(): Promise<void> {
    while (this.pumping) await this.pumping
    if (this.stopped || this.failure || !this.ready) return
    if (this.pending.length === 0 && !this.rolloverDue) return
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined
    })
    await this.pumping
  }

  private async pump(): Promise<void> {
    try {
      while (!this.stopped && (this.pending.length > 0 || this.rolloverDue)) {
        const frames = this.takeBatch()
        const bytes = frames.reduce((n, f) => n + f.length + (this.sealer ? SEAL_OVERHEAD : 0), 0)
        // Roll over first: the next-segment frame takes its place in the sealed order first.
        await this.rolloverIfDue(Math.ceil(bytes / this.maxBlockBytes))
        const data = frames.length > 0 ? Buffer.concat(frames.map(f => this.wrap(f))) : undefined
        for (const chunk of data ? split(data, this.maxBlockBytes) : []) await this.append(chunk)
        this.armTimers()
      }
    } catch (error) {
      this.fail(error as Error)
    }
  }

  /** A frame as it goes on the wire: sealed on a keyed stream. */
  private wrap(frame: Buffer): Buffer {
    return this.sealer ? this.sealer.seal(frame) : frame
  }

  /** Whole frames up to one block; a larger frame alone (it is then split over appends). */
  private takeBatch(): Buffer[] {
    let size = 0
    let count = 0
    for (const frame of this.pending) {
      if (count > 0 && size + frame.length > this.maxBlockBytes) break
      size += frame.length
      count++
    }
    return this.pending.splice(0, count)
  }

  /** Moves to a new segment when the next appends would pass a limit. `needed` may be 0. */
  private async rolloverIfDue(needed: number): Promise<void> {
    const seg = this.segment
    const full = seg.appends + needed + 1 > this.maxAppends
    if (!full && !this.rolloverDue && Date.now() < seg.rolloverAt) return
    const next = await this.createNext(seg.index + 1)
    // The old segment's last frame names the new one; the reader follows it.
    await this.append(this.wrap(encodeFrame(FrameKind.nextSegment, Buffer.from(next.name, 'utf8'))))
    this.segment = next
    this.rolloverDue = false
  }

  /**
   * Creates segment `index`. A 409 means an earlier attempt of ours created it and its
   * answer was lost (its upload URL with it): skip to the following index.
   */
  private async createNext(index: number): Promise<Segment> {
    for (let i = index; ; i++) {
      try {
        return toSegment(await createAppendArtifact(this.ctx, segmentName(this.stream, i)), i)
      } catch (error) {
        if (!(error instanceof AlreadyExistsError) || i - index >= LOST_CREATE_SKIPS) throw error
      }
    }
  }

  /** One append at the segment's end; a retry after a lost answer checks where the first went. */
  private async append(data: Buffer): Promise<void> {
    const seg = this.segment
    await retryBlob(this.ctx.blobRetry, async (signal, attempt) => {
      try {
        await this.ctx.blob.appendBlock(seg.uploadUrl, data, seg.length, signal)
      } catch (error) {
        if (
          !(error instanceof BlobError) ||
          error.code !== 'AppendPositionConditionNotMet' ||
          attempt === 1
        ) {
          throw error
        }
        const length = await this.ctx.blob.blobLength(seg.uploadUrl, signal)
        if (length !== seg.length + data.length) {
          throw new AttemptError(
            `${seg.name} is ${length} bytes long, expected ${seg.length} or ${seg.length + data.length}: another writer?`,
            false
          )
        }
      }
    })
    seg.length += data.length
    seg.appends++
  }

  private armTimers(): void {
    if (this.stopped || this.failure) return
    clearTimeout(this.keepaliveTimer)
    this.keepaliveTimer = setTimeout(() => {
      if (this.pending.length === 0 && !this.closing) this.enqueue(encodeFrame(FrameKind.keepalive))
    }, this.keepaliveMs)
    // Timers of a writer alone must not keep a process alive; readers and callers do.
    this.keepaliveTimer.unref()
    clearTimeout(this.rolloverTimer)
    const wait = this.segment.rolloverAt - Date.now()
    if (wait === Infinity) return
    this.rolloverTimer = setTimeout(
      () => {
        this.rolloverDue = true
        void this.drain()
      },
      Math.max(0, Math.min(wait, 2 ** 31 - 1))
    )
    this.rolloverTimer.unref()
  }

  private fail(error: Error): void {
    if (this.failure) return
    this.failure = new Error(`stream ${this.segment.name}: ${error.message}`, { cause: error })
    this.stop()
    this.options.onError?.(this.failure)
  }
}

function toSegment(created: CreatedArtifact, index: number): Segment {
  return {
    ...created,
    index,
    length: 0,
    appends: 0,
    rolloverAt: rolloverTime(created.uploadUrl, created.issuedAt)
  }
}

/** `data` in pieces of at most `size` bytes. */
function split(data: Buffer, size: number): Buffer[] {
  if (data.length <= size) return [data]
  const pieces: Buffer[] = []
  for (let at = 0; at < data.length; at += size) pieces.push(data.subarray(at, at + size))
  return pieces
}
