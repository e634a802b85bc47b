/**
 * Where the CLI's broker and worker find the cluster secret: `--secret-file PATH`, else the
 * SQUALL_CLUSTER_SECRET variable. Never an option value: argv is readable by every local user.
 */
import { readFileSync } from 'node:fs'
import { UsageError, errorMessage } from '../errors.js'
import { CLUSTER_SECRET_ENV, checkSecret, secretFromEnv } from '../protocol/cluster-secret.js'

/** The option every piece that joins a cluster takes. */
export const secretFileHelp = `read the cluster secret from this file (default: $${CLUSTER_SECRET_ENV})`

/** The cluster secret, or undefined when none is configured; UsageError when it is unusable. */
export function clusterSecret(
  secretFile: string | undefined,
  env: NodeJS.ProcessEnv = process.env
): string | undefined {
  if (secretFile !== undefined) {
    let text: string
    try {
      text = readFileSync(secretFile, 'utf8')
    } catch (error) {
      throw new UsageError(`--secret-file: cannot read '${secretFile}': ${errorMessage(error)}`)
    }
    const problem = checkSecret(text)
    if (problem) throw new UsageError(`--secret-file: '${secretFile}': ${problem}`)
    return text
  }
  const text = secretFromEnv(env)
  if (text === undefined) return undefined
  const problem = checkSecret(text)
  if (problem) throw new UsageError(`${CLUSTER_SECRET_ENV}: ${problem}`)
  return text
}
