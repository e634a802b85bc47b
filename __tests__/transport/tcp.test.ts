import { ClusterError, UsageError } from '../../src/errors.js'
import { PROTOCOL_VERSION, type Message } from '../../src/protocol/messages.js'
import { formatHostPort, parseHostPort } from '../../src/transport/tcp.js'
import { accepted, closed, connect, hello, listen, receive, transport } from './tcp-helpers.js'

describe('parseHostPort', () => {
  test('reads host and port, IPv6 in brackets', () => {
    expect(parseHostPort('127.0.0.1:7700')).toEqual({ host: '127.0.0.1', port: 7700 })
    expect(parseHostPort('localhost:0')).toEqual({ host: 'localhost', port: 0 })
    expect(parseHostPort('[::1]:80')).toEqual({ host: '::1', port: 80 })
    expect(formatHostPort('::1', 80)).toBe('[::1]:80')
    expect(formatHostPort('127.0.0.1', 80)).toBe('127.0.0.1:80')
  })

  test.each([
    '127.0.0.1',
    ':7700',
    '127.0.0.1:',
    '127.0.0.1:70000',
    'host:port',
    '::1:80',
    '[nope]:80',
    ''
  ])('refuses %j naming the value and the expected form', value => {
    expect(() => parseHostPort(value)).toThrow(UsageError)
    expect(() => parseHostPort(value)).toThrow(
      `'${value}' is not a TCP address; expected HOST:PORT`
    )
  })
})

describe('TcpTransport links', () => {
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
    const welcome: Message = {
      type: 'welcome',
      version: PROTOCOL_VERSION,
      clusterId: 'c-1',
      heartbeatMs: 1000
    }
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
    expect((await atServer).map(m => (m.type === 'heartbeat' ? m.at : NaN))).toEqual([
      ...Array(count).keys()
    ])
    expect((await atClient).map(m => (m.type === 'heartbeat' ? m.at - count : NaN))).toEqual([
      ...Array(count).keys()
    ])
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
})
