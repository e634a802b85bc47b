import * as core from '@actions/core'
import { errorMessage } from '../errors.js'
import { run } from './run.js'

run().catch((error: unknown) => core.setFailed(errorMessage(error)))
