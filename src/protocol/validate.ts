/**
 * Checks that a decoded value is a well-formed message before anything trusts it. Two levels:
 * a transport checks the envelope of any message off the wire (`validateMessage`); each
 * receiver then checks that the message travels its way (`directions.ts`). Deep job fields
 * are the broker's to check (`broker/checks.ts`).
 */
import { ProtocolError } from '../errors.js'
import { checkProtocolVersion, HANDSHAKE_TYPES } from './handshake.js'
import type { Message, MessageType } from './messages.js'

type Fields<K extends MessageType> = keyof Extract<Message, { type: K }>

/** Every message type, with the fields that must be arrays; keyed by type so none is forgotten. */
const arrayFields: { readonly [K in MessageType]: readonly Fields<K>[] } = {
  challenge: [],
  hello: [],
  welcome: [],
  submit: ['jobs'],
  assign: ['jobs'],
  cancel: ['jobs'],
  result: ['results'],
  progress: ['events'],
  release: ['jobs'],
  done: [],
  'close-pool': [],
  shutdown: [],
  heartbeat: [],
  error: []
}

const isType = (type: unknown): type is MessageType =>
  typeof type === 'string' && Object.hasOwn(arrayFields, type)

/** The type of a value that is a message object of a known type; ProtocolError otherwise. */
export function messageType(value: unknown): MessageType {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtocolError(`expected a message object, got ${describe(value)}`)
  }
  const type = (value as { type?: unknown }).type
  if (!isType(type)) throw new ProtocolError(`unknown message type ${JSON.stringify(type)}`)
  return type
}

/**
 * The checks every message of `type` passes whichever way it travels: its arrays, and for a
 * handshake frame the protocol version. `sender`, `receiver`: the sides, as errors name them.
 */
export function checkFields(
  type: MessageType,
  value: unknown,
  sender: string,
  receiver: string
): void {
  const record = value as Record<string, unknown>
  for (const field of arrayFields[type] as readonly string[]) {
    if (!Array.isArray(record[field])) {
      throw new ProtocolError(`message '${type}' needs an array '${field}'`)
    }
  }
  if (HANDSHAKE_TYPES.has(type)) checkProtocolVersion(record['version'], sender, receiver)
}

/**
 * Throws ProtocolError unless `value` is a message of this protocol, whichever way it travels:
 * what a transport, which knows no directions, accepts off the wire.
 */
export function validateMessage(value: unknown): Message {
  checkFields(messageType(value), value, 'peer', 'this side')
  return value as Message
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value
}
