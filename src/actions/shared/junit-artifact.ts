/** Uploads the merged JUnit file as an artifact once the JUnit reporter (listed before) wrote it. */
import { DefaultArtifactClient } from '@actions/artifact'
import * as core from '@actions/core'
import { basename, dirname } from 'node:path'
import { errorMessage } from '../../errors.js'
import type { Reporter } from '../../runner/events.js'

export function junitArtifactUpload(path: string, name: string): Reporter {
  return {
    onEvent: () => undefined,
    async finish(): Promise<void> {
      try {
        await new DefaultArtifactClient().uploadArtifact(name, [path], dirname(path))
        core.info(`uploaded ${basename(path)} as artifact '${name}'`)
      } catch (error) {
        core.warning(`could not upload the JUnit file as an artifact: ${errorMessage(error)}`)
      }
    }
  }
}
