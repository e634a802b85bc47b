/**
 * Mutual proof of the cluster secret, with nothing of it on the wire.
 *
 *   broker → peer   challenge { nonce: Nb, secret: true|false }   (first message on every link)
 *   peer → broker   hello { …, nonce: Nc, proof: HMAC(K, hello, Nb, Nc, role, id) }
 *   broker → peer   welcome { …, proof: HMAC(K, welcome, Nb, Nc, clusterId) }
 *
 * Each side proves knowledge of K over a fresh nonce of the other, so neither a recorded
 * answer nor a reflected one is of use; the labels keep a hello proof from passing as a welcome
 * proof. Without a secret (loopback TCP, or the artifact store, where only jobs of the run can
 * write) the hello may go out at once and carries no proof; a peer that has a secret refuses
 * a broker that cannot prove it.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { ProtocolVersionError } from '../errors.js'
import type { ChallengeMessage, HelloMessage, MessageType, WelcomeMessage } from './messages.js'
import { PROTOCOL_VERSION } from './messages.js'

const HEX_256 = /^[0-9a-f]{64}$/

/** The frames that carry `version`: the handshake, the only place the version is compared. */
export const HANDSHAKE_TYPES: ReadonlySet<MessageType> = new Set(['challenge', 'hello', 'welcome'])

/**
 * The one protocol version check. Every handshake frame passes here on its way in (the
 * validators call it), so no receiver compares versions itself. `sender`, `receiver`: how the
 * error names the two sides ('peer', 'this side' when the receiver does not know the direction).
 */
export function checkProtocolVersion(version: unknown, sender: string, receiver: string): void {
  if (version !== PROTOCOL_VERSION) {
    throw new ProtocolVersionError(
      `protocol version mismatch: ${sender} speaks ${JSON.stringify(version)}, ${receiver} speaks ${PROTOCOL_VERSION}`
    )
  }
}

/** A fresh 256-bit nonce, hex. */
export function newNonce(): string {
  return randomBytes(32).toString('hex')
}

/** A nonce or a proof as this protocol writes them: 64 lowercase hex digits. */
export function isHex256(value: unknown): value is string {
  return typeof value === 'string' && HEX_256.test(value)
}

function mac(key: Buffer, parts: string[]): string {
  // JSON of an array: no two different part lists give the same bytes.
  return createHmac('sha256', key).update(JSON.stringify(parts)).digest('hex')
}

export function helloProof(
  key: Buffer,
  brokerNonce: string,
  peerNonce: string,
  hello: Pick<HelloMessage, 'role' | 'id'>
): string {
  return mac(key, ['squall-hello', brokerNonce, peerNonce, hello.role, hello.id])
}

export function welcomeProof(
  key: Buffer,
  brokerNonce: string,
  peerNonce: string,
  clusterId: string
): string {
  return mac(key, ['squall-welcome', brokerNonce, peerNonce, clusterId])
}

/** Compares a received proof with the expected one in constant time. */
export function proofMatches(expected: string, received: unknown): boolean {
  if (!isHex256(received)) return false
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(received, 'hex'))
}

/** What a peer says about itself in its hello. */
export type HelloFields = Omit<HelloMessage, 'type' | 'version' | 'nonce' | 'proof'>

/** The connecting side's half of the handshake (workers and runners). */
export class PeerHandshake {
  private readonly nonce = newNonce()
  private brokerNonce?: string
  private helloSent = false

  /** `key`: the cluster secret's bytes, or undefined when this peer has none. */
  constructor(
    private readonly key: Buffer | undefined,
    private readonly fields: HelloFields
  ) {}

  /** The hello to send at once; undefined when it must wait for the broker's challenge. */
  start(): HelloMessage | undefined {
    if (this.key) return undefined
    this.helloSent = true
    return { type: 'hello', version: PROTOCOL_VERSION, ...this.fields }
  }

  /** The broker's challenge: the hello to send now (if any), or why this broker is refused. */
  onChallenge(challenge: ChallengeMessage): { hello?: HelloMessage; error?: string } {
    if (this.brokerNonce !== undefined) return {}
    if (!isHex256(challenge.nonce)) return { error: 'the broker sent a malformed challenge' }
    this.brokerNonce = challenge.nonce
    if (!this.key) {
      if (challenge.secret === true) {
        return {
          error:
            'the broker requires the cluster secret and this side has none (set SQUALL_CLUSTER_SECRET or use --secret-file)'
        }
      }
      return {}
    }
    if (challenge.secret !== true) {
      return {
        error:
          'the broker runs without a cluster secret but this side has one: refusing a broker that cannot prove it'
      }
    }
    if (this.helloSent) return {}
    this.helloSent = true
    return {
      hello: {
        type: 'hello',
        version: PROTOCOL_VERSION,
        ...this.fields,
        nonce: this.nonce,
        proof: helloProof(this.key, challenge.nonce, this.nonce, this.fields)
      }
    }
  }

  /** Why the welcome is not to be trusted, or undefined when it is. */
  checkWelcome(welcome: WelcomeMessage): string | undefined {
    if (!this.key) return undefined
    if (this.brokerNonce === undefined) return 'the broker welcomed this side without a challenge'
    const expected = welcomeProof(this.key, this.brokerNonce, this.nonce, welcome.clusterId)
    if (!proofMatches(expected, welcome.proof)) {
      return 'the broker could not prove the cluster secret (a different secret, or not the broker)'
    }
    return undefined
  }
}

/** The broker's half for one link. */
export class BrokerHandshake {
  readonly nonce = newNonce()

  constructor(private readonly key: Buffer | undefined) {}

  challenge(): ChallengeMessage {
    return {
      type: 'challenge',
      version: PROTOCOL_VERSION,
      nonce: this.nonce,
      secret: this.key !== undefined
    }
  }

  /** Why the hello is refused (code and text), or undefined when it proves the secret. */
  checkHello(hello: HelloMessage): { code: string; text: string } | undefined {
    if (!this.key) return undefined
    if (hello.proof === undefined) {
      return {
        code: 'auth-required',
        text: 'this broker requires the cluster secret (SQUALL_CLUSTER_SECRET or --secret-file)'
      }
    }
    if (!isHex256(hello.nonce)) {
      return { code: 'auth-failed', text: 'the hello carries no valid nonce' }
    }
    if (!proofMatches(helloProof(this.key, this.nonce, hello.nonce, hello), hello.proof)) {
      return { code: 'auth-failed', text: 'the hello does not prove the cluster secret' }
    }
    return undefined
  }

  /** The welcome for a hello that passed `checkHello`, with the broker's proof when it has a secret. */
  welcome(hello: HelloMessage, clusterId: string, heartbeatMs: number): WelcomeMessage {
    const proof =
      this.key && isHex256(hello.nonce)
        ? welcomeProof(this.key, this.nonce, hello.nonce, clusterId)
        : undefined
    return {
      type: 'welcome',
      version: PROTOCOL_VERSION,
      clusterId,
      heartbeatMs,
      ...(proof !== undefined ? { proof } : {})
    }
  }
}
