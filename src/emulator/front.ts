/**
 * What the emulator's two HTTP fronts (Twirp and the blob proxy) share: the options they take
 * from the emulator, and listening on a free port with a close that does not wait for
 * keep-alive connections.
 */
import type { Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { Counters } from './counters.js'
import type { FaultDecision } from './faults.js'

/** What a front needs from the emulator. */
export interface FrontOptions {
  host: string
  counters: Counters
  /** The fate of one request to `name` (a Twirp method, a blob operation); once per request. */
  decide: (name: string) => FaultDecision
  log?: (msg: string) => void
}

/** A running front. */
export interface Front {
  /** http://host:port, with the trailing slash when the front says so. */
  url: string
  close(): Promise<void>
}

/**
 * Listens on a free port of `host`; `close` destroys the open connections, runs `onClose`
 * and resolves once the server has closed. `path` ends the URL (`/` or nothing).
 */
export async function listenFront(
  server: Server,
  host: string,
  path: '' | '/',
  onClose: () => void = () => undefined
): Promise<Front> {
  const sockets = new Set<Socket>()
  server.on('connection', s => {
    sockets.add(s)
    s.once('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${host}:${port}${path}`,
    close: () =>
      new Promise<void>(resolve => {
        for (const s of sockets) s.destroy()
        onClose()
        server.close(() => resolve())
      })
  }
}
