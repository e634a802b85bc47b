/**
 * The Blob REST calls a layer needs on signed URLs: upload a file as a block blob (one Put
 * Blob when small, else blocks in parallel and a block list, so a failure repeats one block
 * and not the whole file), and download a blob to a file while hashing it. Each call retries
 * transient failures under the caller's policy (retryBlob, shared with the streams).
 */
import { createHash } from 'node:crypto'
import { open } from 'node:fs/promises'
import type { RetryPolicy } from '../github/retry.js'
import { describeNetworkError } from '../github/retry.js'
import { BlobError } from '../transport/artifact/blob-http.js'
import { retryBlob } from '../transport/artifact/artifacts.js'
import { mapLimit } from './limit.js'

const apiVersion = '2023-11-03'

/** How to move blobs. */
export interface BlobTransferOptions {
  retry: RetryPolicy
  /** Bytes per block of a staged upload (default 8 MiB); smaller files go in one request. */
  blockSize?: number
  /** Blocks in flight at once (default 4). */
  parallel?: number
  /** The blob's Content-Type. */
  contentType?: string
}

const defaultBlockSize = 8 * 1024 * 1024

/** Uploads `size` bytes of `file` to the signed `url` as a block blob. */
export async function uploadBlockBlob(
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
      await retryBlob(options.retry, signal =>
        send(
          'PutBlob',
          url,
          {
            method: 'PUT',
            headers: { 'x-ms-blob-type': 'BlockBlob', 'x-ms-blob-content-type': contentType },
            body,
            signal
          },
          201
        )
      )
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
      const target = new URL(url)
      target.searchParams.set('comp', 'block')
      target.searchParams.set('blockid', id)
      await retryBlob(options.retry, signal =>
        send('PutBlock', target.href, { method: 'PUT', body, signal }, 201)
      )
    })
    const list = `<?xml version="1.0" encoding="utf-8"?><BlockList>${ids.map(id => `<Latest>${id}</Latest>`).join('')}</BlockList>`
    const target = new URL(url)
    target.searchParams.set('comp', 'blocklist')
    await retryBlob(options.retry, signal =>
      send(
        'PutBlockList',
        target.href,
        {
          method: 'PUT',
          headers: { 'content-type': 'application/xml', 'x-ms-blob-content-type': contentType },
          body: list,
          signal
        },
        201
      )
    )
  } finally {
    await handle.close()
  }
}

/**
 * GETs the blob at `url` into `file` (truncated first), hashing as it goes: its SHA-256 (hex)
 * and size. One attempt; the caller retries (it may need a fresh URL first).
 */
export async function downloadBlob(
  url: string,
  file: string,
  signal: AbortSignal
): Promise<{ digest: string; size: number }> {
  const response = await send('GetBlob', url, { method: 'GET', signal }, 200, true)
  const hash = createHash('sha256')
  let size = 0
  const out = await open(file, 'w')
  try {
    if (response.body) {
      for await (const chunk of response.body) {
        hash.update(chunk)
        size += chunk.length
        await out.write(chunk)
      }
    }
  } catch (error) {
    throw new BlobError(
      'GetBlob',
      undefined,
      undefined,
      `GetBlob: ${describeNetworkError(error)}`,
      { cause: error }
    )
  } finally {
    await out.close()
  }
  return { digest: hash.digest('hex'), size }
}

/** One request; a BlobError unless it answers `ok` (the body is kept only when `keepBody`). */
async function send(
  operation: string,
  url: string,
  init: RequestInit & { headers?: Record<string, string> },
  ok: number,
  keepBody = false
): Promise<Response> {
  let response: Response
  try {
    response = await fetch(url, {
      ...init,
      headers: { 'x-ms-version': apiVersion, ...init.headers }
    })
  } catch (error) {
    const detail = init.signal?.aborted ? 'no answer in time' : describeNetworkError(error)
    throw new BlobError(operation, undefined, undefined, `${operation}: ${detail}`, {
      cause: error
    })
  }
  if (response.status === ok) {
    if (!keepBody) await response.body?.cancel()
    return response
  }
  const code = response.headers.get('x-ms-error-code') ?? undefined
  const text = await response.text().catch(() => '')
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? response.statusText
  throw new BlobError(
    operation,
    response.status,
    code,
    `${operation}: HTTP ${response.status}${code ? ` ${code}` : ''}: ${message.split('\n')[0]}`
  )
}
