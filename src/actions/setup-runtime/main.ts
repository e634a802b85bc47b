/** The setup-runtime action: export the runtime variables for later steps. */
import { runAction } from '../shared/run-action.js'
import { run } from './run.js'

await runAction({ main: () => run() })
