/** Sealed frames of an artifact link: agreed keys, and every frame opened once, in order, intact. */
import { ProtocolError } from '../../../src/errors.js'
import {
  encodeFrame,
  encodeMessage,
  FrameDecoder,
  FrameKind,
  decodeMessage,
  type Frame
} from '../../../src/protocol/framing.js'
import { LinkKeys, type Opener, type Sealer } from '../../../src/transport/artifact/link-crypto.js'
import { numbered, numbers } from './helpers.js'

const streams = { up: 'squall-c1-aa-up', down: 'squall-c1-aa-down' }

/** The one frame in `bytes`. */
function frameOf(bytes: Buffer): Frame {
  const frames = new FrameDecoder().push(bytes)
  expect(frames).toHaveLength(1)
  return frames[0] as Frame
}

/** Both ends of a link: the worker's sealer (up) and the broker's opener (up), and back. */
function link(): {
  worker: { sealer: Sealer; opener: Opener }
  broker: { sealer: Sealer; opener: Opener }
} {
  const w = new LinkKeys()
  const b = new LinkKeys()
  return {
    worker: w.agree(frameOf(b.keyFrame()), streams, 'up'),
    broker: b.agree(frameOf(w.keyFrame()), streams, 'down')
  }
}

test('frames sealed on one side open on the other, both ways, and hide their content', () => {
  const { worker, broker } = link()
  const marker = 'SECRET-MARKER-4711'
  const up = worker.sealer.seal(encodeMessage({ type: 'heartbeat', at: 1 }))
  const withMarker = worker.sealer.seal(encodeFrame(FrameKind.message, Buffer.from(marker)))
  expect(up.includes(Buffer.from('heartbeat'))).toBe(false)
  expect(withMarker.includes(Buffer.from(marker))).toBe(false)
  expect(decodeMessage(broker.opener.open(frameOf(up)))).toEqual({ type: 'heartbeat', at: 1 })
  expect(broker.opener.open(frameOf(withMarker)).payload.toString()).toBe(marker)
  const down = [0, 1, 2].map(i => broker.sealer.seal(encodeMessage(numbered(i))))
  expect(numbers(down.map(d => decodeMessage(worker.opener.open(frameOf(d)))))).toEqual([0, 1, 2])
  const control = worker.opener.open(frameOf(broker.sealer.seal(encodeFrame(FrameKind.shutdown))))
  expect(control.kind).toBe(FrameKind.shutdown)
})

test('a byte changed anywhere in a sealed frame is rejected', () => {
  const sealed = link().worker.sealer.seal(encodeMessage(numbered(7)))
  // Every byte after the outer header: sequence number, ciphertext, tag.
  for (let at = 6; at < sealed.length; at++) {
    const { worker, broker } = link()
    const frame = worker.sealer.seal(encodeMessage(numbered(7)))
    const bad = Buffer.from(frame)
    bad[at] = (bad[at] as number) ^ 0x01
    expect(() => broker.opener.open(frameOf(bad))).toThrow(ProtocolError)
  }
})

test('a replayed, reordered or dropped frame is rejected', () => {
  const replay = link()
  const first = frameOf(replay.worker.sealer.seal(encodeMessage(numbered(0))))
  replay.broker.opener.open(first)
  expect(() => replay.broker.opener.open(first)).toThrow(/replayed, reordered or lost/)

  const reorder = link()
  const a = frameOf(reorder.worker.sealer.seal(encodeMessage(numbered(0))))
  const b = frameOf(reorder.worker.sealer.seal(encodeMessage(numbered(1))))
  expect(() => reorder.broker.opener.open(b)).toThrow(ProtocolError)
  // Relabelled as the frame that is due, the later frame still fails: its tag binds its place.
  const relabelled = Buffer.from(b.payload)
  relabelled.writeBigUInt64BE(0n, 0)
  expect(() => reorder.broker.opener.open({ kind: FrameKind.sealed, payload: relabelled })).toThrow(
    /failed authentication/
  )
  expect(numbers([decodeMessage(reorder.broker.opener.open(a))])).toEqual([0])
})

test('frames of another direction or another link do not open', () => {
  const one = link()
  const other = link()
  const up = frameOf(one.worker.sealer.seal(encodeMessage(numbered(1))))
  // Our own frame reflected back to us, and a frame of another link with the same names.
  expect(() => one.worker.opener.open(up)).toThrow(ProtocolError)
  expect(() => other.broker.opener.open(up)).toThrow(ProtocolError)
  // The same keys under other stream names derive other keys.
  const w = new LinkKeys()
  const b = new LinkKeys()
  const sealer = w.agree(frameOf(b.keyFrame()), streams, 'up').sealer
  const opener = b.agree(
    frameOf(w.keyFrame()),
    { ...streams, up: 'squall-c1-bb-up' },
    'down'
  ).opener
  expect(() => opener.open(frameOf(sealer.seal(encodeMessage(numbered(1)))))).toThrow(ProtocolError)
})

test('plain frames on a keyed stream and unusable keys are refused', () => {
  const { broker } = link()
  expect(() => broker.opener.open(frameOf(encodeMessage(numbered(1))))).toThrow(
    /only sealed frames/
  )
  const keys = new LinkKeys()
  expect(() =>
    keys.agree({ kind: FrameKind.key, payload: Buffer.alloc(31) }, streams, 'down')
  ).toThrow(/32-byte public key/)
  expect(() =>
    keys.agree({ kind: FrameKind.key, payload: Buffer.alloc(32) }, streams, 'down')
  ).toThrow(ProtocolError)
  expect(() => keys.agree(frameOf(encodeMessage(numbered(1))), streams, 'down')).toThrow(
    ProtocolError
  )
})
