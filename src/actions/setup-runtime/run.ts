/**
 * setup-runtime: the Actions runner gives JavaScript actions the runtime variables but hides
 * them from `run:` steps. This exports them for later steps (squall's CLI among them) and
 * masks the tokens.
 */
import * as core from '@actions/core'
import { exportRuntime } from '../shared/runtime-env.js'

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  core.info(`exported ${exportRuntime(env).join(', ')}`)
}
