/** The runner action: drive the suite on the broker an earlier step started. */
import { runAction } from '../shared/run-action.js'
import { run } from './run.js'

await runAction({ main: run })
