/**
 * Length-prefixed, versioned frames: [u32 BE length N][u8 version][u8 kind][N−2 payload bytes].
 * N counts the version and kind bytes, so an empty frame has N = 2. TCP carries message frames
 * only; the artifact transport also uses the control kinds.
 */
import { ProtocolError } from '../errors.js'
import type { Message } from './messages.js'
import { validateMessage } from './validate.js'

export const FRAME_VERSION = 1
/**
 * What a frame carries. `key` and `sealed` belong to encrypted artifact streams: a public key
 * in the clear, then every other frame sealed inside a `sealed` one.
 */
export const FrameKind = {
  message: 0,
  keepalive: 1,
  shutdown: 2,
  nextSegment: 3,
  key: 4,
  sealed: 5
} as const
/** Frames larger than this (the length field, header included) are refused by default. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024

/** One decoded frame; `payload` may share memory with the bytes it came from. */
export interface Frame {
  kind: number
  payload: Buffer
}

const knownKinds = new Set<number>(Object.values(FrameKind))
const kindNames = new Map<number, string>(Object.entries(FrameKind).map(([k, v]) => [v, k]))
/** Length prefix, version, kind. */
const HEADER_BYTES = 6
// Fatal, so a payload that is not UTF-8 is refused instead of turned into U+FFFD.
const utf8 = new TextDecoder('utf-8', { fatal: true })

/** One frame's bytes. `kind` must be a byte; the decoder refuses kinds it does not know. */
export function encodeFrame(kind: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  if (!Number.isInteger(kind) || kind < 0 || kind > 255) {
    throw new RangeError(`frame kind must be a byte, got ${kind}`)
  }
  const frame = Buffer.allocUnsafe(HEADER_BYTES + payload.length)
  frame.writeUInt32BE(payload.length + 2, 0)
  frame.writeUInt8(FRAME_VERSION, 4)
  frame.writeUInt8(kind, 5)
  payload.copy(frame, HEADER_BYTES)
  return frame
}

/** A message frame: the message as UTF-8 JSON. */
export function encodeMessage(message: Message): Buffer {
  return encodeFrame(FrameKind.message, Buffer.from(JSON.stringify(message), 'utf8'))
}

/** The message a message frame carries; ProtocolError on a wrong kind, bad JSON or a bad message. */
export function decodeMessage(frame: Frame): Message {
  if (frame.kind !== FrameKind.message) {
    throw new ProtocolError(`expected a message frame, got a ${describeKind(frame.kind)} frame`)
  }
  let value: unknown
  try {
    value = JSON.parse(utf8.decode(frame.payload))
  } catch (error) {
    throw new ProtocolError(`a message frame is not valid UTF-8 JSON: ${(error as Error).message}`)
  }
  return validateMessage(value)
}

/** `keepalive`, `shutdown`… or `kind 9` for kinds without a name. */
export function describeKind(kind: number): string {
  return kindNames.get(kind) ?? `kind ${kind}`
}

/**
 * Turns a byte stream back into frames. Bytes may arrive split anywhere; partial frames stay
 * buffered until complete. Once it has thrown, the stream is out of step for good, so every
 * later push throws the same error.
 */
export class FrameDecoder {
  private maxFrameBytes: number
  /** Pending bytes, oldest first; joined only when a frame is complete (no quadratic copying). */
  private chunks: Buffer[] = []
  private size = 0
  private failure?: ProtocolError

  constructor(options: { maxFrameBytes?: number } = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES
  }

  /** Changes the limit for frames not yet decoded (a link lifts it once its peer is trusted). */
  setMaxFrameBytes(bytes: number): void {
    this.maxFrameBytes = bytes
  }

  /** Bytes held of an incomplete frame. */
  get buffered(): number {
    return this.size
  }

  /** Appends bytes; returns every complete frame. Throws ProtocolError on bad bytes. */
  push(chunk: Buffer): Frame[] {
    if (this.failure) throw this.failure
    if (chunk.length > 0) {
      this.chunks.push(chunk)
      this.size += chunk.length
    }
    try {
      return this.drain()
    } catch (error) {
      this.failure = error as ProtocolError
      this.chunks = []
      this.size = 0
      throw error
    }
  }

  private drain(): Frame[] {
    const frames: Frame[] = []
    while (this.size >= 4) {
      const length = this.peek(4).readUInt32BE(0)
      if (length < 2) {
        throw new ProtocolError(
          `frame length ${length} is too short for a frame header (at least 2)`
        )
      }
      if (length > this.maxFrameBytes) {
        throw new ProtocolError(
          `frame of ${length} bytes exceeds the ${this.maxFrameBytes}-byte limit`
        )
      }
      // Check the header as soon as it is here, so garbage fails without waiting for a "payload".
      if (this.size >= HEADER_BYTES) checkHeader(this.peek(HEADER_BYTES))
      if (this.size < 4 + length) break
      const bytes = this.consume(4 + length)
      frames.push({ kind: bytes.readUInt8(5), payload: bytes.subarray(HEADER_BYTES) })
    }
    return frames
  }

  /** The first `n` bytes (n ≤ size) without consuming them. */
  private peek(n: number): Buffer {
    this.gather(n)
    return (this.chunks[0] as Buffer).subarray(0, n)
  }

  /** Removes and returns the first `n` bytes (n ≤ size). */
  private consume(n: number): Buffer {
    this.gather(n)
    const head = this.chunks[0] as Buffer
    if (head.length === n) this.chunks.shift()
    else this.chunks[0] = head.subarray(n)
    this.size -= n
    return head.subarray(0, n)
  }

  /** Makes the first chunk at least `n` bytes long, joining as few chunks as needed. */
  private gather(n: number): void {
    const first = this.chunks[0] as Buffer
    if (first.length >= n) return
    let count = 0
    let got = 0
    while (got < n) got += (this.chunks[count++] as Buffer).length
    const joined = Buffer.concat(this.chunks.slice(0, count), got)
    this.chunks.splice(0, count, joined)
  }
}

function checkHeader(header: Buffer): void {
  const version = header.readUInt8(4)
  if (version !== FRAME_VERSION) {
    throw new ProtocolError(`unknown frame version ${version} (this side speaks ${FRAME_VERSION})`)
  }
  const kind = header.readUInt8(5)
  if (!knownKinds.has(kind)) throw new ProtocolError(`unknown frame kind ${kind}`)
}
