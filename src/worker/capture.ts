/**
 * Keeps the head and the tail of a stream within a byte cap and counts what was cut. Pure: no
 * I/O, bytes in, text out. Memory stays bounded by the cap plus one chunk whatever the volume.
 */
import type { CapturedOutput } from '../protocol/types.js'

/** 1 MiB per stream: enough for a failing test's story, small enough for a result message. */
export const DEFAULT_OUTPUT_CAP_BYTES = 1024 * 1024

/** Accumulates one output stream; `result()` may be called at any time. */
export class OutputCapture {
  private readonly head: Buffer[] = []
  private headBytes = 0
  private tail: Buffer[] = []
  private tailBytes = 0
  private total = 0
  private readonly headCap: number
  private readonly tailCap: number

  constructor(capBytes: number) {
    const cap = Math.max(0, Math.floor(capBytes))
    this.headCap = Math.floor(cap / 2)
    this.tailCap = cap - this.headCap
  }

  /** Total bytes written so far, kept or not. */
  get totalBytes(): number {
    return this.total
  }

  write(chunk: Buffer): void {
    this.total += chunk.length
    let rest = chunk
    if (this.headBytes < this.headCap) {
      const take = Math.min(this.headCap - this.headBytes, rest.length)
      this.head.push(rest.subarray(0, take))
      this.headBytes += take
      rest = rest.subarray(take)
    }
    if (rest.length === 0) return
    this.tail.push(rest)
    this.tailBytes += rest.length
    // Drop whole chunks from the front while what is left still fills the tail.
    while (
      this.tail.length > 1 &&
      this.tailBytes - (this.tail[0] as Buffer).length >= this.tailCap
    ) {
      this.tailBytes -= (this.tail.shift() as Buffer).length
    }
    // One huge chunk: keep only its end, so memory stays bounded.
    if (this.tail.length === 1 && this.tailBytes > 2 * this.tailCap + 65536) {
      this.tail = [Buffer.from(rest.subarray(rest.length - this.tailCap))]
      this.tailBytes = this.tailCap
    }
  }

  result(): CapturedOutput {
    const head = Buffer.concat(this.head)
    let tail = Buffer.concat(this.tail)
    if (tail.length > this.tailCap) tail = tail.subarray(tail.length - this.tailCap)
    if (head.length + tail.length >= this.total) {
      return { text: Buffer.concat([head, tail]).toString('utf8'), truncatedBytes: 0 }
    }
    // Characters split by either cut are dropped whole and counted with the cut.
    const headEnd = completeUtf8End(head)
    const tailStart = completeUtf8Start(tail)
    const kept = headEnd + (tail.length - tailStart)
    const cut = this.total - kept
    return {
      text: `${head.subarray(0, headEnd).toString('utf8')}\n… [${cut} bytes cut] …\n${tail
        .subarray(tailStart)
        .toString('utf8')}`,
      truncatedBytes: cut
    }
  }
}

/** Length of `bytes` without a multi-byte UTF-8 character left incomplete at its end. */
export function completeUtf8End(bytes: Uint8Array): number {
  let back = 0
  while (
    back < 3 &&
    back < bytes.length &&
    isContinuation(bytes[bytes.length - 1 - back] as number)
  ) {
    back++
  }
  const leadIndex = bytes.length - 1 - back
  if (leadIndex < 0) return bytes.length
  const lead = bytes[leadIndex] as number
  const need = sequenceLength(lead)
  // A lead byte whose sequence needs more bytes than follow it: drop it and its followers.
  return need > back + 1 ? leadIndex : bytes.length
}

/** Index of the first byte of `bytes` that does not continue a character cut off before it. */
export function completeUtf8Start(bytes: Uint8Array): number {
  let start = 0
  while (start < 3 && start < bytes.length && isContinuation(bytes[start] as number)) start++
  return start
}

function isContinuation(byte: number): boolean {
  return (byte & 0xc0) === 0x80
}

/** Bytes in the sequence a lead byte starts (1 for ASCII and for stray bytes). */
function sequenceLength(lead: number): number {
  if (lead >= 0xf0) return 4
  if (lead >= 0xe0) return 3
  if (lead >= 0xc0) return 2
  return 1
}
