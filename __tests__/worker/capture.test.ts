import fc from 'fast-check'
import { completeUtf8End, completeUtf8Start, OutputCapture } from '../../src/worker/capture.js'

/** Characters of 1, 2, 3 and 4 UTF-8 bytes, so cuts land inside characters often. */
const anyWidth = fc.constantFrom('a', 'z', ' ', '\n', 'é', 'ß', '€', '中', '😀', '🎉')
const marker = /\n… \[(\d+) bytes cut\] …\n/

function capture(cap: number, chunks: (string | Buffer)[]): ReturnType<OutputCapture['result']> {
  const c = new OutputCapture(cap)
  for (const chunk of chunks) c.write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
  return c.result()
}

describe('OutputCapture', () => {
  test('keeps everything within the cap, unmarked', () => {
    const result = capture(100, ['hello ', 'world\n'])
    expect(result).toEqual({ text: 'hello world\n', truncatedBytes: 0 })
  })

  test('keeps exactly the cap without a marker', () => {
    const result = capture(10, ['0123456789'])
    expect(result).toEqual({ text: '0123456789', truncatedBytes: 0 })
  })

  test('keeps the first and the last half of the cap and counts the cut', () => {
    const result = capture(10, ['abcde', 'XXXXXXXXXX', 'vwxyz'])
    expect(result.truncatedBytes).toBe(10)
    expect(result.text).toBe('abcde\n… [10 bytes cut] …\nvwxyz')
  })

  test('the tail follows many small chunks', () => {
    const chunks = Array.from({ length: 1000 }, (_, i) => `${i % 10}`)
    const result = capture(8, chunks)
    expect(result.text.startsWith('0123\n')).toBe(true)
    expect(result.text.endsWith('\n6789')).toBe(true)
    expect(result.truncatedBytes).toBe(992)
  })

  test('one huge chunk keeps its head and its end', () => {
    const big = Buffer.concat([
      Buffer.from('HEAD'),
      Buffer.alloc(500_000, 'x'),
      Buffer.from('TAIL')
    ])
    const result = capture(8, [big])
    expect(result.text).toBe(`HEAD\n… [${big.length - 8} bytes cut] …\nTAIL`)
  })

  test('does not split multi-byte characters at the cuts', () => {
    // 'é' is 2 bytes, '€' is 3, '😀' is 4: cuts fall inside them.
    const text = 'é€😀'.repeat(50)
    const result = capture(15, [text])
    const [head, tail] = result.text.split(marker.exec(result.text)?.[0] ?? '<none>')
    expect(head).toBeDefined()
    expect(tail).toBeDefined()
    expect(result.text).not.toContain('\uFFFD')
    expect(text.startsWith(head as string)).toBe(true)
    expect(text.endsWith(tail as string)).toBe(true)
    const kept = Buffer.byteLength(head as string) + Buffer.byteLength(tail as string)
    expect(result.truncatedBytes).toBe(Buffer.byteLength(text) - kept)
  })

  test('property: kept head + tail + cut equals the input, and text is its prefix and suffix', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: anyWidth, maxLength: 40 }), { maxLength: 30 }),
        fc.integer({ min: 0, max: 64 }),
        (pieces, cap) => {
          const input = pieces.join('')
          const result = capture(cap, pieces)
          if (result.text.includes('\uFFFD')) return false
          const found = marker.exec(result.text)
          if (!found) return result.truncatedBytes === 0 && result.text === input
          const head = result.text.slice(0, found.index)
          const tail = result.text.slice(found.index + found[0].length)
          const kept = Buffer.byteLength(head) + Buffer.byteLength(tail)
          return (
            input.startsWith(head) &&
            input.endsWith(tail) &&
            Buffer.byteLength(head) <= Math.floor(cap / 2) &&
            Buffer.byteLength(tail) <= cap - Math.floor(cap / 2) &&
            Number(found[1]) === result.truncatedBytes &&
            result.truncatedBytes === Buffer.byteLength(input) - kept
          )
        }
      ),
      { numRuns: 500 }
    )
  })
})

describe('UTF-8 boundaries', () => {
  const euro = Buffer.from('€') // e2 82 ac
  test('an incomplete character at the end is dropped', () => {
    expect(completeUtf8End(Buffer.concat([Buffer.from('a'), euro.subarray(0, 2)]))).toBe(1)
    expect(completeUtf8End(Buffer.concat([Buffer.from('a'), euro.subarray(0, 1)]))).toBe(1)
    expect(completeUtf8End(Buffer.concat([Buffer.from('a'), euro]))).toBe(4)
    expect(completeUtf8End(Buffer.from('abc'))).toBe(3)
    expect(completeUtf8End(Buffer.alloc(0))).toBe(0)
  })
  test('continuation bytes at the start are skipped', () => {
    expect(completeUtf8Start(Buffer.concat([euro.subarray(1), Buffer.from('b')]))).toBe(2)
    expect(completeUtf8Start(Buffer.concat([euro.subarray(2), Buffer.from('b')]))).toBe(1)
    expect(completeUtf8Start(Buffer.from('b'))).toBe(0)
  })
})
