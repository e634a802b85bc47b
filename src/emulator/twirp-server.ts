/**
 * The Twirp HTTP front: routes `POST /twirp/<service>/<method>`, authenticates the bearer
 * runtime token, counts requests, injects faults, and turns handler errors into Twirp errors.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import { verifyRuntimeToken, type BackendIds } from '../results-store/index.js'
import type { Handler } from './artifact-service.js'
import { listenFront, type Front, type FrontOptions } from './front.js'
import { TwirpError, readJson, sendJson, sendTwirpError } from './twirp.js'

/** Service name → method name → handler. */
export type ServiceTable = Record<string, Record<string, Handler>>

/** What the Twirp front needs from the emulator. */
export interface TwirpServerOptions extends FrontOptions {
  services: ServiceTable
  secret: string
}

/** A running Twirp front; its URL ends in `/`. */
export type TwirpServer = Front

function authenticate(req: IncomingMessage, secret: string): BackendIds {
  const header = req.headers['authorization'] ?? ''
  const m = /^Bearer\s+(\S+)$/i.exec(header)
  if (!m) throw new TwirpError('unauthenticated', 'a bearer runtime token is required')
  try {
    return verifyRuntimeToken(m[1], secret)
  } catch (e) {
    throw new TwirpError('unauthenticated', e instanceof Error ? e.message : String(e))
  }
}

const routePattern = /^\/twirp\/([\w.]+)\/(\w+)$/

/** Starts the Twirp front on a free port. */
export async function startTwirpServer(options: TwirpServerOptions): Promise<TwirpServer> {
  const { counters } = options

  /** Serves the request; with `lose`, the work is done and then the answer is lost. */
  const serve = async (
    req: IncomingMessage,
    res: ServerResponse,
    handler: Handler,
    lose?: 'lost-drop' | 'lost-500'
  ): Promise<void> => {
    const caller = authenticate(req, options.secret)
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
    if (type !== 'application/json') {
      throw new TwirpError(
        'bad_route',
        `unexpected Content-Type '${type}'; only application/json is served`
      )
    }
    const body = await readJson(req)
    const answer = await handler(caller, body)
    if (lose) {
      loseAnswer(req, res, lose)
      return
    }
    sendJson(res, 200, answer)
  }

  const loseAnswer = (
    req: IncomingMessage,
    res: ServerResponse,
    how: 'lost-drop' | 'lost-500'
  ): void => {
    counters.add(`fault:twirp:${how}`)
    counters.add(`fault:twirp:${routePattern.exec((req.url ?? '/').split('?')[0])?.[2]}:lost`)
    if (how === 'lost-drop') req.socket.destroy()
    else sendTwirpError(res, new TwirpError('internal', 'internal error (injected fault)'))
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0]
    const route = routePattern.exec(path)
    const handler = route ? options.services[route[1]]?.[route[2]] : undefined
    if (req.method !== 'POST' || !route || !handler) {
      counters.add('twirp:bad_route')
      req.resume()
      sendTwirpError(res, new TwirpError('bad_route', `no handler for ${req.method} ${path}`))
      return
    }
    const method = route[2]
    counters.add('twirp:requests')
    counters.add(`twirp:${method}`)
    const decision = options.decide(method)
    const act = (): void => {
      if (decision.fault === 'drop') {
        counters.add('fault:twirp:drop')
        req.socket.destroy()
        return
      }
      if (decision.fault === '429' || decision.fault === '500') {
        counters.add(`fault:twirp:${decision.fault}`)
        req.resume()
        const error =
          decision.fault === '429'
            ? new TwirpError('resource_exhausted', 'rate limit exceeded (injected fault)')
            : new TwirpError('internal', 'internal error (injected fault)')
        sendTwirpError(res, error)
        return
      }
      const lose =
        decision.fault === 'lost-drop' || decision.fault === 'lost-500' ? decision.fault : undefined
      serve(req, res, handler, lose).catch((e: unknown) => {
        const error =
          e instanceof TwirpError
            ? e
            : new TwirpError('internal', e instanceof Error ? e.message : String(e))
        if (!(e instanceof TwirpError)) options.log?.(`${method} failed: ${error.message}`)
        counters.add(`twirp-error:${method}:${error.code}`)
        req.resume()
        // A refused request applied nothing, but its answer is lost all the same.
        if (lose) loseAnswer(req, res, lose)
        else if (!res.headersSent) sendTwirpError(res, error)
      })
    }
    if (decision.latencyMs > 0) setTimeout(act, decision.latencyMs)
    else act()
  }

  return listenFront(http.createServer(onRequest), options.host, '/')
}
