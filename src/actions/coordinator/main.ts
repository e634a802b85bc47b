/** The top-level action: its main step runs broker and suite, its post step closes the cluster. */
import { stopCluster } from '../broker/steps.js'
import { runAction } from '../shared/run-action.js'
import { run } from './run.js'

await runAction({ main: run, post: stopCluster })
