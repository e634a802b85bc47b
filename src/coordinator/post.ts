import { stopCluster } from '../github/cluster-steps.js'

// Post steps warn and never fail the job.
await stopCluster()
