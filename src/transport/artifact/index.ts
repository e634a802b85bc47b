/** The artifact-store transport: links between jobs of one run through append-blob streams. */
export {
  ArtifactTransport,
  defaultPace,
  type ArtifactTransportOptions,
  type ArtifactTransportStats
} from './artifact-transport.js'
export { ClusterClosedError, NoBrokerError } from './errors.js'
export {
  Poller,
  sharedPoller,
  type PollerOptions,
  type PollTask,
  type PollOutcome,
  type PollHandle
} from './poller.js'
export { closedName, downName, listenName, upName, segmentName } from './names.js'
