/**
 * The few Blob REST calls a stream makes, on signed URLs, over fetch: create an append blob,
 * append a block at a known position, read the length, read from an offset. Each call is one
 * request (no retries here: callers know which failures are safe to repeat) and is counted.
 */
import { describeNetworkError } from '../../github/retry.js'

const apiVersion = '2023-11-03'

/** A blob answer that was not a success. */
export class BlobError extends Error {
  override name = 'BlobError'
  constructor(
    readonly operation: string,
    /** HTTP status; undefined when no answer came (reset, timeout). */
    readonly status: number | undefined,
    /** Azure's x-ms-error-code, e.g. `AppendPositionConditionNotMet`. */
    readonly code: string | undefined,
    message: string,
    options?: { cause?: unknown }
  ) {
    super(message, options)
  }

  /** Worth another try: no answer, throttled, or a server error. */
  get transient(): boolean {
    return (
      this.status === undefined || this.status === 408 || this.status === 429 || this.status >= 500
    )
  }
}

/** The outcome of a range read. `data` is empty when nothing new was there. */
export interface RangeRead {
  status: number
  data: Buffer
  etag?: string
}

/** Blob requests with per-operation counts. */
export class BlobHttp {
  private readonly counts = new Map<string, number>()

  /** PUT an empty append blob (the URL must allow create/write). */
  async createAppendBlob(url: string, signal: AbortSignal): Promise<void> {
    const response = await this.send('CreateAppendBlob', url, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'AppendBlob', 'x-ms-version': apiVersion },
      signal
    })
    await expectStatus('CreateAppendBlob', response, [201])
  }

  /**
   * Appends `data` only if the blob is `position` bytes long now, so a repeated append after
   * a lost answer cannot write the bytes twice (it fails with AppendPositionConditionNotMet).
   */
  async appendBlock(
    url: string,
    data: Buffer,
    position: number,
    signal: AbortSignal
  ): Promise<void> {
    const target = new URL(url)
    target.searchParams.set('comp', 'appendblock')
    const response = await this.send('AppendBlock', target.href, {
      method: 'PUT',
      headers: {
        'x-ms-version': apiVersion,
        'x-ms-blob-condition-appendpos': String(position)
      },
      body: data,
      signal
    })
    await expectStatus('AppendBlock', response, [201])
  }

  /** The blob's length in bytes. */
  async blobLength(url: string, signal: AbortSignal): Promise<number> {
    const response = await this.send('GetBlobProperties', url, {
      method: 'HEAD',
      headers: { 'x-ms-version': apiVersion },
      signal
    })
    await expectStatus('GetBlobProperties', response, [200])
    return Number(response.headers.get('content-length') ?? 'NaN')
  }

  /**
   * Bytes from `offset` on. 304 (unchanged since `etag`), an empty 206 and 416 (offset at the
   * end) all come back as empty data; other failures throw a BlobError.
   */
  async readFrom(
    url: string,
    offset: number,
    etag: string | undefined,
    signal: AbortSignal
  ): Promise<RangeRead> {
    const headers: Record<string, string> = {
      'x-ms-version': apiVersion,
      range: `bytes=${offset}-`
    }
    if (etag) headers['if-none-match'] = etag
    const response = await this.send('GetBlobRange', url, { method: 'GET', headers, signal })
    const status = response.status
    if (status === 304 || status === 416) {
      await response.body?.cancel()
      return { status, data: Buffer.alloc(0), etag: response.headers.get('etag') ?? etag }
    }
    if (status === 200 || status === 206) {
      let data: Buffer
      try {
        data = Buffer.from(await response.arrayBuffer())
      } catch (error) {
        // The answer broke off; nothing was consumed, so the next read asks again.
        throw new BlobError(
          'GetBlobRange',
          undefined,
          undefined,
          `GetBlobRange: ${describeNetworkError(error)}`,
          {
            cause: error
          }
        )
      }
      // A server that ignores Range sends the whole blob; keep only what is new.
      if (status === 200 && offset > 0) data = data.subarray(Math.min(offset, data.length))
      return { status, data, etag: response.headers.get('etag') ?? undefined }
    }
    await expectStatus('GetBlobRange', response, [])
    throw new Error('unreachable')
  }

  /** Requests sent so far per blob operation, named `blob:<Operation>`. */
  requestCounts(): Record<string, number> {
    return Object.fromEntries([...this.counts].map(([k, v]) => [`blob:${k}`, v]))
  }

  private async send(operation: string, url: string, init: RequestInit): Promise<Response> {
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1)
    try {
      return await fetch(url, init)
    } catch (error) {
      const detail = init.signal?.aborted ? 'no answer in time' : describeNetworkError(error)
      throw new BlobError(operation, undefined, undefined, `${operation}: ${detail}`, {
        cause: error
      })
    }
  }
}

async function expectStatus(operation: string, response: Response, ok: number[]): Promise<void> {
  if (ok.includes(response.status)) {
    await response.body?.cancel()
    return
  }
  const code = response.headers.get('x-ms-error-code') ?? undefined
  let text = ''
  try {
    text = await response.text()
  } catch {
    // The body is only for the message; a broken one changes nothing.
  }
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? response.statusText
  throw new BlobError(
    operation,
    response.status,
    code,
    `${operation}: HTTP ${response.status}${code ? ` ${code}` : ''}: ${message.split('\n')[0]}`
  )
}
