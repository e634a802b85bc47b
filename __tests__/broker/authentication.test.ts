/**
 * Authenticated links over real TCP: a peer without the cluster secret (or with a wrong one)
 * can neither submit nor receive a job, a worker refuses a broker that cannot prove the
 * secret, and unauthenticated peers are held to a small frame and a short deadline.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createConnection, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Broker } from '../../src/broker/broker.js'
import { ClusterError } from '../../src/errors.js'
import { commandsFramework } from '../../src/frameworks/commands/commands.js'
import { secretKey } from '../../src/protocol/cluster-secret.js'
import { FrameDecoder, decodeMessage } from '../../src/protocol/framing.js'
import { PeerHandshake } from '../../src/protocol/handshake.js'
import { PROTOCOL_VERSION, type Message } from '../../src/protocol/messages.js'
import type { JobResult, JobSpec } from '../../src/protocol/types.js'
import type { RunEvent } from '../../src/runner/events.js'
import { runSuite } from '../../src/runner/runner.js'
import type { Link, Listener } from '../../src/transport/link.js'
import { TcpTransport, parseHostPort } from '../../src/transport/tcp.js'
import { executeJob } from '../../src/worker/executor.js'
import { runWorker } from '../../src/worker/worker.js'
import { cliBundle, runCliProcess } from '../helpers/cli.js'

const SECRET = 'correct horse battery staple, 32+ characters long'
const WRONG = 'another secret of plenty of characters'
const transport = new TcpTransport()

let dir: string
const stops: Array<() => Promise<void>> = []
const sockets: Socket[] = []
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'squall-auth-'))
})
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy()
  for (const stop of stops.splice(0).reverse()) await stop()
  rmSync(dir, { recursive: true, force: true })
})

async function startBroker(
  options: { secret?: string; handshakeMs?: number } = {}
): Promise<Broker & { address: string }> {
  const listener: Listener = await transport.listen('127.0.0.1:0', {
    untrusted: options.handshakeMs !== undefined ? { handshakeMs: options.handshakeMs } : {}
  })
  const broker = new Broker({
    listener,
    clusterId: 'auth-test',
    heartbeatMs: 5000,
    tickMs: 50,
    secret: options.secret
  })
  broker.start()
  stops.push(() => broker.stop('test over'))
  return Object.assign(broker, { address: listener.address })
}

function jobsFile(jobs: object[]): string {
  const path = join(dir, 'jobs.json')
  writeFileSync(path, JSON.stringify(jobs))
  return path
}

function workerContext(id: string): Parameters<typeof runWorker>[0]['context'] {
  return {
    workDir: dir,
    jobsRoot: join(dir, `jobs-${id}`),
    outputCapBytes: 64 * 1024,
    killGraceMs: 500
  }
}

/** A link whose every message is recorded; `until` waits for one of a type. */
async function rawLink(address: string): Promise<{
  link: Link
  messages: Message[]
  closed: Promise<void>
  until(type: string): Promise<Message>
}> {
  const link = await transport.connect(address, { timeoutMs: 10_000 })
  stops.push(() => link.close())
  const messages: Message[] = []
  const waiters: Array<{ type: string; resolve: (m: Message) => void }> = []
  link.onMessage(message => {
    messages.push(message)
    for (const w of waiters.filter(w => w.type === message.type)) {
      waiters.splice(waiters.indexOf(w), 1)
      w.resolve(message)
    }
  })
  const closed = new Promise<void>(resolve => link.onClose(() => resolve()))
  return {
    link,
    messages,
    closed,
    until: type =>
      new Promise(resolve => {
        const seen = messages.find(m => m.type === type)
        if (seen) resolve(seen)
        else waiters.push({ type, resolve })
      })
  }
}

const job = (id: string): JobSpec => ({
  id,
  name: id,
  command: 'echo stolen',
  timeoutMs: 10_000,
  labels: [],
  layers: [],
  attempt: 1
})

describe('a broker with a cluster secret', () => {
  test('the good path: runner and worker prove the secret, jobs run, the job sees no secret', async () => {
    const broker = await startBroker({ secret: SECRET })
    const worker = runWorker({
      id: 'w-good',
      slots: 2,
      labels: [],
      secret: SECRET,
      connect: () => transport.connect(broker.address),
      context: {
        ...workerContext('w-good'),
        env: { ...process.env, SQUALL_CLUSTER_SECRET: SECRET }
      }
    })
    const results: JobResult[] = []
    const summary = await runSuite({
      connect: () => transport.connect(broker.address),
      secret: SECRET,
      framework: commandsFramework,
      cwd: dir,
      args: [],
      jobsFile: jobsFile([
        { name: 'env', command: 'env' },
        { name: 'ok', command: 'echo ok' }
      ]),
      timeoutMs: 10_000,
      slots: 2,
      retries: 0,
      failOnFlaky: false,
      timingsPath: '',
      onEvent: (event: RunEvent) => {
        if (event.type === 'job-finished') results.push(event.result)
      }
    })
    expect(summary.passed).toBe(2)
    expect((await worker).code).toBe(0)
    const printed = results.find(r => r.stdout.text.includes('PATH='))?.stdout.text ?? ''
    expect(printed).toContain('SQUALL_WORKER=w-good')
    expect(printed).not.toContain('SQUALL_CLUSTER_SECRET')
    expect(printed).not.toContain(SECRET)
  })

  test.each([
    ['without the secret', undefined, /requires the cluster secret/],
    ['with a wrong secret', WRONG, /auth-failed/]
  ])('a rogue runner %s cannot submit', async (_what, secret, pattern) => {
    const broker = await startBroker({ secret: SECRET })
    const run = runSuite({
      connect: () => transport.connect(broker.address),
      secret,
      framework: commandsFramework,
      cwd: dir,
      args: [],
      jobsFile: jobsFile([{ name: 'evil', command: 'echo pwned' }]),
      timeoutMs: 10_000,
      slots: 1,
      retries: 0,
      failOnFlaky: false,
      timingsPath: '',
      welcomeTimeoutMs: 20_000,
      onEvent: () => undefined
    })
    await expect(run).rejects.toThrow(ClusterError)
    await expect(run).rejects.toThrow(pattern)

    // Speaking the protocol by hand, pushing on after the refusal, gets no further.
    const rogue = await rawLink(broker.address)
    await rogue.until('challenge')
    rogue.link.send({ type: 'hello', version: PROTOCOL_VERSION, role: 'runner', id: 'r-evil' })
    rogue.link.send({ type: 'submit', jobs: [job('evil-raw')] })
    const refusal = await rogue.until('error')
    expect(refusal).toMatchObject({ type: 'error', code: 'auth-required' })
    await rogue.closed
    expect(rogue.messages.some(m => m.type === 'welcome')).toBe(false)
    expect(broker.stats()).toMatchObject({ queued: 0, running: 0 })
  })

  test.each([
    ['without the secret', undefined, /requires the cluster secret/],
    ['with a wrong secret', WRONG, /auth-failed/]
  ])('a rogue worker %s receives no job', async (_what, secret, pattern) => {
    const broker = await startBroker({ secret: SECRET })
    // A good runner submits; the job waits for a worker.
    const runner = await rawLink(broker.address)
    await runner.until('challenge')
    const handshake = new PeerHandshake(secretKey(SECRET), { role: 'runner', id: 'r-good' })
    const answer = handshake.onChallenge(runner.messages[0] as never)
    runner.link.send(answer.hello as Message)
    await runner.until('welcome')
    runner.link.send({ type: 'submit', jobs: [job('precious')] })
    await waitFor(() => broker.stats().queued === 1)

    let executed = 0
    const rogue = await runWorker({
      id: 'w-evil',
      slots: 4,
      labels: [],
      secret,
      connect: () => transport.connect(broker.address),
      execute: async (spec, ctx, signal) => {
        executed++
        return executeJob(spec, ctx, signal)
      },
      context: workerContext('w-evil')
    })
    expect(rogue.code).toBe(3)
    expect(rogue.reason).toMatch(pattern)
    expect(executed).toBe(0)
    expect(broker.stats()).toMatchObject({ workers: 0, queued: 1, running: 0 })

    // A raw worker hello without proof, then a forged result: refused, nothing changes.
    const raw = await rawLink(broker.address)
    await raw.until('challenge')
    raw.link.send({
      type: 'hello',
      version: PROTOCOL_VERSION,
      role: 'worker',
      id: 'w-raw',
      slots: 1
    })
    await raw.until('error')
    await raw.closed
    expect(raw.messages.map(m => m.type)).toEqual(['challenge', 'error'])
    expect(broker.stats()).toMatchObject({ workers: 0, queued: 1 })
  })

  test('a 1 MB frame before the hello is refused at its header, and the broker carries on', async () => {
    const broker = await startBroker({ secret: SECRET })
    const socket = await rawSocket(broker.address)
    const header = Buffer.alloc(6)
    header.writeUInt32BE(1024 * 1024, 0)
    header.writeUInt8(1, 4)
    header.writeUInt8(0, 5)
    const replies = rawReplies(socket)
    // Only the header and a little of the "payload": the broker must not wait for the rest.
    socket.write(Buffer.concat([header, Buffer.alloc(1000, 0x41)]))
    const got = await replies
    expect(got.at(-1)).toMatchObject({
      type: 'error',
      code: 'protocol',
      message: expect.stringMatching(/exceeds the 65536-byte limit/) as unknown
    })
    // A good peer still gets in.
    const good = await rawLink(broker.address)
    expect(await good.until('challenge')).toMatchObject({ secret: true })
  })

  test('a peer that never says hello is dropped at the handshake deadline', async () => {
    const broker = await startBroker({ secret: SECRET, handshakeMs: 300 })
    const socket = await rawSocket(broker.address)
    const got = await rawReplies(socket)
    expect(got[0]).toMatchObject({ type: 'challenge', secret: true })
    expect(got.at(-1)).toMatchObject({
      type: 'error',
      message: expect.stringMatching(/did not complete the handshake within 300 ms/) as unknown
    })
  })
})

describe('a worker with a cluster secret', () => {
  test('refuses a broker that runs without one', async () => {
    const broker = await startBroker()
    const exit = await runWorker({
      id: 'w-careful',
      slots: 1,
      labels: [],
      secret: SECRET,
      connect: () => transport.connect(broker.address),
      context: workerContext('w-careful')
    })
    expect(exit.code).toBe(3)
    expect(exit.reason).toMatch(/runs without a cluster secret/)
  })

  test('refuses an impostor whose welcome does not prove the secret, and runs nothing', async () => {
    const listener = await transport.listen('127.0.0.1:0')
    stops.push(() => listener.close())
    listener.onLink(link => {
      link.send({
        type: 'challenge',
        version: PROTOCOL_VERSION,
        nonce: 'ab'.repeat(32),
        secret: true
      })
      link.onMessage(message => {
        if (message.type !== 'hello') return
        link.send({
          type: 'welcome',
          version: PROTOCOL_VERSION,
          clusterId: 'fake',
          heartbeatMs: 5000,
          proof: 'cd'.repeat(32)
        })
        link.send({ type: 'assign', jobs: [job('bait')] })
      })
    })
    let executed = 0
    const exit = await runWorker({
      id: 'w-careful',
      slots: 1,
      labels: [],
      secret: SECRET,
      connect: () => transport.connect(listener.address),
      execute: async (spec, ctx, signal) => {
        executed++
        return executeJob(spec, ctx, signal)
      },
      context: workerContext('w-careful')
    })
    expect(exit.code).toBe(3)
    expect(exit.reason).toMatch(/could not prove the cluster secret/)
    expect(executed).toBe(0)
  })
})

describe('squall broker', () => {
  test('refuses to listen beyond loopback without a secret (exit 2)', async () => {
    const result = await runCliProcess(['broker', '--host', '0.0.0.0', '--port', '0'], {
      env: { SQUALL_CLUSTER_SECRET: undefined }
    })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/--host: '0\.0\.0\.0'.*cluster secret/)
  })

  test('refuses a secret file it cannot use (exit 2)', async () => {
    const short = join(dir, 'short')
    writeFileSync(short, 'tiny\n')
    const result = await runCliProcess(['broker', '--port', '0', '--secret-file', short])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/--secret-file: .*at least 16 characters/)
  })

  test('a real broker process with a secret from a file admits only peers that prove it', async () => {
    const secretFile = join(dir, 'secret')
    writeFileSync(secretFile, `${SECRET}\n`)
    const readyFile = join(dir, 'ready.json')
    const { spawn } = await import('node:child_process')
    const child = spawn(
      process.execPath,
      [
        cliBundle,
        'broker',
        '--host',
        '0.0.0.0',
        '--port',
        '0',
        '--ready-file',
        readyFile,
        '--secret-file',
        secretFile
      ],
      {
        env: { ...process.env, SQUALL_CLUSTER_SECRET: undefined },
        stdio: ['ignore', 'pipe', 'pipe']
      }
    )
    stops.push(async () => {
      child.kill('SIGKILL')
    })
    // The broker writes its ready file whole (renamed into place) once it listens.
    const address = await new Promise<string>((resolve, reject) => {
      const poll = setInterval(() => {
        if (!existsSync(readyFile)) return
        clearInterval(poll)
        const ready = JSON.parse(readFileSync(readyFile, 'utf8')) as { address: string }
        resolve(ready.address.replace('0.0.0.0', '127.0.0.1'))
      }, 50)
      child.on('close', code => {
        clearInterval(poll)
        reject(new Error(`the broker exited with ${code}`))
      })
    })
    const rogue = await runWorker({
      id: 'w-evil',
      slots: 1,
      labels: [],
      connect: () => transport.connect(address),
      context: workerContext('w-evil')
    })
    expect(rogue.code).toBe(3)
    expect(rogue.reason).toMatch(/requires the cluster secret/)
    // The trailing newline of the file is not part of the secret.
    const summary = await runSuite({
      connect: () => transport.connect(address),
      secret: SECRET,
      framework: commandsFramework,
      cwd: dir,
      args: [],
      jobsFile: jobsFile([]),
      timeoutMs: 10_000,
      slots: 1,
      retries: 0,
      failOnFlaky: false,
      timingsPath: '',
      // No job: the run only proves the runner is admitted with the file's secret.
      passWithNoTests: true,
      onEvent: () => undefined
    })
    expect(summary.exitCode).toBe(0)
  }, 30_000)
})

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise(r => setTimeout(r, 20))
  }
}

async function rawSocket(address: string): Promise<Socket> {
  const { host, port } = parseHostPort(address)
  const socket = createConnection({ host, port })
  sockets.push(socket)
  socket.on('error', () => undefined)
  await new Promise<void>(resolve => socket.once('connect', () => resolve()))
  return socket
}

/** Every message the raw socket receives until the connection closes. */
function rawReplies(socket: Socket): Promise<Message[]> {
  const decoder = new FrameDecoder()
  const got: Message[] = []
  socket.on('data', (chunk: Buffer) => {
    for (const frame of decoder.push(chunk)) got.push(decodeMessage(frame))
  })
  return new Promise(resolve => socket.once('close', () => resolve(got)))
}
