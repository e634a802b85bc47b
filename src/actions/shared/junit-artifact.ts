/** Uploads a file a reporter listed before wrote (the merged JUnit file, the results record). */
import { DefaultArtifactClient } from '@actions/artifact'
import * as core from '@actions/core'
import { basename, dirname } from 'node:path'
import { errorMessage } from '../../errors.js'
import type { Reporter } from '../../runner/events.js'

export function junitArtifactUpload(path: string, name: string, what = 'the JUnit file'): Reporter {
  return {
    onEvent: () => undefined,
    async finish(): Promise<void> {
      try {
        await new DefaultArtifactClient().uploadArtifact(name, [path], dirname(path))
        core.info(`uploaded ${basename(path)} as artifact '${name}'`)
      } catch (error) {
        core.warning(`could not upload ${what} as an artifact: ${errorMessage(error)}`)
      }
    }
  }
}
