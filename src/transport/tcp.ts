/** Links over TCP: one socket per link, message frames both ways. The embedded default. */
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { ClusterError } from '../errors.js'
import { formatHostPort, parseHostPort } from './host-port.js'
import type { Link, LinkHandler, Listener, Transport } from './link.js'
import { TcpLink, type UntrustedLimits } from './tcp-link.js'

export { formatHostPort, isLoopbackHost, parseHostPort, type HostPort } from './host-port.js'
export { TcpLink, type UntrustedLimits } from './tcp-link.js'

/** Default limit for connect(), ms. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000

/** What an accepted peer may do before it is trusted: 64 KiB frames (a hello is far smaller), 10 s. */
export const DEFAULT_UNTRUSTED_LIMITS: UntrustedLimits = {
  maxFrameBytes: 64 * 1024,
  handshakeMs: 10_000
}

/** Connections still in their handshake beyond this many are dropped at once. */
export const MAX_PENDING_LINKS = 128

class TcpListener implements Listener {
  private handler?: LinkHandler
  private held: Link[] = []
  private closed = false
  private pending = new Set<TcpLink>()

  constructor(
    private readonly server: Server,
    readonly address: string,
    limits: UntrustedLimits
  ) {
    server.on('connection', (socket: Socket) => {
      for (const link of this.pending) if (!link.pending) this.pending.delete(link)
      if (this.pending.size >= MAX_PENDING_LINKS) {
        socket.destroy()
        return
      }
      const link = new TcpLink(
        socket,
        formatHostPort(socket.remoteAddress ?? '?', socket.remotePort ?? 0),
        limits
      )
      this.pending.add(link)
      if (this.handler) this.handler(link)
      else this.held.push(link)
    })
    // Accept failures (e.g. out of file descriptors) are passing; without a listener they would
    // crash the process. Links already accepted report their own errors.
    server.on('error', () => undefined)
  }

  onLink(handler: LinkHandler): void {
    this.handler = handler
    const held = this.held
    this.held = []
    for (const link of held) handler(link)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    // server.close() stops accepting at once; its callback would wait for every accepted link to
    // close, which is not what closing a listener means here.
    this.server.close()
  }
}

/** TCP on `host:port` addresses. Links and listeners follow the contract in link.ts. */
export class TcpTransport implements Transport {
  readonly name = 'tcp'

  /**
   * Listens on `host:port` (default `127.0.0.1:0`); the listener's address has the real port.
   * Accepted peers are held to `untrusted` limits until the broker admits them.
   */
  async listen(
    address = '127.0.0.1:0',
    options: { untrusted?: Partial<UntrustedLimits> } = {}
  ): Promise<Listener> {
    const limits = { ...DEFAULT_UNTRUSTED_LIMITS, ...options.untrusted }
    const { host, port } = parseHostPort(address)
    return await new Promise((resolve, reject) => {
      const server = createServer()
      server.once('error', error =>
        reject(new ClusterError(`cannot listen on ${address}: ${error.message}`))
      )
      server.listen(port, host, () => {
        server.removeAllListeners('error')
        const bound = server.address()
        const actual = typeof bound === 'object' && bound !== null ? bound.port : port
        resolve(new TcpListener(server, formatHostPort(host, actual), limits))
      })
    })
  }

  /** Connects to `host:port`; ClusterError naming the address when it cannot within the limit. */
  async connect(address: string, options: { timeoutMs?: number } = {}): Promise<Link> {
    const { host, port } = parseHostPort(address)
    const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
    return await new Promise((resolve, reject) => {
      const socket = createConnection({ host, port })
      const timer = setTimeout(() => {
        socket.destroy()
        reject(
          new ClusterError(
            `cannot reach broker at ${address}: no connection within ${timeoutMs} ms`
          )
        )
      }, timeoutMs)
      socket.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer)
        const reason =
          error.syscall && error.code ? `${error.syscall} ${error.code}` : error.message
        reject(new ClusterError(`cannot reach broker at ${address}: ${reason}`))
      })
      socket.once('connect', () => {
        clearTimeout(timer)
        socket.removeAllListeners('error')
        resolve(new TcpLink(socket, address))
      })
    })
  }
}
