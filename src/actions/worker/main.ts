/** The worker action: join the cluster through the artifact store and work until it ends. */
import { runAction } from '../shared/run-action.js'
import { run } from './run.js'

await runAction({ main: run })
