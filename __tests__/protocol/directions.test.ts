import { ProtocolError, ProtocolVersionError, WrongDirectionError } from '../../src/errors.js'
import {
  brokerToRunner,
  brokerToWorker,
  closerToBroker,
  peerHello,
  runnerToBroker,
  workerToBroker,
  type Direction
} from '../../src/protocol/directions.js'
import { PROTOCOL_VERSION, type Message, type MessageType } from '../../src/protocol/messages.js'
import { validateMessage } from '../../src/protocol/validate.js'

const job = {
  id: 'j1',
  name: 'j1',
  command: 'true',
  timeoutMs: 1000,
  labels: [],
  attempt: 1,
  layers: []
}
const ref = { id: 'j1', attempt: 1 }
const result = {
  ...ref,
  worker: 'w',
  status: 'passed' as const,
  exitCode: 0,
  signal: null,
  durationMs: 1,
  startedAt: 1,
  stdout: { text: '', truncatedBytes: 0 },
  stderr: { text: '', truncatedBytes: 0 }
}

/** One well-formed message of every type. */
const samples: { [K in MessageType]: Extract<Message, { type: K }> } = {
  challenge: { type: 'challenge', version: PROTOCOL_VERSION, nonce: 'a'.repeat(64), secret: false },
  hello: { type: 'hello', version: PROTOCOL_VERSION, role: 'worker', id: 'w', slots: 1 },
  welcome: { type: 'welcome', version: PROTOCOL_VERSION, clusterId: 'c', heartbeatMs: 1000 },
  submit: { type: 'submit', jobs: [job] },
  assign: { type: 'assign', jobs: [job] },
  cancel: { type: 'cancel', jobs: [ref], reason: 'r' },
  result: { type: 'result', results: [result] },
  progress: { type: 'progress', events: [{ kind: 'started', job: ref, worker: 'w', at: 1 }] },
  release: { type: 'release', jobs: [ref], reason: 'r' },
  done: { type: 'done' },
  'close-pool': { type: 'close-pool', reason: 'r' },
  shutdown: { type: 'shutdown', reason: 'r' },
  heartbeat: { type: 'heartbeat', at: 1 },
  error: { type: 'error', code: 'x', message: 'y' }
}
const allTypes = Object.keys(samples) as MessageType[]

// The protocol as documented (DESIGN.md and directions.ts), written out here on purpose: the
// test states which messages travel which way instead of reading it back from the code.
const table: [string, Direction<Message>, MessageType[]][] = [
  ['peer → broker (first message)', peerHello, ['hello']],
  [
    'broker → runner',
    brokerToRunner,
    ['challenge', 'welcome', 'progress', 'result', 'heartbeat', 'error']
  ],
  [
    'broker → worker',
    brokerToWorker,
    ['challenge', 'welcome', 'assign', 'cancel', 'shutdown', 'heartbeat', 'error']
  ],
  ['runner → broker', runnerToBroker, ['submit', 'cancel', 'done', 'heartbeat', 'error']],
  ['closer → broker', closerToBroker, ['close-pool', 'heartbeat', 'error']],
  ['worker → broker', workerToBroker, ['progress', 'result', 'release', 'heartbeat', 'error']]
]

describe.each(table)('%s', (name, direction, carried) => {
  const refused = allTypes.filter(type => !carried.includes(type))

  test('is named for its two sides', () => {
    expect(direction.name).toBe(name)
  })

  test.each(carried)("accepts '%s'", type => {
    // A wire copy, as a transport hands it over.
    const wire = JSON.parse(JSON.stringify(samples[type])) as unknown
    expect(direction.validate(wire)).toEqual(samples[type])
  })

  test.each(refused)("refuses '%s', naming the message and the direction", type => {
    const attempt = (): unknown => direction.validate(samples[type])
    expect(attempt).toThrow(WrongDirectionError)
    expect(attempt).toThrow(`'${type}' does not travel ${name}: it travels `)
    // And says what this direction does carry.
    expect(attempt).toThrow(`${name} carries ${carried.join(', ')}`)
  })

  test('refuses what is not a message at all before asking which way it goes', () => {
    for (const bad of [null, 'hello', ['hello'], { type: 'launch' }, {}]) {
      const attempt = (): unknown => direction.validate(bad)
      expect(attempt).toThrow(ProtocolError)
      expect(attempt).not.toThrow(WrongDirectionError)
    }
  })
})

const arrays: [MessageType, string][] = [
  ['submit', 'jobs'],
  ['assign', 'jobs'],
  ['cancel', 'jobs'],
  ['release', 'jobs'],
  ['result', 'results'],
  ['progress', 'events']
]
test.each(
  table.flatMap(([name, direction, carried]) =>
    arrays
      .filter(([type]) => carried.includes(type))
      .map(([type, field]) => ({
        name,
        direction,
        type,
        field
      }))
  )
)("$name refuses a '$type' whose '$field' is not an array", ({ direction, type, field }) => {
  const broken = { ...samples[type], [field]: 'many' }
  expect(() => direction.validate(broken)).toThrow(`message '${type}' needs an array '${field}'`)
})

test('each message type travels at least one way', () => {
  const carried = new Set(table.flatMap(([, , types]) => types))
  expect(allTypes.filter(type => !carried.has(type))).toEqual([])
})

test("a message refused one way names the way it does travel ('cancel' goes two ways)", () => {
  expect(() => workerToBroker.validate(samples.cancel)).toThrow(
    "'cancel' does not travel worker → broker: it travels broker → worker or runner → broker"
  )
  expect(() => runnerToBroker.validate(samples.hello)).toThrow(
    "'hello' does not travel runner → broker: it travels peer → broker (first message)"
  )
})

describe('the one protocol version check', () => {
  const other = PROTOCOL_VERSION + 1

  test.each([
    [peerHello, 'hello', 'peer speaks', 'broker speaks'],
    [brokerToRunner, 'challenge', 'broker speaks', 'runner speaks'],
    [brokerToRunner, 'welcome', 'broker speaks', 'runner speaks'],
    [brokerToWorker, 'challenge', 'broker speaks', 'worker speaks'],
    [brokerToWorker, 'welcome', 'broker speaks', 'worker speaks']
  ] as const)(
    '%#: a handshake frame of another version is refused naming both versions',
    (direction, type, sender, receiver) => {
      const frame = { ...samples[type], version: other }
      const attempt = (): unknown => (direction as Direction<Message>).validate(frame)
      expect(attempt).toThrow(ProtocolVersionError)
      expect(attempt).toThrow(
        `protocol version mismatch: ${sender} ${other}, ${receiver} ${PROTOCOL_VERSION}`
      )
    }
  )

  test('a handshake frame without a version is refused too', () => {
    const { version: _version, ...bare } = samples.hello
    expect(() => peerHello.validate(bare)).toThrow(
      `protocol version mismatch: peer speaks undefined, broker speaks ${PROTOCOL_VERSION}`
    )
  })

  test('messages after the handshake carry no version and need none', () => {
    expect(runnerToBroker.validate({ type: 'done' })).toEqual({ type: 'done' })
  })
})

describe('validateMessage (what a transport accepts off the wire)', () => {
  test.each(allTypes)("accepts '%s', whichever way it travels", type => {
    expect(validateMessage(samples[type])).toEqual(samples[type])
  })

  test('refuses another version with the same check, naming this side', () => {
    expect(() => validateMessage({ ...samples.welcome, version: 1 })).toThrow(
      new ProtocolVersionError(
        `protocol version mismatch: peer speaks 1, this side speaks ${PROTOCOL_VERSION}`
      )
    )
  })
})
