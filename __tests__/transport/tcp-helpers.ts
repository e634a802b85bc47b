/** Real sockets on 127.0.0.1 for the TCP transport tests; everything opened is closed after each test. */
import type { ChildProcess } from 'node:child_process'
import { createConnection, type Socket } from 'node:net'
import { FrameDecoder, decodeMessage } from '../../src/protocol/framing.js'
import { PROTOCOL_VERSION, type Message } from '../../src/protocol/messages.js'
import type { Link, Listener } from '../../src/transport/link.js'
import { TcpTransport, parseHostPort } from '../../src/transport/tcp.js'

export const transport = new TcpTransport()
export const hello: Message = {
  type: 'hello',
  version: PROTOCOL_VERSION,
  role: 'worker',
  id: 'w-1',
  slots: 2,
  labels: []
}

export const listeners: Listener[] = []
export const links: Link[] = []
export const sockets: Socket[] = []
export const children: ChildProcess[] = []

// Registered by importing this module: every test file that uses these helpers cleans up.
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy()
  for (const child of children.splice(0)) child.kill('SIGKILL')
  await Promise.all(links.splice(0).map(link => link.close()))
  await Promise.all(listeners.splice(0).map(listener => listener.close()))
})

export async function listen(): Promise<Listener> {
  const listener = await transport.listen()
  listeners.push(listener)
  return listener
}

export async function connect(address: string): Promise<Link> {
  const link = await transport.connect(address, { timeoutMs: 10_000 })
  links.push(link)
  return link
}

/** The next link the listener accepts. */
export function accepted(listener: Listener): Promise<Link> {
  return new Promise(resolve =>
    listener.onLink(link => {
      links.push(link)
      resolve(link)
    })
  )
}

/** Resolves with the first `count` messages the link delivers. */
export function receive(link: Link, count: number): Promise<Message[]> {
  const got: Message[] = []
  return new Promise(resolve => {
    if (count === 0) resolve(got)
    link.onMessage(message => {
      got.push(message)
      if (got.length === count) resolve(got)
    })
  })
}

/** Resolves with every call of the close handler: the first one, plus any extra within a turn. */
export function closed(link: Link): Promise<(Error | undefined)[]> {
  const calls: (Error | undefined)[] = []
  return new Promise(resolve =>
    link.onClose(error => {
      calls.push(error)
      setTimeout(() => resolve(calls), 50)
    })
  )
}

/** A raw client socket, for speaking bytes a Link never would. */
export async function rawSocket(address: string): Promise<Socket> {
  const { host, port } = parseHostPort(address)
  const socket = createConnection({ host, port })
  sockets.push(socket)
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  socket.setNoDelay(true)
  return socket
}

/** Everything a raw socket receives until the server ends it, decoded as messages. */
export function rawReplies(socket: Socket): Promise<Message[]> {
  const decoder = new FrameDecoder()
  const got: Message[] = []
  return new Promise(resolve => {
    socket.on('data', chunk => got.push(...decoder.push(chunk).map(decodeMessage)))
    socket.on('close', () => resolve(got))
    socket.on('error', () => undefined)
  })
}

export function write(socket: Socket, bytes: Buffer | string): Promise<void> {
  return new Promise((resolve, reject) =>
    socket.write(bytes, error => (error ? reject(error) : resolve()))
  )
}

export async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise(resolve => setTimeout(resolve, 5))
}
