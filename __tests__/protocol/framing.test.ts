import fc from 'fast-check'
import { ProtocolError } from '../../src/errors.js'
import {
  DEFAULT_MAX_FRAME_BYTES,
  FRAME_VERSION,
  FrameDecoder,
  FrameKind,
  decodeMessage,
  encodeFrame,
  encodeMessage,
  type Frame
} from '../../src/protocol/framing.js'
import { PROTOCOL_VERSION, type Message } from '../../src/protocol/messages.js'

const hello: Message = {
  type: 'hello',
  version: PROTOCOL_VERSION,
  role: 'worker',
  id: 'w-1',
  slots: 2,
  labels: ['linux']
}

/** Splits `bytes` at the given offsets (sorted, deduplicated, clamped). */
function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map(c => Math.min(Math.max(c, 0), bytes.length)))].sort(
    (a, b) => a - b
  )
  const parts: Buffer[] = []
  let from = 0
  for (const at of points) {
    parts.push(bytes.subarray(from, at))
    from = at
  }
  parts.push(bytes.subarray(from))
  return parts
}

function decodeAll(parts: Buffer[], decoder = new FrameDecoder()): Frame[] {
  return parts.flatMap(part => decoder.push(part))
}

describe('encodeFrame', () => {
  test('writes the length (version and kind included), the version and the kind', () => {
    const frame = encodeFrame(FrameKind.shutdown, Buffer.from('bye'))
    expect(frame.readUInt32BE(0)).toBe(5)
    expect(frame[4]).toBe(FRAME_VERSION)
    expect(frame[5]).toBe(FrameKind.shutdown)
    expect(frame.subarray(6).toString()).toBe('bye')
  })

  test('an empty keepalive is six bytes', () => {
    expect([...encodeFrame(FrameKind.keepalive)]).toEqual([
      0,
      0,
      0,
      2,
      FRAME_VERSION,
      FrameKind.keepalive
    ])
  })

  test('refuses a kind that is not a byte', () => {
    expect(() => encodeFrame(256)).toThrow(/must be a byte/)
    expect(() => encodeFrame(-1)).toThrow(/must be a byte/)
  })
})

describe('decodeMessage', () => {
  test('round-trips a message, non-ASCII text included', () => {
    const message: Message = { type: 'error', code: 'x', message: 'naïve ✓ 日本 \u0000 "quoted"' }
    const [frame] = new FrameDecoder().push(encodeMessage(message))
    expect(decodeMessage(frame as Frame)).toEqual(message)
  })

  test('refuses bad JSON with a ProtocolError', () => {
    const frame = { kind: FrameKind.message, payload: Buffer.from('{"type": "hello",') }
    expect(() => decodeMessage(frame)).toThrow(ProtocolError)
    expect(() => decodeMessage(frame)).toThrow(/not valid UTF-8 JSON/)
  })

  test('refuses bytes that are not UTF-8', () => {
    const frame = { kind: FrameKind.message, payload: Buffer.from([0x22, 0xff, 0xfe, 0x22]) }
    expect(() => decodeMessage(frame)).toThrow(ProtocolError)
  })

  test('refuses a valid JSON value that is not a message, through validateMessage', () => {
    const unknownType = { kind: FrameKind.message, payload: Buffer.from('{"type":"launch"}') }
    expect(() => decodeMessage(unknownType)).toThrow(/unknown message type "launch"/)
    const notObject = { kind: FrameKind.message, payload: Buffer.from('[1,2]') }
    expect(() => decodeMessage(notObject)).toThrow(/expected a message object, got an array/)
  })

  test('reports a protocol version mismatch in a hello', () => {
    const frame = {
      kind: FrameKind.message,
      payload: Buffer.from(JSON.stringify({ ...hello, version: 99 }))
    }
    expect(() => decodeMessage(frame)).toThrow(/protocol version mismatch: peer speaks 99/)
  })

  test('refuses a control frame', () => {
    expect(() => decodeMessage({ kind: FrameKind.keepalive, payload: Buffer.alloc(0) })).toThrow(
      /expected a message frame, got a keepalive frame/
    )
  })
})

describe('FrameDecoder', () => {
  test('decodes many frames from one chunk, all kinds', () => {
    const bytes = Buffer.concat([
      encodeMessage(hello),
      encodeFrame(FrameKind.keepalive),
      encodeFrame(FrameKind.nextSegment, Buffer.from(JSON.stringify({ name: 'seg-2' }))),
      encodeFrame(FrameKind.shutdown, Buffer.from('done'))
    ])
    const frames = new FrameDecoder().push(bytes)
    expect(frames.map(f => f.kind)).toEqual([0, 1, 3, 2])
    expect(decodeMessage(frames[0] as Frame)).toEqual(hello)
    expect(JSON.parse((frames[2] as Frame).payload.toString())).toEqual({ name: 'seg-2' })
    expect((frames[3] as Frame).payload.toString()).toBe('done')
  })

  test('decodes byte by byte and reports what it holds', () => {
    const bytes = Buffer.concat([encodeMessage(hello), encodeMessage({ type: 'done' })])
    const decoder = new FrameDecoder()
    const frames: Frame[] = []
    for (let i = 0; i < bytes.length; i++) {
      frames.push(...decoder.push(bytes.subarray(i, i + 1)))
      const complete =
        frames.length === 2 ? bytes.length : frames.length === 1 ? encodeMessage(hello).length : 0
      expect(decoder.buffered).toBe(i + 1 - complete)
    }
    expect(frames.map(decodeMessage)).toEqual([hello, { type: 'done' }])
    expect(decoder.buffered).toBe(0)
  })

  test('an empty push returns nothing and changes nothing', () => {
    const decoder = new FrameDecoder()
    decoder.push(encodeMessage(hello).subarray(0, 3))
    expect(decoder.push(Buffer.alloc(0))).toEqual([])
    expect(decoder.buffered).toBe(3)
  })

  test('a large frame in small chunks decodes intact', () => {
    const payload = Buffer.alloc(3 * 1024 * 1024)
    for (let i = 0; i < payload.length; i++) payload[i] = i % 251
    const bytes = encodeFrame(FrameKind.message, payload)
    const decoder = new FrameDecoder()
    const frames: Frame[] = []
    // 1 KiB pieces: 3072 pushes, each of which would copy megabytes if the buffer were re-joined.
    for (let at = 0; at < bytes.length; at += 1024)
      frames.push(...decoder.push(bytes.subarray(at, at + 1024)))
    expect(frames).toHaveLength(1)
    expect((frames[0] as Frame).payload.equals(payload)).toBe(true)
  })

  test('refuses an oversized length before its payload arrives', () => {
    const decoder = new FrameDecoder()
    const header = Buffer.from([0x7f, 0xff, 0xff, 0xff])
    expect(() => decoder.push(header)).toThrow(
      new ProtocolError(
        `frame of 2147483647 bytes exceeds the ${DEFAULT_MAX_FRAME_BYTES}-byte limit`
      )
    )
  })

  test('honours a smaller limit', () => {
    const decoder = new FrameDecoder({ maxFrameBytes: 100 })
    expect(decoder.push(encodeFrame(FrameKind.message, Buffer.alloc(98)))).toHaveLength(1)
    expect(() => decoder.push(encodeFrame(FrameKind.message, Buffer.alloc(99)))).toThrow(
      /frame of 101 bytes exceeds the 100-byte limit/
    )
  })

  test('refuses an unknown version as soon as the header is in', () => {
    const decoder = new FrameDecoder()
    expect(() => decoder.push(Buffer.from([0, 0, 0, 10, 71, 0]))).toThrow(
      /unknown frame version 71/
    )
  })

  test('refuses an unknown kind', () => {
    expect(() => new FrameDecoder().push(Buffer.from([0, 0, 0, 2, FRAME_VERSION, 9]))).toThrow(
      /unknown frame kind 9/
    )
  })

  test('refuses a length too short for the header', () => {
    expect(() => new FrameDecoder().push(Buffer.from([0, 0, 0, 1, 1]))).toThrow(
      /frame length 1 is too short/
    )
  })

  test('text where a frame should be is refused with a ProtocolError', () => {
    expect(() => new FrameDecoder().push(Buffer.from('GET / HTTP/1.1\r\n\r\n'))).toThrow(
      ProtocolError
    )
  })

  test('stays failed after an error', () => {
    const decoder = new FrameDecoder()
    expect(() => decoder.push(Buffer.from([0, 0, 0, 2, 7, 0]))).toThrow(/version 7/)
    expect(() => decoder.push(encodeMessage(hello))).toThrow(/version 7/)
    expect(decoder.buffered).toBe(0)
  })
})

describe('FrameDecoder properties', () => {
  const text = fc.string({ unit: 'grapheme', maxLength: 40 })
  const message: fc.Arbitrary<Message> = fc.oneof(
    fc.record({ type: fc.constant('heartbeat' as const), at: fc.nat() }),
    fc.record({ type: fc.constant('error' as const), code: text, message: text }),
    fc.record({
      type: fc.constant('shutdown' as const),
      reason: fc.string({ unit: 'binary', maxLength: 200 })
    }),
    fc.record({ type: fc.constant('done' as const) }),
    fc.record({
      type: fc.constant('cancel' as const),
      jobs: fc.array(fc.record({ id: text, attempt: fc.integer({ min: 1, max: 5 }) }), {
        maxLength: 5
      }),
      reason: text
    }),
    fc.record({
      type: fc.constant('hello' as const),
      version: fc.constant(PROTOCOL_VERSION),
      role: fc.constantFrom('runner' as const, 'worker' as const),
      id: text
    })
  )

  test('random messages, randomly chunked, decode to the same messages', () => {
    fc.assert(
      fc.property(
        fc.array(message, { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 60 }),
        (messages, cuts) => {
          const bytes = Buffer.concat(messages.map(encodeMessage))
          const decoder = new FrameDecoder()
          const frames = decodeAll(
            split(
              bytes,
              cuts.map(c => c % (bytes.length + 1))
            ),
            decoder
          )
          expect(frames.map(decodeMessage)).toEqual(JSON.parse(JSON.stringify(messages)))
          expect(decoder.buffered).toBe(0)
        }
      ),
      { numRuns: 300 }
    )
  })

  test('random frames of every kind survive any split, and a cut-off tail stays buffered', () => {
    const frame = fc.record({
      kind: fc.constantFrom(...Object.values(FrameKind)),
      payload: fc.uint8Array({ maxLength: 300 }).map(a => Buffer.from(a))
    })
    fc.assert(
      fc.property(
        fc.array(frame, { minLength: 1, maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.nat(),
        (list, cuts, drop) => {
          const bytes = Buffer.concat(list.map(f => encodeFrame(f.kind, f.payload)))
          const last = encodeFrame((list.at(-1) as Frame).kind, (list.at(-1) as Frame).payload)
          // Drop 1..len(last)-1 bytes from the end: the last frame is incomplete.
          const removed = 1 + (drop % (last.length - 1))
          const truncated = bytes.subarray(0, bytes.length - removed)
          const decoder = new FrameDecoder()
          const frames = decodeAll(
            split(
              truncated,
              cuts.map(c => c % (truncated.length + 1))
            ),
            decoder
          )
          expect(frames.map(f => ({ kind: f.kind, payload: Buffer.from(f.payload) }))).toEqual(
            list.slice(0, -1)
          )
          expect(decoder.buffered).toBe(last.length - removed)
        }
      ),
      { numRuns: 300 }
    )
  })

  test('random garbage either decodes or throws a ProtocolError, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), bytes => {
        const decoder = new FrameDecoder({ maxFrameBytes: 1024 })
        try {
          for (const frame of decoder.push(Buffer.from(bytes))) {
            try {
              decodeMessage(frame)
            } catch (error) {
              expect(error).toBeInstanceOf(ProtocolError)
            }
          }
        } catch (error) {
          expect(error).toBeInstanceOf(ProtocolError)
        }
      }),
      { numRuns: 500 }
    )
  })
})
