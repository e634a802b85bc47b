/**
 * End-to-end encryption of an artifact link. Anyone who can read the run's artifacts (anyone at
 * all for a public repository) can read the streams, so each link agrees on keys at set-up: an
 * ephemeral X25519 key pair per side, each side's public key as the first (plain) frame of its
 * stream, HKDF-SHA256 over the shared secret with both public keys and both stream names as
 * context, one AES-256-GCM key per direction. Every later frame is sealed whole (kind, payload)
 * under a counter that is part of the nonce and of the authenticated data: a frame tampered
 * with, replayed, reordered or dropped fails to open.
 *
 * Only jobs of the run can write artifacts and only squall holds their tokens, so a passive
 * reader is the threat here; an active one would need a job's token (see DESIGN "Trust").
 */
import {
  createCipheriv,
  createDecipheriv,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject
} from 'node:crypto'
import { ProtocolError } from '../../errors.js'
import { encodeFrame, FrameKind, type Frame } from '../../protocol/framing.js'

/** Which way a stream flows: worker → broker (`up`) or broker → worker (`down`). */
export type Direction = 'up' | 'down'

const KEY_BYTES = 32
const TAG_BYTES = 16
const SEQ_BYTES = 8
/** Inner frame header: kind. */
const INNER_HEADER = 1
const info = 'squall artifact link v1'
/** Kinds a sealed frame may carry. */
const innerKinds = new Set<number>([
  FrameKind.message,
  FrameKind.keepalive,
  FrameKind.shutdown,
  FrameKind.nextSegment
])

/** One side's ephemeral key pair for one link. */
export class LinkKeys {
  readonly publicKey: Buffer
  private readonly privateKey: KeyObject

  constructor() {
    const pair = generateKeyPairSync('x25519')
    this.privateKey = pair.privateKey
    this.publicKey = Buffer.from(pair.publicKey.export({ format: 'jwk' }).x as string, 'base64url')
  }

  /** The first frame of our stream: our public key, in the clear (it is public). */
  keyFrame(): Buffer {
    return encodeFrame(FrameKind.key, this.publicKey)
  }

  /**
   * Both directions' ciphers from the peer's key frame. `up` and `down` are the two streams'
   * names; `ours` says which one we write. ProtocolError on a key that is not a usable point.
   */
  agree(
    peerKeyFrame: Frame,
    streams: { up: string; down: string },
    ours: Direction
  ): { sealer: Sealer; opener: Opener } {
    if (peerKeyFrame.kind !== FrameKind.key || peerKeyFrame.payload.length !== KEY_BYTES) {
      throw new ProtocolError(
        `the first frame of a stream must be a ${KEY_BYTES}-byte public key (kind ${FrameKind.key}), got kind ${peerKeyFrame.kind} of ${peerKeyFrame.payload.length} bytes`
      )
    }
    const peer = Buffer.from(peerKeyFrame.payload)
    let shared: Buffer
    try {
      const publicKey = createPublicKey({
        key: { kty: 'OKP', crv: 'X25519', x: peer.toString('base64url') },
        format: 'jwk'
      })
      shared = diffieHellman({ privateKey: this.privateKey, publicKey })
    } catch (error) {
      throw new ProtocolError(`the peer's public key is unusable: ${(error as Error).message}`)
    }
    if (shared.every(b => b === 0)) throw new ProtocolError("the peer's public key is degenerate")
    const [upKey, downKey] = [
      ours === 'up' ? this.publicKey : peer,
      ours === 'up' ? peer : this.publicKey
    ]
    const salt = Buffer.concat([upKey, downKey])
    const context = Buffer.from(`${info}\n${streams.up}\n${streams.down}`, 'utf8')
    const keys = Buffer.from(hkdfSync('sha256', shared, salt, context, 2 * KEY_BYTES))
    const up = keys.subarray(0, KEY_BYTES)
    const down = keys.subarray(KEY_BYTES)
    const theirs: Direction = ours === 'up' ? 'down' : 'up'
    return {
      sealer: new Sealer(ours === 'up' ? up : down, ours, streams[ours]),
      opener: new Opener(theirs === 'up' ? up : down, theirs, streams[theirs])
    }
  }
}

/** 12-byte nonce: 4 bytes of direction, 8 of counter (keys are per direction too). */
function nonce(direction: Direction, seq: bigint): Buffer {
  const n = Buffer.alloc(12)
  n.write(direction === 'up' ? 'up\0\0' : 'down', 0, 'latin1')
  n.writeBigUInt64BE(seq, 4)
  return n
}

/** What the tag covers besides the plaintext: the stream and the frame's place in it. */
function aad(stream: string, seq: bigint): Buffer {
  const s = Buffer.alloc(SEQ_BYTES)
  s.writeBigUInt64BE(seq)
  return Buffer.concat([Buffer.from(stream, 'utf8'), s])
}

/** Seals our frames in order. */
export class Sealer {
  private seq = 0n

  constructor(
    private readonly key: Buffer,
    private readonly direction: Direction,
    private readonly stream: string
  ) {}

  /** A sealed frame carrying `frame` (a plain encoded frame: its kind and payload). */
  seal(frame: Buffer): Buffer {
    const seq = this.seq++
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce(this.direction, seq))
    cipher.setAAD(aad(this.stream, seq))
    // The plain frame's length and version are implied by the sealed frame: keep kind + payload.
    const body = cipher.update(frame.subarray(5))
    const final = cipher.final()
    const head = Buffer.alloc(SEQ_BYTES)
    head.writeBigUInt64BE(seq)
    return encodeFrame(FrameKind.sealed, Buffer.concat([head, body, final, cipher.getAuthTag()]))
  }
}

/** Opens the peer's frames, in order, each once. */
export class Opener {
  private seq = 0n

  constructor(
    private readonly key: Buffer,
    private readonly direction: Direction,
    private readonly stream: string
  ) {}

  /** The frame a sealed frame carries. ProtocolError on anything else, out of order or forged. */
  open(frame: Frame): Frame {
    if (frame.kind !== FrameKind.sealed) {
      throw new ProtocolError(`a keyed stream carries only sealed frames, got kind ${frame.kind}`)
    }
    const p = frame.payload
    if (p.length < SEQ_BYTES + INNER_HEADER + TAG_BYTES) {
      throw new ProtocolError(`a sealed frame of ${p.length} bytes is too short`)
    }
    const seq = p.readBigUInt64BE(0)
    if (seq !== this.seq) {
      throw new ProtocolError(
        `sealed frame ${seq} on ${this.stream} where ${this.seq} was due: replayed, reordered or lost`
      )
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, nonce(this.direction, seq))
    decipher.setAAD(aad(this.stream, seq))
    decipher.setAuthTag(p.subarray(p.length - TAG_BYTES))
    let plain: Buffer
    try {
      plain = Buffer.concat([
        decipher.update(p.subarray(SEQ_BYTES, p.length - TAG_BYTES)),
        decipher.final()
      ])
    } catch {
      throw new ProtocolError(`sealed frame ${seq} on ${this.stream} failed authentication`)
    }
    this.seq++
    const kind = plain.readUInt8(0)
    if (!innerKinds.has(kind)) {
      throw new ProtocolError(`sealed frame ${seq} on ${this.stream} carries a kind ${kind} frame`)
    }
    return { kind, payload: plain.subarray(INNER_HEADER) }
  }
}
