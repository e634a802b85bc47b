/**
 * The cluster secret: what every peer of a TCP cluster must know. It is handed to child
 * processes through the environment (never argv, which any local user can read) and is never
 * sent on the wire: `hello` and `welcome` carry proofs of it (see handshake.ts).
 */

/** The environment variable that carries the cluster secret to brokers, workers and runners. */
export const CLUSTER_SECRET_ENV = 'SQUALL_CLUSTER_SECRET'

/** Fewer characters than this is too easy to guess for a secret that guards a TCP port. */
export const MIN_SECRET_LENGTH = 16

/** The secret as key bytes; surrounding white space (a file's final newline) does not count. */
export function secretKey(text: string): Buffer {
  return Buffer.from(text.trim(), 'utf8')
}

/** What is wrong with a secret's text, or undefined when it will do. */
export function checkSecret(text: string): string | undefined {
  const length = text.trim().length
  if (length < MIN_SECRET_LENGTH) {
    return `a cluster secret needs at least ${MIN_SECRET_LENGTH} characters, got ${length}`
  }
  return undefined
}

/** The secret in `env`, or undefined when it is unset or empty. */
export function secretFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const text = env[CLUSTER_SECRET_ENV]
  return text !== undefined && text.trim() !== '' ? text : undefined
}
