/** The broker action: its main step starts the broker, its post step stops it. */
import { runAction } from '../shared/run-action.js'
import { run } from './run.js'
import { stopCluster } from './steps.js'

await runAction({ main: run, post: stopCluster })
