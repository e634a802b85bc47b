/**
 * The Blob REST calls squall makes on signed URLs, over fetch: append blobs for streams
 * (create, append at a known position, length, read from an offset) and block blobs for
 * layers (Put Blob, Put Block, Put Block List, Get Blob). Each call is one request (no
 * retries here: callers know which failures are safe to repeat) and is counted.
 */
import { BlobError } from './errors.js'
import { describeNetworkError } from './retry.js'

const apiVersion = '2023-11-03'

/** The outcome of a range read. `data` is empty when nothing new was there. */
export interface RangeRead {
  status: number
  data: Buffer
  etag?: string
}

type Init = RequestInit & { headers?: Record<string, string> }

/** Blob requests with per-operation counts. */
export class BlobHttp {
  private readonly counts = new Map<string, number>()

  /** PUT an empty append blob (the URL must allow create/write). */
  async createAppendBlob(url: string, signal: AbortSignal): Promise<void> {
    await this.request('CreateAppendBlob', url, 201, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'AppendBlob' },
      signal
    })
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
    await this.request('AppendBlock', withParams(url, { comp: 'appendblock' }), 201, {
      method: 'PUT',
      headers: { 'x-ms-blob-condition-appendpos': String(position) },
      body: data,
      signal
    })
  }

  /** The blob's length in bytes. */
  async blobLength(url: string, signal: AbortSignal): Promise<number> {
    const response = await this.request('GetBlobProperties', url, 200, { method: 'HEAD', signal })
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
    const headers: Record<string, string> = { range: `bytes=${offset}-` }
    if (etag) headers['if-none-match'] = etag
    const response = await this.send('GetBlobRange', url, { method: 'GET', headers, signal })
    const status = response.status
    if (status === 304 || status === 416) {
      await response.body?.cancel()
      return { status, data: Buffer.alloc(0), etag: response.headers.get('etag') ?? etag }
    }
    if (status !== 200 && status !== 206) throw await failure('GetBlobRange', response)
    let data: Buffer
    try {
      data = Buffer.from(await response.arrayBuffer())
    } catch (error) {
      // The answer broke off; nothing was consumed, so the next read asks again.
      throw brokenOff('GetBlobRange', error)
    }
    // A server that ignores Range sends the whole blob; keep only what is new.
    if (status === 200 && offset > 0) data = data.subarray(Math.min(offset, data.length))
    return { status, data, etag: response.headers.get('etag') ?? undefined }
  }

  /** Uploads a whole block blob in one request. */
  async putBlob(
    url: string,
    body: Buffer,
    contentType: string,
    signal: AbortSignal
  ): Promise<void> {
    await this.request('PutBlob', url, 201, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob', 'x-ms-blob-content-type': contentType },
      body,
      signal
    })
  }

  /** Stages one block of a block blob; `id` is base64 and as long as every other id. */
  async putBlock(url: string, id: string, body: Buffer, signal: AbortSignal): Promise<void> {
    const target = withParams(url, { comp: 'block', blockid: id })
    await this.request('PutBlock', target, 201, { method: 'PUT', body, signal })
  }

  /** Commits the staged blocks `ids`, in that order, as the blob's content. */
  async putBlockList(
    url: string,
    ids: string[],
    contentType: string,
    signal: AbortSignal
  ): Promise<void> {
    const list = `<?xml version="1.0" encoding="utf-8"?><BlockList>${ids.map(id => `<Latest>${id}</Latest>`).join('')}</BlockList>`
    await this.request('PutBlockList', withParams(url, { comp: 'blocklist' }), 201, {
      method: 'PUT',
      headers: { 'content-type': 'application/xml', 'x-ms-blob-content-type': contentType },
      body: list,
      signal
    })
  }

  /**
   * The whole blob, as chunks to read once the answer is in. A failure while reading them is
   * a BlobError of GetBlob with no status (the answer broke off).
   */
  async getBlob(url: string, signal: AbortSignal): Promise<AsyncIterable<Uint8Array>> {
    const response = await this.send('GetBlob', url, { method: 'GET', signal })
    if (response.status !== 200) throw await failure('GetBlob', response)
    const body = response.body
    return (async function* chunks() {
      if (!body) return
      try {
        for await (const chunk of body) yield chunk
      } catch (error) {
        throw brokenOff('GetBlob', error)
      }
    })()
  }

  /** Requests sent so far per blob operation, named `blob:<Operation>`. */
  requestCounts(): Record<string, number> {
    return Object.fromEntries([...this.counts].map(([k, v]) => [`blob:${k}`, v]))
  }

  /** One request whose answer must be `ok`; the body is dropped. */
  private async request(operation: string, url: string, ok: number, init: Init): Promise<Response> {
    const response = await this.send(operation, url, init)
    if (response.status !== ok) throw await failure(operation, response)
    await response.body?.cancel()
    return response
  }

  /** One counted request; a BlobError without status when no answer comes. */
  private async send(operation: string, url: string, init: Init): Promise<Response> {
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1)
    try {
      return await fetch(url, { ...init, headers: { 'x-ms-version': apiVersion, ...init.headers } })
    } catch (error) {
      const detail = init.signal?.aborted ? 'no answer in time' : describeNetworkError(error)
      throw new BlobError(operation, undefined, undefined, `${operation}: ${detail}`, {
        cause: error
      })
    }
  }
}

function withParams(url: string, params: Record<string, string>): string {
  const target = new URL(url)
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value)
  return target.href
}

function brokenOff(operation: string, error: unknown): BlobError {
  const message = `${operation}: ${describeNetworkError(error)}`
  return new BlobError(operation, undefined, undefined, message, { cause: error })
}

/** The BlobError an unexpected answer stands for, with Azure's code and message. */
async function failure(operation: string, response: Response): Promise<BlobError> {
  const code = response.headers.get('x-ms-error-code') ?? undefined
  // The body is only for the message; a broken one changes nothing.
  const text = await response.text().catch(() => '')
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? response.statusText
  return new BlobError(
    operation,
    response.status,
    code,
    `${operation}: HTTP ${response.status}${code ? ` ${code}` : ''}: ${message.split('\n')[0]}`
  )
}
