/** Checks that a decoded value is a well-formed message before anything trusts it. */
import { ProtocolError } from '../errors.js'
import { PROTOCOL_VERSION, type Message } from './messages.js'

const arrayFields: Record<string, string[]> = {
  submit: ['jobs'],
  assign: ['jobs'],
  cancel: ['jobs'],
  result: ['results'],
  progress: ['events'],
  release: ['jobs']
}
const known = new Set([
  'challenge',
  'hello',
  'welcome',
  'submit',
  'assign',
  'cancel',
  'result',
  'progress',
  'release',
  'done',
  'shutdown',
  'heartbeat',
  'error'
])

/** Throws ProtocolError unless `value` looks like a Message. Deep job fields are trusted. */
export function validateMessage(value: unknown): Message {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtocolError(`expected a message object, got ${describe(value)}`)
  }
  const type = (value as { type?: unknown }).type
  if (typeof type !== 'string' || !known.has(type)) {
    throw new ProtocolError(`unknown message type ${JSON.stringify(type)}`)
  }
  for (const field of arrayFields[type] ?? []) {
    if (!Array.isArray((value as Record<string, unknown>)[field])) {
      throw new ProtocolError(`message '${type}' needs an array '${field}'`)
    }
  }
  if (type === 'hello' || type === 'welcome' || type === 'challenge') {
    const version = (value as { version?: unknown }).version
    if (version !== PROTOCOL_VERSION) {
      throw new ProtocolError(
        `protocol version mismatch: peer speaks ${JSON.stringify(version)}, this side speaks ${PROTOCOL_VERSION}`
      )
    }
  }
  return value as Message
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value
}
