/**
 * How every action's bundle starts. An action with a post step runs one bundle twice: the
 * main step leaves a state flag, and the runner hands a step's state to its post step, so
 * the same entry knows which of the two it is.
 */
import * as core from '@actions/core'
import { errorMessage } from '../../errors.js'

const POST_FLAG = 'isPost'

export interface ActionSteps {
  /** The main step: a rejection fails the step. */
  main: () => Promise<void>
  /** The post step (cleanup): a rejection is a warning; it never fails the job. */
  post?: () => Promise<void>
}

export async function runAction(steps: ActionSteps): Promise<void> {
  if (steps.post && core.getState(POST_FLAG) === 'true') {
    await steps.post().catch((error: unknown) => core.warning(errorMessage(error)))
    return
  }
  if (steps.post) core.saveState(POST_FLAG, 'true')
  await steps.main().catch((error: unknown) => core.setFailed(errorMessage(error)))
}
