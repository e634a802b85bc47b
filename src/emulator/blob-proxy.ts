/**
 * A small HTTP proxy in front of Azurite that every signed URL points at: it counts blob
 * operations and answer codes, and injects latency and faults on blob requests when asked,
 * including answers lost after the operation was applied.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import { listenFront, type Front, type FrontOptions } from './front.js'

/** Names a blob request the way Azure's REST API names the operation. */
export function blobOperation(
  method: string,
  url: string,
  headers: http.IncomingHttpHeaders
): string {
  const comp = new URL(url, 'http://x').searchParams.get('comp') ?? ''
  const ranged = headers['range'] !== undefined || headers['x-ms-range'] !== undefined
  switch (`${method} ${comp}`) {
    case 'PUT ':
      return headers['x-ms-blob-type'] === 'AppendBlob' ? 'CreateAppendBlob' : 'PutBlob'
    case 'PUT appendblock':
      return 'AppendBlock'
    case 'PUT block':
      return 'PutBlock'
    case 'PUT blocklist':
      return 'PutBlockList'
    case 'GET ':
      return ranged ? 'GetBlobRange' : 'GetBlob'
    case 'HEAD ':
      return 'GetBlobProperties'
    case 'DELETE ':
      return 'DeleteBlob'
    default:
      return `${method}${comp ? ` ${comp}` : ''}`
  }
}

/** What the proxy needs from the emulator. */
export interface BlobProxyOptions extends FrontOptions {
  /** Azurite's service root, http://127.0.0.1:<port>. */
  target: string
}

/** A running proxy; its URL has no trailing slash. */
export type BlobProxy = Front

/** The blob size when a 206 is empty because the range starts at the end (`bytes 5-4/5`). */
export function emptyRangeSize(
  status: number | undefined,
  contentRange: string | undefined
): number | undefined {
  if (status !== 206 || !contentRange) return undefined
  const m = /^bytes (\d+)-(-?\d+)\/(\d+)$/.exec(contentRange)
  if (!m || Number(m[2]) >= Number(m[1])) return undefined
  return Number(m[3])
}

/** Azure's message when a SAS is used past its `se` expiry; undefined while it is valid. */
export function sasExpired(url: string, nowMs: number): string | undefined {
  const params = new URL(url, 'http://x').searchParams
  const se = params.get('se')
  if (!se || !params.get('sig')) return undefined
  const expiry = Date.parse(se)
  if (Number.isNaN(expiry) || nowMs <= expiry) return undefined
  const st = params.get('st') ?? ''
  return (
    'Server failed to authenticate the request. Make sure the value of Authorization header is ' +
    `formed correctly including the signature. Signed expiry time [${se}] has passed: ` +
    `Start [${st}] - Expiry [${se}] - Current [${new Date(nowMs).toUTCString()}]`
  )
}

function azureError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  extra: Record<string, string> = {}
): void {
  const body = `\uFEFF<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`
  res.writeHead(status, {
    ...extra,
    'content-type': 'application/xml',
    'x-ms-error-code': code,
    'content-length': Buffer.byteLength(body)
  })
  res.end(body)
}

/** Starts the proxy on a free port. */
export async function startBlobProxy(options: BlobProxyOptions): Promise<BlobProxy> {
  const target = new URL(options.target)
  const agent = new http.Agent({ keepAlive: true })

  const count = (operation: string, status: number): void => {
    options.counters.add(`blob-status:${status}`)
    options.counters.add(`blob-status:${operation}:${status}`)
  }

  /** Passes the request to Azurite; with `lose`, Azurite's answer is dropped once it is in. */
  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    operation: string,
    lose?: 'lost-drop' | 'lost-500'
  ): void => {
    const headers = { ...req.headers, host: target.host }
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers,
        agent
      },
      up => {
        if (lose) {
          // The operation is done in the store; only its answer goes missing.
          count(operation, up.statusCode ?? 502)
          up.resume()
          up.once('end', () => {
            options.counters.add(`fault:blob:${lose}`)
            options.counters.add(`fault:blob:${operation}:lost`)
            if (lose === 'lost-drop') req.socket.destroy()
            else azureError(res, 500, 'InternalError', 'The server encountered an internal error.')
          })
          return
        }
        const size = emptyRangeSize(up.statusCode, up.headers['content-range'])
        if (size !== undefined) {
          // Azure answers a range starting at the end of the blob with 416; Azurite with an
          // empty 206. Readers must see what Azure does.
          up.resume()
          count(operation, 416)
          azureError(
            res,
            416,
            'InvalidRange',
            'The range specified is invalid for the current size of the resource.',
            {
              'content-range': `bytes */${size}`
            }
          )
          return
        }
        count(operation, up.statusCode ?? 502)
        res.writeHead(up.statusCode ?? 502, up.statusMessage, up.rawHeaders)
        up.pipe(res)
      }
    )
    upstream.on('error', e => {
      options.log?.(`blob proxy: upstream ${operation} failed: ${e.message}`)
      if (!res.headersSent)
        azureError(res, 502, 'BadGateway', 'the storage emulator did not answer')
      else res.destroy()
    })
    req.pipe(upstream)
  }

  const server = http.createServer((req, res) => {
    const operation = blobOperation(req.method ?? 'GET', req.url ?? '/', req.headers)
    options.counters.add('blob:requests')
    options.counters.add(`blob:${operation}`)
    const decision = options.decide(operation)
    const act = (): void => {
      const expired = sasExpired(req.url ?? '/', Date.now())
      if (expired) {
        // Azurite refuses too, but as AuthorizationFailure; Azure says AuthenticationFailed.
        req.resume()
        count(operation, 403)
        azureError(res, 403, 'AuthenticationFailed', expired)
        return
      }
      switch (decision.fault) {
        case 'drop':
          options.counters.add('fault:blob:drop')
          req.socket.destroy()
          return
        case '429':
          options.counters.add('fault:blob:503')
          req.resume()
          azureError(res, 503, 'ServerBusy', 'The server is currently unable to receive requests.')
          return
        case '500':
          options.counters.add('fault:blob:500')
          req.resume()
          azureError(res, 500, 'InternalError', 'The server encountered an internal error.')
          return
        case 'lost-drop':
        case 'lost-500':
          forward(req, res, operation, decision.fault)
          return
        default:
          forward(req, res, operation)
      }
    }
    if (decision.latencyMs > 0) setTimeout(act, decision.latencyMs)
    else act()
  })
  return listenFront(server, options.host, '', () => agent.destroy())
}
