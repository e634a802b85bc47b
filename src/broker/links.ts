/**
 * Admission of one link: the broker's challenge goes out first; the first message back must be
 * a valid hello of our protocol version that proves the cluster secret (when there is one), in
 * time; after that every message is checked before the broker sees it. Bad input before the
 * hello closes the link; after it, it gets an `error` reply and is ignored. A link admitted is
 * trusted: the transport lifts the limits it puts on unauthenticated peers.
 */
import { errorMessage, ProtocolVersionError, WrongDirectionError } from '../errors.js'
import {
  closerToBroker,
  peerHello,
  runnerToBroker,
  workerToBroker,
  type CloserToBroker,
  type RunnerToBroker,
  type WorkerToBroker
} from '../protocol/directions.js'
import { BrokerHandshake } from '../protocol/handshake.js'
import type { HelloMessage, WelcomeMessage } from '../protocol/messages.js'
import type { Link } from '../transport/link.js'
import { checkHello } from './checks.js'

export type PeerRole = 'worker' | 'runner' | 'closer'

/** What an admitted peer says, by its role: each validated against its own direction. */
export type PeerMessage =
  | { role: 'worker'; message: WorkerToBroker }
  | { role: 'runner'; message: RunnerToBroker }
  | { role: 'closer'; message: CloserToBroker }

/** What the broker does at each step of a link's life. */
export interface LinkHandlers {
  /**
   * A sound hello: take the peer in (sending it `welcome`, which carries the broker's proof
   * when there is a secret) and return its role, or refuse it and return undefined.
   */
  hello(
    link: Link,
    hello: HelloMessage,
    welcome: (clusterId: string, heartbeatMs: number) => WelcomeMessage
  ): PeerRole | undefined
  message(id: string, link: Link, said: PeerMessage): void
  closed(role: PeerRole | undefined, id: string, link: Link, error?: Error): void
  /** Sends an `error` with this code, then closes the link. */
  refuse(link: Link, code: string, text: string): void
  /** Sends an `error` with this code; the link stays open. */
  complain(link: Link, code: string, text: string): void
  /** Runs `work`, logging instead of throwing. */
  guard(what: string, work: () => void): void
  /** A timer the broker clears on stop. */
  after(ms: number, run: () => void): { cancel(): void }
}

/** Watches one accepted link from its first message to its close. `key`: the cluster secret. */
export function admitLink(
  link: Link,
  helloTimeoutMs: number,
  on: LinkHandlers,
  key?: Buffer
): void {
  const handshake = new BrokerHandshake(key)
  let state: 'pending' | PeerRole | 'closed' = 'pending'
  let id = ''
  const refuse = (code: string, text: string): void => {
    state = 'closed'
    helloTimer.cancel()
    on.refuse(link, code, text)
  }
  const helloTimer = on.after(helloTimeoutMs, () => {
    if (state === 'pending') refuse('hello-timeout', `no hello within ${helloTimeoutMs} ms`)
  })
  const first = (raw: unknown): void => {
    let message: HelloMessage
    try {
      message = peerHello.validate(raw)
    } catch (error) {
      if (error instanceof ProtocolVersionError) return refuse('version-mismatch', error.message)
      if (error instanceof WrongDirectionError) {
        return refuse('expected-hello', `the first message must be hello: ${error.message}`)
      }
      return refuse('bad-message', errorMessage(error))
    }
    const problem = checkHello(message)
    if (problem) return refuse('bad-hello', `bad hello: ${problem}`)
    const denied = handshake.checkHello(message)
    if (denied) return refuse(denied.code, denied.text)
    helloTimer.cancel()
    const hello = message
    const role = on.hello(link, hello, (clusterId, heartbeatMs) =>
      handshake.welcome(hello, clusterId, heartbeatMs)
    )
    state = role ?? 'closed'
    id = message.id
    if (role) link.trust?.()
  }
  link.send(handshake.challenge())
  link.onMessage(raw =>
    on.guard(`a message from ${link.peer}`, () => {
      if (state === 'closed') return
      if (state === 'pending') return first(raw)
      let said: PeerMessage
      try {
        said =
          state === 'worker'
            ? { role: state, message: workerToBroker.validate(raw) }
            : state === 'runner'
              ? { role: state, message: runnerToBroker.validate(raw) }
              : { role: state, message: closerToBroker.validate(raw) }
      } catch (error) {
        const code = error instanceof WrongDirectionError ? 'unexpected' : 'bad-message'
        return on.complain(link, code, errorMessage(error))
      }
      on.message(id, link, said)
    })
  )
  link.onClose(error =>
    on.guard(`the close of ${link.peer}`, () => {
      helloTimer.cancel()
      const role = state === 'pending' || state === 'closed' ? undefined : state
      state = 'closed'
      on.closed(role, id, link, error)
    })
  )
}
