/**
 * The runner reads only broker → runner messages: another direction's message is ignored
 * (and logged), a handshake frame of another protocol version ends the run naming both.
 */
import { ClusterError } from '../../src/errors.js'
import { PROTOCOL_VERSION, type Message } from '../../src/protocol/messages.js'
import type { RunEvent } from '../../src/runner/events.js'
import { runSession } from '../../src/runner/session.js'
import { createMemoryPair } from '../../src/transport/memory.js'
import { job, result } from './build.js'

/** A session over a memory link whose broker end answers each message with `answer`. */
function start(answer: (message: Message, send: (m: Message) => void) => void) {
  const [runnerEnd, brokerEnd] = createMemoryPair('memory:runner', 'memory:broker')
  const events: RunEvent[] = []
  brokerEnd.onMessage(message => answer(message, m => brokerEnd.send(m)))
  const session = runSession({
    link: runnerEnd,
    jobs: [job('a')],
    policy: { retries: 0, framework: {} },
    runnerId: 'r1',
    welcomeTimeoutMs: 5000,
    onEvent: event => events.push(event),
    now: Date.now
  })
  return { session, events }
}

const welcome = (version = PROTOCOL_VERSION): Message => ({
  type: 'welcome',
  version,
  clusterId: 'c1',
  heartbeatMs: 60_000
})

test('a welcome of another protocol version ends the run naming both versions', async () => {
  const { session } = start((message, send) => {
    if (message.type === 'hello') send(welcome(PROTOCOL_VERSION + 1))
  })
  // The session ends (its jobs not run, so the reports keep them) with the mismatch as the reason.
  const { ended, entries } = await session
  expect(ended).toBeInstanceOf(ClusterError)
  expect(ended?.message).toBe(
    `protocol version mismatch: broker speaks ${PROTOCOL_VERSION + 1}, runner speaks ${PROTOCOL_VERSION}`
  )
  expect(entries.flatMap(e => e.attempts.map(a => a.result?.status))).toEqual(['cancelled'])
})

test('a message of another direction is ignored with a log naming it; the run goes on', async () => {
  const { session, events } = start((message, send) => {
    if (message.type === 'hello') {
      send(welcome())
      // Broker → worker messages, sent to the runner by mistake.
      send({ type: 'assign', jobs: [job('sneaky')] })
      send({ type: 'shutdown', reason: 'not yours' })
    }
    if (message.type === 'submit') {
      send({ type: 'result', results: message.jobs.map(j => result(j, { status: 'passed' })) })
    }
  })
  const { entries } = await session
  expect(entries.map(e => e.attempts.map(a => a.result.status))).toEqual([['passed']])
  const logs = events.flatMap(e => (e.type === 'log' ? [e.message] : []))
  expect(logs).toEqual([
    expect.stringContaining("'assign' does not travel broker → runner: it travels broker → worker"),
    expect.stringContaining(
      "'shutdown' does not travel broker → runner: it travels broker → worker"
    )
  ])
})
