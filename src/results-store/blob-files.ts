/**
 * Files to and from block blobs on signed URLs, and the retry every blob call shares. A file
 * goes up in one Put Blob when small, else in blocks in parallel and a block list, so a
 * failure repeats one block and not the whole file; a download is hashed as it lands.
 */
import { createHash } from 'node:crypto'
import { open } from 'node:fs/promises'
import { mapLimit } from '../map-limit.js'
import type { BlobHttp } from './blob-http.js'
import { BlobError } from './errors.js'
import { AttemptError, withRetry, type CallRetryPolicy } from './retry.js'

/** How to move blobs. */
export interface BlobTransferOptions {
  retry: CallRetryPolicy
  /** Bytes per block of a staged upload (default 8 MiB); smaller files go in one request. */
  blockSize?: number
  /** Blocks in flight at once (default 4). */
  parallel?: number
  /** The blob's Content-Type. */
  contentType?: string
}

const defaultBlockSize = 8 * 1024 * 1024

/** Runs one blob call under the retry policy: transient failures again, others at once. */
export async function retryBlob<T>(
  policy: CallRetryPolicy,
  call: (signal: AbortSignal, attempt: number) => Promise<T>
): Promise<T> {
  return withRetry(async (signal, attempt) => {
    try {
      return await call(signal, attempt)
    } catch (error) {
      if (error instanceof BlobError)
        throw new AttemptError(error.message, error.transient, { cause: error })
      throw error
    }
  }, policy)
}

/** Uploads `size` bytes of `file` to the signed `url` as a block blob, each call retried. */
export async function uploadBlockBlob(
  blob: BlobHttp,
  url: string,
  file: string,
  size: number,
  options: BlobTransferOptions
): Promise<void> {
  const blockSize = options.blockSize ?? defaultBlockSize
  const contentType = options.contentType ?? 'application/octet-stream'
  const handle = await open(file, 'r')
  try {
    const slice = async (offset: number, length: number): Promise<Buffer> => {
      const buffer = Buffer.alloc(length)
      const { bytesRead } = await handle.read(buffer, 0, length, offset)
      if (bytesRead !== length) throw new Error(`${file} changed while it was uploaded`)
      return buffer
    }
    if (size <= blockSize) {
      const body = await slice(0, size)
      await retryBlob(options.retry, signal => blob.putBlob(url, body, contentType, signal))
      return
    }
    const count = Math.ceil(size / blockSize)
    // Block ids must all have the same length: a zero-padded index, base64.
    const ids = Array.from({ length: count }, (_, i) =>
      Buffer.from(String(i).padStart(8, '0')).toString('base64')
    )
    await mapLimit(ids, options.parallel ?? 4, async (id, i) => {
      const offset = i * blockSize
      const body = await slice(offset, Math.min(blockSize, size - offset))
      await retryBlob(options.retry, signal => blob.putBlock(url, id, body, signal))
    })
    await retryBlob(options.retry, signal => blob.putBlockList(url, ids, contentType, signal))
  } finally {
    await handle.close()
  }
}

/**
 * GETs the blob at `url` into `file` (truncated first), hashing as it goes: its SHA-256 (hex)
 * and size. One attempt; the caller retries (it may need a fresh URL first).
 */
export async function downloadBlob(
  blob: BlobHttp,
  url: string,
  file: string,
  signal: AbortSignal
): Promise<{ digest: string; size: number }> {
  const chunks = await blob.getBlob(url, signal)
  const hash = createHash('sha256')
  let size = 0
  const out = await open(file, 'w')
  try {
    for await (const chunk of chunks) {
      hash.update(chunk)
      size += chunk.length
      await out.write(chunk)
    }
  } finally {
    await out.close()
  }
  return { digest: hash.digest('hex'), size }
}
