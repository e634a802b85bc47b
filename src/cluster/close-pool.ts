/**
 * The stop step's side of a shared pool: over a link to the broker, prove the cluster secret
 * (when there is one) as a `closer` (a peer that takes no runner's seat), ask it to close the pool, and wait until it has
 * (the broker closes every link once its workers are told to shut down).
 */
import { ClusterError } from '../errors.js'
import { secretKey } from '../protocol/cluster-secret.js'
import { brokerToRunner } from '../protocol/directions.js'
import { PeerHandshake } from '../protocol/handshake.js'
import type { Link } from '../transport/link.js'

export interface ClosePoolOptions {
  /** The id this side says hello with (it never submits anything). */
  id: string
  /** Why, in words: the broker logs it and workers are told it. */
  reason: string
  secret?: string
  /** How long the broker may take to welcome this side and close, ms. */
  timeoutMs: number
}

/** Resolves once the broker has closed the pool and the link; rejects with a ClusterError. */
export function closePool(link: Link, options: ClosePoolOptions): Promise<void> {
  const handshake = new PeerHandshake(
    options.secret !== undefined ? secretKey(options.secret) : undefined,
    { role: 'closer', id: options.id }
  )
  return new Promise<void>((resolve, reject) => {
    let asked = false
    let refused: string | undefined
    const fail = (why: string): void => {
      clearTimeout(timer)
      refused = why
      void link.close()
      reject(new ClusterError(why))
    }
    const timer = setTimeout(
      () => fail(`the broker did not close the pool within ${options.timeoutMs} ms`),
      options.timeoutMs
    )
    link.onMessage(raw => {
      if (refused !== undefined) return
      let message
      try {
        message = brokerToRunner.validate(raw)
      } catch (error) {
        return fail(`the broker sent something unexpected: ${String(error)}`)
      }
      switch (message.type) {
        case 'challenge': {
          const answer = handshake.onChallenge(message)
          if (answer.error) return fail(answer.error)
          if (answer.hello) link.send(answer.hello)
          return
        }
        case 'welcome': {
          const untrusted = handshake.checkWelcome(message)
          if (untrusted) return fail(untrusted)
          asked = true
          link.send({ type: 'close-pool', reason: options.reason })
          return
        }
        case 'error':
          return fail(`the broker refused to close the pool: ${message.code}: ${message.message}`)
        default:
          // Progress, results and heartbeats are for runners with work; this side has none.
          return
      }
    })
    link.onClose(error => {
      clearTimeout(timer)
      if (refused !== undefined) return
      if (asked) resolve()
      else
        reject(
          new ClusterError(
            `the link closed before the pool could be closed: ${error?.message ?? 'no reason given'}`
          )
        )
    })
    const hello = handshake.start()
    if (hello) link.send(hello)
  })
}
