/**
 * Which messages travel which way, one union per direction (as Maelstrom's `proto.rs` has
 * one enum per direction). A receiver validates what it reads against its own direction and
 * then switches over that union exhaustively, so a message going the wrong way is refused
 * here, with an error naming the message and the direction, never in a receiver's `default:`.
 *
 *   peer → broker (first message)   hello
 *   broker → runner                 challenge, welcome, progress, result, heartbeat, error
 *   broker → worker                 challenge, welcome, assign, cancel, shutdown, heartbeat, error
 *   runner → broker (after hello)   submit, cancel, done, heartbeat, error
 *   closer → broker (after hello)   close-pool, heartbeat, error
 *   worker → broker (after hello)   progress, result, release, heartbeat, error
 */
import { ProtocolError, WrongDirectionError } from '../errors.js'
import type {
  AssignMessage,
  CancelMessage,
  ChallengeMessage,
  ClosePoolMessage,
  DoneMessage,
  ErrorMessage,
  HeartbeatMessage,
  HelloMessage,
  Message,
  MessageType,
  ProgressMessage,
  ReleaseMessage,
  ResultMessage,
  ShutdownMessage,
  SubmitMessage,
  WelcomeMessage
} from './messages.js'
import { checkFields, messageType } from './validate.js'

/** Peer → broker, the first message on a link: who the peer is (and its proof). */
export type PeerHello = HelloMessage
/** Broker → peer, the handshake: the challenge first on every link, the welcome for a hello. */
export type BrokerGreeting = ChallengeMessage | WelcomeMessage
/** Runner → broker, after its hello. */
export type RunnerToBroker =
  SubmitMessage | CancelMessage | DoneMessage | HeartbeatMessage | ErrorMessage
/** Closer (a stop step) → broker, after its hello; the broker answers it as it does a runner. */
export type CloserToBroker = ClosePoolMessage | HeartbeatMessage | ErrorMessage
/** Broker → runner. */
export type BrokerToRunner =
  BrokerGreeting | ProgressMessage | ResultMessage | HeartbeatMessage | ErrorMessage
/** Worker → broker, after its hello. */
export type WorkerToBroker =
  ProgressMessage | ResultMessage | ReleaseMessage | HeartbeatMessage | ErrorMessage
/** Broker → worker. */
export type BrokerToWorker =
  BrokerGreeting | AssignMessage | CancelMessage | ShutdownMessage | HeartbeatMessage | ErrorMessage

/** The sending end of a link as one side sees it: only its direction's messages go out. */
export interface Sender<T extends Message> {
  send(message: T): void
}

/** One way messages travel: the types it carries, and how its errors name the two sides. */
export class Direction<T extends Message> {
  /** e.g. `runner → broker`. */
  readonly name: string
  private readonly types: ReadonlySet<MessageType>

  /** `types`: every type of T, each once (the record form makes the compiler check both). */
  constructor(
    readonly sender: string,
    readonly receiver: string,
    types: { readonly [K in T['type']]: true },
    note = ''
  ) {
    this.name = `${sender} → ${receiver}${note}`
    this.types = new Set(Object.keys(types) as MessageType[])
  }

  /** Whether a message of this type travels this way. */
  carries(type: MessageType): boolean {
    return this.types.has(type)
  }

  /**
   * The message, once it is one of this direction's, well formed, and (for a handshake frame)
   * of our protocol version. Throws WrongDirectionError for a message that travels another
   * way, ProtocolVersionError for a handshake frame of another version, ProtocolError else.
   */
  validate(value: unknown): T {
    const type = messageType(value)
    if (!this.types.has(type)) throw new WrongDirectionError(this.wrongWay(type))
    checkFields(type, value, this.sender, this.receiver)
    return value as T
  }

  private wrongWay(type: MessageType): string {
    const ways = directions.filter(d => d.carries(type)).map(d => d.name)
    return `'${type}' does not travel ${this.name}: it travels ${ways.join(' or ')}; ${this.name} carries ${[...this.types].join(', ')}`
  }
}

export const peerHello = new Direction<PeerHello>(
  'peer',
  'broker',
  { hello: true },
  ' (first message)'
)
export const brokerToRunner = new Direction<BrokerToRunner>('broker', 'runner', {
  challenge: true,
  welcome: true,
  progress: true,
  result: true,
  heartbeat: true,
  error: true
})
export const brokerToWorker = new Direction<BrokerToWorker>('broker', 'worker', {
  challenge: true,
  welcome: true,
  assign: true,
  cancel: true,
  shutdown: true,
  heartbeat: true,
  error: true
})
export const runnerToBroker = new Direction<RunnerToBroker>('runner', 'broker', {
  submit: true,
  cancel: true,
  done: true,
  heartbeat: true,
  error: true
})
export const closerToBroker = new Direction<CloserToBroker>('closer', 'broker', {
  'close-pool': true,
  heartbeat: true,
  error: true
})
export const workerToBroker = new Direction<WorkerToBroker>('worker', 'broker', {
  progress: true,
  result: true,
  release: true,
  heartbeat: true,
  error: true
})

const directions: readonly Direction<Message>[] = [
  peerHello,
  brokerToRunner,
  brokerToWorker,
  runnerToBroker,
  closerToBroker,
  workerToBroker
]

/**
 * The end of an exhaustive switch over a direction's union: the compiler refuses a call here
 * while a type of the union has no case. Unreachable at run time for a validated message.
 */
export function unhandled(message: never): never {
  throw new ProtocolError(`no case for message ${JSON.stringify(message)}`)
}
