import { spawn, type ChildProcess } from 'node:child_process'
import { createConnection, type Socket } from 'node:net'
import { ClusterError, ProtocolError, UsageError } from '../../src/errors.js'
import { FrameDecoder, decodeMessage, encodeFrame, encodeMessage } from '../../src/protocol/framing.js'
import { PROTOCOL_VERSION, type Message } from '../../src/protocol/messages.js'
import type { Link, Listener } from '../../src/transport/link.js'
import { TcpTransport, formatHostPort, parseHostPort } from '../../src/transport/tcp.js'

const transport = new TcpTransport()
const hello: Message = { type: 'hello', version: PROTOCOL_VERSION, role: 'worker', id: 'w-1', slots: 2, labels: [] }

const listeners: Listener[] = []
const links: Link[] = []
const sockets: Socket[] = []
const children: ChildProcess[] = []

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy()
  for (const child of children.splice(0)) child.kill('SIGKILL')
  await Promise.all(links.splice(0).map(link => link.close()))
  await Promise.all(listeners.splice(0).map(listener => listener.close()))
})

async function listen(): Promise<Listener> {
  const listener = await transport.listen()
  listeners.push(listener)
  return listener
}

async function connect(address: string): Promise<Link> {
  const link = await transport.connect(address, { timeoutMs: 10_000 })
  links.push(link)
  return link
}

/** The next link the listener accepts. */
function accepted(listener: Listener): Promise<Link> {
  return new Promise(resolve =>
    listener.onLink(link => {
      links.push(link)
      resolve(link)
    })
  )
}

/** Resolves with the first `count` messages the link delivers. */
function receive(link: Link, count: number): Promise<Message[]> {
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
function closed(link: Link): Promise<(Error | undefined)[]> {
  const calls: (Error | undefined)[] = []
  return new Promise(resolve =>
    link.onClose(error => {
      calls.push(error)
      setTimeout(() => resolve(calls), 50)
    })
  )
}

/** A raw client socket, for speaking bytes a Link never would. */
async function rawSocket(address: string): Promise<Socket> {
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
function rawReplies(socket: Socket): Promise<Message[]> {
  const decoder = new FrameDecoder()
  const got: Message[] = []
  return new Promise(resolve => {
    socket.on('data', chunk => got.push(...decoder.push(chunk).map(decodeMessage)))
    socket.on('close', () => resolve(got))
    socket.on('error', () => undefined)
  })
}

function write(socket: Socket, bytes: Buffer | string): Promise<void> {
  return new Promise((resolve, reject) => socket.write(bytes, error => (error ? reject(error) : resolve())))
}

describe('parseHostPort', () => {
  test('reads host and port, IPv6 in brackets', () => {
    expect(parseHostPort('127.0.0.1:7700')).toEqual({ host: '127.0.0.1', port: 7700 })
    expect(parseHostPort('localhost:0')).toEqual({ host: 'localhost', port: 0 })
    expect(parseHostPort('[::1]:80')).toEqual({ host: '::1', port: 80 })
    expect(formatHostPort('::1', 80)).toBe('[::1]:80')
    expect(formatHostPort('127.0.0.1', 80)).toBe('127.0.0.1:80')
  })

  test.each(['127.0.0.1', ':7700', '127.0.0.1:', '127.0.0.1:70000', 'host:port', '::1:80', '[nope]:80', ''])(
    'refuses %j naming the value and the expected form',
    value => {
      expect(() => parseHostPort(value)).toThrow(UsageError)
      expect(() => parseHostPort(value)).toThrow(`'${value}' is not a TCP address; expected HOST:PORT`)
    }
  )
})

describe('TcpTransport', () => {
  test('listens on 127.0.0.1 and a real port by default', async () => {
    const listener = await listen()
    const { host, port } = parseHostPort(listener.address)
    expect(host).toBe('127.0.0.1')
    expect(port).toBeGreaterThan(0)
  })

  test('a bad listen address is a UsageError', async () => {
    await expect(transport.listen('nowhere')).rejects.toThrow(UsageError)
  })

  test('listening on a port in use is a ClusterError naming the address', async () => {
    const listener = await listen()
    const taken = transport.listen(listener.address)
    await expect(taken).rejects.toThrow(ClusterError)
    await expect(taken).rejects.toThrow(`cannot listen on ${listener.address}: listen EADDRINUSE`)
  })

  test('round trip both ways; peers are named', async () => {
    const listener = await listen()
    const serverSide = accepted(listener)
    const client = await connect(listener.address)
    const server = await serverSide
    expect(client.peer).toBe(listener.address)
    expect(server.peer).toMatch(/^127\.0\.0\.1:\d+$/)

    const atServer = receive(server, 1)
    client.send(hello)
    expect(await atServer).toEqual([hello])
    const atClient = receive(client, 1)
    const welcome: Message = { type: 'welcome', version: PROTOCOL_VERSION, clusterId: 'c-1', heartbeatMs: 1000 }
    server.send(welcome)
    expect(await atClient).toEqual([welcome])
  })

  test('many messages keep their order both ways', async () => {
    const listener = await listen()
    const serverSide = accepted(listener)
    const client = await connect(listener.address)
    const server = await serverSide
    const count = 2000
    const atServer = receive(server, count)
    const atClient = receive(client, count)
    for (let i = 0; i < count; i++) {
      client.send({ type: 'heartbeat', at: i })
      server.send({ type: 'heartbeat', at: count + i })
    }
    expect((await atServer).map(m => (m.type === 'heartbeat' ? m.at : NaN))).toEqual([...Array(count).keys()])
    expect((await atClient).map(m => (m.type === 'heartbeat' ? m.at - count : NaN))).toEqual([...Array(count).keys()])
  })

  test('links and messages are held until a handler is set', async () => {
    const listener = await listen()
    const client = await connect(listener.address)
    client.send(hello)
    client.send({ type: 'done' })
    await client.close()
    // Only now take the link and its messages: they waited, even past the close.
    const server = await accepted(listener)
    expect(await closed(server)).toEqual([undefined])
    expect(await receive(server, 2)).toEqual([hello, { type: 'done' }])
  })

  test('close() flushes what was sent, then both sides see one clean close', async () => {
    const listener = await listen()
    const serverSide = accepted(listener)
    const client = await connect(listener.address)
    const server = await serverSide
    const serverClosed = closed(server)
    const clientClosed = closed(client)
    const atServer = receive(server, 500)
    for (let i = 0; i < 500; i++) client.send({ type: 'heartbeat', at: i })
    await client.close()
    expect(await atServer).toHaveLength(500)
    expect(await serverClosed).toEqual([undefined])
    expect(await clientClosed).toEqual([undefined])
  })

  test('the server side closing ends the client cleanly; close() is idempotent', async () => {
    const listener = await listen()
    const serverSide = accepted(listener)
    const client = await connect(listener.address)
    const server = await serverSide
    const clientClosed = closed(client)
    await Promise.all([server.close(), server.close()])
    await server.close()
    expect(await clientClosed).toEqual([undefined])
  })

  test('onClose on a closed link is called at once; send on it is dropped silently', async () => {
    const listener = await listen()
    const serverSide = accepted(listener)
    const client = await connect(listener.address)
    const server = await serverSide
    const got: Message[] = []
    server.onMessage(message => got.push(message))
    await client.close()
    expect(await closed(client)).toEqual([undefined])
    expect(() => client.send(hello)).not.toThrow()
    expect(await closed(server)).toEqual([undefined])
    expect(() => server.send(hello)).not.toThrow()
    expect(got).toEqual([])
  })

  test('a peer that resets the connection closes the link with an error', async () => {
    const listener = await listen()
    const serverSide = accepted(listener)
    const socket = await rawSocket(listener.address)
    const server = await serverSide
    const serverClosed = closed(server)
    socket.resetAndDestroy()
    const [error] = await serverClosed
    // Errors from node:net come from another realm than the test's, so no instanceof here.
    expect((error as NodeJS.ErrnoException | undefined)?.code).toBe('ECONNRESET')
  })

  test('frames written byte by byte from a raw socket arrive whole', async () => {
    const listener = await listen()
    const serverSide = accepted(listener)
    const socket = await rawSocket(listener.address)
    const server = await serverSide
    const messages: Message[] = [hello, { type: 'error', code: 'x', message: 'ünïcødé ✓' }, { type: 'done' }]
    const atServer = receive(server, messages.length)
    const bytes = Buffer.concat(messages.map(encodeMessage))
    for (let i = 0; i < bytes.length; i++) {
      await write(socket, bytes.subarray(i, i + 1))
      if (i % 16 === 0) await new Promise(resolve => setImmediate(resolve))
    }
    expect(await atServer).toEqual(messages)
  })

  test.each([
    ['an oversized frame', Buffer.from([0x7f, 0xff, 0xff, 0xff, 1, 0]), /frame of 2147483647 bytes exceeds the 67108864-byte limit/],
    ['text where frames belong', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), /exceeds the 67108864-byte limit/],
    ['an unknown frame version', Buffer.from([0, 0, 0, 2, 71, 0]), /unknown frame version 71/],
    ['a keepalive frame on TCP', encodeFrame(1), /expected a message frame, got a keepalive frame/],
    ['a frame that is not JSON', encodeFrame(0, Buffer.from('{nope')), /not valid UTF-8 JSON/],
    ['an unknown message', encodeFrame(0, Buffer.from('{"type":"launch"}')), /unknown message type "launch"/]
  ])('%s closes only that link, with a ProtocolError the peer is told', async (_what, bytes, pattern) => {
    const listener = await listen()
    const serverLinks: Link[] = []
    listener.onLink(link => {
      serverLinks.push(link)
      links.push(link)
    })
    const good = await connect(listener.address)
    const bad = await rawSocket(listener.address)
    const replies = rawReplies(bad)
    await waitUntil(() => serverLinks.length === 2)
    const [goodServer, badServer] = serverLinks as [Link, Link]
    // Which accepted link is the raw one is not known in advance: the one whose peer port matches.
    const raw = badServer.peer.endsWith(`:${bad.localPort}`) ? badServer : goodServer
    const kept = raw === badServer ? goodServer : badServer
    const rawClosed = closed(raw)
    await write(bad, Buffer.concat([encodeMessage(hello), bytes]))
    const [error] = await rawClosed
    expect(error).toBeInstanceOf(ProtocolError)
    expect(error?.message).toMatch(pattern)
    // The peer hears why before the connection ends.
    expect(await replies).toEqual([{ type: 'error', code: 'protocol', message: error?.message }])

    // The other link and the listener carry on.
    const atKept = receive(kept, 1)
    good.send(hello)
    expect(await atKept).toEqual([hello])
    const next = accepted(listener)
    const late = await connect(listener.address)
    const lateServer = await next
    const atLate = receive(lateServer, 1)
    late.send({ type: 'done' })
    expect(await atLate).toEqual([{ type: 'done' }])
  })

  test('a peer ending mid-frame closes the link with a ProtocolError', async () => {
    const listener = await listen()
    const serverSide = accepted(listener)
    const socket = await rawSocket(listener.address)
    const server = await serverSide
    const serverClosed = closed(server)
    await write(socket, encodeMessage(hello).subarray(0, 10))
    socket.end()
    const [error] = await serverClosed
    expect(error).toBeInstanceOf(ProtocolError)
    expect(error?.message).toMatch(/closed the connection in the middle of a frame \(10 bytes held\)/)
  })

  test('a hello of another protocol version surfaces as the ProtocolError of validateMessage', async () => {
    const listener = await listen()
    const serverSide = accepted(listener)
    const client = await connect(listener.address)
    const server = await serverSide
    const serverClosed = closed(server)
    const clientClosed = closed(client)
    const atClient = receive(client, 1)
    client.send({ ...hello, version: PROTOCOL_VERSION + 1 } as Message)
    const [error] = await serverClosed
    expect(error).toBeInstanceOf(ProtocolError)
    expect(error?.message).toBe(
      `protocol version mismatch: peer speaks ${PROTOCOL_VERSION + 1}, this side speaks ${PROTOCOL_VERSION}`
    )
    expect(await atClient).toEqual([{ type: 'error', code: 'protocol', message: error?.message }])
    expect(await clientClosed).toEqual([undefined])
  })

  test('connecting where nobody listens names the address and the cause', async () => {
    const listener = await listen()
    const address = listener.address
    await listener.close()
    const attempt = transport.connect(address, { timeoutMs: 10_000 })
    await expect(attempt).rejects.toThrow(ClusterError)
    await expect(attempt).rejects.toThrow(`cannot reach broker at ${address}: connect ECONNREFUSED`)
  })

  test('a connection that never completes fails after the limit, naming address and limit', async () => {
    // A listening socket that never accepts, with a backlog of 0: once its queue is full,
    // the kernel drops further SYNs and connect() hangs.
    const child = spawn(
      'python3',
      [
        '-c',
        'import socket,sys,time\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(120)'
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] }
    )
    children.push(child)
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout?.once('data', (data: Buffer) => resolve(Number(data.toString().trim())))
      child.once('error', reject)
    })
    const address = `127.0.0.1:${port}`
    const outcomes: string[] = []
    for (let i = 0; i < 6 && !outcomes.some(o => o.includes('no connection')); i++) {
      try {
        links.push(await transport.connect(address, { timeoutMs: 750 }))
        outcomes.push('connected')
      } catch (error) {
        outcomes.push((error as Error).message)
      }
    }
    expect(outcomes).toContain(`cannot reach broker at ${address}: no connection within 750 ms`)
  })
})

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise(resolve => setTimeout(resolve, 5))
}
